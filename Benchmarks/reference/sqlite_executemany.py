#!/usr/bin/env python3
"""Reference: a plain Python script inserting the long CSV's rows into SQLite with
sqlite3's executemany, one transaction, the same pragmas lesion uses (WAL,
synchronous=NORMAL), into a table with the same primary key as the .import reference.

    python3 sqlite_executemany.py values.csv out.db
"""
import csv
import sqlite3
import sys

path, db = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db, isolation_level=None)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA synchronous=NORMAL")
con.execute("CREATE TABLE v(model TEXT, step INT, layer TEXT, unit INT, metric TEXT, value REAL, "
            "PRIMARY KEY(model, step, layer, unit, metric))")


def rows(f):
    reader = csv.reader(f)
    next(reader)
    for model, step, layer, unit, metric, value in reader:
        yield model, int(step), layer, int(unit), metric, (float(value) if value else None)


with open(path, newline="") as f:
    con.execute("BEGIN")
    con.executemany("INSERT INTO v VALUES (?, ?, ?, ?, ?, ?)", rows(f))
    con.execute("COMMIT")
n = con.execute("SELECT count(*) FROM v").fetchone()[0]
con.close()
print(n)
