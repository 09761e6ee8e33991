"""lesion.measure against independent references computed here."""

import math

import numpy as np
import pytest

from lesion import measure


def reference_selectivity(means):
    """Class selectivity by its definition, written independently: the largest class
    mean against the average of the others, via sums (not np.delete)."""
    out = []
    for row in means:
        mx = max(row)
        others = (sum(row) - mx) / (len(row) - 1)
        den = mx + others
        out.append(math.nan if den == 0 else (mx - others) / den)
    return np.array(out)


def test_class_means_and_selectivity_match_the_definition():
    rng = np.random.default_rng(7)
    labels = np.repeat(np.arange(5), 8)
    acts = np.maximum(rng.normal(size=(40, 6)), 0.0)
    acts[:, 2] = 0.0                              # a dead unit: 0/0
    acts[labels == 3, 4] += 5.0                   # a unit that prefers class 3
    activity = measure.unit_activity(acts)
    means = measure.class_means(activity, labels, 5)
    expected_means = np.array([[acts[labels == c, u].sum() / 8 for c in range(5)] for u in range(6)])
    np.testing.assert_allclose(means, expected_means, rtol=0, atol=1e-12)
    got = measure.class_selectivity(means)
    want = reference_selectivity(expected_means)
    assert math.isnan(got[2]) and math.isnan(want[2])
    mask = ~np.isnan(want)
    np.testing.assert_allclose(got[mask], want[mask], rtol=0, atol=1e-12)
    assert got[4] > 0.7 and int(np.argmax(means[4])) == 3


def test_unit_activity_of_a_feature_map_is_its_spatial_mean():
    a = np.arange(2 * 3 * 3 * 4, dtype=np.float32).reshape(2, 3, 3, 4)
    got = measure.unit_activity(a)
    assert got.shape == (2, 4) and got.dtype == np.float64
    np.testing.assert_allclose(got[1, 2], np.mean([a[1, i, j, 2] for i in range(3) for j in range(3)]))


def test_mutual_information_matches_a_contingency_table_reference():
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 4, size=300)
    activity = labels * 0.7 + rng.normal(size=300)
    got = measure.mutual_information(activity, labels, 4, bins=10)
    edges = np.linspace(activity.min(), activity.max(), 11)
    bins = np.clip(np.searchsorted(edges, activity, side="right") - 1, 0, 9)
    want = sklearn_metrics.mutual_info_score(bins, labels) / math.log(2)
    assert got == pytest.approx(want, abs=1e-12)
    assert measure.mutual_information(np.full(10, 2.0), labels[:10], 4) == 0.0


def test_logit_metrics_and_class_accuracy():
    logits = np.array([[2.0, 0.0], [0.0, 1.0], [3.0, 0.0], [0.0, 2.0]])
    labels = np.array([0, 0, 1, 1])
    acc, loss = measure.logit_metrics(logits, labels)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert acc == 0.5
    assert loss == pytest.approx(-np.mean(np.log(p[np.arange(4), labels])), abs=1e-12)
    np.testing.assert_array_equal(measure.class_accuracy(logits, labels, 3), [0.5, 0.5, np.nan])


class LinearNet:
    """logits = units @ W for fixed units: ablation effects are easy to verify."""

    def __init__(self, units, W):
        self.units, self.W = units, W

    def evaluate(self, split, ablations):
        out = []
        for ab in ablations:
            u = self.units.copy()
            for layer, idx in ab.items():
                assert layer == "h"
                u = measure.zero_units(u, idx)
            out.append(u @ self.W)
        return out


def test_single_unit_ablation_batches_give_the_same_answer():
    rng = np.random.default_rng(1)
    units = np.abs(rng.normal(size=(50, 6)))
    W = rng.normal(size=(6, 3))
    labels = (units @ W).argmax(axis=1)
    net = LinearNet(units, W)
    one = measure.single_unit_ablation(net.evaluate, "h", 6, labels, 3, per_class=True, batch=1)
    many = measure.single_unit_ablation(net.evaluate, "h", 6, labels, 3, per_class=True, batch=4)
    for k in one:
        np.testing.assert_array_equal(one[k], many[k])
    for u in range(6):
        z = units.copy()
        z[:, u] = 0
        pred = (z @ W).argmax(axis=1)
        assert one["ablated_test_accuracy"][u] == np.mean(pred == labels)
        for c in range(3):
            assert one["ablated_class_accuracy"][u, c] == np.mean(pred[labels == c] == c)


def test_ablation_order_puts_nan_lowest_and_keeps_ties_in_order():
    sel = np.array([0.5, np.nan, 0.9, 0.5, 0.1])
    assert measure.ablation_order("selectivity_desc", sel).tolist() == [2, 0, 3, 4, 1]
    assert measure.ablation_order("selectivity_asc", sel).tolist() == [1, 4, 0, 3, 2]
    r1 = measure.ablation_order("random", units=5, rng=np.random.default_rng(4))
    r2 = measure.ablation_order("random", units=5, rng=np.random.default_rng(4))
    assert r1.tolist() == r2.tolist() and sorted(r1.tolist()) == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="unknown order"):
        measure.ablation_order("largest", sel)


def test_ablation_curve_points_are_the_cumulative_ablations():
    rng = np.random.default_rng(2)
    units = np.abs(rng.normal(size=(40, 8)))
    W = rng.normal(size=(8, 4))
    labels = rng.integers(0, 4, size=40)
    net = LinearNet(units, W)
    base = {}
    base["test_accuracy"], base["test_loss"] = measure.logit_metrics(units @ W, labels)
    sel = rng.normal(size=8)
    x = [0.0, 0.25, 0.5, 1.0]
    curves = measure.ablation_curves(net.evaluate, [("h", 8)], {"test": labels}, base, x, selectivity=sel,
                                      random_seeds=(0, 1), batch=2)
    assert [(c["order"], c["seed"]) for c in curves] == [
        ("random", 0), ("random", 1), ("selectivity_desc", 0), ("selectivity_asc", 0)]
    desc = curves[2]
    order = np.argsort(-sel)
    for k, xv in enumerate(x):
        z = units.copy()
        z[:, order[:int(round(xv * 8))]] = 0
        acc, loss = measure.logit_metrics(z @ W, labels)
        assert desc["metrics"]["test_accuracy"][k] == acc
        assert desc["metrics"]["test_loss"][k] == pytest.approx(loss, abs=1e-12)
    assert curves[0]["metrics"]["test_accuracy"][-1] == curves[1]["metrics"]["test_accuracy"][-1]


def test_noise_curves_draw_from_the_given_generator():
    units = np.ones((20, 3), dtype=np.float32)
    W = np.eye(3, dtype=np.float32)
    labels = np.zeros(20, dtype=np.int64)
    seen = []

    def evaluate(split, noise, rng):
        noisy = units + measure.noise_like(units.shape, noise["h"], rng)
        seen.append(noisy)
        return noisy @ W

    base = {"test_accuracy": 1.0, "test_loss": 0.5}
    sd = measure.unit_sd(np.array([[0.0, 1.0, 2.0], [2.0, 3.0, 0.0]], dtype=np.float32))
    np.testing.assert_allclose(sd, [1.0, 1.0, 1.0])
    c = measure.noise_curves(evaluate, {"h": sd}, {"test": labels}, base, [0.0, 1.0, 2.0], seeds=(5,))[0]
    rng = np.random.default_rng(5)
    first = units + rng.standard_normal(units.shape, dtype=np.float32) * sd
    np.testing.assert_array_equal(seen[0], first)
    assert c["perturbation"] == "noise" and c["seed"] == 5 and len(c["metrics"]["test_loss"]) == 3
    assert c["metrics"]["test_accuracy"][0] == 1.0
