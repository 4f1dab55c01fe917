"""Grow a PostgreSQL bench store to a million articles without a million upserts.

``bench_web.build`` writes a seed of generated articles through the store's own upsert (the
real write path, every table filled as ingest fills it). This module then copies that seed
server-side, ``INSERT ... SELECT`` per table, as often as needed: copy ``k`` of seed article
``bench{i}`` is ``bench{i + k * seed}`` (so every id below N exists and story ids stay
``st`` + their first article's id), its dates move to year ``2022 - k``, its outlet rotates among
the 40 outlets and its URL follows its id. The full-text column is computed by PostgreSQL for
every copy (``tsvector`` over ``simple`` + ``unaccent``) exactly as for an upserted article; the
GIN index is dropped during the copy and rebuilt once at the end, as a bulk load does.
"""

from __future__ import annotations

import time
from typing import Any

import psycopg

_ID = "'bench' || lpad((substr({col}, 6)::bigint + %(off)s)::text, 8, '0')"
_YEAR = "CASE WHEN {col} ~ '^\\d{{4}}' THEN (2022 - %(k)s)::text || substr({col}, 5) END"
_OUTLET = "'Outlet ' || lpad(((substr({col}, 8)::int + 13 * %(k)s) %% 40)::text, 2, '0')"


def _id(col: str) -> str:
    return _ID.format(col=col)


def _year(col: str) -> str:
    return _YEAR.format(col=col)


def _record() -> str:
    """The article record (JSON text) with its id, URL, dates and outlet of the copy."""
    return (
        "jsonb_set(jsonb_set(jsonb_set(jsonb_set(record::jsonb, '{id}', to_jsonb(" + _id("id")
        + ")), '{url}', to_jsonb('https://example.org/' || (substr(id, 6)::bigint + %(off)s))), "
        "'{published}', to_jsonb(" + _year("published") + ")), '{outlet,name}', to_jsonb("
        + _OUTLET.format(col="outlet") + "))::text"
    )  # fmt: skip


def _statements() -> list[str]:
    """One INSERT ... SELECT per table, parametrised by copy number ``k`` and id offset ``off``."""
    seed = "substr({c}, 6)::bigint < %(seed)s"
    return [
        "INSERT INTO articles (id, url, source_path, title, language, published, published_utc, "
        "outlet, stages, record, ingested_at) SELECT " + _id("id") + ", 'https://example.org/' "
        "|| (substr(id, 6)::bigint + %(off)s), source_path, title, language, " + _year("published")
        + ", " + _year("published_utc") + ", " + _OUTLET.format(col="outlet") + ", stages, "
        + _record() + ", ingested_at FROM articles WHERE " + seed.format(c="id"),
        "INSERT INTO articles_fts (article_id, title, body) SELECT " + _id("article_id")
        + ", title, body FROM articles_fts WHERE " + seed.format(c="article_id"),
        "INSERT INTO entities SELECT " + _id("article_id") + ", entity_id, canonical_id, name, "
        "folded, type, country, mentions FROM entities WHERE " + seed.format(c="article_id"),
        "INSERT INTO quotes SELECT " + _id("article_id") + ", idx, kind, source_type, declined, "
        "speaker, speaker_entity, content, start, \"end\" FROM quotes WHERE "
        + seed.format(c="article_id"),
        "INSERT INTO events SELECT " + _id("article_id") + ", idx, type, mode, aux, actors, "
        "recipients, place, " + _year("date_value") + ", " + _year("date_start") + ", "
        + _year("date_end") + ", evidence_start, evidence_end, record FROM events WHERE "
        + seed.format(c="article_id"),
        "INSERT INTO tags SELECT " + _id("article_id") + ", tag FROM tags WHERE "
        + seed.format(c="article_id"),
        "INSERT INTO stories SELECT 'st' || " + _id("substr(id, 3)") + ", " + _id("first_article")
        + ", " + _year("first_published") + ", size FROM stories WHERE "
        + seed.format(c="first_article"),
        "INSERT INTO story_articles SELECT " + _id("article_id") + ", 'st' || "
        + _id("substr(story_id, 3)") + ", seq + %(off)s, score, profile, vectors "
        "FROM story_articles WHERE " + seed.format(c="article_id"),
        "INSERT INTO provenance_edges SELECT 'st' || " + _id("substr(story_id, 3)") + ", "
        + _id("src") + ", " + _id("dst") + ", relation, confidence, evidence "
        "FROM provenance_edges WHERE " + seed.format(c="dst"),
    ]  # fmt: skip


def replicate(url: str, seed: int, n: int) -> None:
    """Copy the seed articles ``bench0 .. bench{seed-1}`` until the store holds ``n`` of them."""
    with psycopg.connect(url, autocommit=True) as conn:
        have = conn.execute("SELECT count(*) FROM articles").fetchone()
        assert have is not None
        if have[0] >= n:
            return
        conn.execute("SET maintenance_work_mem = '1GB'")
        # Rebuilt as it was defined (its storage options, fastupdate off, included).
        found = conn.execute("SELECT pg_get_indexdef(to_regclass('articles_fts_tsv'))").fetchone()
        plain = "CREATE INDEX articles_fts_tsv ON articles_fts USING gin (tsv)"
        define = (found and found[0]) or plain
        conn.execute("DROP INDEX IF EXISTS articles_fts_tsv")
        t0 = time.perf_counter()
        first = -(-have[0] // seed)  # copies already made (a rerun continues)
        for k in range(first, -(-n // seed)):
            params: dict[str, Any] = {"k": k, "off": k * seed, "seed": seed}
            with conn.transaction():
                for sql in _statements():
                    conn.execute(sql, params)
            print(f"\rcopy {k}: {(k + 1) * seed} articles, {time.perf_counter() - t0:.0f}s",
                  end="", flush=True)  # fmt: skip
        print("\nrebuilding the full-text index", flush=True)
        conn.execute(define)
        conn.execute("VACUUM ANALYZE")
        print(f"done in {time.perf_counter() - t0:.0f}s", flush=True)
