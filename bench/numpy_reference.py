"""Hand-written NumPy for the generated modules whose derivative/value ratio is near or over the
target: what an expert would write, with the fewest passes over the data that NumPy allows. The
benchmark times them beside matcalc's modules, so that a ratio over 3 can be told apart from a
floor of the problem itself: if the hand-written code's ratio is over 3 too, no generated code
does better with NumPy's primitives. Each entry takes the generated module's arguments.
"""
import numpy as np


def residual_value(W, x):
    """½‖WᵀWx − x‖²: two matrix–vector products."""
    r = W.T @ (W @ x) - x
    return 0.5 * float(r @ r)


def residual_derivative(W, x):
    """W(rxᵀ + xrᵀ) = (Wr)xᵀ + (Wx)rᵀ: one matrix–vector product more than the value, and the m×n
    result written once, as one rank-2 product."""
    a = W @ x
    r = W.T @ a - x
    return np.column_stack((W @ r, a)) @ np.vstack((x, r))


def gp_logdet_value(X, alpha, beta, D):
    """−D/2·log|K|, K = αXXᵀ + β⁻¹I spd: log|K| = 2Σ log Lᵢᵢ of its Cholesky factor."""
    K = alpha * (X @ X.T)
    K[np.diag_indices_from(K)] += 1.0 / beta
    return -D * float(np.sum(np.log(np.diag(np.linalg.cholesky(K)))))


def gp_logdet_derivative(X, alpha, beta, D):
    """−αDK⁻¹X: NumPy has no triangular solve, so one LU solve with the columns of X."""
    K = alpha * (X @ X.T)
    K[np.diag_indices_from(K)] += 1.0 / beta
    return -(alpha * D) * np.linalg.solve(K, X)


def autoencoder_value(X, W):
    """‖X − WWᵀX‖_F² as ‖X − W(WᵀX)‖²: two products with X."""
    E = X - W @ (W.T @ X)
    return float(np.vdot(E, E))


def autoencoder_derivative(X, W):
    """−2(XEᵀ + EXᵀ)W = −2(X(EᵀW) + E(XᵀW)), E = X − WWᵀX."""
    P = W.T @ X
    E = X - W @ P
    return -2.0 * (X @ (E.T @ W) + E @ P.T)


REFERENCES = {
    "seed-1d": (residual_value, residual_derivative),
    "seed-1d-definitions": (residual_value, residual_derivative),
    "seed-2b-logdet": (gp_logdet_value, gp_logdet_derivative),
    "ml-linear-autoencoder-tied": (autoencoder_value, autoencoder_derivative),
}
