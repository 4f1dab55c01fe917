"""The bench's view of a PostgreSQL store's caches: drop its files from the page cache (a first
run after a machine start), and see whether the server's prewarm is still reading."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg


def evict(db: str) -> int:
    """Empty the caches of the store's pages, as a machine start would: PostgreSQL's shared
    buffers are filled with a table of padding three times their size (``pg_prewarm``, buffer
    mode; kept in the database as ``wt_bench_flush`` for the next time), then the database's
    files are dropped from the OS page cache (``posix_fadvise``; this host, as root or
    postgres). Returns the bytes of the files."""
    with psycopg.connect(db, autocommit=True) as conn:
        home = conn.execute("SHOW data_directory").fetchone()[0]
        oid = conn.execute(
            "SELECT oid FROM pg_database WHERE datname = current_database()").fetchone()[0]  # fmt: skip
        pages = conn.execute("SELECT setting::int FROM pg_settings WHERE name = 'shared_buffers'"
                             ).fetchone()[0]  # fmt: skip
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm SCHEMA public")
        conn.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS wt_bench_flush AS SELECT g, repeat('x', 1800) "
            "AS pad FROM generate_series(1, %s) g", (3 * 4 * pages,))  # fmt: skip
        conn.execute("SELECT public.pg_prewarm('wt_bench_flush', 'buffer')")
    size = 0
    for path in Path(home, "base", str(oid)).iterdir():
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            size += os.fstat(fd).st_size
        finally:
            os.close(fd)
    return size


def warming(db: Path | str) -> str:
    """Whether the server's prewarm connection (``store/pg_prewarm.py``) is still reading."""
    if not isinstance(db, str):
        return "SQLite"
    with psycopg.connect(db, autocommit=True) as conn:
        busy = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                            "'wiretrace-prewarm'").fetchone()[0]  # fmt: skip
    return "prewarm still reading" if busy else "no prewarm running"
