"""``wiretrace copy SRC DST``: move a corpus between SQLite and PostgreSQL, row for row.

Every table is copied as stored (article records with their ingest times, facts, the full-text
rows, stories and their saved records, stored vectors), so the copy answers ``show`` and
``story`` exactly as the original does, and copying back gives the same rows. The destination
must hold no article yet: a copy never merges into another corpus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import StoreError
from .sqlite import SQLiteStore

# Known tables in foreign-key order (articles before the rows that point at them); any other
# table both stores have (newer migrations) follows, in the order it was created.
TABLES = (
    "articles", "articles_fts", "failures", "entities", "entity_aliases", "quotes", "events",
    "tags", "stories", "story_articles", "story_postings", "story_df", "story_state",
    "provenance_edges", "story_events", "story_records", "text_vectors",
)  # fmt: skip
GENERATED = {"tsv", "stv"}  # PostgreSQL computes the tsvector columns itself
BATCH = 1000


def _columns(store: SQLiteStore, table: str) -> list[str]:
    cur = store.conn.execute(f"SELECT * FROM {table} LIMIT 0")
    return [d[0] for d in cur.description or []]


def copy_corpus(src: SQLiteStore, dst: SQLiteStore,
                progress: Callable[[str, int], None] | None = None) -> dict[str, int]:  # fmt: skip
    """Copy every table of ``src`` into the empty store ``dst``; returns rows per table."""
    if dst.conn.execute("SELECT count(*) FROM articles").fetchone()[0]:
        raise StoreError("the destination already holds articles; copy into an empty database")
    counts: dict[str, int] = {}
    found, there = table_names(src), set(table_names(dst))
    for table in [*(t for t in TABLES if t in found), *(t for t in found if t not in TABLES)]:
        if table not in there:
            continue
        dst_cols = set(_columns(dst, table))
        cols = [c for c in _columns(src, table) if c in dst_cols and c not in GENERATED]
        names = ", ".join(f'"{c}"' for c in cols)
        insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})"
        cur = src.conn.execute(f"SELECT {names} FROM {table}")
        n = 0
        dst.conn.execute("BEGIN")
        try:
            while rows := cur.fetchmany(BATCH):
                dst.conn.executemany(insert, [_plain(r) for r in rows])
                n += len(rows)
                if progress:
                    progress(table, n)
            dst.conn.execute("COMMIT")
        except BaseException:
            dst.conn.execute("ROLLBACK")
            raise
        counts[table] = n
    _after_copy(dst)
    return counts


def table_names(store: SQLiteStore) -> list[str]:
    """The store's own tables in creation order (not SQLite's FTS5 shadow tables)."""
    if getattr(store, "pg", None) is not None:
        sql = ("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
               "WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.oid")  # fmt: skip
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid"
    names = [str(r[0]) for r in store.conn.execute(sql)]
    # Not copied: SQLite's FTS5 shadow tables, the migrations, and what PostgreSQL's migrations
    # make on the destination itself: its stemmers (pg_0005) and the article counts (pg_0009,
    # kept by the destination's triggers as the articles arrive).
    skip = ("sqlite_", "articles_fts_", "_migrations", "wt_stemmers", "article_tally")
    return [n for n in names if not n.startswith(skip)]


def _plain(row: Any) -> tuple[Any, ...]:
    """A row as plain values (PostgreSQL's bytea arrives as memoryview on some paths)."""
    return tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)


def _after_copy(dst: SQLiteStore) -> None:
    """PostgreSQL: move every identity sequence past the ids the copy brought."""
    pg = getattr(dst, "pg", None)
    if pg is None:
        return
    identities = pg.raw.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'"
    ).fetchall()
    for table, column in identities:
        pg.raw.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f'coalesce((SELECT max("{column}") FROM {table}), 0) + 1, false)'
        )
