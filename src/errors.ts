/** UTF-16 offsets into the source text, end exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Every input problem (syntax, unknown name, shape clash, unsupported construct) is a
 * MatcalcError: the CLI prints it and exits 2; anything else is a bug.
 */
export class MatcalcError extends Error {
  constructor(
    message: string,
    readonly span?: Span,
    /** The text the span points into, for line:column and the caret. */
    readonly source?: string,
    /** "syntax" | "name" | "shape" | "ambiguous" (two readings fit: x² of a vector, xᵀx or x ⊙ x) | "unsupported" | "domain" */
    readonly category: string = "syntax",
    /** The command-line argument the source is (`--where`, `--wrt`), when it is not the expression. */
    readonly argument?: string,
  ) {
    super(message);
    this.name = "MatcalcError";
  }

  /**
   * First line "line:column: message" (after the argument's name when the source is one, such as
   * `--where 1:6:`), then the source line and a caret under the span. Without a source (a
   * usage error), no position.
   */
  format(): string {
    const argument = this.argument === undefined ? "" : `${this.argument} `;
    if (this.source === undefined) return this.argument === undefined ? this.message : `${this.argument}: ${this.message}`;
    // a problem with the input as a whole (a derivative with no matrix form) is under all of it
    const span = this.span ?? { start: 0, end: this.source.length };
    const { line, column, lineText } = locate(this.source, span.start);
    // A long line (a 10 kB expression) is shown as a window around the position.
    const chars = [...lineText];
    const from = chars.length > SHOWN ? Math.max(0, Math.min(column - 1 - SHOWN / 2, chars.length - SHOWN)) : 0;
    const shown = (from > 0 ? "…" : "") + chars.slice(from, from + SHOWN).join("") + (from + SHOWN < chars.length ? "…" : "");
    const at = column - 1 - from + (from > 0 ? 1 : 0);
    const width = Math.max(1, Math.min(span.end - span.start, SHOWN - (column - 1 - from)));
    const caret = " ".repeat(at) + "^".repeat(Math.max(1, Math.min(width, [...shown].length - at + 1)));
    return `${argument}${line}:${column}: ${this.message}\n  ${shown}\n  ${caret}`;
  }

  /** The same error, said to be about a command-line argument. */
  about(argument: string): MatcalcError {
    return new MatcalcError(this.message, this.span, this.source, this.category, argument);
  }
}

/** Characters of a long source line shown around an error's position. */
const SHOWN = 100;

/** "not supported: …" at a node: matcalc refuses rather than guesses. */
export function unsupported(message: string, at?: Span): MatcalcError {
  return new MatcalcError(`not supported: ${message}`, at, undefined, "unsupported");
}

/** 1-based line and column (in code points) of a UTF-16 offset. */
export function locate(source: string, offset: number): { line: number; column: number; lineText: string } {
  const before = source.slice(0, offset);
  const line = before.split("\n").length;
  const lineStart = before.lastIndexOf("\n") + 1;
  const lineEnd = source.indexOf("\n", lineStart);
  const lineText = source.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const column = [...source.slice(lineStart, offset)].length + 1;
  return { line, column, lineText };
}
