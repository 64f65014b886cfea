// grammar/matcalc.ne read by recursive descent, for the well-formed input nearly every call
// gives. The grammar is unambiguous (test/syntax checks that every accepted input has one
// parse), so a derivation found by its own rules, one token of lookahead at a time, is nearley's
// one parse: the same Raw tree, without building nearley's chart. At the first token these rules
// do not take, it gives up, and nearley reads the input again to say what was expected.
import { type Raw, bars, binary, call, derivative, entrywise, fraction, group, inner, leaf, negation, norm, postfixed, sum } from "./grammar.js";
import type { Tok, TokType } from "./tokens.js";

/** Thrown (and caught below) at a token the rules do not take here. */
const GIVE_UP = Symbol("give up");

const GROUP_CLOSER: Partial<Record<TokType, TokType>> = { lparen: "rparen", lbrack: "rbrack", lbrace: "rbrace" };

/** The tokens an Atom can begin with; a Factor also begins with a bare function. */
const ATOM_START = new Set<TokType>(["sym", "num", "identity", "ones", "lparen", "lbrack", "lbrace", "bar_open", "norm_open", "langle", "fnp", "frac", "partial"]);

/** The parse of `tokens` by the grammar's rules, or undefined where nearley has to decide. */
export function descend(tokens: readonly Tok[]): Raw | undefined {
  let i = 0;
  const peek = (ahead = 0): TokType | undefined => tokens[i + ahead]?.type;
  const take = (type: TokType | undefined): Tok => {
    const t = tokens[i];
    if (!t || t.type !== type) throw GIVE_UP;
    i++;
    return t;
  };

  // Sum -> SignedTerm | Sum %plus SignedTerm | Sum %minus SignedTerm
  const sumOf = (): Raw => {
    let l = signedTerm();
    while (peek() === "plus" || peek() === "minus") {
      const op = tokens[i++]!;
      l = sum(l, op, signedTerm());
    }
    return l;
  };

  // SignedTerm -> Term | %minus SignedTerm;  SignedFactor -> Factor | %minus SignedFactor
  const signed = (unsigned: () => Raw): Raw => {
    if (peek() !== "minus") return unsigned();
    const m = tokens[i++]!;
    return negation(m, signed(unsigned));
  };
  const signedTerm = (): Raw => signed(entrywiseOf);
  const signedFactor = (): Raw => signed(factor);

  // Entrywise -> Term | Entrywise %hadop Term
  const entrywiseOf = (): Raw => {
    let l = term();
    while (peek() === "hadop") {
      const op = tokens[i++]!;
      l = entrywise(l, op, term());
    }
    return l;
  };

  // Term -> Factor | Term Factor | Term %mulop SignedFactor | Term %slash Factor
  const term = (): Raw => {
    let l = factor();
    for (;;) {
      const next = peek();
      if (next === "mulop") {
        i++;
        l = binary("mul", l, signedFactor());
      } else if (next === "slash") {
        i++;
        l = binary("div", l, factor());
      } else if (next === "fn" || (next !== undefined && ATOM_START.has(next))) l = binary("mul", l, factor());
      else return l;
    }
  };

  // Factor -> Postfixed | %fn Factor
  const factor = (): Raw => {
    if (peek() !== "fn") return postfixedOf();
    const f = tokens[i++]!;
    const a = factor();
    return call(f, [a], a);
  };

  // Postfixed -> Atom | Postfixed %post
  const postfixedOf = (): Raw => {
    let a = atom();
    while (peek() === "post") {
      a = postfixed(a, tokens[i++]!);
    }
    return a;
  };

  const atom = (): Raw => {
    const t = tokens[i];
    if (!t) throw GIVE_UP;
    i++;
    switch (t.type) {
      case "sym":
      case "num":
      case "identity":
      case "ones":
        return leaf(t);
      case "lparen":
      case "lbrack":
      case "lbrace": {
        const a = sumOf();
        return group(t, a, take(GROUP_CLOSER[t.type]));
      }
      case "bar_open": {
        const a = sumOf();
        return bars(t, a, take("bar_close"));
      }
      case "norm_open": {
        const a = sumOf();
        return norm(t, a, take("norm_close"));
      }
      case "langle": {
        const a = sumOf();
        take("comma");
        const b = sumOf();
        return inner(t, a, b, take("rangle"));
      }
      case "fnp": {
        const closer = GROUP_CLOSER[tokens[i]?.type ?? "invalid"];
        if (!closer) throw GIVE_UP;
        i++;
        const args = argList();
        return call(t, args, take(closer));
      }
      case "frac": {
        take("lbrace");
        // \frac{∂L}{∂X}: a derivative; a Sum that begins with ∂ is ∂L/∂X, never ∂L alone.
        if (peek() === "partial" && peek(1) === "sym" && peek(2) === "rbrace") {
          i++;
          const of = take("sym");
          take("rbrace");
          take("lbrace");
          take("partial");
          const wrt = take("sym");
          return derivative(t, of, wrt, take("rbrace"));
        }
        const a = sumOf();
        take("rbrace");
        take("lbrace");
        const b = sumOf();
        return fraction(t, a, b, take("rbrace"));
      }
      case "partial": {
        const of = take("sym");
        take("slash");
        take("partial");
        const wrt = take("sym");
        return derivative(t, of, wrt, wrt);
      }
      default:
        throw GIVE_UP;
    }
  };

  // Args -> Arg | Args %comma Arg;  Arg -> Sum | %str
  const argList = (): Raw[] => {
    const args = [arg()];
    while (peek() === "comma") {
      i++;
      args.push(arg());
    }
    return args;
  };
  const arg = (): Raw => {
    if (peek() !== "str") return sumOf();
    return leaf(tokens[i++]!);
  };

  try {
    const parsed = sumOf();
    return i === tokens.length ? parsed : undefined;
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}
