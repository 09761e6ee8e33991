-- lesion schema v4 (PostgreSQL): the four value tables carry their model's id.
-- The SQLite twin in ../sqlite/0004_model_id_on_values.sql says the same thing.
--
-- Why: a Citus cluster (`lesion db distribute`, README "Scaling out") spreads these
-- tables over its workers by model, which needs the model's id in every row and in
-- every primary key. On one server the column is redundant (unit_metric_id and
-- curve_metric_id already name the model) but costs little: 8 bytes a row, set by
-- the writer from the checkpoint it is writing. Populated databases are filled in
-- place from unit_metrics/curve_metrics → checkpoints (→ curves).
-- The references stay v2's statement-level triggers here; `lesion db distribute`
-- replaces them with foreign keys, which Citus enforces on its workers.

ALTER TABLE unit_values ADD COLUMN model_id bigint;
UPDATE unit_values v SET model_id = c.model_id
FROM unit_metrics um JOIN checkpoints c ON c.id = um.checkpoint_id
WHERE um.id = v.unit_metric_id;
ALTER TABLE unit_values ALTER COLUMN model_id SET NOT NULL;
ALTER TABLE unit_values DROP CONSTRAINT unit_values_pkey;
ALTER TABLE unit_values ADD CONSTRAINT unit_values_pkey PRIMARY KEY (unit_metric_id, unit, model_id);

ALTER TABLE unit_class_values ADD COLUMN model_id bigint;
UPDATE unit_class_values v SET model_id = c.model_id
FROM unit_metrics um JOIN checkpoints c ON c.id = um.checkpoint_id
WHERE um.id = v.unit_metric_id;
ALTER TABLE unit_class_values ALTER COLUMN model_id SET NOT NULL;
ALTER TABLE unit_class_values DROP CONSTRAINT unit_class_values_pkey;
ALTER TABLE unit_class_values ADD CONSTRAINT unit_class_values_pkey PRIMARY KEY (unit_metric_id, unit, class, model_id);

ALTER TABLE unit_text_values ADD COLUMN model_id bigint;
UPDATE unit_text_values v SET model_id = c.model_id
FROM unit_metrics um JOIN checkpoints c ON c.id = um.checkpoint_id
WHERE um.id = v.unit_metric_id;
ALTER TABLE unit_text_values ALTER COLUMN model_id SET NOT NULL;
ALTER TABLE unit_text_values DROP CONSTRAINT unit_text_values_pkey;
ALTER TABLE unit_text_values ADD CONSTRAINT unit_text_values_pkey PRIMARY KEY (unit_metric_id, unit, model_id);

ALTER TABLE curve_values ADD COLUMN model_id bigint;
UPDATE curve_values v SET model_id = c.model_id
FROM curve_metrics cm JOIN curves cv ON cv.id = cm.curve_id JOIN checkpoints c ON c.id = cv.checkpoint_id
WHERE cm.id = v.curve_metric_id;
ALTER TABLE curve_values ALTER COLUMN model_id SET NOT NULL;
ALTER TABLE curve_values DROP CONSTRAINT curve_values_pkey;
ALTER TABLE curve_values ADD CONSTRAINT curve_values_pkey PRIMARY KEY (curve_metric_id, point, model_id);
