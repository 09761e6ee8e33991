"""Shared fixtures: the built `lesion` binary, fresh databases on both backends, and
small networks trained with real PyTorch on scikit-learn's digits."""

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def lesion_binary():
    """<repo>/.build/debug/lesion (or $LESION_BIN). Absent outside CI: skip, saying how
    to build it; absent in CI: fail."""
    candidate = os.environ.get("LESION_BIN") or str(REPO / ".build" / "debug" / "lesion")
    if not os.access(candidate, os.X_OK):
        message = f"no lesion binary at {candidate}: run `swift build --product lesion` in {REPO}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return candidate


def _postgres_database():
    server = os.environ.get("LESION_TEST_POSTGRES")
    if not server:
        if IN_CI:
            pytest.fail("LESION_TEST_POSTGRES is not set, but CI=true requires the PostgreSQL tests to run")
        pytest.skip("PostgreSQL: LESION_TEST_POSTGRES is not set")
    if shutil.which("psql") is None:
        pytest.fail("psql is needed to make a fresh PostgreSQL schema")
    name = "lesion_pytest_" + uuid.uuid4().hex
    subprocess.run(["psql", server, "-qc", f"CREATE SCHEMA {name}"], check=True, capture_output=True)
    location = f"{server} options=-csearch_path={name} application_name={name}"

    def drop():
        subprocess.run(["psql", server, "-qc",
                        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{name}' "
                        f"AND pid <> pg_backend_pid(); DROP SCHEMA {name} CASCADE"], capture_output=True)
    return location, drop


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A fresh database location for `lesion --db`, on each backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
        return
    location, drop = _postgres_database()
    try:
        yield location
    finally:
        drop()


@pytest.fixture(scope="session")
def digits():
    """scikit-learn's 8x8 digits in [0, 1], split 1400 / 397 by a fixed permutation."""
    datasets = pytest.importorskip("sklearn.datasets")
    d = datasets.load_digits()
    X = d.data / 16.0
    y = d.target.astype(np.int64)
    perm = np.random.default_rng(20180301).permutation(len(y))
    return X[perm[:1400]], y[perm[:1400]], X[perm[1400:]], y[perm[1400:]]
