"""Shared test helpers: paths to fixtures and ../shared, and page builders."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_2df298d6ec244cd0.txt"


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared is not present beside the repository")
    return SEED


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


# PostgreSQL runs on every development machine and in CI (trust authentication, database
# `test`); a test that needs it fails, never skips, when it cannot be reached.
PG_BASE = os.environ.get("WIRETRACE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def pg_schema_url(schema: str) -> str:
    """The test database URL with ``schema`` (then public, for unaccent) on the search path."""
    return f"{PG_BASE}?options=-csearch_path%3D{schema},public"


@contextmanager
def fresh_schema() -> Iterator[str]:
    """The URL of a fresh schema of its own on the local PostgreSQL, dropped afterwards."""
    import psycopg

    schema = "wt_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield pg_schema_url(schema)
    finally:
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh schema of its own on the local PostgreSQL, dropped afterwards."""
    with fresh_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """One store location per backend: an SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "any.db")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # fmt: skip
    """``any_db`` shared by a module's tests: an SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path_factory.mktemp("module") / "module.db")
        return
    with fresh_schema() as url:
        yield url
