-- lesion schema v4 (SQLite): the four value tables carry their model's id.
-- The PostgreSQL twin in ../postgresql/0004_model_id_on_values.sql says the same
-- thing (see there for why: a Citus cluster distributes these tables by model).
-- SQLite cannot change a primary key in place, so each table is rebuilt with its
-- rows, the model's id filled from the metric's checkpoint (the migrator runs SQLite
-- migrations with foreign keys off and checks them before committing). The views
-- over these tables are dropped first and made again unchanged, as in 0003.

DROP VIEW unit_measurements;
DROP VIEW unit_class_measurements;
DROP VIEW curve_measurements;
DROP VIEW unit_labels;

CREATE TABLE unit_values_v4 (
    unit_metric_id  INTEGER NOT NULL REFERENCES unit_metrics (id) ON DELETE CASCADE,
    unit            INTEGER NOT NULL CHECK (unit >= 0),
    value           REAL,
    model_id        INTEGER NOT NULL,
    PRIMARY KEY (unit_metric_id, unit, model_id)
) WITHOUT ROWID;
INSERT INTO unit_values_v4 (unit_metric_id, unit, value, model_id)
SELECT v.unit_metric_id, v.unit, v.value, (SELECT c.model_id FROM unit_metrics um JOIN checkpoints c ON c.id = um.checkpoint_id WHERE um.id = v.unit_metric_id)
FROM unit_values v;
DROP TABLE unit_values;
ALTER TABLE unit_values_v4 RENAME TO unit_values;

CREATE TABLE unit_class_values_v4 (
    unit_metric_id  INTEGER NOT NULL REFERENCES unit_metrics (id) ON DELETE CASCADE,
    unit            INTEGER NOT NULL CHECK (unit >= 0),
    class           INTEGER NOT NULL CHECK (class >= 0),
    value           REAL,
    model_id        INTEGER NOT NULL,
    PRIMARY KEY (unit_metric_id, unit, class, model_id)
) WITHOUT ROWID;
INSERT INTO unit_class_values_v4 (unit_metric_id, unit, class, value, model_id)
SELECT v.unit_metric_id, v.unit, v.class, v.value, (SELECT c.model_id FROM unit_metrics um JOIN checkpoints c ON c.id = um.checkpoint_id WHERE um.id = v.unit_metric_id)
FROM unit_class_values v;
DROP TABLE unit_class_values;
ALTER TABLE unit_class_values_v4 RENAME TO unit_class_values;

CREATE TABLE unit_text_values_v4 (
    unit_metric_id  INTEGER NOT NULL REFERENCES unit_metrics (id) ON DELETE CASCADE,
    unit            INTEGER NOT NULL CHECK (unit >= 0),
    value           TEXT,                          -- NULL = no label
    model_id        INTEGER NOT NULL,
    PRIMARY KEY (unit_metric_id, unit, model_id)
) WITHOUT ROWID;
INSERT INTO unit_text_values_v4 (unit_metric_id, unit, value, model_id)
SELECT v.unit_metric_id, v.unit, v.value, (SELECT c.model_id FROM unit_metrics um JOIN checkpoints c ON c.id = um.checkpoint_id WHERE um.id = v.unit_metric_id)
FROM unit_text_values v;
DROP TABLE unit_text_values;
ALTER TABLE unit_text_values_v4 RENAME TO unit_text_values;

CREATE TABLE curve_values_v4 (
    curve_metric_id  INTEGER NOT NULL REFERENCES curve_metrics (id) ON DELETE CASCADE,
    point            INTEGER NOT NULL CHECK (point >= 0),
    value            REAL,
    model_id         INTEGER NOT NULL,
    PRIMARY KEY (curve_metric_id, point, model_id)
) WITHOUT ROWID;
INSERT INTO curve_values_v4 (curve_metric_id, point, value, model_id)
SELECT v.curve_metric_id, v.point, v.value, (SELECT c.model_id FROM curve_metrics cm JOIN curves cv ON cv.id = cm.curve_id JOIN checkpoints c ON c.id = cv.checkpoint_id WHERE cm.id = v.curve_metric_id)
FROM curve_values v;
DROP TABLE curve_values;
ALTER TABLE curve_values_v4 RENAME TO curve_values;

CREATE VIEW unit_measurements AS
SELECT e.name AS experiment, m.name AS model, c.step AS step,
       l.name AS layer, l.depth AS depth, v.unit AS unit, um.name AS metric, v.value AS value
FROM unit_values v
JOIN unit_metrics um ON um.id = v.unit_metric_id
JOIN layers l ON l.id = um.layer_id
JOIN checkpoints c ON c.id = um.checkpoint_id
JOIN models m ON m.id = c.model_id
JOIN experiments e ON e.id = m.experiment_id;

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

CREATE VIEW curve_measurements AS
SELECT e.name AS experiment, m.name AS model, c.step AS step,
       cv.perturbation AS perturbation, cv.scope AS scope, cv.unit_order AS unit_order,
       cv.seed AS seed, cmt.name AS metric, p.point AS point, p.x AS x, v.value AS value
FROM curve_values v
JOIN curve_metrics cmt ON cmt.id = v.curve_metric_id
JOIN curves cv ON cv.id = cmt.curve_id
JOIN curve_points p ON p.curve_id = cv.id AND p.point = v.point
JOIN checkpoints c ON c.id = cv.checkpoint_id
JOIN models m ON m.id = c.model_id
JOIN experiments e ON e.id = m.experiment_id;

CREATE VIEW unit_labels AS
SELECT e.name AS experiment, m.name AS model, c.step AS step,
       l.name AS layer, l.depth AS depth, v.unit AS unit, um.name AS metric, v.value AS value
FROM unit_text_values v
JOIN unit_metrics um ON um.id = v.unit_metric_id
JOIN layers l ON l.id = um.layer_id
JOIN checkpoints c ON c.id = um.checkpoint_id
JOIN models m ON m.id = c.model_id
JOIN experiments e ON e.id = m.experiment_id;
