#!/usr/bin/env python3
"""Synthetic, well-formed run documents (lesion.run/1) of any size, deterministic.

    python3 Benchmarks/generate.py --models 500 --layers 4 --units 500 --metrics 5 \
        --checkpoints 1 --seeds 3 --points 11 --jsonl runs.jsonl --csv values.csv \
        --checkpoint-csv checkpoints.csv

Writes one document per model per line (JSONL) and, optionally, the same unit values
as a long CSV `model,step,layer,unit,metric,value` (a NaN value is an empty field, so
that psql's \\copy and DuckDB read it as NULL, as lesion stores it) and the checkpoint
metrics as `model,step,metric,value`.

Numbers look like real ones: doubles written by Python's repr (up to 17 significant
digits, as `json.dump` writes them), about 1% NaN (dead units: undefined selectivity),
accuracies in [0, 1], losses >= 0, importance loosely tied to selectivity. Model i is
generated from seed (base seed, i) alone, so the first N models of a bigger set are the
N models of a smaller one: sizes scale without changing the data.
"""
import argparse
import json
import math
import sys

import numpy as np

SCALAR_METRICS = ["class_selectivity", "ablated_test_accuracy", "ablated_test_loss",
                  "mutual_information", "mean_activation"]
LABEL_CORRUPTION = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]


def metric_names(k):
    names = SCALAR_METRICS[:k]
    names += [f"extra_metric_{i}" for i in range(len(names), k)]
    return names


LABEL_WORDS = ["years in dates", "closing parentheses", "the word 'the' after a verb", "French nouns",
               "numbers in tables", "names of cities", "negation", "Python keywords", "quoted speech",
               "plural suffixes", "dog ears", "striped texture", "sky", "wooden floor"]


def labels(rng, n, fraction):
    """One 60-character label per unit (an automated explanation), null for a fraction."""
    picks = rng.integers(0, len(LABEL_WORDS), (n, 2))
    out = []
    for k, (a, b) in enumerate(picks):
        text = f"fires on {LABEL_WORDS[a]} and on {LABEL_WORDS[b]} (unit {k})"
        out.append((text + " " * 60)[:60])
    for k in np.nonzero(rng.random(n) < fraction)[0]:
        out[k] = None
    return out


CATEGORIES = ["object", "part", "scene", "material", "texture", "color"]


def categories(rng, n, fraction):
    """A Network Dissection concept category per unit (six values), null for a fraction."""
    picks = rng.integers(0, len(CATEGORIES), n)
    return [None if r < fraction else CATEGORIES[k] for k, r in zip(picks, rng.random(n))]


def with_nan(rng, values, fraction):
    if fraction > 0:
        values[rng.random(values.shape[0]) < fraction] = np.nan
    return values


def model_document(args, index):
    rng = np.random.default_rng([args.seed, index])
    lc = LABEL_CORRUPTION[index % len(LABEL_CORRUPTION)]
    batch_norm = bool((index // len(LABEL_CORRUPTION)) % 2)
    dropout = [0.0, 0.1, 0.2][(index // 12) % 3]
    name = f"mlp-lc{lc}-bn{int(batch_norm)}-do{dropout}-m{index}"
    layers = [{"name": f"fc{j + 1}", "units": args.units, "kind": "dense"} for j in range(args.layers)]
    names = metric_names(args.metrics)
    checkpoints = []
    class_means = args.class_means or args.class_importance
    for c in range(args.checkpoints):
        step = 1000 * (c + 1)
        progress = (c + 1) / args.checkpoints
        train_acc = float(min(1.0, 0.5 + 0.5 * progress - 0.02 * rng.random()))
        test_acc = float(max(0.05, (0.95 - 0.8 * lc) * (0.6 + 0.4 * progress) - 0.03 * rng.random()))
        train_loss = float(0.01 + 0.05 * rng.random() + 2.0 * (1 - progress) * rng.random())
        test_loss = float(0.3 + 2.5 * lc + 0.5 * rng.random())
        units = {}
        class_accuracy = np.clip(test_acc + rng.normal(0, 0.05, 10), 0, 1) if args.class_importance else None
        for layer in layers:
            n = layer["units"]
            selectivity = rng.beta(2.0, 5.0, n)
            # Importance is loosely (and, with label corruption, more) tied to selectivity.
            drop = np.abs(rng.normal(0.002 + 0.01 * lc, 0.004, n)) * (1.0 + (0.5 - lc) * selectivity)
            per_metric = {}
            if class_means:
                # Class-conditional means, and the selectivity they imply (as ingest derives it).
                cm = rng.gamma(1.5, 0.3, (n, 10))
                top = cm.max(axis=1)
                rest = (cm.sum(axis=1) - top) / 9
                selectivity = (top - rest) / (top + rest)
            for m in names:
                if m == "class_selectivity":
                    v = with_nan(rng, selectivity.copy(), args.nan_fraction)
                elif m == "ablated_test_accuracy":
                    v = np.clip(test_acc - drop, 0.0, 1.0)
                elif m == "ablated_test_loss":
                    v = test_loss + 3.0 * drop + np.abs(rng.normal(0, 0.001, n))
                elif m == "mutual_information":
                    v = with_nan(rng, rng.gamma(2.0, 0.05, n), args.nan_fraction)
                else:
                    v = rng.lognormal(-1.0, 1.0, n)
                per_metric[m] = v.tolist()
            if class_means:
                per_metric["class_means"] = cm.tolist()
            if args.class_importance:
                # Each unit's drop is spread over the classes, most often on its preferred one.
                weights = rng.random((n, 10)) * 0.3
                weights[np.arange(n), cm.argmax(axis=1)] += rng.random(n)
                ablated = class_accuracy[None, :] - drop[:, None] * 10 * weights / weights.sum(axis=1)[:, None]
                per_metric["ablated_class_accuracy"] = np.clip(ablated, 0, 1).tolist()
            if args.categories:
                per_metric["concept_category"] = categories(rng, n, args.nan_fraction)
            if args.labels:
                per_metric["explanation"] = labels(rng, n, args.nan_fraction)
                per_metric["explanation_score"] = with_nan(rng, rng.uniform(-1, 1, n), args.nan_fraction).tolist()
            units[layer["name"]] = per_metric
        x = np.linspace(0.0, 1.0, args.points)
        curves = []
        for s in range(args.seeds):
            shape = 0.6 + 2.5 * (1 - lc) + 1.5 * rng.random()
            y_train = train_acc * (1 - x ** shape) + 0.1 * x ** shape
            y_test = test_acc * (1 - x ** (shape * 0.8)) + 0.1 * x ** (shape * 0.8)
            curves.append({
                "perturbation": "ablation", "layers": "all", "order": "random", "seed": s,
                "x": x.tolist(),
                "metrics": {"train_accuracy": np.clip(y_train, 0, 1).tolist(),
                            "test_accuracy": np.clip(y_test, 0, 1).tolist()},
            })
        metrics = {"train_accuracy": train_acc, "test_accuracy": test_acc,
                   "train_loss": train_loss, "test_loss": test_loss}
        if class_accuracy is not None:
            metrics["class_accuracy"] = class_accuracy.tolist()
        checkpoints.append({
            "step": step,
            "metrics": metrics,
            "units": units,
            "curves": curves,
        })
    return {
        "format": "lesion.run/1",
        "experiment": args.experiment,
        "model": name,
        "attributes": {"architecture": f"mlp-{args.layers}x{args.units}", "dataset": "synthetic-digits",
                       "label_corruption": lc, "batch_norm": batch_norm, "dropout": dropout,
                       "seed": index},
        "classes": 10,
        "layers": layers,
        "checkpoints": checkpoints,
    }


def csv_lines(document):
    model = document["model"]
    out = []
    for checkpoint in document["checkpoints"]:
        step = checkpoint["step"]
        for layer, metrics in checkpoint["units"].items():
            for metric, values in metrics.items():
                if metric == "class_means":
                    continue
                prefix = f"{model},{step},{layer},"
                suffix = f",{metric},"
                out.extend(f"{prefix}{u}{suffix}{'' if v != v else repr(v)}\n" for u, v in enumerate(values))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", type=int, default=100)
    p.add_argument("--first-model", type=int, default=0, help="index of the first model (to split a set)")
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--units", type=int, default=500)
    p.add_argument("--metrics", type=int, default=5, help="scalar unit metrics per layer")
    p.add_argument("--class-means", action="store_true", help="also a class_means vector (10 classes) per unit")
    p.add_argument("--class-importance", action="store_true",
                   help="class_means and ablated_class_accuracy vectors (10 classes) per unit, class_accuracy per checkpoint")
    p.add_argument("--categories", action="store_true", help="a concept_category label (six values) per unit")
    p.add_argument("--labels", action="store_true",
                   help="also an `explanation` label (60 characters) and an `explanation_score` per unit")
    p.add_argument("--checkpoints", type=int, default=1)
    p.add_argument("--seeds", type=int, default=3, help="ablation curves (seeds) per checkpoint")
    p.add_argument("--points", type=int, default=11, help="points per curve")
    p.add_argument("--nan-fraction", type=float, default=0.01)
    p.add_argument("--experiment", default="bench")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--jsonl", required=True, help="output JSONL ('-' for stdout)")
    p.add_argument("--csv", help="output long CSV of the unit values")
    p.add_argument("--checkpoint-csv", help="output CSV of the checkpoint metrics")
    args = p.parse_args()

    out = sys.stdout if args.jsonl == "-" else open(args.jsonl, "w", encoding="utf-8")
    csv = open(args.csv, "w", encoding="utf-8") if args.csv else None
    ck = open(args.checkpoint_csv, "w", encoding="utf-8") if args.checkpoint_csv else None
    if csv:
        csv.write("model,step,layer,unit,metric,value\n")
    if ck:
        ck.write("model,step,metric,value\n")
    for i in range(args.first_model, args.first_model + args.models):
        doc = model_document(args, i)
        out.write(json.dumps(doc))
        out.write("\n")
        if csv:
            csv.writelines(csv_lines(doc))
        if ck:
            for c in doc["checkpoints"]:
                for m, v in c["metrics"].items():
                    ck.write(f"{doc['model']},{c['step']},{m},{repr(v)}\n")
    for f in (out, csv, ck):
        if f not in (None, sys.stdout):
            f.close()


if __name__ == "__main__":
    main()
