"""Full-text search on PostgreSQL at a cost bounded whatever the corpus size and the words.

A GIN index finds the articles holding the words but neither ranks nor orders them, and two
common words can match a sixth of a million-article corpus: ranking, counting or faceting every
match would read every matching row (seconds). So a search reads a bounded *pool* of matches,
in steps of bounded cost:

1. the newest ``WALK`` articles (the publication-date index) are checked against the query,
   newest first, each on its own full-text row; if ``POOL`` of them match, the pool is the
   newest ``POOL`` matches (newest first, then by id), exactly;
2. otherwise the words are rarer: the GIN index gives up to ``SCAN`` matches (for a query with
   fewer matches than that, all of them; with more, the first found, language part by language
   part: ``pg_stemming.BY_LANGUAGE``), joined to what step 1 found.

When none of the newest ``PROBE`` articles matches, step 2 runs first, and step 1 only if the
index holds ``SCAN`` matches or more: two common words of different languages then cost a probe
of 200 rows and one index lookup per language part, not a walk of 2,000 rows.

The hits are the best-ranked (``ts_rank``) of the pool, newest first among equals; the facets
and the volume curve count the pool. When the pool may not hold every match, the total is "at
least" (``total_exact`` false) and the facets say ``sampled``. Only the page's own hits get a
snippet (``ts_headline`` reads the body). A query naming a known entity also matches the
articles linked to it (``canon``), as on SQLite.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from ..store.pg_stemming import match_sql, query_args, rank_sql
from ..store.pg_stemming import parts as pg_parts
from ..store.sqlite import SQLiteStore

POOL = 200  # matches a search ranks, counts and facets
PROBE = 200  # newest articles checked for any match before the walk (none: the index first)
WALK = 2000  # newest articles step 1 checks
SCAN = 1000  # matches step 2 takes from the index at most
_COLS = "a.id, a.title, a.language, a.published, a.outlet, a.url"
_NEWEST = "a.published DESC NULLS LAST, a.id"  # the articles_published_desc index's order
_POOL_COLS = (
    "a.id, a.language, a.outlet, substr(coalesce(a.published_utc, a.published), 1, 10), a.published"
)


def search(store: SQLiteStore, tsq: str, where: str, args: list[Any], limit: int, offset: int,
           snippet: str, canon: list[str] | None = None, sort: str = "relevance",
           language: str | None = None) -> dict[str, Any]:  # fmt: skip
    """Hits (``snippet``: SQL over ``f.body`` and the tsquery ``q``), total, facets, volume.

    With a ``language``, words also match their stems in it (``store/pg_stemming.py``); the
    snippet marks the words as written.
    """
    conn = store.conn
    match, rank = match_sql(language)[0], rank_sql(language)
    qargs = query_args(tsq, language)
    pool = max(POOL, offset + limit)
    marks = ",".join("?" * len(canon or []))
    linked = (f"EXISTS (SELECT 1 FROM entities e WHERE e.article_id = a.id AND e.canonical_id "
              f"IN ({marks}))") if canon else ""  # fmt: skip
    test = match + (f" OR {linked}" if canon else "")
    targs = [*qargs, *(canon or [])]
    and_where = (where + " AND") if where else "WHERE"

    def newest(n: int) -> str:
        # Each of the newest articles is tested on its own full-text row (a lateral lookup by
        # key: the planner may not trade it for the GIN index and read every match).
        return (
            f"FROM (SELECT a.id, a.language, a.outlet, a.published, a.published_utc FROM "
            f"articles a {where} ORDER BY {_NEWEST} LIMIT {n}) a CROSS JOIN LATERAL (SELECT "
            f"f.tsv, f.stv FROM articles_fts f WHERE f.article_id = a.id AND ({test}) OFFSET 0) f"
        )

    def indexed() -> tuple[list[Any], bool]:
        return _from_index(store, match, qargs, canon, rank, and_where, args, pool)

    found: tuple[list[Any], bool] | None = None
    probe = conn.execute(f"SELECT 1 {newest(PROBE)} LIMIT 1", [*args, *targs]).fetchone()
    if probe is None:  # rare words: the index first, and no walk if it holds every match
        found = indexed()
    complete = found is not None and found[1]  # whether the index gave every match
    rows: list[Any] = []
    if not complete:  # the newest matches, newest first, up to the pool's size; those ranked
        rows = conn.execute(
            f"SELECT {_POOL_COLS}, {rank} {newest(WALK)} ORDER BY {_NEWEST} LIMIT {pool}",
            [*qargs, *args, *targs],
        ).fetchall()
    if complete or len(rows) < pool:
        more, complete = found or indexed()
        # The walk's matches and the newest of the index's: the newest of both together, as
        # if the index's had been taken without the walk's (those are the same rows).
        seen = {r[0] for r in rows}
        rows += [r for r in more if r[0] not in seen]
    rows.sort(key=lambda r: r[4] or "", reverse=True)  # newest first, undated last
    if not complete:
        rows = rows[:pool]
    ranked = sorted(rows, key=lambda r: -float(r[5])) if sort == "relevance" else rows
    page = ranked[offset : offset + limit]  # (a stable sort: newest first among equals)
    hits = _hits(store, page, tsq, snippet)
    if canon:  # as SQLite's entity search gives them (search_queries)
        utc = dict(conn.execute("SELECT id, published_utc FROM articles WHERE id = ANY(?)",
                                [[h["id"] for h in hits]]).fetchall())  # fmt: skip
        hits = [{**{k: v for k, v in h.items() if k not in ("outlet", "url", "snippet", "score")},
                 "published_utc": utc.get(h["id"]), "outlet": h["outlet"], "url": h["url"],
                 "snippet": h["snippet"], "score": h["score"]} for h in hits]  # fmt: skip
    return {"total": len(rows), "total_exact": complete, "hits": hits,
            **_summary(rows, not complete, pool)}  # fmt: skip


def _from_index(store: SQLiteStore, match: str, qargs: list[Any], canon: list[str] | None,
                rank: str, and_where: str, args: list[Any], pool: int,
                ) -> tuple[list[Any], bool]:  # fmt: skip
    """Up to ``SCAN`` matches from the GIN index (and the entity's linked articles), and
    whether those are every match: the pool rows (ranked) of the newest ``pool`` of them that
    the filters keep, all of them if they are every match. One statement: the ids stay on
    the server (sending a thousand back and forth cost the client as much as the server)."""
    conn = store.conn
    scan, sargs = _index_scan(store, match, qargs)
    linked, largs = "SELECT NULL::text AS article_id WHERE false", []
    if canon:
        marks = ",".join("?" * len(canon))
        linked = f"SELECT article_id FROM entities WHERE canonical_id IN ({marks}) LIMIT {SCAN}"
        largs = list(canon)
    ids = "ARRAY(SELECT article_id FROM m" + (
        " UNION ALL SELECT article_id FROM l)" if canon else ")"
    )
    sql = (
        f"WITH m AS MATERIALIZED ({scan}), l AS MATERIALIZED ({linked}), "
        f"n AS (SELECT (SELECT count(*) FROM m) AS m, (SELECT count(*) FROM l) AS l) "
        f"SELECT n.m, n.l, p.* FROM n LEFT JOIN (SELECT {_POOL_COLS}, {rank} FROM (SELECT a.id, "
        f"a.language, a.outlet, a.published, a.published_utc FROM articles a {and_where} a.id "
        f"= ANY({ids}) ORDER BY {_NEWEST} "
        f"LIMIT (SELECT CASE WHEN n.m < {SCAN} AND n.l < {SCAN} THEN NULL ELSE {pool} END "
        f"FROM n)) a JOIN articles_fts f ON f.article_id = a.id) p ON true"
    )
    # The index, never a scan of the table hoping for early matches; and one plan kept for
    # the connection (its shape does not depend on the words): PostgreSQL planned this
    # statement anew for every search, which cost as much as running it. Set for this statement
    # only, in a transaction the connection's own calls begin and end.
    keep = {"enable_seqscan": "off", "plan_cache_mode": "force_generic_plan"}
    with cast(Any, store).pg.settings(**keep):
        got = conn.execute(sql, [*sargs, *largs, *qargs, *args]).fetchall()
    complete = bool(got) and got[0][0] < SCAN and got[0][1] < SCAN
    return [r[2:] for r in got if r[2] is not None], complete


def _index_scan(store: SQLiteStore, match: str, qargs: list[Any]) -> tuple[str, list[Any]]:
    """SQL and parameters: up to ``SCAN`` matches from the GIN index, language part by part
    (``pg_stemming.BY_LANGUAGE``), unless stems match too (their own index, one query)."""
    if len(qargs) > 1:
        return f"SELECT article_id FROM articles_fts f WHERE {match} LIMIT {SCAN}", qargs
    raw = cast(Any, store).pg.raw
    parts: list[str] | None = getattr(raw, "_wt_parts", None)  # asked once a connection
    if parts is None:
        parts = raw._wt_parts = pg_parts(store.conn)
    each = " UNION ALL ".join(
        f"(SELECT f.article_id FROM articles_fts f WHERE {part} AND {match} LIMIT {SCAN})"
        for part in parts
    )
    return f"SELECT article_id FROM ({each}) g LIMIT {SCAN}", qargs * len(parts)


def _hits(store: SQLiteStore, page: list[Any], tsq: str, snippet: str) -> list[dict[str, Any]]:
    if not page:
        return []
    marks = ",".join("?" * len(page))
    found = store.conn.execute(
        f"SELECT {_COLS}, {snippet} FROM articles a LEFT JOIN articles_fts f ON f.article_id = "
        f"a.id CROSS JOIN to_tsquery('wt_simple', ?) q WHERE a.id IN ({marks})",
        [tsq, *(r[0] for r in page)],
    ).fetchall()
    by_id = {r[0]: r for r in found}
    return [
        {"id": row[0], "title": row[1], "language": row[2], "published": row[3],
         "outlet": row[4], "url": row[5], "snippet": row[6] or "", "score": round(float(r[5]), 4)}
        for r in page if (row := by_id.get(r[0])) is not None
    ]  # fmt: skip


def _summary(rows: list[Any], full: bool, pool: int) -> dict[str, Any]:
    facets: dict[str, Any] = {
        "language": _top(Counter(r[1] or "?" for r in rows)),
        "outlet": _top(Counter(r[2] or "?" for r in rows)),
    }
    if full:
        facets["sampled"] = pool
    days = Counter(r[3] for r in rows if r[3])
    return {"facets": facets,
            "volume": [{"date": d, "articles": n} for d, n in sorted(days.items())]}  # fmt: skip


def _top(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:30])
