-- lesion schema v3 (PostgreSQL): units beyond classifiers, labels, annotating later.
-- The SQLite twin in ../sqlite/0003_labels_and_classless_models.sql says the same
-- thing.
--
--   * models.classes may be NULL: a model without classes (a language model's
--     neurons, an autoencoder's features).
--   * unit_text_values: one label (or NULL) per unit of a text unit metric. It can
--     hold as many rows as unit_values, so its reference to unit_metrics is kept by
--     v2's statement-level triggers rather than a per-row foreign key.
--   * checkpoint_class_values: per-class checkpoint metrics (class_accuracy).
--   * unit_metric_kinds: the one kind (number, vector, text) of a metric name of a
--     layer, in every checkpoint of the model; filled from the stored metrics.
--   * views: unit_labels (new); checkpoint_measurements gains a class column (NULL
--     for a number metric, one row per class for a per-class one).

ALTER TABLE models ALTER COLUMN classes DROP NOT NULL;

-- The kind of each metric name of a layer; a model keeps it in every checkpoint.
CREATE TABLE unit_metric_kinds (
    layer_id  bigint  NOT NULL REFERENCES layers (id) ON DELETE CASCADE,
    name      text    NOT NULL,
    kind      text    NOT NULL CHECK (kind IN ('number', 'vector', 'text')),
    PRIMARY KEY (layer_id, name)
);
-- v2 did not hold a name to one shape; where it changed, the vector shape is recorded.
INSERT INTO unit_metric_kinds (layer_id, name, kind)
SELECT layer_id, name, CASE WHEN MAX(per_class) = 1 THEN 'vector' ELSE 'number' END
FROM unit_metrics GROUP BY layer_id, name;

-- One label per unit of a text unit metric (unit_metrics.per_class is 0 for them).
CREATE TABLE unit_text_values (
    unit_metric_id  bigint  NOT NULL,
    unit            bigint  NOT NULL CHECK (unit >= 0),
    value           text,                          -- NULL = no label
    PRIMARY KEY (unit_metric_id, unit)
);
CREATE TRIGGER unit_text_values_reference_insert AFTER INSERT ON unit_text_values
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION lesion_require_parents('unit_metrics', 'unit_metric_id');
CREATE TRIGGER unit_text_values_reference_update AFTER UPDATE ON unit_text_values
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION lesion_require_parents('unit_metrics', 'unit_metric_id');
CREATE TRIGGER unit_metrics_cascade_unit_text_values AFTER DELETE ON unit_metrics
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION lesion_delete_children('unit_text_values', 'unit_metric_id');
DROP TRIGGER unit_metrics_truncate_children ON unit_metrics;
CREATE TRIGGER unit_metrics_truncate_children AFTER TRUNCATE ON unit_metrics
    FOR EACH STATEMENT EXECUTE FUNCTION lesion_truncate_children('unit_values', 'unit_class_values', 'unit_text_values');

-- Per-class checkpoint metrics; position orders them after checkpoint_metrics.
CREATE TABLE checkpoint_class_values (
    checkpoint_id  bigint  NOT NULL REFERENCES checkpoints (id) ON DELETE CASCADE,
    name           text    NOT NULL,
    position       bigint  NOT NULL,
    class          bigint  NOT NULL CHECK (class >= 0),
    value          double precision,               -- NULL = undefined
    PRIMARY KEY (checkpoint_id, name, class)
);

-- One row per checkpoint metric, and one per class of a per-class metric (class
-- is NULL for a number metric).
CREATE OR REPLACE VIEW checkpoint_measurements AS
SELECT e.name AS experiment, m.name AS model, c.step AS step, cm.name AS metric, cm.value AS value,
       NULL::bigint AS class
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
