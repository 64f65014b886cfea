// The literals of the notation and their limits, in one place: numbers (exact, so at most 15
// digits), exponents and declared sizes. tokens.ts reads numbers and exponents, parse.ts sizes.

/** An exact decimal: "0.5" → 1/2; a message when it has too many digits to be exact. */
export function decimal(text: string): { n: number; d: number; int: boolean } | string {
  const [whole = "", frac = ""] = text.split(".");
  const n = Number((whole || "0") + frac);
  const d = 10 ** frac.length;
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d)) return tooManyDigits(text);
  let [a, b] = [n, d];
  while (b) [a, b] = [b, a % b];
  return { n: n / (a || 1), d: d / (a || 1), int: frac.length === 0 && text.indexOf(".") < 0 };
}

export const tooManyDigits = (text: string): string => `number \`${text}\` has too many digits`;

/** Exponents are rationals whose numerator and denominator are at most this in absolute value. */
export const LARGEST_EXPONENT = 1000;

/** A message when the exponent n/d (written `written`) is beyond LARGEST_EXPONENT. */
export const exponentTooLarge = (n: number, d: number, written: string): string | undefined =>
  Math.abs(n) > LARGEST_EXPONENT || d > LARGEST_EXPONENT
    ? `not supported: the exponent \`${written}\` is beyond ±${LARGEST_EXPONENT} (numerator and denominator)`
    : undefined;

/** Literal sizes past this are refused (x: 1000000000 would make every numeric check abort). */
export const LARGEST_SIZE = 100_000;

/** A declared size written as digits: its value, or a message. */
export function size(digits: string): number | string {
  const n = Number(digits);
  if (n === 0 || !Number.isSafeInteger(n)) return `a dimension must be a positive integer or a name, not ${digits}`;
  if (n > LARGEST_SIZE) return `not supported: a size of ${digits}: sizes go up to ${LARGEST_SIZE.toLocaleString("en")}`;
  return n;
}
