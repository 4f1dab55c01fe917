"""Search across languages: a query naming a known entity matches all its names, grouped by story.

"Karabakh" typed by an English reader should find "Haut-Karabakh", "Bergkarabach", "Карабах"
and "Karabaj" too. When the whole query is a name the store knows (a registry actor or outlet,
or an alias stored for an entity of some article), the full-text query becomes the OR of every
alias of that entity, and articles linked to the entity by the entity stage match even where the
text inflects the name differently. Other queries search the text as typed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

from ..store.conn import has_table
from ..store.sqlite import SQLiteStore, _fts_query
from ..store.textquery import QuerySyntaxError, parse, to_tsquery_text
from ..textutil import fold
from . import queries
from .queries import HIT_CLOSE, HIT_OPEN, BadRequest, Filters, _article_where, _rows

SORTS = ("relevance", "newest", "oldest")
_SNIPPET = f"snippet(articles_fts, 2, '{HIT_OPEN}', '{HIT_CLOSE}', '…', 24)"
_COLS = "a.id, a.title, a.language, a.published, a.published_utc, a.outlet, a.url"
# Volume charts and story groups read at most this many matches.
CAP = 2000


def known_entity(store: SQLiteStore, q: str) -> tuple[list[str], list[str]]:
    """(canonical ids, aliases) if the whole query names a known entity, else two empty lists."""
    canon = queries.canonical_ids(store, q)
    if not canon:
        return [], []
    aliases = set(queries.entity_names(store, canon))
    aliases.add(q)
    return canon, sorted(aliases, key=fold)


def alias_match(aliases: list[str]) -> str:
    """An FTS5 expression matching any of the aliases (each as its words, all required)."""
    phrases = []
    for alias in aliases:
        try:
            expr = _fts_query(alias.replace('"', " "))
        except QuerySyntaxError:  # a stored name that is no searchable text ("AND", "?")
            continue
        if expr.strip('"() '):
            phrases.append(f"({expr})")
    return " OR ".join(dict.fromkeys(phrases)) or '""'


def _tsquery(match: str) -> str:
    """PostgreSQL tsquery text of an FTS5 expression we built (aliases are not cost-limited)."""
    return to_tsquery_text(parse(match, limits=False))


def search(store: SQLiteStore, f: Filters, sort: str = "relevance") -> dict[str, Any]:
    """Ranked (or dated) hits with snippets, grouped by story, with volume by day."""
    if sort not in SORTS:
        raise BadRequest(f"sort: one of {', '.join(SORTS)}, got {sort!r}")
    base = {"filters": {**f.to_json(), "sort": sort}, "total": 0, "total_exact": True,
            "hits": [], "groups": [], "volume": [], "entity": None}  # fmt: skip
    if not f.q:
        return base
    canon, aliases = known_entity(store, f.q)
    match = alias_match(aliases) if canon else _fts_query(f.q)
    where, args = _article_where(store, replace(f, q=None))
    cond = "a.id IN (SELECT article_id FROM articles_fts WHERE articles_fts MATCH ?)"
    cargs: list[Any] = [match]
    if not canon and sort == "relevance":
        # Plain words ranked by FTS5: the text search as it always was, plus stories and volume.
        out = queries.search(store, f)
        full = (where + " AND " if where else "WHERE ") + cond
        volume = out.pop("volume", None)  # PostgreSQL's search gives the volume of its pool
        try:
            volume = _volume(store.conn, full, [*args, *cargs]) if volume is None else volume
        except sqlite3.OperationalError:
            volume = []
        _attach_stories(store.conn, out["hits"])
        return {**base, **out, "filters": base["filters"], "groups": _groups(out["hits"]),
                "volume": volume}  # fmt: skip
    if canon and sort != "oldest" and getattr(store, "pg", None) is not None:
        from . import pg_search

        out = pg_search.search(store, _tsquery(match), where, args, f.limit, f.offset,
                               queries._PG_SNIPPET, canon, sort, f.language)  # fmt: skip
        _attach_stories(store.conn, out["hits"])
        return {**base, **out, "groups": _groups(out["hits"]),
                "entity": {"ids": canon, "aliases": aliases}}  # fmt: skip
    if canon:
        marks = ",".join("?" * len(canon))
        cond = (
            f"({cond} OR a.id IN (SELECT article_id FROM entities WHERE canonical_id IN ({marks})))"
        )
        cargs += canon
    full = (where + " AND " if where else "WHERE ") + cond
    fargs = [*args, *cargs]
    conn = store.conn
    try:
        total = conn.execute(f"SELECT count(*) FROM articles a {full}", fargs).fetchone()[0]
        pg = getattr(store, "pg", None) is not None
        if sort == "relevance":
            rank = (
                "(SELECT rank FROM articles_fts WHERE articles_fts MATCH ? "
                "AND articles_fts.article_id = a.id)"
            )
            if pg:  # PostgreSQL ranks through its tsvector column
                rank = ("(SELECT -ts_rank(tsv, to_tsquery('wt_simple', ?)) FROM articles_fts "
                        "WHERE articles_fts.article_id = a.id)")  # fmt: skip
            order, oargs = (
                f"coalesce({rank}, 0) ASC, a.published DESC",
                [_tsquery(match) if pg else match],
            )
        else:
            order = "coalesce(a.published_utc, a.published) " + (
                "DESC" if sort == "newest" else "ASC"
            )
            oargs = []
        hits = _rows(conn.execute(
            f"SELECT {_COLS} FROM articles a {full} ORDER BY {order}, a.id LIMIT ? OFFSET ?",
            [*fargs, *oargs, f.limit, f.offset],
        ))  # fmt: skip
        for h in hits:
            snip_sql, snip_args = (
                (f"SELECT {queries._PG_SNIPPET} FROM articles_fts f CROSS JOIN "
                 "to_tsquery('wt_simple', ?) q WHERE f.article_id = ?", (_tsquery(match), h["id"]))
                if pg else
                (f"SELECT {_SNIPPET} FROM articles_fts WHERE articles_fts MATCH ? "
                 "AND article_id = ?", (match, h["id"]))
            )  # fmt: skip
            row = conn.execute(snip_sql, snip_args).fetchone()
            h["snippet"] = row[0] if row else ""
        volume = _volume(conn, full, fargs)
    except sqlite3.OperationalError as exc:
        # The engine's own message names its internals: never shown (see queries.search).
        raise queries.SearchFailed("q: this search could not be run") from exc
    _attach_stories(conn, hits)
    return {**base, "total": total, "hits": hits, "groups": _groups(hits), "volume": volume,
            "entity": {"ids": canon, "aliases": aliases} if canon else None,
            "facets": _facets(conn, full, fargs)}  # fmt: skip


def _volume(conn: sqlite3.Connection, full: str, args: list[Any]) -> list[dict[str, Any]]:
    """Matching articles per publication day (the attention curve)."""
    rows = conn.execute(
        f"SELECT substr(coalesce(a.published_utc, a.published), 1, 10) AS day, count(*) "
        f"FROM (SELECT * FROM articles a {full} LIMIT {CAP}) a "
        "WHERE a.published IS NOT NULL GROUP BY day ORDER BY day",
        args,
    ).fetchall()
    return [{"date": d, "articles": n} for d, n in rows]


def _facets(conn: sqlite3.Connection, full: str, args: list[Any]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name, col in (("language", "a.language"), ("outlet", "a.outlet")):
        out[name] = dict(conn.execute(
            f"SELECT {col}, count(*) FROM (SELECT * FROM articles a {full} LIMIT {CAP}) a "
            f"WHERE {col} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 30",
            args,
        ).fetchall())  # fmt: skip
    return out


def _attach_stories(conn: sqlite3.Connection, hits: list[dict[str, Any]]) -> None:
    if not hits or not has_table(conn, "story_articles"):
        return
    marks = ",".join("?" * len(hits))
    found = {r[0]: r[1:] for r in conn.execute(
        "SELECT sa.article_id, s.id, (SELECT title FROM articles WHERE id = s.first_article), "
        "s.size FROM story_articles sa JOIN stories s ON s.id = sa.story_id "
        f"WHERE sa.article_id IN ({marks})", [h["id"] for h in hits])}  # fmt: skip
    for h in hits:
        if h["id"] in found:
            sid, headline, size = found[h["id"]]
            h["story"] = {"id": sid, "headline": headline, "size": size}


def _groups(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Hits by story, in the order each story's first hit ranks; unclustered hits alone."""
    groups: dict[str, dict[str, Any]] = {}
    for h in hits:
        story = h.get("story")
        key = story["id"] if story else "article:" + h["id"]
        group = groups.setdefault(key, {"story": story, "hits": []})
        group["hits"].append(h["id"])
    return list(groups.values())
