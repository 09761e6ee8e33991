#!/usr/bin/env python3
"""Reference answers of lesion's analyses on the experiment's fixtures.

Computes, independently of lesion, what `lesion query ... --format json` must print
for each case of Fixtures/expected/cases.json, following the project's
specification of the analyses (analyses.md). Reads the experiment's own
arrays (Fixtures/experiment/arrays/*.npz, written by run_experiment.py), never a
database and no lesion code. Each number in the arrays is exactly the double written
to the run documents (Python's json writes the shortest text that reads back as the
same double); `check_run_documents` verifies that, bit for bit.

    python3 Fixtures/experiment/reference_answers.py          # after run_experiment.py

Conventions this file fixes where analyses.md leaves room are listed in
Fixtures/README.md ("Reference answers").
"""

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"
# The same kernels on every x86-64 machine with AVX2: OpenBLAS and numpy otherwise
# pick AVX-512 code where the CPU has it, which rounds differently in the last bits
# (the committed files were made on an AVX2 machine). An explicit setting wins.
os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")
os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", "AVX512_SPR AVX512_ICL X86_V4")

import glob
import gzip
import json
import math
import sys

import numpy as np
import scipy.stats as st

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(HERE)
ARRAYS = os.path.join(HERE, "arrays")
RUNS = os.path.join(FIXTURES, "runs")
EXPECTED = os.path.join(FIXTURES, "expected")
CLASSLESS = os.path.join(FIXTURES, "classless")   # the model without classes: not in any case

Z95 = 1.959963984540054


# --------------------------------------------------------------------------- loading

def load_models(folder=ARRAYS):
    models = []
    for path in sorted(glob.glob(os.path.join(folder, "*.npz"))):
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            cks = []
            for ci, cm in enumerate(meta["checkpoints"]):
                ck = {"step": cm["step"],
                      # a per-class metric (class_accuracy) is an array, the others numbers
                      "metrics": {k: scalar_or_array(z[f"c{ci}/metrics/{k}"]) for k in cm["metrics"]},
                      "units": {layer: {k: np.array(z[f"c{ci}/units/{layer}/{k}"]) for k in ks}
                                for layer, ks in cm["units"].items()},
                      # text unit metrics (labels) are kept in meta
                      "labels": cm.get("labels", {}),
                      "curves": []}
                for j, c in enumerate(cm["curves"]):
                    ck["curves"].append({
                        "perturbation": c["perturbation"], "layers": c["layers"],
                        "order": c["order"], "seed": c["seed"],
                        "x": np.array(z[f"c{ci}/curves/{j}/x"]),
                        "metrics": {k: np.array(z[f"c{ci}/curves/{j}/{k}"]) for k in c["metrics"]}})
                cks.append(ck)
        meta["checkpoints"] = cks
        meta["layer_names"] = [l["name"] for l in meta["layers"]]
        models.append(meta)
    return models


def scalar_or_array(v):
    return float(v) if np.ndim(v) == 0 else np.array(v)


def same(a, b):
    """Bitwise equality of doubles (NaN equals NaN)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


def check_run_documents(models, runs=RUNS):
    """Every number of every run document equals the array it came from, and every
    label the label it came from."""
    by_id = {(m["experiment"], m["model"]): m for m in models}
    seen = 0
    for path in sorted(glob.glob(os.path.join(runs, "*.jsonl.gz"))) + sorted(glob.glob(os.path.join(runs, "*.json"))):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            docs = [json.loads(line) for line in f if line.strip()] if ".jsonl" in path else [json.load(f)]
        for d in docs:
            m = by_id[(d["experiment"], d["model"])]
            assert d["format"] == "lesion.run/1"
            assert d["attributes"] == m["attributes"]
            cks = {c["step"]: c for c in m["checkpoints"]}
            for dc in d["checkpoints"]:
                c = cks[dc["step"]]
                for k, v in dc["metrics"].items():
                    assert same(v, c["metrics"][k]), (path, d["model"], k)
                for layer, ms in dc["units"].items():
                    for k, v in ms.items():
                        if k in c["labels"].get(layer, {}):
                            assert v == c["labels"][layer][k], (path, d["model"], layer, k)
                        else:
                            assert same(v, c["units"][layer][k]), (path, d["model"], layer, k)
                    if "classes" not in d:
                        continue
                    sel = np.array(ms["class_selectivity"], dtype=np.float64)
                    derived = derived_selectivity(np.array(ms["class_means"], dtype=np.float64))
                    both = ~np.isnan(sel) & ~np.isnan(derived)
                    assert np.all(np.abs(sel[both] - derived[both]) <= 1e-6)
                    assert np.array_equal(np.isnan(sel), np.isnan(derived))
                assert len(dc["curves"]) == len(c["curves"])
                for dcur, cur in zip(dc["curves"], c["curves"]):
                    assert dcur["perturbation"] == cur["perturbation"] and dcur["layers"] == cur["layers"]
                    assert dcur.get("order") == cur["order"] and dcur["seed"] == cur["seed"]
                    assert same(dcur["x"], cur["x"])
                    for k, v in dcur["metrics"].items():
                        assert same(v, cur["metrics"][k])
            seen += 1
    return seen


def derived_selectivity(means):
    """Selectivity as ingest derives it from class means (for the check only)."""
    out = np.full(means.shape[0], np.nan)
    for u, row in enumerate(means):
        if np.any(np.isnan(row)):
            continue
        j = int(np.argmax(row))
        mx = row[j]
        rest = (row.sum() - mx) / (len(row) - 1)
        if mx + rest != 0:
            out[u] = (mx - rest) / (mx + rest)
    return out


# --------------------------------------------------------------------------- statistics

def num(v):
    """A JSON number or null: None for None, NaN and +-inf."""
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def finite(v):
    return v is not None and math.isfinite(v)


def spearman(x, y):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = len(x)
    out = {"n": n, "rho": None, "p": None, "ci_low": None, "ci_high": None}
    if n < 3:
        return out
    r = st.spearmanr(x, y)
    rho = float(r.statistic)
    if not math.isfinite(rho):
        return out
    # the definition of analyses.md, checked against scipy
    rx, ry = st.rankdata(x), st.rankdata(y)
    assert abs(np.corrcoef(rx, ry)[0, 1] - rho) < 1e-12
    if abs(rho) < 1:
        t = rho * math.sqrt((n - 2) / (1 - rho * rho))
        p_def = 2 * st.t.sf(abs(t), n - 2)
    else:
        p_def = 0.0
    assert abs(p_def - float(r.pvalue)) <= 1e-12 * max(1.0, abs(p_def)), (p_def, r.pvalue)
    out["rho"] = rho
    out["p"] = num(r.pvalue)
    if n >= 4:
        se = math.sqrt(1.06 / (n - 3))
        if abs(rho) == 1:
            out["ci_low"] = out["ci_high"] = rho
        else:
            z = math.atanh(rho)
            out["ci_low"] = math.tanh(z - Z95 * se)
            out["ci_high"] = math.tanh(z + Z95 * se)
    return out


def mann_whitney(a, b):
    """U of the first group, two-sided asymptotic p with tie and continuity
    correction (scipy), rank-biserial r = 2U/(n1 n2) - 1."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if len(a) == 0 or len(b) == 0:
        return {"u": None, "p": None, "rank_biserial": None}
    r = st.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic", use_continuity=True)
    u = float(r.statistic)
    # the definition, checked against scipy
    n1, n2 = len(a), len(b)
    ranks = st.rankdata(np.concatenate([a, b]))
    u1 = ranks[:n1].sum() - n1 * (n1 + 1) / 2
    assert abs(u1 - u) < 1e-9
    n = n1 + n2
    _, t = np.unique(ranks, return_counts=True)
    s = math.sqrt(n1 * n2 / 12 * ((n + 1) - (t ** 3 - t).sum() / (n * (n - 1))))
    if s > 0:
        z = (max(u1, n1 * n2 - u1) - n1 * n2 / 2 - 0.5) / s
        p_def = min(1.0, 2 * st.norm.sf(z))
        assert abs(p_def - float(r.pvalue)) <= 1e-12, (p_def, r.pvalue)
    return {"u": u, "p": num(r.pvalue), "rank_biserial": 2 * u / (n1 * n2) - 1}


def quantile(values, q):
    """numpy's linear quantile; where h = (n-1) q is within 1e-9 of an integer, that
    order statistic exactly."""
    v = np.sort(np.asarray(values, dtype=np.float64))
    h = (len(v) - 1) * q
    k = round(h)
    if abs(h - k) <= 1e-9:
        return float(v[int(k)])
    return float(np.quantile(v, q))


def mean(v):
    return float(np.mean(v)) if len(v) else None


def sd(v):
    return float(np.std(v, ddof=1)) if len(v) >= 2 else None


# --------------------------------------------------------------------------- selection

def group_sort_key(v):
    """false < true, then numbers ascending, then strings (code points), then null."""
    if isinstance(v, bool):
        return (0, int(v), "")
    if isinstance(v, (int, float)):
        return (1, float(v), "")
    if isinstance(v, str):
        return (2, 0.0, v)
    return (3, 0.0, "")


def parse_filter(f):
    for op in ("<", ">", "="):
        if op in f:
            name, value = f.split(op, 1)
            return name, op, value
    raise ValueError(f)


def filter_value_matches(stored, op, text):
    if stored is None:
        return False
    if isinstance(stored, bool):
        return op == "=" and text == ("true" if stored else "false")
    if isinstance(stored, (int, float)):
        x = float(text)
        return {"<": stored < x, ">": stored > x, "=": stored == x}[op]
    return op == "=" and stored == text


def selected(models, filters, step):
    """(model, checkpoint) observations: filters on attributes; step 'last', 'all'
    or an integer (models without that step contribute nothing)."""
    out = []
    for m in models:
        ok = True
        for f in filters:
            name, op, value = parse_filter(f)
            ok = ok and filter_value_matches(m["attributes"].get(name), op, value)
        if not ok:
            continue
        cks = sorted(m["checkpoints"], key=lambda c: c["step"])
        if step == "last":
            cks = cks[-1:]
        elif step != "all":
            cks = [c for c in cks if c["step"] == step]
        for c in cks:
            out.append((m, c))
    return out


def unit_metric(m, ck, layer, name):
    """Per-unit values of a unit metric, or a derived importance, as doubles."""
    u = ck["units"][layer]
    if name == "accuracy_drop":
        return ck["metrics"]["test_accuracy"] - u["ablated_test_accuracy"]
    if name == "loss_increase":
        return u["ablated_test_loss"] - ck["metrics"]["test_loss"]
    if name not in u:
        return None
    return u[name]


def group_value(m, layer, by):
    if by == "layer":
        return layer
    if by == "model":
        return f"{m['experiment']}/{m['model']}"
    if by == "none":
        return None
    return m["attributes"].get(by)


# --------------------------------------------------------------------------- 1. selectivity-importance

def si_stats(S, I, q):
    S = np.asarray(S, dtype=np.float64)
    I = np.asarray(I, dtype=np.float64)
    out = spearman(S, I)
    hi = quantile(S, 1 - q)
    lo = quantile(S, q)
    sel, uns = I[S >= hi], I[S <= lo]
    mw = mann_whitney(sel, uns)
    sm, um = mean(sel), mean(uns)
    out.update({"selective_n": int(len(sel)), "unselective_n": int(len(uns)),
                "selective_mean": sm, "unselective_mean": um,
                "difference": sm - um if sm is not None and um is not None else None,
                "u": mw["u"], "u_p": mw["p"], "rank_biserial": mw["rank_biserial"]})
    return out


def selectivity_importance(models, by="layer", selectivity="class_selectivity",
                           importance="accuracy_drop", fraction=0.2, step="last", filters=()):
    groups = {}
    left = {f"{selectivity} undefined": 0, f"{importance} undefined": 0}
    allS, allI = [], []
    for m, ck in selected(models, filters, step):
        for layer in m["layer_names"]:
            S = unit_metric(m, ck, layer, selectivity)
            I = unit_metric(m, ck, layer, importance)
            n = len(ck["units"][layer]["ablated_test_accuracy"])
            for u in range(n):
                s = None if S is None else float(S[u])
                i = None if I is None else float(I[u])
                if not finite(s):
                    left[f"{selectivity} undefined"] += 1
                    continue
                if not finite(i):
                    left[f"{importance} undefined"] += 1
                    continue
                g = group_value(m, layer, by)
                groups.setdefault(json.dumps(g), (g, [], []))
                groups[json.dumps(g)][1].append(s)
                groups[json.dumps(g)][2].append(i)
                allS.append(s)
                allI.append(i)
    rows = []
    if by != "none":
        for key in sorted(groups, key=lambda k: group_sort_key(groups[k][0])):
            g, S, I = groups[key]
            rows.append({"group": g, **si_stats(S, I, fraction)})
    return {
        "analysis": "selectivity-importance",
        "parameters": {"selectivity": selectivity, "importance": importance, "by": by,
                       "fraction": fraction, "step": step, "filters": list(filters)},
        "groups": rows,
        "pooled": {"group": None, **si_stats(allS, allI, fraction)},
        "left_out": [{"reason": r, "count": c} for r, c in left.items() if c > 0],
    }


# --------------------------------------------------------------------------- curve selection

def scope_matches(curve_layers, scope, layer_names):
    have = set(layer_names) if curve_layers == "all" else set(curve_layers)
    want = set(layer_names) if scope == "all" else set(scope.split(","))
    return have == want


def select_curves(m, ck, perturbation, scope, order, metric):
    out = []
    for c in ck["curves"]:
        if c["perturbation"] != perturbation:
            continue
        if perturbation == "ablation" and (c["order"] or "random") != order:
            continue
        if not scope_matches(c["layers"], scope, m["layer_names"]):
            continue
        if metric not in c["metrics"]:
            continue
        out.append(c)
    return sorted(out, key=lambda c: c["seed"])


def trapezoid_area(x, y):
    return float(sum((x[k + 1] - x[k]) * (y[k] + y[k + 1]) / 2 for k in range(len(x) - 1)))


# --------------------------------------------------------------------------- 2. robustness-generalization

def robustness_generalization(models, perturbation="ablation", scope="all", order="random",
                              metric="train_accuracy", by=("label_corruption",),
                              against=("label_corruption",), step="last", filters=()):
    left = {"no matching curve": 0, "x grids differ": 0, "curve value undefined": 0,
            "y(x0) = 0": 0, "test_accuracy or train_accuracy undefined": 0}
    obs = []
    for m, ck in selected(models, filters, step):
        curves = select_curves(m, ck, perturbation, scope, order, metric)
        if not curves:
            left["no matching curve"] += 1
            continue
        x = curves[0]["x"]
        if any(not np.array_equal(c["x"], x) for c in curves):
            left["x grids differ"] += 1
            continue
        ys = np.array([c["metrics"][metric] for c in curves], dtype=np.float64)
        if not np.all(np.isfinite(ys)):
            left["curve value undefined"] += 1
            continue
        ybar = ys.mean(axis=0)
        if ybar[0] == 0:
            left["y(x0) = 0"] += 1
            continue
        R = trapezoid_area(x, ybar / ybar[0]) / (x[-1] - x[0])
        te = ck["metrics"].get("test_accuracy")
        tr = ck["metrics"].get("train_accuracy")
        if not (finite(te) and finite(tr)):
            left["test_accuracy or train_accuracy undefined"] += 1
            continue
        obs.append({"experiment": m["experiment"], "model": m["model"], "step": ck["step"],
                    "attributes": {b: m["attributes"].get(b) for b in by},
                    "test_accuracy": te, "train_accuracy": tr, "gap": tr - te,
                    "robustness": R, "_m": m, "_test_loss": ck["metrics"].get("test_loss")})
    obs.sort(key=lambda o: (o["experiment"], o["model"], o["step"]))
    R = [o["robustness"] for o in obs]
    correlations = []
    for name, vals in [("test_accuracy", [o["test_accuracy"] for o in obs]),
                       ("gap", [o["gap"] for o in obs])] + \
                      [(a, [o["_m"]["attributes"].get(a) for o in obs]) for a in against]:
        pairs = [(r, v) for r, v in zip(R, vals)
                 if isinstance(v, (int, float)) and not isinstance(v, bool) and finite(float(v))]
        s = spearman([p[0] for p in pairs], [float(p[1]) for p in pairs])
        correlations.append({"against": name, **s})
    groups = {}
    for o in obs:
        g = o["attributes"][by[0]] if len(by) == 1 else [o["attributes"][b] for b in by]
        groups.setdefault(json.dumps(g), (g, []))[1].append(o)
    grows = []
    for key in sorted(groups, key=lambda k: group_sort_key(groups[k][0])):
        g, os_ = groups[key]
        rs = [o["robustness"] for o in os_]
        grows.append({"group": g, "n": len(os_), "mean_robustness": mean(rs),
                      "sd_robustness": sd(rs), "mean_test_accuracy": mean([o["test_accuracy"] for o in os_])})
    result = {
        "analysis": "robustness-generalization",
        "parameters": {"perturbation": perturbation, "scope": scope,
                       "order": order if perturbation == "ablation" else None,
                       "metric": metric, "by": list(by), "against": list(against),
                       "step": step, "filters": list(filters)},
        "models": [{k: v for k, v in o.items() if not k.startswith("_")} for o in obs],
        "correlations": correlations,
        "groups": grows,
    }
    if step == "all":
        per = {}
        for o in obs:
            per.setdefault((o["experiment"], o["model"]), []).append(o)
        ot = []
        for (e, mname), os_ in sorted(per.items()):
            os_ = [o for o in os_ if finite(o["_test_loss"])]
            if len(os_) < 3:
                continue
            os_.sort(key=lambda o: o["step"])
            s = spearman([o["robustness"] for o in os_], [o["_test_loss"] for o in os_])
            best_r = max(os_, key=lambda o: (o["robustness"], -o["step"]))
            best_l = min(os_, key=lambda o: (o["_test_loss"], o["step"]))
            ot.append({"experiment": e, "model": mname, "n": len(os_), "rho": s["rho"], "p": s["p"],
                       "best_robustness_step": best_r["step"], "best_test_loss_step": best_l["step"]})
        result["over_training"] = ot
    result["left_out"] = [{"reason": r, "count": c} for r, c in left.items() if c > 0]
    return result


# --------------------------------------------------------------------------- 3. curves

def curves_analysis(models, perturbation="ablation", scope="all", order="random",
                    metric="train_accuracy", by="label_corruption", normalize=False,
                    step="last", filters=()):
    left = {"no matching curve": 0, "curve value undefined": 0, "y(x0) = 0": 0}
    groups = {}
    for m, ck in selected(models, filters, step):
        chosen = select_curves(m, ck, perturbation, scope, order, metric)
        if not chosen:
            # Reported as in robustness-generalization: a model (or checkpoint) with no
            # curve of this kind contributes nothing, and the user is told.
            left["no matching curve"] += 1
            continue
        for c in chosen:
            y = np.array(c["metrics"][metric], dtype=np.float64)
            if not np.all(np.isfinite(y)):
                left["curve value undefined"] += 1
                continue
            if normalize:
                if y[0] == 0:
                    left["y(x0) = 0"] += 1
                    continue
                y = y / y[0]
            xs = tuple(round(float(x) * 1e9) / 1e9 for x in c["x"])
            g = m["attributes"].get(by)
            groups.setdefault(json.dumps(g), (g, {}))[1].setdefault(xs, []).append(y)
    rows = []
    for key in sorted(groups, key=lambda k: group_sort_key(groups[k][0])):
        g, grids = groups[key]
        points = []
        for xs in sorted(grids):         # one grid per group in these fixtures
            Y = np.array(grids[xs])
            for k, x in enumerate(xs):
                col = Y[:, k]
                points.append({"x": x, "n": int(len(col)), "mean": mean(col), "sd": sd(col),
                               "min": float(col.min()), "max": float(col.max())})
        assert len(grids) == 1
        rows.append({"group": g, "points": points})
    return {
        "analysis": "curves",
        "parameters": {"perturbation": perturbation, "scope": scope,
                       "order": order if perturbation == "ablation" else None,
                       "metric": metric, "by": by, "normalize": normalize, "step": step,
                       "filters": list(filters)},
        "groups": rows,
        "left_out": [{"reason": r, "count": c} for r, c in left.items() if c > 0],
    }


# --------------------------------------------------------------------------- 4. compare

def compare(models, metric="class_selectivity", by="batch_norm", step="last", filters=()):
    left = {f"{metric} undefined": 0}
    groups = {}
    for m, ck in selected(models, filters, step):
        for layer in m["layer_names"]:
            V = unit_metric(m, ck, layer, metric)
            n = len(ck["units"][layer]["ablated_test_accuracy"])
            for u in range(n):
                v = None if V is None else float(V[u])
                if not finite(v):
                    left[f"{metric} undefined"] += 1
                    continue
                g = m["attributes"].get(by)
                groups.setdefault(json.dumps(g), (g, []))[1].append(v)
    rows = []
    for key in sorted(groups, key=lambda k: group_sort_key(groups[k][0])):
        g, vs = groups[key]
        v = np.array(vs)
        rows.append({"group": g, "n": int(len(v)), "mean": mean(v), "sd": sd(v),
                     "min": float(v.min()), "q25": quantile(v, 0.25), "median": quantile(v, 0.5),
                     "q75": quantile(v, 0.75), "max": float(v.max())})
    out = {"analysis": "compare",
           "parameters": {"metric": metric, "by": by, "step": step, "filters": list(filters)},
           "groups": rows}
    if len(rows) == 2:
        keys = sorted(groups, key=lambda k: group_sort_key(groups[k][0]))
        mw = mann_whitney(groups[keys[0]][1], groups[keys[1]][1])
        out["test"] = {"u": mw["u"], "p": mw["p"], "rank_biserial": mw["rank_biserial"]}
    out["left_out"] = [{"reason": r, "count": c} for r, c in left.items() if c > 0]
    return out


# --------------------------------------------------------------------------- cases

def cases():
    """(name, command-line args after `lesion`, function, keyword arguments)."""
    SI, RG, CU, CO = selectivity_importance, robustness_generalization, curves_analysis, compare
    q = ["query"]
    return [
        ("selectivity-importance", q + ["selectivity-importance"], SI, {}),
        ("selectivity-importance.by-model", q + ["selectivity-importance", "--by", "model"], SI, {"by": "model"}),
        ("selectivity-importance.by-batch_norm", q + ["selectivity-importance", "--by", "batch_norm"], SI, {"by": "batch_norm"}),
        ("selectivity-importance.by-architecture", q + ["selectivity-importance", "--by", "architecture"], SI, {"by": "architecture"}),
        ("selectivity-importance.by-label_corruption", q + ["selectivity-importance", "--by", "label_corruption"], SI, {"by": "label_corruption"}),
        ("selectivity-importance.by-none", q + ["selectivity-importance", "--by", "none"], SI, {"by": "none"}),
        ("selectivity-importance.fraction-0.1", q + ["selectivity-importance", "--fraction", "0.1"], SI, {"fraction": 0.1}),
        ("selectivity-importance.step-all", q + ["selectivity-importance", "--step", "all"], SI, {"step": "all"}),
        ("selectivity-importance.step-1400", q + ["selectivity-importance", "--step", "1400"], SI, {"step": 1400}),
        ("selectivity-importance.loss-increase", q + ["selectivity-importance", "--importance", "loss_increase"], SI, {"importance": "loss_increase"}),
        ("selectivity-importance.mutual-information", q + ["selectivity-importance", "--selectivity", "mutual_information"], SI, {"selectivity": "mutual_information"}),
        ("selectivity-importance.where-label_corruption-lt-0.5", q + ["selectivity-importance", "--where", "label_corruption<0.5"], SI, {"filters": ["label_corruption<0.5"]}),
        ("selectivity-importance.where-batch_norm-true.by-model", q + ["selectivity-importance", "--where", "batch_norm=true", "--by", "model"], SI, {"filters": ["batch_norm=true"], "by": "model"}),
        ("selectivity-importance.where-architecture-cnn", q + ["selectivity-importance", "--where", "architecture=cnn-c8-c16-fc64"], SI, {"filters": ["architecture=cnn-c8-c16-fc64"]}),

        ("robustness-generalization", q + ["robustness-generalization"], RG, {}),
        ("robustness-generalization.metric-test_accuracy", q + ["robustness-generalization", "--metric", "test_accuracy"], RG, {"metric": "test_accuracy"}),
        ("robustness-generalization.step-all", q + ["robustness-generalization", "--step", "all"], RG, {"step": "all"}),
        ("robustness-generalization.by-batch_norm", q + ["robustness-generalization", "--by", "batch_norm"], RG, {"by": ("batch_norm",)}),
        ("robustness-generalization.against-dropout", q + ["robustness-generalization", "--against", "dropout"], RG, {"against": ("dropout",)}),
        ("robustness-generalization.noise", q + ["robustness-generalization", "--perturbation", "noise"], RG, {"perturbation": "noise"}),
        ("robustness-generalization.order-selectivity_desc", q + ["robustness-generalization", "--order", "selectivity_desc"], RG, {"order": "selectivity_desc"}),
        ("robustness-generalization.scope-fc1", q + ["robustness-generalization", "--scope", "fc1"], RG, {"scope": "fc1"}),
        ("robustness-generalization.where-architecture-mlp.metric-train_loss", q + ["robustness-generalization", "--where", "architecture=mlp-2x64", "--metric", "train_loss"], RG, {"filters": ["architecture=mlp-2x64"], "metric": "train_loss"}),

        ("curves", q + ["curves"], CU, {}),
        ("curves.normalize", q + ["curves", "--normalize"], CU, {"normalize": True}),
        ("curves.metric-test_accuracy", q + ["curves", "--metric", "test_accuracy"], CU, {"metric": "test_accuracy"}),
        ("curves.noise.normalize", q + ["curves", "--perturbation", "noise", "--normalize"], CU, {"perturbation": "noise", "normalize": True}),
        ("curves.by-architecture.order-selectivity_desc", q + ["curves", "--by", "architecture", "--order", "selectivity_desc"], CU, {"by": "architecture", "order": "selectivity_desc"}),
        ("curves.scope-conv1.by-batch_norm", q + ["curves", "--scope", "conv1", "--by", "batch_norm"], CU, {"scope": "conv1", "by": "batch_norm"}),
        ("curves.step-all", q + ["curves", "--step", "all"], CU, {"step": "all"}),

        ("compare", q + ["compare"], CO, {}),
        ("compare.metric-accuracy_drop", q + ["compare", "--metric", "accuracy_drop"], CO, {"metric": "accuracy_drop"}),
        ("compare.metric-loss_increase", q + ["compare", "--metric", "loss_increase"], CO, {"metric": "loss_increase"}),
        ("compare.metric-mutual_information", q + ["compare", "--metric", "mutual_information"], CO, {"metric": "mutual_information"}),
        ("compare.by-architecture", q + ["compare", "--by", "architecture"], CO, {"by": "architecture"}),
        ("compare.by-label_corruption", q + ["compare", "--by", "label_corruption"], CO, {"by": "label_corruption"}),
        ("compare.by-dropout.where-architecture-mlp", q + ["compare", "--by", "dropout", "--where", "architecture=mlp-2x64"], CO, {"by": "dropout", "filters": ["architecture=mlp-2x64"]}),
        ("compare.step-all", q + ["compare", "--step", "all"], CO, {"step": "all"}),
        ("compare.where-architecture-mlp.where-dropout-0", q + ["compare", "--where", "architecture=mlp-2x64", "--where", "dropout=0"], CO, {"filters": ["architecture=mlp-2x64", "dropout=0"]}),
        ("compare.where-architecture-cnn", q + ["compare", "--where", "architecture=cnn-c8-c16-fc64"], CO, {"filters": ["architecture=cnn-c8-c16-fc64"]}),
    ]


def main():
    models = load_models()
    if not models:
        sys.exit("no arrays in Fixtures/experiment/arrays: run run_experiment.py first")
    n = check_run_documents(models)
    n += check_run_documents(load_models(os.path.join(ARRAYS, "classless")), CLASSLESS)
    print(f"run documents checked against the arrays: {n} documents", flush=True)
    os.makedirs(EXPECTED, exist_ok=True)
    manifest = []
    for name, args, fn, kw in cases():
        result = fn(models, **kw)
        fname = name + ".json"
        with open(os.path.join(EXPECTED, fname), "w") as f:
            json.dump(result, f, indent=1, allow_nan=False)
            f.write("\n")
        manifest.append({"name": name, "args": args, "expected": fname})
    with open(os.path.join(EXPECTED, "cases.json"), "w") as f:
        f.write("[\n" + ",\n".join(" " + json.dumps(c) for c in manifest) + "\n]\n")
    print(f"reference answers: {len(manifest)} cases in {EXPECTED}", flush=True)


if __name__ == "__main__":
    main()
