import type { Format } from "../functions/spec.js";

import { GREEK } from "../greek.js";
import { COMBINING, LETTERLIKE, nameParts } from "../syntax/names.js";


/**
 * Python's keywords, soft keywords, and the names a generated module itself uses (np, float, int):
 * a symbol spelled as one of them gets a trailing underscore (λ is lambda_).
 */
const PYTHON_RESERVED = new Set([
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
  "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
  "return", "try", "while", "with", "yield", "match", "case", "type", "np", "float", "int",
]);

const SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉";

/** A canonical symbol name ("α", "x_1", "W_ij", "Wenc", "yhat", "ℓ") in one output format. */
export function symbolName(name: string, format: Format): string {
  const { base, mark, sub } = nameParts(name);
  const greek = GREEK[base];
  const word = LETTERLIKE.get(base);
  switch (format) {
    case "unicode": {
      const subscript = sub === undefined ? "" : /^\d+$/.test(sub) ? [...sub].map((d) => SUBSCRIPT_DIGITS[+d]).join("") : `_${sub}`;
      const letter = mark === undefined ? base : mark === "prime" ? `${base}′` : base + COMBINING[mark];
      return letter + subscript;
    }
    case "latex": {
      const script = word?.startsWith("cal") ? `\\mathcal{${word.slice(3)}}` : word ? `\\${word}` : undefined;
      const b = script ?? (greek ? `\\${greek}` : base.length > 1 ? `\\mathrm{${base}}` : base);
      const m = mark === undefined ? b : mark === "prime" ? `${b}^{\\prime}` : `\\${mark}{${b}}`;
      return sub === undefined ? m : `${m}_{${sub}}`;
    }
    case "ascii":
    case "numpy": {
      const ascii = (word ?? greek ?? base) + (mark ?? "") + (sub === undefined ? "" : `_${sub}`);
      if (format === "ascii") return ascii;
      // λ's ASCII name is a Python keyword: the parameter is lambda_. A character Python does not
      // take in a name becomes _uXXXX (generated names all start with "_", user names never do).
      const spelled = ascii.replace(/[^A-Za-z0-9_]/gu, (c) => `_u${c.codePointAt(0)!.toString(16)}`);
      const name = spelled.startsWith("_") ? `sym${spelled}` : spelled;
      return PYTHON_RESERVED.has(name) ? `${name}_` : name;
    }
  }
}
