// `matcalc check`: a derivation file → claims → verdicts (NOTATION.md, "Derivation files for
// check"). Pure: the text comes in, a report goes out (src/check/cli.ts reads files, runs
// workers and prints).
//
//   file ─document.ts→ items ─(per section)→ declarations, definitions, chains of `=`
//        ─derivatives.ts→ values ─equality.ts→ verdicts ─explain.ts→ difference, correction
//
// A chain E₀ = E₁ = E₂ … (continued by lines that start with `=`) makes one claim per `=`:
// Eᵢ against the last readable Eⱼ before it. A derivative ∂L/∂X stands for its true value, so
// a chain that starts with one is checked against the true derivative. Verdicts: `ok` (it
// holds), `wrong` (it does not follow from the line before), `carried` (it follows, but an
// earlier line was wrong and its error is still there).
import type { Matrix } from "ml-matrix";
import { type Expr, type Statement, postorder, symbols, transpose } from "../ast.js";
import { type Context, declareDimension, declaredShape } from "../context.js";
import { define } from "../declarations.js";
import { MatcalcError } from "../errors.js";
import { formatExpr } from "../print/expression.js";
import { Dims } from "../shapes/shape.js";
import { parseExpression, parseStatements } from "../syntax/parse.js";
import { Derivatives, parseSide, topologicalOrder } from "./derivatives.js";
import { type Format, formatOf, matrixNote, readDocument } from "./document.js";
import { type Counterexample, Equality } from "./equality.js";
import { correction, difference, simplified } from "./explain.js";
import { Lines, type Piece, equalsAt, isBlank, splitTopLevel, trimPiece } from "./text.js";

export type Verdict = "ok" | "wrong" | "carried";

export interface CounterexampleReport {
  /** Sizes of the named dimensions: {"m": 2, "n": 3}. */
  readonly sizes: Record<string, number>;
  /** Values of the free symbols: a number for a scalar, rows for a vector or matrix. */
  readonly values: Record<string, number | number[][]>;
  readonly left: number | number[][];
  readonly right: number | number[][];
}

export interface ClaimReport {
  readonly line: number;
  readonly column: number;
  /** The step as written: `∂L/∂X = …` for a chain's first step, `= …` for the others. */
  readonly text: string;
  readonly verdict: Verdict;
  /** How the verdict was reached: "same normal form", "equal at 3 random instances (…)", … */
  readonly how: string;
  /** The line this step was checked against. */
  readonly against: number;
  /** For wrong and carried steps, in words. */
  readonly reason?: string;
  /** Right side minus left side, simplified (wrong steps). */
  readonly difference?: string;
  /** The expression that would have been right (wrong steps). */
  readonly expected?: string;
  /** The slip, when one edit of the claimed expression makes the step hold. */
  readonly slip?: string;
  readonly counterexample?: CounterexampleReport;
}

export interface UnreadableReport {
  readonly line: number;
  readonly column: number;
  readonly text: string;
  readonly reason: string;
}

export interface FileReport {
  readonly file: string;
  /** No claim is wrong and every line could be read. */
  readonly ok: boolean;
  readonly claims: readonly ClaimReport[];
  /** Lines that could not be read or decided, with the reason; the rest is still checked, but the file is not ok. */
  readonly unreadable: readonly UnreadableReport[];
}

export interface CheckOptions {
  /** The file's name, for the report and its format (.tex, .md, anything else plain). */
  readonly file?: string;
  readonly format?: Format;
  /** Declarations and definitions for every section (`--where`). */
  readonly where?: string;
}

type Declaration = Extract<Statement, { kind: "declare" }>;

interface Definition {
  readonly name: string;
  /** Where the name is written (for messages). */
  readonly at: number;
  /** The body as text (parsed once every name of the section is known) … */
  readonly body?: Piece;
  /** … or already parsed (in `let` lines and --where), spans relative to `source`. */
  readonly expr?: Expr;
  readonly source: string;
  /** Offset of `source` in the file; undefined for --where. */
  readonly offset: number | undefined;
  /** The section it was written in (-1 for --where). */
  readonly from: number;
  /** Written in prose ("with $A = XᵀX + λI$"): a definition in math of the same name replaces it. */
  readonly prose?: boolean;
}

interface Chain {
  readonly segments: Piece[];
  /** `K = …` defined K and the chain goes on from its body: K's problems are reported once. */
  readonly defines?: string;
}

/**
 * A section: a part of the document under one heading. What it declares and defines holds from
 * there to the end of the document (under later headings too), until a later section declares or
 * defines the name again. --where holds everywhere and cannot be redefined.
 */
interface Section {
  readonly declarations: DeclarationEntry[];
  readonly definitions: Definition[];
  readonly chains: Chain[];
  /** Names declared by the section's own `let` lines (and their dimensions). */
  readonly declared: Set<string>;
}

interface DeclarationEntry {
  readonly statement: Declaration;
  readonly source: string;
  readonly offset: number | undefined;
  /** The section it was written in (-1 for --where). */
  readonly from: number;
}

interface Scope {
  readonly declarations: DeclarationEntry[];
  readonly definitions: Definition[];
}

/** Check one derivation file. Throws MatcalcError (positioned in the file) when a declaration cannot be read. */
export function checkText(text: string, options: CheckOptions = {}): FileReport {
  const file = options.file ?? "<input>";
  const format = options.format ?? formatOf(file);
  const doc = readDocument(text.replace(/\r\n?/g, (m) => (m.length === 2 ? " \n" : "\n")), format);
  const lines = new Lines(text);
  const unreadable: UnreadableReport[] = [];
  const claims: ClaimReport[] = [];
  const position = (offset: number) => lines.at(doc.origin(offset));
  const shown = (p: Piece) =>
    doc.blanked
      .slice(p.start, p.start + p.text.length)
      .replace(/\s+/g, " ")
      .replace(/(?:\s*\\(?:q?quad|[,;:! ]))+\s*$/, "")
      .trim();
  const cannotRead = (p: Piece, reason: string, at = p.start) => unreadable.push({ ...position(at), text: shown(p), reason });

  // --where: declarations and definitions for every section
  const whereStatements = options.where ? parseStatements(options.where) : [];
  const globalDeclarations: DeclarationEntry[] = whereStatements
    .filter((s): s is Declaration => s.kind === "declare")
    .map((statement) => ({ statement, source: options.where!, offset: undefined, from: -1 }));
  const globalDefinitions: Definition[] = whereStatements
    .filter((s) => s.kind === "define")
    .map((s) => ({ name: s.name, at: s.span.start, expr: s.expr, source: options.where!, offset: undefined, from: -1 }));

  // ---- phase A: sections, declarations, definitions, chains
  const whereNames = new Set<string>([...globalDefinitions.map((d) => d.name)]);
  globalDeclarations.forEach((d) => declaredBy(d.statement).forEach((n) => whereNames.add(n)));
  const sections: Section[] = [];
  let section = newSection();
  function newSection(): Section {
    const s: Section = { declarations: [], definitions: [], chains: [], declared: new Set() };
    sections.push(s);
    return s;
  }
  let chain: Chain | undefined;
  const here = () => sections.length - 1;
  /** `L(w)` of a function-style definition `L(w) = …`: read as L wherever it is written. */
  const applications: RegExp[] = [];
  const asWritten = (t: string) => applications.reduce((acc, re) => acc.replace(re, (m, head: string) => head.padEnd(m.length, " ")), t);
  /** Every name in force: --where's and those of this section and the sections before it. */
  const knownNames = () => new Set([...whereNames, ...sections.flatMap((s) => [...s.declared, ...s.definitions.map((d) => d.name)])]);
  // A problem: the sections from one heading of the problem level to the next (the highest
  // level that occurs twice: `## Problem 1`, `## Problem 2` under a `# Title`). Within a problem
  // `N = …` of a name it has is a claim; a later problem may define the name again.
  const levels = doc.items.flatMap((it) => (it.kind === "section" ? [it.level] : []));
  const repeated = levels.filter((l, i) => levels.indexOf(l) !== i);
  const problemLevel = Math.min(...(repeated.length ? repeated : levels));
  const problemOf: number[] = [0];
  const sameProblem = () => sections.filter((_, i) => problemOf[i] === problemOf[here()]);
  const defined = (name: string) => sameProblem().some((s) => s.definitions.some((d) => d.name === name && !d.prose)) || globalDefinitions.some((d) => d.name === name);
  /** A definition in math replaces one in prose of the same problem. */
  const replaceProse = (name: string) => {
    for (const s of sameProblem()) {
      const i = s.definitions.findIndex((d) => d.name === name && d.prose);
      if (i >= 0) s.definitions.splice(i, 1);
    }
  };
  /** A name written `N = …` defines N when neither --where nor this problem has it already. */
  const isNew = (name: string) => !whereNames.has(name) && !sameProblem().some((s) => s.declared.has(name)) && !defined(name);

  for (const item of doc.items) {
    switch (item.kind) {
      case "section":
        problemOf.push(problemOf[here()]! + (item.level <= problemLevel ? 1 : 0));
        section = newSection();
        chain = undefined;
        break;
      case "declare": {
        let statements: Statement[];
        try {
          // in prose and displays, a font around a declared name is the name (\boldsymbol{\mu} ∈ ℝᵈ)
          statements = parseStatements(item.prose || item.display ? withoutFonts(item.piece.text) : item.piece.text, { names: knownNames() });
        } catch (err) {
          // prose that looked like a declaration but is not one is prose
          if (item.prose) break;
          if (item.display) {
            cannotRead(item.piece, `a declaration that cannot be read: ${messageOf(err)}`);
            break;
          }
          throw relocate(err, item.piece.text, doc.origin(item.piece.start), text);
        }
        if (item.prose) statements = statements.filter((s) => s.kind === "declare").map((s) => withProperties(s as Declaration, item.prose!.properties));
        for (const s of statements) {
          if (s.kind === "declare") {
            section.declarations.push({ statement: s, source: item.piece.text, offset: item.piece.start, from: here() });
            declaredBy(s).forEach((n) => section.declared.add(n));
          } else if (defined(s.name)) cannotRead(item.piece, `\`${s.name}\` is already defined`, item.piece.start + s.span.start);
          else section.definitions.push({ name: s.name, at: item.piece.start + s.span.start, expr: s.expr, source: item.piece.text, offset: item.piece.start, from: here() });
        }
        break;
      }
      case "define": {
        const style = functionStyle(item.name, knownNames());
        if (style) applications.push(style.application);
        const name = style?.name ?? nameOf(item.name, knownNames());
        if (item.prose) {
          // a name in prose is defined there only if nothing else has it
          if (name !== undefined && !knownNames().has(name)) {
            replaceProse(name);
            section.definitions.push({ name, at: item.name.start, body: item.body, source: item.body.text, offset: item.body.start, from: here(), prose: true });
          }
          break;
        }
        if (name !== undefined) replaceProse(name);
        if (name === undefined) cannotRead(item.name, "expected one name before `:=`");
        else if (defined(name)) cannotRead(item.name, `\`${name}\` is already defined`);
        else section.definitions.push({ name, at: item.name.start, body: item.body, source: item.body.text, offset: item.body.start, from: here() });
        chain = undefined;
        break;
      }
      case "unreadable":
        cannotRead(item.piece, item.reason);
        break;
      case "math": {
        const parts = splitTopLevel(item.piece, equalsAt).map(trimPiece);
        while (parts.length > 1 && isBlank(parts[parts.length - 1]!)) parts.pop();
        const continues = isBlank(parts[0]!);
        const segments = continues ? parts.slice(1) : parts;
        const empty = segments.find(isBlank);
        if (empty) {
          cannotRead(item.piece, "an `=` with nothing on one side", empty.start);
          chain = undefined;
          break;
        }
        if (continues) {
          if (!chain) {
            cannotRead(item.piece, "this line starts with `=` but there is no equation before it to continue");
            break;
          }
          chain.segments.push(...segments);
          break;
        }
        // `K = …` with K a new name defines K (as people write); the chain goes on from its body;
        // so does `L(w) = …`, and L(w) is then L wherever it is written
        let defines: string | undefined;
        if (segments.length >= 2) {
          const style = functionStyle(segments[0]!, knownNames());
          if (style) applications.push(style.application);
          const name = style?.name ?? nameOf(segments[0]!, knownNames());
          const other = nameOf(segments[1]!, knownNames());
          const unknown = (n: string | undefined) => n !== undefined && !knownNames().has(n);
          if (!style && unknown(name) && segments.length === 2 && unknown(other)) {
            // `x = y`, two names nothing declares or defines: neither a definition worth taking nor a
            // claim that can be checked; counted as unreadable so that the file is not silently ok.
            cannotRead(item.piece, `\`${name} = ${other}\` relates two names nothing declares or defines: declare them (let ${name}, ${other}: …) to check it, or write \`${name} := ${other}\` to define ${name}`);
            chain = undefined;
            break;
          }
          if (name !== undefined && isNew(name)) {
            replaceProse(name);
            section.definitions.push({ name, at: segments[0]!.start, body: segments[1]!, source: segments[1]!.text, offset: segments[1]!.start, from: here() });
            segments.shift();
            defines = name;
          }
        }
        chain = { segments, defines };
        section.chains.push(chain);
        break;
      }
    }
  }

  // ---- phases B and C, section by section
  for (const [i, s] of sections.entries()) {
    const { ctx, broken, derivatives } = sectionContext(scope(i));
    const equality = new Equality(ctx);
    for (const c of s.chains) checkChain(c, ctx, broken, derivatives, equality);
  }

  claims.sort((a, b) => a.line - b.line || a.column - b.column);
  // a definition that cannot be read is found again in every later section: report it once
  const seen = new Set<string>();
  const once = unreadable.filter((u) => {
    const k = `${u.line}:${u.column}:${u.reason}`;
    return !seen.has(k) && !!seen.add(k);
  });
  once.sort((a, b) => a.line - b.line || a.column - b.column);
  // no silent pass: a claim that could not be read is not a claim that holds
  return { file, ok: once.length === 0 && !claims.some((c) => c.verdict === "wrong"), claims, unreadable: once };

  // ------------------------------------------------------------ helpers (closures)

  /**
   * The declarations and definitions in force in section i: --where's, then each section's up to
   * i, a later one replacing what an earlier one declared or defined under the same name.
   */
  function scope(i: number): Scope {
    let declarations = [...globalDeclarations];
    const definitions = new Map(globalDefinitions.map((d) => [d.name, d]));
    for (const s of sections.slice(0, i + 1)) {
      const own = new Set([...s.declared, ...s.definitions.map((d) => d.name)]);
      declarations = declarations.flatMap((d) => {
        if (d.from < 0 || !d.statement.names.some((n) => own.has(n.name))) return [d];
        const names = d.statement.names.filter((n) => !own.has(n.name));
        return names.length ? [{ ...d, statement: { ...d.statement, names } }] : [];
      });
      declarations.push(...s.declarations);
      for (const n of s.declared) if (definitions.get(n)?.from !== -1) definitions.delete(n);
      for (const d of s.definitions) definitions.set(d.name, d);
    }
    return { declarations, definitions: [...definitions.values()] };
  }

  function sectionContext(s: Scope): { ctx: Context; broken: Map<string, string>; derivatives: Derivatives } {
    const ctx: Context = { symbols: new Map(), dims: new Dims(), definitionOrder: [], memo: new Map() };
    const derivatives = new Derivatives(ctx);
    for (const d of s.declarations) {
      try {
        addDeclaration(ctx, d.statement);
      } catch (err) {
        throw d.offset === undefined ? err : relocate(err, d.source, doc.origin(d.offset), text);
      }
    }
    const broken = new Map<string, string>();
    const names = new Set([...ctx.symbols.keys(), ...s.definitions.map((d) => d.name)]);
    const parsed = new Map<string, { def: Definition; expr: Expr }>();
    for (const d of s.definitions) {
      try {
        const expr = d.expr ?? parseSide(asWritten(d.body!.text), names);
        parsed.set(d.name, { def: d, expr });
      } catch (err) {
        fail(d, err);
      }
    }
    // where each name in force was declared or defined: a definition written before a name it
    // uses was declared or defined again is stale (it meant the earlier one)
    const origin = new Map<string, { from: number; at: number | undefined }>();
    for (const d of s.declarations) for (const n of d.statement.names) origin.set(n.name, { from: d.from, at: d.offset });
    for (const d of s.definitions) origin.set(d.name, { from: d.from, at: d.at });
    /** Names whose definition is stale: not reported unless a claim uses them. */
    const stale = new Set<string>();
    const order = topologicalOrder([...parsed.keys()], (n) => parsed.get(n)?.expr);
    for (const name of order) {
      const { def, expr } = parsed.get(name)!;
      const uses = [...symbols(expr)];
      const newer = uses.find((u) => (origin.get(u)?.from ?? -1) > def.from);
      const bad = uses.find((u) => broken.has(u));
      if (newer !== undefined || (bad !== undefined && stale.has(bad))) {
        const where = newer === undefined ? undefined : origin.get(newer)!.at;
        stale.add(name);
        broken.set(
          name,
          newer === undefined
            ? broken.get(bad!)!
            : `\`${name}\` (line ${position(def.at).line}) was defined with the \`${newer}\` of before line ${where === undefined ? "?" : position(where).line}, which is defined again there: define \`${name}\` again below it`,
        );
        continue;
      }
      if (bad) {
        fail(def, new MatcalcError(broken.get(bad)!, undefined, def.source, "name"));
        continue;
      }
      if (uses.includes(name) || uses.some((u) => parsed.has(u) && !ctx.symbols.get(u)?.definition && order.indexOf(u) > order.indexOf(name))) {
        fail(def, new MatcalcError(`\`${name}\` is defined in terms of itself`, expr.span, def.source, "name"));
        continue;
      }
      try {
        // `G = ∂L/∂K`: the derivative's value (everything it uses is defined by now)
        const value = postorder(expr).some((n) => n.op === "call" && n.fn === "grad") ? derivatives.resolve(expr, def.source).expr : expr;
        addDefinition(ctx, name, value, def.source);
      } catch (err) {
        fail(def, err);
      }
    }
    return { ctx, broken, derivatives };

    function fail(d: Definition, err: unknown): void {
      const reason = messageOf(err);
      // what a line that uses it is told
      broken.set(d.name, `uses \`${d.name}\`, whose definition cannot be read`);
      if (d.offset === undefined) throw err instanceof MatcalcError ? err : new MatcalcError(reason, undefined, d.source);
      const at = err instanceof MatcalcError && err.span && err.source === d.source ? d.offset + err.span.start : d.at;
      cannotRead({ text: d.body?.text ?? d.source, start: d.body ? d.body.start : d.offset }, `definition of ${d.name}: ${reason}`, at);
    }
  }

  function checkChain(c: Chain, ctx: Context, broken: Map<string, string>, derivatives: Derivatives, equality: Equality): void {
    type Value = { expr: Expr; derivative: boolean; jacobian: boolean; parsed: Expr } | { illFormed: string };
    const values: (Value | undefined)[] = c.segments.map((seg, i) => {
      // the body of a definition that cannot be read: already reported with the definition
      if (i === 0 && c.defines !== undefined && broken.has(c.defines)) return undefined;
      let parsed: Expr | undefined;
      try {
        parsed = parseSide(asWritten(seg.text), new Set(ctx.symbols.keys()));
        const bad = [...symbols(parsed)].find((n) => broken.has(n));
        if (bad) throw new MatcalcError(broken.get(bad)!, undefined, seg.text, "name");
        const r = derivatives.resolve(parsed, seg.text);
        return { expr: r.expr, derivative: r.derivatives > 0, jacobian: r.jacobian, parsed };
      } catch (err) {
        // shapes that do not fit, where every shape is declared or defined: the student's error
        if (err instanceof MatcalcError && err.category === "shape" && parsed && [...symbols(parsed)].every((n) => ctx.symbols.get(n)?.declared || ctx.symbols.get(n)?.dimension))
          return { illFormed: err.message };
        const note = matrixNote(seg.text);
        const at = !note && err instanceof MatcalcError && err.span && err.source === seg.text ? seg.start + err.span.start : seg.start;
        cannotRead(seg, note ?? messageOf(err), at);
        return undefined;
      }
    });
    let prev: number | undefined;
    let root: number | undefined;
    let wrongAt: number | undefined;
    // a chain whose first expression cannot be read: its later steps are compared with one
    // another, but none is known to hold, so none is `ok`
    const unreadFirst = values[0] === undefined && !(c.defines !== undefined && broken.has(c.defines)) ? position(c.segments[0]!.start).line : undefined;
    for (let i = 0; i < c.segments.length; i++) {
      const v = values[i];
      if (!v) continue;
      const seg = c.segments[i]!;
      if ("illFormed" in v) {
        if (prev === undefined) cannotRead(seg, v.illFormed);
        else {
          const before = c.segments[prev]!;
          const whole = prev === 0 && i === 1 && position(seg.start).line === position(before.start).line;
          const here = position(whole ? before.start : seg.start);
          claims.push({
            ...here,
            text: whole ? `${shown(before)} = ${shown(seg)}` : `= ${shown(seg)}`,
            verdict: "wrong",
            how: "shapes",
            against: position(c.segments[prev]!.start).line,
            reason: `this expression is not well formed: ${v.illFormed}`,
            expected: show(simplified((values[prev] as { expr: Expr }).expr, ctx), ctx),
          });
          // it has no value: the next step is checked against the one before it, and carries
          // only what that one carried
        }
        continue;
      }
      if (prev === undefined) {
        prev = root = i;
        continue;
      }
      const a = values[prev] as { expr: Expr; derivative: boolean; jacobian: boolean; parsed: Expr };
      const before = c.segments[prev]!;
      const againstLine = position(before.start).line;
      // `A = B` written on one line is one claim at A; later steps are claims at their `= …`
      const whole = prev === 0 && i === 1 && position(seg.start).line === againstLine;
      const here = position(whole ? before.start : seg.start);
      const stepText = whole ? `${shown(before)} = ${shown(seg)}` : `= ${shown(seg)}`;
      let d;
      try {
        d = equality.decide(a.expr, v.expr);
      } catch (err) {
        cannotRead(seg, `cannot be decided: ${messageOf(err)}`);
        prev = i;
        continue;
      }
      if (d.equal === undefined) {
        cannotRead(seg, `cannot be decided: ${d.how}`);
        prev = i;
        continue;
      }
      if (d.equal) {
        const carries =
          wrongAt !== undefined
            ? `follows from line ${againstLine}, but carries the error of line ${wrongAt}`
            : unreadFirst !== undefined
              ? `follows from line ${againstLine}, but the chain starts at line ${unreadFirst} with an expression that could not be read, so it is not known to hold`
              : undefined;
        claims.push({ ...here, text: stepText, verdict: carries ? "carried" : "ok", how: d.how, against: againstLine, ...(carries ? { reason: carries } : {}) });
        prev = i;
        continue;
      }
      // wrong: explain it
      const fromDerivative = prev === root && isDerivative(c.segments[root!]!, a);
      // a Jacobian written in the other (denominator) layout
      const transposed = fromDerivative && a.jacobian && safely(() => equality.decide(transpose(a.expr), v.expr))?.equal === true;
      const reason = transposed
        ? `this is the transpose of ${shown(before)}: a Jacobian is laid out J_ij = ∂y_i/∂x_j (numerator layout, NOTATION.md), so this is the denominator layout`
        : fromDerivative
        ? `this is not ${shown(before)}`
        : whole
          ? "the two sides differ"
          : againstLine === here.line
            ? "does not follow from the expression before this `=`"
            : `does not follow from line ${againstLine}`;
      const diff = d.shapes ? undefined : difference(a.expr, v.expr, ctx);
      const fix = d.shapes || v.derivative ? undefined : safely(() => correction(a.expr, v.expr, diff, ctx, equality));
      const expected = fix ? fix.expr : simplified(a.expr, ctx);
      claims.push({
        ...here,
        text: stepText,
        verdict: "wrong",
        how: d.how,
        against: againstLine,
        reason,
        ...(diff ? { difference: show(diff, ctx) } : {}),
        expected: show(expected, ctx),
        ...(fix ? { slip: fix.slip } : {}),
        ...(!d.equal && d.counterexample ? { counterexample: counterexampleReport(d.counterexample) } : {}),
      });
      // is the error still there? (a later step may undo it)
      const back = safely(() => equality.decide((values[root!] as { expr: Expr }).expr, v.expr));
      wrongAt = back?.equal === true ? undefined : here.line;
      prev = i;
    }
  }
}

// ---------------------------------------------------------------- helpers

function isDerivative(p: Piece, v: { parsed: Expr }): boolean {
  return v.parsed.op === "call" && v.parsed.fn === "grad" && p.text.length > 0;
}

function show(e: Expr, ctx: Context): string {
  try {
    return formatExpr(e, "unicode", ctx);
  } catch {
    return formatExpr(e, "unicode");
  }
}

function safely<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function messageOf(err: unknown): string {
  if (err instanceof MatcalcError) return err.message;
  if (err instanceof RangeError && /call stack/i.test(err.message)) return "not supported: the expression is too deeply nested";
  return `internal error: ${err instanceof Error ? err.message : String(err)} (please report this input)`;
}

/** A MatcalcError from parsing a stretch of the file, re-positioned in the file. */
function relocate(err: unknown, source: string, offset: number, file: string): unknown {
  if (!(err instanceof MatcalcError)) return err;
  const span = err.span && (err.source === source || err.source === undefined) ? { start: err.span.start + offset, end: err.span.end + offset } : { start: offset, end: offset + source.length };
  return new MatcalcError(err.message, span, file, err.category);
}

/** The name a piece is, when it is exactly one symbol. */
function nameOf(p: Piece, names: ReadonlySet<string>): string | undefined {
  try {
    const e = parseExpression(p.text, { names });
    return e.op === "sym" ? e.name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `L(w)`, `\mathcal{L}(\mathbf{w}, b)`, `f\left(x\right)` as a left side: a function-style
 * definition of L (NOTATION.md, "As people write it"), and the pattern of its applications.
 * `σ(z)` is the sigmoid, not a definition of σ.
 */
function functionStyle(p: Piece, names: ReadonlySet<string>): { name: string; application: RegExp } | undefined {
  const m = /^(.*?)\s*(?:\\left\s*)?\(([^()]*?)\s*(?:\\right\s*)?\)$/s.exec(p.text);
  if (!m || !m[1]!.trim()) return undefined;
  const head = m[1]!.trim();
  const name = nameOf({ text: head, start: p.start }, names);
  if (name === undefined || name === "σ") return undefined;
  const args = m[2]!.split(",").map((a) => a.trim());
  if (args.some((a) => nameOf({ text: a, start: p.start }, names) === undefined)) return undefined;
  // spaces and braces do not matter: \mathbf{w} and \mathbf w are the same argument
  const flexible = (t: string) => [...t.replace(/[\s{}]+/g, "")].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[\\s{}]*") + "[\\s}]*";
  const application = new RegExp(`(${flexible(head)})\\s*(?:\\\\left\\s*)?\\(\\s*${args.map(flexible).join("\\s*,\\s*")}\\s*(?:\\\\right\\s*)?\\)`, "gu");
  return { name, application };
}

/** The names a declaration declares, with its named dimensions. */
function declaredBy(d: Declaration): string[] {
  const dims = d.shape.kind === "scalar" ? [] : d.shape.kind === "vector" ? [d.shape.rows] : [d.shape.rows, d.shape.cols];
  return [...d.names.map((n) => n.name), ...dims.filter((x): x is string => typeof x === "string")];
}

/** `\mathbf{x}`, `\boldsymbol\mu`, `\bm{\delta}` written as x, μ, δ (fonts do not make names). */
function withoutFonts(text: string): string {
  return text.replace(/\\(?:mathbf|boldsymbol|bm|mathit|vec)\s*(?:\{\s*(\\?[A-Za-z]+)\s*\}|(\\[A-Za-z]+|[A-Za-z]))/g, (_, a: string | undefined, b: string | undefined) => ` ${a ?? b}`);
}

/** A declaration in prose, with the properties its sentence gives it (a square matrix only). */
function withProperties(d: Declaration, properties: readonly string[]): Declaration {
  const square = d.shape.kind === "matrix" && d.shape.rows === d.shape.cols;
  if (!properties.length || !square) return d;
  return { ...d, properties: [...new Set([...d.properties, ...(properties as Declaration["properties"])])] };
}

function addDeclaration(ctx: Context, s: Declaration): void {
  // a later declaration of a name replaces an earlier one (a section's own over the preamble's)
  for (const { name } of s.names) ctx.symbols.delete(name);
  const shape = declaredShape(s);
  for (const { name } of s.names) ctx.symbols.set(name, { name, shape, properties: new Set(s.properties), declared: true });
  for (const d of shape) if (typeof d === "string") declareDimension(ctx, d);
}

function addDefinition(ctx: Context, name: string, expr: Expr, source: string): void {
  const known = ctx.symbols.get(name);
  if (known?.declared) throw new MatcalcError(`\`${name}\` is already declared`, expr.span, source, "name");
  define(ctx, name, expr, source);
}

function counterexampleReport(c: Counterexample): CounterexampleReport {
  const plain = (m: Matrix): number | number[][] => (m.rows === 1 && m.columns === 1 ? m.get(0, 0) : m.to2DArray());
  return {
    sizes: Object.fromEntries(c.sizes),
    values: Object.fromEntries(c.values.map(([n, m]) => [n, plain(m)])),
    left: plain(c.left),
    right: plain(c.right),
  };
}
