// The URL hash holds the problem, so a link reproduces it: #expr=…&wrt=…&where=…&order=2
// (each value encodeURIComponent'ed), and view=check when the Check view is open.

export interface Problem {
  readonly expr: string;
  readonly wrt: string;
  readonly where: string;
  readonly order: 1 | 2;
}

export type View = "derive" | "check";

export function hashOf(p: Problem, view: View): string {
  const parts = [`expr=${encodeURIComponent(p.expr)}`, `wrt=${encodeURIComponent(p.wrt)}`];
  if (p.where) parts.push(`where=${encodeURIComponent(p.where)}`);
  if (p.order === 2) parts.push("order=2");
  if (view === "check") parts.push("view=check");
  return "#" + parts.join("&");
}

/** The problem and view of a hash; undefined when it names no problem. */
export function fromHash(hash: string): { problem?: Problem; view: View } {
  const values = new Map<string, string>();
  for (const part of hash.replace(/^#/, "").split("&")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    try {
      values.set(part.slice(0, eq), decodeURIComponent(part.slice(eq + 1)));
    } catch {
      // a hand-edited link with a stray `%`: that value is ignored
    }
  }
  const view = values.get("view") === "check" ? "check" : "derive";
  if (!values.has("expr")) return { view };
  return {
    view,
    problem: { expr: values.get("expr")!, wrt: values.get("wrt") ?? "", where: values.get("where") ?? "", order: values.get("order") === "2" ? 2 : 1 },
  };
}
