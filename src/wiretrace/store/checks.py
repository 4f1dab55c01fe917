"""Checks run before a store file is opened: is it ours, whole, and can it be written?

A file that is not a SQLite database, belongs to another program, was written by a newer
wiretrace or is damaged is refused before anything is written to it (opening a SQLite file for
writing would switch it to WAL mode and add our tables), so a wrong ``--db`` never alters it.
Every refusal is one line naming the file, the problem and what to do.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..errors import StoreError

_HEADER = b"SQLite format 3\x00"


def _ro_uri(path: Path, immutable: bool = False) -> str:
    return f"file:{path}?mode=ro" + ("&immutable=1" if immutable else "")


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection; on read-only media (no -shm can be made) an immutable one."""
    folder_writable = os.access(path.parent if str(path.parent) else Path("."), os.W_OK)
    shm = Path(str(path) + "-shm")
    immutable = not folder_writable and not shm.exists()
    return sqlite3.connect(
        _ro_uri(path, immutable), uri=True, isolation_level=None, check_same_thread=False
    )


def tables(conn: sqlite3.Connection) -> set[str]:
    return {
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        if not r[0].startswith("sqlite_")
    }


def check_header(path: Path) -> None:
    """Refuse a file that is not a SQLite database at all (text, truncated, random bytes)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the database ({exc.strerror})") from exc
    if not head:
        return  # an empty file: SQLite treats it as a new database
    if not head.startswith(_HEADER):
        raise StoreError(
            f"{path}: not a wiretrace database (not a SQLite file: wrong header); "
            "pass another --db path"
        )
    if len(head) < 100:
        raise StoreError(
            f"{path}: not a wiretrace database (a truncated SQLite file: header cut short)"
        )


def check_ours(conn: sqlite3.Connection, path: Path, known: list[str]) -> None:
    """Refuse a database of another program, or one a newer wiretrace has migrated."""
    found = tables(conn)
    if not found:
        return  # empty: ours to create
    if "_migrations" not in found:  # the first table every wiretrace store gets
        shown = ", ".join(sorted(found)[:5]) + (", …" if len(found) > 5 else "")
        raise StoreError(
            f"{path}: not a wiretrace database (it holds other tables: {shown}); "
            "it was left unchanged — pass another --db path"
        )
    applied = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
    unknown = sorted(applied - set(known))
    if unknown:
        raise StoreError(
            f"{path}: written by a newer wiretrace (schema {unknown[-1]}); "
            "upgrade wiretrace to use it"
        )


def check_whole(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse to write into a damaged database (SQLite's quick check of every page)."""
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path}: damaged database ({exc}); nothing was written — run `wiretrace doctor`"
        ) from exc
    if rows != ["ok"]:
        raise StoreError(
            f"{path}: damaged database ({rows[0]}); nothing was written — "
            "run `wiretrace doctor` or restore a backup"
        )


def check_writable(path: Path) -> None:
    """Refuse a read-only file or folder before the run does any work."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(f"{path}: the database file is read-only; nothing can be stored")
    if not os.access(folder, os.W_OK):
        raise StoreError(
            f"{path}: folder {folder} is read-only (SQLite needs to create its journal "
            "files beside the database); nothing can be stored"
        )


def preflight_write(path: Path, known: list[str]) -> None:
    """Every check before the file is opened for writing (none of them writes)."""
    if path.exists() and path.stat().st_size > 0:
        check_header(path)
        try:
            conn = connect_readonly(path)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the database ({exc})") from exc
        try:
            check_ours(conn, path, known)
            check_whole(conn, path)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: damaged or unreadable database ({exc})") from exc
        finally:
            conn.close()
    check_writable(path)


def preflight_read(conn: sqlite3.Connection, path: Path, known: list[str]) -> None:
    """Checks for a read-only open: a SQLite file of ours (empty counts as not ours)."""
    try:
        if not tables(conn):
            raise StoreError(f"{path}: empty database; run `wiretrace ingest` first")
        check_ours(conn, path, known)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: damaged or unreadable database ({exc})") from exc
