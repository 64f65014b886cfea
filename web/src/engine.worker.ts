// The engine, in a worker: a long derivation never freezes the page, and one that runs too long
// is stopped (web/src/engine.ts).
import { type DerivationFormat, type DeriveResult, type FileReport, MatcalcError, checkText, derive, fileReport, formatAnswer, formatOf, numpyModule, printSolution, workedSolution } from "../../src/index.js";
import { symbolName } from "../../src/print/names.js";
import type { Answer, Failure, Request, Response, Row, Verdicts } from "./protocol.js";

addEventListener("message", (e: MessageEvent<{ id: number; request: Request }>) => {
  const { id, request } = e.data;
  postMessage({ id, response: respond(request) });
});

function respond(request: Request): Response {
  try {
    if (request.kind === "check") {
      const format = request.format !== "auto" ? request.format : request.file ? formatOf(request.file) : guessFormat(request.text);
      return verdicts(checkText(request.text, { file: request.file ?? "derivation", format, where: request.where }), format);
    }
    const p = request.problem;
    return answer(derive(p.expr, { wrt: p.wrt, where: p.where.trim() ? p.where : undefined, order: p.order }), p.expr);
  } catch (err) {
    return failure(err);
  }
}

function answer(r: DeriveResult, text: string): Answer {
  const variable = symbolName(r.wrt, "latex");
  return {
    kind: "answer",
    latex: formatAnswer(r.gradient, "latex", r.ctx),
    lhs: r.order === 2 ? `\\nabla^2_{${variable}} =` : `\\frac{\\partial}{\\partial ${variable}} =`,
    numpy: numpyModule(r.expression, r.gradient, r.wrt, r.ctx, text.trim(), { shape: r.shape, order: r.order }),
    steps: stepsOrWhyNot(r),
    agreedAt: r.verification?.verdict === "agrees" ? r.verification.instances : 0,
    notes: r.notes,
  };
}

/** A pasted text's format: a LaTeX document, display math as in Markdown (or LaTeX), or plain lines. */
function guessFormat(text: string): DerivationFormat {
  if (/\\documentclass|\\begin\s*\{document\}/.test(text)) return "latex";
  if (/\$\$|\\\[|\\begin\s*\{/.test(text)) return "markdown";
  return "plain";
}

/**
 * The worked solution `matcalc derive --steps` prints (src/steps/), a derivation `check` accepts
 * claim by claim. Should it fail, the answer still stands and the Steps tab says why.
 */
function stepsOrWhyNot(r: DeriveResult): string {
  try {
    return printSolution(workedSolution(r), "unicode");
  } catch (err) {
    return `No worked solution for this one: ${failure(err).message}`;
  }
}

function verdicts(r: FileReport, format: DerivationFormat): Verdicts {
  const rows: Row[] = [
    ...r.claims.map((c) => ({ line: c.line, column: c.column, verdict: c.verdict, text: c.text, how: c.how, details: details({ ...r, claims: [c], unreadable: [] }) })),
    ...r.unreadable.map((u) => ({ line: u.line, column: u.column, verdict: "unreadable" as const, text: u.text, how: "", details: u.reason })),
  ].sort((a, b) => a.line - b.line || a.column - b.column);
  return { kind: "verdicts", format, summary: fileReport(r).split("\n")[0]!.slice(r.file.length + 2), ok: r.ok && r.unreadable.length === 0, rows };
}

/** The command line's lines under one claim, unindented. */
function details(oneClaim: FileReport): string {
  const lines = fileReport(oneClaim).split("\n").slice(2);
  const indent = Math.min(...lines.map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

/** The command line's wording (src/cli.ts) for each kind of failure. */
function failure(err: unknown): Failure {
  // the command line names the argument at fault (`--where 1:6: …`); the page names its field instead
  if (err instanceof MatcalcError)
    return { kind: "failure", message: new MatcalcError(err.message, err.span, err.source, err.category).format(), source: err.source, argument: err.argument };
  if (err instanceof RangeError && /call stack/i.test(err.message)) return { kind: "failure", message: "1:1: not supported: the expression is too deeply nested" };
  return { kind: "failure", message: `1:1: internal error: ${err instanceof Error ? err.message : String(err)} (please report this input)` };
}
