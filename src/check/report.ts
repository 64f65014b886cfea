// Printing check reports: one file in full, many files as a table, JSON.
import { Matrix } from "ml-matrix";
import { formatMatrix } from "../numeric/compare.js";
import type { ClaimReport, CounterexampleReport, FileReport } from "./check.js";

/** A file that could not be checked at all (unreadable declarations, missing file). */
export interface FileError {
  readonly file: string;
  readonly error: string;
}

export type FileOutcome = FileReport | FileError;

export const isError = (o: FileOutcome): o is FileError => "error" in o;

export interface Tally {
  steps: number;
  ok: number;
  wrong: number;
  carried: number;
  unreadable: number;
}

export function tally(r: FileReport): Tally {
  const count = (v: string) => r.claims.filter((c) => c.verdict === v).length;
  return { steps: r.claims.length, ok: count("ok"), wrong: count("wrong"), carried: count("carried"), unreadable: r.unreadable.length };
}

/** One JSON line: {"file", "ok", "claims": [...], "unreadable": [...]} or {"file", "ok": false, "error"}. */
export function jsonLine(o: FileOutcome): string {
  return JSON.stringify(isError(o) ? { file: o.file, ok: false, error: o.error } : o);
}

const VERDICT_WIDTH = 9;

/** The full report of one file: every step with its verdict, details under wrong ones. */
export function fileReport(r: FileReport, options: { onlyProblems?: boolean } = {}): string {
  const out: string[] = [];
  const t = tally(r);
  out.push(`${r.file}: ${summaryWords(t)}`);
  const rows = [
    ...r.claims.map((c) => ({ line: c.line, column: c.column, claim: c as ClaimReport | undefined, unreadable: undefined as FileReport["unreadable"][number] | undefined })),
    ...r.unreadable.map((u) => ({ line: u.line, column: u.column, claim: undefined, unreadable: u })),
  ].sort((a, b) => a.line - b.line || a.column - b.column);
  const posWidth = Math.max(5, ...rows.map((x) => `${x.line}:${x.column}`.length));
  const indent = " ".repeat(2 + posWidth + 2 + VERDICT_WIDTH + 1);
  for (const row of rows) {
    const pos = `${row.line}:${row.column}`.padStart(posWidth);
    if (row.unreadable) {
      out.push(`  ${pos}  ${"unreadable".padEnd(VERDICT_WIDTH)} ${clip(row.unreadable.text)}`);
      out.push(`${indent}${row.unreadable.reason}`);
      continue;
    }
    const c = row.claim!;
    if (options.onlyProblems && c.verdict === "ok") continue;
    out.push(`  ${pos}  ${c.verdict.padEnd(VERDICT_WIDTH)} ${clip(c.text)}${c.verdict === "wrong" ? "" : `   [${c.how}]`}`);
    if (c.verdict === "carried") out.push(`${indent}${c.reason}`);
    if (c.verdict !== "wrong") continue;
    out.push(`${indent}${c.reason}${c.difference ? `: the step is off by ${c.difference} (right side minus left side)` : ""}`);
    out.push(`${indent}right: ${c.expected}${c.slip ? `   (${c.slip})` : ""}`);
    if (c.counterexample) out.push(...counterexampleLines(c.counterexample, c.against, c.line).map((l) => indent + l));
    out.push(`${indent}[${c.how}]`);
  }
  return out.join("\n");
}

function summaryWords(t: Tally): string {
  const parts = [`${t.steps} step${t.steps === 1 ? "" : "s"}`, `${t.ok} ok`, `${t.wrong} wrong`, `${t.carried} carried`];
  if (t.unreadable) parts.push(`${t.unreadable} unreadable`);
  return parts.join(", ");
}

function clip(s: string, n = 100): string {
  const chars = [...s];
  return chars.length > n ? chars.slice(0, n - 1).join("") + "…" : s;
}

/** The two sides' values: "line 3 gives" when the left side is on an earlier line, "left side =" when it is on this one. */
function counterexampleLines(c: CounterexampleReport, against: number, line: number): string[] {
  const sizes = Object.entries(c.sizes);
  const out = [`counterexample${sizes.length ? ` with ${sizes.map(([d, n]) => `${d} = ${n}`).join(", ")}` : ""}:`];
  const scalars = Object.entries(c.values).filter(([, v]) => typeof v === "number");
  if (scalars.length) out.push("  " + scalars.map(([n, v]) => `${n} = ${formatMatrix(asMatrix(v))}`).join(", "));
  for (const [n, v] of Object.entries(c.values)) if (typeof v !== "number") out.push(...labelled(`  ${n} = `, asMatrix(v)));
  const [left, right] = against === line ? ["left side = ", "right side = "] : [`line ${against} gives `, "this line gives "];
  out.push(...labelled(`  ${left}`, asMatrix(c.left)));
  out.push(...labelled(`  ${right}`, asMatrix(c.right)));
  return out;
}

function asMatrix(v: number | number[][]): Matrix {
  return typeof v === "number" ? new Matrix([[v]]) : new Matrix(v);
}

function labelled(label: string, m: Matrix): string[] {
  const lines = formatMatrix(m).split("\n");
  const pad = " ".repeat([...label].length);
  return lines.map((l, i) => (i === 0 ? label : pad) + l);
}

/** The table of a class: one row per file, then the totals. */
export function summaryTable(outcomes: readonly FileOutcome[]): string {
  const header = ["file", "steps", "ok", "wrong", "carried", "unreadable"];
  const rows: string[][] = [];
  const total: Tally = { steps: 0, ok: 0, wrong: 0, carried: 0, unreadable: 0 };
  for (const o of outcomes) {
    if (isError(o)) {
      rows.push([o.file, "error", "", "", "", ""]);
      continue;
    }
    const t = tally(o);
    for (const k of Object.keys(total) as (keyof Tally)[]) total[k] += t[k];
    rows.push([o.file, ...[t.steps, t.ok, t.wrong, t.carried, t.unreadable].map(String)]);
  }
  const errors = outcomes.filter(isError).length;
  rows.push([`total (${outcomes.length} files${errors ? `, ${errors} not readable` : ""})`, ...[total.steps, total.ok, total.wrong, total.carried, total.unreadable].map(String)]);
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]!].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), ...rows.slice(0, -1).map(line), "-".repeat(widths.reduce((a, b) => a + b + 2, -2)), line(rows[rows.length - 1]!)].join("\n");
}
