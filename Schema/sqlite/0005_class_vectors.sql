-- lesion schema v5 (SQLite): a unit's per-class values in one row.
-- The PostgreSQL twin in ../postgresql/0005_class_vectors.sql says the same thing.
--
-- Why: class-importance reads two per-class vectors of every unit. Stored one row
-- per (unit, class), a million units of ten classes were 20 million rows, and
-- reading them took ten times as long as selectivity-importance's two million.
-- unit_class_vectors keeps one row per unit: `vector` holds the values, 8 bytes
-- each, IEEE-754 binary64 big-endian (PostgreSQL's float8send order), NaN where a
-- value is undefined. Bytes, not text, so that storing and reading back is exact.
--
-- unit_class_values stays, as a view that unpacks the vectors into the old rows
-- (unit_metric_id, unit, class, value, model_id), so queries written against v4
-- and the unit_class_measurements view read the same values as before. SQLite has
-- no function that turns 8 bytes into a double, so the view does it by arithmetic:
-- hex() of the 8 bytes, the top 12 bits (sign, exponent) and the low 52 bits
-- (fraction) as integers, then (2^52 + fraction) × 2^(exponent − 1075), every
-- step exact. The migrator packs the existing rows (a step in Swift: SQLite prints
-- a double to text with 15 digits, which would lose the last bits).

DROP VIEW unit_class_measurements;

CREATE TABLE unit_class_vectors (
    unit_metric_id  INTEGER NOT NULL REFERENCES unit_metrics (id) ON DELETE CASCADE,
    unit            INTEGER NOT NULL CHECK (unit >= 0),
    model_id        INTEGER NOT NULL,
    vector          BLOB NOT NULL CHECK (length(vector) % 8 = 0),
    PRIMARY KEY (unit_metric_id, unit, model_id)
) WITHOUT ROWID;

-- lesion:step pack_unit_class_values

DROP TABLE unit_class_values;

CREATE VIEW unit_class_values AS
WITH RECURSIVE classes(class) AS (
    SELECT 0 WHERE (SELECT MAX(classes) FROM models) > 0
    UNION ALL
    SELECT class + 1 FROM classes WHERE class + 1 < (SELECT MAX(classes) FROM models)
),
cells AS (
    SELECT v.unit_metric_id, v.unit, k.class, v.model_id, hex(substr(v.vector, 8 * k.class + 1, 8)) AS h
    FROM unit_class_vectors v JOIN classes k ON k.class < length(v.vector) / 8
),
bits AS (
    SELECT unit_metric_id, unit, class, model_id,
           ((instr('0123456789ABCDEF', substr(h, 1, 1)) - 1) * 16 + (instr('0123456789ABCDEF', substr(h, 2, 1)) - 1)) * 16 + (instr('0123456789ABCDEF', substr(h, 3, 1)) - 1) AS top,
           (((((((((((((instr('0123456789ABCDEF', substr(h, 4, 1)) - 1)) * 16 + (instr('0123456789ABCDEF', substr(h, 5, 1)) - 1)) * 16 + (instr('0123456789ABCDEF', substr(h, 6, 1)) - 1)) * 16 + (instr('0123456789ABCDEF', substr(h, 7, 1)) - 1)) * 16 + (instr('0123456789ABCDEF', substr(h, 8, 1)) - 1)) * 16 + (instr('0123456789ABCDEF', substr(h, 9, 1)) - 1)) * 16 + (instr('0123456789ABCDEF', substr(h, 10, 1)) - 1)) * 16 + (instr('0123456789ABCDEF', substr(h, 11, 1)) - 1)) * 16 + (instr('0123456789ABCDEF', substr(h, 12, 1)) - 1)) * 16 + (instr('0123456789ABCDEF', substr(h, 13, 1)) - 1)) * 16 + (instr('0123456789ABCDEF', substr(h, 14, 1)) - 1)) * 16 + (instr('0123456789ABCDEF', substr(h, 15, 1)) - 1)) * 16 + (instr('0123456789ABCDEF', substr(h, 16, 1)) - 1) AS fraction
    FROM cells
)
SELECT unit_metric_id, unit, class,
       CASE WHEN top % 2048 = 2047 THEN NULL
            WHEN top % 2048 = 0 THEN (CASE WHEN top >= 2048 THEN -1.0 ELSE 1.0 END) * fraction * power(2, -1074)
            ELSE (CASE WHEN top >= 2048 THEN -1.0 ELSE 1.0 END) * (fraction + 4503599627370496) * power(2, top % 2048 - 1075)
       END AS value,
       model_id
FROM bits;

CREATE VIEW unit_class_measurements AS
SELECT e.name AS experiment, m.name AS model, c.step AS step,
       l.name AS layer, l.depth AS depth, v.unit AS unit, um.name AS metric,
       v.class AS class, v.value AS value
FROM unit_class_values v
JOIN unit_metrics um ON um.id = v.unit_metric_id
JOIN layers l ON l.id = um.layer_id
JOIN checkpoints c ON c.id = um.checkpoint_id
JOIN models m ON m.id = c.model_id
JOIN experiments e ON e.id = m.experiment_id;
