"""The PostgreSQL store's migrations: SQLite's, under the same names and translated, plus what
PostgreSQL does its own way (full-text columns and indexes, folded keys, walks, the front page's
tally), applied in order, each in its own transaction, one process at a time.
"""

from __future__ import annotations

import builtins
from datetime import UTC, datetime
from typing import Any

import psycopg

from .dialect import TS_CONFIG, pg_ddl
from .migrations import CORE, Migration
from .pg_stemming import BY_LANGUAGE, STEMMING
from .sqlite import _extra_migrations

FULLTEXT: Migration = (
    "pg_0001_fulltext",
    f"""
    CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
    CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = pg_catalog.simple);
    ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG}
        ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, simple;
    CREATE TABLE articles_fts (
        article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        title TEXT,
        body TEXT,
        tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{TS_CONFIG}', coalesce(title, '')), 'A')
            || to_tsvector('{TS_CONFIG}', coalesce(body, ''))
        ) STORED
    );
    CREATE INDEX articles_fts_tsv ON articles_fts USING gin (tsv);
    CREATE FUNCTION wt_fold(text) RETURNS text LANGUAGE sql IMMUTABLE
        AS $$ SELECT lower(public.unaccent($1)) $$;
    """,
)
# wt_fold as Python's textutil.fold: apostrophes unified, NFKD, combining marks dropped (the
# blocks that hold them for the scripts we read), lower case by the database's own rules (not
# the columns' byte collation, which lowercases ASCII only), ß as ss, spaces collapsed. Events
# are filtered by substring on folded actors and places: trigram indexes on those expressions
# serve the LIKE searches.
FOLD: Migration = (
    "pg_0002_fold",
    r"""
    CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    CREATE OR REPLACE FUNCTION wt_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT replace(btrim(regexp_replace(lower(regexp_replace(normalize(
            translate($1, '’ʼ‘`´', ''''''''''''), NFKD),
            '[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u064b-\u065f\u1ab0-\u1aff\u1dc0-\u1dff'
            '\u20d0-\u20ff\ufe20-\ufe2f]', '', 'g') COLLATE "default"), '\s+', ' ', 'g')),
            'ß', 'ss') $$;
    CREATE INDEX events_place_fold ON events
        USING gin (wt_fold(coalesce(place, '')) public.gin_trgm_ops);
    CREATE INDEX events_who_fold ON events
        USING gin (wt_fold(coalesce(actors || ' ' || recipients, '')) public.gin_trgm_ops);
    """,
)
# Newest first, as pages and searches order articles (SQLite's NULL order: undated last).
ORDER: Migration = (
    "pg_0003_published_desc",
    "CREATE INDEX articles_published_desc ON articles (published DESC NULLS LAST, id NULLS FIRST);",
)
# Skip scans over entities: the distinct canonical ids of a name, the distinct names of an id
# (a place named in a sixth of a million articles has that many entity rows, and few names);
# and the events table newest first, as the events page reads it.
NAMES: Migration = (
    "pg_0004_entity_names_event_dates",
    "CREATE INDEX entities_folded_canonical ON entities (folded, canonical_id);"
    "CREATE INDEX entities_canonical_name ON entities (canonical_id, name);"
    "CREATE INDEX events_date_desc ON events (date_start DESC NULLS LAST);",
)
# Migration 0006 for PostgreSQL, after pg_0002_fold (wt_fold as Python's fold): the folded
# columns get trigram indexes (the expression ones are dropped), the type a newest-first index.
FOLDED: Migration = (
    "0006_events_folded_outlet_domain",
    """
    ALTER TABLE events ADD COLUMN place_folded TEXT COLLATE "C",
        ADD COLUMN who_folded TEXT COLLATE "C";
    UPDATE events SET place_folded = wt_fold(coalesce(place, '')),
        who_folded = wt_fold(coalesce(actors || ' ' || recipients, ''));
    DROP INDEX IF EXISTS events_place_fold;
    DROP INDEX IF EXISTS events_who_fold;
    CREATE INDEX events_place_folded ON events USING gin (place_folded public.gin_trgm_ops);
    CREATE INDEX events_who_folded ON events USING gin (who_folded public.gin_trgm_ops);
    CREATE INDEX events_type_date ON events (type, date_start DESC NULLS LAST);
    ALTER TABLE articles ADD COLUMN outlet_domain TEXT COLLATE "C";
    UPDATE articles SET outlet_domain = record::jsonb -> 'outlet' ->> 'domain';
    CREATE INDEX articles_outlet_domain ON articles (outlet, outlet_domain, ingested_at);
    """,
)
# The events page's newest-first walk (web/pg_events.py) read from the index alone: the columns
# its filters test are carried in the index, so no event row (with its JSON record) is read
# (events_type_date, from 0006, is replaced).
WALK: Migration = (
    "pg_0005_events_walk",
    """
    DROP INDEX IF EXISTS events_type_date;
    CREATE INDEX events_walk_type ON events (type, date_start DESC NULLS LAST)
        INCLUDE (article_id, idx, date_end, place_folded, who_folded);
    CREATE INDEX events_walk ON events (date_start DESC NULLS LAST)
        INCLUDE (type, article_id, idx, date_end, place_folded, who_folded);
    """,
)
# GIN indexes written straight into their trees, never through a pending list: a pending list
# (up to 4 MB an index, ~2,000 articles' rows) is read whole by every search of that index, and
# a search reads the full-text index language part by part (pg_0006). While an ingest wrote at
# 130 articles/s, a two-word search cost 1.9 ms of backend CPU quiet, 4-8 ms with the lists
# filled; without them 1.8 ms, and the ingest wrote as fast (100k bench store).
DIRECT: Migration = (
    "pg_0007_gin_without_pending_lists",
    """
    DO $do$
    DECLARE r record;
    BEGIN
        FOR r IN SELECT c.oid::regclass AS idx FROM pg_class c JOIN pg_am am ON am.oid = c.relam
                 WHERE c.relkind = 'i' AND am.amname = 'gin'
                 AND c.relnamespace = current_schema()::regnamespace LOOP
            EXECUTE format('ALTER INDEX %s SET (fastupdate = off)', r.idx);
            PERFORM gin_clean_pending_list(r.idx);
        END LOOP;
    END $do$;
    """,
)
# The columns a search's pool holds of each article (web/pg_search.py), found by id from an
# index alone: the index step takes up to 1,000 matches from the full-text index and keeps the
# newest 200, whose dates were read from 1,000 article rows (each with its JSON record). At 1M,
# a place and a word cost 22.2 ms of backend CPU a search with the rows, 18.4 ms without
# (bench_pg_search, index-only scans off in the baseline); the results are the same.
POOL: Migration = (
    "pg_0008_articles_pool",
    """
    CREATE INDEX articles_pool ON articles (id)
        INCLUDE (published, published_utc, language, outlet);
    """,
)
# The front page's article counts by language and by outlet, kept as articles are written
# instead of counted over the whole corpus at each request (2 x ~115 ms of a backend, plus its
# parallel workers, at 1M; the page's cache is renewed at every write while an ingest runs).
# A write never updates a shared count row: the triggers append +1/-1 rows to a log, in the
# writer's transaction (a delete, a re-ingest's delete and insert, a changed language or outlet
# alike), so concurrent writers neither wait for each other nor deadlock. Every 512th log row
# folds the log into ``article_tally`` under an advisory lock (skipped, for the next one, if
# another transaction holds it); a count is the tally plus the log, in one snapshot.
TALLY: Migration = (
    "pg_0009_article_tally",
    """
    CREATE TABLE article_tally (kind TEXT COLLATE "C" NOT NULL, key TEXT COLLATE "C" NOT NULL,
        n BIGINT NOT NULL, PRIMARY KEY (kind, key));
    CREATE TABLE article_tally_log (id BIGINT GENERATED ALWAYS AS IDENTITY,
        kind TEXT COLLATE "C" NOT NULL, key TEXT COLLATE "C" NOT NULL, n INTEGER NOT NULL);
    CREATE FUNCTION wt_tally_fold() RETURNS void LANGUAGE sql AS $$
        WITH d AS (DELETE FROM article_tally_log RETURNING kind, key, n),
        s AS (SELECT kind, key, sum(n) AS n FROM d GROUP BY 1, 2)
        INSERT INTO article_tally (kind, key, n) SELECT kind, key, n FROM s ORDER BY 1, 2
        ON CONFLICT (kind, key) DO UPDATE SET n = article_tally.n + EXCLUDED.n;
        DELETE FROM article_tally WHERE n = 0;
    $$;
    CREATE FUNCTION wt_tally() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE last BIGINT;
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            INSERT INTO article_tally_log (kind, key, n) VALUES
                ('language', coalesce(OLD.language, '?'), -1),
                ('outlet', coalesce(OLD.outlet, '?'), -1);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            WITH i AS (INSERT INTO article_tally_log (kind, key, n) VALUES
                ('language', coalesce(NEW.language, '?'), 1),
                ('outlet', coalesce(NEW.outlet, '?'), 1) RETURNING id)
            SELECT max(id) INTO last FROM i;
            IF last % 512 < 2 AND pg_try_advisory_xact_lock(2004051820) THEN
                PERFORM wt_tally_fold();
            END IF;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER articles_tally_insert AFTER INSERT OR DELETE ON articles
        FOR EACH ROW EXECUTE FUNCTION wt_tally();
    CREATE TRIGGER articles_tally_update AFTER UPDATE OF language, outlet ON articles
        FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language
                           OR OLD.outlet IS DISTINCT FROM NEW.outlet)
        EXECUTE FUNCTION wt_tally();
    CREATE FUNCTION wt_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM article_tally_log;
        DELETE FROM article_tally;
        RETURN NULL;
    END $$;
    CREATE TRIGGER articles_tally_truncate AFTER TRUNCATE ON articles
        FOR EACH STATEMENT EXECUTE FUNCTION wt_tally_truncate();
    INSERT INTO article_tally (kind, key, n)
        SELECT 'language', coalesce(language, '?'), count(*) FROM articles GROUP BY 2;
    INSERT INTO article_tally (kind, key, n)
        SELECT 'outlet', coalesce(outlet, '?'), count(*) FROM articles GROUP BY 2;
    """,
)


def optional_extension(name: str) -> str:
    """SQL creating extension ``name`` in ``public`` if the server has it and the role may;
    otherwise a notice, and the migration goes on (what needs it checks that it is there)."""
    return f"""
    DO $do$
    BEGIN
        CREATE EXTENSION IF NOT EXISTS {name} SCHEMA public;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'extension {name} not created: %', SQLERRM;
    END $do$;
    """


# pg_prewarm, which a starting server uses to read the search's relations into the page cache
# (store/pg_prewarm.py): a contrib module, so a server may lack it; the store works without.
PREWARM: Migration = ("pg_0010_prewarm", optional_extension("pg_prewarm"))
_SQLITE_ONLY = "0007_events_type_folded"  # (pg_0005_events_walk serves what it does)
_MIGRATE_LOCK = 0x77745F6D  # advisory lock key of migrating


def migrations() -> list[Migration]:
    """Every migration SQLite runs, under the same names, plus the full-text one."""
    core = [(name, pg_ddl(sql)) for name, sql in CORE if name not in (FOLDED[0], _SQLITE_ONLY)]
    extra = [(n, pg_ddl(s)) for n, s in _extra_migrations()]
    return [
        *core[:1],
        FULLTEXT,
        *core[1:],
        *extra,
        FOLD,
        ORDER,
        NAMES,
        STEMMING,
        FOLDED,
        WALK,
        (_SQLITE_ONLY, "SELECT 1;"),
        BY_LANGUAGE,
        DIRECT,
        POOL,
        TALLY,
        PREWARM,
    ]


def migrate(conn: psycopg.Connection[Any]) -> builtins.list[str]:
    """Apply the migrations not yet recorded, each in a transaction, one process at a time."""
    done_now: builtins.list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
        conn.execute(
            'CREATE TABLE IF NOT EXISTS _migrations (name TEXT COLLATE "C" PRIMARY KEY, '
            "applied_at TEXT NOT NULL)"
        )
        done = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
        for name, sql in migrations():
            if name in done:
                continue
            with conn.transaction():
                conn.execute(sql.encode())  # several statements: the simple protocol
                conn.execute(
                    "INSERT INTO _migrations (name, applied_at) VALUES (%s, %s)",
                    (name, datetime.now(UTC).isoformat(timespec="seconds")),
                )
            done_now.append(name)
    return done_now
