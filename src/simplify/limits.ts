/**
 * The limits under which an expression is simplified, in one place. Each makes the work end
 * whatever the input; a simplification that reaches one says so (its stop reason, shown to the
 * user as a note). The answer is right either way — every rewrite and every factoring keeps the
 * value, and the answer is checked against finite differences — but it may not be the shortest.
 * There is no time limit (egg's Runner has one): an answer must not depend on the machine's speed.
 */
export interface Limits {
  /**
   * Passes of the rewrites (rules/simplifications.ts) over the whole tree, until one changes
   * nothing. A rule's result is read by the rules again in the next pass, and no chain of the
   * rules needs more than a few; 12 ends a cycle of rules (A → B → A) should one be written.
   */
  readonly passes: number;
  /**
   * Rewrites applied to one node in one pass. Not a stop: a node that still changes is taken up
   * again by the next pass; the limit only keeps one pass's work proportional to the tree.
   */
  readonly rewritesPerNode: number;
  /**
   * Terms of a product of two sums in the normal form (fully expanded): past 400 the expansion
   * is abandoned and the answer keeps the unexpanded form. (Σ of 20)·(Σ of 20) is 400 terms; a
   * product of k binomials is 2ᵏ, so the limit is what keeps expansion from being exponential.
   */
  readonly expansionTerms: number;
  /**
   * Terms of one flat sum in the normal form: collecting a sum's like terms is linear, so it may
   * be longer than a product's expansion, but not without end.
   */
  readonly sumTerms: number;
  /**
   * Terms of (Σ Aᵢ) ⊙ (Σ Bⱼ) expanded into Σ Aᵢ ⊙ Bⱼ; past 16 the product stays one atom of the
   * normal form. Not a stop: the normal form is coarser (it may miss an equality), never wrong.
   */
  readonly bilinearTerms: number;
}

export const LIMITS: Limits = { passes: 12, rewritesPerNode: 8, expansionTerms: 400, sumTerms: 10_000, bilinearTerms: 16 };

/** The limits a simplification can stop at. */
export type StopReason = "passes" | "expansionTerms" | "sumTerms";

/** The limits a caller may lower or raise for one simplification (the normal form's are shared by a context's every simplification). */
export type RewriteLimits = Pick<Limits, "passes" | "rewritesPerNode">;

const STOPPED_AT: Record<StopReason, (limits: Limits) => string> = {
  passes: (l) => `its limit of ${l.passes} ${l.passes === 1 ? "pass" : "passes"} of the rewrites`,
  expansionTerms: (l) => `its limit of ${l.expansionTerms.toLocaleString("en")} terms in expanding a product`,
  sumTerms: (l) => `its limit of ${l.sumTerms.toLocaleString("en")} terms in a sum`,
};

/** One simplification's limits, and the ones it stopped at. */
export class Budget {
  readonly limits: Limits;
  // a budget is made for every share simplified, and most reach no limit: the set is made at the first
  private stops: Set<StopReason> | undefined;

  constructor(limits?: Partial<RewriteLimits>) {
    // without overrides, the limits are LIMITS
    this.limits = !limits || Object.keys(limits).length === 0 ? LIMITS : { ...LIMITS, ...limits };
  }

  stop(reason: StopReason): void {
    (this.stops ??= new Set()).add(reason);
  }

  get stopReasons(): readonly StopReason[] {
    return this.stops ? [...this.stops] : [];
  }

  /** A note per limit reached, for the user. */
  notes(): string[] {
    return this.stopReasons.map((r) => `simplification stopped at ${STOPPED_AT[r](this.limits)}: the answer is right but may not be the shortest.`);
  }
}
