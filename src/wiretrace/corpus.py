"""Corpus stages: place newly stored articles into stories and refresh only the stories they touch.

Adding articles costs bounded work: the story index retrieves candidates through its postings
(never a scan of the corpus), and only the stories that received an article get their provenance
edges and merged events recomputed. Articles already in a story are left where they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .errors import NotFound
from .model import Article
from .store.conn import has_table
from .store.sqlite import SQLiteStore


@dataclass
class StoriesReport:
    added: int = 0
    touched: list[str] = field(default_factory=list)
    new_stories: int = 0
    merged: int = 0

    def summary(self) -> str:
        return (
            f"stories: {self.added} article(s) placed, {len(self.touched)} story record(s) "
            f"refreshed, {self.new_stories} new, {self.merged} merged"
        )


def _instant(article: Article) -> datetime:
    """When an article was published, in UTC, for ordering (unknown times sort last)."""
    for value in (article.published_utc, article.published):
        if not value:
            continue
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            continue
        return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt
    return datetime.max


def update_stories(
    store: SQLiteStore,
    article_ids: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    units: Iterable[Sequence[str]] | None = None,
    into: StoriesReport | None = None,
) -> StoriesReport:
    """Add the given (default: all unplaced) stored articles to stories, oldest first.

    ``units``: place these groups of ids one after the other instead, each oldest first (an
    ingest's shards in input order, as ``ingest`` places them while it runs; see
    :class:`StoryPlacer`); ``into``: a report to go on counting in (an ingest's placements
    during the run). Each step of placements is one transaction that also marks the
    stories it changed; each changed story then gets its record, edges and merged events saved,
    clearing its mark, in one more. A run killed anywhere leaves either placed articles with
    marked stories or nothing, and the next run places what is left and refreshes every marked
    story: the same records as an uninterrupted run. Runs under the store's writer lock, so two
    runs never interleave.
    """
    # PostgreSQL: the writer lock is per article (several ingest processes share a corpus);
    # placement takes the corpus-wide story lock, loading the index only once it holds it.
    story_lock = getattr(store, "story_lock", None)
    with store.writer(), story_lock() if story_lock is not None else nullcontext():
        placer = StoryPlacer(store, into)
        if units is None:
            if article_ids is None:
                article_ids = [r[0] for r in store.conn.execute("SELECT id FROM articles")]
            units = [list(article_ids)]
        for unit in units:
            placer.place(unit, progress)
        return placer.finish()


class StoryPlacer:
    """Places stored articles into stories one group at a time, each group oldest first,
    keeping the story index in memory between groups (loaded at the first article to place).

    ``ingest`` places each shard this way as soon as it is written, and saves the records of
    the stories it changed, while the engine analyses the next shards; :func:`update_stories`
    with ``units`` places an ingest's shards in the same order after the run: the same stories
    and records either way, and on one worker or many (shards are written in input order). The caller holds the writer lock (and on PostgreSQL the story
    lock) from the first :meth:`place` to :meth:`finish`: the index read stays current.
    """

    def __init__(self, store: SQLiteStore, report: StoriesReport | None = None) -> None:
        self.store = store
        self.report = report if report is not None else StoriesReport()
        self._index: Any = None
        self._before: set[str] = set()
        self._saved: dict[str, int] = {}  # story: its size when its record was last saved

    def place(
        self, article_ids: Iterable[str], progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Add these stored articles (those not in a story yet) to stories, oldest first;
        the stories they change are marked for :meth:`finish`. Returns how many were added."""
        from .stories import StoryIndex
        from .stories.profile import take_pending

        store = self.store
        ids = list(dict.fromkeys(article_ids))
        if ids and has_table(store.conn, "story_articles"):
            placed = _placed(store, ids)
            ids = [i for i in ids if i not in placed]
        if not ids:  # nothing new (a re-run over unchanged inputs): no index, no models
            return 0
        if self._index is None:
            with store.transaction():
                self._index = StoryIndex.load(store.conn)
            self._before = set(self._index.members)
        index = self._index
        todo = [a for a in (store.get(i) for i in ids if i not in index.story) if a is not None]
        todo.sort(key=lambda a: (_instant(a), a.id))
        step = 32  # one embedding batch; add_many gives the same stories as adding one by one
        for start in range(0, len(todo), step):
            chunk = todo[start : start + step]
            with store.transaction():
                # Vectors computed where the articles were analysed, taken (and deleted) in the
                # transaction that places them; the others are embedded here.
                known = take_pending(store.conn, [a.id for a in chunk])
                index.add_many(chunk, batch=step, known=known)
            if progress:
                progress(min(start + step, len(todo)), len(todo))
        self.report.added += len(todo)
        return len(todo)

    def tally(self) -> StoriesReport:
        """Count the stories made and merged so far into the report, and drop the index."""
        if self._index is not None:
            self.report.merged += len(self._index.merged)
            self.report.new_stories += len(set(self._index.members) - self._before)
            self._index = None
        return self.report

    def refresh(self, grown: bool = False) -> None:
        """Save the record, edges and events of every story changed so far (see
        :func:`_refresh_dirty`); a story changed again later is saved again then.

        ``grown`` (during a run, after each shard): only the stories not saved yet in this run
        and those that have doubled in size since they were; the others stay marked until
        :meth:`finish`. A big story that gains a report in every shard is then rebuilt a
        logarithmic number of times, not once per shard (each rebuild reads all its reports);
        the records at the end are the same."""
        saved = self._saved
        due = (lambda sid, size: size >= 2 * saved.get(sid, 0)) if grown else None
        done = _refresh_dirty(self.store, due, saved)
        if done:
            self.report.touched = sorted(set(self.report.touched) | set(done))

    def finish(self) -> StoriesReport:
        """Save every changed story; the report of all placed."""
        self.tally()
        self.refresh()
        return self.report


def _refresh_dirty(
    store: SQLiteStore,
    due: Callable[[str, int], bool] | None = None,
    saved: dict[str, int] | None = None,
) -> list[str]:
    """Save the record, edges and events of every story marked as changed (in this run or an
    interrupted one), each in its own transaction that clears the mark; with ``due``, only
    the stories it says are due (by id and size), the others staying marked. ``saved``: each
    saved story's size, recorded."""
    from .stories.record import save_story

    if not has_table(store.conn, "story_dirty"):
        return []
    done: list[str] = []
    for (story_id,) in store.conn.execute("SELECT story_id FROM story_dirty").fetchall():
        if due is not None:
            (size,) = store.conn.execute(
                "SELECT count(*) FROM story_articles WHERE story_id = ?", (story_id,)
            ).fetchone()
            if size and not due(story_id, int(size)):
                continue
        with store.transaction():
            # Members in insertion order, as `story_record` reads them, whatever merged them.
            arts = _members(store, story_id)
            if not arts:
                store.conn.execute("DELETE FROM story_dirty WHERE story_id = ?", (story_id,))
                continue
            save_story(store.conn, story_id, arts)
        if saved is not None:
            saved[story_id] = len(arts)
        done.append(story_id)
    return sorted(done)


def _members(store: SQLiteStore, story_id: str) -> list[Article]:
    """The stored articles of a story, in the order they were placed."""
    rows = store.conn.execute(
        "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY seq", (story_id,)
    ).fetchall()
    return [a for a in (store.get(r[0]) for r in rows) if a is not None]


def _placed(store: SQLiteStore, ids: list[str]) -> set[str]:
    """Which of the article ids are already in a story."""
    out: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(
            f"SELECT article_id FROM story_articles WHERE article_id IN ({marks})", chunk
        )
        out.update(r[0] for r in rows)
    return out


def story_record(store: SQLiteStore, story_id: str) -> dict[str, Any]:
    """The public record of one story (``wiretrace story ID --json``)."""
    from .stories import schema
    from .stories.record import load_story

    saved = schema.stored_record(store.conn, story_id)
    if saved is not None:
        return saved
    arts = _members(store, story_id)
    if not arts:
        raise NotFound(f"no story with id {story_id!r} (see `wiretrace stories`)")
    return load_story(store.conn, story_id, arts)


def list_stories(store: SQLiteStore, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Stories, largest and most recent first, with their earliest report's title."""
    rows = store.conn.execute(
        "SELECT s.id, s.size, s.first_published, a.title, "
        "(SELECT json_group_array(DISTINCT b.language) FROM story_articles sa "
        " JOIN articles b ON b.id = sa.article_id WHERE sa.story_id = s.id) "
        "FROM stories s LEFT JOIN articles a ON a.id = s.first_article "
        "ORDER BY s.size DESC, s.first_published DESC LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return [
        {"id": r[0], "size": r[1], "first_published": r[2], "title": r[3],
         "languages": sorted(x for x in json.loads(r[4] or "[]") if x)}
        for r in rows
    ]  # fmt: skip


def merged_events(
    store: SQLiteStore, report_events: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The story events the given report events belong to, each once, in first-seen order.

    A story event (see :mod:`wiretrace.stories.merge`) lists the reports that tell it; this
    maps each report event (article id and evidence span) to its story event, so filters on
    report events (type, actor, place, dates, full text) select happenings, and a happening
    told by eight reports is counted once. Report events of articles not placed in a story yet
    (``ingest --no-stories``) have no story event and are left out.
    """
    if not has_table(store.conn, "story_events"):
        return []
    wanted = set()
    for ev in report_events:
        span = ev.get("evidence") or {}
        wanted.add((ev["article_id"], span.get("start"), span.get("end")))
    articles = {a for a, _, _ in wanted}
    out: list[dict[str, Any]] = []
    for story_id, key, record in store.conn.execute(
        "SELECT story_id, event_key, record FROM story_events ORDER BY story_id, rowid"
    ):
        rec = json.loads(record)
        reports = rec.get("reports", [])
        if not any(r.get("article_id") in articles for r in reports):
            continue
        for r in reports:
            ev = r.get("evidence") or {}
            if (r.get("article_id"), ev.get("start"), ev.get("end")) in wanted:
                out.append({"story_id": story_id, "event_id": key, **rec})
                break
    return out
