// Shared by the check tests: reading files of the repository, the verdict markers of the
// derivation corpus, and running the built command line.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type FileReport, checkText } from "../../src/index.js";
import { ROOT } from "../helpers.js";

export { ROOT };


export const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

export function check(path: string, where?: string): FileReport {
  return checkText(read(path), { file: path, where });
}

export function filesIn(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((f) => /\.(mc|tex|md)$/.test(f))
    .sort()
    .map((f) => `${dir}/${f}`);
}

export interface Marker {
  readonly line: number;
  readonly verdict: "wrong" | "carried";
  /** For a wrong step: the kind of planted error (sign, transpose, order, factor, term, trace, symmetric, inverse). */
  readonly kind?: string;
}

/** `#! wrong sign`, `%! carried` at the end of a line: the expected verdict of that line's step. */
export function markers(text: string): Marker[] {
  const out: Marker[] = [];
  text.split("\n").forEach((l, i) => {
    const m = /[#%]!\s*(wrong|carried)\s*([a-z]*)/.exec(l);
    if (m) out.push({ line: i + 1, verdict: m[1] as "wrong" | "carried", kind: m[2] || undefined });
  });
  return out;
}

export { CLI, matcalc } from "../helpers.js";
