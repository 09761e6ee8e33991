#!/usr/bin/env python3
"""Reference answers for class-importance's computation (analyses.md section 6),
computed independently with numpy/scipy from synthetic units.

Writes Fixtures/expected/class_importance.json:  python3 Fixtures/statistics/make_class_importance_reference.py

Each case lists its units (group, classes, class_means, class_accuracy,
ablated_class_accuracy, selectivity, accuracy_drop; undefined values are null) and
the expected groups, pooled row and left-out counts. Floats are written with repr.
"""
import json
import math
import os

import sys

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
# Spearman with Fisher's interval as the experiment's reference answers compute it.
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "experiment"))
from reference_answers import spearman  # noqa: E402


def undefined(v):
    return v is None or (isinstance(v, float) and math.isnan(v))




def group_stats(group, rows):
    n = len(rows)
    hits = sum(r["hit"] for r in rows)
    classes = {r["classes"] for r in rows}
    s = [r["s"] for r in rows]
    acc = [r for r in rows if not undefined(r["accuracy_drop"]) and math.isfinite(r["accuracy_drop"])]
    return {
        "group": group, "n": n, "hits": hits,
        "hit_rate": hits / n if n else None,
        "chance": float(np.mean([1 / r["classes"] for r in rows])) if n else None,
        "binomial_p": float(stats.binomtest(hits, n, 1 / rows[0]["classes"]).pvalue)
        if n and len(classes) == 1 else None,
        "preferred_drop": spearman(s, [r["preferred_drop"] for r in rows]),
        "max_drop": spearman(s, [r["max_drop"] for r in rows]),
        "accuracy_drop": spearman([r["s"] for r in acc], [r["accuracy_drop"] for r in acc]),
    }


def expected(units, grouped=True):
    left = {"no preferred class": 0, "class drop undefined": 0, "selectivity undefined": 0}
    rows = {}
    for u in units:
        means = u["class_means"]
        if any(undefined(m) for m in means) or len(set(means)) == 1:
            left["no preferred class"] += 1
            continue
        p = int(np.argmax(np.array(means, dtype=float)))  # the first maximum
        if any(undefined(a) or undefined(b) for a, b in zip(u["class_accuracy"], u["ablated_class_accuracy"])):
            left["class drop undefined"] += 1
            continue
        drop = np.array(u["class_accuracy"], dtype=float) - np.array(u["ablated_class_accuracy"], dtype=float)
        if undefined(u["selectivity"]):
            left["selectivity undefined"] += 1
            continue
        h = int(np.argmax(drop))
        rows.setdefault(json.dumps(u["group"]), (u["group"], []))[1].append({
            "s": u["selectivity"], "preferred_drop": float(drop[p]), "max_drop": float(drop[h]),
            "accuracy_drop": u["accuracy_drop"], "hit": h == p, "classes": u["classes"]})
    keys = sorted(rows, key=lambda k: (isinstance(rows[k][0], str), rows[k][0]))
    every = [r for k in keys for r in rows[k][1]]
    return {"groups": [group_stats(rows[k][0], rows[k][1]) for k in keys] if grouped else [],
            "pooled": group_stats(None, every),
            "left_out": {k: v for k, v in left.items() if v}}


def make_units(rng, groups, count, classes_of, hit_bias):
    units = []
    for g in groups:
        for _ in range(count):
            k = classes_of(g)
            means = np.round(rng.gamma(2.0, 0.5, k), 2)  # rounded: exact ties happen
            accuracy = np.round(rng.uniform(0.6, 1.0, k), 3)
            p = int(np.argmax(means))
            hurt = np.round(rng.exponential(0.01, k), 4)
            if rng.uniform() < hit_bias:
                hurt[p] += rng.uniform(0, 0.1)
            s = float((means.max() - means.mean()) / (means.max() + means.mean()))
            units.append({"group": g, "classes": k, "class_means": [float(v) for v in means],
                          "class_accuracy": [float(v) for v in accuracy],
                          "ablated_class_accuracy": [float(a - d) for a, d in zip(accuracy, hurt)],
                          "selectivity": s, "accuracy_drop": float(np.mean(hurt) + rng.normal(0, 0.002))})
    return units


def main():
    rng = np.random.default_rng(2018)
    layered = make_units(rng, ["conv1", "fc1", "fc2"], 120, lambda g: 10, 0.3)
    # Undefined inputs, each kind, and edge shapes.
    layered[0]["class_means"][3] = None                      # no preferred class
    layered[1]["class_means"] = [0.5] * 10                   # all equal: none
    layered[2]["ablated_class_accuracy"][7] = None           # class drop undefined
    layered[3]["selectivity"] = None                         # S undefined
    layered[4]["accuracy_drop"] = None                       # only its own n shrinks
    layered[5]["class_means"] = [0.1, 0.9, 0.9] + [0.0] * 7  # tie: class 1, the lower
    layered[5]["class_accuracy"] = [0.9] * 10
    layered[5]["ablated_class_accuracy"] = [0.9, 0.8, 0.8] + [0.9] * 7  # drops tie on 1, 2: hit
    mixed = make_units(rng, [0.0, 0.5], 40, lambda g: 10, 0.5) + make_units(rng, [0.5], 25, lambda g: 5, 0.5)
    tiny = make_units(rng, ["a", "b", "c"], 1, lambda g: 3, 0.9) + make_units(rng, ["b"], 1, lambda g: 3, 0.9) \
        + make_units(rng, ["c"], 3, lambda g: 3, 0.9)
    strong = make_units(rng, ["fc1"], 400, lambda g: 10, 0.95)
    cases = [
        {"name": "three layers with undefined inputs", "grouped": True, "units": layered},
        {"name": "numeric groups, one mixing 10 and 5 classes", "grouped": True, "units": mixed},
        {"name": "groups of one, two and four units", "grouped": True, "units": tiny},
        {"name": "strong hits pooled only", "grouped": False, "units": strong},
    ]
    for case in cases:
        case["expected"] = expected(case["units"], case["grouped"])
    path = os.path.join(os.path.dirname(HERE), "expected", "class_importance.json")
    # One unit a line: readable, and a fifth of the size of one number a line.
    with open(path, "w") as f:
        f.write('{"generator": "Fixtures/statistics/make_class_importance_reference.py",\n "cases": [\n')
        for index, case in enumerate(cases):
            f.write('  {"name": %s, "grouped": %s,\n   "units": [\n' % (json.dumps(case["name"]), json.dumps(case["grouped"])))
            f.write(",\n".join("    " + json.dumps(u, allow_nan=False) for u in case["units"]))
            f.write('\n   ],\n   "expected": ')
            f.write(json.dumps(case["expected"], indent=1, allow_nan=False).replace("\n", "\n   "))
            f.write("\n  }" + (",\n" if index < len(cases) - 1 else "\n"))
        f.write(" ]\n}\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
