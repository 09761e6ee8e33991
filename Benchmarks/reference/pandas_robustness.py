#!/usr/bin/env python3
"""Reference: robustness-generalization with pandas + scipy, reading lesion's SQLite
file, as docs/analyses.md section 2 defines it with the defaults: per model (last
checkpoint) the ablation curves of scope 'all', order 'random', metric train_accuracy,
averaged over seeds point by point, R = trapezoid area of y/y(x0) over x divided by
(x_last - x0); Spearman rho of R against test_accuracy, the gap and label_corruption;
per label_corruption n, mean R, sd R, mean test_accuracy. Prints JSON.

    python3 pandas_robustness.py lesion.db
"""
import json
import sqlite3
import sys

import numpy as np
import pandas as pd
from scipy import stats

con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
pts = pd.read_sql_query("""
    SELECT c.model_id, cv.seed, p.point, p.x, v.value AS y
    FROM checkpoints c
    JOIN curves cv ON cv.checkpoint_id = c.id
    JOIN curve_metrics cm ON cm.curve_id = cv.id
    JOIN curve_values v ON v.curve_metric_id = cm.id
    JOIN curve_points p ON p.curve_id = cv.id AND p.point = v.point
    WHERE c.step = (SELECT max(step) FROM checkpoints c2 WHERE c2.model_id = c.model_id)
      AND cv.perturbation = 'ablation' AND cv.scope = 'all' AND cv.unit_order = 'random'
      AND cm.name = 'train_accuracy'""", con)
overview = pd.read_sql_query(
    "SELECT m.id AS model_id, o.test_accuracy, o.train_accuracy, o.label_corruption "
    "FROM model_overview o JOIN experiments e ON e.name = o.experiment "
    "JOIN models m ON m.experiment_id = e.id AND m.name = o.model", con)
mean = pts.groupby(["model_id", "point"], sort=True).agg(x=("x", "first"), y=("y", "mean")).reset_index()


def robustness(g):
    x, y = g["x"].to_numpy(), g["y"].to_numpy()
    if y[0] == 0 or not np.isfinite(y).all():
        return np.nan
    return np.trapezoid(y / y[0], x) / (x[-1] - x[0])


r = mean.groupby("model_id").apply(robustness, include_groups=False).rename("R").reset_index()
df = overview.merge(r, on="model_id").dropna(subset=["R"])
df["gap"] = df["train_accuracy"] - df["test_accuracy"]
out = {"n": len(df), "spearman": {}}
for col in ["test_accuracy", "gap", "label_corruption"]:
    ok = df[np.isfinite(df[col])]
    rho, p = stats.spearmanr(ok["R"], ok[col])
    out["spearman"][col] = [float(rho), float(p), len(ok)]
groups = df.groupby("label_corruption").agg(n=("R", "size"), mean_r=("R", "mean"), sd_r=("R", "std"),
                                            mean_test=("test_accuracy", "mean")).reset_index()
out["groups"] = groups.to_dict(orient="records")
print(json.dumps(out))
