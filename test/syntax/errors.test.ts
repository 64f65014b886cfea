import { describe, expect, it } from "vitest";
import { MatcalcError } from "../../src/errors.js";
import { parseExpression, parseStatements } from "../../src/syntax/parse.js";

/** The error's first formatted line: "line:col: message". */
function error(text: string, statements = false): { line: string; error: MatcalcError; token: string } {
  try {
    if (statements) parseStatements(text);
    else parseExpression(text);
  } catch (e) {
    expect(e).toBeInstanceOf(MatcalcError);
    const err = e as MatcalcError;
    expect(err.source).toBe(text);
    expect(err.span).toBeDefined();
    expect(err.stack === undefined || !err.format().includes("    at ")).toBe(true);
    return { line: err.format().split("\n")[0]!, error: err, token: text.slice(err.span!.start, err.span!.end) };
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe("syntax errors name the position, the token and what was expected", () => {
  it("an unclosed bracket, at its opener", () => {
    const e = error("tr(X⁻¹");
    expect(e.line).toBe("1:3: unclosed `(`: expected `)` before the end of the input");
    expect(e.token).toBe("(");
    expect(error("((a)").line).toBe("1:1: unclosed `(`: expected `)` before the end of the input");
    expect(error("\\left( a").line).toBe("1:1: unclosed `\\left(`: expected `)` before the end of the input");
  });

  it("an unknown function, with a suggestion", () => {
    const e = error("softmx(x)");
    expect(e.line).toBe("1:1: unknown function `softmx`: did you mean `softmax`?");
    expect(e.token).toBe("softmx");
    expect(error("2 + trce(X)").line).toBe("1:5: unknown function `trce`: did you mean `trace`?");
    expect(error("\\operatorname{sofmax}(x)").line).toMatch(/^1:1: unknown function `sofmax`: did you mean `softmax`\?$/);
    expect(error("blorp(x)").line).toMatch(/^1:1: unknown function `blorp`: known functions are tr, det/);
    expect(error("xy(a + b)").line).toMatch(/^1:1: unknown function `xy`/);
  });

  it("a stray closer", () => {
    const e = error(")");
    expect(e.line).toBe("1:1: unexpected `)`: expected a symbol, a number or `(`");
    expect(e.token).toBe(")");
    expect(error("a)").line).toBe("1:2: unexpected `)`: expected an operator or the end of the input");
    expect(error("(a]").line).toBe("1:3: unexpected `]`: expected an operator or `)`");
  });

  it("empty input", () => {
    expect(error("").line).toBe("1:1: empty expression");
    expect(error("   \n ").line).toBe("1:1: empty expression");
  });

  it("a missing operand", () => {
    const e = error("x +");
    expect(e.line).toBe("1:4: unexpected end of input: expected a symbol, a number or `(`");
    expect(error("x + * y").line).toBe("1:5: unexpected `*`: expected a symbol, a number or `(`");
    expect(error("a/-b").line).toBe("1:3: unexpected `-`: expected a symbol, a number or `(`");
    expect(error("()").line).toBe("1:2: unexpected `)`: expected a symbol, a number or `(`");
    expect(error("\\frac a").line).toBe("1:8: unexpected end of input: expected `{`");
  });

  it("an unclosed bar", () => {
    const e = error("|x");
    expect(e.line).toBe("1:1: unclosed `|`: expected a closing `|` before the end of the input");
    expect(error("‖x").line).toBe("1:1: unclosed `‖`: expected a closing `‖` before the end of the input");
    expect(error("\\right| x").line).toMatch(/^1:1: unexpected `\\right\|`/);
  });

  it("a bare function argument followed by another factor", () => {
    const e = error("tr AB");
    expect(e.line).toBe("1:5: ambiguous: write tr(A B) or tr(A) B");
    expect(e.token).toBe("B");
    expect(error("det X Y").line).toBe("1:7: ambiguous: write det(X Y) or det(X) Y");
    expect(error("\\det X^{-1} Y").line).toBe("1:13: ambiguous: write \\det(X^{-1} Y) or \\det(X^{-1}) Y");
    expect(error("log det X Y").line).toBe("1:11: ambiguous: write det(X Y) or det(X) Y");
    expect(error("tr A (B)").line).toBe("1:6: ambiguous: write tr(A (B)) or tr(A) (B)");
    expect(error("\\log \\alpha (x^T x)").line).toBe("1:13: ambiguous: write \\log(\\alpha (x^T x)) or \\log(\\alpha) (x^T x)");
    expect(error("exp 2x").line).toBe("1:6: ambiguous: write exp(2 x) or exp(2) x");
    expect(error("∇_X L M").line).toBe("1:7: ambiguous: write ∇_X(L M) or ∇_X(L) M");
  });

  it("a function name run into symbols", () => {
    expect(error("trAB").line).toMatch(/^1:1: `trAB` starts with the function `tr`: write `tr AB` or `tr\(AB\)`/);
    expect(error("logdetK").line).toMatch(/^1:1: `logdetK` starts with the function `logdet`/);
  });

  it("unknown characters and commands", () => {
    expect(error("x € y").line).toBe("1:3: unexpected character `€`");
    expect(error("\\frob{x}").line).toBe("1:1: unknown command `\\frob`");
    expect(error("x\u0007").line).toBe("1:2: unexpected character `U+0007`");
    expect(error("x ; y").line).toBe("1:3: unexpected `;`: expected an operator or the end of the input");
  });

  it("names of Object.prototype are no commands, properties or norms", () => {
    expect(error("\\constructor x").line).toBe("1:1: unknown command `\\constructor`");
    expect(error("x: n toString", true).line).toMatch(/^1:6: unexpected `toString`: expected a property/);
    expect(error("‖x‖_{valueOf}").line).toMatch(/^1:4: unsupported norm/);
  });

  it("a bar opened with a direction is closed only by one", () => {
    // the plain `|` opens a new bar instead
    expect(error("\\lvert x |").line).toBe("1:11: unexpected end of input: expected a symbol, a number or `(`");
    expect(error("\\lvert x | y").line).toBe("1:10: unclosed `|`: expected a closing `|` before the end of the input");
  });

  it("errors come in text order", () => {
    expect(error("x + ) + softmx(y)").line).toMatch(/^1:5: unexpected `\)`/);
    expect(error("softmx(y) + )").line).toMatch(/^1:1: unknown function/);
    expect(error("tr A B + €").line).toMatch(/^1:6: ambiguous/);
  });

  it("unsupported exponents, subscripts, and arguments", () => {
    // an exponent is an expression (x^n, σ^{2(d−q)}): its own errors point into it
    expect(error("x^{)}").line).toMatch(/^1:4: unexpected `\)`/);
    expect(error("x^{k+}").line).toMatch(/^1:6: unexpected end of input/);
    expect(error("x^").line).toMatch(/^1:2: unexpected `\^`/);
    expect(error("x _1").line).toBe("1:3: unexpected subscript `_1`");
    expect(error("‖x‖_3").line).toMatch(/^1:4: unsupported norm `_3`/);
    expect(error("tr(A, B)").line).toBe("1:1: `tr` takes 1 argument, not 2");
    expect(error("dot(A)").line).toBe("1:1: `dot` takes 2 arguments, not 1");
    expect(error("norm(x, 3)").line).toMatch(/^1:9: unsupported norm order `3`/);
    expect(error("tr(X, 'fro')").line).toMatch(/^1:7: unexpected string `'fro'`/);
    expect(error("grad(L, 2X)").line).toMatch(/^1:9: the variable of a derivative must be a symbol/);
    expect(error("ones(3)").line).toMatch(/^1:1: `ones` is the ones vector and takes no arguments/);
    expect(error("\\frac{dW^T}{dW}").line).toMatch(/^1:7: only derivatives of one symbol by one symbol/);
    expect(error("99999999999999999999").line).toMatch(/^1:1: number `99999999999999999999` has too many digits/);
    expect(error("la99999999999999999999pha").line).toMatch(/^1:3: number `99999999999999999999` has too many digits/);
    expect(error("\\sqrt[3]{x}").line).toMatch(/^1:6: not supported: roots other than the square root/);
    expect(error("norm(X, 'fro").line).toMatch(/^1:9: unterminated string/);
  });

  it("reports lines and columns on later lines", () => {
    expect(error("a +\nb +\n  )").line).toBe("3:3: unexpected `)`: expected a symbol, a number or `(`");
  });
});

describe("statement errors", () => {
  it("an unfinished shape", () => {
    const e = error("W: m×", true);
    expect(e.line).toBe("1:6: unexpected end of input: expected a dimension (a name such as n, or a number)");
  });

  it("names without shapes, stray tokens, bad dimensions", () => {
    expect(error("α, β", true).line).toBe("1:5: expected `:` and a shape after `β`");
    expect(error("α; β: scalar", true).line).toBe("1:2: expected `:` and a shape after `α`");
    expect(error("W m×n", true).line).toBe("1:3: unexpected `m`: expected `:`, `∈` or `:=`");
    expect(error("W: mxn", true).line).toBe("1:4: write `m×n` or `m x n` for a matrix shape");
    expect(error("x: 0", true).line).toBe("1:4: a dimension must be a positive integer or a name, not 0");
    expect(error("x: n foo", true).line).toMatch(/^1:6: unexpected `foo`: expected a property/);
    expect(error("tr: n", true).line).toBe("1:1: `tr` is a function, not a name");
    expect(error("α, K := x", true).line).toMatch(/^1:1: `α` has no shape/);
    expect(error(": n", true).line).toBe("1:1: expected a name before `:`");
    // f(x) := 2 defines f (a function-style left side); brackets not just before := do not
    expect(error("f(x) y := 2", true).line).toBe("1:2: unexpected `(`: expected `:`, `∈` or `:=`");
  });

  it("errors inside a definition point into the whole text", () => {
    expect(error("W: m×n\nK := W +", true).line).toBe("2:9: unexpected end of input: expected a symbol, a number or `(`");
    expect(error("K :=", true).line).toBe("1:5: empty expression");
    expect(error("K := (a", true).line).toBe("1:6: unclosed `(`: expected `)` before the end of the input");
  });
});
