-- lesion schema v2 (PostgreSQL): the references of the three largest tables
-- (unit_values, unit_class_values, curve_values) are checked once per statement
-- instead of once per row.
--
-- Why: a FOREIGN KEY runs a trigger for every inserted row (an index probe and a
-- row lock on the parent); for these tables, millions of rows a document set, that
-- was over 90% of ingest time (COPY of 1M rows: 11-13 s with the foreign key, 2-3 s
-- without). The triggers below keep the same guarantees, set at a time:
--   * an inserted or updated row must name an existing parent; the parents are
--     locked FOR KEY SHARE, as a foreign key does, so that a concurrent delete
--     waits for this transaction (SQLSTATE 23503 otherwise, as a foreign key);
--   * deleting a parent deletes its rows (ON DELETE CASCADE), truncating it
--     truncates them, and a parent's id cannot change.
-- SQLite keeps its FOREIGN KEY clauses (its per-row check is a cheap in-process
-- B-tree probe); its 0002 changes nothing, so both dialects stay at one version.
-- SchemaEquivalenceTests reads these references back from the trigger arguments.

ALTER TABLE unit_values DROP CONSTRAINT unit_values_unit_metric_id_fkey;
ALTER TABLE unit_class_values DROP CONSTRAINT unit_class_values_unit_metric_id_fkey;
ALTER TABLE curve_values DROP CONSTRAINT curve_values_curve_metric_id_fkey;

-- Child side. Arguments: the parent table, the referencing column. Runs after each
-- INSERT or UPDATE statement (COPY included) over its new rows. The distinct keys go
-- through an array so that the parents are found by their primary key, never by a
-- scan of the parent table (which grows with the database).
CREATE FUNCTION lesion_require_parents() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
    parent_table text := TG_ARGV[0];
    child_column text := TG_ARGV[1];
    keys bigint[];
    found bigint;
BEGIN
    EXECUTE format('SELECT array_agg(k) FROM (SELECT DISTINCT %I AS k FROM new_rows) d', child_column) INTO keys;
    IF keys IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT 1 FROM %I.%I p WHERE p.id = ANY ($1) FOR KEY SHARE OF p', TG_TABLE_SCHEMA, parent_table)
        USING keys;
    GET DIAGNOSTICS found = ROW_COUNT;
    IF found < cardinality(keys) THEN
        RAISE EXCEPTION 'insert or update on table "%" violates its reference to "%"', TG_TABLE_NAME, parent_table
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('%s of the %s distinct values of %s.%s name no %s.id.',
                                  cardinality(keys) - found, cardinality(keys), TG_TABLE_NAME, child_column, parent_table);
    END IF;
    RETURN NULL;
END
$body$;

-- Parent side, ON DELETE CASCADE. Arguments: the child table, its referencing column.
-- The child's primary key starts with that column, so each id is one index range.
CREATE FUNCTION lesion_delete_children() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
    ids bigint[];
BEGIN
    SELECT array_agg(id) INTO ids FROM old_rows;
    IF ids IS NOT NULL THEN
        EXECUTE format('DELETE FROM %I.%I WHERE %I = ANY ($1)', TG_TABLE_SCHEMA, TG_ARGV[0], TG_ARGV[1]) USING ids;
    END IF;
    RETURN NULL;
END
$body$;

-- Parent side, TRUNCATE. Arguments: the child tables.
CREATE FUNCTION lesion_truncate_children() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
    child text;
BEGIN
    FOREACH child IN ARRAY TG_ARGV LOOP
        EXECUTE format('TRUNCATE %I.%I', TG_TABLE_SCHEMA, child);
    END LOOP;
    RETURN NULL;
END
$body$;

-- Parent side: ids are identities that children point at; they never change.
CREATE FUNCTION lesion_refuse_id_change() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id THEN
        RAISE EXCEPTION 'the id of a row of "%" cannot change: other rows refer to it', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$body$;

CREATE TRIGGER unit_values_reference_insert AFTER INSERT ON unit_values
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION lesion_require_parents('unit_metrics', 'unit_metric_id');
CREATE TRIGGER unit_values_reference_update AFTER UPDATE ON unit_values
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION lesion_require_parents('unit_metrics', 'unit_metric_id');
CREATE TRIGGER unit_class_values_reference_insert AFTER INSERT ON unit_class_values
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION lesion_require_parents('unit_metrics', 'unit_metric_id');
CREATE TRIGGER unit_class_values_reference_update AFTER UPDATE ON unit_class_values
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION lesion_require_parents('unit_metrics', 'unit_metric_id');
CREATE TRIGGER curve_values_reference_insert AFTER INSERT ON curve_values
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION lesion_require_parents('curve_metrics', 'curve_metric_id');
CREATE TRIGGER curve_values_reference_update AFTER UPDATE ON curve_values
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION lesion_require_parents('curve_metrics', 'curve_metric_id');

CREATE TRIGGER unit_metrics_cascade_unit_values AFTER DELETE ON unit_metrics
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION lesion_delete_children('unit_values', 'unit_metric_id');
CREATE TRIGGER unit_metrics_cascade_unit_class_values AFTER DELETE ON unit_metrics
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION lesion_delete_children('unit_class_values', 'unit_metric_id');
CREATE TRIGGER curve_metrics_cascade_curve_values AFTER DELETE ON curve_metrics
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION lesion_delete_children('curve_values', 'curve_metric_id');

CREATE TRIGGER unit_metrics_truncate_children AFTER TRUNCATE ON unit_metrics
    FOR EACH STATEMENT EXECUTE FUNCTION lesion_truncate_children('unit_values', 'unit_class_values');
CREATE TRIGGER curve_metrics_truncate_children AFTER TRUNCATE ON curve_metrics
    FOR EACH STATEMENT EXECUTE FUNCTION lesion_truncate_children('curve_values');

CREATE TRIGGER unit_metrics_fixed_id BEFORE UPDATE OF id ON unit_metrics
    FOR EACH ROW EXECUTE FUNCTION lesion_refuse_id_change();
CREATE TRIGGER curve_metrics_fixed_id BEFORE UPDATE OF id ON curve_metrics
    FOR EACH ROW EXECUTE FUNCTION lesion_refuse_id_change();
