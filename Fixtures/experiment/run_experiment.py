#!/usr/bin/env python3
"""Reference experiment for lesion: Morcos et al. (ICLR 2018), "On the importance of
single directions for generalization", at a scale that runs on 2 CPU cores.

Trains MLPs and small CNNs on scikit-learn's 8x8 digits with 0-100 % of the training
labels replaced by random labels, measures every hidden unit at several checkpoints
(class means, class selectivity, mutual information, single-unit ablation), records
cumulative-ablation and Gaussian-noise curves, and writes the results as lesion run
documents (format lesion.run/1) to Fixtures/runs/. Then it computes the reference
answers of the analyses (reference_answers.py) into Fixtures/expected/.

    pip install -r Fixtures/experiment/requirements.txt
    python3 Fixtures/experiment/run_experiment.py            # everything
    python3 Fixtures/experiment/run_experiment.py --jobs 1   # one worker process

The output does not depend on --jobs. This file is also the example of how to emit
run documents from your own training code: see `run_document` below.
"""

import os

# Single-threaded BLAS, set before numpy is imported: bit-for-bit reproducible.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse
import gzip
import json
import multiprocessing
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import nets  # noqa: E402

FIXTURES = os.path.dirname(HERE)
RUNS = os.path.join(FIXTURES, "runs")
ARRAYS = os.path.join(HERE, "arrays")  # per-model .npz, kept out of git

EXPERIMENT = "digits-single-directions"
DATASET = "digits"
CLASSES = 10
N_TRAIN = 1400                       # the remaining 397 images are the test set
BATCH = 100                          # 14 optimizer steps per epoch
LABEL_CORRUPTION = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
SEEDS = [0, 1, 2]
ABLATION_X = [k / 8 for k in range(9)]               # fraction of the scope's units
NOISE_X = [0.0, 0.25, 0.5, 1.0, 2.0, 4.0]           # noise sd / unit's train-set sd
RANDOM_ORDER_SEEDS = [0, 1, 2, 3, 4]
NOISE_SEEDS = [0, 1]
MI_BINS = 10

ARCHS = {
    "mlp": {
        "architecture": "mlp-2x64",
        "blocks": [
            {"name": "fc1", "kind": "dense", "units": 64},
            {"name": "fc2", "kind": "dense", "units": 64},
        ],
        "in_shape": (64,),
        "lr": 3e-3,
        "checkpoint_epochs": [25, 50, 100, 200, 400],
        "regimes": [(False, 0.0), (True, 0.0), (False, 0.1)],   # (batch_norm, dropout)
    },
    "cnn": {
        "architecture": "cnn-c8-c16-fc64",
        "blocks": [
            {"name": "conv1", "kind": "conv", "units": 8, "pool": True},
            {"name": "conv2", "kind": "conv", "units": 16},
            {"name": "fc3", "kind": "dense", "units": 64},
        ],
        "in_shape": (8, 8, 1),
        "lr": 3e-3,
        "checkpoint_epochs": [10, 20, 40, 70, 100],
        "regimes": [(False, 0.0), (True, 0.0)],
    },
}


# --------------------------------------------------------------------------- data

def load_data():
    """The 1797 digits of scikit-learn (loaded from the installed package, not
    downloaded), pixels scaled to [0, 1], split by a fixed permutation."""
    from sklearn.datasets import load_digits
    d = load_digits()
    X = d.data.astype(np.float64) / 16.0
    y = d.target.astype(np.int64)
    perm = np.random.default_rng(20180301).permutation(len(y))
    tr, te = perm[:N_TRAIN], perm[N_TRAIN:]
    return X[tr], y[tr], X[te], y[te]


def corrupt_labels(y, fraction, seed):
    """Replace round(fraction * n) labels, chosen at random, by labels drawn
    uniformly from the 10 classes (a drawn label may equal the true one)."""
    rng = np.random.default_rng([seed, int(round(fraction * 10)), 1])
    y = y.copy()
    k = int(round(fraction * len(y)))
    idx = rng.choice(len(y), size=k, replace=False)
    y[idx] = rng.integers(0, CLASSES, size=k)
    return y


def model_name(arch, lc, bn, dropout, seed):
    s = f"{arch}-lc{lc:g}"
    if bn:
        s += "-bn"
    if dropout > 0:
        s += f"-do{dropout:g}"
    return s + f"-seed{seed}"


# --------------------------------------------------------------------------- measuring

def selectivity_from_means(means):
    """(mu_max - mu_-max) / (mu_max + mu_-max) per unit; mu_-max is the mean of the
    other classes' means. NaN where the denominator is 0 (a unit silent on every
    test image)."""
    n, k = means.shape
    out = np.empty(n)
    for u in range(n):
        row = means[u]
        j = int(np.argmax(row))
        mx = row[j]
        rest = np.delete(row, j).mean()
        den = mx + rest
        out[u] = (mx - rest) / den if den != 0 else np.nan
    return out


def mutual_information(act, y):
    """Plug-in mutual information (bits) between a unit's activity on the test set,
    discretised into MI_BINS equal-width bins over [min, max] of that activity, and
    the true class. A constant unit carries 0 bits."""
    lo, hi = act.min(), act.max()
    if not hi > lo:
        return 0.0
    b = np.minimum(np.floor((act - lo) / (hi - lo) * MI_BINS).astype(np.int64), MI_BINS - 1)
    joint = np.zeros((MI_BINS, CLASSES))
    np.add.at(joint, (b, y), 1.0)
    p = joint / joint.sum()
    pb = p.sum(axis=1, keepdims=True)
    pc = p.sum(axis=0, keepdims=True)
    nz = p > 0
    mi = float(np.sum(p[nz] * np.log2(p[nz] / (pb @ pc)[nz])))
    return max(mi, 0.0)


class Evaluator:
    """Evaluates one network at one checkpoint on the train set (corrupted labels)
    and the test set, with unit activations cached so that a perturbation of block i
    re-runs only blocks i.. of the network."""

    def __init__(self, net, Xtr, ytr, Xte, yte):
        self.net = net
        self.sets = {"train": (Xtr, ytr), "test": (Xte, yte)}
        self.units = {}
        self.base = {}
        for s, (X, y) in self.sets.items():
            logits, units = net.forward_eval(X)
            self.units[s] = units
            self.base[s] = nets.metrics(logits, y)

    def run(self, which, fns):
        """fns: {block index: function(units) -> units}. Returns (acc, loss)."""
        logits = self.logits(which, fns)
        return nets.metrics(logits, self.sets[which][1])

    def logits(self, which, fns):
        if not fns:
            return self.net.forward_eval(self.sets[which][0])[0]
        first = min(fns)
        start_units = fns[first](self.units[which][first])
        return self.net.forward_eval(
            None, start=first, start_units=start_units,
            perturb=lambda i, a: fns[i](a) if (i in fns and i != first) else a)[0]


def zero_units(idx):
    idx = np.asarray(idx, dtype=np.int64)

    def f(a):
        a = a.copy()
        a[..., idx] = 0.0
        return a
    return f


def measure_checkpoint(net, data, final, model_seed):
    Xtr, ytr_corrupt, Xte, yte = data
    ev = Evaluator(net, Xtr, ytr_corrupt, Xte, yte)
    blocks = net.blocks
    ck = {"metrics": {
        "train_accuracy": ev.base["train"][0], "test_accuracy": ev.base["test"][0],
        "train_loss": ev.base["train"][1], "test_loss": ev.base["test"][1]}}

    # ---- per unit
    units = {}
    selectivity = []
    for i, b in enumerate(blocks):
        a = ev.units["test"][i].astype(np.float64)
        if a.ndim == 4:
            a = a.mean(axis=(1, 2))          # a feature map's unit: its spatial mean
        means = np.stack([a[yte == c].mean(axis=0) for c in range(CLASSES)], axis=1)
        sel = selectivity_from_means(means)
        selectivity.append(sel)
        mi = np.array([mutual_information(a[:, u], yte) for u in range(b["units"])])
        abl_acc = np.empty(b["units"])
        abl_loss = np.empty(b["units"])
        abl_cls = np.empty((b["units"], CLASSES))
        for u in range(b["units"]):
            logits = ev.logits("test", {i: zero_units([u])})
            abl_acc[u], abl_loss[u] = nets.metrics(logits, yte)
            if final:
                pred = logits.argmax(axis=1)
                abl_cls[u] = [np.mean(pred[yte == c] == c) for c in range(CLASSES)]
        m = {"class_selectivity": sel, "mutual_information": mi,
             "ablated_test_accuracy": abl_acc, "ablated_test_loss": abl_loss,
             "class_means": means}
        if final:
            m["ablated_class_accuracy"] = abl_cls
        units[b["name"]] = m
    ck["units"] = units

    # ---- curves
    # every checkpoint: curves over all hidden units; the last one also per layer
    scopes = [("all", list(range(len(blocks))))]
    if final:
        scopes += [([b["name"]], [i]) for i, b in enumerate(blocks)]
    curves = []
    for scope_index, (layers, bidx) in enumerate(scopes):
        flat = [(i, u) for i in bidx for u in range(blocks[i]["units"])]   # depth order
        n = len(flat)
        assert n % 8 == 0
        sel = np.concatenate([selectivity[i] for i in bidx])
        # NaN (undefined) selectivity counts as lower than every number
        key = np.where(np.isnan(sel), -np.inf, sel)
        orders = []
        for s in RANDOM_ORDER_SEEDS:
            rng = np.random.default_rng([model_seed, s, scope_index, 2])
            orders.append(("random", s, rng.permutation(n)))
        orders.append(("selectivity_desc", 0, np.argsort(-key, kind="stable")))
        orders.append(("selectivity_asc", 0, np.argsort(key, kind="stable")))
        for order, seed, perm in orders:
            ys = {k: [ck["metrics"][k]] for k in ("train_accuracy", "train_loss", "test_accuracy", "test_loss")}
            for x in ABLATION_X[1:]:
                cnt = int(round(x * n))
                chosen = [flat[j] for j in perm[:cnt]]
                fns = {}
                for i in bidx:
                    us = [u for (bi, u) in chosen if bi == i]
                    if us:
                        fns[i] = zero_units(us)
                for which in ("train", "test"):
                    acc, loss = ev.run(which, fns)
                    ys[which + "_accuracy"].append(acc)
                    ys[which + "_loss"].append(loss)
            curves.append({"perturbation": "ablation", "layers": layers, "order": order,
                           "seed": seed, "x": list(ABLATION_X), "metrics": ys})
        # Gaussian noise on every unit of the scope, sd = x * the unit's sd over the
        # training set (for a feature map: over images and positions)
        sds = {}
        for i in bidx:
            a = ev.units["train"][i]
            sds[i] = a.reshape(-1, a.shape[-1]).astype(np.float64).std(axis=0).astype(np.float32)
        for s in NOISE_SEEDS:
            rng = np.random.default_rng([model_seed, s, scope_index, 3])
            ys = {k: [ck["metrics"][k]] for k in ("train_accuracy", "train_loss", "test_accuracy", "test_loss")}
            for x in NOISE_X[1:]:
                for which in ("train", "test"):
                    fns = {}
                    for i in bidx:
                        def f(a, sd=sds[i] * x):
                            return a + rng.standard_normal(a.shape, dtype=np.float32) * sd
                        fns[i] = f
                    acc, loss = ev.run(which, fns)
                    ys[which + "_accuracy"].append(acc)
                    ys[which + "_loss"].append(loss)
            curves.append({"perturbation": "noise", "layers": layers, "seed": s,
                           "x": list(NOISE_X), "metrics": ys})
    ck["curves"] = curves
    return ck


# --------------------------------------------------------------------------- one model

def train_and_measure(job):
    arch, lc, bn, dropout, seed = job
    spec = ARCHS[arch]
    Xtr, ytr, Xte, yte = load_data()
    if arch == "cnn":
        Xtr = Xtr.reshape(-1, 8, 8, 1)
        Xte = Xte.reshape(-1, 8, 8, 1)
    ytr_c = corrupt_labels(ytr, lc, seed)
    data = (Xtr, ytr_c, Xte, yte)
    net = nets.Net(spec["blocks"], spec["in_shape"], CLASSES, bn, dropout,
                   np.random.default_rng([seed, 0 if arch == "mlp" else 1, 0]))
    rng = np.random.default_rng([seed, int(round(lc * 10)), int(bn), int(round(dropout * 100)), 4])
    steps_per_epoch = N_TRAIN // BATCH
    checkpoints = []
    last = spec["checkpoint_epochs"][-1]
    t0 = time.time()
    for epoch in range(1, last + 1):
        perm = rng.permutation(N_TRAIN)
        for s in range(steps_per_epoch):
            b = perm[s * BATCH:(s + 1) * BATCH]
            net.train_step(Xtr[b], ytr_c[b], spec["lr"], rng)
        if epoch in spec["checkpoint_epochs"]:
            ck = measure_checkpoint(net, data, epoch == last, seed)
            ck["step"] = epoch * steps_per_epoch
            checkpoints.append(ck)
    name = model_name(arch, lc, bn, dropout, seed)
    model = {
        "experiment": EXPERIMENT, "model": name,
        "attributes": {"architecture": spec["architecture"], "dataset": DATASET,
                       "label_corruption": lc, "batch_norm": bn, "dropout": dropout,
                       "seed": seed},
        "layers": [{"name": b["name"], "units": b["units"], "kind": b["kind"]} for b in spec["blocks"]],
        "checkpoints": checkpoints,
    }
    return model, time.time() - t0


# --------------------------------------------------------------------------- output

def tolist(v):
    return v.tolist() if isinstance(v, np.ndarray) else v


def run_document(model):
    """The run document of one model (lesion.run/1). Numbers are Python floats, so
    json writes each as the shortest text that reads back as the same double;
    undefined values are NaN (written as the bare token NaN)."""
    return {
        "format": "lesion.run/1",
        "experiment": model["experiment"],
        "model": model["model"],
        "attributes": model["attributes"],
        "classes": CLASSES,
        "layers": model["layers"],
        "checkpoints": [
            {
                "step": ck["step"],
                "metrics": ck["metrics"],
                "units": {layer: {k: tolist(v) for k, v in m.items()} for layer, m in ck["units"].items()},
                "curves": [
                    {**{k: c[k] for k in ("perturbation", "layers") if k in c},
                     **({"order": c["order"]} if "order" in c else {}),
                     "seed": c["seed"], "x": c["x"], "metrics": c["metrics"]}
                    for c in ck["curves"]
                ],
            }
            for ck in model["checkpoints"]
        ],
    }


def save_arrays(model):
    """The experiment's own arrays, for reference_answers.py (not committed)."""
    os.makedirs(ARRAYS, exist_ok=True)
    arrays = {}
    meta = {"experiment": model["experiment"], "model": model["model"],
            "attributes": model["attributes"], "layers": model["layers"], "checkpoints": []}
    for ci, ck in enumerate(model["checkpoints"]):
        cm = {"step": ck["step"], "metrics": sorted(ck["metrics"]), "units": {}, "curves": []}
        for name, v in ck["metrics"].items():
            arrays[f"c{ci}/metrics/{name}"] = np.float64(v)
        for layer, m in ck["units"].items():
            cm["units"][layer] = sorted(m)
            for k, v in m.items():
                arrays[f"c{ci}/units/{layer}/{k}"] = np.asarray(v, dtype=np.float64)
        for j, c in enumerate(ck["curves"]):
            cm["curves"].append({"perturbation": c["perturbation"], "layers": c["layers"],
                                 "order": c.get("order"), "seed": c["seed"],
                                 "metrics": sorted(c["metrics"])})
            arrays[f"c{ci}/curves/{j}/x"] = np.asarray(c["x"], dtype=np.float64)
            for k, v in c["metrics"].items():
                arrays[f"c{ci}/curves/{j}/{k}"] = np.asarray(v, dtype=np.float64)
        meta["checkpoints"].append(cm)
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(os.path.join(ARRAYS, model["model"] + ".npz"), **arrays)


def write_gzip(path, text):
    """gzip with no file name and mtime 0 in the header: same bytes every run."""
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(text.encode("utf-8"))


def pretty(doc, indent=0):
    """Readable JSON: objects one key a line, arrays of numbers on one line."""
    pad = "  " * indent
    if isinstance(doc, dict):
        items = [f'{pad}  {json.dumps(k)}: {pretty(v, indent + 1).lstrip()}' for k, v in doc.items()]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(doc, list) and any(isinstance(v, (dict, list)) for v in doc):
        return pad + "[\n" + ",\n".join(pretty(v, indent + 1) for v in doc) + "\n" + pad + "]"
    return pad + json.dumps(doc, separators=(", ", ": "))


def jobs_list():
    jobs = []
    for arch in ("mlp", "cnn"):
        for bn, dropout in ARCHS[arch]["regimes"]:
            for lc in LABEL_CORRUPTION:
                for seed in SEEDS:
                    jobs.append((arch, lc, bn, dropout, seed))
    return jobs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--only", help="train only models whose name contains this (for timing; writes nothing)")
    ap.add_argument("--skip-training", action="store_true", help="only recompute the reference answers")
    args = ap.parse_args()
    t0 = time.time()
    if not args.skip_training:
        jobs = jobs_list()
        if args.only:
            jobs = [j for j in jobs if args.only in model_name(*j)]
        with multiprocessing.get_context("fork").Pool(args.jobs) if args.jobs > 1 else _Serial() as pool:
            results = {}
            for job, (model, secs) in zip(jobs, pool.imap(train_and_measure, jobs)):
                results[job] = model
                last = model["checkpoints"][-1]["metrics"]
                print(f"{model['model']:32s} {secs:6.1f}s train_acc {last['train_accuracy']:.3f} "
                      f"test_acc {last['test_accuracy']:.3f}", flush=True)
        if args.only:
            return
        os.makedirs(RUNS, exist_ok=True)
        for arch in ("mlp", "cnn"):
            lines = []
            for job in jobs:
                if job[0] != arch:
                    continue
                model = results[job]
                save_arrays(model)
                lines.append(json.dumps(run_document(model), separators=(",", ":"), allow_nan=True))
            write_gzip(os.path.join(RUNS, f"{arch}.jsonl.gz"), "\n".join(lines) + "\n")
        # A readable example: the last checkpoint of one CNN, pretty-printed. It
        # repeats what cnn.jsonl.gz holds, so ingesting it as well changes nothing.
        example = run_document(results[("cnn", 0.0, False, 0.0, 0)])
        example["checkpoints"] = example["checkpoints"][-1:]
        with open(os.path.join(RUNS, "example-cnn-lc0-seed0.json"), "w") as f:
            f.write(pretty(example) + "\n")
        print(f"training and measuring: {time.time() - t0:.0f} s", flush=True)
    import reference_answers
    reference_answers.main()
    print(f"total: {time.time() - t0:.0f} s", flush=True)


class _Serial:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False

    def imap(self, f, xs):
        return map(f, xs)


if __name__ == "__main__":
    main()
