"""Storage: the Store protocol and its default SQLite implementation."""

from __future__ import annotations

import os
from pathlib import Path

from .base import ArticleRow, SearchHit, SearchQuery, Store, UpsertStatus
from .sqlite import SQLiteStore

__all__ = [
    "ArticleRow",
    "SQLiteStore",
    "SearchHit",
    "SearchQuery",
    "Store",
    "UpsertStatus",
    "default_db",
    "default_db_path",
    "is_url",
    "open_store",
]


def default_db_path() -> Path:
    """``$WIRETRACE_DB`` if set, else ``wiretrace.db`` in the current directory."""
    return Path(os.environ.get("WIRETRACE_DB", "wiretrace.db"))


def default_db() -> str | Path:
    """Like :func:`default_db_path`, but a ``postgresql://`` URL in ``$WIRETRACE_DB`` stays one."""
    env = os.environ.get("WIRETRACE_DB", "")
    return env if is_url(env) else default_db_path()


def is_url(location: str | Path | None) -> bool:
    """Whether ``location`` names a PostgreSQL database (``postgresql://…``), not a file."""
    return isinstance(location, str) and location.lower().startswith(
        ("postgresql://", "postgres://")
    )


def open_store(path: str | Path | None = None, readonly: bool = False) -> SQLiteStore:
    """Open (creating and migrating if needed) the store at ``path``: a file or a PG URL.

    The PostgreSQL store shares the SQLite store's code and type (it subclasses it), so every
    caller works on either.
    """
    location = path or default_db()
    if is_url(location):
        from .postgres import PostgresStore

        return PostgresStore(str(location), readonly=readonly)
    return SQLiteStore(location, readonly=readonly)
