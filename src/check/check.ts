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
import { type Expr, type Span, type Statement, anyNode, postorder, symbols, transpose } from "../ast.js";
import { type Context, constrain, declareDimension, declaredShape } from "../context.js";
import { define } from "../declarations.js";
import { withDerivativesWrittenOut } from "../derive/gradient.js";
import { MatcalcError } from "../errors.js";
import { formatExpr } from "../print/expression.js";
import { inferShapes } from "../shapes/infer.js";
import { Dims } from "../shapes/shape.js";
import { parseExpression, parseStatements } from "../syntax/parse.js";
import { Derivatives, parseSide, topologicalOrder } from "./derivatives.js";
import { type Document, type Format, type Item, formatOf, matrixNote, readDocument } from "./document.js";
import { type Counterexample, type Decision, Equality } from "./equality.js";
import { correction, difference, simplified } from "./explain.js";
import { type Condition, readCondition } from "./conditions.js";
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
  /** What the step was checked assuming, as its sentence asks ("A symmetric"). */
  readonly assuming?: string;
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
/** A declaration, or a constraint on a name declared before it (`sum(y) = 1`). */
type Stated = Extract<Statement, { kind: "declare" | "constrain" }>;

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
  /** The prose definition this one replaced: used if this one cannot be read (Σᵢ xᵢAᵢⱼxⱼ). */
  readonly replaced?: Definition;
}

interface Chain {
  readonly segments: Piece[];
  /** `K = …` defined K and the chain goes on from its body: K's problems are reported once. */
  readonly defines?: string;
  /** A property its sentence assumes ("If $A$ is symmetric, …"): the chain is checked with it. */
  readonly assume?: Assumption;
}

type Assumption = Extract<Condition, { kind: "assume" }>;

/** A sum over an index: `\sum_i`, `\sum\limits_{i=1}^n`, `Σᵢ`, `∑_j`. */
const INDEX_NOTATION = /\\sum\s*(?:\\(?:no)?limits\s*)?_|[Σ∑]\s*(?:_|[ᵢⱼₖ])/u;

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
  readonly statement: Stated;
  readonly source: string;
  readonly offset: number | undefined;
  /** The section it was written in (-1 for --where). */
  readonly from: number;
  /** Read from prose: a constraint there that does not apply (y not a declared vector) is prose. */
  readonly prose?: boolean;
}

interface Scope {
  readonly declarations: DeclarationEntry[];
  readonly definitions: Definition[];
}

/** Check one derivation file. Throws MatcalcError (positioned in the file) when a declaration cannot be read. */
export function checkText(text: string, options: CheckOptions = {}): FileReport {
  const file = options.file ?? "<input>";
  const report = new Report(text, options.format ?? formatOf(file));
  const where = whereScope(options.where);
  // phase A: the file's sections, with what each declares and defines and its chains of `=`
  const outline = new Outline(report, where);
  for (const item of report.doc.items) outline.read(item);
  // phases B and C, section by section: the names in force, then the claims of each chain
  for (const [i, s] of outline.sections.entries()) {
    const scope = scopeOf(outline.sections, i, where);
    const section = new SectionCheck(report, scope, (t) => outline.asWritten(t));
    // one section's names under each assumption its chains make, made once
    const underAssumption = new Map<string, SectionCheck>();
    for (const c of s.chains) {
      if (!c.assume) {
        section.checkChain(c);
        continue;
      }
      const within = scopeAssuming(scope, c.assume);
      if (typeof within === "string") {
        report.cannotRead(c.segments[0]!, within);
        continue;
      }
      const k = `${c.assume.property}:${c.assume.names.join(",")}`;
      let assumed = underAssumption.get(k);
      if (!assumed) underAssumption.set(k, (assumed = new SectionCheck(report, within, (t) => outline.asWritten(t))));
      const from = report.claims.length;
      assumed.checkChain(c);
      const assuming = `${c.assume.names.join(", ")} ${PROPERTY_WORDS[c.assume.property]}`;
      for (const claim of report.claims.splice(from)) report.claims.push({ ...claim, how: `${claim.how}; with ${assuming}, as the text assumes`, assuming });
    }
  }
  return report.finish(file);
}

/** The file, and what checking it finds: claims and lines that cannot be read, where they are. */
class Report {
  readonly doc: Document;
  readonly claims: ClaimReport[] = [];
  private readonly unreadable: UnreadableReport[] = [];
  private readonly lines: Lines;

  constructor(
    readonly text: string,
    format: Format,
  ) {
    this.doc = readDocument(text.replace(/\r\n?/g, (m) => (m.length === 2 ? " \n" : "\n")), format);
    this.lines = new Lines(text);
  }

  position(offset: number): { line: number; column: number } {
    return this.lines.at(this.doc.origin(offset));
  }

  /** A piece as the report shows it: on one line, without trailing spacing commands. */
  shown(p: Piece): string {
    return this.doc.blanked
      .slice(p.start, p.start + p.text.length)
      .replace(/\s+/g, " ")
      .replace(/(?:\s*\\(?:q?quad|[,;:! ]))+\s*$/, "")
      .trim();
  }

  cannotRead(p: Piece, reason: string, at = p.start): void {
    this.unreadable.push({ ...this.position(at), text: this.shown(p), reason });
  }

  finish(file: string): FileReport {
    const claims = [...this.claims].sort((a, b) => a.line - b.line || a.column - b.column);
    // a definition that cannot be read is found again in every later section, and again as the
    // start of its chain: report each piece once, with the reason found first
    const seen = new Set<string>();
    const once = this.unreadable.filter((u) => {
      const k = `${u.line}:${u.column}:${u.text}`;
      return !seen.has(k) && !!seen.add(k);
    });
    once.sort((a, b) => a.line - b.line || a.column - b.column);
    // no silent pass: a claim that could not be read is not a claim that holds
    return { file, ok: once.length === 0 && !claims.some((c) => c.verdict === "wrong"), claims, unreadable: once };
  }
}

/** --where: declarations and definitions for every section. */
function whereScope(where: string | undefined): Scope {
  const statements = where ? parseStatements(where) : [];
  return {
    declarations: statements.filter((s): s is Stated => s.kind !== "define").map((statement) => ({ statement, source: where!, offset: undefined, from: -1 })),
    definitions: statements
      .filter((s) => s.kind === "define")
      .map((s) => ({ name: s.name, at: s.span.start, expr: s.expr, source: where!, offset: undefined, from: -1 })),
  };
}

/** Phase A: the document's items read into sections, in order. */
class Outline {
  readonly sections: Section[] = [];
  private section: Section;
  private chain: Chain | undefined;
  private readonly whereNames: Set<string>;
  /** `L(w)` of a function-style definition `L(w) = …`: read as L wherever it is written. */
  private readonly applications: Application[] = [];
  /**
   * A problem: the sections from one heading of the problem level to the next (the highest
   * level that occurs twice: `## Problem 1`, `## Problem 2` under a `# Title`). Within a problem
   * `N = …` of a name it has is a claim; a later problem may define the name again.
   */
  private readonly problemLevel: number;
  private readonly problemOf: number[] = [0];

  constructor(
    private readonly report: Report,
    private readonly where: Scope,
  ) {
    this.whereNames = new Set(where.definitions.map((d) => d.name));
    where.declarations.forEach((d) => d.statement.kind === "declare" && declaredBy(d.statement).forEach((n) => this.whereNames.add(n)));
    const levels = report.doc.items.flatMap((it) => (it.kind === "section" ? [it.level] : []));
    const repeated = levels.filter((l, i) => levels.indexOf(l) !== i);
    this.problemLevel = Math.min(...(repeated.length ? repeated : levels));
    this.section = this.newSection();
  }

  asWritten(t: string): string {
    return this.applications.reduce(
      (acc, { application, gradient }) =>
        acc
          .replace(gradient, (m, nabla: string, head: string, arg: string) => {
            // ∇f(x) is ∇ₓf and ∇∇f(x), ∇²f(x) the Hessian ∇²ₓf: written \nabla_{x} f in the same
            // number of characters when that fits
            const sub = /^[A-Za-z0-9]$/.test(arg) ? arg : /^\\[A-Za-z]+$/.test(arg) ? `${arg} ` : `{${arg}}`;
            const hessian = /^(?:\\nabla|∇)\s*(?:\\nabla|∇|\^\s*\{?\s*2\s*\}?|²)$/.test(nabla);
            const written = `${nabla.startsWith("∇") ? "∇" : "\\nabla"}${hessian ? (nabla.startsWith("∇") ? "²" : "^2") : ""}_${sub}${head}`;
            return written.length <= m.length ? written.padEnd(m.length, " ") : m;
          })
          .replace(application, (m, head: string) => head.padEnd(m.length, " ")),
      t,
    );
  }

  read(item: Item): void {
    switch (item.kind) {
      case "section":
        this.problemOf.push(this.problemOf[this.here]! + (item.level <= this.problemLevel ? 1 : 0));
        this.section = this.newSection();
        this.chain = undefined;
        return;
      case "declare":
        return this.declare(item);
      case "define":
        return this.define(item);
      case "unreadable":
        return this.report.cannotRead(item.piece, item.reason);
      case "math":
        return this.math(item);
    }
  }

  private newSection(): Section {
    const s: Section = { declarations: [], definitions: [], chains: [], declared: new Set() };
    this.sections.push(s);
    return s;
  }

  private get here(): number {
    return this.sections.length - 1;
  }

  /** Every name in force: --where's and those of this section and the sections before it. */
  private knownNames(): Set<string> {
    return new Set([...this.whereNames, ...this.sections.flatMap((s) => [...s.declared, ...s.definitions.map((d) => d.name)])]);
  }

  private sameProblem(): Section[] {
    return this.sections.filter((_, i) => this.problemOf[i] === this.problemOf[this.here]);
  }

  private defined(name: string): boolean {
    return this.sameProblem().some((s) => s.definitions.some((d) => d.name === name && !d.prose)) || this.where.definitions.some((d) => d.name === name);
  }

  /** A definition in math replaces one in prose of the same problem. */
  /** Removes the prose definition of `name` in this problem, and returns it. */
  private replaceProse(name: string): Definition | undefined {
    for (const s of this.sameProblem()) {
      const i = s.definitions.findIndex((d) => d.name === name && d.prose);
      if (i >= 0) return s.definitions.splice(i, 1)[0];
    }
    return undefined;
  }

  /**
   * `f(x) = \sum_i \sum_j x_i A_{ij} x_j`, then `f(x) = xᵀAx`: a definition in index notation
   * (unreadable) gives way to the matrix form written after it, which defines the name; the index
   * notation is reported unreadable. False when the name's definition is not in index notation.
   */
  private replaceIndexNotation(name: string, at: Piece): boolean {
    for (const s of this.sameProblem()) {
      const i = s.definitions.findIndex((d) => d.name === name && !d.prose && d.body !== undefined && INDEX_NOTATION.test(d.body.text));
      if (i < 0) continue;
      const body = s.definitions.splice(i, 1)[0]!.body!;
      // the chain that went on from it, when it held nothing more
      const chain = s.chains.findIndex((c) => c.segments.length === 1 && c.segments[0] === body);
      if (chain >= 0) s.chains.splice(chain, 1);
      this.report.cannotRead(body, `a definition of ${name} in index notation (a sum over an index) is not read; ${name} is taken as defined by its matrix form on line ${this.report.position(at.start).line}`);
      return true;
    }
    return false;
  }

  /** A name written `N = …` defines N when neither --where nor this problem has it already. */
  private isNew(name: string): boolean {
    return !this.whereNames.has(name) && !this.sameProblem().some((s) => s.declared.has(name)) && !this.defined(name);
  }

  private declare(item: Extract<Item, { kind: "declare" }>): void {
    let statements: Statement[];
    try {
      // in prose and displays, a font around a declared name is the name (\boldsymbol{\mu} ∈ ℝᵈ)
      statements = parseStatements(item.prose || item.display ? withoutFonts(item.piece.text) : item.piece.text, { names: this.knownNames() });
    } catch (err) {
      // prose that looked like a declaration but is not one is prose
      if (item.prose) return;
      if (item.display) return this.report.cannotRead(item.piece, `a declaration that cannot be read: ${messageOf(err)}`);
      throw relocate(err, item.piece.text, this.report.doc.origin(item.piece.start), this.report.text);
    }
    if (item.prose) statements = statements.filter((s) => s.kind !== "define").flatMap((s) => (s.kind === "declare" ? withProperties(s, item.prose!.properties) : [s]));
    for (const s of statements) {
      if (s.kind === "declare") {
        this.section.declarations.push({ statement: s, source: item.piece.text, offset: item.piece.start, from: this.here });
        declaredBy(s).forEach((n) => this.section.declared.add(n));
      } else if (s.kind === "constrain") this.section.declarations.push({ statement: s, source: item.piece.text, offset: item.piece.start, from: this.here, prose: !!item.prose });
      else if (this.defined(s.name)) this.report.cannotRead(item.piece, `\`${s.name}\` is already defined`, item.piece.start + s.span.start);
      else this.section.definitions.push({ name: s.name, at: item.piece.start + s.span.start, expr: s.expr, source: item.piece.text, offset: item.piece.start, from: this.here });
    }
  }

  private define(item: Extract<Item, { kind: "define" }>): void {
    const style = functionStyle(item.name, this.knownNames());
    if (style) this.applications.push(style);
    const name = style?.name ?? nameOf(item.name, this.knownNames());
    if (item.prose) {
      // a name in prose is defined there only if nothing else has it
      if (name !== undefined && !this.knownNames().has(name)) {
        this.replaceProse(name);
        this.section.definitions.push({ name, at: item.name.start, body: item.body, source: item.body.text, offset: item.body.start, from: this.here, prose: true });
      }
      return;
    }
    const replaced = name === undefined ? undefined : this.replaceProse(name);
    if (name === undefined) this.report.cannotRead(item.name, "expected one name before `:=`");
    else if (this.defined(name)) this.report.cannotRead(item.name, `\`${name}\` is already defined`);
    else this.section.definitions.push({ name, at: item.name.start, body: item.body, source: item.body.text, offset: item.body.start, from: this.here, replaced });
    this.chain = undefined;
  }

  private math(item: Extract<Item, { kind: "math" }>): void {
    const condition = item.condition === undefined ? undefined : readCondition(item.condition, (m) => this.declaredName(m));
    if (condition?.kind === "unread") {
      this.report.cannotRead(item.piece, condition.reason);
      this.chain = undefined;
      return;
    }
    const assume = condition?.kind === "assume" ? condition : undefined;
    const parts = splitTopLevel(item.piece, equalsAt).map(trimPiece);
    while (parts.length > 1 && isBlank(parts[parts.length - 1]!)) parts.pop();
    const continues = isBlank(parts[0]!);
    const segments = continues ? parts.slice(1) : parts;
    const empty = segments.find(isBlank);
    if (empty) {
      this.report.cannotRead(item.piece, "an `=` with nothing on one side", empty.start);
      this.chain = undefined;
      return;
    }
    if (continues) {
      if (!this.chain) return this.report.cannotRead(item.piece, "this line starts with `=` but there is no equation before it to continue");
      if (assume && this.chain.assume?.said !== assume.said) {
        // the chain goes on under the condition: its new steps start from where it was
        this.chain = { segments: [this.chain.segments.at(-1)!, ...segments], assume };
        this.section.chains.push(this.chain);
      } else this.chain.segments.push(...segments);
      return;
    }
    // `K = …` with K a new name defines K (as people write); the chain goes on from its body;
    // so does `L(w) = …`, and L(w) is then L wherever it is written
    let defines: string | undefined;
    if (segments.length >= 2) {
      const known = this.knownNames();
      const style = functionStyle(segments[0]!, known);
      if (style) this.applications.push(style);
      const name = style?.name ?? nameOf(segments[0]!, known);
      const other = nameOf(segments[1]!, known);
      const unknown = (n: string | undefined) => n !== undefined && !known.has(n);
      if (!style && unknown(name) && segments.length === 2 && unknown(other)) {
        // `x = y`, two names nothing declares or defines: neither a definition worth taking nor a
        // claim that can be checked; counted as unreadable so that the file is not silently ok.
        this.report.cannotRead(item.piece, `\`${name} = ${other}\` relates two names nothing declares or defines: declare them (let ${name}, ${other}: …) to check it, or write \`${name} := ${other}\` to define ${name}`);
        this.chain = undefined;
        return;
      }
      if (name !== undefined && !this.isNew(name) && this.replaceIndexNotation(name, segments[0]!)) {
        this.section.definitions.push({ name, at: segments[0]!.start, body: segments[1]!, source: segments[1]!.text, offset: segments[1]!.start, from: this.here });
        segments.shift();
        defines = name;
      } else if (name !== undefined && this.isNew(name)) {
        const replaced = this.replaceProse(name);
        this.section.definitions.push({ name, at: segments[0]!.start, body: segments[1]!, source: segments[1]!.text, offset: segments[1]!.start, from: this.here, replaced });
        segments.shift();
        defines = name;
      }
    }
    this.chain = { segments, defines, assume };
    this.section.chains.push(this.chain);
  }

  /** The matrix a piece of prose math names, when it is one declared (not defined) name. */
  private declaredName(math: string): string | undefined {
    const name = nameOf({ text: withoutFonts(math), start: 0 }, this.knownNames());
    return name !== undefined && !this.defined(name) ? name : undefined;
  }
}

const PROPERTY_WORDS: Record<Assumption["property"], string> = {
  symmetric: "symmetric",
  spd: "symmetric positive definite",
  diagonal: "diagonal",
  positive: "positive",
  "sums to one": "summing to one",
};

/**
 * The scope with the assumed property on each assumed name (declared square), or why not: the
 * names keep their shapes and the section's definitions stay as they are.
 */
function scopeAssuming(scope: Scope, a: Assumption): Scope | string {
  const assumed = new Set(a.names);
  const declarations: DeclarationEntry[] = [];
  const found = new Set<string>();
  for (const d of scope.declarations) {
    const s = d.statement;
    const mine = s.kind === "declare" ? s.names.filter((n) => assumed.has(n.name)) : [];
    if (s.kind !== "declare" || !mine.length) {
      declarations.push(d);
      continue;
    }
    if (s.shape.kind !== "matrix" || s.shape.rows !== s.shape.cols) return `a step under a condition ("${a.said}") is not checked: ${mine.map((n) => n.name).join(", ")} is not a square matrix`;
    mine.forEach((n) => found.add(n.name));
    const others = s.names.filter((n) => !assumed.has(n.name));
    if (others.length) declarations.push({ ...d, statement: { ...s, names: others } });
    declarations.push({ ...d, statement: { ...s, names: mine, properties: [...new Set([...s.properties, a.property])] } });
  }
  const missing = a.names.filter((n) => !found.has(n));
  if (missing.length) return `a step under a condition ("${a.said}") is not checked: ${missing.join(", ")} is not declared here`;
  return { declarations, definitions: scope.definitions };
}

/**
 * The declarations and definitions in force in section i: --where's, then each section's up to
 * i, a later one replacing what an earlier one declared or defined under the same name.
 */
function scopeOf(sections: readonly Section[], i: number, where: Scope): Scope {
  let declarations = [...where.declarations];
  const definitions = new Map(where.definitions.map((d) => [d.name, d]));
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

/** A chain's expression, read: its value (a derivative resolved), or why it has none. */
type Value = { expr: Expr; derivative: boolean; jacobian: boolean; parsed: Expr } | { illFormed: string };
type Read = Extract<Value, { expr: Expr }>;

/** Phases B and C for one section: its context (phase B), then its chains' claims (phase C). */
class SectionCheck {
  private readonly ctx: Context = { symbols: new Map(), dims: new Dims(), definitionOrder: [], memo: new Map() };
  private readonly derivatives = new Derivatives(this.ctx);
  private readonly equality: Equality;
  /** Names whose definition cannot be used, with what a line that uses one is told. */
  private readonly broken = new Map<string, string>();

  constructor(
    private readonly report: Report,
    scope: Scope,
    private readonly asWritten: (t: string) => string,
  ) {
    for (const d of scope.declarations) {
      try {
        addDeclaration(this.ctx, d.statement);
      } catch (err) {
        if (d.prose && d.statement.kind === "constrain") continue;
        throw d.offset === undefined ? err : relocate(err, d.source, report.doc.origin(d.offset), report.text);
      }
    }
    this.define(scope);
    this.equality = new Equality(this.ctx);
  }

  /** Phase B: the section's definitions, in the order they use one another. */
  private define(scope: Scope): void {
    const { ctx, broken } = this;
    const definitions = scope.definitions;
    const names = new Set([...ctx.symbols.keys(), ...definitions.map((d) => d.name)]);
    const parsed = new Map<string, { def: Definition; expr: Expr }>();
    const parse = (d: Definition) => d.expr ?? parseSide(this.asWritten(d.body!.text), names);
    for (const d of definitions) {
      try {
        parsed.set(d.name, { def: d, expr: parse(d) });
      } catch (err) {
        this.fail(d, err);
        // the prose said it in a form that can be read ($f(x) = xᵀAx$, then Σᵢ Σⱼ xᵢAᵢⱼxⱼ)
        const replaced = d.replaced && this.parsedOrUndefined(d.replaced, parse);
        if (replaced) {
          this.broken.delete(d.name);
          parsed.set(d.name, { def: d.replaced!, expr: replaced });
        }
      }
    }
    // where each name in force was declared or defined: a definition written before a name it
    // uses was declared or defined again is stale (it meant the earlier one)
    const origin = new Map<string, { from: number; at: number | undefined }>();
    for (const d of scope.declarations) for (const n of d.statement.kind === "declare" ? d.statement.names : []) origin.set(n.name, { from: d.from, at: d.offset });
    for (const d of definitions) origin.set(d.name, { from: d.from, at: d.at });
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
            : `\`${name}\` (line ${this.report.position(def.at).line}) was defined with the \`${newer}\` of before line ${where === undefined ? "?" : this.report.position(where).line}, which is defined again there: define \`${name}\` again below it`,
        );
        continue;
      }
      if (bad) {
        this.fail(def, new MatcalcError(broken.get(bad)!, undefined, def.source, "name"));
        continue;
      }
      if (uses.includes(name) || uses.some((u) => parsed.has(u) && !ctx.symbols.get(u)?.definition && order.indexOf(u) > order.indexOf(name))) {
        this.fail(def, new MatcalcError(`\`${name}\` is defined in terms of itself`, expr.span, def.source, "name"));
        continue;
      }
      try {
        // `G = ∂L/∂K`: the derivative's value (everything it uses is defined by now)
        const value = postorder(expr).some((n) => n.op === "call" && n.fn === "grad") ? this.derivatives.resolve(expr, def.source).expr : expr;
        addDefinition(ctx, name, value, def.source);
      } catch (err) {
        this.fail(def, err);
      }
    }
  }

  private parsedOrUndefined(d: Definition, parse: (d: Definition) => Expr): Expr | undefined {
    try {
      return parse(d);
    } catch {
      return undefined;
    }
  }

  private fail(d: Definition, err: unknown): void {
    const reason = messageOf(err);
    // what a line that uses it is told
    this.broken.set(d.name, `uses \`${d.name}\`, whose definition cannot be read`);
    if (d.offset === undefined) throw err instanceof MatcalcError ? err : new MatcalcError(reason, undefined, d.source);
    const at = err instanceof MatcalcError && err.span && err.source === d.source ? d.offset + err.span.start : d.at;
    this.report.cannotRead({ text: d.body?.text ?? d.source, start: d.body ? d.body.start : d.offset }, `definition of ${d.name}: ${reason}`, at);
  }

  /** Phase C: the claims of one chain, each step against the last readable one before it. */
  checkChain(c: Chain): void {
    const { report } = this;
    const values = c.segments.map((seg, i) => this.valueOf(c, seg, i));
    let prev: number | undefined;
    let root: number | undefined;
    let wrongAt: number | undefined;
    // a chain whose first expression cannot be read: its later steps are compared with one
    // another, but none is known to hold, so none is `ok`
    const unreadFirst = values[0] === undefined && !(c.defines !== undefined && this.broken.has(c.defines)) ? report.position(c.segments[0]!.start).line : undefined;
    for (let i = 0; i < c.segments.length; i++) {
      const v = values[i];
      if (!v) continue;
      const seg = c.segments[i]!;
      if (prev === undefined) {
        if ("illFormed" in v) report.cannotRead(seg, v.illFormed);
        else prev = root = i;
        continue;
      }
      const a = values[prev] as Read;
      const step = this.step(c, prev, i);
      if ("illFormed" in v) {
        // it has no value: the next step is checked against the one before it, and carries
        // only what that one carried
        const expected = show(simplified(a.expr, this.ctx), this.ctx);
        report.claims.push({ ...step.at, text: step.text, verdict: "wrong", how: "shapes", against: step.againstLine, reason: `this expression is not well formed: ${v.illFormed}`, expected });
        continue;
      }
      let d;
      try {
        d = this.equality.decide(a.expr, v.expr);
      } catch (err) {
        d = { equal: undefined, how: messageOf(err) };
      }
      if (d.equal === undefined) report.cannotRead(seg, `cannot be decided: ${d.how}`);
      else if (d.equal) {
        const carries =
          wrongAt !== undefined
            ? `follows from line ${step.againstLine}, but carries the error of line ${wrongAt}`
            : unreadFirst !== undefined
              ? `follows from line ${step.againstLine}, but the chain starts at line ${unreadFirst} with an expression that could not be read, so it is not known to hold`
              : undefined;
        report.claims.push({ ...step.at, text: step.text, verdict: carries ? "carried" : "ok", how: d.how, against: step.againstLine, ...(carries ? { reason: carries } : {}) });
      } else {
        const fromDerivative = prev === root && isDerivative(c.segments[root!]!, a);
        report.claims.push({ ...step.at, text: step.text, ...this.wrong(d, a, v, { ...step, fromDerivative }) });
        // is the error still there? (a later step may undo it)
        const back = safely(() => this.equality.decide((values[root!] as Read).expr, v.expr));
        wrongAt = back?.equal === true ? undefined : step.at.line;
      }
      prev = i;
    }
  }

  /**
   * The step from a chain's expression prev to its expression i: `A = B` written on one line is
   * one claim at A; later steps are claims at their `= …`.
   */
  private step(c: Chain, prev: number, i: number): { at: { line: number; column: number }; text: string; before: Piece; whole: boolean; againstLine: number } {
    const { report } = this;
    const [before, seg] = [c.segments[prev]!, c.segments[i]!];
    const againstLine = report.position(before.start).line;
    const whole = prev === 0 && i === 1 && report.position(seg.start).line === againstLine;
    const text = whole ? `${report.shown(before)} = ${report.shown(seg)}` : `= ${report.shown(seg)}`;
    return { at: report.position(whole ? before.start : seg.start), text, before, whole, againstLine };
  }

  /** A chain's i-th expression, read; none when it cannot be (and is reported so). */
  private valueOf(c: Chain, seg: Piece, i: number): Value | undefined {
    // the body of a definition that cannot be read: already reported with the definition
    if (i === 0 && c.defines !== undefined && this.broken.has(c.defines)) return undefined;
    let parsed: Expr | undefined;
    try {
      parsed = parseSide(this.asWritten(seg.text), new Set(this.ctx.symbols.keys()));
      const bad = [...symbols(parsed)].find((n) => this.broken.has(n));
      if (bad) throw new MatcalcError(this.broken.get(bad)!, undefined, seg.text, "name");
      const differential = differentialIn(parsed, this.ctx);
      if (differential)
        throw new MatcalcError(`not supported: the differential \`${seg.text.slice(differential.start, differential.end)}\`; write the derivative instead (∂f/∂X = …), or d·${seg.text.slice(differential.start + 1, differential.end).trim()} for a product`, differential, seg.text, "unsupported");
      const r = this.derivatives.resolve(parsed, seg.text);
      return { expr: r.expr, derivative: r.derivatives > 0, jacobian: r.jacobian, parsed };
    } catch (err) {
      // shapes that do not fit, where every shape is declared or defined: the student's error
      if (err instanceof MatcalcError && err.category === "shape" && parsed && [...symbols(parsed)].every((n) => this.ctx.symbols.get(n)?.declared || this.ctx.symbols.get(n)?.dimension))
        return { illFormed: err.message };
      const note = matrixNote(seg.text);
      const at = !note && err instanceof MatcalcError && err.span && err.source === seg.text ? seg.start + err.span.start : seg.start;
      this.report.cannotRead(seg, note ?? messageOf(err), at);
      return undefined;
    }
  }

  /** A wrong step, explained: why, the difference, the expression that would have been right, the slip. */
  private wrong(
    d: Extract<Decision, { equal: false }>,
    a: Read,
    v: Read,
    step: { at: { line: number }; before: Piece; fromDerivative: boolean; whole: boolean; againstLine: number },
  ): Omit<ClaimReport, "line" | "column" | "text"> {
    const { ctx, equality } = this;
    const before = this.report.shown(step.before);
    // a Jacobian written in the other (denominator) layout
    const transposed = step.fromDerivative && a.jacobian && safely(() => equality.decide(transpose(a.expr), v.expr))?.equal === true;
    const reason = transposed
      ? `this is the transpose of ${before}: a Jacobian is laid out J_ij = ∂y_i/∂x_j (numerator layout, NOTATION.md), so this is the denominator layout`
      : step.fromDerivative
      ? `this is not ${before}`
      : step.whole
        ? "the two sides differ"
        : step.againstLine === step.at.line
          ? "does not follow from the expression before this `=`"
          : `does not follow from line ${step.againstLine}`;
    const diff = d.shapes ? undefined : difference(a.expr, v.expr, ctx);
    const fix = d.shapes || v.derivative ? undefined : safely(() => correction(a.expr, v.expr, diff, ctx, equality));
    const expected = fix ? fix.expr : simplified(a.expr, ctx);
    return {
      verdict: "wrong",
      how: d.how,
      against: step.againstLine,
      reason,
      ...(diff ? { difference: show(diff, ctx) } : {}),
      expected: show(expected, ctx),
      ...(fix ? { slip: fix.slip } : {}),
      ...(d.counterexample ? { counterexample: counterexampleReport(d.counterexample) } : {}),
    };
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
interface Application {
  /** `L(w)`, capturing L as written. */
  readonly application: RegExp;
  /** `\nabla L(w)` of a function of one argument: ∇, L and w as written. */
  readonly gradient: RegExp;
}

function functionStyle(p: Piece, names: ReadonlySet<string>): ({ name: string } & Application) | undefined {
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
  const oneArgument = args.length === 1 ? flexible(args[0]!).replace(/\[\\s\}\]\*$/, "") : "(?!)";
  const nabla = "(?:\\\\nabla(?![A-Za-z])|∇)";
  const gradient = new RegExp(`(${nabla}(?:\\s*${nabla}|\\s*\\^\\s*\\{?\\s*2\\s*\\}?|²)?)(?!\\s*_)\\s*(${flexible(head)})\\s*(?:\\\\left\\s*)?\\(\\s*(${oneArgument}[\\s}]*?)\\s*(?:\\\\right\\s*)?\\)`, "gu");
  return { name, application, gradient };
}

/**
 * `df`, `d\mathbf{r}`, `dW^\top`: a d written against a name that is declared or defined, where
 * d itself is not a declared symbol. A differential, which a product d·r would misread (and
 * judge wrong): its span, or undefined. A dimension d counts too: 2dXᵀXw may be either, and is
 * refused rather than guessed (d·X or 2d XᵀXw reads as the product).
 */
function differentialIn(e: Expr, ctx: Context): Span | undefined {
  const d = ctx.symbols.get("d");
  if (d?.declared && !d.dimension) return undefined;
  const rightmost = (x: Expr): Expr => (x.op === "mul" ? rightmost(x.args[1]!) : x);
  const leftmost = (x: Expr): Expr => (x.op === "mul" ? leftmost(x.args[0]!) : x.op === "transpose" ? leftmost(x.args[0]!) : x);
  let found: Span | undefined;
  anyNode(e, (n) => {
    if (n.op !== "mul") return false;
    const a = rightmost(n.args[0]!);
    const b = leftmost(n.args[1]!);
    const named = b.op === "sym" && b.name !== "d" && (ctx.symbols.get(b.name!)?.declared ?? false) && !ctx.symbols.get(b.name!)?.dimension;
    if (a.op === "sym" && a.name === "d" && named && a.span && b.span && a.span.end === b.span.start) found = { start: a.span.start, end: b.span.end };
    return found !== undefined;
  });
  return found;
}

/** The names a declaration declares, with its named dimensions. */
function declaredBy(d: Declaration): string[] {
  const dims = d.shape.kind === "scalar" ? [] : d.shape.kind === "vector" ? [d.shape.rows] : [d.shape.rows, d.shape.cols];
  return [...d.names.map((n) => n.name), ...dims.filter((x): x is string => typeof x === "string")];
}

/** `\mathbf{x}`, `\boldsymbol\mu`, `\bm{\delta}` written as x, μ, δ (fonts do not make names). */
function withoutFonts(text: string): string {
  return text.replace(/\\(?:mathbf|boldsymbol|bm|bold|mathit|vec)\s*(?:\{\s*(\\?[A-Za-z]+)\s*\}|(\\[A-Za-z]+|[A-Za-z]))/g, (_, a: string | undefined, b: string | undefined) => ` ${a ?? b}`);
}

/**
 * A declaration in prose, with the properties its sentence gives it: symmetric, spd or diagonal
 * for a square matrix; "one-hot" is `sum(y) = 1` for each vector it declares (where a name is
 * not a column vector, the constraint is prose and dropped).
 */
function withProperties(d: Declaration, properties: readonly string[]): Stated[] {
  if (properties.includes("sums to one"))
    return [d, ...d.names.map((n): Stated => ({ kind: "constrain", names: [n], property: "sums to one", span: d.span }))];
  const square = d.shape.kind === "matrix" && d.shape.rows === d.shape.cols;
  if (!properties.length || !square) return [d];
  return [{ ...d, properties: [...new Set([...d.properties, ...(properties as Declaration["properties"])])] }];
}

function addDeclaration(ctx: Context, s: Stated): void {
  if (s.kind === "constrain") return constrain(ctx, s);
  // a later declaration of a name replaces an earlier one (a section's own over the preamble's)
  for (const { name } of s.names) ctx.symbols.delete(name);
  const shape = declaredShape(s);
  for (const { name } of s.names) ctx.symbols.set(name, { name, shape, properties: new Set(s.properties), declared: true });
  for (const d of shape) if (typeof d === "string") declareDimension(ctx, d);
}

function addDefinition(ctx: Context, name: string, expr: Expr, source: string): void {
  const known = ctx.symbols.get(name);
  if (known?.declared) throw new MatcalcError(`\`${name}\` is already declared`, expr.span, source, "name");
  // homework writes h ⊙ (1 − h) for h ⊙ (𝟙 − h) in its definitions as in its claims, and σ′(z)
  define(ctx, name, withDerivativesWrittenOut(inferShapes(expr, ctx, source, { broadcast: true }).expr, ctx, source), source);
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
