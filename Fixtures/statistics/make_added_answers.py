#!/usr/bin/env python3
"""Reference answers for the turn-2 query cases that need no new stored data:
`compare` with three or more groups (Kruskal-Wallis under "test") and
`selectivity-importance --threshold T`. Computed with numpy/scipy straight from the
bundled run documents, independently of lesion.

The other answers in Fixtures/expected come from Fixtures/experiment/reference_answers.py,
which needs the experiment's arrays (not committed). This script reads what `lesion
export` writes back from a database holding the bundled fixtures (a lossless round
trip of Fixtures/runs), so it runs anywhere:

    lesion ingest Fixtures/runs --db /tmp/f.sqlite
    lesion export --db /tmp/f.sqlite > /tmp/f.jsonl
    python3 Fixtures/statistics/make_added_answers.py /tmp/f.jsonl

It writes the new cases' files, appends them to Fixtures/expected/cases.json (once),
and adds "test" to the existing compare answers with three or more groups, after
checking that everything else it computes for them equals what is there (1e-12).
"""
import json
import math
import os
import sys

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED = os.path.join(os.path.dirname(HERE), "expected")
# The statistics helpers of the experiment's reference answers (one implementation of
# each: quantile snapping, group order, Spearman with Fisher's interval, Mann-Whitney).
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "experiment"))
from reference_answers import finite, group_sort_key as sort_key, mann_whitney, quantile, spearman  # noqa: E402


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]






def observations(models, step="last"):
    """(model, checkpoint) pairs: the last checkpoint of each model, or all."""
    for m in models:
        cks = sorted(m["checkpoints"], key=lambda c: c["step"])
        for ck in (cks[-1:] if step == "last" else cks):
            yield m, ck


def unit_values(m, ck, layer, name):
    units = ck["units"][layer]
    if name == "accuracy_drop":
        return [None if a is None else ck["metrics"]["test_accuracy"] - a for a in units["ablated_test_accuracy"]]
    if name == "loss_increase":
        return [None if a is None else a - ck["metrics"]["test_loss"] for a in units["ablated_test_loss"]]
    return units.get(name)










def kruskal(groups):
    h, p = stats.kruskal(*groups)
    n = sum(len(g) for g in groups)
    if not math.isfinite(h):
        return {"h": None, "df": len(groups) - 1, "p": None, "epsilon_squared": None}
    return {"h": float(h), "df": len(groups) - 1, "p": float(p), "epsilon_squared": float(h) / (n - 1)}


def compare(models, metric="class_selectivity", by="batch_norm", step="last"):
    left, groups = 0, {}
    for m, ck in observations(models, step):
        for layer in [l["name"] for l in m["layers"]]:
            for v in unit_values(m, ck, layer, metric):
                if not finite(v):
                    left += 1
                    continue
                g = m["attributes"].get(by)
                groups.setdefault(json.dumps(g), (g, []))[1].append(v)
    keys = sorted(groups, key=lambda k: sort_key(groups[k][0]))
    rows = []
    for key in keys:
        g, vs = groups[key]
        v = np.array(vs)
        rows.append({"group": g, "n": len(vs), "mean": float(np.mean(v)),
                     "sd": float(np.std(v, ddof=1)) if len(v) > 1 else None,
                     "min": float(v.min()), "q25": quantile(v, 0.25), "median": quantile(v, 0.5),
                     "q75": quantile(v, 0.75), "max": float(v.max())})
    out = {"analysis": "compare", "parameters": {"metric": metric, "by": by, "step": step, "filters": []},
           "groups": rows}
    values = [groups[k][1] for k in keys]
    if len(values) == 2:
        mw = mann_whitney(values[0], values[1])
        out["test"] = {"u": mw["u"], "p": mw["p"], "rank_biserial": mw["rank_biserial"]}
    elif len(values) >= 3:
        out["test"] = kruskal(values)
    out["left_out"] = [{"reason": f"{metric} undefined", "count": left}] if left else []
    return out


def threshold_stats(S, I, threshold):
    sel = [i for s, i in zip(S, I) if s >= threshold]
    uns = [i for s, i in zip(S, I) if s < threshold]
    out = spearman(S, I)
    sm = float(np.mean(sel)) if sel else None
    um = float(np.mean(uns)) if uns else None
    mw = mann_whitney(sel, uns)
    out.update({"selective_n": len(sel), "unselective_n": len(uns), "selective_mean": sm,
                "unselective_mean": um, "difference": sm - um if sel and uns else None,
                "u": mw["u"], "u_p": mw["p"], "rank_biserial": mw["rank_biserial"]})
    return out


def selectivity_importance_threshold(models, threshold, selectivity="class_selectivity",
                                     importance="accuracy_drop", by="layer"):
    left = {f"{selectivity} undefined": 0, f"{importance} undefined": 0}
    groups, all_s, all_i = {}, [], []
    for m, ck in observations(models):
        for layer in [l["name"] for l in m["layers"]]:
            S = unit_values(m, ck, layer, selectivity)
            I = unit_values(m, ck, layer, importance)
            for s, i in zip(S, I):
                if not finite(s):
                    left[f"{selectivity} undefined"] += 1
                    continue
                if not finite(i):
                    left[f"{importance} undefined"] += 1
                    continue
                g = layer if by == "layer" else m["attributes"].get(by)
                entry = groups.setdefault(json.dumps(g), (g, [], []))
                entry[1].append(s)
                entry[2].append(i)
                all_s.append(s)
                all_i.append(i)
    rows = [] if by == "none" else [
        {"group": groups[k][0], **threshold_stats(groups[k][1], groups[k][2], threshold)}
        for k in sorted(groups, key=lambda k: sort_key(groups[k][0]))]
    return {"analysis": "selectivity-importance",
            "parameters": {"selectivity": selectivity, "importance": importance, "by": by,
                           "fraction": None, "threshold": threshold, "step": "last", "filters": []},
            "groups": rows, "pooled": {"group": None, **threshold_stats(all_s, all_i, threshold)},
            "left_out": [{"reason": r, "count": c} for r, c in left.items() if c]}


def cases():
    SI, CO = selectivity_importance_threshold, compare
    q = ["query"]
    return [
        ("compare.by-label_corruption.metric-accuracy_drop",
         q + ["compare", "--by", "label_corruption", "--metric", "accuracy_drop"], CO,
         {"by": "label_corruption", "metric": "accuracy_drop"}),
        ("compare.by-seed.metric-mutual_information",
         q + ["compare", "--by", "seed", "--metric", "mutual_information"], CO,
         {"by": "seed", "metric": "mutual_information"}),
        ("compare.by-label_corruption.step-all", q + ["compare", "--by", "label_corruption", "--step", "all"], CO,
         {"by": "label_corruption", "step": "all"}),
        ("selectivity-importance.threshold-0.5", q + ["selectivity-importance", "--threshold", "0.5"], SI,
         {"threshold": 0.5}),
        ("selectivity-importance.mutual-information.threshold-0.6",
         q + ["selectivity-importance", "--selectivity", "mutual_information", "--threshold", "0.6"], SI,
         {"threshold": 0.6, "selectivity": "mutual_information"}),
        ("selectivity-importance.threshold-0.3.by-label_corruption.loss-increase",
         q + ["selectivity-importance", "--threshold", "0.3", "--by", "label_corruption",
              "--importance", "loss_increase"], SI,
         {"threshold": 0.3, "by": "label_corruption", "importance": "loss_increase"}),
    ]


def close(a, b, path=""):
    """Equal JSON values, numbers to 1e-12 relative (1e-15 absolute)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), (path, a.keys(), b.keys())
        for k in a:
            close(a[k], b[k], path + "." + k)
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and not isinstance(a, bool):
        assert abs(a - b) <= max(1e-12 * abs(a), 1e-15), (path, a, b)
    else:
        assert a == b, (path, a, b)


def write(name, doc):
    with open(os.path.join(EXPECTED, name), "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    models = load(sys.argv[1])
    # Existing compare answers with three or more groups gain "test"; the rest must agree.
    manifest_path = os.path.join(EXPECTED, "cases.json")
    with open(manifest_path) as f:
        manifest = json.load(f)
    for case in manifest:
        if case["args"][1] != "compare":
            continue
        path = os.path.join(EXPECTED, case["expected"])
        with open(path) as f:
            existing = json.load(f)
        if len(existing["groups"]) < 3 or "--where" in case["args"]:
            continue
        args = case["args"][2:]
        kw = {args[i].lstrip("-"): args[i + 1] for i in range(0, len(args), 2)}
        ours = compare(models, **kw)
        close({k: v for k, v in existing.items() if k != "test"}, {k: v for k, v in ours.items() if k != "test"})
        existing["test"] = ours["test"]
        ordered = {k: existing[k] for k in ["analysis", "parameters", "groups", "test", "left_out"] if k in existing}
        write(case["expected"], ordered)
        print(f"added test to {case['expected']}")
    known = {c["name"] for c in manifest}
    for name, args, fn, kw in cases():
        write(name + ".json", fn(models, **kw))
        if name not in known:
            manifest.append({"name": name, "args": args, "expected": name + ".json"})
        print(f"wrote {name}.json")
    with open(manifest_path, "w") as f:
        f.write("[\n" + ",\n".join(" " + json.dumps(c) for c in manifest) + "\n]\n")


if __name__ == "__main__":
    main()
