-- lesion schema v3 (SQLite): units beyond classifiers, labels, annotating later.
-- The PostgreSQL twin in ../postgresql/0003_labels_and_classless_models.sql says the
-- same thing.
--
--   * models.classes may be NULL: a model without classes (a language model's
--     neurons, an autoencoder's features). SQLite cannot drop a NOT NULL in place, so
--     the table is rebuilt (the migrator runs SQLite migrations with foreign keys
--     off and checks them before committing, so the rebuild cascades nothing); ids
--     are kept.
--   * unit_text_values: one label (or NULL) per unit of a text unit metric.
--   * checkpoint_class_values: per-class checkpoint metrics (class_accuracy).
--   * unit_metric_kinds: the one kind (number, vector, text) of a metric name of a
--     layer, in every checkpoint of the model; filled from the stored metrics.
--   * views: unit_labels (new); checkpoint_measurements gains a class column (NULL
--     for a number metric, one row per class for a per-class one).
-- Every view refers to models, so all are dropped and made again.

DROP VIEW unit_measurements;
DROP VIEW unit_class_measurements;
DROP VIEW attribute_values;
DROP VIEW checkpoint_measurements;
DROP VIEW model_overview;
DROP VIEW curve_measurements;

CREATE TABLE models_v3 (
    id             INTEGER PRIMARY KEY,
    experiment_id  INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    classes        INTEGER CHECK (classes >= 2),   -- NULL: a model without classes
    ingest_id      INTEGER NOT NULL REFERENCES ingests (id),
    UNIQUE (experiment_id, name)
);
INSERT INTO models_v3 (id, experiment_id, name, classes, ingest_id)
SELECT id, experiment_id, name, classes, ingest_id FROM models;
DROP TABLE models;
ALTER TABLE models_v3 RENAME TO models;
CREATE INDEX models_by_ingest ON models (ingest_id);

-- The kind of each metric name of a layer; a model keeps it in every checkpoint.
CREATE TABLE unit_metric_kinds (
    layer_id  INTEGER NOT NULL REFERENCES layers (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    kind      TEXT    NOT NULL CHECK (kind IN ('number', 'vector', 'text')),
    PRIMARY KEY (layer_id, name)
);
-- v2 did not hold a name to one shape; where it changed, the vector shape is recorded.
INSERT INTO unit_metric_kinds (layer_id, name, kind)
SELECT layer_id, name, CASE WHEN MAX(per_class) = 1 THEN 'vector' ELSE 'number' END
FROM unit_metrics GROUP BY layer_id, name;

-- One label per unit of a text unit metric (unit_metrics.per_class is 0 for them).
CREATE TABLE unit_text_values (
    unit_metric_id  INTEGER NOT NULL REFERENCES unit_metrics (id) ON DELETE CASCADE,
    unit            INTEGER NOT NULL CHECK (unit >= 0),
    value           TEXT,                          -- NULL = no label
    PRIMARY KEY (unit_metric_id, unit)
) WITHOUT ROWID;

-- Per-class checkpoint metrics; position orders them after checkpoint_metrics.
CREATE TABLE checkpoint_class_values (
    checkpoint_id  INTEGER NOT NULL REFERENCES checkpoints (id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    position       INTEGER NOT NULL,
    class          INTEGER NOT NULL CHECK (class >= 0),
    value          REAL,                           -- NULL = undefined
    PRIMARY KEY (checkpoint_id, name, class)
) WITHOUT ROWID;

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

CREATE VIEW attribute_values AS
SELECT e.name AS experiment, m.name AS model, a.name AS name, a.kind AS kind,
       a.number_value AS number_value, a.text_value AS text_value
FROM model_attributes a
JOIN models m ON m.id = a.model_id
JOIN experiments e ON e.id = m.experiment_id;

-- One row per checkpoint metric, and one per class of a per-class metric (class
-- is NULL for a number metric).
CREATE VIEW checkpoint_measurements AS
SELECT e.name AS experiment, m.name AS model, c.step AS step, cm.name AS metric, cm.value AS value,
       NULL AS class
FROM checkpoint_metrics cm
JOIN checkpoints c ON c.id = cm.checkpoint_id
JOIN models m ON m.id = c.model_id
JOIN experiments e ON e.id = m.experiment_id
UNION ALL
SELECT e.name, m.name, c.step, cv.name, cv.value, cv.class
FROM checkpoint_class_values cv
JOIN checkpoints c ON c.id = cv.checkpoint_id
JOIN models m ON m.id = c.model_id
JOIN experiments e ON e.id = m.experiment_id;

-- One row per model (classes is NULL for a model without classes).
CREATE VIEW model_overview AS
SELECT e.name AS experiment, m.name AS model, m.classes AS classes,
       (SELECT a.text_value FROM model_attributes a WHERE a.model_id = m.id AND a.name = 'architecture') AS architecture,
       (SELECT a.text_value FROM model_attributes a WHERE a.model_id = m.id AND a.name = 'dataset') AS dataset,
       (SELECT a.number_value FROM model_attributes a WHERE a.model_id = m.id AND a.name = 'label_corruption') AS label_corruption,
       (SELECT a.number_value FROM model_attributes a WHERE a.model_id = m.id AND a.name = 'batch_norm') AS batch_norm,
       (SELECT a.number_value FROM model_attributes a WHERE a.model_id = m.id AND a.name = 'dropout') AS dropout,
       (SELECT a.number_value FROM model_attributes a WHERE a.model_id = m.id AND a.name = 'seed') AS seed,
       last.step AS last_step,
       (SELECT cm.value FROM checkpoint_metrics cm WHERE cm.checkpoint_id = last.id AND cm.name = 'train_accuracy') AS train_accuracy,
       (SELECT cm.value FROM checkpoint_metrics cm WHERE cm.checkpoint_id = last.id AND cm.name = 'test_accuracy') AS test_accuracy,
       (SELECT cm.value FROM checkpoint_metrics cm WHERE cm.checkpoint_id = last.id AND cm.name = 'train_loss') AS train_loss,
       (SELECT cm.value FROM checkpoint_metrics cm WHERE cm.checkpoint_id = last.id AND cm.name = 'test_loss') AS test_loss,
       (SELECT COUNT(*) FROM checkpoints c2 WHERE c2.model_id = m.id) AS checkpoints
FROM models m
JOIN experiments e ON e.id = m.experiment_id
JOIN checkpoints last ON last.model_id = m.id
    AND last.step = (SELECT MAX(c3.step) FROM checkpoints c3 WHERE c3.model_id = m.id);

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

-- One row per unit per text metric (label); value is NULL where a unit has none.
CREATE VIEW unit_labels AS
SELECT e.name AS experiment, m.name AS model, c.step AS step,
       l.name AS layer, l.depth AS depth, v.unit AS unit, um.name AS metric, v.value AS value
FROM unit_text_values v
JOIN unit_metrics um ON um.id = v.unit_metric_id
JOIN layers l ON l.id = um.layer_id
JOIN checkpoints c ON c.id = um.checkpoint_id
JOIN models m ON m.id = c.model_id
JOIN experiments e ON e.id = m.experiment_id;
