"""Read-only named queries behind every page: each returns plain JSON-ready data.

The HTML page and its JSON twin call the same function here (Datasette's pattern), so the two
can never disagree. Everything runs on a read-only store; nothing in this module writes.
Story and entity pages live in :mod:`.story_queries` and :mod:`.entity_queries`.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from ..store import textquery
from ..store.conn import has_table
from ..store.sqlite import SQLiteStore, _fts_query
from ..textutil import fold

MAX_LIMIT = 200
MAX_TEXT = 500
LIKE_SPECIAL = re.compile(r"[\\%_]")  # escaped in a LIKE pattern (PostgreSQL's escape: \)
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
# Private-use characters mark snippet hits: they cannot occur in escaped output, so the page can
# escape the snippet first and turn only these markers into <mark> elements.
HIT_OPEN, HIT_CLOSE = "\ue000", "\ue001"


class BadRequest(ValueError):
    """A query parameter the page cannot use; the message says which and why."""


class SearchFailed(sqlite3.OperationalError):
    """The engine failed on a well-formed search (usually: interrupted past the time limit)."""


def clip(value: str, size: int = 40) -> str:
    """``value`` quoted for a message, cut short: long inputs are never echoed whole."""
    return repr(value if len(value) <= size else value[:size] + "…")


def _valid_date(value: str) -> bool:
    """Whether ``value`` is YYYY, YYYY-MM or YYYY-MM-DD naming a day that exists."""
    if not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat((value + "-01-01")[:10])
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Filters:
    """The filters every listing page accepts, parsed and validated from a query string."""

    q: str | None = None
    language: str | None = None
    outlet: str | None = None
    entity: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    type: str | None = None
    actor: str | None = None
    place: str | None = None
    limit: int = 50
    offset: int = 0

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


def parse_filters(
    params: Mapping[str, str], limit: int = 50, max_limit: int = MAX_LIMIT
) -> Filters:
    """Validate a query string into :class:`Filters`; raises :class:`BadRequest` on bad values."""

    def text(name: str) -> str | None:
        value = (params.get(name) or "").strip()
        if len(value) > MAX_TEXT:
            raise BadRequest(f"{name}: at most {MAX_TEXT} characters")
        return value or None

    def number(name: str, default: int, low: int, high: int) -> int:
        raw = params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except ValueError as exc:
            raise BadRequest(f"{name}: expected a whole number, got {clip(raw)}") from exc
        return max(low, min(high, value))

    def date(name: str) -> str | None:
        value = text(name)
        if value is not None and not _valid_date(value):
            raise BadRequest(f"{name}: expected a real date as YYYY, YYYY-MM or YYYY-MM-DD, "
                             f"got {clip(value)}")  # fmt: skip
        return value

    q = text("q")
    if q is not None:
        try:
            textquery.parse(q)
        except textquery.QuerySyntaxError as exc:
            raise BadRequest(f"q: {exc}") from exc
    return Filters(
        q=q,
        language=text("language"),
        outlet=text("outlet"),
        entity=text("entity"),
        date_from=date("from"),
        date_to=date("to"),
        type=(text("type") or "").upper() or None,
        actor=text("actor"),
        place=text("place"),
        limit=number("limit", limit, 1, max_limit),
        offset=number("offset", 0, 0, 10_000_000),
    )


def _rows(cur: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def entity_key(canonical_id: str | None, name: str) -> str:
    """The URL key of an entity: its cross-article identity, else its folded name."""
    return canonical_id or fold(name)


# -- articles and facets ----------------------------------------------------------------------


def article(store: SQLiteStore, article_id: str) -> dict[str, Any] | None:
    """The article record exactly as the JSON contract defines it (ids may be abbreviated)."""
    record = store.get_json(article_id)
    if record is None and len(article_id) >= 4:
        full = store.resolve_id(article_id)
        record = store.get_json(full) if full else None
    return record


def facets(store: SQLiteStore, f: Filters) -> dict[str, dict[str, int]]:
    """Article counts by language and outlet among the articles the filters select."""
    where, args = _article_where(store, f)
    out: dict[str, dict[str, int]] = {}
    if (
        not where
        and getattr(store, "pg", None) is not None
        and has_table(store.conn, "article_tally")
    ):  # PostgreSQL keeps the whole corpus's counts as articles are written (pg_0009)
        for name in ("language", "outlet"):
            out[name] = dict(store.conn.execute(
                "SELECT key, sum(n)::bigint FROM (SELECT key, n FROM article_tally WHERE kind = ? "
                "UNION ALL SELECT key, n FROM article_tally_log WHERE kind = ?) t GROUP BY 1 "
                "HAVING sum(n) <> 0 ORDER BY 2 DESC, 1 LIMIT 30", [name, name]).fetchall())  # fmt: skip
        return out
    for name, col in (("language", "a.language"), ("outlet", "a.outlet")):
        sql = (
            f"SELECT coalesce({col}, '?'), count(*) FROM articles a {where} "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 30"
        )
        out[name] = dict(store.conn.execute(sql, args).fetchall())
    return out


def _article_where(store: SQLiteStore, f: Filters) -> tuple[str, list[Any]]:
    """SQL conditions on ``articles a`` for every filter (full text included)."""
    conds: list[str] = []
    args: list[Any] = []
    if f.q:
        conds.append("a.id IN (SELECT article_id FROM articles_fts WHERE articles_fts MATCH ?)")
        args.append(_fts_query(f.q))
    more, more_args = store.article_conditions(
        entity=f.entity,
        language=f.language,
        date_from=f.date_from,
        date_to=f.date_to,
    )
    conds += more
    args += more_args
    if f.outlet:
        conds.append(outlet_condition(store, f.outlet, args))
    return ("WHERE " + " AND ".join(conds)) if conds else "", args


def latest_articles(store: SQLiteStore, f: Filters) -> dict[str, Any]:
    """The newest articles the filters select, with language and outlet facets.

    Ordered by the stated publication time so the ``published`` index serves the page without
    sorting the whole table.
    """
    where, args = _article_where(store, f)
    rows = _rows(
        store.conn.execute(
            "SELECT a.id, a.title, a.language, a.published, a.published_utc, a.url, a.outlet "
            f"FROM articles a {where} ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?",
            [*args, f.limit, f.offset],
        )
    )
    return {"filters": f.to_json(), "articles": rows, "facets": facets(store, f)}


_SNIPPET = f"snippet(articles_fts, 2, '{HIT_OPEN}', '{HIT_CLOSE}', '…', 24)"
_HIT_COLS = "a.id, a.title, a.language, a.published, a.outlet, a.url"


def search(store: SQLiteStore, f: Filters) -> dict[str, Any]:
    """Full-text search: ranked hits with snippets, the total, and facets by language/outlet."""
    if not f.q:
        return {"filters": f.to_json(), "total": 0, "total_exact": True, "hits": [],
                "facets": facets(store, f)}  # fmt: skip
    where, args = _article_where(store, replace(f, q=None))
    if getattr(store, "pg", None) is not None:
        from . import pg_search

        tsq = textquery.to_tsquery_text(textquery.parse(f.q))
        found = pg_search.search(store, tsq, where, args, f.limit, f.offset, _PG_SNIPPET,
                                 language=f.language)  # fmt: skip
        return {"filters": f.to_json(), **found}
    match = _fts_query(f.q)
    try:
        if where:
            hits = _rows(store.conn.execute(
                f"SELECT {_HIT_COLS}, {_SNIPPET} AS snippet, articles_fts.rank AS score "
                "FROM articles_fts JOIN articles a ON a.id = articles_fts.article_id "
                f"{where} AND articles_fts MATCH ? ORDER BY score LIMIT ? OFFSET ?",
                [*args, match, f.limit, f.offset],
            ))  # fmt: skip
        else:
            # Text only: let FTS5 rank on its own (its ``ORDER BY rank LIMIT`` path) and fetch
            # just the page's articles, instead of joining every match to its article.
            top = store.conn.execute(
                f"SELECT article_id, {_SNIPPET}, rank FROM articles_fts "
                "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
                (match, f.limit, f.offset),
            ).fetchall()
            hits = []
            for article_id, snip, rank in top:
                row = _rows(store.conn.execute(
                    f"SELECT {_HIT_COLS} FROM articles a WHERE a.id = ?", (article_id,)
                ))  # fmt: skip
                if row:
                    hits.append({**row[0], "snippet": snip, "score": rank})
        total, exact, found = _match_facets(store, match, where, args)
    except sqlite3.OperationalError as exc:
        # Queries reach the engine pre-parsed (store.textquery), so an engine error here is
        # not the user's syntax: an interrupt past the time limit (the caller answers that)
        # or a fault; either way its message names internals and is not shown.
        raise SearchFailed("q: this search could not be run") from exc
    for h in hits:
        h["score"] = round(-float(h["score"]), 4)
    return {"filters": f.to_json(), "total": total, "total_exact": exact, "hits": hits,
            "facets": found}  # fmt: skip


# PostgreSQL's snippet of a hit (pg_search), marked like FTS5's.
_PG_SNIPPET = (
    f"ts_headline('wt_simple', f.body, q, 'StartSel={HIT_OPEN}, StopSel={HIT_CLOSE}, "
    "MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=…')"
)


# Facets of a search count at most this many matches, and a filtered total stops at
# TOTAL_CAP: reading every match of a very common word would cost more than the page.
FACET_CAP = 2000
TOTAL_CAP = 10_000


def _match_facets(store: SQLiteStore, match: str, where: str,
                  args: list[Any]) -> tuple[int, bool, dict[str, Any]]:  # fmt: skip
    """(total, whether it is exact, counts by language and outlet) for a full-text query."""
    conn = store.conn
    sample = f"SELECT article_id FROM articles_fts WHERE articles_fts MATCH ? LIMIT {FACET_CAP}"
    rows = conn.execute(
        f"SELECT coalesce(a.language, '?'), coalesce(a.outlet, '?'), count(*) FROM articles a "
        f"{where + ' AND' if where else 'WHERE'} a.id IN ({sample}) GROUP BY 1, 2",
        [*args, match],
    ).fetchall()
    langs: dict[str, int] = {}
    outlets: dict[str, int] = {}
    for lang, outlet, n in rows:
        langs[lang] = langs.get(lang, 0) + n
        outlets[outlet] = outlets.get(outlet, 0) + n
    matches = conn.execute(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,)
    ).fetchone()[0]
    sampled = matches > FACET_CAP
    exact = True
    if not where:
        total = matches
    elif not sampled:
        total = sum(langs.values())
    else:
        total = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM articles_fts JOIN articles a "
            f"ON a.id = articles_fts.article_id {where} AND articles_fts MATCH ? LIMIT ?) AS capped",
            [*args, match, TOTAL_CAP],
        ).fetchone()[0]
        exact = total < TOTAL_CAP

    def top(counts: dict[str, int]) -> dict[str, int]:
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:30])

    found: dict[str, Any] = {"language": top(langs), "outlet": top(outlets)}
    if sampled:
        found["sampled"] = FACET_CAP
    return total, exact, found


# -- events -----------------------------------------------------------------------------------


def canonical_ids(store: SQLiteStore, value: str) -> list[str]:
    """Canonical ids of the entity ``value`` names that some stored article is linked to."""
    return [
        c for c in store.entity_canonicals(value)
        if store.conn.execute("SELECT 1 FROM entities WHERE canonical_id = ? LIMIT 1",
                              (c,)).fetchone()
    ]  # fmt: skip


def entity_names(store: SQLiteStore, canon: list[str]) -> list[str]:
    """Every alias and entity name stored for the canonical ids ``canon``."""
    if not canon:
        return []
    own = getattr(store, "entity_names", None)  # PostgreSQL: skip scans
    if own is not None:
        return list(own(canon))
    marks = ",".join("?" * len(canon))
    return [a for (a,) in store.conn.execute(
        f"SELECT alias FROM entity_aliases WHERE canonical_id IN ({marks}) "
        f"UNION SELECT name FROM entities WHERE canonical_id IN ({marks})", [*canon, *canon])]  # fmt: skip


def names_of(store: SQLiteStore | None, value: str) -> list[str]:
    """Folded names to look for: every alias of the entity ``value`` names, else ``value``.

    ``actor=Poutine`` thus finds events whose actor is written "Vladimir Putin" or "Путін".
    """
    names = {fold(value)}
    if store is not None:
        names.update(fold(a) for a in entity_names(store, canonical_ids(store, value)))
    # A name containing a shorter one adds nothing to a substring test.
    short = sorted((n for n in names if len(n) >= 3), key=len)
    kept: list[str] = []
    for n in short:
        if not any(k in n for k in kept):
            kept.append(n)
    return kept or [fold(value)]


def outlet_condition(store: SQLiteStore | None, outlet: str, args: list[Any]) -> str:
    """``a.outlet`` is any stored name of the outlet (its site name or its bare domain)."""
    from .outlets import identities

    names = identities(store.conn).names_of(outlet) if store is not None else [outlet]
    args += names
    return f"a.outlet IN ({','.join('?' * len(names))})"


def ensure_functions(conn: sqlite3.Connection) -> None:
    """Register the SQL helpers the queries use (accent- and case-insensitive matching)."""
    conn.create_function("wt_fold", 1, lambda s: fold(s) if s else "", deterministic=True)


def overview(store: SQLiteStore) -> dict[str, Any]:
    """Corpus counts for the page footer and the API root."""
    return store.stats()
