"""lesion.torch.probe against lesion.measure on the same activations, evaluated by
running the network's pieces by hand (no hooks, no batching)."""

import json
import math
import subprocess

import numpy as np
import pytest

torch = pytest.importorskip("torch")
lesion_torch = pytest.importorskip("lesion.torch")

import lesion  # noqa: E402
from lesion import measure  # noqa: E402

TOL = 1e-6


def train(model, X, y, steps, lr=0.01):
    torch.manual_seed(0)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)
    model.train()
    for _ in range(steps):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(Xt), yt)
        loss.backward()
        opt.step()
    return model


@pytest.fixture(scope="module")
def mlp(digits):
    Xtr, ytr, _, _ = digits
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 24),
                                torch.nn.ReLU(), torch.nn.Linear(24, 10)).double()
    return train(model, Xtr, ytr, steps=150)


@pytest.fixture(scope="module")
def cnn(digits):
    Xtr, ytr, _, _ = digits
    torch.manual_seed(2)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(4, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.Flatten(),
        torch.nn.Linear(8 * 4 * 4, 10)).double()
    return train(model, Xtr.reshape(-1, 1, 8, 8), ytr, steps=60, lr=0.02)


def units_last(t):
    return t.permute(0, 2, 3, 1) if t.dim() == 4 else t


def units_second(t):
    return t.permute(0, 3, 1, 2) if t.dim() == 4 else t


class ByHand:
    """Evaluates a Sequential piece by piece, perturbing the outputs of the probed
    positions in numpy (units last): the reference the probe must agree with."""

    def __init__(self, model, positions, splits):
        self.model, self.positions, self.splits = model, positions, splits   # positions: layer -> index

    def run(self, split, perturb):
        h = torch.as_tensor(self.splits[split][0])
        acts = {}
        start = 0
        with torch.no_grad():
            for layer, index in self.positions.items():
                h = self.model[start:index + 1](h)
                a = units_last(h).numpy()
                if layer in perturb:
                    a = perturb[layer](a)
                acts[layer] = a
                h = units_second(torch.as_tensor(np.ascontiguousarray(a)))
                start = index + 1
            logits = self.model[start:](h).numpy()
        return logits, acts

    def ablated(self, split, ablations):
        return [self.run(split, {d: (lambda a, us=us: measure.zero_units(a, us)) for d, us in ab.items()})[0]
                for ab in ablations]

    def noised(self, split, noise, rng):
        return self.run(split, {d: (lambda a, sd=sd: a + measure.noise_like(a.shape, sd, rng))
                                for d, sd in noise.items()})[0]


def reference(model, positions, digits, shape, seed=0, random_seeds=(0, 1), layer_curves=True):
    """lesion.measure on activations taken by hand: what probe must return."""
    Xtr, ytr, Xte, yte = digits
    model.eval()
    by_hand = ByHand(model, positions, {"train": (Xtr.reshape(shape), ytr), "test": (Xte.reshape(shape), yte)})
    labels = {"train": ytr, "test": yte}
    base, acts = {}, {}
    for split in ("train", "test"):
        logits, acts[split] = by_hand.run(split, {})
        base[f"{split}_accuracy"], base[f"{split}_loss"] = measure.logit_metrics(logits, labels[split])
    units, sel = {}, {}
    for d in positions:
        activity = measure.unit_activity(acts["test"][d])
        means = measure.class_means(activity, yte, 10)
        sel[d] = measure.class_selectivity(means)
        n = activity.shape[1]
        units[d] = {"class_selectivity": sel[d], "class_means": means,
                    "mutual_information": [measure.mutual_information(activity[:, u], yte, 10) for u in range(n)],
                    **measure.single_unit_ablation(by_hand.ablated, d, n, yte, 10, per_class=True)}
    scopes = [("all", list(positions))] + ([([d], [d]) for d in positions] if layer_curves else [])
    curves = []
    for index, (layers, ds) in enumerate(scopes):
        for c in measure.ablation_curves(
                by_hand.ablated, [(d, acts["test"][d].shape[-1]) for d in ds], labels, base,
                lesion_torch.ABLATION_X, selectivity=np.concatenate([sel[d] for d in ds]),
                random_seeds=random_seeds, rng_for=lambda s: np.random.default_rng([seed, s, index, 2])):
            curves.append({"layers": layers, **c})
        sd = {d: measure.unit_sd(acts["train"][d]) for d in ds}
        for c in measure.noise_curves(by_hand.noised, sd, labels, base, lesion_torch.NOISE_X, seeds=(0,),
                                      rng_for=lambda s: np.random.default_rng([seed, s, index, 3])):
            curves.append({"layers": layers, **c})
    return base, units, curves


def assert_close(got, want, where):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    assert got.shape == want.shape, where
    assert np.array_equal(np.isnan(got), np.isnan(want)), where
    ok = ~np.isnan(want)
    assert np.max(np.abs(got[ok] - want[ok]), initial=0.0) <= TOL, where


def assert_probe_equals_reference(doc, base, units, curves):
    data = doc.to_dict()
    ck = data["checkpoints"][0]
    for k, v in base.items():
        assert abs(ck["metrics"][k] - v) <= TOL, k
    for d, metrics in units.items():
        for name, want in metrics.items():
            assert_close(ck["units"][d][name], want, f"{d}.{name}")
    assert len(ck["curves"]) == len(curves)
    for got, want in zip(ck["curves"], curves):
        assert (got["perturbation"], got["layers"], got.get("order"), got["seed"]) == \
               (want["perturbation"], want["layers"], want.get("order"), want["seed"])
        assert got["x"] == list(want["x"])
        assert list(got["metrics"]) == list(want["metrics"])
        for name in want["metrics"]:
            assert_close(got["metrics"][name], want["metrics"][name], f"{got['perturbation']} {got.get('order')} {name}")


def test_mlp_probe_equals_measure_on_the_same_activations(mlp, digits):
    Xtr, ytr, Xte, yte = digits
    doc = lesion_torch.probe(mlp, {"fc1": "1", "fc2": "3"}, (Xtr, ytr), (Xte, yte), experiment="t", name="mlp",
                             random_seeds=(0, 1), layer_curves=True, progress=False, max_rows=2000,
                             class_accuracy=True)
    base, units, curves = reference(mlp, {"fc1": 1, "fc2": 3}, digits, (-1, 64))
    assert_probe_equals_reference(doc, base, units, curves)
    d = doc.to_dict()
    assert d["classes"] == 10 and [(layer["name"], layer["units"], layer["kind"]) for layer in d["layers"]] == \
        [("fc1", 32, "dense"), ("fc2", 24, "dense")]
    assert base["test_accuracy"] > 0.85   # a trained network, not noise
    pred = mlp(torch.as_tensor(Xte)).argmax(1).numpy()
    assert d["checkpoints"][0]["metrics"]["class_accuracy"] == [float(np.mean(pred[yte == c] == c)) for c in range(10)]


def test_cnn_probe_ablates_whole_feature_maps_like_measure(cnn, digits):
    Xtr, ytr, Xte, yte = digits
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.as_tensor(Xte.reshape(-1, 1, 8, 8)), torch.as_tensor(yte)), batch_size=64)
    train_loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.as_tensor(Xtr.reshape(-1, 1, 8, 8)), torch.as_tensor(ytr)), batch_size=100)
    # max_rows below the test set's size: inputs are split into chunks too
    doc = lesion_torch.probe(cnn, {"conv1": "1", "conv2": "4"}, train_loader, loader, experiment="t", name="cnn",
                             random_seeds=(3,), progress=False, max_rows=300)
    base, units, curves = reference(cnn, {"conv1": 1, "conv2": 4}, digits, (-1, 1, 8, 8), random_seeds=(3,),
                                    layer_curves=False)
    assert_probe_equals_reference(doc, base, units, curves)
    assert [layer["kind"] for layer in doc.to_dict()["layers"]] == ["conv", "conv"]
    assert base["test_accuracy"] > 0.5


def test_probe_restores_modes_and_hooks_even_when_it_fails(mlp, digits):
    Xtr, ytr, Xte, yte = digits
    mlp.train()
    mlp[1].eval()            # a mixed state must come back as it was
    with pytest.raises(RuntimeError):
        lesion_torch.probe(mlp, ["1"], (Xtr, ytr), (Xte[:, :50], yte), progress=False)   # wrong input width
    assert mlp.training and not mlp[1].training and mlp[3].training
    assert all(not m._forward_hooks for m in mlp.modules())
    with pytest.raises(ValueError, match="no module named 'relu9'"):
        lesion_torch.probe(mlp, ["relu9"], (Xtr, ytr), (Xte, yte), progress=False)
    mlp.eval()


def test_selectivity_loader_chooses_where_selectivity_is_measured(mlp, digits):
    Xtr, ytr, Xte, yte = digits
    doc = lesion_torch.probe(mlp, ["1"], (Xtr, ytr), (Xte, yte), selectivity_loader=(Xtr, ytr),
                             single_units=False, ablation_x=(), noise_x=None, progress=False)
    acts = mlp[:2](torch.as_tensor(Xtr)).detach().numpy()
    want = measure.class_selectivity(measure.class_means(acts, ytr, 10))
    assert_close(doc.to_dict()["checkpoints"][0]["units"]["1"]["class_selectivity"], want, "selectivity on train")


def test_probe_document_through_lesion_ingest_and_query(mlp, digits, lesion_binary, database):
    scipy_stats = pytest.importorskip("scipy.stats")
    Xtr, ytr, Xte, yte = digits
    doc = lesion_torch.probe(mlp, {"fc1": "1", "fc2": "3"}, (Xtr, ytr), (Xte, yte), experiment="pytest",
                             name="mlp-digits", step=150, attributes={"dataset": "digits"}, progress=False)
    summary = lesion.ingest(doc, db=database, binary=lesion_binary)
    assert (summary.stored, summary.unchanged, summary.refused, summary.models, summary.checkpoints) == (1, 0, 0, 1, 1)
    again = lesion.ingest(doc, db=database, binary=lesion_binary)
    assert (again.stored, again.unchanged) == (0, 1)
    out = subprocess.run([lesion_binary, "query", "selectivity-importance", "--by", "none", "--format", "json",
                          "--db", database], check=True, capture_output=True, text=True).stdout
    pooled = json.loads(out)["pooled"]
    ck = doc.to_dict()["checkpoints"][0]
    sel = np.concatenate([ck["units"][d]["class_selectivity"] for d in ("fc1", "fc2")]).astype(float)
    drop = np.concatenate([ck["metrics"]["test_accuracy"] - np.asarray(ck["units"][d]["ablated_test_accuracy"])
                           for d in ("fc1", "fc2")])
    ok = ~np.isnan(sel)
    rho, p = scipy_stats.spearmanr(sel[ok], drop[ok])
    assert pooled["n"] == int(ok.sum())
    assert pooled["rho"] == pytest.approx(rho, abs=1e-9)
    assert pooled["p"] == pytest.approx(p, rel=1e-6, abs=1e-12)
