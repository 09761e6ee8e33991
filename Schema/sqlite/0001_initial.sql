-- lesion schema v1 (SQLite). The PostgreSQL twin in ../postgresql/ must say the
-- same thing: same tables, columns, keys and views.

-- Provenance: one row per stored document.
CREATE TABLE ingests (
    id            INTEGER PRIMARY KEY,
    source        TEXT    NOT NULL,            -- file path as given, "-" for standard input
    source_line   INTEGER,                     -- line where the document starts (JSONL, stdin)
    content_hash  TEXT    NOT NULL,            -- SHA-256 of the document's bytes, hex
    ingested_at   TEXT    NOT NULL,            -- ISO 8601, UTC
    user_name     TEXT    NOT NULL,
    host          TEXT    NOT NULL,
    tool_version  TEXT    NOT NULL
);

CREATE TABLE experiments (
    id    INTEGER PRIMARY KEY,
    name  TEXT    NOT NULL UNIQUE
);

CREATE TABLE models (
    id             INTEGER PRIMARY KEY,
    experiment_id  INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    classes        INTEGER NOT NULL CHECK (classes >= 2),
    ingest_id      INTEGER NOT NULL REFERENCES ingests (id),
    UNIQUE (experiment_id, name)
);

-- Typed attributes: a boolean is kind 'boolean' with number_value 0 or 1.
CREATE TABLE model_attributes (
    model_id      INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('number', 'boolean', 'text', 'null')),
    number_value  REAL,
    text_value    TEXT,
    PRIMARY KEY (model_id, name)
);
CREATE INDEX model_attributes_by_name ON model_attributes (name, model_id);

CREATE TABLE layers (
    id        INTEGER PRIMARY KEY,
    model_id  INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    depth     INTEGER NOT NULL CHECK (depth >= 0),   -- 0 = closest to the input
    units     INTEGER NOT NULL CHECK (units >= 1),
    kind      TEXT,
    UNIQUE (model_id, name),
    UNIQUE (model_id, depth)
);

CREATE TABLE checkpoints (
    id            INTEGER PRIMARY KEY,
    model_id      INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    step          INTEGER NOT NULL CHECK (step >= 0),
    content_hash  TEXT    NOT NULL,              -- SHA-256 of the checkpoint's canonical content
    ingest_id     INTEGER NOT NULL REFERENCES ingests (id),
    UNIQUE (model_id, step)
);

CREATE TABLE checkpoint_metrics (
    checkpoint_id  INTEGER NOT NULL REFERENCES checkpoints (id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    position       INTEGER NOT NULL,
    value          REAL,                          -- NULL = undefined
    PRIMARY KEY (checkpoint_id, name)
);

-- One row per (checkpoint, layer, metric); the values live in unit_values
-- (one number per unit) or unit_class_values (one vector per unit).
CREATE TABLE unit_metrics (
    id             INTEGER PRIMARY KEY,
    checkpoint_id  INTEGER NOT NULL REFERENCES checkpoints (id) ON DELETE CASCADE,
    layer_id       INTEGER NOT NULL REFERENCES layers (id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    position       INTEGER NOT NULL,
    per_class      INTEGER NOT NULL CHECK (per_class IN (0, 1)),
    UNIQUE (checkpoint_id, layer_id, name)
);
CREATE INDEX unit_metrics_by_name ON unit_metrics (name, checkpoint_id);
CREATE INDEX unit_metrics_by_layer ON unit_metrics (layer_id);

CREATE TABLE unit_values (
    unit_metric_id  INTEGER NOT NULL REFERENCES unit_metrics (id) ON DELETE CASCADE,
    unit            INTEGER NOT NULL CHECK (unit >= 0),
    value           REAL,
    PRIMARY KEY (unit_metric_id, unit)
) WITHOUT ROWID;

CREATE TABLE unit_class_values (
    unit_metric_id  INTEGER NOT NULL REFERENCES unit_metrics (id) ON DELETE CASCADE,
    unit            INTEGER NOT NULL CHECK (unit >= 0),
    class           INTEGER NOT NULL CHECK (class >= 0),
    value           REAL,
    PRIMARY KEY (unit_metric_id, unit, class)
) WITHOUT ROWID;

-- scope is 'all' or a JSON array of layer names in depth order; curve_layers
-- names the same layers with foreign keys.
CREATE TABLE curves (
    id             INTEGER PRIMARY KEY,
    checkpoint_id  INTEGER NOT NULL REFERENCES checkpoints (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    perturbation   TEXT    NOT NULL CHECK (perturbation IN ('ablation', 'noise')),
    scope          TEXT    NOT NULL,
    unit_order     TEXT,                          -- NULL for noise
    seed           INTEGER NOT NULL,
    CHECK ((perturbation = 'noise') = (unit_order IS NULL))
);
CREATE UNIQUE INDEX curves_identity ON curves (checkpoint_id, perturbation, scope, COALESCE(unit_order, ''), seed);

CREATE TABLE curve_layers (
    curve_id  INTEGER NOT NULL REFERENCES curves (id) ON DELETE CASCADE,
    layer_id  INTEGER NOT NULL REFERENCES layers (id) ON DELETE CASCADE,
    PRIMARY KEY (curve_id, layer_id)
);
CREATE INDEX curve_layers_by_layer ON curve_layers (layer_id);

CREATE TABLE curve_points (
    curve_id  INTEGER NOT NULL REFERENCES curves (id) ON DELETE CASCADE,
    point     INTEGER NOT NULL CHECK (point >= 0),
    x         REAL    NOT NULL,
    PRIMARY KEY (curve_id, point)
);

CREATE TABLE curve_metrics (
    id        INTEGER PRIMARY KEY,
    curve_id  INTEGER NOT NULL REFERENCES curves (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    position  INTEGER NOT NULL,
    UNIQUE (curve_id, name)
);

CREATE TABLE curve_values (
    curve_metric_id  INTEGER NOT NULL REFERENCES curve_metrics (id) ON DELETE CASCADE,
    point            INTEGER NOT NULL CHECK (point >= 0),
    value            REAL,
    PRIMARY KEY (curve_metric_id, point)
) WITHOUT ROWID;

CREATE INDEX models_by_ingest ON models (ingest_id);
CREATE INDEX checkpoints_by_ingest ON checkpoints (ingest_id);

-- Views for shell users (part of lesion's public interface; see README).

-- One row per unit per scalar metric.
CREATE VIEW unit_measurements AS
SELECT e.name AS experiment, m.name AS model, c.step AS step,
       l.name AS layer, l.depth AS depth, v.unit AS unit, um.name AS metric, v.value AS value
FROM unit_values v
JOIN unit_metrics um ON um.id = v.unit_metric_id
JOIN layers l ON l.id = um.layer_id
JOIN checkpoints c ON c.id = um.checkpoint_id
JOIN models m ON m.id = c.model_id
JOIN experiments e ON e.id = m.experiment_id;

-- One row per unit per class per vector metric (class_means, ablated_class_accuracy).
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

-- One row per model attribute, its value as number or text.
CREATE VIEW attribute_values AS
SELECT e.name AS experiment, m.name AS model, a.name AS name, a.kind AS kind,
       a.number_value AS number_value, a.text_value AS text_value
FROM model_attributes a
JOIN models m ON m.id = a.model_id
JOIN experiments e ON e.id = m.experiment_id;

-- One row per checkpoint metric.
CREATE VIEW checkpoint_measurements AS
SELECT e.name AS experiment, m.name AS model, c.step AS step, cm.name AS metric, cm.value AS value
FROM checkpoint_metrics cm
JOIN checkpoints c ON c.id = cm.checkpoint_id
JOIN models m ON m.id = c.model_id
JOIN experiments e ON e.id = m.experiment_id;

-- One row per model: the well-known attributes as columns, and the metrics of
-- its last checkpoint (largest step).
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

-- One row per curve point per curve metric.
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
