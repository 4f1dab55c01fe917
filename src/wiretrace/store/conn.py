"""Small helpers over one SQLite connection, shared by the store and the story tables."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One real write transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``); nested uses join it.

    The store's connection is in autocommit mode, where ``with conn:`` opens no transaction,
    so every write goes through here: all of it lands, or (on any error, or a kill) none.
    The rollback is only attempted while a transaction is open, so the error that ended it
    (for example "database or disk is full") is the one reported.
    """
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the database has this table (older stores lack the story tables)."""
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ? LIMIT 1", (name,)).fetchone()
    return row is not None
