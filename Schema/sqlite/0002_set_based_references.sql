-- lesion schema v2 (SQLite): nothing changes here.
--
-- On PostgreSQL, v2 checks the references of unit_values, unit_class_values and
-- curve_values once per statement instead of once per row (see
-- ../postgresql/0002_set_based_references.sql for why). SQLite's per-row
-- foreign-key check is an in-process B-tree probe that costs little, so the
-- FOREIGN KEY clauses of v1 stay. This file keeps both dialects at the same
-- schema version.
SELECT 1;
