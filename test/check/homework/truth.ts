// Every claim of the homework corpus, transcribed by hand (see ../homework.test.ts): for each
// chain of `=`, its first expression (a value, or the derivative of a transcribed function by
// finite differences) and each later expression with the line its claim is on.
import { type M, type Values, Draw, I, S, T, add, diag, exp, had, inv, kron, log, mm, neg, norm2sq, num, ones, sc, sigm, softmax, sq, sub, sum, tanh, tr, hdiv, logdet, lse, map } from "../transcribe.js";

export type Fn = (v: Values) => M;
export type Root = { value: Fn } | { grad: Fn; wrt: string } | { jac: Fn; wrt: string } | { hess: Fn; wrt: string };
export interface Chain {
  readonly root: Root;
  readonly steps: readonly (readonly [line: number, value: Fn])[];
  /** The values of a chain under a condition its text states ("If $A$ is symmetric"), drawn so. */
  readonly draw?: (d: Draw) => Values;
}
export interface Homework {
  readonly draw: (d: Draw) => Values;
  readonly chains: readonly Chain[];
}

const value = (f: Fn): Root => ({ value: f });
const gradOf = (f: Fn, wrt: string): Root => ({ grad: f, wrt });
const jacOf = (f: Fn, wrt: string): Root => ({ jac: f, wrt });
const hessOf = (f: Fn, wrt: string): Root => ({ hess: f, wrt });
const chain = (root: Root, ...steps: (readonly [number, Fn])[]): Chain => ({ root, steps });
const assuming = (draw: (d: Draw) => Values, root: Root, ...steps: (readonly [number, Fn])[]): Chain => ({ root, steps, draw });

export const HOMEWORK: Record<string, Homework> = {};

// ---------------------------------------------------------------- h01 ridge regression (.tex)
{
  const n = 5, d = 3;
  const r = ({ X, w, y }: Values) => sub(mm(X, w), y);
  const L: Fn = (v) => add(norm2sq(r(v)), mm(v.lambda!, norm2sq(v.w!)));
  const A: Fn = ({ X, lambda }) => add(mm(T(X!), X!), sc(lambda!, I(d)));
  HOMEWORK["h01-ridge.tex"] = {
    draw: (g) => ({ X: g.mat(n, d), y: g.vec(n), w: g.vec(d), lambda: g.pos() }),
    chains: [
      chain(value((v) => add(mm(T(r(v)), r(v)), mm(v.lambda!, T(v.w!), v.w!))), [24, ({ X, w, y, lambda }) => add(mm(T(w!), T(X!), X!, w!), sc(-2, mm(T(y!), X!, w!)), mm(T(y!), y!), mm(lambda!, T(w!), w!))]),
      chain(
        gradOf(L, "w"),
        [28, ({ X, w, y, lambda }) => add(sc(2, mm(T(X!), X!, w!)), sc(-2, mm(T(X!), y!)), sc(2, mm(lambda!, w!)))],
        [29, (v) => add(sc(2, mm(T(v.X!), r(v))), sc(2, mm(v.lambda!, v.w!)))],
        [30, (v) => add(sc(2, mm(A(v), v.w!)), sc(2, mm(T(v.X!), v.y!)))],
      ),
      chain(hessOf(L, "w"), [35, ({ X, lambda }) => add(sc(2, mm(T(X!), X!)), sc(lambda!, I(d)))]),
      chain(value((v) => tr(mm(A(v), v.w!, T(v.w!)))), [42, (v) => mm(T(v.w!), A(v), v.w!)], [42, (v) => tr(mm(T(v.w!), T(A(v)), v.w!))]),
      chain(gradOf((v) => mm(T(v.w!), A(v), v.w!), "w"), [45, (v) => sc(2, mm(A(v), v.w!))]),
      chain(gradOf(L, "y"), [48, (v) => sc(2, sub(v.y!, mm(v.X!, v.w!)))]),
      chain(gradOf(L, "X"), [48, (v) => sc(2, mm(r(v), T(v.w!)))]),
    ],
  };
}

// ---------------------------------------------------------------- h03 softmax cross-entropy (.tex fragment)
{
  const k = 4, d = 3;
  const Lz = ({ y, z }: Values) => neg(mm(T(y!), log(softmax(z!))));
  const LW = ({ y, W, x }: Values) => neg(mm(T(y!), log(softmax(mm(W!, x!)))));
  const p = ({ W, x }: Values) => softmax(mm(W!, x!));
  const dz = (v: Values) => sub(sc(sum(v.y!), p(v)), v.y!);
  HOMEWORK["h03-softmax-ce.tex"] = {
    draw: (g) => {
      const W = g.mat(k, d), x = g.vec(d);
      return { W, x, y: g.vec(k), z: mm(W, x), p: softmax(mm(W, x)) };
    },
    chains: [
      chain(jacOf((v) => softmax(v.z!), "z"), [12, (v) => sub(diag(p(v)), mm(p(v), T(p(v))))]),
      chain(
        gradOf(Lz, "z"),
        [17, (v) => mm(T(sub(diag(p(v)), mm(p(v), T(p(v))))), neg(hdiv(v.y!, p(v))))],
        [18, (v) => mm(sub(diag(p(v)), mm(p(v), T(p(v)))), neg(hdiv(v.y!, p(v))))],
        [19, (v) => add(neg(v.y!), mm(p(v), T(p(v)), hdiv(v.y!, p(v))))],
        [20, (v) => sub(mm(p(v), mm(T(ones(k)), v.y!)), v.y!)],
      ),
      chain(gradOf(LW, "W"), [24, (v) => mm(dz(v), T(v.x!))], [25, (v) => mm(dz(v), T(v.x!))], [26, (v) => mm(v.x!, T(dz(v)))]),
      chain(gradOf(LW, "x"), [30, (v) => mm(T(v.W!), dz(v))]),
      chain(gradOf(({ y, p }) => neg(mm(T(y!), log(p!))), "p"), [32, (v) => hdiv(v.y!, v.p!)]),
    ],
  };
}

// ---------------------------------------------------------------- h04 MLP backpropagation (.tex)
{
  const m = 4, d = 3, k = 2;
  const fwd = ({ W1, W2, b, x }: Values) => {
    const a = add(mm(W1!, x!), b!);
    const h = tanh(a);
    return { a, h, u: mm(W2!, h) };
  };
  const half = (u: M, y: M) => sc(0.5, norm2sq(sub(u, y)));
  const L: Fn = (v) => half(fwd(v).u, v.y!);
  const delta = (v: Values) => sub(fwd(v).u, v.y!);
  const gate = (v: Values) => sub(ones(m), sq(fwd(v).h));
  const da = (v: Values) => had(gate(v), mm(T(v.W2!), delta(v)));
  HOMEWORK["h04-mlp-backprop.tex"] = {
    draw: (g) => {
      const v = { W1: g.mat(m, d), W2: g.mat(k, m), b: g.vec(m), x: g.vec(d), y: g.vec(k) };
      return { ...v, ...fwd(v) };
    },
    chains: [
      chain(gradOf((v) => half(v.u!, v.y!), "u"), [17, delta]),
      chain(gradOf(L, "W2"), [18, (v) => mm(delta(v), T(fwd(v).h))], [18, (v) => mm(delta(v), T(fwd(v).h))]),
      chain(gradOf((v) => half(mm(v.W2!, v.h!), v.y!), "h"), [19, (v) => mm(T(v.W2!), delta(v))]),
      chain(jacOf((v) => tanh(v.a!), "a"), [20, (v) => diag(gate(v))]),
      chain(gradOf((v) => half(mm(v.W2!, tanh(v.a!)), v.y!), "a"), [21, da], [22, (v) => mm(diag(gate(v)), T(v.W2!), delta(v))]),
      chain(gradOf(L, "W1"), [23, (v) => mm(da(v), T(v.x!))]),
      chain(gradOf(L, "b"), [24, da]),
      chain(gradOf(L, "x"), [25, (v) => mm(T(v.W1!), had(gate(v), mm(v.W2!, delta(v))))]),
      chain(gradOf(L, "b"), [29, (v) => mm(T(v.W2!), delta(v))]),
      chain(jacOf((v) => fwd(v).u, "x"), [33, (v) => mm(v.W2!, diag(gate(v)), v.W1!)]),
      chain(jacOf((v) => mm(v.W2!, v.h!), "h"), [35, (v) => T(v.W2!)]),
    ],
  };
}

// ---------------------------------------------------------------- h05 PCA as a linear autoencoder (.md)
{
  const n = 5, d = 4, q = 2;
  const R = ({ X, W }: Values) => sub(X!, mm(X!, W!, T(W!)));
  const L: Fn = (v) => sc(0.5, norm2sq(R(v)));
  const S = ({ X }: Values) => mm(T(X!), X!);
  const trWSW: Fn = (v) => tr(mm(T(v.W!), S(v), v.W!));
  HOMEWORK["h05-pca.md"] = {
    draw: (g) => {
      const v = { X: g.mat(n, d), W: g.mat(d, q) };
      return { ...v, R: R(v) };
    },
    chains: [
      chain(value((v) => sc(0.5, tr(mm(T(R(v)), R(v))))), [19, (v) => add(sc(0.5, tr(S(v))), neg(trWSW(v)), sc(0.5, tr(mm(v.W!, T(v.W!), S(v), v.W!, T(v.W!)))))]),
      chain(gradOf((v) => sc(0.5, norm2sq(v.R!)), "R"), [26, (v) => v.R!]),
      chain(
        gradOf(L, "W"),
        [31, (v) => sub(neg(mm(T(v.X!), R(v), v.W!)), mm(T(R(v)), v.X!, v.W!))],
        [32, (v) => neg(mm(add(mm(T(v.X!), R(v)), mm(T(R(v)), v.X!)), v.W!))],
        [33, (v) => sc(-2, mm(T(v.X!), R(v), v.W!))],
      ),
      chain(gradOf(L, "W"), [40, (v) => add(sc(-2, mm(S(v), v.W!)), mm(S(v), v.W!, T(v.W!), v.W!), mm(v.W!, T(v.W!), S(v), v.W!))]),
      chain(gradOf(L, "W"), [46, (v) => add(sc(-2, mm(S(v), v.W!)), sc(2, mm(S(v), v.W!, T(v.W!), v.W!)))]),
      chain(value(trWSW), [51, (v) => tr(mm(S(v), v.W!, T(v.W!)))], [51, (v) => sum(had(S(v), mm(v.W!, T(v.W!))))]),
      chain(gradOf(trWSW, "W"), [53, (v) => sc(2, mm(S(v), v.W!))]),
      chain(gradOf(trWSW, "W"), [55, (v) => mm(add(S(v), T(S(v))), v.W!)]),
    ],
  };
}

// ---------------------------------------------------------------- h06 tied-weight autoencoder, the seed's graph (plain)
{
  const m = 3, n = 4;
  const L: Fn = ({ W, x }) => sc(0.5, norm2sq(sub(mm(T(W!), W!, x!), x!)));
  const r = ({ W, x }: Values) => sub(mm(T(W!), W!, x!), x!);
  HOMEWORK["h06-autoencoder.mc"] = {
    draw: (g) => {
      const W = g.mat(m, n), x = g.vec(n);
      const e = mm(W, x), f = T(W), d = mm(f, e), c = sub(d, x);
      return { W, x, e, f, d, c, b: norm2sq(c), g: W, h: W };
    },
    chains: [
      chain(value((v) => norm2sq(v.c!)), [5, (v) => mm(T(v.c!), v.c!)]),
      chain(gradOf((v) => sc(0.5, v.b!), "b"), [13, () => S(0.5)]),
      chain(gradOf((v) => sc(0.5, norm2sq(v.c!)), "c"), [14, (v) => sc(0.5, sc(2, v.c!))], [14, (v) => v.c!]),
      chain(gradOf((v) => sc(0.5, norm2sq(sub(v.d!, v.x!))), "d"), [15, (v) => v.c!], [15, (v) => v.c!]),
      chain(gradOf((v) => sc(0.5, norm2sq(sub(mm(v.f!, v.e!), v.x!))), "f"), [16, (v) => mm(v.c!, T(v.e!))], [16, (v) => mm(v.c!, T(v.e!))]),
      chain(gradOf((v) => sc(0.5, norm2sq(sub(mm(v.f!, v.e!), v.x!))), "e"), [17, (v) => mm(T(v.f!), v.c!)]),
      chain(gradOf((v) => sc(0.5, norm2sq(sub(mm(T(v.g!), v.h!, v.x!), v.x!))), "g"), [18, (v) => T(mm(v.c!, T(v.e!)))], [18, (v) => mm(v.e!, T(v.c!))]),
      chain(gradOf((v) => sc(0.5, norm2sq(sub(mm(T(v.g!), v.h!, v.x!), v.x!))), "h"), [19, (v) => mm(T(v.f!), v.c!, T(v.x!))], [19, (v) => mm(T(v.f!), v.c!, T(v.x!))]),
      chain(
        gradOf(L, "W"),
        [20, (v) => add(mm(v.e!, T(v.c!)), mm(T(v.f!), v.c!, T(v.x!)))],
        [21, (v) => add(mm(v.e!, T(v.c!)), mm(T(v.f!), v.c!, T(v.x!)))],
        [22, (v) => add(mm(v.W!, v.x!, T(r(v))), mm(v.W!, r(v), T(v.x!)))],
        [23, (v) => add(mm(v.W!, v.x!, T(r(v))), mm(v.W!, T(r(v)), v.x!))],
        [24, (v) => mm(v.W!, add(mm(v.x!, T(r(v))), mm(r(v), T(v.x!))))],
      ),
    ],
  };
}

// ---------------------------------------------------------------- h07 GP-LVM likelihood (.tex, subsections)
{
  const n = 4, q = 2, D = 3;
  const Kof = ({ X, alpha, beta }: Values) => add(sc(alpha!, mm(X!, T(X!))), sc(1 / num(beta!), I(n)));
  const LK = (K: M, Y: M) => sub(S((-D / 2) * logdet(K)), sc(0.5, tr(mm(inv(K), Y, T(Y)))));
  const L: Fn = (v) => LK(Kof(v), v.Y!);
  const Ki = (v: Values) => inv(Kof(v));
  const YY = (v: Values) => mm(v.Y!, T(v.Y!));
  const G = (v: Values) => add(sc(-D / 2, Ki(v)), sc(0.5, mm(Ki(v), YY(v), Ki(v))));
  HOMEWORK["h07-gp-loglik.tex"] = {
    draw: (g) => {
      const v = { X: g.mat(n, q), Y: g.mat(n, D), alpha: g.pos(), beta: g.pos() };
      return { ...v, K: Kof(v) };
    },
    chains: [
      chain(gradOf((v) => LK(v.K!, v.Y!), "K"), [17, G]),
      chain(
        gradOf(L, "X"),
        [24, (v) => add(sc(-D / 2, mm(v.alpha!, add(T(Ki(v)), Ki(v)), v.X!)), mm(v.alpha!, T(Ki(v)), YY(v), T(Ki(v)), v.X!))],
        [25, (v) => mm(v.alpha!, add(sc(-D / 2, add(T(Ki(v)), Ki(v))), mm(T(Ki(v)), YY(v), T(Ki(v)))), v.X!)],
        [26, (v) => mm(v.alpha!, add(sc(-D, Ki(v)), mm(Ki(v), YY(v), Ki(v))), v.X!)],
        [27, (v) => mm(v.alpha!, add(sc(D, Ki(v)), mm(Ki(v), YY(v), Ki(v))), v.X!)],
      ),
      chain(
        gradOf(L, "alpha"),
        [32, (v) => tr(mm(G(v), v.X!, T(v.X!)))],
        [33, (v) => add(sc(-D / 2, tr(mm(Ki(v), v.X!, T(v.X!)))), sc(0.5, tr(mm(Ki(v), YY(v), Ki(v), v.X!, T(v.X!)))))],
      ),
      chain(gradOf(L, "beta"), [36, (v) => sc(1 / num(v.beta!) ** 2, sub(sc(D / 2, tr(Ki(v))), sc(0.5, tr(mm(Ki(v), Ki(v), YY(v))))))]),
      chain(gradOf(L, "beta"), [39, (v) => sc(-1 / num(v.beta!) ** 2, sub(sc(D / 2, tr(Ki(v))), sc(0.5, tr(mm(Ki(v), YY(v), Ki(v))))))]),
      chain(gradOf((v) => S(logdet(v.K!)), "K"), [43, (v) => T(inv(v.K!))], [43, (v) => inv(v.K!)]),
      chain(gradOf((v) => tr(mm(inv(v.K!), YY(v))), "K"), [43, (v) => mm(inv(v.K!), YY(v), inv(v.K!))]),
    ],
  };
}

// ---------------------------------------------------------------- h08 multivariate Gaussian (.md)
{
  const d = 4;
  const L = ({ x, mu, Sigma }: Values) => sub(sc(-0.5, mm(T(sub(x!, mu!)), inv(Sigma!), sub(x!, mu!))), S(0.5 * logdet(Sigma!)));
  const r = ({ x, mu }: Values) => sub(x!, mu!);
  const Si = (v: Values) => inv(v.Sigma!);
  HOMEWORK["h08-gaussian.md"] = {
    draw: (g) => {
      const v = { x: g.vec(d), mu: g.vec(d), Sigma: g.spd(d) };
      return { ...v, Lambda: inv(v.Sigma) };
    },
    chains: [
      chain(gradOf(L, "mu"), [18, (v) => mm(sc(0.5, add(Si(v), T(Si(v)))), r(v))], [19, (v) => mm(Si(v), r(v))], [20, (v) => mm(Si(v), r(v))]),
      chain(hessOf(L, "mu"), [27, (v) => neg(Si(v))]),
      chain(
        gradOf(L, "Sigma"),
        [34, (v) => sub(sc(0.5, mm(T(Si(v)), r(v), T(r(v)), T(Si(v)))), sc(0.5, T(Si(v))))],
        [35, (v) => sc(0.5, mm(Si(v), sub(mm(r(v), T(r(v))), v.Sigma!), Si(v)))],
        [36, (v) => sc(0.5, mm(Si(v), add(mm(r(v), T(r(v))), v.Sigma!), Si(v)))],
      ),
      chain(
        gradOf((v) => add(sc(-0.5, mm(T(r(v)), v.Lambda!, r(v))), S(0.5 * logdet(v.Lambda!))), "Lambda"),
        [46, (v) => sub(sc(0.5, inv(v.Lambda!)), sc(0.5, mm(r(v), T(r(v)))))],
        [46, (v) => sub(sc(0.5, v.Sigma!), sc(0.5, mm(r(v), T(r(v)))))],
      ),
      chain(gradOf((v) => add(sc(-0.5, mm(T(r(v)), v.Lambda!, r(v))), S(0.5 * logdet(v.Lambda!))), "Lambda"), [48, (v) => sub(sc(0.5, v.Lambda!), sc(0.5, mm(r(v), T(r(v)))))]),
      chain(gradOf(L, "x"), [52, (v) => neg(mm(Si(v), r(v)))], [52, (v) => mm(Si(v), sub(v.mu!, v.x!))]),
    ],
  };
}

// ---------------------------------------------------------------- h09 single-query attention (.tex fragment)
{
  const n = 5, d = 3, p = 2;
  const sOf = ({ K, q }: Values) => softmax(sc(1 / Math.sqrt(d), mm(K!, q!)));
  const L: Fn = (v) => sc(0.5, norm2sq(sub(mm(T(v.V!), sOf(v)), v.y!)));
  const e = (v: Values) => sub(mm(T(v.V!), sOf(v)), v.y!);
  const Js = (v: Values) => sub(diag(sOf(v)), mm(sOf(v), T(sOf(v))));
  HOMEWORK["h09-attention.tex"] = {
    draw: (g) => {
      const v = { K: g.mat(n, d), V: g.mat(n, p), q: g.vec(d), y: g.vec(p) };
      const s = sOf(v);
      return { ...v, s, o: mm(T(v.V), s) };
    },
    chains: [
      chain(gradOf((v) => sc(0.5, norm2sq(sub(v.o!, v.y!))), "o"), [12, (v) => sub(v.o!, v.y!)]),
      chain(gradOf((v) => sc(0.5, norm2sq(sub(mm(T(v.V!), v.s!), v.y!))), "s"), [13, (v) => mm(v.V!, e(v))]),
      chain(jacOf(sOf, "q"), [14, (v) => sc(1 / Math.sqrt(d), mm(Js(v), v.K!))]),
      chain(
        gradOf(L, "q"),
        [15, (v) => sc(1 / Math.sqrt(d), mm(T(v.K!), Js(v), v.V!, e(v)))],
        [16, (v) => sc(1 / Math.sqrt(d), mm(T(v.K!), sub(had(sOf(v), mm(v.V!, e(v))), mm(sOf(v), T(sOf(v)), v.V!, e(v)))))],
        [17, (v) => sc(1 / d, mm(T(v.K!), sub(had(sOf(v), mm(v.V!, e(v))), mm(sOf(v), T(sOf(v)), v.V!, e(v)))))],
      ),
      chain(gradOf(L, "V"), [21, (v) => mm(sOf(v), T(e(v)))]),
      chain(gradOf(L, "V"), [22, (v) => mm(e(v), T(sOf(v)))]),
      chain(jacOf((v) => mm(T(v.V!), v.s!), "s"), [25, (v) => T(v.V!)]),
    ],
  };
}

// ---------------------------------------------------------------- h10 Jacobians (plain)
{
  const m = 3, n = 4;
  const sOf = ({ W, x, b }: Values) => sigm(add(mm(W!, x!), b!));
  const gate = (s: M) => had(s, sub(ones(s.rows), s));
  const cube = ({ x }: Values) => mm(T(x!), x!, T(x!)).transpose();
  HOMEWORK["h10-jacobians.mc"] = {
    draw: (g) => {
      const v = { A: g.mat(m, n), W: g.mat(m, n), x: g.vec(n), b: g.vec(m), u: g.vec(n) };
      return { ...v, z: add(mm(v.W, v.x), v.b) };
    },
    chains: [
      chain(jacOf((v) => add(mm(v.A!, v.x!), v.b!), "x"), [4, (v) => v.A!]),
      chain(jacOf((v) => had(v.x!, v.x!), "x"), [5, (v) => sc(2, diag(v.x!))]),
      chain(jacOf((v) => had(v.u!, v.x!), "x"), [6, (v) => diag(v.u!)]),
      chain(jacOf((v) => exp(v.x!), "x"), [7, (v) => diag(exp(v.x!))]),
      chain(jacOf((v) => mm(v.W!, v.x!), "x"), [8, (v) => T(v.W!)]),
      chain(jacOf((v) => sigm(v.z!), "z"), [11, (v) => diag(gate(sigm(v.z!)))]),
      chain(jacOf(sOf, "x"), [12, (v) => mm(diag(gate(sOf(v))), v.W!)]),
      chain(jacOf(sOf, "x"), [13, (v) => mm(T(v.W!), diag(gate(sOf(v))))]),
      chain(jacOf(cube, "x"), [14, (v) => add(sc(mm(T(v.x!), v.x!), I(n)), sc(2, mm(v.x!, T(v.x!))))]),
      chain(jacOf(cube, "x"), [15, (v) => add(sc(mm(T(v.x!), v.x!), I(n)), mm(v.x!, T(v.x!)))]),
      chain(jacOf((v) => sc(norm2sq(v.x!), v.u!), "x"), [16, (v) => sc(2, mm(v.u!, T(v.x!)))]),
    ],
  };
}

// ---------------------------------------------------------------- h11 Hessians (.tex, enumerate)
{
  const n = 4, m = 5;
  const f: Fn = ({ x, A, c }) => add(mm(T(x!), A!, x!), mm(T(c!), x!));
  const g: Fn = ({ x }) => lse(x!);
  const h: Fn = ({ X, w }) => sum(log(add(ones(m), exp(mm(X!, w!)))));
  const k: Fn = ({ x }) => S(num(norm2sq(x!)) ** 2);
  const p = (v: Values) => softmax(v.x!);
  const s = (v: Values) => sigm(mm(v.X!, v.w!));
  HOMEWORK["h11-hessians.tex"] = {
    draw: (d) => ({ A: d.mat(n, n), x: d.vec(n), c: d.vec(n), X: d.mat(m, n), w: d.vec(n) }),
    chains: [
      chain(gradOf(f, "x"), [10, (v) => add(mm(add(v.A!, T(v.A!)), v.x!), v.c!)]),
      chain(hessOf(f, "x"), [11, (v) => add(v.A!, T(v.A!))]),
      chain(hessOf(f, "x"), [14, (v) => sc(2, v.A!)]),
      chain(gradOf(g, "x"), [18, p]),
      chain(hessOf(g, "x"), [19, (v) => sub(diag(p(v)), mm(p(v), T(p(v))))]),
      chain(hessOf(g, "x"), [20, (v) => add(diag(p(v)), mm(p(v), T(p(v))))]),
      chain(gradOf(h, "w"), [25, (v) => mm(T(v.X!), s(v))]),
      chain(hessOf(h, "w"), [26, (v) => mm(T(v.X!), diag(had(s(v), sub(ones(m), s(v)))), v.X!)]),
      chain(hessOf(h, "w"), [27, (v) => mm(v.X!, diag(had(s(v), sub(ones(m), s(v)))), T(v.X!))]),
      chain(gradOf(k, "x"), [31, (v) => sc(4 * num(norm2sq(v.x!)), v.x!)]),
      chain(hessOf(k, "x"), [31, (v) => add(sc(4 * num(norm2sq(v.x!)), I(n)), sc(8, mm(v.x!, T(v.x!))))]),
    ],
  };
}

// ---------------------------------------------------------------- h12 vec–Kronecker (.tex)
{
  const m = 2, p = 3, q = 4, r = 2;
  HOMEWORK["h12-veckron.tex"] = {
    draw: (g) => ({ A: g.mat(m, p), X: g.mat(p, q), B: g.mat(q, r), C: g.mat(q, q) }),
    chains: [
      chain(jacOf((v) => mm(v.A!, v.X!, v.B!), "X"), [10, (v) => kron(T(v.B!), v.A!)]),
      chain(jacOf((v) => mm(v.A!, v.X!), "X"), [11, (v) => kron(I(q), v.A!)]),
      chain(jacOf((v) => mm(v.X!, v.B!), "X"), [12, (v) => kron(T(v.B!), I(p))]),
      chain(jacOf((v) => mm(v.X!, v.C!), "X"), [13, (v) => kron(I(p), T(v.C!))]),
      chain(jacOf((v) => mm(v.A!, v.X!, v.B!), "X"), [16, (v) => kron(v.A!, T(v.B!))]),
      chain(value((v) => mm(T(kron(T(v.B!), v.A!)), kron(T(v.B!), v.A!))), [18, (v) => kron(mm(v.B!, T(v.B!)), mm(T(v.A!), v.A!))]),
      chain(value((v) => T(kron(T(v.B!), v.A!))), [19, (v) => kron(v.B!, T(v.A!))]),
    ],
  };
}

// ---------------------------------------------------------------- h13 trace drills (.md)
{
  const n = 4, m = 3;
  const trOf = (f: Fn): Fn => (v) => tr(f(v));
  HOMEWORK["h13-trace.md"] = {
    draw: (g) => ({ A: g.mat(n, n), B: g.mat(n, n), X: g.invertible(n), C: g.mat(n, m), D: g.mat(m, n) }),
    chains: [
      chain(value(trOf((v) => mm(v.A!, v.B!))), [7, trOf((v) => mm(v.B!, v.A!))]),
      chain(value(trOf((v) => mm(v.A!, v.B!, v.X!))), [9, trOf((v) => mm(v.X!, v.A!, v.B!))], [9, trOf((v) => mm(v.B!, v.X!, v.A!))]),
      chain(value(trOf((v) => mm(v.A!, v.B!, v.X!))), [11, trOf((v) => mm(v.B!, v.A!, v.X!))]),
      chain(value(trOf((v) => mm(v.C!, v.D!))), [13, trOf((v) => mm(v.D!, v.C!))], [13, trOf((v) => mm(T(v.D!), T(v.C!)))]),
      chain(value(trOf((v) => T(v.A!))), [15, trOf((v) => v.A!)]),
      chain(value(trOf((v) => add(v.A!, v.B!))), [15, (v) => add(tr(v.A!), tr(v.B!))]),
      chain(gradOf(trOf((v) => mm(v.A!, v.X!)), "X"), [19, (v) => T(v.A!)]),
      chain(gradOf(trOf((v) => mm(v.A!, T(v.X!))), "X"), [21, (v) => v.A!]),
      chain(gradOf(trOf((v) => mm(T(v.X!), v.A!, v.X!)), "X"), [23, (v) => mm(add(v.A!, T(v.A!)), v.X!)]),
      chain(gradOf(trOf((v) => mm(v.A!, v.X!, v.B!)), "X"), [25, (v) => mm(T(v.A!), T(v.B!))]),
      chain(gradOf(trOf((v) => mm(v.A!, v.X!, v.B!, v.X!)), "X"), [27, (v) => add(mm(T(v.A!), T(v.X!), T(v.B!)), mm(T(v.B!), T(v.X!), T(v.A!)))]),
      chain(gradOf(trOf((v) => mm(v.X!, v.X!)), "X"), [29, (v) => sc(2, v.X!)]),
      chain(gradOf(trOf((v) => mm(inv(v.X!), v.A!)), "X"), [31, (v) => neg(mm(T(inv(v.X!)), T(v.A!), T(inv(v.X!))))]),
      chain(gradOf(trOf((v) => mm(inv(v.X!), v.A!)), "X"), [33, (v) => neg(mm(inv(v.X!), v.A!, inv(v.X!)))]),
      chain(gradOf((v) => S(logdet(v.X!)), "X"), [35, (v) => T(inv(v.X!))]),
    ],
  };
}

// ---------------------------------------------------------------- h14 weighted least squares (.tex fragment)
{
  const n = 5, d = 3;
  const r = ({ y, X, w }: Values) => sub(y!, mm(X!, w!));
  const E: Fn = (v) => mm(T(r(v)), v.D!, r(v));
  HOMEWORK["h14-weighted-ls.tex"] = {
    draw: (g) => ({ X: g.mat(n, d), y: g.vec(n), w: g.vec(d), D: diag(map(g.vec(n), (t) => 1.5 + t)) }),
    chains: [
      chain(value(E), [5, (v) => add(mm(T(v.y!), v.D!, v.y!), sc(-2, mm(T(v.w!), T(v.X!), v.D!, v.y!)), mm(T(v.w!), T(v.X!), v.D!, v.X!, v.w!))]),
      chain(
        gradOf(E, "w"),
        [10, (v) => add(sc(-2, mm(T(v.X!), v.D!, v.y!)), sc(2, mm(T(v.X!), v.D!, v.X!, v.w!)))],
        [11, (v) => sc(2, mm(T(v.X!), v.D!, neg(r(v))))],
        [12, (v) => sc(2, mm(T(v.X!), neg(r(v)), v.D!))],
      ),
      chain(gradOf(E, "w"), [15, (v) => sc(-2, mm(T(v.X!), v.D!, r(v)))]),
      chain(gradOf(E, "D"), [16, (v) => mm(r(v), T(r(v)))]),
      chain(gradOf(E, "y"), [17, (v) => sc(2, mm(v.D!, r(v)))]),
      chain(gradOf(E, "X"), [18, (v) => sc(-2, mm(v.D!, r(v), T(v.w!)))]),
      chain(hessOf(E, "w"), [19, (v) => sc(2, mm(T(v.X!), v.D!, v.X!))]),
      chain(hessOf(E, "w"), [20, (v) => sc(2, mm(T(v.X!), v.D!, v.D!, v.X!))]),
    ],
  };
}

// ---------------------------------------------------------------- h15 layout habits (.tex: rows of several equations, tags, notes)
{
  const m = 3, n = 4;
  const e = ({ W, x, y }: Values) => sub(mm(W!, x!), y!);
  const L: Fn = (v) => sc(0.5, mm(T(e(v)), e(v)));
  const quad = ({ x, A }: Values) => mm(T(x!), A!, x!);
  HOMEWORK["h15-layout.tex"] = {
    draw: (g) => {
      const v = { W: g.mat(m, n), x: g.vec(n), y: g.vec(m), A: g.mat(n, n) };
      return { ...v, z: mm(v.W, v.x), e: e(v) };
    },
    chains: [
      chain(gradOf((v) => sc(0.5, norm2sq(v.e!)), "e"), [9, (v) => v.e!]),
      chain(gradOf((v) => sc(0.5, norm2sq(sub(v.z!, v.y!))), "z"), [9, (v) => v.e!]),
      chain(gradOf(L, "W"), [10, (v) => mm(e(v), T(v.x!))]),
      chain(gradOf(L, "x"), [10, (v) => mm(T(v.W!), e(v))]),
      chain(value((v) => T(mm(T(v.A!), v.A!))), [14, (v) => mm(T(v.A!), v.A!)]),
      chain(value((v) => T(add(v.A!, T(v.A!)))), [14, (v) => add(v.A!, T(v.A!))]),
      chain(value((v) => tr(mm(T(v.A!), v.A!))), [15, (v) => norm2sq(v.A!)]),
      chain(value(quad), [15, (v) => mm(T(v.x!), T(v.A!), v.x!)]),
      chain(value(quad), [16, (v) => sc(0.5, mm(T(v.x!), add(v.A!, T(v.A!)), v.x!))]),
      chain(value(quad), [16, (v) => mm(T(v.x!), v.A!, v.A!, v.x!)]),
      chain(gradOf(L, "W"), [19, (v) => mm(T(v.W!), e(v), T(v.x!))]),
      chain(gradOf(L, "x"), [22, (v) => mm(T(v.W!), e(v))], [23, (v) => sub(mm(T(v.W!), v.W!, v.x!), mm(T(v.W!), v.y!))]),
    ],
  };
}

// ---------------------------------------------------------------- h16 two problems reusing c and L (.tex, sections and subsections)
{
  const m = 3, n = 4;
  const c1 = ({ W, x }: Values) => sub(mm(T(W!), W!, x!), x!);
  const L1: Fn = (v) => sc(0.5, norm2sq(c1(v)));
  const c2 = ({ A, x, b }: Values) => sub(mm(A!, x!), b!);
  const L2: Fn = (v) => norm2sq(c2(v));
  const L3: Fn = ({ W, x }) => norm2sq(mm(W!, x!));
  HOMEWORK["h16-two-problems.tex"] = {
    draw: (g) => {
      const v = { W: g.mat(m, n), x: g.vec(n), A: g.mat(n, n), b: g.vec(n) };
      return { ...v, c: c1(v) };
    },
    chains: [
      chain(gradOf((v) => sc(0.5, norm2sq(v.c!)), "c"), [9, (v) => v.c!]),
      chain(gradOf(L1, "x"), [12, (v) => mm(T(sub(mm(T(v.W!), v.W!), I(n))), c1(v))], [12, (v) => mm(sub(mm(T(v.W!), v.W!), I(n)), c1(v))]),
      chain(value(L1), [13, (v) => sc(0.5, norm2sq(sub(mm(T(v.W!), v.W!, v.x!), v.x!)))]),
      chain(
        gradOf(L2, "x"),
        [21, (v) => sc(2, mm(T(v.A!), c2(v)))],
        [22, (v) => sc(2, mm(T(v.A!), sub(mm(v.A!, v.x!), v.b!)))],
        [23, (v) => sc(2, sub(mm(T(v.A!), v.A!, v.x!), mm(T(v.A!), v.b!)))],
        [24, (v) => sc(2, sub(mm(v.A!, T(v.A!), v.x!), mm(T(v.A!), v.b!)))],
      ),
      chain(gradOf(L2, "b"), [27, (v) => sc(-2, c2(v))]),
      chain(gradOf(L2, "A"), [27, (v) => sc(2, mm(c2(v), T(v.x!)))]),
      chain(gradOf(L2, "A"), [28, (v) => sc(2, mm(v.x!, T(c2(v))))]),
      chain(gradOf(L3, "W"), [33, (v) => sc(2, mm(v.W!, v.x!, T(v.x!)))], [33, (v) => sc(2, mm(v.W!, v.x!, T(v.x!)))]),
      chain(gradOf(L3, "x"), [34, (v) => sc(2, mm(T(v.W!), v.W!, v.x!))]),
    ],
  };
}

// ---------------------------------------------------------------- h17 the document's own macros (.tex)
{
  const d = 4;
  const f: Fn = ({ x, mu, M }) => mm(T(sub(x!, mu!)), M!, sub(x!, mu!));
  const g: Fn = ({ M, x }) => tr(mm(M!, x!, T(x!)));
  const h: Fn = ({ M, x }) => tr(mm(diag(x!), M!));
  HOMEWORK["h17-macros.tex"] = {
    draw: (r) => ({ M: r.mat(d, d), x: r.vec(d), mu: r.vec(d) }),
    chains: [
      chain(gradOf(f, "mu"), [16, (v) => neg(mm(add(v.M!, T(v.M!)), sub(v.x!, v.mu!)))]),
      chain(gradOf(f, "x"), [17, (v) => mm(add(v.M!, T(v.M!)), sub(v.x!, v.mu!))]),
      chain(gradOf(f, "x"), [18, (v) => sc(2, mm(v.M!, sub(v.x!, v.mu!)))]),
      chain(gradOf(g, "M"), [22, (v) => mm(v.x!, T(v.x!))]),
      chain(gradOf(g, "x"), [23, (v) => mm(add(v.M!, T(v.M!)), v.x!)]),
      chain(gradOf(h, "x"), [24, (v) => diag(v.M!)]),
      chain(gradOf(h, "x"), [25, (v) => mm(v.M!, v.x!)]),
    ],
  };
}

// ---------------------------------------------------------------- h18 elastic net, smooth part (plain)
{
  const n = 5, d = 3;
  const softplus = (a: M) => map(a, (t) => Math.log(1 + Math.exp(t)));
  const r = ({ X, w, y }: Values) => sub(mm(X!, w!), y!);
  const L: Fn = (v) => add(sc(0.5, norm2sq(r(v))), sc(num(v.lambda!) / 2, norm2sq(v.w!)), mm(v.mu!, sum(softplus(v.w!))));
  const tail = (v: Values) => add(mm(v.lambda!, v.w!), mm(v.mu!, sigm(v.w!)));
  HOMEWORK["h18-elastic-net.mc"] = {
    draw: (g) => {
      const v = { X: g.mat(n, d), y: g.vec(n), w: g.vec(d), lambda: g.pos(), mu: g.pos() };
      return { ...v, r: r(v) };
    },
    chains: [
      chain(gradOf((v) => add(sc(0.5, norm2sq(v.r!)), sc(num(v.lambda!) / 2, norm2sq(v.w!)), mm(v.mu!, sum(softplus(v.w!)))), "r"), [6, (v) => v.r!]),
      chain(
        gradOf(L, "w"),
        [7, (v) => add(mm(T(v.X!), r(v)), tail(v))],
        [8, (v) => add(mm(T(v.X!), v.X!, v.w!), neg(mm(T(v.X!), v.y!)), tail(v))],
        [9, (v) => add(mm(add(mm(T(v.X!), v.X!), sc(v.lambda!, I(d))), v.w!), neg(mm(T(v.X!), v.y!)), mm(v.mu!, sigm(v.w!)))],
        [10, (v) => add(mm(add(mm(T(v.X!), v.X!), v.lambda!), v.w!), neg(mm(T(v.X!), v.y!)), mm(v.mu!, sigm(v.w!)))],
      ),
      chain(gradOf(L, "lambda"), [11, (v) => sc(0.5, mm(T(v.w!), v.w!))]),
      chain(gradOf(L, "mu"), [12, (v) => sum(softplus(v.w!))]),
      chain(gradOf(L, "y"), [13, (v) => neg(r(v))]),
      chain(gradOf(L, "X"), [14, (v) => mm(r(v), T(v.w!))]),
      chain(gradOf(L, "X"), [15, (v) => mm(v.X!, r(v), T(v.w!))]),
    ],
  };
}

// ---------------------------------------------------------------- h19 centring and normalising (.md)
{
  const n = 5;
  const C = sub(I(n), sc(1 / n, mm(ones(n), T(ones(n)))));
  const L: Fn = ({ x, g }) => sc(0.5, norm2sq(sub(mm(C, x!), g!)));
  const unit = (z: M) => sc(1 / Math.sqrt(num(norm2sq(z))), z);
  const P = (z: M) => sc(1 / Math.sqrt(num(norm2sq(z))), sub(I(n), mm(unit(z), T(unit(z)))));
  HOMEWORK["h19-layernorm.md"] = {
    draw: (g) => {
      const v = { x: g.vec(n), g: g.vec(n) };
      return { ...v, z: mm(C, v.x) };
    },
    chains: [
      chain(value(() => T(C)), [9, () => C]),
      chain(value(() => mm(C, C)), [9, () => C]),
      chain(value(() => mm(C, ones(n))), [9, () => sc(0, ones(n))]),
      chain(value(() => mm(T(ones(n)), C)), [11, () => T(ones(n))]),
      chain(gradOf(L, "x"), [19, (v) => mm(T(C), sub(mm(C, v.x!), v.g!))], [20, (v) => sub(mm(C, v.x!), mm(C, v.g!))], [21, (v) => sub(v.x!, v.g!)]),
      chain(jacOf((v) => unit(v.z!), "z"), [29, (v) => P(v.z!)]),
      chain(jacOf((v) => unit(mm(C, v.x!)), "x"), [31, (v) => mm(P(mm(C, v.x!)), C)]),
      chain(jacOf((v) => unit(v.z!), "z"), [33, (v) => sc(1 / Math.sqrt(num(norm2sq(v.z!))), P(v.z!))]),
    ],
  };
}

// ---------------------------------------------------------------- h20 kernel ridge and a GP marginal likelihood (plain, two sections)
{
  const n = 4;
  const Aof = ({ K, lambda }: Values) => add(K!, sc(lambda!, I(n)));
  const q: Fn = (v) => mm(T(v.y!), inv(Aof(v)), v.y!);
  const L: Fn = (v) => sub(sc(-0.5, q(v)), S(0.5 * logdet(Aof(v))));
  const Ai = (v: Values) => inv(Aof(v));
  HOMEWORK["h20-kernel-ridge.mc"] = {
    draw: (g) => {
      const v = { K: g.spd(n), y: g.vec(n), lambda: g.pos() };
      return { ...v, A: Aof(v) };
    },
    chains: [
      chain(gradOf(q, "lambda"), [6, (v) => neg(mm(T(v.y!), Ai(v), Ai(v), v.y!))], [7, (v) => neg(norm2sq(mm(Ai(v), v.y!)))], [8, (v) => neg(mm(T(v.y!), Ai(v), Ai(v), v.y!))]),
      chain(gradOf(q, "y"), [9, (v) => sc(2, mm(Ai(v), v.y!))]),
      chain(gradOf(q, "y"), [10, (v) => mm(Ai(v), v.y!)]),
      chain(gradOf(q, "K"), [11, (v) => neg(mm(Ai(v), v.y!, T(v.y!), Ai(v)))]),
      chain(gradOf(q, "K"), [12, (v) => mm(Ai(v), v.y!, T(v.y!), Ai(v))]),
      chain(gradOf((v) => mm(T(v.y!), inv(v.A!), v.y!), "A"), [13, (v) => neg(mm(T(inv(v.A!)), v.y!, T(v.y!), T(inv(v.A!))))]),
      chain(gradOf(L, "lambda"), [19, (v) => sub(sc(0.5, mm(T(v.y!), Ai(v), Ai(v), v.y!)), sc(0.5, tr(Ai(v))))]),
      chain(gradOf(L, "lambda"), [20, (v) => add(sc(0.5, mm(T(v.y!), Ai(v), Ai(v), v.y!)), sc(0.5, tr(Ai(v))))]),
      chain(gradOf(L, "y"), [21, (v) => neg(mm(Ai(v), v.y!))]),
    ],
  };
}

// ---------------------------------------------------------------- h21 two-layer ReLU network, Jacobians (.md)
{
  const m = 3, n = 4, k = 2;
  const relu = (a: M) => map(a, (t) => Math.max(0, t));
  const step = (a: M) => map(a, (t) => (t > 0 ? 1 : 0));
  const fwd = ({ W, V, x }: Values) => {
    const a = mm(W!, x!);
    const h = relu(a);
    return { a, h, o: mm(V!, h) };
  };
  const half = (o: M, t: M) => sc(0.5, norm2sq(sub(o, t)));
  const e = (v: Values) => sub(fwd(v).o, v.t!);
  HOMEWORK["h21-two-layer.md"] = {
    // entries away from ReLU's kink, so that finite differences see one side of it
    draw: (g) => {
      const v = { W: g.mat(m, n), V: g.mat(k, m), x: g.vec(n), t: g.vec(k) };
      return { ...v, ...fwd(v) };
    },
    chains: [
      chain(jacOf((v) => mm(v.V!, v.h!), "h"), [9, (v) => v.V!]),
      chain(jacOf((v) => mm(v.W!, v.x!), "x"), [9, (v) => v.W!]),
      chain(jacOf((v) => mm(v.W!, v.x!), "x"), [9, (v) => T(v.W!)]),
      chain(jacOf((v) => mm(v.V!, relu(v.a!)), "a"), [15, (v) => mm(v.V!, diag(step(v.a!)))]),
      chain(gradOf((v) => half(v.o!, v.t!), "o"), [16, e]),
      chain(gradOf((v) => half(mm(v.V!, v.h!), v.t!), "h"), [17, (v) => mm(T(v.V!), e(v))]),
      chain(gradOf((v) => half(fwd(v).o, v.t!), "V"), [18, (v) => mm(e(v), T(fwd(v).h))]),
      chain(gradOf((v) => half(fwd(v).o, v.t!), "V"), [19, (v) => mm(e(v), T(fwd(v).a))]),
    ],
  };
}

// ---------------------------------------------------------------- h02 logistic regression with σ (.md notebook)
{
  const n = 5, d = 3;
  const nll = (p: M, y: M) => sub(neg(mm(T(y), log(p))), mm(T(sub(ones(n), y)), log(sub(ones(n), p))));
  const pOf = ({ X, w }: Values) => sigm(mm(X!, w!));
  const gate = (p: M) => had(p, sub(ones(n), p));
  HOMEWORK["h02-logistic.md"] = {
    draw: (g) => {
      const v = { X: g.mat(n, d), w: g.vec(d), y: g.vec(n) };
      return { ...v, z: mm(v.X, v.w) };
    },
    chains: [
      chain(
        gradOf((v) => nll(sigm(v.z!), v.y!), "z"),
        [25, (v) => { const p = pOf(v); return add(had(had(hdiv(neg(v.y!), p), p), sub(ones(n), p)), had(had(hdiv(sub(ones(n), v.y!), sub(ones(n), p)), p), sub(ones(n), p))); }],
        [26, (v) => { const p = pOf(v); return add(neg(had(v.y!, sub(ones(n), p))), had(sub(ones(n), v.y!), p)); }],
        [27, (v) => sub(pOf(v), v.y!)],
      ),
      chain(gradOf((v) => nll(pOf(v), v.y!), "w"), [33, (v) => mm(T(v.X!), sub(pOf(v), v.y!))], [33, (v) => mm(T(v.X!), sub(pOf(v), v.y!))]),
      chain(gradOf((v) => nll(pOf(v), v.y!), "w"), [37, (v) => mm(v.X!, T(sub(pOf(v), v.y!)))]),
      chain(hessOf((v) => nll(pOf(v), v.y!), "w"), [41, (v) => mm(T(v.X!), diag(gate(pOf(v))), v.X!)]),
      chain(jacOf((v) => sigm(v.z!), "z"), [45, (v) => diag(gate(pOf(v)))], [45, (v) => sub(diag(pOf(v)), mm(pOf(v), T(pOf(v))))]),
      chain(jacOf(pOf, "w"), [47, (v) => mm(diag(gate(pOf(v))), v.X!)]),
    ],
  };
}

// ---------------------------------------------------------------- h22 hats, ℓ, 𝓛(w), W^{(1)}, ^\intercal, ^{\mathsf T}, σ (.tex)
{
  const n = 5, d = 3;
  const yhat = ({ X, W1, w }: Values) => mm(X!, W1!, w!);
  const Lw: Fn = (v) => add(norm2sq(sub(yhat(v), v.y!)), mm(v.alpha!, T(v.w!), v.w!));
  const XW = (v: Values) => mm(v.X!, v.W1!);
  const J = (g: M, v: Values) => sc(0.5, norm2sq(sub(had(g, mm(v.X!, v.w!)), v.y!)));
  HOMEWORK["h22-notation.tex"] = {
    draw: (g) => {
      const v = { X: g.mat(n, d), W1: g.mat(d, d), w: g.vec(d), y: g.vec(n), alpha: g.pos() };
      return { ...v, yhat: yhat(v), g: sigm(mm(v.X, v.w)) };
    },
    chains: [
      chain(gradOf((v) => norm2sq(sub(v.yhat!, v.y!)), "yhat"), [14, (v) => sc(2, sub(v.yhat!, v.y!))]),
      chain(
        gradOf(Lw, "w"),
        [15, (v) => add(sc(2, mm(T(v.W1!), T(v.X!), sub(yhat(v), v.y!))), sc(2, mm(v.alpha!, v.w!)))],
        [16, (v) => add(sc(2, mm(T(XW(v)), sub(mm(XW(v), v.w!), v.y!))), sc(2, mm(v.alpha!, v.w!)))],
        [17, (v) => add(sc(2, mm(XW(v), sub(mm(XW(v), v.w!), v.y!))), sc(2, mm(v.alpha!, v.w!)))],
      ),
      chain(hessOf(Lw, "w"), [21, (v) => add(sc(2, mm(T(v.W1!), T(v.X!), v.X!, v.W1!)), sc(2, sc(v.alpha!, I(d))))]),
      chain(gradOf((v) => J(v.g!, v), "g"), [25, (v) => had(mm(v.X!, v.w!), sub(had(v.g!, mm(v.X!, v.w!)), v.y!))]),
      chain(jacOf((v) => sigm(mm(v.X!, v.w!)), "w"), [27, (v) => { const s = sigm(mm(v.X!, v.w!)); return mm(diag(had(s, sub(ones(n), s))), v.X!); }]),
      chain(gradOf((v) => J(v.g!, v), "g"), [29, (v) => sub(had(v.g!, mm(v.X!, v.w!)), v.y!)]),
    ],
  };
}

// ---------------------------------------------------------------- h23 as typed: \(…\), macros with arguments, conditions, = 0, d/dx, \nabla_{w_2}, z^\top B z / z^\top z (.tex)
{
  const n = 4, m = 4, d = 3;
  const f: Fn = ({ A, x, b }) => sub(sc(0.5, mm(T(x!), A!, x!)), mm(T(b!), x!));
  const L: Fn = ({ W1, w2, x2 }) => add(sc(0.5, norm2sq(mm(W1!, x2!))), mm(T(w2!), W1!, x2!));
  const r: Fn = ({ B, z }) => sc(1 / num(mm(T(z!), z!)), mm(T(z!), B!, z!));
  const values = (g: Draw, A: M, B: M): Values => ({ A, x: g.vec(n), b: g.vec(n), W1: g.mat(m, d), w2: g.vec(m), x2: g.vec(d), B, z: g.vec(n) });
  const general = (g: Draw) => values(g, g.mat(n, n), g.mat(n, n));
  const symmetric = (g: Draw) => values(g, g.sym(n), g.sym(n));
  HOMEWORK["h23-as-typed.tex"] = {
    draw: general,
    chains: [
      chain(gradOf(f, "x"), [10, ({ A, x, b }) => sub(sc(0.5, mm(add(A!, T(A!)), x!)), b!)], [11, ({ A, x, b }) => sub(mm(A!, x!), b!)]),
      assuming(symmetric, gradOf(f, "x"), [14, ({ A, x, b }) => sub(mm(A!, x!), b!)]),
      chain(gradOf(({ b, x }) => mm(T(b!), x!), "x"), [16, ({ b }) => b!]),
      assuming(symmetric, gradOf(f, "x"), [16, ({ A, x, b }) => sub(mm(A!, x!), b!)]),
      chain(gradOf(L, "w2"), [19, ({ W1, x2 }) => mm(W1!, x2!)]),
      chain(gradOf(L, "W1"), [20, ({ W1, w2, x2 }) => add(mm(W1!, x2!, T(x2!)), mm(w2!, T(x2!)))]),
      chain(gradOf(L, "x2"), [21, ({ W1, w2, x2 }) => add(mm(T(W1!), W1!, x2!), mm(W1!, w2!))]),
      chain(gradOf(r, "z"), [24, (v) => sc(2 / num(mm(T(v.z!), v.z!)), sub(sc(0.5, mm(add(v.B!, T(v.B!)), v.z!)), sc(r(v), v.z!)))]),
      assuming(symmetric, gradOf(r, "z"), [26, (v) => sc(2 / num(mm(T(v.z!), v.z!)), sub(mm(v.B!, v.z!), sc(r(v), v.z!)))]),
    ],
  };
}
