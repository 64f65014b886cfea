// Arrays the engine's hot code reads in many places. V8 compiles such code for the kinds of array
// it has met: `xs.map(f)` gives a packed array in the interpreter and a holey one from optimized
// code, and a function compiled for one is thrown away on meeting the other (measured with
// --trace-deopt on a first pass over the corpus).

/** xs.map(f), as an array V8 keeps packed whichever tier runs it. */
export function mapped<T, U>(xs: readonly T[], f: (x: T, i: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) out.push(f(xs[i]!, i));
  return out;
}

/** The elements of xs in reverse order, mapped by f, packed (see `mapped`). */
export function reverseMapped<T, U>(xs: readonly T[], f: (x: T) => U): U[] {
  const out: U[] = [];
  for (let i = xs.length - 1; i >= 0; i--) out.push(f(xs[i]!));
  return out;
}

/** xs.map(f).join(separator), without the array between (whose kind, as for `mapped`, depends on the tier). */
export function joined<T>(xs: readonly T[], f: (x: T) => string, separator: string): string {
  if (xs.length === 0) return "";
  let out = f(xs[0]!);
  for (let i = 1; i < xs.length; i++) out += separator + f(xs[i]!);
  return out;
}
