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
# The same kernels on every x86-64 machine with AVX2: OpenBLAS and numpy otherwise
# pick AVX-512 code where the CPU has it, which rounds differently in the last bits
# (the committed files were made on an AVX2 machine). An explicit setting wins.
os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")
os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", "AVX512_SPR AVX512_ICL X86_V4")

import argparse
import gzip
import json
import multiprocessing
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# lesion.measure, from this repository's Python package (or an installed one)
sys.path.insert(1, os.path.join(os.path.dirname(os.path.dirname(HERE)), "python", "src"))
import nets  # noqa: E402
from lesion import RunDocument, measure  # noqa: E402

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
# concept, a text label per unit: "digit d" for the digit of its largest class mean
# where its class selectivity is at least this (the preferred class's mean is then at
# least 3 times the mean of the other classes), else null. The well-known name
# `concept` makes an all-null array (a layer without a selective unit) text.
CONCEPT_SELECTIVITY = 0.5

# One model without classes: an autoencoder whose hidden units are measured by
# reconstruction error (Fixtures/classless/, its own experiment)
AUTOENCODER = {
    "experiment": "digits-autoencoder",
    "architecture": "autoencoder-64-32-64",
    "hidden": 32,
    "lr": 3e-3,
    "checkpoint_epochs": [25, 50, 100],
    "seed": 0,
}
CLASSLESS = os.path.join(FIXTURES, "classless")

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
# What is measured, and how, is lesion.measure's (python/src/lesion/measure.py), the
# same code that lesion.torch uses; this file only says where and with which seeds.

class Evaluator:
    """Evaluates one network at one checkpoint on the train set (corrupted labels)
    and the test set, with unit activations cached so that a perturbation of block i
    re-runs only blocks i.. of the network. Its `ablated` and `noised` methods are
    the evaluate callbacks of lesion.measure (layers are block indices)."""

    def __init__(self, net, Xtr, ytr, Xte, yte):
        self.net = net
        self.sets = {"train": (Xtr, ytr), "test": (Xte, yte)}
        self.units = {}
        self.base = {}
        self.base_logits = {}
        for s, (X, y) in self.sets.items():
            logits, units = net.forward_eval(X)
            self.units[s] = units
            self.base_logits[s] = logits
            self.base[s] = measure.logit_metrics(logits, y)

    def logits(self, which, fns):
        """fns: {block index: function(units) -> units}."""
        if not fns:
            return self.net.forward_eval(self.sets[which][0])[0]
        first = min(fns)
        start_units = fns[first](self.units[which][first])
        return self.net.forward_eval(
            None, start=first, start_units=start_units,
            perturb=lambda i, a: fns[i](a) if (i in fns and i != first) else a)[0]

    def ablated(self, which, ablations):
        return [self.logits(which, {i: (lambda a, us=us: measure.zero_units(a, us)) for i, us in ab.items()})
                for ab in ablations]

    def noised(self, which, noise, rng):
        return self.logits(which, {i: (lambda a, sd=sd: a + measure.noise_like(a.shape, sd, rng))
                                   for i, sd in noise.items()})


def preferred_digits(means, selectivity):
    """A text label per unit: "digit d" for the digit of the unit's largest class
    mean, where its selectivity is at least CONCEPT_SELECTIVITY; else None (no label;
    NaN selectivity included)."""
    return [f"digit {int(np.argmax(means[u]))}" if selectivity[u] >= CONCEPT_SELECTIVITY else None
            for u in range(len(selectivity))]


def measure_checkpoint(net, data, final, model_seed):
    Xtr, ytr_corrupt, Xte, yte = data
    ev = Evaluator(net, Xtr, ytr_corrupt, Xte, yte)
    blocks = net.blocks
    ck = {"metrics": {
        "train_accuracy": ev.base["train"][0], "test_accuracy": ev.base["test"][0],
        "train_loss": ev.base["train"][1], "test_loss": ev.base["test"][1],
        "class_accuracy": measure.class_accuracy(ev.base_logits["test"], yte, CLASSES).tolist()}}

    # ---- per unit
    units = {}
    selectivity = []
    for i, b in enumerate(blocks):
        a = measure.unit_activity(ev.units["test"][i])   # a feature map's unit: its spatial mean
        means = measure.class_means(a, yte, CLASSES)
        sel = measure.class_selectivity(means)
        selectivity.append(sel)
        mi = np.array([measure.mutual_information(a[:, u], yte, CLASSES, MI_BINS) for u in range(b["units"])])
        ablated = measure.single_unit_ablation(ev.ablated, i, b["units"], yte, CLASSES, per_class=final)
        m = {"class_selectivity": sel, "mutual_information": mi,
             "ablated_test_accuracy": ablated["ablated_test_accuracy"],
             "ablated_test_loss": ablated["ablated_test_loss"],
             "class_means": means}
        if final:
            m["ablated_class_accuracy"] = ablated["ablated_class_accuracy"]
        m["concept"] = preferred_digits(means, sel)
        units[b["name"]] = m
    ck["units"] = units

    # ---- curves
    # every checkpoint: curves over all hidden units; the last one also per layer
    scopes = [("all", list(range(len(blocks))))]
    if final:
        scopes += [([b["name"]], [i]) for i, b in enumerate(blocks)]
    labels = {"train": ytr_corrupt, "test": yte}
    curves = []
    for scope_index, (layers, bidx) in enumerate(scopes):
        scope = [(i, blocks[i]["units"]) for i in bidx]
        assert sum(n for _, n in scope) % 8 == 0
        for c in measure.ablation_curves(
                ev.ablated, scope, labels, ck["metrics"], ABLATION_X,
                selectivity=np.concatenate([selectivity[i] for i in bidx]),
                random_seeds=RANDOM_ORDER_SEEDS,
                rng_for=lambda s: np.random.default_rng([model_seed, s, scope_index, 2])):
            curves.append({"layers": layers, **c})
        # Gaussian noise on every unit of the scope, sd = x * the unit's sd over the
        # training set (for a feature map: over images and positions)
        sds = {i: measure.unit_sd(ev.units["train"][i]) for i in bidx}
        for c in measure.noise_curves(
                ev.noised, sds, labels, ck["metrics"], NOISE_X, seeds=NOISE_SEEDS,
                rng_for=lambda s: np.random.default_rng([model_seed, s, scope_index, 3])):
            curves.append({"layers": layers, **c})
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


# --------------------------------------------------------------------------- the autoencoder

def measure_autoencoder(net, Xtr, Xte, yte, seed):
    """The autoencoder's checkpoint: reconstruction errors, per hidden unit its
    activation frequency, a label and the error with it ablated, and ablation
    (random orders) and noise curves, all through lesion.measure with a score
    (reconstruction error) instead of logits."""
    targets = {"train": Xtr, "test": Xte}
    hidden = {s: net.encode(X) for s, X in targets.items()}

    def score(split, out):
        return {f"{split}_reconstruction_error": nets.reconstruction_error(out, targets[split])}

    def ablated(split, ablations):
        return [net.decode(measure.zero_units(hidden[split], ab["code"]) if "code" in ab else hidden[split])
                for ab in ablations]

    def noised(split, noise, rng):
        h = hidden[split]
        return net.decode(h + measure.noise_like(h.shape, noise["code"], rng))

    base = {}
    for s in targets:
        base.update(score(s, net.decode(hidden[s])))
    n = hidden["test"].shape[1]
    activity = measure.unit_activity(hidden["test"])
    means = measure.class_means(activity, yte, CLASSES)
    units = {"activation_frequency": np.mean(hidden["test"] > 0, axis=0),
             "concept": preferred_digits(means, measure.class_selectivity(means)),
             **measure.single_unit_ablation(ablated, "code", n, None, score=score)}
    curves = [{"layers": "all", **c} for c in measure.ablation_curves(
        ablated, [("code", n)], targets, base, ABLATION_X, orders=("random",), random_seeds=RANDOM_ORDER_SEEDS,
        rng_for=lambda s: np.random.default_rng([seed, s, 0, 2]), score=score)]
    curves += [{"layers": "all", **c} for c in measure.noise_curves(
        noised, {"code": measure.unit_sd(hidden["train"])}, targets, base, NOISE_X, seeds=NOISE_SEEDS,
        rng_for=lambda s: np.random.default_rng([seed, s, 0, 3]), score=score)]
    return {"metrics": base, "units": {"code": units}, "curves": curves}


def train_autoencoder(spec=AUTOENCODER):
    Xtr, _, Xte, yte = load_data()
    seed = spec["seed"]
    net = nets.Autoencoder(Xtr.shape[1], spec["hidden"], np.random.default_rng([seed, 2, 0]))
    rng = np.random.default_rng([seed, 2, 4])
    checkpoints = []
    for epoch in range(1, spec["checkpoint_epochs"][-1] + 1):
        perm = rng.permutation(N_TRAIN)
        for s in range(N_TRAIN // BATCH):
            net.train_step(Xtr[perm[s * BATCH:(s + 1) * BATCH]], spec["lr"])
        if epoch in spec["checkpoint_epochs"]:
            ck = measure_autoencoder(net, Xtr, Xte, yte, seed)
            ck["step"] = epoch * (N_TRAIN // BATCH)
            checkpoints.append(ck)
    return {
        "experiment": spec["experiment"], "model": f"ae-h{spec['hidden']}-seed{seed}",
        "attributes": {"architecture": spec["architecture"], "dataset": DATASET, "seed": seed},
        "classes": None,
        "layers": [{"name": "code", "units": spec["hidden"], "kind": "dense"}],
        "checkpoints": checkpoints,
    }


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
        **({"classes": CLASSES} if model.get("classes", CLASSES) is not None else {}),
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
        cm = {"step": ck["step"], "metrics": sorted(ck["metrics"]), "units": {}, "labels": {}, "curves": []}
        for name, v in ck["metrics"].items():
            arrays[f"c{ci}/metrics/{name}"] = np.asarray(v, dtype=np.float64)
        for layer, m in ck["units"].items():
            cm["units"][layer] = sorted(k for k, v in m.items() if not is_text(v))
            cm["labels"][layer] = {k: list(v) for k, v in m.items() if is_text(v)}
            for k, v in m.items():
                if not is_text(v):
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
    folder = ARRAYS if model.get("classes", CLASSES) is not None else os.path.join(ARRAYS, "classless")
    os.makedirs(folder, exist_ok=True)
    np.savez(os.path.join(folder, model["model"] + ".npz"), **arrays)


def is_text(values):
    """A text unit metric: a list of labels (str) or None (numeric metrics are arrays)."""
    return isinstance(values, list) and all(v is None or isinstance(v, str) for v in values)


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
        # the model without classes, in a folder of its own: ingesting Fixtures/runs
        # (and so every reference answer) is not changed by it
        autoencoder = train_autoencoder()
        save_arrays(autoencoder)
        os.makedirs(CLASSLESS, exist_ok=True)
        with open(os.path.join(CLASSLESS, "digits-autoencoder.json"), "w") as f:
            f.write(pretty(run_document(autoencoder)) + "\n")
        # every document, checked against the format by lesion.RunDocument
        for model in list(results.values()) + [autoencoder]:
            RunDocument.from_dict(run_document(model))
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
