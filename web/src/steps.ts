// The Steps tab. Until the library prints the worked solution `--steps` is growing into, this is
// what `matcalc derive --steps` prints today under the answer: each rule applied, with its source.
import { type DeriveResult, type Expr, formatExpr } from "../../src/index.js";
import { symbolName } from "../../src/print/names.js";

export function stepsText(r: DeriveResult): string {
  const show = (e: Expr) => formatExpr(e, "unicode", r.ctx);
  const out = [`steps (reverse accumulation, each rule with its source${r.layout === "gradient" ? "" : "; 𝒢 is a seed of the expression's shape"}):`];
  for (const s of r.steps) out.push(`  ${s.rule}   [${s.source}]`, `      at ${show(s.node)}: ${show(s.operand)} receives ${show(s.share)}`);
  if (r.identities.length) out.push("", `read off ${symbolName(r.wrt, "unicode")}'s share, linear in the seed 𝒢, with (rules/linear-maps.ts):`, ...r.identities.map((i) => `  ${i}`));
  return out.join("\n");
}
