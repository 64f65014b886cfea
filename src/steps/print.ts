// A worked solution printed as a derivation document (NOTATION.md, "Derivation files for
// check"): plain (Unicode or ASCII) with `#` comments, LaTeX as an align* block after `% let`
// lines with \text{} citations, or JSON (the same steps as data).
import { type Dim, type Expr, mapBottomUp, num, withArgs } from "../ast.js";
import type { SymbolInfo } from "../context.js";
import type { AdjointRule } from "../pattern/rule.js";
import { formatExpr } from "../print/expression.js";
import { symbolName } from "../print/names.js";
import { type Shape, factorsOf, isFreshDim, isScalar } from "../shapes/shape.js";
import type { Note, WorkedSolution } from "./solution.js";

export type SolutionFormat = "unicode" | "ascii" | "latex" | "json";

/** Comments start at this column or after the longest claim, whichever is less (then two spaces after). */
const COMMENT_COLUMN = 44;
/** Between a note's clauses: `; `, or where a plain line's comment may wrap. */
const CLAUSE = "\u0000";
/** Plain lines are wrapped (their comments continued on comment lines) to this width. */
const LINE_WIDTH = 100;

export function printSolution(ws: WorkedSolution, format: SolutionFormat): string {
  if (format === "json") return JSON.stringify(solutionData(ws));
  const parts = [printPart(ws, format)];
  for (let next = ws.next; next; next = next.next) parts.push(format === "latex" ? `\\section*{Its derivative}\n${printPart(next, format)}` : `---\n${printPart(next, format)}`);
  return parts.join("\n");
}

function printPart(ws: WorkedSolution, format: "unicode" | "ascii" | "latex"): string {
  const dims = dimensionNames(ws);
  const shape = (s: Shape) => showShape(s, dims);
  const expr = (e: Expr, f: "unicode" | "ascii" | "latex") => withAdjoints(formatExpr(e, f, ws.printing), ws, f);
  const rows: { left: string; right: string; note: string }[] = [];
  for (const d of ws.definitions)
    rows.push({ left: symbolName(d.name, format), right: `${format === "latex" ? "&" : ""}:= ${expr(d.body, format)}`, note: [format === "latex" && !isScalar(d.shape) ? `$${shape(d.shape).replace("×", " \\times ")}$` : shape(d.shape), ...(d.properties.has("symmetric") && !isScalar(d.shape) ? [", symmetric"] : [])].join("") });
  for (const c of ws.claims)
    c.steps.forEach((s, i) =>
      rows.push({
        left: i === 0 ? claimed(ws, c, format) : "",
        right: `${format === "latex" ? "&" : ""}= ${expr(s.expr, format)}`,
        note: noteText([...s.note, ...(s.note.length && s.rules.length ? [CLAUSE] : []), ...citations(s.rules)], ws, format, format === "latex" ? "; " : CLAUSE),
      }),
    );
  const declarations = declarationLine(ws.declared, dims, format);
  const remarks = ws.remarks.map((r) => `${format === "latex" ? "%" : "#"} ${noteText(r, ws, format === "latex" ? "unicode" : format)}`);
  if (format === "latex") {
    const body = rows.map((r, i) => `${r.left} ${r.right}${r.note ? ` && \\text{${r.note}}` : ""}${i < rows.length - 1 ? " \\\\" : ""}`);
    return [...remarks, ...(declarations ? [`% let ${declarations}`] : []), "\\begin{align*}", ...body, "\\end{align*}"].join("\n");
  }
  const indent = Math.max(...rows.map((r) => width(r.left)));
  const lines = rows.map((r) => `${r.left.padEnd(indent + r.left.length - width(r.left))} ${r.right}`);
  const column = Math.min(COMMENT_COLUMN, Math.max(...lines.map(width)));
  const out = lines.flatMap((l, i) => {
    if (!rows[i]!.note) return [l];
    if (width(l) + 4 + width(rows[i]!.note) <= LINE_WIDTH) return [`${l}${" ".repeat(Math.max(column - width(l), 0))}  # ${rows[i]!.note.replaceAll(CLAUSE, "; ")}`];
    const [first, ...more] = wrap(rows[i]!.note, Math.max(LINE_WIDTH - Math.max(column, width(l)) - 4, 30));
    return [`${l}${" ".repeat(Math.max(column - width(l), 0))}  # ${first}`, ...more.map((m) => `${" ".repeat(column)}  #   ${m}`)];
  });
  return [...remarks, ...(declarations ? [`let ${declarations}`] : []), ...out].join("\n");
}

/** ∂L/∂v, or ∂y/∂x · u for the chain rule of a Jacobian. */
function claimed(ws: WorkedSolution, c: WorkedSolution["claims"][number], format: "unicode" | "ascii" | "latex"): string {
  if (c.vec) {
    const [y, x] = [symbolName(c.numerator!, format), symbolName(c.of, format)];
    return format === "latex" ? `\\frac{\\partial \\operatorname{vec}(${y})}{\\partial \\operatorname{vec}(${x})}` : format === "ascii" ? `# dvec(${y})/dvec(${x})` : `∂vec(${y})/∂vec(${x})`;
  }
  const d = derivative(c.numerator ?? ws.loss, c.of, format);
  if (!c.seed) return d;
  const u = symbolName(c.seed, format);
  return format === "latex" ? `${d} \\cdot ${u}` : format === "ascii" ? `${d} * ${u}` : `${d} · ${u}`;
}

const width = (s: string) => [...s].length;

/** A note's clauses packed packed into lines of at most `room` characters where they fit. */
function wrap(note: string, room: number): string[] {
  const lines: string[] = [];
  for (const clause of note.split(CLAUSE)) {
    const last = lines.length ? lines[lines.length - 1]! : undefined;
    if (last !== undefined && width(last) + 2 + width(clause) <= room) lines[lines.length - 1] = `${last}; ${clause}`;
    else lines.push(clause);
  }
  return lines;
}

function derivative(loss: string, of: string, format: "unicode" | "ascii" | "latex"): string {
  const [l, v] = [symbolName(loss, format), symbolName(of, format)];
  if (format === "latex") return `\\frac{\\partial ${l}}{\\partial ${v}}`;
  return format === "ascii" ? `d${l}/d${v}` : `∂${l}/∂${v}`;
}

/** Placeholders of adjoints written as (∂L/∂K) in the chain rule. */
function withAdjoints(text: string, ws: WorkedSolution, format: "unicode" | "ascii" | "latex"): string {
  let out = text;
  for (const [p, node] of ws.adjoints) {
    const d = derivative(ws.loss, node, format);
    const [open, close] = format === "latex" ? ["\\left(", "\\right)"] : ["(", ")"];
    out = out === p ? d : out.replaceAll(open + p + close, open + d + close).replaceAll(p, open + d + close);
  }
  return out;
}

function noteText(note: Note, ws: WorkedSolution, format: "unicode" | "ascii" | "latex", clauses = "; "): string {
  return note
    .map((s) => {
      if (typeof s === "string") return format === "latex" ? latexText(s) : s;
      if ("expr" in s) {
        const alone = s.expr.op === "sym" ? ws.adjoints.get(s.expr.name!) : undefined;
        const e = alone ? derivative(ws.loss, alone, format) : withAdjoints(formatExpr(s.expr, format, ws.printing), ws, format);
        return format === "latex" ? `$${e}$` : e;
      }
      if ("adjoint" in s) return format === "latex" ? `$${derivative(ws.loss, s.adjoint, format)}$` : derivative(ws.loss, s.adjoint, format);
      const r = s.rule;
      if (format === "unicode") return r.statement;
      const [node, receives] = [patternText(r.node, format), patternText(r.receives, format)];
      return format === "latex" ? `$${node} \\to ${r.operand}\\colon ${receives}$` : `${node} -> ${r.operand}: ${receives}`;
    })
    .join("")
    .replaceAll(CLAUSE, clauses);
}

/** A rule's pattern in a format; its exponent metavariable k (α^k) printed through a number. */
function patternText(pattern: Expr, format: "ascii" | "latex"): string {
  const K = 987654321;
  const withNumber = mapBottomUp(pattern, (n) => (n.op === "pow" && n.args[1]!.op === "sym" ? withArgs(n, [n.args[0]!, num(K)]) : n));
  return formatExpr(withNumber, format).replaceAll(String(K), "k");
}

/** The rules in order, those of one source together: `AB → A: GBᵀ, AB → B: AᵀG (MC (37))`. */
function citations(rules: readonly AdjointRule[]): Note {
  const sources = [...new Set(rules.map((r) => r.source))];
  return sources.flatMap((source, i) => [
    ...(i ? [CLAUSE] : []),
    ...rules.filter((r) => r.source === source).flatMap((r, j) => [...(j ? [", "] : []), { rule: r }]),
    ` (${source})`,
  ]);
}

/** Prose inside \text{}: TeX's specials escaped, Unicode mathematics as inline math. */
function latexText(s: string): string {
  const special: Record<string, string> = { "&": "\\&", "%": "\\%", $: "\\$", "#": "\\#", _: "\\_", "{": "\\{", "}": "\\}", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}", "\\": "\\textbackslash{}" };
  return [...s].map((c) => special[c] ?? (UNICODE_MATH[c] ? `$${UNICODE_MATH[c]}$` : c)).join("");
}

const UNICODE_MATH: Record<string, string> = {
  "‖": "\\|", "²": "^2", "ᵀ": "^\\top", "⁻": "^{-}", "¹": "^1", "−": "-", "∂": "\\partial", "⊙": "\\odot", "⊘": "\\oslash", "⊗": "\\otimes",
  "σ": "\\sigma", "α": "\\alpha", "β": "\\beta", "Σ": "\\Sigma", "′": "'", "≠": "\\neq", "§": "\\S", "ᵢ": "_i", "ⱼ": "_j", "√": "\\surd", "𝟙": "\\mathbf{1}", "→": "\\to", "×": "\\times", "⟨": "\\langle", "⟩": "\\rangle", "½": "\\tfrac12",
};

/** Names for the dimensions the input leaves unnamed (tr(AX) with no declarations): letters no symbol uses. */
function dimensionNames(ws: WorkedSolution): Map<Dim, string> {
  const used = new Set(ws.ctx.symbols.keys());
  const names = new Map<Dim, string>();
  const letters = [..."nmpqrkdst"];
  const shapes = [...ws.declared.map((s) => s.shape), ...ws.definitions.map((d) => d.shape), ...ws.claims.map((c) => c.shape)];
  for (const s of shapes)
    for (const d of ws.ctx.dims.resolveShape(s))
      for (const f of factorsOf(d))
        if (isFreshDim(f) && !names.has(f)) {
          const name = letters.find((l) => !used.has(l)) ?? `n_${names.size + 1}`;
          used.add(name);
          names.set(f, name);
        }
  return names;
}

function showShape(s: Shape, dims: ReadonlyMap<Dim, string>): string {
  if (isScalar(s)) return "scalar";
  const dim = (d: Dim) => factorsOf(d).map((f) => dims.get(f) ?? String(f)).join("·");
  return s[1] === 1 ? dim(s[0]) : `${dim(s[0])}×${dim(s[1])}`;
}

/** `W: m×n, x: n, α, β: scalar, A: n×n symmetric, sum(y) = 1`, one group per shape and properties, in order. */
function declarationLine(declared: readonly SymbolInfo[], dims: ReadonlyMap<Dim, string>, format: "unicode" | "ascii" | "latex"): string {
  const groups = new Map<string, string[]>();
  for (const s of declared) {
    const [rows, cols] = s.shape;
    const shown = showShape([rows, cols], dims);
    const shape = format === "ascii" ? shown.replace("×", " x ") : shown;
    const kind = `${shape}${[...s.properties].filter((p) => p !== "sums to one").map((p) => ` ${p}`).join("")}`;
    const names = groups.get(kind) ?? [];
    names.push(symbolName(s.name, format === "latex" ? "unicode" : format));
    groups.set(kind, names);
  }
  const constraints = declared.filter((s) => s.properties.has("sums to one")).map((s) => `sum(${symbolName(s.name, format === "latex" ? "unicode" : format)}) = 1`);
  return [...[...groups].map(([kind, names]) => `${names.join(", ")}: ${kind}`), ...constraints].join(", ");
}

/** The steps as data: each claim with its rule, source and shape. */
function solutionData(ws: WorkedSolution): Record<string, unknown> {
  const dims = dimensionNames(ws);
  const spell = (e: Expr) => ({
    unicode: withAdjoints(formatExpr(e, "unicode", ws.printing), ws, "unicode"),
    latex: withAdjoints(formatExpr(e, "latex", ws.printing), ws, "latex"),
    ascii: withAdjoints(formatExpr(e, "ascii", ws.printing), ws, "ascii"),
  });
  return {
    remarks: ws.remarks.map((r) => noteText(r, ws, "unicode")),
    loss: symbolName(ws.loss, "unicode"),
    wrt: symbolName(ws.wrt, "unicode"),
    declarations: declarationLine(ws.declared, dims, "unicode"),
    definitions: ws.definitions.map((d) => ({ name: symbolName(d.name, "unicode"), ...spell(d.body), shape: showShape(d.shape, dims), introduced: d.introduced })),
    steps: ws.claims.flatMap((c) =>
      c.steps.map((s, i) => ({
        claim: `${i === 0 ? claimed(ws, c, "unicode") + " " : ""}= ${withAdjoints(formatExpr(s.expr, "unicode", ws.printing), ws, "unicode")}`,
        of: symbolName(c.of, "unicode"),
        continues: i > 0,
        ...spell(s.expr),
        shape: showShape(c.shape, dims),
        rule: s.rules.map((r) => r.statement),
        source: [...new Set(s.rules.map((r) => r.source))],
        note: noteText(s.note, ws, "unicode"),
      })),
    ),
    ...(ws.next ? { next: solutionData(ws.next) } : {}),
  };
}
