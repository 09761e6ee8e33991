"""Small numpy networks for the reference experiment: an MLP and a CNN.

Weights and activations are float32 (fast on 2 cores); metrics and everything
measured from activations are computed in float64. Everything is vectorised;
forward and backward are written out by hand (a convolution is computed as one
product with the equivalent dense matrix). A network is a list of hidden blocks
followed by a dense softmax output:

    dense block: x @ W (+ b) -> [batch norm] -> ReLU -> [dropout]
    conv block:  3x3 conv, stride 1, zero padding 1 (+ b) -> [batch norm] -> ReLU
                 -> [2x2 max pool] -> [dropout]

A block's *units* are its ReLU outputs: one per neuron of a dense block, one per
feature map of a conv block. Every perturbation (ablation = multiply by 0,
Gaussian noise) acts on the ReLU output, before pooling and dropout.
Activations of conv blocks are NHWC arrays (images, rows, columns, maps).
"""

import os
import sys

import numpy as np

# log_softmax and the metrics are lesion.measure's (python/src/lesion/measure.py)
sys.path.insert(1, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "python", "src"))
from lesion.measure import log_softmax  # noqa: E402

BN_EPS = 1e-5
BN_MOMENTUM = 0.1
DTYPE = np.float32   # weights and activations; metrics are computed in float64


# --------------------------------------------------------------------------- layers

def conv_index(h, w, cin, cout):
    """Where each weight of a 3x3, stride 1, zero-padding 1 convolution of an
    (h, w, cin) input sits in the equivalent dense (h*w*cin, h*w*cout) matrix.
    The weight matrix W is (9*cin, cout), rows ordered (kernel row, kernel column,
    input map)."""
    rows, cols, widx = [], [], []
    for oh in range(h):
        for ow in range(w):
            for di in range(3):
                for dj in range(3):
                    ih, iw = oh + di - 1, ow + dj - 1
                    if not (0 <= ih < h and 0 <= iw < w):
                        continue
                    for ci in range(cin):
                        for co in range(cout):
                            rows.append((ih * w + iw) * cin + ci)
                            cols.append((oh * w + ow) * cout + co)
                            widx.append(((di * 3 + dj) * cin + ci) * cout + co)
    return (np.array(rows), np.array(cols), np.array(widx), (h * w * cin, h * w * cout))


def conv_matrix(W, index):
    rows, cols, widx, shape = index
    T = np.zeros(shape, dtype=W.dtype)
    T[rows, cols] = W.reshape(-1)[widx]
    return T


def conv_matrix_grad(dT, index, wshape):
    rows, cols, widx, _ = index
    g = np.bincount(widx, weights=dT[rows, cols].astype(np.float64), minlength=wshape[0] * wshape[1])
    return g.reshape(wshape).astype(dT.dtype)


def maxpool(x):
    return np.maximum(np.maximum(x[:, 0::2, 0::2, :], x[:, 0::2, 1::2, :]),
                      np.maximum(x[:, 1::2, 0::2, :], x[:, 1::2, 1::2, :]))


def maxpool_backward(x, out, dout):
    """Route each window's gradient to its maximal positions. Ties happen only
    between zeros of a ReLU output, whose gradient the ReLU then discards."""
    n, h, w, c = x.shape
    r = x.reshape(n, h // 2, 2, w // 2, 2, c)
    mask = r == out[:, :, None, :, None, :]
    return (mask * dout[:, :, None, :, None, :]).reshape(n, h, w, c)


def colsum(z):
    """Column sums of a 2-D array, as a matrix product (much faster than
    z.sum(axis=0) for a tall, narrow array)."""
    return np.ones(z.shape[0], dtype=z.dtype) @ z


# --------------------------------------------------------------------------- network

class Adam:
    """Adam updates of `self.params` (a dict of float32 arrays), shared by the networks."""

    def init_adam(self):
        self.adam_m = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.adam_v = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.adam_t = 0

    def adam(self, grads, lr, b1=0.9, b2=0.999, eps=1e-8):
        self.adam_t += 1
        t = self.adam_t
        for k, g in grads.items():
            m = self.adam_m[k] = b1 * self.adam_m[k] + (1 - b1) * g
            v = self.adam_v[k] = b2 * self.adam_v[k] + (1 - b2) * g * g
            mhat = m / (1 - b1 ** t)
            vhat = v / (1 - b2 ** t)
            self.params[k] -= lr * mhat / (np.sqrt(vhat) + eps)


class Net(Adam):
    """blocks: list of dicts with keys name, kind ('dense'|'conv'), units, pool (bool)."""

    def __init__(self, blocks, in_shape, classes, batch_norm, dropout, rng):
        self.blocks = [dict(b) for b in blocks]
        self.in_shape = in_shape          # (64,) for the MLP, (8, 8, 1) for the CNN
        self.classes = classes
        self.batch_norm = batch_norm
        self.dropout = dropout
        self.params = {}
        shape = in_shape
        for b in self.blocks:
            name = b["name"]
            if b["kind"] == "dense":
                fan_in = int(np.prod(shape))
                self.params[name + ".W"] = rng.normal(0.0, np.sqrt(2.0 / fan_in), (fan_in, b["units"]))
                shape = (b["units"],)
            else:
                cin = shape[2]
                fan_in = 9 * cin
                self.params[name + ".W"] = rng.normal(0.0, np.sqrt(2.0 / fan_in), (fan_in, b["units"]))
                h, w = shape[0], shape[1]
                b["conv_index"] = conv_index(h, w, cin, b["units"])
                if b.get("pool"):
                    h, w = h // 2, w // 2
                shape = (h, w, b["units"])
            if batch_norm:
                self.params[name + ".gamma"] = np.ones(b["units"])
                self.params[name + ".beta"] = np.zeros(b["units"])
                b["running_mean"] = np.zeros(b["units"], dtype=DTYPE)
                b["running_var"] = np.ones(b["units"], dtype=DTYPE)
            else:
                self.params[name + ".b"] = np.zeros(b["units"])
        fan_in = int(np.prod(shape))
        self.params["out.W"] = rng.normal(0.0, np.sqrt(1.0 / fan_in), (fan_in, classes))
        self.params["out.b"] = np.zeros(classes)
        self.params = {k: v.astype(DTYPE) for k, v in self.params.items()}
        self.init_adam()

    # ---------------------------------------------------------------- evaluation

    def block_input(self, i, x):
        """Reshape the previous block's output for block i."""
        b = self.blocks[i]
        if b["kind"] == "dense":
            return x.reshape(x.shape[0], -1)
        return x

    def preact(self, i, x, train=False, cache=None):
        """Linear part + batch norm of block i; x is the block's input."""
        b = self.blocks[i]
        name = b["name"]
        W = self.params[name + ".W"]
        if b["kind"] == "dense":
            cols = x
            z = cols @ W
        else:
            # the convolution as one dense matrix T (inputs x outputs, NHWC order)
            cols = x.reshape(x.shape[0], -1)
            n, h, w, _ = x.shape
            T = conv_matrix(W, b["conv_index"])
            z = (cols @ T).reshape(n, h, w, W.shape[1])
            if cache is not None:
                cache["T"] = T
        if not self.batch_norm:
            z = z + self.params[name + ".b"]
            if cache is not None:
                cache["cols"] = cols
            return z
        zshape = z.shape
        z = z.reshape(-1, zshape[-1])
        if train:
            cnt = z.shape[0]
            mu = colsum(z) / cnt
            d = z - mu
            var = colsum(d * d) / cnt
            b["running_mean"] = (1 - BN_MOMENTUM) * b["running_mean"] + BN_MOMENTUM * mu
            b["running_var"] = (1 - BN_MOMENTUM) * b["running_var"] + BN_MOMENTUM * var * cnt / (cnt - 1)
        else:
            mu = b["running_mean"]
            var = b["running_var"]
        inv = 1.0 / np.sqrt(var + BN_EPS)
        xhat = (z - mu) * inv
        if cache is not None:
            cache["cols"] = cols
            cache["xhat"] = xhat
            cache["inv"] = inv
        return (self.params[name + ".gamma"] * xhat + self.params[name + ".beta"]).reshape(zshape)

    def post(self, i, a):
        """What follows the ReLU output (the units) of block i at evaluation: pooling."""
        if self.blocks[i].get("pool"):
            return maxpool(a)
        return a

    def logits_from(self, h):
        return h.reshape(h.shape[0], -1) @ self.params["out.W"] + self.params["out.b"]

    def forward_eval(self, X, start=0, start_units=None, perturb=None):
        """Evaluation-mode forward pass (running batch-norm statistics, no dropout).

        start, start_units: begin at block `start` whose units (ReLU output) are
            given; perturb is applied to that block too.
        perturb: function (block index, units) -> units, applied to each block's
            ReLU output, or None.
        Returns (logits, list of unit activations per block; None for blocks
        before start).
        """
        units = [None] * len(self.blocks)
        h = X.astype(DTYPE) if X is not None else None
        for i in range(len(self.blocks)):
            if i < start:
                continue
            if i == start and start_units is not None:
                a = start_units
            else:
                a = np.maximum(self.preact(i, self.block_input(i, h)), 0.0)
            if perturb is not None:
                a = perturb(i, a)
            units[i] = a
            h = self.post(i, a)
        return self.logits_from(h), units

    # ---------------------------------------------------------------- training

    def train_step(self, X, y, lr, rng):
        caches = []
        h = X.astype(DTYPE)
        for i, b in enumerate(self.blocks):
            c = {}
            x = self.block_input(i, h)
            c["in_shape"] = h.shape
            z = self.preact(i, x, train=True, cache=c)
            a = np.maximum(z, 0.0)
            c["relu_mask"] = z > 0
            out = a
            if b.get("pool"):
                c["pool_in"] = a
                out = maxpool(a)
                c["pool_out"] = out
            if self.dropout > 0:
                keep = (rng.random(out.shape, dtype=DTYPE) >= DTYPE(self.dropout)).astype(DTYPE) / DTYPE(1.0 - self.dropout)
                c["keep"] = keep
                out = out * keep
            caches.append(c)
            h = out
        flat = h.reshape(h.shape[0], -1)
        logits = flat @ self.params["out.W"] + self.params["out.b"]
        n = X.shape[0]
        p = np.exp(log_softmax(logits.astype(np.float64)))
        dlogits = p.astype(DTYPE)
        dlogits[np.arange(n), y] -= 1.0
        dlogits /= n
        grads = {"out.W": flat.T @ dlogits, "out.b": colsum(dlogits)}
        dh = (dlogits @ self.params["out.W"].T).reshape(h.shape)
        for i in range(len(self.blocks) - 1, -1, -1):
            b, c = self.blocks[i], caches[i]
            name = b["name"]
            if self.dropout > 0:
                dh = dh * c["keep"]
            if b.get("pool"):
                dh = maxpool_backward(c["pool_in"], c["pool_out"], dh)
            dz = dh * c["relu_mask"]
            dshape = dz.shape
            dz = dz.reshape(-1, dshape[-1])
            if self.batch_norm:
                xhat = c["xhat"]
                grads[name + ".gamma"] = colsum(dz * xhat)
                grads[name + ".beta"] = colsum(dz)
                dxhat = dz * self.params[name + ".gamma"]
                m = dz.shape[0]
                dz = c["inv"] / m * (m * dxhat - colsum(dxhat) - xhat * colsum(dxhat * xhat))
            else:
                grads[name + ".b"] = colsum(dz)
            dz = dz.reshape(dshape)
            cols = c["cols"]
            W = self.params[name + ".W"]
            if b["kind"] == "dense":
                grads[name + ".W"] = cols.T @ dz
                if i > 0:
                    dh = (dz @ W.T).reshape(c["in_shape"])
            else:
                dz2 = dz.reshape(dz.shape[0], -1)
                grads[name + ".W"] = conv_matrix_grad(cols.T @ dz2, b["conv_index"], W.shape)
                if i > 0:
                    dh = (dz2 @ c["T"].T).reshape(c["in_shape"])
        self.adam(grads, lr)


class Autoencoder(Adam):
    """A model without classes: x (64 pixels) -> ReLU(x W1 + b1) (the hidden units,
    layer `code`) -> h W2 + b2 (64 pixels, linear), trained on the mean squared
    reconstruction error."""

    def __init__(self, inputs, hidden, rng):
        self.params = {
            "code.W": rng.normal(0.0, np.sqrt(2.0 / inputs), (inputs, hidden)),
            "code.b": np.zeros(hidden),
            "out.W": rng.normal(0.0, np.sqrt(1.0 / hidden), (hidden, inputs)),
            "out.b": np.zeros(inputs),
        }
        self.params = {k: v.astype(DTYPE) for k, v in self.params.items()}
        self.init_adam()

    def encode(self, X):
        """The hidden units (evaluation and training are the same: no batch norm, no dropout)."""
        return np.maximum(X.astype(DTYPE) @ self.params["code.W"] + self.params["code.b"], 0.0)

    def decode(self, h):
        return h @ self.params["out.W"] + self.params["out.b"]

    def train_step(self, X, lr):
        x = X.astype(DTYPE)
        z = x @ self.params["code.W"] + self.params["code.b"]
        h = np.maximum(z, 0.0)
        out = h @ self.params["out.W"] + self.params["out.b"]
        dout = (2.0 / out.size) * (out - x)
        dz = (dout @ self.params["out.W"].T) * (z > 0)
        self.adam({"out.W": h.T @ dout, "out.b": colsum(dout), "code.W": x.T @ dz, "code.b": colsum(dz)}, lr)


def reconstruction_error(out, X):
    """Mean squared error over images and pixels, in float64."""
    return float(np.mean((out.astype(np.float64) - X) ** 2))
