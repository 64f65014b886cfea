// What a symbol's canonical name is made of, for names that carry a mark: ŷ \hat{y}, x̄
// \bar{x}, x̃ \tilde{x}, x′ x^{\prime}, ℓ \ell, ℒ \mathcal{L}. A mark makes a new symbol (ŷ is
// not y); a font does not (\mathbf{x} is x). The canonical name is one letter, then the mark's
// word, then the subscript: "yhat", "μbar_1", "xprime". The words are what ASCII prints, so
// that `yhat` reads back as ŷ wherever ŷ is known; Unicode and LaTeX print the marks.

export type Mark = "hat" | "bar" | "tilde" | "prime";
const MARKS: readonly Mark[] = ["hat", "bar", "tilde", "prime"];

/** Combining characters of the marks Unicode writes on the letter (the prime follows it). */
export const COMBINING: Readonly<Record<Exclude<Mark, "prime">, string>> = { hat: "\u0302", tilde: "\u0303", bar: "\u0304" };
const MARK_OF_COMBINING: Readonly<Record<string, Mark>> = { "\u0302": "hat", "\u0303": "tilde", "\u0304": "bar", "\u0305": "bar" };

/** LaTeX decorations and the mark each makes. */
export const LATEX_MARKS: Readonly<Record<string, Mark>> = { hat: "hat", widehat: "hat", bar: "bar", overline: "bar", tilde: "tilde", widetilde: "tilde" };

/** ℓ, and script capitals (\mathcal{L} is ℒ): letters of their own, with ASCII words. */
const SCRIPT_HOLES: Readonly<Record<string, string>> = { B: "ℬ", E: "ℰ", F: "ℱ", H: "ℋ", I: "ℐ", L: "ℒ", M: "ℳ", R: "ℛ" };
export function scriptCapital(letter: string): string | undefined {
  if (!/^[A-Z]$/.test(letter)) return undefined;
  return SCRIPT_HOLES[letter] ?? String.fromCodePoint(0x1d49c + letter.charCodeAt(0) - 65);
}
/** Letter-like symbols → their ASCII word: ℓ "ell", ℒ "calL". */
export const LETTERLIKE: ReadonlyMap<string, string> = new Map([
  ["ℓ", "ell"],
  ...[..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((l): [string, string] => [scriptCapital(l)!, `cal${l}`]),
]);
/** The letter-like symbol an ASCII word names (`ell` → ℓ), read only as a whole word. */
export const LETTERLIKE_WORDS: ReadonlyMap<string, string> = new Map([...LETTERLIKE].map(([s, w]) => [w, s]));
/** A character class matching the letter-like symbols, for the lexer. */
export const LETTERLIKE_CLASS = [...LETTERLIKE.keys()].join("");

/** The name of `name` with a mark: before its subscript, `x_1` + prime = `xprime_1`. */
export function marked(name: string, mark: Mark): string {
  const i = name.indexOf("_");
  return i < 0 ? name + mark : `${name.slice(0, i)}${mark}${name.slice(i)}`;
}

/** A letter with a combining mark (`ŷ` decomposed, `x̄`) → its canonical name, or undefined. */
export function combinedName(text: string, greekLetter: (c: string) => string): string | undefined {
  const [letter, ...marks] = [...text.normalize("NFD")];
  if (!letter || marks.length !== 1) return undefined;
  const mark = MARK_OF_COMBINING[marks[0]!];
  return mark && marked(greekLetter(letter), mark);
}

/** The parts of a canonical name: `yhat_1` → letter y, mark hat, sub 1. */
export function nameParts(name: string): { base: string; mark?: Mark; sub?: string } {
  const i = name.indexOf("_");
  const head = i < 0 ? name : name.slice(0, i);
  const sub = i < 0 ? undefined : name.slice(i + 1);
  for (const mark of MARKS)
    if (head.endsWith(mark) && [...head].length === mark.length + 1) return { base: head.slice(0, -mark.length), mark, sub };
  return { base: head, sub };
}

/** The letter that decides an undeclared symbol's shape by NOTATION.md's convention (ŷ's is y). */
export const conventionLetter = (name: string): string => nameParts(name).base;
