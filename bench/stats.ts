// Small statistics for the benchmark: medians, maxima, log-log fits.

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function max(xs: readonly number[]): number {
  return xs.length ? Math.max(...xs) : NaN;
}

/** Least-squares slope of log y against log x (the exponent k of y ≈ c·xᵏ); NaN under 2 points. */
export function logLogSlope(points: readonly { x: number; y: number }[]): number {
  const ok = points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.y));
  if (ok.length < 2) return NaN;
  const xs = ok.map((p) => Math.log(p.x));
  const ys = ok.map((p) => Math.log(p.y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

/** Milliseconds, printed to a sensible precision. */
export function ms(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return "—";
  if (x < 0.1) return x.toFixed(3);
  if (x < 10) return x.toFixed(2);
  if (x < 1000) return x.toFixed(1);
  return x.toFixed(0);
}

export const fixed = (x: number | undefined, digits = 2): string =>
  x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits);
