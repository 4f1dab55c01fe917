"""Small helpers over one SQLite file and connection: the write transaction, the writer lock,
WAL mode, table checks; shared by the store and the story tables."""

from __future__ import annotations

import errno
import fcntl
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import StoreError


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


def acquire_writer_lock(
    fd: int, lock_path: Path, wait: float, on_wait: Callable[[str], None] | None
) -> None:
    """Take the exclusive flock on ``fd``, polling until ``wait`` seconds have passed."""
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise StoreError(f"{lock_path}: cannot take the writer lock ({exc})") from exc
        if time.monotonic() >= deadline:
            raise StoreError(
                f"{lock_path.with_suffix('')}: another wiretrace run is writing to this store; "
                f"gave up after waiting {wait:.0f} s (try again when it has finished)"
            )
        if not told and on_wait is not None:
            on_wait(f"another run is writing to {lock_path.with_suffix('')}; waiting for it")
            told = True
        time.sleep(0.2)


def use_wal(conn: sqlite3.Connection, deadline: float) -> None:
    """Switch the file to WAL mode, retrying while another process switches the same new file.

    Switching needs an exclusive lock taken from a read lock; when two processes open a new
    file at once, each holds a read lock and SQLite refuses one of them at once ("database is
    locked", without waiting, since waiting could deadlock), whatever the busy timeout. The
    other's switch takes milliseconds, after which ours finds WAL mode already set. (Seen as
    one of two ingests started together failing, about 1 start in 100 under load.)
    """
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.25)
