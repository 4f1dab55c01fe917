"""A PostgreSQL reader connection made ready before it serves its first reader.

A new backend knows nothing yet: the first statements on it read the catalog for every table
and index they touch (the full-text table has some thirty partial indexes, ``pg_stemming``),
are planned from scratch, and the store's per-connection lookups (tables found, language parts)
are still to be made; psycopg prepares a statement only once it has run it a few times. So the
first search on a new connection cost several times a warm one. The reader pool runs
:func:`warm_connection` on every connection it opens, in its own worker threads, before the
connection joins the pool: the search steps (the probe, the walk of the newest articles, the
index step, the page's snippets and stories), an article, its story and an events page, run
twice and prepared, on the newest article's own words.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from ..store.postgres import PostgresStore
from . import event_queries, outlets, queries, search_queries, story_queries

log = logging.getLogger(__name__)
# No article holds this word: a search with it takes the index step (none of the newest match).
ABSENT = "wtwarmupzq"


def warm_connection(url: str, raw: Any) -> None:
    """Each page's statements once on the new connection ``raw`` (autocommit, read-only),
    prepared as they run; failures are logged, never raised (a cold connection still works)."""
    before = raw.prepare_threshold
    # Each statement prepared the second time it runs (not the first: psycopg must have seen
    # that a multi-statement "BEGIN; SET LOCAL ..." cannot be prepared).
    raw.prepare_threshold = 1
    try:
        store = PostgresStore.over(url, raw)
        for _ in range(2):
            _pages(store)
    except Exception:
        log.warning("warming a reader connection failed", exc_info=True)
        if raw.info.transaction_status != 0:  # not idle: end what the failure left open
            raw.rollback()
    finally:
        raw.prepare_threshold = before


def _pages(store: PostgresStore) -> None:
    row = store.conn.execute(
        "SELECT a.id, a.title, (SELECT story_id FROM story_articles WHERE article_id = a.id "
        "LIMIT 1) FROM articles a ORDER BY a.published DESC NULLS LAST, a.id LIMIT 1"
    ).fetchone()
    if row is None:
        return
    words = re.findall(r"[^\W\d_]{3,}", row[1] or "")[:2] or [ABSENT]
    for q in (" ".join(words), f"{words[0]} {ABSENT}"):  # the walk; the index step
        search_queries.search(store, queries.parse_filters({"q": q}, limit=20))
    queries.article(store, str(row[0]))
    if row[2] is not None:
        story_queries.story(store, str(row[2]))
    event = store.conn.execute(
        "SELECT type, place FROM events WHERE article_id = ? AND place IS NOT NULL LIMIT 1",
        (row[0],),
    ).fetchone()
    params = {"type": event[0], "place": event[1]} if event else {}
    event_queries.events(store, queries.parse_filters(params, limit=100))
    outlets.corpus_stamp(store.conn)
