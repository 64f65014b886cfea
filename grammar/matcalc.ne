# The expression grammar of matcalc. Compiled by `npm run grammar` to src/syntax/grammar.ts.
#
# The tokens come from src/syntax/tokens.ts, which has already split words, paired bars
# (bar_open / bar_close), told functions with parentheses (fnp) from bare ones (fn), and turned
# `dL/dX` into `∂L/∂X`. The grammar is unambiguous: every accepted token sequence has exactly one
# parse (test/syntax checks countParses === 1). Sums, products and postfix operators are left
# recursive, which nearley parses in linear time without deep recursion.
#
# This file is the only grammar. nearleyc compiles it to src/syntax/grammar.ts, which reads every
# input and says what was expected where one fails; build/descent.mjs generates from the same rules
# src/syntax/descent.ts, a recursive descent that reads well-formed input faster and calls these
# rules' postprocessors (test/syntax/ambiguity.test.ts checks that both read every input alike).
#
# Precedence, loosest first:
#   Sum         a + b − c                  n-ary (flattened after parsing)
#   SignedTerm  −a                         only at the start of a sum or after + − ( [ { , | ‖ ⟨ · *
#   Entrywise   a ⊙ b, a ⊘ b, a ⊗ b        left-associative; looser than products, as the Matrix
#                                          Cookbook writes AC ⊗ BD and ML texts h ⊙ Wx (NOTATION.md)
#   Term        a b, a·b, a/b              left-associative
#   Factor      a postfixed atom, or a function without parentheses applied to one factor
#   Postfixed   aᵀ a⁻¹ a² a'               bind tighter than products
#   Atom        symbols, numbers, groups, bars, calls, fractions, derivatives

@preprocessor typescript

@{%
import { grammarLexer, type Tok, type Post } from "./tokens.js";

const lexer = grammarLexer as unknown as NearleyLexer;

/** The parser's tree, turned into an Expr (and checked) by parse.ts. Offsets are original UTF-16 offsets. */
export type Raw =
  | { k: "sym"; name: string; start: number; end: number }
  | { k: "num"; n: number; d: number; int: boolean; start: number; end: number }
  | { k: "identity"; dim?: string | number; start: number; end: number }
  | { k: "ones"; dim?: string | number; start: number; end: number }
  | { k: "group"; a: Raw; start: number; end: number }
  | { k: "sum"; l: Raw; r: Raw; minus: boolean; opStart: number; start: number; end: number }
  | { k: "neg"; a: Raw; start: number; end: number }
  | { k: "mul" | "div"; l: Raw; r: Raw; start: number; end: number }
  | { k: "post"; a: Raw; post: Post; opStart: number; start: number; end: number }
  | { k: "call"; fn: string; written: string; args: Raw[]; sub?: string; start: number; end: number }
  | { k: "str"; text: string; start: number; end: number };

type At = { start: number; end: number };
const from = (a: At, b: At) => ({ start: a.start, end: b.end });

function binary(k: "mul" | "div", l: Raw, r: Raw): Raw {
  // a literal fraction 1/2 is the number ½, as \frac{1}{2} and ½ are
  if (k === "div" && l.k === "num" && r.k === "num" && l.int && r.int && r.n !== 0)
    return { k: "num", n: l.n, d: r.n, int: false, ...from(l, r) };
  return { k, l, r, ...from(l, r) };
}

function call(fn: Tok, args: Raw[], end: At, sub = fn.sub): Raw {
  const variable = (v: { name: string; start: number; end: number }): Raw => ({ k: "sym", name: v.name, start: v.start, end: v.end });
  const all = fn.wrt ? [...args, variable(fn.wrt)] : args;
  const once: Raw = { k: "call", fn: fn.fn!, written: fn.text, args: all, sub, ...from(fn, end) };
  // ∇²_x L, ∂²L/∂x∂yᵀ: the derivative by y of the gradient by x (the Hessian when y is x)
  return fn.then ? { ...once, args: [once, variable(fn.then)] } : once;
}

const fraction = (f: Tok, a: Raw, b: Raw, close: Tok): Raw =>
  a.k === "num" && b.k === "num" && a.int && b.int && b.n !== 0
    ? { k: "num", n: a.n, d: b.n, int: false, ...from(f, close) }
    : { k: "div", l: a, r: b, ...from(f, close) };

// The nodes the rules build.
const sum = (l: Raw, op: Tok, r: Raw): Raw => ({ k: "sum", l, r, minus: op.type === "minus", opStart: op.start, ...from(l, r) });
const negation = (m: Tok, a: Raw): Raw => ({ k: "neg", a, ...from(m, a) });
const entrywise = (l: Raw, op: Tok, r: Raw): Raw => ({ k: "call", fn: op.op!, written: op.text, args: [l, r], ...from(l, r) });
const postfixed = (a: Raw, p: Tok): Raw => ({ k: "post", a, post: p.post!, opStart: p.start, ...from(a, p) });
function leaf(t: Tok): Raw {
  if (t.type === "num") return { k: "num", ...t.num!, ...from(t, t) };
  if (t.type === "identity") return { k: "identity", dim: t.dim, ...from(t, t) };
  if (t.type === "ones") return { k: "ones", dim: t.dim, ...from(t, t) };
  if (t.type === "str") return { k: "str", text: t.name!, ...from(t, t) };
  return { k: "sym", name: t.name!, ...from(t, t) };
}
const group = (o: Tok, a: Raw, c: Tok): Raw => ({ k: "group", a, ...from(o, c) });
const bars = (o: Tok, a: Raw, c: Tok): Raw => ({ k: "call", fn: "bars", written: "|", args: [a], ...from(o, c) });
const norm = (o: Tok, a: Raw, c: Tok): Raw => ({ k: "call", fn: "norm", written: "‖", args: [a], sub: c.sub, ...from(o, c) });
const inner = (o: Tok, a: Raw, b: Raw, c: Tok): Raw => ({ k: "call", fn: "dot", written: "⟨", args: [a, b], ...from(o, c) });

const derivative = (first: Tok, of: Tok, wrt: Tok, last: Tok): Raw => ({
  k: "call", fn: "grad", written: first.text,
  args: [{ k: "sym", name: of.name!, ...from(of, of) }, { k: "sym", name: wrt.name!, ...from(wrt, wrt) }],
  ...from(first, last),
});
%}

@lexer lexer

Main -> Sum                                           {% id %}

Sum -> SignedTerm                                     {% id %}
     | Sum %plus SignedTerm                           {% ([l, op, r]) => sum(l, op, r) %}
     | Sum %minus SignedTerm                          {% ([l, op, r]) => sum(l, op, r) %}

SignedTerm -> Entrywise                               {% id %}
            | %minus SignedTerm                       {% ([m, a]) => negation(m, a) %}

Entrywise -> Term                                     {% id %}
           | Entrywise %hadop Term                    {% ([l, op, r]) => entrywise(l, op, r) %}

Term -> Factor                                        {% id %}
      | Term Factor                                   {% ([l, r]) => binary("mul", l, r) %}
      | Term %mulop SignedFactor                      {% ([l, , r]) => binary("mul", l, r) %}
      | Term %slash Factor                            {% ([l, , r]) => binary("div", l, r) %}

SignedFactor -> Factor                                {% id %}
              | %minus SignedFactor                   {% ([m, a]) => negation(m, a) %}

Factor -> Postfixed                                   {% id %}
        | %fn Factor                                  {% ([f, a]) => call(f, [a], a) %}

Postfixed -> Atom                                     {% id %}
           | Postfixed %post                          {% ([a, p]) => postfixed(a, p) %}

Atom -> %sym                                          {% ([t]) => leaf(t) %}
      | %num                                          {% ([t]) => leaf(t) %}
      | %identity                                     {% ([t]) => leaf(t) %}
      | %ones                                         {% ([t]) => leaf(t) %}
      | %lparen Sum %rparen                           {% ([o, a, c]) => group(o, a, c) %}
      | %lbrack Sum %rbrack                           {% ([o, a, c]) => group(o, a, c) %}
      | %lbrace Sum %rbrace                           {% ([o, a, c]) => group(o, a, c) %}
      | %bar_open Sum %bar_close                      {% ([o, a, c]) => bars(o, a, c) %}
      | %norm_open Sum %norm_close                    {% ([o, a, c]) => norm(o, a, c) %}
      | %langle Sum %comma Sum %rangle                {% ([o, a, , b, c]) => inner(o, a, b, c) %}
      | %fnp %lparen Args %rparen                     {% ([f, , args, c]) => call(f, args, c) %}
      | %fnp %lbrack Args %rbrack                     {% ([f, , args, c]) => call(f, args, c) %}
      | %fnp %lbrace Args %rbrace                     {% ([f, , args, c]) => call(f, args, c) %}
      | %frac %lbrace Sum %rbrace %lbrace Sum %rbrace {% ([f, , a, , , b, c]) => fraction(f, a, b, c) %}
      | %partial %sym %slash %partial %sym            {% ([p, of, , , wrt]) => derivative(p, of, wrt, wrt) %}
      | %frac %lbrace %partial %sym %rbrace %lbrace %partial %sym %rbrace
                                                      {% ([f, , , of, , , , wrt, c]) => derivative(f, of, wrt, c) %}

Args -> Arg                                           {% ([a]) => [a] %}
      | Args %comma Arg                               {% ([args, , a]) => [...args, a] %}

Arg -> Sum                                            {% id %}
     | %str                                           {% ([t]) => leaf(t) %}
