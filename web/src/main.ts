// The playground: the engine runs in this page (no server). Derive: the answer typeset as you
// type, checked against finite differences as the command line checks it, with its LaTeX, NumPy
// module and steps. Check: a derivation's claims, each with its verdict.
import "katex/dist/katex.min.css";
import "./style.css";
import katex from "katex";
import { type DerivationFormat, type DeriveResult, type FileReport, checkText, derive, fileReport, formatExpr, formatOf, numpyModule } from "../../src/index.js";
import { EXAMPLES } from "../../src/examples.js";
import seed2e from "../../examples/seed-2e.md?raw";
import { symbolName } from "../../src/print/names.js";
import { type Field, clearError, showError } from "./alert.js";
import { type Problem, type View, fromHash, hashOf } from "./state.js";
import { stepsText } from "./steps.js";
import { tabs } from "./tabs.js";

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const expr = byId<HTMLInputElement>("expr");
const wrt = byId<HTMLInputElement>("wrt");
const where = byId<HTMLTextAreaElement>("where");
const order = byId<HTMLSelectElement>("order");
const deriveError = byId("derive-error");
const lhs = byId("lhs");
const formula = byId("formula");
const verdict = byId("verdict");
const notes = byId("notes");
const latexOut = byId("latex");
const numpyOut = byId("numpy");
const stepsOut = byId("steps");
const copied = byId("copied");

let view: View = "derive";

function problem(): Problem {
  return { expr: expr.value, wrt: wrt.value.trim(), where: where.value, order: order.value === "2" ? 2 : 1 };
}

function setProblem(p: Problem): void {
  expr.value = p.expr;
  wrt.value = p.wrt;
  where.value = p.where;
  order.value = String(p.order);
}

function writeHash(): void {
  const hash = hashOf(problem(), view);
  if (location.hash !== hash) history.replaceState(null, "", hash);
}

// ---------------------------------------------------------------- Derive

function clearAnswer(hint = ""): void {
  lhs.replaceChildren();
  formula.replaceChildren();
  verdict.textContent = hint;
  notes.replaceChildren();
  for (const out of [latexOut, numpyOut, stepsOut]) out.textContent = "";
}

function showAnswer(p: Problem, r: DeriveResult): void {
  const latex = formatExpr(r.gradient, "latex", r.ctx);
  const variable = symbolName(r.wrt, "latex");
  katex.render(r.order === 2 ? `\\nabla^2_{${variable}} =` : `\\frac{\\partial}{\\partial ${variable}} =`, lhs, { displayMode: true, throwOnError: true });
  katex.render(latex, formula, { displayMode: true, throwOnError: true });
  const v = r.verification;
  verdict.textContent =
    v?.verdict === "agrees" ? `Checked: agrees with central finite differences of the expression at ${v.instances} random instances.` : "Not checked numerically (see the note).";
  verdict.className = `verdict ${v?.verdict ?? ""}`;
  notes.replaceChildren(...r.notes.map((n) => Object.assign(document.createElement("li"), { textContent: n })));
  latexOut.textContent = latex;
  numpyOut.textContent = numpyModule(r.expression, r.gradient, r.wrt, r.ctx, p.expr.trim(), { shape: r.shape, order: r.order });
  stepsOut.textContent = stepsText(r);
}

function update(): void {
  const p = problem();
  writeHash();
  const fields: Field[] = [
    { label: "Expression", text: p.expr, element: expr },
    { label: "With respect to", text: p.wrt, element: wrt },
    { label: "Declarations", text: p.where, element: where },
  ];
  clearError(deriveError, fields);
  if (!p.expr.trim()) return clearAnswer("Type an expression to differentiate.");
  if (!p.wrt) return clearAnswer("Type the variable to differentiate by in “With respect to”.");
  try {
    showAnswer(p, derive(p.expr, { wrt: p.wrt, where: p.where.trim() ? p.where : undefined, order: p.order }));
  } catch (err) {
    clearAnswer();
    showError(deriveError, err, fields);
  }
}

let pending: ReturnType<typeof setTimeout> | undefined;
function updateSoon(): void {
  clearTimeout(pending);
  pending = setTimeout(update, 150);
}
for (const field of [expr, wrt, where]) field.addEventListener("input", updateSoon);
order.addEventListener("change", update);
byId("derive-form").addEventListener("submit", (e) => {
  e.preventDefault();
  update();
});

byId("examples").append(
  ...EXAMPLES.map((ex) => {
    const button = Object.assign(document.createElement("button"), { type: "button", textContent: ex.title });
    button.addEventListener("click", () => {
      setProblem({ expr: ex.expression, wrt: ex.wrt, where: ex.where, order: 1 });
      update();
    });
    const item = document.createElement("li");
    item.append(button);
    return item;
  }),
);

async function copy(text: string, what: string, from: HTMLElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    copied.textContent = `${what} copied.`;
  } catch {
    // no clipboard here (a page opened from a file, say): select the text for Ctrl+C instead
    getSelection()?.selectAllChildren(from);
    copied.textContent = `${what} selected: press Ctrl+C (⌘C) to copy.`;
  }
}
byId("copy-latex").addEventListener("click", () => void copy(latexOut.textContent ?? "", "LaTeX", latexOut));
byId("copy-numpy").addEventListener("click", () => void copy(numpyOut.textContent ?? "", "NumPy module", numpyOut));

tabs(document.querySelector<HTMLElement>(".output-tabs")!);

// ---------------------------------------------------------------- Check

const derivation = byId<HTMLTextAreaElement>("derivation");
const format = byId<HTMLSelectElement>("format");
const checkWhere = byId<HTMLInputElement>("check-where");
const checkError = byId("check-error");
const summary = byId("check-summary");
const verdicts = byId("verdicts");
let fileName = "derivation";

/** A pasted text's format: a LaTeX document, display math in Markdown or LaTeX, or plain lines. */
function guessFormat(text: string): DerivationFormat {
  if (/\\documentclass|\\begin\s*\{document\}/.test(text)) return "latex";
  if (/\$\$|\\\[|\\begin\s*\{/.test(text)) return "markdown";
  return "plain";
}

function check(): void {
  const text = derivation.value;
  const declarations = checkWhere.value;
  const fields: Field[] = [
    { label: "Declarations for every step", text: declarations, element: checkWhere },
    { label: "Derivation", text, element: derivation },
  ];
  clearError(checkError, fields);
  summary.textContent = "";
  verdicts.replaceChildren();
  try {
    const chosen = format.value === "auto" ? guessFormat(text) : (format.value as DerivationFormat);
    showVerdicts(checkText(text, { file: fileName, format: chosen, where: declarations.trim() ? declarations : undefined }));
  } catch (err) {
    showError(checkError, err, fields);
  }
}

function showVerdicts(r: FileReport): void {
  summary.textContent = fileReport(r).split("\n")[0]!.slice(r.file.length + 2) + (r.ok && r.unreadable.length === 0 ? ": every step holds." : ".");
  const rows = [
    ...r.claims.map((c) => ({ line: c.line, column: c.column, verdict: c.verdict as string, text: c.text, how: c.how, details: details({ ...r, claims: [c], unreadable: [] }) })),
    ...r.unreadable.map((u) => ({ line: u.line, column: u.column, verdict: "unreadable", text: u.text, how: "", details: u.reason })),
  ].sort((a, b) => a.line - b.line || a.column - b.column);
  verdicts.replaceChildren(
    ...rows.map((row) => {
      const item = document.createElement("li");
      item.dataset.line = String(row.line);
      item.dataset.verdict = row.verdict;
      const head = document.createElement("p");
      const at = Object.assign(document.createElement("span"), { className: "position", textContent: `line ${row.line}:${row.column}` });
      const badge = Object.assign(document.createElement("strong"), { className: `badge ${row.verdict}`, textContent: row.verdict });
      const claim = Object.assign(document.createElement("code"), { textContent: row.text });
      head.append(at, " ", badge, " ", claim);
      if (row.how && row.verdict !== "wrong") head.append(Object.assign(document.createElement("small"), { textContent: ` [${row.how}]` }));
      item.append(head);
      if (row.details) item.append(Object.assign(document.createElement("pre"), { textContent: row.details, tabIndex: 0 }));
      return item;
    }),
  );
}

/** What the command line prints under a claim (the difference, the right expression, the counterexample), unindented. */
function details(oneClaim: FileReport): string {
  const lines = fileReport(oneClaim).split("\n").slice(2);
  const indent = Math.min(...lines.map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

byId("check-button").addEventListener("click", check);
byId("check-example").addEventListener("click", () => {
  derivation.value = seed2e;
  fileName = "seed-2e.md";
  format.value = "markdown";
  check();
});
byId<HTMLInputElement>("file").addEventListener("change", async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (!file) return;
  derivation.value = await file.text();
  fileName = file.name;
  format.value = formatOf(file.name);
  check();
});
derivation.addEventListener("input", () => {
  fileName = "derivation";
});

// ---------------------------------------------------------------- views and the link

const selectView = tabs(document.querySelector<HTMLElement>(".views")!, (tab) => {
  view = tab.id === "tab-check" ? "check" : "derive";
  writeHash();
});

function load(): void {
  const state = fromHash(location.hash);
  const ex = EXAMPLES[0];
  setProblem(state.problem ?? { expr: ex.expression, wrt: ex.wrt, where: ex.where, order: 1 });
  selectView(state.view === "check" ? "tab-check" : "tab-derive");
  update();
}
addEventListener("hashchange", load);
load();
