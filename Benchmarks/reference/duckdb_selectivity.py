#!/usr/bin/env python3
"""Reference: selectivity-importance --by layer in DuckDB, reading the long CSVs.

Per layer and pooled: n, Spearman rho (Pearson correlation of average ranks) between
S = class_selectivity and I = test_accuracy (checkpoint) - ablated_test_accuracy
(unit), over the last checkpoint of each model, NULL/NaN/inf left out; its p-value and
Fisher interval (from rho, in Python); the 0.2/0.8 quantiles (type 7) of S and the mean
I of the selective (S >= q80) and unselective (S <= q20) units. Prints JSON.

    python3 duckdb_selectivity.py values.csv checkpoints.csv
"""
import json
import math
import sys

import duckdb

values, checkpoints = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute(f"""
CREATE TEMP TABLE obs AS
WITH v AS (SELECT * FROM read_csv('{values}', header = true,
             columns = {{'model': 'VARCHAR', 'step': 'BIGINT', 'layer': 'VARCHAR', 'unit': 'BIGINT',
                         'metric': 'VARCHAR', 'value': 'DOUBLE'}})),
     k AS (SELECT * FROM read_csv('{checkpoints}', header = true,
             columns = {{'model': 'VARCHAR', 'step': 'BIGINT', 'metric': 'VARCHAR', 'value': 'DOUBLE'}})),
     last AS (SELECT model, max(step) AS step FROM k GROUP BY model),
     s AS (SELECT v.model, v.step, layer, unit, value AS s FROM v JOIN last USING (model, step)
           WHERE metric = 'class_selectivity'),
     a AS (SELECT model, step, layer, unit, value AS a FROM v WHERE metric = 'ablated_test_accuracy'),
     t AS (SELECT model, step, value AS t FROM k WHERE metric = 'test_accuracy')
SELECT s.layer, s.s, t.t - a.a AS i
FROM s JOIN a USING (model, step, layer, unit) JOIN t USING (model, step)
WHERE isfinite(s.s) AND isfinite(t.t - a.a)
""")
rows = con.execute("""
WITH g AS (SELECT layer, s, i FROM obs UNION ALL SELECT NULL AS layer, s, i FROM obs),
ranked AS (
  SELECT layer, s, i,
         rank() OVER (PARTITION BY layer ORDER BY s) + (count(*) OVER (PARTITION BY layer, s) - 1) / 2.0 AS rs,
         rank() OVER (PARTITION BY layer ORDER BY i) + (count(*) OVER (PARTITION BY layer, i) - 1) / 2.0 AS ri
  FROM g),
q AS (SELECT layer, quantile_cont(s, 0.8) AS hi, quantile_cont(s, 0.2) AS lo FROM g GROUP BY layer)
SELECT r.layer, count(*) AS n, corr(rs, ri) AS rho,
       count(*) FILTER (WHERE s >= hi) AS n_sel, avg(i) FILTER (WHERE s >= hi) AS mean_sel,
       count(*) FILTER (WHERE s <= lo) AS n_unsel, avg(i) FILTER (WHERE s <= lo) AS mean_unsel
FROM ranked r JOIN q ON r.layer IS NOT DISTINCT FROM q.layer
GROUP BY r.layer ORDER BY r.layer NULLS LAST
""").fetchall()


def t_p(rho, n):
    # Two-sided p of Student's t with n - 2 df (regularized incomplete beta via math: use scipy-free formula).
    if n < 3 or rho is None:
        return None
    if abs(rho) >= 1:
        return 0.0
    t = rho * math.sqrt((n - 2) / (1 - rho * rho))
    # For the large n here the normal approximation is what matters for timing; exactness is scipy's job.
    return math.erfc(abs(t) / math.sqrt(2))


out = []
for layer, n, rho, n_sel, mean_sel, n_unsel, mean_unsel in rows:
    z, se = math.atanh(rho), math.sqrt(1.06 / (n - 3))
    out.append({"group": layer, "n": n, "rho": rho, "p": t_p(rho, n),
                "ci": [math.tanh(z - 1.959963984540054 * se), math.tanh(z + 1.959963984540054 * se)],
                "selective_n": n_sel, "selective_mean": mean_sel,
                "unselective_n": n_unsel, "unselective_mean": mean_unsel})
print(json.dumps(out))
