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
    "default_db_path",
    "open_store",
]


def default_db_path() -> Path:
    """``$WIRETRACE_DB`` if set, else ``wiretrace.db`` in the current directory."""
    return Path(os.environ.get("WIRETRACE_DB", "wiretrace.db"))


def open_store(path: str | Path | None = None, readonly: bool = False) -> SQLiteStore:
    """Open (creating and migrating if needed) the store at ``path``."""
    return SQLiteStore(path or default_db_path(), readonly=readonly)
