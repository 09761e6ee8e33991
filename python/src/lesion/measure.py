"""The measurements of Morcos et al. (2018), numpy only.

*On the importance of single directions for generalization* measures, for every
hidden unit of a trained network, how class-selective it is and how much the network
suffers when it is removed, and for a whole network how fast it degrades as more and
more units are removed or noised. This module computes all of it from activations,
labels and a callback that evaluates the network under a perturbation, so it works
with any framework (`lesion.torch` is one such caller; `Fixtures/experiment` is
another, with hand-written numpy networks).

Conventions
-----------
- An activation array holds one row per input and **units on the last axis**; any
  axes in between are positions (a feature map is one unit, ``(images, rows,
  columns, maps)``).
- A *layer* is any hashable key the caller's evaluate callback understands (a block
  index, a module name).
- An *ablation* maps layers to the unit indices set to 0 there; a *noise* maps layers
  to the standard deviation of the Gaussian noise added to each of their units.
- Logits are ``(inputs, classes)`` arrays; every metric is computed in float64.

Every function is deterministic: random orders and noise come from the
``numpy.random.Generator`` the caller passes (or makes with ``rng_for``).
"""

from __future__ import annotations

from typing import Callable, Dict, Hashable, List, Mapping, Optional, Sequence, Tuple

import numpy as np

__all__ = [
    "Ablation", "Noise", "EvaluateAblations", "EvaluateNoise",
    "log_softmax", "logit_metrics", "class_accuracy",
    "unit_activity", "class_means", "class_selectivity", "mutual_information",
    "unit_sd", "zero_units", "noise_like",
    "single_unit_ablation", "ablation_order", "ablation_curves", "noise_curves",
    "ORDERS", "Score",
]

Ablation = Mapping[Hashable, np.ndarray]
"""Layer → indices of the units set to 0 in that layer."""

Noise = Mapping[Hashable, np.ndarray]
"""Layer → standard deviation of the noise added to each unit (one per unit)."""

EvaluateAblations = Callable[[str, Sequence[Ablation]], Sequence[np.ndarray]]
"""``evaluate(split, ablations)`` → the logits on ``split`` under each ablation."""

EvaluateNoise = Callable[[str, Noise, np.random.Generator], np.ndarray]
"""``evaluate(split, noise, rng)`` → the logits on ``split`` with noise drawn from
``rng`` (with :func:`noise_like`, layer by layer in forward order) added."""

Score = Callable[[str, np.ndarray], Mapping[str, float]]
"""``score(split, outputs)`` → {metric name: value}: what a curve point records."""

ORDERS = ("random", "selectivity_desc", "selectivity_asc")
"""The ablation orders of :func:`ablation_order`."""


# --------------------------------------------------------------------------- metrics

def log_softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise log softmax, stabilised by subtracting each row's maximum.

    Parameters
    ----------
    z : ndarray, shape (n, classes)

    Returns
    -------
    ndarray of the same shape and dtype.
    """
    m = z.max(axis=1, keepdims=True)
    s = z - m
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


def logit_metrics(logits: np.ndarray, labels: np.ndarray) -> Tuple[float, float]:
    """Accuracy and mean cross-entropy (natural log) of logits against labels.

    Parameters
    ----------
    logits : ndarray, shape (n, classes)
    labels : ndarray of int, shape (n,)

    Returns
    -------
    (accuracy, loss) : tuple of float
    """
    lp = log_softmax(np.asarray(logits).astype(np.float64))
    n = labels.shape[0]
    acc = float(np.mean(lp.argmax(axis=1) == labels))
    loss = float(-lp[np.arange(n), labels].mean())
    return acc, loss


def class_accuracy(logits: np.ndarray, labels: np.ndarray, classes: int) -> np.ndarray:
    """Accuracy on the inputs of each true class.

    Parameters
    ----------
    logits : ndarray, shape (n, classes)
    labels : ndarray of int, shape (n,)
    classes : int

    Returns
    -------
    ndarray of float64, shape (classes,); NaN for a class with no input.
    """
    pred = np.asarray(logits).argmax(axis=1)
    out = np.empty(classes)
    for c in range(classes):
        mine = labels == c
        out[c] = np.mean(pred[mine] == c) if mine.any() else np.nan
    return out


# --------------------------------------------------------------------------- units

def unit_activity(activations: np.ndarray) -> np.ndarray:
    """Each input's activity per unit, in float64: a feature map's spatial mean.

    Parameters
    ----------
    activations : ndarray, shape (n, [positions...,] units)

    Returns
    -------
    ndarray of float64, shape (n, units)
    """
    a = np.asarray(activations).astype(np.float64)
    if a.ndim > 2:
        a = a.mean(axis=tuple(range(1, a.ndim - 1)))
    return a


def class_means(activity: np.ndarray, labels: np.ndarray, classes: int) -> np.ndarray:
    """Mean activity of each unit over the inputs of each true class.

    Parameters
    ----------
    activity : ndarray, shape (n, units)
        From :func:`unit_activity`.
    labels : ndarray of int, shape (n,)
    classes : int

    Returns
    -------
    ndarray of float64, shape (units, classes); NaN for a class with no input.
    """
    return np.stack([activity[labels == c].mean(axis=0) if np.any(labels == c)
                     else np.full(activity.shape[1], np.nan)
                     for c in range(classes)], axis=1)


def class_selectivity(means: np.ndarray) -> np.ndarray:
    """Class selectivity (μmax − μ−max) / (μmax + μ−max) per unit.

    μmax is the largest class mean of the unit, μ−max the mean of the other classes'
    means. A unit silent on every input (0/0) is undefined: NaN.

    Parameters
    ----------
    means : ndarray, shape (units, classes)
        From :func:`class_means`.

    Returns
    -------
    ndarray of float64, shape (units,)
    """
    n = means.shape[0]
    out = np.empty(n)
    for u in range(n):
        row = means[u]
        if np.isnan(row).any():
            out[u] = np.nan
            continue
        j = int(np.argmax(row))
        mx = row[j]
        rest = np.delete(row, j).mean()
        den = mx + rest
        out[u] = (mx - rest) / den if den != 0 else np.nan
    return out


def mutual_information(activity: np.ndarray, labels: np.ndarray, classes: int, bins: int = 10) -> float:
    """Plug-in mutual information, in bits, between one unit's activity and the class.

    The activity is cut into ``bins`` equal-width bins over its [min, max]; the
    estimate is Σ p(b,c) log₂(p(b,c) / (p(b) p(c))) over the bins × classes table,
    without bias correction. A constant unit carries 0 bits.

    Parameters
    ----------
    activity : ndarray, shape (n,)
        One unit's column of :func:`unit_activity`.
    labels : ndarray of int, shape (n,)
    classes : int
    bins : int, default 10

    Returns
    -------
    float, ≥ 0
    """
    lo, hi = activity.min(), activity.max()
    if not hi > lo:
        return 0.0
    b = np.minimum(np.floor((activity - lo) / (hi - lo) * bins).astype(np.int64), bins - 1)
    joint = np.zeros((bins, classes))
    np.add.at(joint, (b, labels), 1.0)
    p = joint / joint.sum()
    pb = p.sum(axis=1, keepdims=True)
    pc = p.sum(axis=0, keepdims=True)
    nz = p > 0
    mi = float(np.sum(p[nz] * np.log2(p[nz] / (pb @ pc)[nz])))
    return max(mi, 0.0)


def unit_sd(activations: np.ndarray) -> np.ndarray:
    """Each unit's standard deviation over inputs (and positions), as float32.

    This is the scale of the noise curves: noise x adds N(0, (x·sd)²).

    Parameters
    ----------
    activations : ndarray, shape (n, [positions...,] units)

    Returns
    -------
    ndarray of float32, shape (units,)
    """
    a = np.asarray(activations)
    return a.reshape(-1, a.shape[-1]).astype(np.float64).std(axis=0).astype(np.float32)


# --------------------------------------------------------------------------- perturbing

def zero_units(activations: np.ndarray, units: np.ndarray) -> np.ndarray:
    """A copy of ``activations`` with the given units (last axis) set to 0."""
    a = activations.copy()
    a[..., np.asarray(units, dtype=np.int64)] = 0.0
    return a


def noise_like(shape: Tuple[int, ...], sd: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Gaussian noise of ``shape`` (units last) with per-unit standard deviation ``sd``.

    Draws ``rng.standard_normal(shape, dtype=float32)``: callers that draw with this,
    layer by layer in forward order, get the same noise whatever their framework.
    """
    return rng.standard_normal(shape, dtype=np.float32) * sd


def _chunks(n: int, size: int) -> List[range]:
    size = max(1, int(size))
    return [range(s, min(s + size, n)) for s in range(0, n, size)]


def single_unit_ablation(evaluate: EvaluateAblations, layer: Hashable, units: int,
                         labels: np.ndarray, classes: Optional[int] = None,
                         per_class: bool = False, split: str = "test",
                         batch: int = 1, progress: Optional[Callable[[int], None]] = None,
                         score: Optional[Score] = None) -> Dict[str, np.ndarray]:
    """The effect of ablating each unit of one layer alone.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(split, ablations)`` → logits per ablation (see :data:`EvaluateAblations`).
    layer : hashable
        The layer's key for ``evaluate``.
    units : int
        Number of units of the layer.
    labels : ndarray of int, shape (n,)
        True labels of ``split``.
    classes : int, optional
        Needed for ``per_class``.
    per_class : bool, default False
        Also return ``ablated_class_accuracy``.
    split : str, default "test"
    batch : int, default 1
        How many ablations to pass to ``evaluate`` at once.
    progress : callable, optional
        Called with the number of units done after each batch.
    score : callable, optional
        ``score(split, outputs)`` → {metric name: value} for a model that is not a
        classifier (e.g. a reconstruction error); ``labels`` is then not used.
        Default: ``{split}_accuracy`` and ``{split}_loss`` of the logits.

    Returns
    -------
    dict
        ``ablated_{split}_accuracy`` and ``ablated_{split}_loss`` (shape (units,)), or
        ``ablated_`` + each name of ``score``; with ``per_class`` also
        ``ablated_class_accuracy`` (shape (units, classes)).
    """
    if per_class and classes is None:
        raise ValueError("per_class needs classes")
    scorer = score if score is not None else _logit_score({split: labels})
    values: Dict[str, np.ndarray] = {}
    per = np.empty((units, classes)) if per_class and classes is not None else None
    for chunk in _chunks(units, batch):
        logits = evaluate(split, [{layer: np.array([u], dtype=np.int64)} for u in chunk])
        for u, lg in zip(chunk, logits):
            for name, v in scorer(split, lg).items():
                values.setdefault("ablated_" + name, np.empty(units))[u] = v
            if per is not None and classes is not None:
                per[u] = class_accuracy(lg, labels, classes)
        if progress is not None:
            progress(len(chunk))
    if per is not None:
        values["ablated_class_accuracy"] = per
    return values


def ablation_order(order: str, selectivity: Optional[np.ndarray] = None, units: Optional[int] = None,
                   rng: Optional[np.random.Generator] = None) -> np.ndarray:
    """The order in which cumulative ablation removes units.

    Parameters
    ----------
    order : {"random", "selectivity_desc", "selectivity_asc"}
        ``random``: ``rng.permutation(units)``. The selectivity orders sort by
        selectivity (NaN counted as lower than every number), ties kept in their
        given order (depth order, then unit index).
    selectivity : ndarray, shape (units,), optional
        Needed for the selectivity orders.
    units : int, optional
        Needed for ``random`` when ``selectivity`` is not given.
    rng : numpy.random.Generator, optional
        Needed for ``random``.

    Returns
    -------
    ndarray of int, a permutation of range(units)
    """
    if order == "random":
        if rng is None:
            raise ValueError("the random order needs an rng")
        n = units if units is not None else len(selectivity) if selectivity is not None else None
        if n is None:
            raise ValueError("the random order needs units or selectivity")
        return rng.permutation(n)
    if selectivity is None:
        raise ValueError(f"the order {order} needs selectivity")
    key = np.where(np.isnan(selectivity), -np.inf, selectivity)
    if order == "selectivity_desc":
        return np.argsort(-key, kind="stable")
    if order == "selectivity_asc":
        return np.argsort(key, kind="stable")
    raise ValueError(f"unknown order {order!r}: use one of {', '.join(ORDERS)}")


def _logit_score(labels: Mapping[str, np.ndarray]) -> Score:
    """The default score: ``{split}_accuracy`` and ``{split}_loss`` of logits."""
    def score(split: str, logits: np.ndarray) -> Dict[str, float]:
        acc, loss = logit_metrics(logits, labels[split])
        return {f"{split}_accuracy": acc, f"{split}_loss": loss}
    return score


def _curve_metrics(points: Mapping[str, List[Mapping[str, float]]], base: Mapping[str, float]) -> Dict[str, List[float]]:
    """Split by split, each score name: the base value, then one value per point."""
    ys: Dict[str, List[float]] = {}
    for split_points in points.values():
        for name in (split_points[0] if split_points else {}):
            ys[name] = [base[name]] + [p[name] for p in split_points]
    return ys


def ablation_curves(evaluate: EvaluateAblations, scope: Sequence[Tuple[Hashable, int]],
                    labels: Mapping[str, np.ndarray], base: Mapping[str, float],
                    x: Sequence[float], selectivity: Optional[np.ndarray] = None,
                    orders: Sequence[str] = ORDERS, random_seeds: Sequence[int] = (0,),
                    rng_for: Callable[[int], np.random.Generator] = np.random.default_rng,
                    batch: int = 1, progress: Optional[Callable[[int], None]] = None,
                    score: Optional[Score] = None) -> List[dict]:
    """Cumulative ablation curves over the units of a scope.

    At each fraction x > 0, the first round(x · n) units of the order (over the n
    units of the scope, flattened in depth order) are set to 0 and every split is
    evaluated. The point x = 0 is ``base``.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(split, ablations)`` → logits per ablation.
    scope : sequence of (layer, units)
        The perturbed layers in depth order with their unit counts.
    labels : mapping
        Split name (e.g. "train", "test") → its labels; curve metrics are
        ``{split}_accuracy`` and ``{split}_loss`` for each, in this order.
    base : mapping
        The unperturbed ``{split}_accuracy`` / ``{split}_loss``.
    x : sequence of float
        Fractions, starting at 0.
    selectivity : ndarray, shape (n,), optional
        The scope's selectivity in the same flat order; needed for the selectivity orders.
    orders : sequence of str
        ``random`` gives one curve per seed of ``random_seeds``; the others one with seed 0.
    random_seeds : sequence of int
    rng_for : callable, default numpy.random.default_rng
        Seed → generator of that seed's random order.
    batch : int, default 1
        How many ablations to pass to ``evaluate`` at once.
    progress : callable, optional
        Called with 1 after each curve.
    score : callable, optional
        ``score(split, outputs)`` → {metric name: value}, for a model that is not a
        classifier; ``labels`` then only names the splits (its values are passed to
        nothing). Default: accuracy and loss of the logits against ``labels``.

    Returns
    -------
    list of dict
        Curves of the run document: ``perturbation``, ``order``, ``seed``, ``x``,
        ``metrics`` (the caller adds ``layers``).
    """
    scorer = score if score is not None else _logit_score(labels)
    flat = [(layer, u) for layer, n in scope for u in range(n)]
    n = len(flat)
    plan: List[Tuple[str, int, np.ndarray]] = []
    for order in orders:
        if order == "random":
            for s in random_seeds:
                plan.append((order, s, ablation_order(order, units=n, rng=rng_for(s))))
        else:
            plan.append((order, 0, ablation_order(order, selectivity)))
    curves = []
    for order, seed, perm in plan:
        ablations: List[Ablation] = []
        for xv in x[1:]:
            chosen = [flat[j] for j in perm[:int(round(xv * n))]]
            ab = {}
            for layer, _ in scope:
                us = [u for (lay, u) in chosen if lay == layer]
                if us:
                    ab[layer] = np.array(us, dtype=np.int64)
            ablations.append(ab)
        points: Dict[str, List[Mapping[str, float]]] = {s: [] for s in labels}
        for s in labels:
            for chunk in _chunks(len(ablations), batch):
                for lg in evaluate(s, [ablations[i] for i in chunk]):
                    points[s].append(scorer(s, lg))
        curves.append({"perturbation": "ablation", "order": order, "seed": seed,
                       "x": list(x), "metrics": _curve_metrics(points, base)})
        if progress is not None:
            progress(1)
    return curves


def noise_curves(evaluate: EvaluateNoise, sd: Mapping[Hashable, np.ndarray],
                 labels: Mapping[str, np.ndarray], base: Mapping[str, float],
                 x: Sequence[float], seeds: Sequence[int] = (0,),
                 rng_for: Callable[[int], np.random.Generator] = np.random.default_rng,
                 progress: Optional[Callable[[int], None]] = None,
                 score: Optional[Score] = None) -> List[dict]:
    """Gaussian noise curves: every unit of the scope gets N(0, (x·sdᵤ)²) added.

    For each seed one generator ``rng_for(seed)`` serves the whole curve, drawn in
    the order x, then split (as in ``labels``), then layer (forward order).

    Parameters
    ----------
    evaluate : callable
        ``evaluate(split, noise, rng)`` → logits (see :data:`EvaluateNoise`).
    sd : mapping
        Layer → each unit's activation sd (from :func:`unit_sd`), in depth order.
    labels, base, x
        As for :func:`ablation_curves`; x starts at 0.
    seeds : sequence of int
    rng_for : callable, default numpy.random.default_rng
    progress : callable, optional
        Called with 1 after each curve.
    score : callable, optional
        As for :func:`ablation_curves`.

    Returns
    -------
    list of dict
        Curves with ``perturbation``, ``seed``, ``x``, ``metrics``.
    """
    scorer = score if score is not None else _logit_score(labels)
    curves = []
    for seed in seeds:
        rng = rng_for(seed)
        points: Dict[str, List[Mapping[str, float]]] = {s: [] for s in labels}
        for xv in x[1:]:
            for s in labels:
                points[s].append(scorer(s, evaluate(s, {layer: v * xv for layer, v in sd.items()}, rng)))
        curves.append({"perturbation": "noise", "seed": seed, "x": list(x), "metrics": _curve_metrics(points, base)})
        if progress is not None:
            progress(1)
    return curves
