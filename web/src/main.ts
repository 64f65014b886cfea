// The playground: the engine runs in this page (no server). Derive: the answer typeset as you
// type, checked against finite differences as the command line checks it, with its LaTeX, NumPy
// module and steps. Check: a derivation's claims, each with its verdict.
import "katex/dist/katex.min.css";
import "./style.css";
import katex from "katex";
import { EXAMPLES } from "../../src/examples.js";
import seed2e from "../../examples/seed-2e.md?raw";
import { type Field, clearError, showError } from "./alert.js";
import { Engine } from "./engine.js";
import type { Answer, Format, Verdicts } from "./protocol.js";
import { type Problem, type View, fromHash, hashOf } from "./state.js";
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
const answer = byId("answer");
const copyButtons = [byId<HTMLButtonElement>("copy-latex"), byId<HTMLButtonElement>("copy-numpy")];

let view: View = "derive";
const engine = new Engine();

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

function showAnswer(a: Answer): void {
  katex.render(a.lhs, lhs, { displayMode: true, throwOnError: true });
  katex.render(a.latex, formula, { displayMode: true, throwOnError: true });
  verdict.textContent = a.agreedAt ? `Checked: agrees with central finite differences of the expression at ${a.agreedAt} random instances.` : "Not checked numerically (see the note).";
  verdict.className = `verdict ${a.agreedAt ? "agrees" : ""}`;
  notes.replaceChildren(...a.notes.map((n) => Object.assign(document.createElement("li"), { textContent: n })));
  latexOut.textContent = a.latex;
  numpyOut.textContent = a.numpy;
  stepsOut.textContent = a.steps;
}

/** While the fields' answer is being derived, the previous one is shown dimmed and cannot be copied. */
function busy(on: boolean): void {
  answer.setAttribute("aria-busy", String(on));
  for (const button of copyButtons) button.disabled = on;
  if (on) verdict.textContent = "Deriving…";
}

async function update(): Promise<void> {
  const p = problem();
  writeHash();
  const fields: Field[] = [
    { label: "Expression", text: p.expr, element: expr },
    { label: "With respect to", text: p.wrt, element: wrt, argument: "--wrt" },
    { label: "Declarations", text: p.where, element: where, argument: "--where" },
  ];
  if (!p.expr.trim() || !p.wrt) {
    engine.forget("derive");
    busy(false);
    clearError(deriveError, fields);
    return clearAnswer(p.expr.trim() ? "Type the variable to differentiate by in “With respect to”." : "Type an expression to differentiate.");
  }
  busy(true);
  const response = await engine.ask({ kind: "derive", problem: p });
  if (!response) return; // the fields changed meanwhile
  busy(false);
  clearError(deriveError, fields);
  if (response.kind === "answer") return showAnswer(response);
  clearAnswer();
  if (response.kind === "failure") showError(deriveError, response, fields);
}

let pending: ReturnType<typeof setTimeout> | undefined;
function updateSoon(): void {
  // an answer still being derived is for what the fields held before: it is not shown
  engine.forget("derive");
  busy(true);
  clearTimeout(pending);
  pending = setTimeout(() => void update(), 150);
}
for (const field of [expr, wrt, where]) field.addEventListener("input", updateSoon);
order.addEventListener("change", () => void update());
byId("derive-form").addEventListener("submit", (e) => {
  e.preventDefault();
  void update();
});

byId("examples").append(
  ...EXAMPLES.map((ex) => {
    const button = Object.assign(document.createElement("button"), { type: "button", textContent: ex.title });
    button.addEventListener("click", () => {
      setProblem({ expr: ex.expression, wrt: ex.wrt, where: ex.where, order: 1 });
      void update();
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
/** The opened file's name (its extension tells its format), or none for a pasted text. */
let fileName: string | undefined;

async function check(): Promise<void> {
  const text = derivation.value;
  const declarations = checkWhere.value;
  const fields: Field[] = [
    { label: "Declarations for every step", text: declarations, element: checkWhere, argument: "--where" },
    { label: "Derivation", text, element: derivation },
  ];
  summary.textContent = "Checking…";
  verdicts.replaceChildren();
  const response = await engine.ask({ kind: "check", text, format: format.value as Format, where: declarations.trim() ? declarations : undefined, file: fileName });
  if (!response) return;
  clearError(checkError, fields);
  summary.textContent = "";
  if (response.kind === "verdicts") showVerdicts(response);
  else if (response.kind === "failure") showError(checkError, response, fields);
}

function showVerdicts(r: Verdicts): void {
  const read = { plain: "plain lines", latex: "LaTeX", markdown: "Markdown" }[r.format];
  summary.textContent = `${r.summary} (read as ${read})${r.ok ? ": every step holds." : "."}`;
  verdicts.replaceChildren(
    ...r.rows.map((row) => {
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

byId("check-button").addEventListener("click", () => void check());
byId("check-example").addEventListener("click", () => {
  derivation.value = seed2e;
  fileName = "seed-2e.md";
  format.value = "auto";
  void check();
});
byId<HTMLInputElement>("file").addEventListener("change", async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (!file) return;
  derivation.value = await file.text();
  fileName = file.name;
  format.value = "auto";
  void check();
});
derivation.addEventListener("input", () => {
  fileName = undefined;
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
  void update();
}
addEventListener("hashchange", load);
load();
