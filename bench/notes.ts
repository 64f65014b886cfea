// Notes on targets, written by hand from the measurements (bench/RESULTS.md shows each next to
// its target). A note is a function of the target's outcome, so it can speak to a PASS or a MISS.

interface Outcome {
  readonly verdict: "PASS" | "MISS" | "N/A";
  readonly figure: string;
}

export const NOTES: Record<string, (t: Outcome) => string | undefined> = {};
