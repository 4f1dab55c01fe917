"""The default store: one SQLite file in WAL mode, one writer, FTS5 over titles and bodies.

Articles are keyed by their content hash (the article id), so re-ingesting the same input is a
no-op. Every write of a batch happens in one transaction: an interrupted run leaves the file as
it was after the last complete batch, never half-written.
"""

from __future__ import annotations

import builtins
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..model import Article, article_from_json, to_json
from ..textutil import fold
from . import checks
from .base import ArticleRow, SearchHit, SearchQuery, UpsertStatus
from .conditions import Conditions
from .conn import acquire_writer_lock, has_table, transaction, use_wal
from .migrations import CORE, Migration, migrate
from .textquery import fts5_query

# Files holding one page, whose path identifies the article (not JSONL, WARC or feeds).
_ONE_PAGE = {".html", ".htm", ".xhtml", ".shtml", ".txt", ".text", ".md", ""}

_ROW = "a.id, a.title, a.language, a.published, a.url, a.outlet, a.source_path"


def _extra_migrations() -> list[Migration]:
    from ..discuss.schema import MIGRATIONS as DISCUSS

    try:
        from ..stories.schema import MIGRATIONS
    except ImportError:
        return list(DISCUSS)
    found: list[Migration] = list(MIGRATIONS) + list(DISCUSS)
    return found


class SQLiteStore(Conditions):
    """Implements :class:`wiretrace.store.base.Store` on one SQLite file."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._writer_fd: int | None = None
        self._writer_depth = 0
        migrations = CORE + _extra_migrations()
        known = [name for name, _ in migrations]
        try:
            if readonly:
                checks.check_header(self.path)
                self.conn = checks.connect_readonly(self.path)
                checks.preflight_read(self.conn, self.path, known)
            else:
                # Refused before anything is written: a foreign or damaged file stays as it is.
                self.path.parent.mkdir(parents=True, exist_ok=True)
                checks.preflight_write(self.path, known)
                self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30.0,
                                            check_same_thread=False)  # fmt: skip
                use_wal(self.conn, time.monotonic() + 30.0)
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            # Writers queue on the writer lock; this only covers the short waits of a reader
            # checkpoint or of a failure being recorded by another run.
            self.conn.execute("PRAGMA busy_timeout=30000")
            if not readonly:
                migrate(self.conn, migrations)
        except sqlite3.DatabaseError as exc:
            if "full" in str(exc):
                raise StoreError(f"{self.path}: cannot set up the store ({exc})") from exc
            raise StoreError(
                f"{self.path}: cannot open as a wiretrace database ({exc}); "
                "pass another --db path or move this file away"
            ) from exc

    # -- writing -----------------------------------------------------------------------------

    @contextmanager
    def writer(
        self, wait: float = 3600.0, on_wait: Callable[[str], None] | None = None
    ) -> Iterator[None]:
        """Hold the store's writer lock: one writing run (ingest, story placement) at a time.

        The lock is an ``flock`` on ``<db>.lock`` beside the database, so it is released when
        the process ends however it ends (a kill -9 leaves no stale lock). A second writer
        waits up to ``wait`` seconds (telling ``on_wait`` once), then gives up with a clear
        error. Re-entrant for this store object.
        """
        if self._writer_depth:
            self._writer_depth += 1
            try:
                yield
            finally:
                self._writer_depth -= 1
            return
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(
                f"{lock_path}: cannot create the writer lock ({exc.strerror}); "
                "is the folder read-only?"
            ) from exc
        try:
            acquire_writer_lock(fd, lock_path, wait, on_wait)
            self._writer_fd, self._writer_depth = fd, 1
            yield
        finally:
            self._writer_fd, self._writer_depth = None, 0
            os.close(fd)  # releases the flock

    def stage_versions(self, article_id: str) -> dict[str, str] | None:
        row = self.conn.execute(
            "SELECT stages FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def upsert(self, articles: Sequence[Article]) -> builtins.list[UpsertStatus]:
        """Insert new articles, replace ones whose analysis changed, leave identical ones alone."""
        statuses: list[UpsertStatus] = []
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction():
            for art in articles:
                record = json.dumps(to_json(art), ensure_ascii=False, sort_keys=True)
                old = self.conn.execute(
                    "SELECT record FROM articles WHERE id = ?", (art.id,)
                ).fetchone()
                if old is not None and old[0] == record:
                    statuses.append("unchanged")
                    continue
                if old is not None:
                    self._delete(art.id)
                previous = self._predecessor(art) if old is None else None
                if previous is not None:  # an edited version: the old one and its facts go
                    self._delete(previous)
                    self._unplace(previous)
                self._insert(art, record, now)
                statuses.append("new" if old is None and previous is None else "updated")
        return statuses

    def metadata_matches(self, article_id: str, url: str | None, published: str | None) -> bool:
        """Whether the stored article has this URL and publication time (else it is updated)."""
        row = self.conn.execute(
            "SELECT url, published FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return row is not None and (row[0], row[1]) == (url, published)

    def _predecessor(self, art: Article) -> str | None:
        """The stored article this one is an edited version of, if any.

        An article is identified by its canonical URL, or by its file for a one-page file; the
        content hash (its id) says whether it changed. A stored article with the same identity
        and the same file or title is the earlier version (a site-wide canonical URL shared by
        different pages must not make them replace each other).
        """
        if art.url:
            rows = self.conn.execute(
                "SELECT id, source_path, title FROM articles WHERE url = ? AND id != ?",
                (art.url, art.id),
            ).fetchall()
        elif art.source_path and Path(art.source_path).suffix.lower() in _ONE_PAGE:
            rows = self.conn.execute(
                "SELECT id, source_path, title FROM articles "
                "WHERE source_path = ? AND url IS NULL AND id != ?",
                (art.source_path, art.id),
            ).fetchall()
        else:
            return None
        same = [r[0] for r in rows if r[1] == art.source_path or r[2] == art.title]
        return same[0] if len(same) == 1 else None

    def _unplace(self, article_id: str) -> None:
        """Take a replaced article out of its story (the story is then saved again)."""
        if has_table(self.conn, "story_articles"):
            from ..stories.schema import unplace

            unplace(self.conn, article_id)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction on this store; SQLite errors become one clear StoreError."""
        try:
            with transaction(self.conn) as conn:
                yield conn
        except (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError):
            raise  # a value this store refuses: the caller's input, not the store, is at fault
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: write failed, nothing of it was kept ({exc})") from exc

    def _delete(self, article_id: str) -> None:
        for table in ("articles_fts",):
            self.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        self.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        self.conn.execute(  # vectors waiting for its placement (stories.profile.save_pending)
            "DELETE FROM text_vectors WHERE kind = 'document' AND text_key = ?", (article_id,)
        )

    def _insert(self, art: Article, record: str, now: str) -> None:
        c = self.conn
        c.execute(
            "INSERT INTO articles (id, url, source_path, title, language, published, published_utc, "
            "outlet, outlet_domain, stages, record, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (art.id, art.url, art.source_path, art.title, art.language, art.published,
             art.published_utc, *((art.outlet.name, art.outlet.domain) if art.outlet else (None, None)),
             json.dumps(art.analysis.stages, sort_keys=True), record, now),
        )  # fmt: skip
        c.execute(
            "INSERT INTO articles_fts (article_id, title, body) VALUES (?, ?, ?)",
            (art.id, art.title, art.body),
        )
        for ent in art.entities:
            c.execute(
                "INSERT OR REPLACE INTO entities VALUES (?,?,?,?,?,?,?,?)",
                (art.id, ent.id, ent.canonical_id, ent.name, fold(ent.name), ent.type,
                 ent.country, len(ent.mentions)),
            )  # fmt: skip
            canon = ent.canonical_id or fold(ent.name)
            # Name first, in a fixed order: of spellings that fold alike the first stays.
            for alias in dict.fromkeys((ent.name, *ent.aliases, *(m.text for m in ent.mentions))):
                c.execute(
                    "INSERT OR IGNORE INTO entity_aliases VALUES (?,?,?)",
                    (canon, alias, fold(alias)),
                )
        for i, q in enumerate(art.quotes):
            c.execute(
                "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?,?)",
                (art.id, i, q.kind, q.speaker.source_type, int(q.declined), q.speaker.text,
                 q.speaker.entity_id, q.content, q.start, q.end),
            )  # fmt: skip
        for i, ev in enumerate(art.events):
            start, end = _date_bounds(ev.date.value if ev.date else None)
            who = ["; ".join(p.text for p in ev.actors), "; ".join(p.text for p in ev.recipients)]
            place = "; ".join(p.text for p in ev.where)
            c.execute(  # the last two: place and actors + recipients folded (migration 0006)
                "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (art.id, i, ev.type, ev.mode, ev.aux, *who, place, ev.date.value if ev.date else None,
                 start, end, *((ev.evidence.start, ev.evidence.end) if ev.evidence else (None, None)),
                 json.dumps(to_json_event(ev), ensure_ascii=False), fold(place), fold(" ".join(who))),
            )  # fmt: skip
        for tag in dict.fromkeys(art.tags):
            c.execute("INSERT OR IGNORE INTO tags VALUES (?, ?)", (art.id, tag))

    def finished_shard(self, key: str) -> builtins.list[str] | None:
        """The article ids of a shard an earlier run finished, or None if none did."""
        row = self.conn.execute("SELECT article_ids FROM shards WHERE key = ?", (key,)).fetchone()
        return None if row is None else [str(i) for i in json.loads(row[0])]

    def finish_shard(self, key: str, article_ids: Sequence[str]) -> None:
        """Record a shard as finished once its articles are stored (never before)."""
        self.conn.execute(
            "INSERT INTO shards (key, article_ids, finished_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO NOTHING",
            (key, json.dumps(list(article_ids)), datetime.now(UTC).isoformat(timespec="seconds")),
        )

    def record_failure(self, where: str, line: int | None, reason: str) -> None:
        # Undecodable bytes of a file name are stored escaped, never refused.
        where, reason = (s.encode("utf-8", "backslashreplace").decode() for s in (where, reason))
        with self.transaction():
            self.conn.execute(
                "INSERT INTO failures (input, line, reason, at) VALUES (?, ?, ?, ?)",
                (where, line, reason, datetime.now(UTC).isoformat(timespec="seconds")),
            )

    # -- reading -----------------------------------------------------------------------------

    def get(self, article_id: str) -> Article | None:
        row = self.conn.execute(
            "SELECT record FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else article_from_json(json.loads(row[0]))

    def get_json(self, article_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT record FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def resolve_id(self, prefix: str) -> str | None:
        """The one article id starting with ``prefix`` (ids may be abbreviated like git's)."""
        rows = self.conn.execute(
            "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "\uffff")
        ).fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def list(
        self, limit: int = 50, offset: int = 0, language: str | None = None
    ) -> builtins.list[ArticleRow]:
        where, args = ("WHERE a.language = ?", [language]) if language else ("", [])
        args_: builtins.list[Any] = list(args)
        rows = self.conn.execute(
            f"SELECT {_ROW} FROM articles a {where} "
            "ORDER BY coalesce(a.published_utc, a.published) DESC, a.id LIMIT ? OFFSET ?",
            [*args_, limit, offset],
        ).fetchall()
        return [ArticleRow(*r) for r in rows]

    def iter_articles(self) -> Iterator[Article]:
        for (record,) in self.conn.execute("SELECT record FROM articles ORDER BY id"):
            yield article_from_json(json.loads(record))

    def search(self, query: SearchQuery) -> builtins.list[SearchHit]:
        """Articles matching the full-text query and every given fact filter, best first."""
        joins: builtins.list[str] = []
        conds: builtins.list[str] = []
        args: builtins.list[Any] = []
        select_snip = "'' AS snip, 0.0 AS score"
        if query.text:
            joins.append("JOIN articles_fts f ON f.article_id = a.id")
            conds.append("articles_fts MATCH ?")
            args.append(_fts_query(query.text))
            select_snip = (
                "snippet(articles_fts, 2, '[', ']', '…', 16) AS snip, bm25(articles_fts) AS score"
            )
        more, more_args = self.query_conditions(query)
        conds += more
        args += more_args
        where = ("WHERE " + " AND ".join(conds)) if conds else ""
        order = "score" if query.text else "coalesce(a.published_utc, a.published) DESC"
        sql = (
            f"SELECT {_ROW}, {select_snip} FROM articles a {' '.join(joins)} {where} "
            f"ORDER BY {order} LIMIT ? OFFSET ?"
        )
        try:
            rows = self.conn.execute(sql, [*args, query.limit, query.offset]).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"search query {query.text!r} could not be run: {exc}") from exc
        return [SearchHit(ArticleRow(*r[:7]), r[7] or "", float(r[8])) for r in rows]

    def failures(self, limit: int = 100) -> builtins.list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT input, line, reason, at FROM failures ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [{"input": r[0], "line": r[1], "reason": r[2], "at": r[3]} for r in rows]

    def article_counts(self) -> tuple[int, builtins.list[Any], builtins.list[Any]]:
        """Articles; (key, count) of every language and of the 20 largest outlets."""
        by = "SELECT coalesce({}, '?'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC"
        langs = self.conn.execute(by.format("language")).fetchall()
        outlets = self.conn.execute(by.format("outlet") + " LIMIT 20").fetchall()
        return sum(n for _, n in langs), langs, outlets

    def count_entities(self) -> int:
        sql = "SELECT count(DISTINCT coalesce(canonical_id, folded)) FROM entities"
        return int(self.conn.execute(sql).fetchone()[0])

    def stats(self) -> dict[str, Any]:
        one = self.conn.execute
        articles, langs, outlets = self.article_counts()
        span = one("SELECT min(published), max(published) FROM articles").fetchone()
        out: dict[str, Any] = {
            "db": str(self.path), "articles": articles, "languages": dict(langs),
            "outlets": dict(outlets), "published_from": span[0], "published_to": span[1],
            "entities": self.count_entities(),
            "quotes": one("SELECT count(*) FROM quotes").fetchone()[0],
            "events": one("SELECT count(*) FROM events").fetchone()[0],
            "failures": one("SELECT count(*) FROM failures").fetchone()[0],
        }  # fmt: skip
        return out

    def close(self) -> None:
        self.conn.close()


def to_json_event(ev: Any) -> dict[str, Any]:
    from ..model import _plain

    out: dict[str, Any] = _plain(ev)
    return out


def _fts_query(text: str) -> str:
    """A safe FTS5 query for user text (see :mod:`.textquery`); raises QuerySyntaxError."""
    return fts5_query(text)


def _date_bounds(value: str | None) -> tuple[str | None, str | None]:
    """First and last day an ISO date, month, year or "a/b" interval covers (for range search)."""
    if not value:
        return None, None
    if "/" in value:
        a, b = value.split("/", 1)
        return _date_bounds(a)[0], _date_bounds(b)[1]
    if re.fullmatch(r"\d{4}", value):
        return f"{value}-01-01", f"{value}-12-31"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return f"{value}-01", f"{value}-31"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value):
        return value[:10], value[:10]
    return None, None
