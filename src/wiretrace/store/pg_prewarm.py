"""Reading a PostgreSQL store's hot relations into memory before the first requests need them.

A server that has just started (or a database host whose page cache other jobs have emptied)
answers its first searches from the disk: a search seen for the first time reads hundreds to
some 1,600 pages of the full-text table and indexes, at random (a random 8 KB read: 90-100 us
from this machine's disk, 2-3 us from the page cache). ``pg_prewarm`` asks for whole relations
at once: in ``prefetch`` mode the kernel reads them in large requests (the 1.7 GB full-text
table of the 1M bench store in about a second, where ``read`` mode, page by page through one
backend, took 8 s). The hot relations go into the operating system's page cache, not into
PostgreSQL's shared buffers (usually far smaller than a corpus, and left to PostgreSQL's own
replacement), the ones every request needs first, until half of ``effective_cache_size`` (the
DBA's statement of the memory that caches the database) is spent: the relation that does not
fit whole, its first pages, then none. Migration ``pg_0010_prewarm`` creates the extension
where the server has it; where it does not (or the role may not create it), nothing is read
and the server runs as before.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import psycopg

log = logging.getLogger(__name__)
APP_NAME = "wiretrace-prewarm"  # the connection's application_name (pg_stat_activity)

# What a search, a story page and an article page read, in the order a cold server needs them.
# Names of the store's own relations (resolved on the connection's search path); a name that
# the store does not have (an older schema) is skipped.
HOT = (
    "articles_published_desc",  # the newest articles (every search's walk; the front page)
    "articles_pool",  # a search pool's dates by id
    "articles_fts_pkey",
    "articles_fts_tsv",  # full-text index (stems and language parts below)
    "articles_fts",  # each tested article's tsvector, the snippets' text
    "articles_pkey",
    "story_articles_pkey",
    "story_articles_seq",
    "stories_pkey",
    "articles",  # records of the articles a page shows
)
PARTS = "articles_fts_tsv_%"  # the per-language full-text indexes (pg_stemming.BY_LANGUAGE)


def extension_schema(conn: Any) -> str | None:
    """The schema holding ``pg_prewarm()`` in this database, or None if it is not installed."""
    row = conn.execute(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_prewarm'"
    ).fetchone()
    return str(row[0]) if row else None


def hot_relations(conn: Any) -> list[tuple[str, int]]:
    """(qualified name, bytes) of the store's hot relations that exist, in :data:`HOT` order
    with the full-text index's language parts after the whole index."""
    rows = conn.execute(
        "SELECT h.name, c.oid::regclass::text, pg_relation_size(c.oid) FROM unnest(%s::text[]) "
        "WITH ORDINALITY AS h(name, n) JOIN pg_class c ON c.oid = to_regclass(h.name) "
        "ORDER BY h.n",
        (list(HOT),),
    ).fetchall()
    parts = conn.execute(
        "SELECT c.oid::regclass::text, pg_relation_size(c.oid) FROM pg_class c "
        "WHERE c.relname LIKE %s AND c.relnamespace = (SELECT relnamespace FROM pg_class "
        "WHERE oid = to_regclass('articles_fts')) ORDER BY pg_relation_size(c.oid) DESC",
        (PARTS,),
    ).fetchall()
    out = [(str(r[1]), int(r[2])) for r in rows]
    at = next((i + 1 for i, r in enumerate(rows) if r[0] == "articles_fts_tsv"), len(out))
    return out[:at] + [(str(p[0]), int(p[1])) for p in parts] + out[at:]


def budget_bytes(conn: Any) -> int:
    """Half of ``effective_cache_size``: what a store's warm-up may claim of the cache."""
    row = conn.execute(
        "SELECT setting::bigint * pg_size_bytes(unit) FROM pg_settings "
        "WHERE name = 'effective_cache_size'"
    ).fetchone()
    return int(row[0]) // 2


def prewarm(conn: Any, budget: int | None = None) -> list[tuple[str, int, float]]:
    """Read the hot relations that fit in ``budget`` bytes (default :func:`budget_bytes`) into
    the page cache (``read`` mode where the server cannot prefetch); (relation, bytes,
    seconds) of each. Nothing if ``pg_prewarm`` is missing. ``conn``: a psycopg connection in
    autocommit mode, not a pooled one (seconds at 1M; the server calls :func:`start`)."""
    schema = extension_schema(conn)
    if schema is None:
        log.info("pg_prewarm is not installed in this database: the store is not prewarmed")
        return []
    left = budget_bytes(conn) if budget is None else budget
    done: list[tuple[str, int, float]] = []
    mode = "prefetch"
    block = int(conn.execute("SELECT current_setting('block_size')::int").fetchone()[0])
    sql = f"SELECT {_quote(schema)}.pg_prewarm(%s::regclass, %s, 'main', 0, %s)"
    for name, whole in hot_relations(conn):
        # In order until the budget is spent: the one that does not fit, its first pages.
        size = min(whole, left - left % block)
        if left < block:
            break
        if size == 0:
            continue
        t0 = time.perf_counter()
        try:
            conn.execute(sql, (name, mode, size // block - 1))
        except psycopg.errors.FeatureNotSupported:  # a build without posix_fadvise
            mode = "read"
            conn.execute(sql, (name, mode, size // block - 1))
        done.append((name, size, time.perf_counter() - t0))
        left -= size
    total = sum(d[1] for d in done)
    log.info("prewarmed %d relations, %.0f MB in %.1f s", len(done), total / 2**20,
             sum(d[2] for d in done))  # fmt: skip
    return done


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def start(url: str) -> threading.Thread:
    """:func:`prewarm` on a connection of its own, in a daemon thread (a server starting does
    not wait for it; its requests meanwhile read what is not yet cached from the disk)."""

    def run() -> None:
        try:
            with psycopg.connect(url, autocommit=True, application_name=APP_NAME) as conn:
                prewarm(conn)
        except psycopg.Error as exc:  # the server answers without it
            log.warning("prewarming the store failed: %s", exc)

    thread = threading.Thread(target=run, name=APP_NAME, daemon=True)
    thread.start()
    return thread
