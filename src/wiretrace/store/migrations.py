"""Named, ordered schema migrations, each applied once in a transaction and recorded in a table.

Other packages (stories) contribute their own named migrations; they run after these, in order.
Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from ..textutil import fold

Migration = tuple[str, str]

CORE: list[Migration] = [
    (
        "0001_articles",
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            url TEXT,
            source_path TEXT,
            title TEXT NOT NULL,
            language TEXT,
            published TEXT,
            published_utc TEXT,
            outlet TEXT,
            stages TEXT NOT NULL DEFAULT '{}',
            record TEXT NOT NULL,
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_language ON articles(language);
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            article_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2'
        );
        """,
    ),
    (
        "0002_failures",
        """
        CREATE TABLE failures (
            id INTEGER PRIMARY KEY,
            input TEXT NOT NULL,
            line INTEGER,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        );
        """,
    ),
    (
        "0003_facts",
        """
        CREATE TABLE entities (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            entity_id TEXT NOT NULL,
            canonical_id TEXT,
            name TEXT NOT NULL,
            folded TEXT NOT NULL,
            type TEXT,
            country TEXT,
            mentions INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (article_id, entity_id)
        );
        CREATE INDEX entities_canonical ON entities(canonical_id);
        CREATE INDEX entities_folded ON entities(folded);
        CREATE TABLE entity_aliases (
            canonical_id TEXT NOT NULL,
            alias TEXT NOT NULL,
            folded TEXT NOT NULL,
            PRIMARY KEY (canonical_id, folded)
        );
        CREATE INDEX entity_aliases_folded ON entity_aliases(folded);
        CREATE TABLE quotes (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            kind TEXT,
            source_type TEXT,
            declined INTEGER NOT NULL DEFAULT 0,
            speaker TEXT,
            speaker_entity TEXT,
            content TEXT NOT NULL,
            start INTEGER, "end" INTEGER,
            PRIMARY KEY (article_id, idx)
        );
        CREATE INDEX quotes_source_type ON quotes(source_type);
        CREATE TABLE events (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            type TEXT NOT NULL,
            mode TEXT,
            aux TEXT,
            actors TEXT,
            recipients TEXT,
            place TEXT,
            date_value TEXT,
            date_start TEXT,
            date_end TEXT,
            evidence_start INTEGER, evidence_end INTEGER,
            record TEXT NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        CREATE INDEX events_type ON events(type);
        CREATE INDEX events_date ON events(date_start);
        CREATE TABLE tags (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (article_id, tag)
        );
        """,
    ),
    (
        # Shards of input an ingest run finished (ingest --engine ray): a rerun skips them.
        "0004_shards",
        """
        CREATE TABLE shards (
            key TEXT PRIMARY KEY,
            article_ids TEXT NOT NULL,
            finished_at TEXT NOT NULL
        );
        """,
    ),
    (
        # Pages check whether the corpus changed since they cached a derived table (outlet
        # identities) with max(ingested_at): an index makes that a lookup, not a table scan.
        "0005_articles_ingested",
        """
        CREATE INDEX articles_ingested ON articles(ingested_at);
        """,
    ),
    (
        # Event places and actors folded once, when stored (wt_fold is the Python fold, which
        # the store registers before migrating): the events page filters them without folding
        # every row, reading this index newest first. And each article's outlet domain, so
        # outlet identities are built from an index, not from every article record.
        "0006_events_folded_outlet_domain",
        """
        ALTER TABLE events ADD COLUMN place_folded TEXT;
        ALTER TABLE events ADD COLUMN who_folded TEXT;
        UPDATE events SET place_folded = wt_fold(coalesce(place, '')),
            who_folded = wt_fold(coalesce(actors || ' ' || recipients, ''));
        CREATE INDEX events_folded ON events(date_start, place_folded, who_folded, type);
        ALTER TABLE articles ADD COLUMN outlet_domain TEXT;
        UPDATE articles SET outlet_domain = json_extract(record, '$.outlet.domain');
        CREATE INDEX articles_outlet_domain ON articles(outlet, outlet_domain, ingested_at);
        """,
    ),
    (
        # The events of one type newest first with their folded place and actors: a type +
        # place page tests the index alone, stopping at its page (PostgreSQL: pg_0005).
        "0007_events_type_folded",
        """
        CREATE INDEX events_type_folded ON events(type, date_start, place_folded, who_folded);
        """,
    ),
    (
        # A new article's stored earlier version is found by its URL (or, without one, by its
        # file): without these indexes every new article read the whole articles table (a
        # million rows: a second of a core for each article an ingest stored).
        "0008_articles_identity",
        """
        CREATE INDEX articles_url ON articles(url);
        CREATE INDEX articles_source_path ON articles(source_path) WHERE url IS NULL;
        """,
    ),
]


def applied(conn: sqlite3.Connection) -> list[str]:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    return [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]


def migrate(conn: sqlite3.Connection, migrations: list[Migration]) -> list[str]:
    """Apply the migrations not yet recorded, in order; returns the names applied now."""
    # The SQL function migration 0006 folds stored event places and actors with.
    conn.create_function("wt_fold", 1, lambda s: fold(s or ""), deterministic=True)
    done = set(applied(conn))
    now: list[str] = []
    for name, sql in migrations:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process opening the same new file may have applied it meanwhile.
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                conn.execute("COMMIT")
                continue
            for stmt in _statements(sql):
                conn.execute(stmt)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # keep the error that ended it, not "no transaction"
                conn.execute("ROLLBACK")
            raise
        now.append(name)
    return now


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
