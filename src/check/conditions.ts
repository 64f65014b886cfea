// "If $A$ is symmetric, this becomes $$∇f = 2Ax$$", "since $A = A^\top$", "$$∇f = 2Ax \quad
// \text{if } A = A^\top$$": a step that holds under a condition its sentence (or its note)
// states. Judged without the condition it would be called wrong, so the condition is read: a
// property of a declared matrix (symmetric, positive definite, diagonal) is assumed for that
// step; a property every random instance has anyway (invertible) changes nothing; any other
// condition (WᵀW = I, x > 0, "orthogonal") leaves the step unread, with the reason.

import type { Property } from "../ast.js";

/** What a step's sentence asks to assume. */
export type Condition =
  | { readonly kind: "assume"; readonly names: readonly string[]; readonly property: Property; readonly said: string }
  | { readonly kind: "generic" }
  | { readonly kind: "unread"; readonly reason: string };

/** A word that makes what follows conditional. "for" only before a property: "for symmetric $A$". */
const CONDITION_WORD = /\b(?:if|when|whenever|assuming|assume|suppose|provided(?: that)?|in the case|for (?=(?:(?:an?|any|every|all)\s+)?(?:square\s+)?(?:symmetric|positive|spd|diagonal|invertible|nonsingular|non-singular|orthogonal)\b))/i;

/**
 * A word that states a fact the step relies on: "since $A$ is symmetric", "…, where $A$ is
 * symmetric" is read like a condition when it states a property, and is otherwise a
 * justification ("since tr(AB) = tr(BA)") or a definition ("where $u = Wx$").
 */
const BECAUSE_WORD = /\b(?:since|because|as|given that|where)\b/i;

/** "if we let $u = Wx$", "when we differentiate": the word does not state a condition. */
const NOT_A_CONDITION = /^\s*(?:we|one|you|I)\s+(?:now\s+|then\s+)?(?:let|define|denote|write|set|substitute|differentiate|take|apply|use|expand|compute|plug|rewrite|collect|simplify|look|note|see|want|need|do)\b/i;

const PROPERTIES: readonly { readonly words: RegExp; readonly property: Property | "generic" }[] = [
  { words: /\bsymmetric\s+positive[- ]definite\b|\bpositive[- ]definite\b|\bSPD\b|\bs\.p\.d\.?/i, property: "spd" },
  { words: /\bsymmetric\b/i, property: "symmetric" },
  { words: /\bdiagonal\b/i, property: "diagonal" },
  { words: /\binvertible\b|\bnon-?singular\b|\bfull[- ]rank\b|\bhas an inverse\b/i, property: "generic" },
];

/** A negated property ("not symmetric", "non-symmetric", "not necessarily diagonal"). */
const NEGATED = /\b(?:not|non)\b[-\s]*(?:necessarily\s+)?(?:symmetric|positive|diagonal|invertible|spd)/i;

/**
 * The condition a sentence states, or undefined when it states none. `nameOf` reads one name
 * from math as written (undefined when the text is not exactly one declared matrix's name).
 */
export function readCondition(sentence: string, nameOf: (math: string) => string | undefined): Condition | undefined {
  const conditional = CONDITION_WORD.exec(sentence);
  const word = conditional ?? BECAUSE_WORD.exec(sentence);
  if (!word) return undefined;
  const rest = sentence.slice(word.index + word[0].length);
  if (NOT_A_CONDITION.test(rest)) return undefined;
  const said = `${word[0]}${rest}`.replace(/\s+/g, " ").replace(/[\s,:;]+$/, "").trim();
  const unread: Condition = { kind: "unread", reason: `a step under a condition ("${clip(said)}") is not checked: that condition is not read` };
  const maths = [...rest.matchAll(/\$([^$]*)\$/g)].map((m) => m[1]!.trim());
  const symmetric = maths.length === 1 ? symmetricByEquation(maths[0]!, nameOf) : undefined;
  if (symmetric !== undefined) return { kind: "assume", names: [symmetric], property: "symmetric", said };
  const property = PROPERTIES.find((p) => p.words.test(rest));
  if (!conditional && !property) return undefined;
  if (property) {
    if (NEGATED.test(rest)) return unread;
    if (property.property === "generic") return { kind: "generic" };
    // the names are the math of the sentence, or a bare letter ("if A is symmetric")
    const written = maths.length ? maths.flatMap((m) => m.split(/\s*,\s*|\s+(?:and|\\text\s*\{\s*and\s*\})\s+/)) : [...rest.matchAll(/(?<![\p{L}\\])([A-Z])(?![\p{L}])/gu)].map((m) => m[1]!);
    const names = written.map(nameOf);
    if (!names.length || names.some((n) => n === undefined)) return unread;
    return { kind: "assume", names: names as string[], property: property.property, said };
  }
  // a condition word with nothing read after it that could be a condition: prose ("when we …")
  if (!maths.length && !/\b(?:orthogonal|zero|identity|positive|negative|equal|square)\b/i.test(rest)) return undefined;
  return unread;
}

/** "$A = A^\top$", "$A^T = A$": the name of the matrix said to be symmetric, written as an equation. */
function symmetricByEquation(math: string, nameOf: (math: string) => string | undefined): string | undefined {
  const sides = math.split("=");
  if (sides.length !== 2) return undefined;
  const [l, r] = sides.map((s) => s.trim()) as [string, string];
  const transposeOf = (t: string) => /^(.*?)\s*(?:\^\s*\{?\s*(?:T|\\top|\\intercal|\\mathsf\s*\{\s*T\s*\}|\\mathrm\s*\{\s*T\s*\})\s*\}?|'|ᵀ)$/.exec(t)?.[1]?.trim();
  for (const [name, other] of [[l, r], [r, l]] as const) {
    const inner = transposeOf(other);
    const n = nameOf(name);
    if (n !== undefined && inner !== undefined && nameOf(inner) === n) return n;
  }
  return undefined;
}

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
