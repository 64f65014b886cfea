import type { Format } from "../functions/spec.js";

import { GREEK } from "../greek.js";
import { COMBINING, LETTERLIKE, nameParts } from "../syntax/names.js";


const PYTHON_KEYWORDS = new Set(["lambda", "in", "is", "if", "or", "and", "not", "as", "def", "del", "for", "try", "with", "from", "pass", "None", "True", "False"]);

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
      // λ's ASCII name is a Python keyword: the parameter is lambda_.
      return format === "numpy" && PYTHON_KEYWORDS.has(ascii) ? `${ascii}_` : ascii;
    }
  }
}
