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

Once the runs carry labels (text unit metrics) and class_accuracy, the cases of
label_cases() are added too: compare by a label of three or more values and by one of
two, selectivity-importance by a label, class-importance by layer, pooled and with
--step all. (make_labelled_fixture.py computes the same cases on a small synthetic
experiment with these functions.)

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










def resolve_by(models, by):
    """What --by names: layer, model, none, a model attribute, else a label (a text
    unit metric), as analyses.md "Grouping by a unit's label" orders them."""
    if by in ("layer", "model", "none"):
        return by
    if any(by in m.get("attributes", {}) for m in models):
        return "attribute"
    return "label"


def group_of(m, ck, layer, unit, by, kind):
    """(True, group) for a unit, or (False, reason) when it is left out."""
    if kind == "layer":
        return True, layer
    if kind == "model":
        return True, f"{m['experiment']}/{m['model']}"
    if kind == "none":
        return True, ""
    if kind == "attribute":
        g = m.get("attributes", {}).get(by)
        return (True, g) if g is not None else (False, f"{by} unknown")
    labels = ck.get("units", {}).get(layer, {}).get(by)
    if labels is None:
        return False, f"no label {by}"
    return True, labels[unit]


def add_left(left, reason):
    left[reason] = left.get(reason, 0) + 1


def kruskal(groups):
    h, p = stats.kruskal(*groups)
    n = sum(len(g) for g in groups)
    if not math.isfinite(h):
        return {"h": None, "df": len(groups) - 1, "p": None, "epsilon_squared": None}
    return {"h": float(h), "df": len(groups) - 1, "p": float(p), "epsilon_squared": float(h) / (n - 1)}


def compare(models, metric="class_selectivity", by="batch_norm", step="last"):
    kind = resolve_by(models, by)
    left, groups = {}, {}
    for m, ck in observations(models, step):
        for layer in [l["name"] for l in m["layers"]]:
            values = unit_values(m, ck, layer, metric)
            if values is None:
                continue
            for unit, v in enumerate(values):
                if not finite(v):
                    add_left(left, f"{metric} undefined")
                    continue
                found, g = group_of(m, ck, layer, unit, by, kind)
                if not found:
                    add_left(left, g)
                    continue
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
    out = {"analysis": "compare",
           "parameters": {"metric": metric, "by": by, "by_kind": kind, "step": step, "filters": []},
           "groups": rows}
    values = [groups[k][1] for k in keys]
    if len(values) == 2:
        mw = mann_whitney(values[0], values[1])
        out["test"] = {"u": mw["u"], "p": mw["p"], "rank_biserial": mw["rank_biserial"]}
    elif len(values) >= 3:
        out["test"] = kruskal(values)
    out["left_out"] = [{"reason": r, "count": c} for r, c in left.items()]
    return out


def threshold_stats(S, I, threshold):
    sel = [i for s, i in zip(S, I) if s >= threshold]
    uns = [i for s, i in zip(S, I) if s < threshold]
    return split_stats(S, I, sel, uns)


def fraction_stats(S, I, fraction):
    hi, lo = quantile(S, 1 - fraction), quantile(S, fraction)
    sel = [i for s, i in zip(S, I) if s >= hi]
    uns = [i for s, i in zip(S, I) if s <= lo]
    return split_stats(S, I, sel, uns)


def split_stats(S, I, sel, uns):
    out = spearman(S, I)
    sm = float(np.mean(sel)) if sel else None
    um = float(np.mean(uns)) if uns else None
    mw = mann_whitney(sel, uns)
    out.update({"selective_n": len(sel), "unselective_n": len(uns), "selective_mean": sm,
                "unselective_mean": um, "difference": sm - um if sel and uns else None,
                "u": mw["u"], "u_p": mw["p"], "rank_biserial": mw["rank_biserial"]})
    return out


def selectivity_importance_threshold(models, threshold=None, selectivity="class_selectivity",
                                     importance="accuracy_drop", by="layer", fraction=None, step="last"):
    """selectivity-importance split at --threshold, or (threshold None) at the
    --fraction quantiles; any --by, labels included."""
    kind = resolve_by(models, by)
    left = {}
    groups, all_s, all_i = {}, [], []
    for m, ck in observations(models, step):
        for layer in [l["name"] for l in m["layers"]]:
            S = unit_values(m, ck, layer, selectivity)
            I = unit_values(m, ck, layer, importance)
            if S is None:
                continue
            for unit, s in enumerate(S):
                i = I[unit] if I is not None else None
                if not finite(s):
                    add_left(left, f"{selectivity} undefined")
                    continue
                if not finite(i):
                    add_left(left, f"{importance} undefined")
                    continue
                found, g = group_of(m, ck, layer, unit, by, kind)
                if not found:
                    add_left(left, g)
                    continue
                entry = groups.setdefault(json.dumps(g), (g, [], []))
                entry[1].append(s)
                entry[2].append(i)
                all_s.append(s)
                all_i.append(i)
    if threshold is None:
        fraction = 0.2 if fraction is None else fraction
        stats_of = lambda S, I: fraction_stats(S, I, fraction)  # noqa: E731
    else:
        stats_of = lambda S, I: threshold_stats(S, I, threshold)  # noqa: E731
    rows = [] if by == "none" else [
        {"group": groups[k][0], **stats_of(groups[k][1], groups[k][2])}
        for k in sorted(groups, key=lambda k: sort_key(groups[k][0]))]
    return {"analysis": "selectivity-importance",
            "parameters": {"selectivity": selectivity, "importance": importance, "by": by, "by_kind": kind,
                           "fraction": fraction if threshold is None else None, "threshold": threshold,
                           "step": step, "filters": []},
            "groups": rows, "pooled": {"group": None, **stats_of(all_s, all_i)},
            "left_out": [{"reason": r, "count": c} for r, c in left.items()]}


def class_importance(models, by="layer", selectivity="class_selectivity", step="last"):
    """analyses.md section 6 from the documents: hits of the preferred class against
    chance (scipy's exact binomial test) and three Spearman correlations."""
    kind = resolve_by(models, by)
    left, rows = {}, {}
    for m, ck in observations(models, step):
        classes = m.get("classes")
        class_accuracy = ck.get("metrics", {}).get("class_accuracy")
        if classes is None or class_accuracy is None:
            continue
        for layer in [l["name"] for l in m["layers"]]:
            units = ck.get("units", {}).get(layer, {})
            if "ablated_class_accuracy" not in units or "class_means" not in units:
                continue
            S = units.get(selectivity)
            A = unit_values(m, ck, layer, "accuracy_drop") if "ablated_test_accuracy" in units else None
            for unit, (means, ablated) in enumerate(zip(units["class_means"], units["ablated_class_accuracy"])):
                found, g = group_of(m, ck, layer, unit, by, kind)
                if not found:
                    add_left(left, g)
                    continue
                if any(not finite(v) for v in means) or len(set(means)) == 1:
                    add_left(left, "no preferred class")
                    continue
                p = int(np.argmax(np.array(means, dtype=float)))  # numpy: the first maximum
                if any(not finite(a) or not finite(b) for a, b in zip(class_accuracy, ablated)):
                    add_left(left, "class drop undefined")
                    continue
                drop = np.array(class_accuracy, dtype=float) - np.array(ablated, dtype=float)
                s = S[unit] if S is not None else None
                if not finite(s):
                    add_left(left, f"{selectivity} undefined")
                    continue
                h = int(np.argmax(drop))
                a = A[unit] if A is not None else None
                rows.setdefault(json.dumps(g), (g, []))[1].append({
                    "s": s, "preferred_drop": float(drop[p]), "max_drop": float(drop[h]),
                    "accuracy_drop": a if finite(a) else None, "hit": h == p, "classes": classes})
    keys = sorted(rows, key=lambda k: sort_key(rows[k][0]))

    def stats_of(group, units):
        n, hits = len(units), sum(u["hit"] for u in units)
        s = [u["s"] for u in units]
        acc = [u for u in units if u["accuracy_drop"] is not None]
        return {"group": group, "n": n, "hits": hits, "hit_rate": hits / n if n else None,
                "chance": float(np.mean([1 / u["classes"] for u in units])) if n else None,
                "binomial_p": float(stats.binomtest(hits, n, 1 / units[0]["classes"]).pvalue)
                if n and len({u["classes"] for u in units}) == 1 else None,
                "preferred_drop": spearman(s, [u["preferred_drop"] for u in units]),
                "max_drop": spearman(s, [u["max_drop"] for u in units]),
                "accuracy_drop": spearman([u["s"] for u in acc], [u["accuracy_drop"] for u in acc])}
    every = [u for k in keys for u in rows[k][1]]
    return {"analysis": "class-importance",
            "parameters": {"selectivity": selectivity, "by": by, "by_kind": kind, "step": step, "filters": []},
            "groups": [] if by == "none" else [stats_of(rows[k][0], rows[k][1]) for k in keys],
            "pooled": stats_of(None, every),
            "left_out": [{"reason": r, "count": c} for r, c in left.items()]}


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


def text_metrics(models):
    """Each text unit metric (label) of the documents: name -> the set of its values
    (None for null), over the last checkpoints."""
    found = {}
    for m, ck in observations(models):
        for metrics in ck.get("units", {}).values():
            for name, values in metrics.items():
                if values and all(v is None or isinstance(v, str) for v in values) and \
                        any(isinstance(v, str) for v in values):
                    found.setdefault(name, set()).update(values)
    return found


def label_cases(models):
    """The cases of issue 11 that need labels and class_accuracy, for whichever the
    documents carry: compare --by a label of three or more groups and by one of
    exactly two, selectivity-importance --by a label, class-importance by layer,
    pooled and over every checkpoint."""
    q = ["query"]
    out = []
    labels = text_metrics(models)
    many = sorted(n for n, v in labels.items() if len(v) >= 3)
    two = sorted(n for n, v in labels.items() if len(v) == 2)
    for name in many[:1]:
        out.append((f"compare.by-{name}", q + ["compare", "--by", name], compare, {"by": name}))
        out.append((f"selectivity-importance.by-{name}", q + ["selectivity-importance", "--by", name],
                    selectivity_importance_threshold, {"by": name}))
    for name in two[:1]:
        out.append((f"compare.by-{name}", q + ["compare", "--by", name], compare, {"by": name}))
    if not many or not two:
        print(f"labels: {sorted(labels)}; none with {'three or more' if not many else 'exactly two'} values")
    if any("class_accuracy" in ck.get("metrics", {}) for m in models for ck in m["checkpoints"]):
        out += [
            ("class-importance", q + ["class-importance"], class_importance, {}),
            ("class-importance.by-none", q + ["class-importance", "--by", "none"], class_importance, {"by": "none"}),
            ("class-importance.step-all", q + ["class-importance", "--step", "all"], class_importance, {"step": "all"}),
        ]
    return out


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
        # Fields added since the answer was written (parameters.by_kind) are not compared.
        mine = {k: v for k, v in ours.items() if k != "test"}
        mine["parameters"] = {k: v for k, v in mine["parameters"].items() if k in existing["parameters"]}
        close({k: v for k, v in existing.items() if k != "test"}, mine)
        existing["test"] = ours["test"]
        ordered = {k: existing[k] for k in ["analysis", "parameters", "groups", "test", "left_out"] if k in existing}
        write(case["expected"], ordered)
        print(f"added test to {case['expected']}")
    known = {c["name"] for c in manifest}
    for name, args, fn, kw in cases() + label_cases(models):
        write(name + ".json", fn(models, **kw))
        if name not in known:
            manifest.append({"name": name, "args": args, "expected": name + ".json"})
        print(f"wrote {name}.json")
    with open(manifest_path, "w") as f:
        f.write("[\n" + ",\n".join(" " + json.dumps(c) for c in manifest) + "\n]\n")


if __name__ == "__main__":
    main()
