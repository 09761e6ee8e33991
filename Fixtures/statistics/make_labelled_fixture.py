#!/usr/bin/env python3
"""A small deterministic experiment with labels and per-class accuracies, and the
scipy reference answers of the turn-2 cases on it (issue 11), until the bundled
fixtures carry the same data.

    python3 Fixtures/statistics/make_labelled_fixture.py

writes Fixtures/statistics/labelled/: runs.jsonl (the run documents), cases.json (the
lesion command lines) and one expected answer per case. The documents are drawn with
numpy from a fixed seed: two architectures (4 and 5 classes) with two checkpoints
each, per-class means and ablated accuracies with ties and nulls, a number metric
concept_iou, the labels concept_category (four values and null, on the first layer
only) and side (two values), and a model without classes. The answers come from the
reference functions of make_added_answers.py, straight from the documents.
"""
import json
import os

import numpy as np

from make_added_answers import class_importance, compare, selectivity_importance_threshold

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "labelled")
CATEGORIES = ["object", "texture", "color", "part", None]


def q(x, step=1 / 64):
    """Round to a multiple of 1/64: exact in binary, and ties happen."""
    return float(np.round(x / step) * step)


def layer_units(rng, units, classes, class_accuracy, first_layer):
    means = rng.random((units, classes))
    means[0, :] = 0.5                      # all equal: no preferred class
    means[1, 1] = means[1, 2] = 2.0        # tied maximum: the lowest class
    means[2, 0] = np.nan                   # undefined mean
    hurt = rng.integers(0, classes, units)
    preferred = np.argmax(np.nan_to_num(means, nan=-1), axis=1)
    ablated = np.array(class_accuracy)[None, :] - rng.integers(0, 4, (units, classes)) / 64
    for u in range(units):
        # most units hurt their preferred class most, some another one
        k = preferred[u] if rng.random() < 0.55 else hurt[u]
        ablated[u, k] -= q(0.05 + 0.3 * rng.random())
    ablated = np.clip(ablated, 0, 1)
    ablated[3, :] = np.array(class_accuracy)  # no drop anywhere: ties at 0, class 0
    iou = np.round(rng.random(units) * 0.1, 6)
    ablated_test = np.round(0.9 - 0.1 * rng.random(units), 6)
    values = {
        "class_means": [[None if np.isnan(v) else float(v) for v in row] for row in means],
        "ablated_class_accuracy": [[float(v) for v in row] for row in ablated],
        "concept_iou": [None if u == 5 else float(v) for u, v in enumerate(iou)],
        "ablated_test_accuracy": [None if u == 6 else float(v) for u, v in enumerate(ablated_test)],
        "side": ["left" if rng.random() < 0.5 else "right" for _ in range(units)],
    }
    values["ablated_class_accuracy"][4][1] = None  # class drop undefined
    if first_layer:
        values["concept_category"] = [CATEGORIES[int(rng.integers(0, len(CATEGORIES)))] for _ in range(units)]
    return values


def documents():
    rng = np.random.default_rng(20261130)
    docs = []
    for architecture, classes, layers in [("mlp", 4, [("fc1", 24), ("fc2", 12)]), ("cnn", 5, [("conv1", 20), ("fc", 10)])]:
        for seed in range(2):
            checkpoints = []
            for step in (100, 200):
                class_accuracy = [q(0.7 + 0.25 * rng.random()) for _ in range(classes)]
                checkpoints.append({
                    "step": step,
                    "metrics": {"test_accuracy": q(0.9 + 0.05 * rng.random()), "class_accuracy": class_accuracy},
                    "units": {name: layer_units(rng, units, classes, class_accuracy, index == 0)
                              for index, (name, units) in enumerate(layers)},
                })
            docs.append({
                "format": "lesion.run/1", "experiment": "labelled", "model": f"{architecture}-seed{seed}",
                "attributes": {"architecture": architecture, "seed": seed}, "classes": classes,
                "layers": [{"name": n, "units": u} for n, u in layers], "checkpoints": checkpoints,
            })
    # A model without classes: labels and concept_iou, no class metrics.
    units = 16
    docs.append({
        "format": "lesion.run/1", "experiment": "labelled", "model": "autoencoder",
        "attributes": {"architecture": "autoencoder", "seed": 0},
        "layers": [{"name": "code", "units": units}],
        "checkpoints": [{"step": 100, "metrics": {"test_accuracy": 0.5}, "units": {"code": {
            "concept_iou": [float(v) for v in np.round(rng.random(units) * 0.1, 6)],
            "ablated_test_accuracy": [float(v) for v in np.round(0.5 - 0.1 * rng.random(units), 6)],
            "concept_category": [CATEGORIES[int(rng.integers(0, len(CATEGORIES)))] for _ in range(units)],
            "side": ["left" if rng.random() < 0.5 else "right" for _ in range(units)],
        }}}],
    })
    return docs


def cases():
    q_ = ["query"]
    SI, CO, CI = selectivity_importance_threshold, compare, class_importance
    return [
        ("compare.concept_iou.by-concept_category", q_ + ["compare", "--metric", "concept_iou", "--by", "concept_category"],
         CO, {"metric": "concept_iou", "by": "concept_category"}),
        ("compare.concept_iou.by-side.step-all",
         q_ + ["compare", "--metric", "concept_iou", "--by", "side", "--step", "all"],
         CO, {"metric": "concept_iou", "by": "side", "step": "all"}),
        ("selectivity-importance.concept_iou.by-concept_category",
         q_ + ["selectivity-importance", "--selectivity", "concept_iou", "--by", "concept_category"],
         SI, {"selectivity": "concept_iou", "by": "concept_category"}),
        ("selectivity-importance.concept_iou.threshold-0.04",
         q_ + ["selectivity-importance", "--selectivity", "concept_iou", "--threshold", "0.04"],
         SI, {"selectivity": "concept_iou", "threshold": 0.04}),
        ("selectivity-importance.concept_iou.threshold-0.05.by-side.step-all",
         q_ + ["selectivity-importance", "--selectivity", "concept_iou", "--threshold", "0.05", "--by", "side",
               "--step", "all"],
         SI, {"selectivity": "concept_iou", "threshold": 0.05, "by": "side", "step": "all"}),
        ("class-importance.concept_iou", q_ + ["class-importance", "--selectivity", "concept_iou"],
         CI, {"selectivity": "concept_iou"}),
        ("class-importance.concept_iou.by-none.step-all",
         q_ + ["class-importance", "--selectivity", "concept_iou", "--by", "none", "--step", "all"],
         CI, {"selectivity": "concept_iou", "by": "none", "step": "all"}),
        ("class-importance.concept_iou.by-concept_category",
         q_ + ["class-importance", "--selectivity", "concept_iou", "--by", "concept_category"],
         CI, {"selectivity": "concept_iou", "by": "concept_category"}),
        ("class-importance.concept_iou.by-architecture.step-all",
         q_ + ["class-importance", "--selectivity", "concept_iou", "--by", "architecture", "--step", "all"],
         CI, {"selectivity": "concept_iou", "by": "architecture", "step": "all"}),
    ]


def main():
    os.makedirs(OUT, exist_ok=True)
    docs = documents()
    with open(os.path.join(OUT, "runs.jsonl"), "w") as f:
        for doc in docs:
            f.write(json.dumps(doc, allow_nan=False, separators=(",", ":")) + "\n")
    manifest = []
    for name, args, fn, kw in cases():
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(fn(docs, **kw), f, indent=1, allow_nan=False)
            f.write("\n")
        manifest.append({"name": name, "args": args, "expected": name + ".json"})
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        f.write("[\n" + ",\n".join(" " + json.dumps(c) for c in manifest) + "\n]\n")
    print(f"wrote {len(docs)} documents and {len(manifest)} cases to {OUT}")


if __name__ == "__main__":
    main()
