// What the page asks the engine's worker, and what it answers: plain data (strings and numbers).
import type { Problem } from "./state.js";

/** A derivation's format; "auto": the opened file's extension, else a guess from the text. */
export type Format = "auto" | "plain" | "latex" | "markdown";

export type Request =
  | { readonly kind: "derive"; readonly problem: Problem }
  | { readonly kind: "check"; readonly text: string; readonly format: Format; readonly where?: string; readonly file?: string };

/** An input the engine cannot read: the command line's message, and the text it points into. */
export interface Failure {
  readonly kind: "failure";
  /** `line:column: what went wrong`, then the input line and a caret under the place (or only what went wrong). */
  readonly message: string;
  readonly source?: string;
  /** The command-line argument at fault (`--where`, `--wrt`), when it is not the expression. */
  readonly argument?: string;
}

export interface Answer {
  readonly kind: "answer";
  readonly latex: string;
  /** The left side, ∂/∂W or ∇²_x, in LaTeX. */
  readonly lhs: string;
  readonly numpy: string;
  readonly steps: string;
  /** How the answer compared with finite differences: instances that agreed (0 when unchecked). */
  readonly agreedAt: number;
  readonly notes: readonly string[];
}

export interface Row {
  readonly line: number;
  readonly column: number;
  readonly verdict: "ok" | "wrong" | "carried" | "unreadable";
  readonly text: string;
  readonly how: string;
  /** What the command line prints under the claim (difference, right expression, counterexample), unindented. */
  readonly details: string;
}

export interface Verdicts {
  readonly kind: "verdicts";
  /** How the derivation was read. */
  readonly format: Exclude<Format, "auto">;
  /** "4 steps, 3 ok, 1 wrong, 0 carried" */
  readonly summary: string;
  readonly ok: boolean;
  readonly rows: readonly Row[];
}

export type Response = Failure | Answer | Verdicts;
