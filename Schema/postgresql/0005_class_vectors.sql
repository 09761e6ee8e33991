-- lesion schema v5 (PostgreSQL): a unit's per-class values in one row.
-- The SQLite twin in ../sqlite/0005_class_vectors.sql says the same thing (see
-- there for why: class-importance read 20 million rows for a million units).
-- unit_class_vectors keeps one row per unit; `vector` holds its values, 8 bytes
-- each, IEEE-754 binary64 big-endian (float8send's order), NaN where undefined.
-- Existing rows are packed here with float8send, exactly. unit_class_values stays
-- as a view that unpacks them into the v4 rows, so that queries written against v4
-- and the unit_class_measurements view read the same values as before.
--
-- On a database that `lesion db distribute` has spread over a Citus cluster, the new
-- table is distributed the same way (co-located with unit_values, a plain foreign
-- key); on one server it gets v2's statement-level reference triggers.

DROP VIEW unit_class_measurements;

CREATE TABLE unit_class_vectors (
    unit_metric_id  bigint  NOT NULL,
    unit            bigint  NOT NULL CHECK (unit >= 0),
    model_id        bigint  NOT NULL,
    vector          bytea   NOT NULL CHECK (length(vector) % 8 = 0),
    PRIMARY KEY (unit_metric_id, unit, model_id)
);

DO $migration$
DECLARE
    distributed boolean := false;
BEGIN
    IF to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = to_regclass(''unit_class_values''))'
            INTO distributed;
    END IF;
    IF distributed THEN
        PERFORM create_distributed_table('unit_class_vectors', 'model_id', colocate_with => 'unit_values');
        ALTER TABLE unit_class_vectors ADD CONSTRAINT unit_class_vectors_unit_metric_id_fkey
            FOREIGN KEY (unit_metric_id) REFERENCES unit_metrics (id) ON DELETE CASCADE;
    ELSE
        -- v2's cascade from unit_metrics to the old table (distributing dropped it
        -- already; Citus refuses trigger DDL on a reference table, even IF EXISTS).
        DROP TRIGGER unit_metrics_cascade_unit_class_values ON unit_metrics;
        CREATE TRIGGER unit_class_vectors_reference_insert AFTER INSERT ON unit_class_vectors
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
            EXECUTE FUNCTION lesion_require_parents('unit_metrics', 'unit_metric_id');
        CREATE TRIGGER unit_class_vectors_reference_update AFTER UPDATE ON unit_class_vectors
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
            EXECUTE FUNCTION lesion_require_parents('unit_metrics', 'unit_metric_id');
        CREATE TRIGGER unit_metrics_cascade_unit_class_vectors AFTER DELETE ON unit_metrics
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
            EXECUTE FUNCTION lesion_delete_children('unit_class_vectors', 'unit_metric_id');
        DROP TRIGGER unit_metrics_truncate_children ON unit_metrics;
        CREATE TRIGGER unit_metrics_truncate_children AFTER TRUNCATE ON unit_metrics
            FOR EACH STATEMENT EXECUTE FUNCTION lesion_truncate_children('unit_values', 'unit_class_vectors', 'unit_text_values');
    END IF;
END
$migration$;

-- A unit whose classes have a gap would be packed shifted: refuse it, naming it, and
-- change nothing (as the SQLite twin's packing step does).
DO $check$
DECLARE
    gap record;
BEGIN
    SELECT unit_metric_id, unit INTO gap FROM unit_class_values
    GROUP BY unit_metric_id, unit, model_id HAVING MIN(class) <> 0 OR MAX(class) + 1 <> COUNT(*) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'unit_class_values has a gap in the classes of unit % of unit metric %; the unit cannot be packed into a vector',
            gap.unit, gap.unit_metric_id
            USING HINT = 'store the missing value (NULL for undefined) or delete the unit''s rows, then run `lesion migrate` again';
    END IF;
END
$check$;

-- Every row of a unit in class order; a NULL (undefined) value becomes NaN.
INSERT INTO unit_class_vectors (unit_metric_id, unit, model_id, vector)
SELECT unit_metric_id, unit, model_id,
       string_agg(float8send(COALESCE(value, 'NaN'::float8)), ''::bytea ORDER BY class)
FROM unit_class_values
GROUP BY unit_metric_id, unit, model_id;

DROP TABLE unit_class_values;

-- The 64 bits as a bigint; the exponent and fraction fields; then
-- (2^52 + fraction) × 2^(exponent − 1075), every step exact.
CREATE VIEW unit_class_values AS
SELECT v.unit_metric_id, v.unit, k.class::bigint AS class,
       CASE WHEN (b.bits >> 52) & 2047 = 2047 THEN NULL
            WHEN (b.bits >> 52) & 2047 = 0
            THEN (CASE WHEN b.bits < 0 THEN -1.0 ELSE 1.0 END)::float8
                 * (b.bits & 4503599627370495)::float8 * power(2::float8, -1074)
            ELSE (CASE WHEN b.bits < 0 THEN -1.0 ELSE 1.0 END)::float8
                 * ((b.bits & 4503599627370495) + 4503599627370496)::float8
                 * power(2::float8, (((b.bits >> 52) & 2047) - 1075)::float8)
       END AS value,
       v.model_id
FROM unit_class_vectors v
CROSS JOIN LATERAL generate_series(0, length(v.vector) / 8 - 1) AS k(class)
CROSS JOIN LATERAL (SELECT ('x' || encode(substring(v.vector FROM 8 * k.class + 1 FOR 8), 'hex'))::bit(64)::bigint AS bits) b;

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
