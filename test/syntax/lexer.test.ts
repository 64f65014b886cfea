// lex() tries at each position only the rules that can begin with its character: its tokens must
// be moo's, from the same rules, on every text.
import fc from "fast-check";
import moo from "moo";
import { describe, expect, it } from "vitest";
import { RULES, lex } from "../../src/syntax/lexer.js";
import { PROBLEMS } from "../corpus/problems.js";

const reference = moo.compile(RULES);
const mooTokens = (text: string) => {
  reference.reset(text);
  return [...reference].map((t) => ({ type: t.type, text: t.text, start: t.offset, end: t.offset + t.text.length }));
};

// Characters of every rule, and their neighbours: marks after letters, superscripts in runs,
// literals that begin longer ones (`:=`, `||`, `.*`, `⁻ᵀ`), LaTeX commands, characters outside the BMP.
const ALPHABET = [
  ..."aAxXzZ09.,;:=|‖∥∣^_{}()[]⟨⟩〈〉\\\"'′’#%*+-−/·⋅×∙⊙∘⊘⊗~∂∇√ℝ∈≔∶ \t\n\r\u00a0\u2009",
  ..."αβΣλωϵϑ",
  ..."ᵀ⁻⁺¹²³⁰ⁿᵐˣᵢⱼ₁₂ₙ½⅓¾ŷâēñ",
  "\u0302", "\u0303", "\u0304", "\u0305",
  "𝟙", "ℓ", "ℒ", "𝒳", "𝐱", "😀",
  "\\mathbf{x}", "\\frac12", "\\alpha", "\\operatorname{tr}", "\\,", "^{-1}", "^T", "_{ij}", "\\top", ":=", "⁻ᵀ", "⁻¹", "x̂", "W1", "x2.5",
];

describe("lexer", () => {
  it("gives moo's tokens for every spelling of the corpus", () => {
    for (const p of PROBLEMS)
      for (const text of [...Object.values(p.spellings), p.where ?? ""]) expect(lex(text), text).toEqual(mooTokens(text));
  });

  it("gives moo's tokens for random strings of the rules' characters", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 24 }), (pieces) => {
        const text = pieces.join("");
        expect(lex(text)).toEqual(mooTokens(text));
      }),
      { numRuns: 5000 },
    );
  });
});
