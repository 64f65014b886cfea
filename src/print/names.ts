import type { Format } from "../functions/spec.js";

import { GREEK } from "../greek.js";


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

/** A canonical symbol name ("α", "x_1", "W_ij", "Wenc") in one output format. */
export function symbolName(name: string, format: Format): string {
  const [base, sub] = splitName(name);
  const greek = GREEK[base];
  switch (format) {
    case "unicode": {
      const subscript = sub === undefined ? "" : /^\d+$/.test(sub) ? [...sub].map((d) => SUBSCRIPT_DIGITS[+d]).join("") : `_${sub}`;
      return base + subscript;
    }
    case "latex": {
      const b = greek ? `\\${greek}` : base.length > 1 ? `\\mathrm{${base}}` : base;
      return sub === undefined ? b : `${b}_{${sub}}`;
    }
    case "ascii":
      return (greek ?? base) + (sub === undefined ? "" : `_${sub}`);
    case "numpy": {
      // λ's ASCII name is a Python keyword: the parameter is lambda_. A character Python does not
      // take in a name becomes _uXXXX (generated names all start with "_", user names never do).
      const spelled = ((greek ?? base) + (sub === undefined ? "" : `_${sub}`)).replace(/[^A-Za-z0-9_]/gu, (c) => `_u${c.codePointAt(0)!.toString(16)}`);
      const ascii = spelled.startsWith("_") ? `sym${spelled}` : spelled;
      return PYTHON_RESERVED.has(ascii) ? `${ascii}_` : ascii;
    }
  }
}

function splitName(name: string): [string, string | undefined] {
  const i = name.indexOf("_");
  return i < 0 ? [name, undefined] : [name.slice(0, i), name.slice(i + 1)];
}
