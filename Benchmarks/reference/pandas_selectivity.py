#!/usr/bin/env python3
"""Reference: selectivity-importance --by layer with pandas + scipy, reading lesion's
SQLite file (the documented schema), computing what docs/analyses.md section 1 defines:
per layer and pooled n, scipy.stats.spearmanr (rho, p), Fisher interval, the 0.2/0.8
quantiles of S, selective/unselective means and scipy.stats.mannwhitneyu. Prints JSON.

    python3 pandas_selectivity.py lesion.db
"""
import json
import math
import sqlite3
import sys

import numpy as np
import pandas as pd
from scipy import stats

con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
last = """SELECT c.id, c.model_id FROM checkpoints c
          WHERE c.step = (SELECT max(step) FROM checkpoints c2 WHERE c2.model_id = c.model_id)"""
units = pd.read_sql_query(f"""
    SELECT um.checkpoint_id, l.name AS layer, l.depth, um.name AS metric, v.unit, v.value
    FROM ({last}) c JOIN unit_metrics um ON um.checkpoint_id = c.id
    JOIN layers l ON l.id = um.layer_id JOIN unit_values v ON v.unit_metric_id = um.id
    WHERE um.name IN ('class_selectivity', 'ablated_test_accuracy')""", con)
ck = pd.read_sql_query("SELECT checkpoint_id, value AS t FROM checkpoint_metrics WHERE name = 'test_accuracy'", con)
wide = units.pivot_table(index=["checkpoint_id", "layer", "depth", "unit"], columns="metric", values="value",
                         aggfunc="first", dropna=False).reset_index()
wide = wide.merge(ck, on="checkpoint_id", how="left")
wide["s"] = wide["class_selectivity"].astype(float)
wide["i"] = wide["t"].astype(float) - wide["ablated_test_accuracy"].astype(float)
wide = wide[np.isfinite(wide["s"]) & np.isfinite(wide["i"])]


def group_stats(name, g):
    s, i = g["s"].to_numpy(), g["i"].to_numpy()
    n = len(s)
    rho, p = stats.spearmanr(s, i)
    z, se = math.atanh(rho), math.sqrt(1.06 / (n - 3))
    hi, lo = np.quantile(s, 0.8), np.quantile(s, 0.2)
    sel, unsel = i[s >= hi], i[s <= lo]
    u = stats.mannwhitneyu(sel, unsel, alternative="two-sided", method="asymptotic", use_continuity=True)
    return {"group": name, "n": n, "rho": float(rho), "p": float(p),
            "ci": [math.tanh(z - 1.959963984540054 * se), math.tanh(z + 1.959963984540054 * se)],
            "selective_n": len(sel), "selective_mean": float(sel.mean()),
            "unselective_n": len(unsel), "unselective_mean": float(unsel.mean()),
            "u": float(u.statistic), "u_p": float(u.pvalue), "r": 2 * float(u.statistic) / (len(sel) * len(unsel)) - 1}


out = [group_stats(layer, g) for (depth, layer), g in wide.groupby(["depth", "layer"])]
out.append(group_stats(None, wide))
print(json.dumps(out))
