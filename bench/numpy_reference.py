"""Baselines for the generated code (bench/numpy_losses.py times them beside matcalc's modules):
for each of the seven losses, a gradient written by hand in NumPy the way an expert would (one
factorization, products in the cheap order, nothing computed twice), and, where torch imports,
the loss written in PyTorch for autograd (forward + backward). Each takes the generated module's
arguments by name.
"""
import numpy as np


def _softmax(t):
    e = np.exp(t - np.max(t))
    return e / np.sum(e)


def gp_lvm(X, Y, alpha, beta):
    """α(K⁻¹YYᵀK⁻¹ − DK⁻¹)X with one solve of K against [Y X]: α(A(AᵀX) − D·B)."""
    K = alpha * (X @ X.T)
    K[np.diag_indices_from(K)] += 1.0 / beta
    D = Y.shape[1]
    Z = np.linalg.solve(K, np.hstack([Y, X]))
    A, B = Z[:, :D], Z[:, D:]
    return alpha * (A @ (A.T @ X) - D * B)


def autoencoder(X, W):
    """−2(X(EᵀW) + E(XᵀW)), E = X − W(WᵀX), with P = WᵀX computed once."""
    P = W.T @ X
    E = X - W @ P
    return -2.0 * (X @ (E.T @ W) + E @ P.T)


def ridge(X, w, y, lambda_):
    """2Xᵀ(Xw − y) + 2λw."""
    return 2.0 * (X.T @ (X @ w - y)) + (2.0 * lambda_) * w


def logistic(X, w, t):
    """Xᵀ(σ(Xw) − t)."""
    return X.T @ (1.0 / (1.0 + np.exp(-(X @ w))) - t)


def softmax_cross_entropy(W, x, y):
    """(sum(y)·softmax(Wx) − y)xᵀ as an outer product."""
    return np.outer(np.sum(y) * _softmax(W @ x) - y, x)


def mlp_tanh(W, V, x, y):
    """δxᵀ, δ = Vᵀ(Vh − y) ⊙ (1 − h²), h = tanh(Wx)."""
    h = np.tanh(W @ x)
    delta = (V.T @ (V @ h - y)) * (1.0 - h * h)
    return np.outer(delta, x)


def mlp_batched(W, V, X, Y):
    """ΔXᵀ, Δ = Vᵀ(VH − Y) ⊙ (1 − H ⊙ H), H = tanh(WX)."""
    H = np.tanh(W @ X)
    delta = (V.T @ (V @ H - Y)) * (1.0 - H * H)
    return delta @ X.T


HAND = {
    "gp-lvm": gp_lvm,
    "autoencoder": autoencoder,
    "ridge": ridge,
    "logistic": logistic,
    "softmax-cross-entropy": softmax_cross_entropy,
    "mlp-tanh": mlp_tanh,
    "mlp-batched": mlp_batched,
}


def torch_losses(torch):
    """The same losses in PyTorch (float64), for autograd: forward + backward by the variable."""
    F = torch.nn.functional

    def gp(X, Y, alpha, beta):
        K = alpha * (X @ X.T) + torch.eye(X.shape[0], dtype=X.dtype) / beta
        L = torch.linalg.cholesky(K)
        return -Y.shape[1] * torch.log(torch.diagonal(L)).sum() - 0.5 * (Y * torch.cholesky_solve(Y, L)).sum()

    return {
        "gp-lvm": ("X", gp),
        "autoencoder": ("W", lambda X, W: ((X - W @ (W.T @ X)) ** 2).sum()),
        "ridge": ("w", lambda X, w, y, lambda_: ((X @ w - y) ** 2).sum() + lambda_ * (w ** 2).sum()),
        "logistic": ("w", lambda X, w, t: F.softplus(X @ w).sum() - t @ (X @ w)),
        "softmax-cross-entropy": ("W", lambda W, x, y: -(y * F.log_softmax(W @ x, dim=0)).sum()),
        "mlp-tanh": ("W", lambda W, V, x, y: 0.5 * ((V @ torch.tanh(W @ x) - y) ** 2).sum()),
        "mlp-batched": ("W", lambda W, V, X, Y: 0.5 * ((V @ torch.tanh(W @ X) - Y) ** 2).sum()),
    }
