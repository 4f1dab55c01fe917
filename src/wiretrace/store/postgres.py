"""The team store: one PostgreSQL database (or schema) that several ingest processes share.

It is the SQLite store's code running through :class:`~.dialect.PGConnection`, with what
PostgreSQL does differently written here: the same named migrations (types translated, the
FTS5 table replaced by a ``tsvector`` column with a GIN index over a ``simple`` + ``unaccent``
configuration, so every language and script is searchable accent-insensitively), full-text
search through ``tsquery``, and the locks that let several writers share one corpus: each
upsert takes a transaction-level advisory lock per article id (so two processes ingesting the
same page store it once), and story placement runs under one session-level advisory lock (the
index is loaded after taking it, so each process places articles on the other's stories).
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import psycopg

from ..errors import StoreError
from ..model import Article
from ..textutil import fold
from . import textquery
from .base import ArticleRow, SearchHit, SearchQuery, UpsertStatus
from .conditions import registry_keys
from .conn import has_table
from .dialect import TS_CONFIG, PGConnection
from .pg_migrations import migrate
from .pg_stemming import match_sql, query_args
from .sqlite import _ROW, SQLiteStore

_SKIP = """
    WITH RECURSIVE s(v) AS (
        SELECT min({col}) FROM entities WHERE {key} = ? AND {col} IS NOT NULL
        UNION ALL
        SELECT (SELECT min({col}) FROM entities WHERE {key} = ? AND {col} > s.v)
        FROM s WHERE s.v IS NOT NULL
    ) SELECT v FROM s WHERE v IS NOT NULL"""
_STORY_LOCK = 0x77745F73  # advisory lock key of story placement (pg_migrations has migrating's)


def redact(url: str) -> str:
    """``url`` without its password, for messages and stats."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


def connect(url: str, readonly: bool = False) -> psycopg.Connection[Any]:
    """An autocommit connection to ``url`` (a clear StoreError if the server is not there)."""
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise StoreError(f"{redact(url)}: cannot connect to PostgreSQL ({exc})") from exc
    if readonly:
        conn.execute("SET default_transaction_read_only = on")
    return conn


class PostgresStore(SQLiteStore):
    """Implements :class:`wiretrace.store.base.Store` on PostgreSQL (see the module docstring)."""

    def __init__(self, url: str, readonly: bool = False) -> None:
        self.url = url
        self.path = Path(redact(url))
        self.readonly = readonly
        raw = connect(url, readonly)
        try:
            if not readonly:
                migrate(raw)
        except psycopg.Error as exc:
            raw.close()
            raise StoreError(f"{redact(url)}: cannot set up the database ({exc})") from exc
        self.pg = PGConnection(raw)
        # The shared query code is typed for sqlite3; PGConnection implements what it calls.
        self.conn = cast(Any, self.pg)

    @classmethod
    def over(cls, url: str, raw: psycopg.Connection[Any]) -> PostgresStore:
        """A store on an already open (pooled) connection: no connect, no migration."""
        store = cls.__new__(cls)
        store.url, store.path, store.readonly = url, Path(redact(url)), True
        store.pg = PGConnection(raw)
        store.conn = cast(Any, store.pg)
        return store

    def upsert(self, articles: Sequence[Article]) -> builtins.list[UpsertStatus]:
        """The SQLite upsert, each article id locked first so concurrent writers store it once."""
        keys = sorted({a.id for a in articles})

        def lock(conn: PGConnection) -> None:
            # Ordered, so two writers with overlapping batches cannot deadlock.
            for key in keys:
                conn.raw.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (key,))

        self.pg.after_begin.append(lock)
        try:
            return super().upsert(articles)
        finally:
            self.pg.after_begin.clear()

    @contextmanager
    def writer(self, wait: float = 3600.0, on_wait: Callable[[str], None] | None = None
               ) -> Iterator[None]:  # fmt: skip
        """No corpus-wide writer lock: upserts lock their article ids, placement the stories.

        So several ingest processes (on one machine or several) write one corpus at once.
        """
        yield

    @contextmanager
    def story_lock(self) -> Iterator[None]:
        """Held while stories are placed: one process at a time loads, places and saves."""
        self.pg.raw.execute("SELECT pg_advisory_lock(%s)", (_STORY_LOCK,))
        try:
            yield
        finally:
            self.pg.raw.execute("SELECT pg_advisory_unlock(%s)", (_STORY_LOCK,))

    def resolve_id(self, prefix: str) -> str | None:
        rows = self.conn.execute(
            "SELECT id FROM articles WHERE starts_with(id, ?) LIMIT 2", (prefix,)
        ).fetchall()
        return str(rows[0][0]) if len(rows) == 1 else None

    def entity_canonicals(self, name: str) -> builtins.list[str]:
        """As on SQLite; the stored ids come from skip scans, not from every entity row."""
        keys = registry_keys(name)
        f = fold(name)
        # One round trip: aliases (0), linked ids by skip scan (1), a name stored without an
        # id (2), and which registry keys some entity carries (3, in the registry's order).
        skip = _SKIP.format(col="canonical_id", key="folded")
        rows = self.conn.execute(
            'SELECT 0, canonical_id COLLATE "C", 0 FROM entity_aliases WHERE folded = ? '
            f'UNION ALL SELECT 1, v COLLATE "C", 0 FROM ({skip}) s '
            "UNION ALL SELECT 2, NULL, 0 WHERE EXISTS (SELECT 1 FROM entities WHERE folded = ? "
            'AND canonical_id IS NULL) UNION ALL SELECT 3, k COLLATE "C", n FROM '
            "unnest(?::text[]) WITH ORDINALITY AS r(k, n) WHERE EXISTS (SELECT 1 FROM entities "
            "WHERE canonical_id = r.k)",
            (f, f, f, f, keys),
        ).fetchall()
        found = [f if part == 2 else key for part, key, _ in rows if part < 3]
        stored = [key for _, key in sorted((n, key) for part, key, n in rows if part == 3)]
        return list(dict.fromkeys([*stored, *sorted(k for k in found if k)]))

    def entity_names(self, canonical_ids: Sequence[str]) -> builtins.list[str]:
        """Every alias and entity name stored for the canonical ids (skip scans)."""
        names: set[str] = set()
        for key in canonical_ids:
            names.update(r[0] for r in self.conn.execute(
                "SELECT alias FROM entity_aliases WHERE canonical_id = ?", (key,)))  # fmt: skip
            names.update(r[0] for r in self.conn.execute(
                _SKIP.format(col="name", key="canonical_id"), (key, key)))  # fmt: skip
        return sorted(names)

    def search(self, query: SearchQuery) -> builtins.list[SearchHit]:
        """Articles matching the full-text query (tsquery) and every fact filter, best first."""
        joins: builtins.list[str] = []
        conds: builtins.list[str] = []
        args: builtins.list[Any] = []
        select = "'' AS snip, 0.0 AS score"
        if query.text:
            parsed = textquery.parse(query.text)
            tsq, targs = to_tsquery_sql(parsed)
            joins.append(
                f"JOIN articles_fts f ON f.article_id = a.id CROSS JOIN (SELECT {tsq} AS q) qq"
            )
            args += targs
            match, n = match_sql(query.language)
            if n > 1:  # the language's stems match too (pg_stemming)
                conds.append(match.replace("to_tsquery('wt_simple', ?)", "qq.q", 1))
                args += query_args(textquery.to_tsquery_text(parsed), query.language)[1:]
            else:
                conds.append("f.tsv @@ qq.q")
            select = (
                f"ts_headline('{TS_CONFIG}', f.body, qq.q, 'StartSel=[, StopSel=], MaxWords=16, "
                "MinWords=6, MaxFragments=1, FragmentDelimiter=…') AS snip, "
                "-ts_rank(f.tsv, qq.q) AS score"
            )
        more, more_args = self.query_conditions(query)
        conds += more
        args += more_args
        where = ("WHERE " + " AND ".join(conds)) if conds else ""
        order = "score, a.id" if query.text else "coalesce(a.published_utc, a.published) DESC"
        rows = self.conn.execute(
            f"SELECT {_ROW}, {select} FROM articles a {' '.join(joins)} {where} "
            f"ORDER BY {order} LIMIT ? OFFSET ?",
            [*args, query.limit, query.offset],
        ).fetchall()
        return [SearchHit(ArticleRow(*r[:7]), r[7] or "", float(r[8])) for r in rows]

    def article_counts(self) -> tuple[int, builtins.list[Any], builtins.list[Any]]:
        """From the tally the writes keep (pg_0009_article_tally: exact, read in one snapshot),
        not from a count over every article (seconds at 1M)."""
        if not has_table(self.conn, "article_tally"):  # not migrated (a read-only open)
            return super().article_counts()
        rows = self.conn.execute(
            "SELECT kind, key, sum(n)::bigint FROM (SELECT kind, key, n FROM article_tally "
            "UNION ALL SELECT kind, key, n FROM article_tally_log) t GROUP BY 1, 2 "
            "HAVING sum(n) <> 0 ORDER BY 3 DESC, 2"
        ).fetchall()
        langs = [(key, n) for kind, key, n in rows if kind == "language"]
        outlets = [(key, n) for kind, key, n in rows if kind == "outlet"][:20]
        return sum(n for _, n in langs), langs, outlets

    def count_entities(self) -> int:
        """Distinct identities (a canonical id, else the folded name) by skip scans over the
        entity indexes, one probe a distinct value, not a sort of every entity row (0.8 s at
        1M articles): the canonical ids, and the folded names some row holds without one."""
        skip = (
            "{0}(v) AS (SELECT min({1}) FROM entities UNION ALL SELECT (SELECT min({1}) FROM "
            "entities WHERE {1} > {0}.v) FROM {0} WHERE {0}.v IS NOT NULL)"
        )
        row = self.conn.execute(
            f"WITH RECURSIVE {skip.format('c', 'canonical_id')}, {skip.format('f', 'folded')} "
            "SELECT count(*) FROM (SELECT v FROM c WHERE v IS NOT NULL UNION SELECT v FROM f "
            "WHERE v IS NOT NULL AND EXISTS (SELECT 1 FROM entities e WHERE e.folded = f.v AND "
            "e.canonical_id IS NULL)) u"
        ).fetchone()
        return int(row[0])

    def stats(self) -> dict[str, Any]:
        out = super().stats()
        out["db"] = redact(self.url)
        return out

    def close(self) -> None:
        self.pg.close()


def to_tsquery_sql(node: textquery.Node | None) -> tuple[str, builtins.list[str]]:
    """SQL building the tsquery of a parsed search, every word passed as a parameter."""
    if node is None:
        return "''::tsquery", []
    if isinstance(node, textquery.Term):
        words = node.text.split()
        if node.prefix:
            text = " <-> ".join(f"'{w}'" for w in words) + ":*"
            return f"to_tsquery('{TS_CONFIG}', ?)", [text]
        fn = "phraseto_tsquery" if node.phrase else "plainto_tsquery"
        return f"{fn}('{TS_CONFIG}', ?)", [node.text]
    parts = [to_tsquery_sql(p) for p in node.parts]
    args = [a for _, part_args in parts for a in part_args]
    if node.kind == "NOT":
        return f"({parts[0][0]} && !!{parts[1][0]})", args
    op = " && " if node.kind == "AND" else " || "
    return "(" + op.join(sql for sql, _ in parts) + ")", args
