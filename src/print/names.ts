import type { Format } from "../functions/spec.js";

import { GREEK } from "../greek.js";


const PYTHON_KEYWORDS = new Set(["lambda", "in", "is", "if", "or", "and", "not", "as", "def", "del", "for", "try", "with", "from", "pass", "None", "True", "False"]);

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
      // λ's ASCII name is a Python keyword: the parameter is lambda_.
      const ascii = (greek ?? base) + (sub === undefined ? "" : `_${sub}`);
      return PYTHON_KEYWORDS.has(ascii) ? `${ascii}_` : ascii;
    }
  }
}

function splitName(name: string): [string, string | undefined] {
  const i = name.indexOf("_");
  return i < 0 ? [name, undefined] : [name.slice(0, i), name.slice(i + 1)];
}
