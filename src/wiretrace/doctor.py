"""``wiretrace doctor``: check that a store is whole and in step with itself, and repair it.

Checks: the schema version (every migration we know applied, none we do not), SQLite's full
integrity check, the full-text index against the articles, and the story layer against the
articles (story sizes, insertion numbers, postings, document frequencies, edges, merged events
and saved records of stories that exist, no story left marked as changed). ``--repair`` rebuilds
what can be derived: the full-text index from the article records, story counters, insertion
numbers shared by two articles, document frequencies from the placed articles' profiles, orphan
rows, and every story's record, edges and merged events from its members; unplaced articles are
placed.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .store.conn import has_table
from .store.migrations import CORE
from .store.sqlite import SQLiteStore, _extra_migrations


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems


def _one(conn: sqlite3.Connection, sql: str, *args: Any) -> int:
    return int(conn.execute(sql, args).fetchone()[0] or 0)


_STORY_CHECKS = [
    ("stories whose size differs from their members",
     "SELECT count(*) FROM stories s WHERE s.size != "
     "(SELECT count(*) FROM story_articles sa WHERE sa.story_id = s.id)"),
    ("stories without members",
     "SELECT count(*) FROM stories s WHERE NOT EXISTS "
     "(SELECT 1 FROM story_articles sa WHERE sa.story_id = s.id)"),
    ("placed articles missing from the store",
     "SELECT count(*) FROM story_articles sa WHERE NOT EXISTS "
     "(SELECT 1 FROM articles a WHERE a.id = sa.article_id)"),
    ("placed articles in a story that does not exist",
     "SELECT count(*) FROM story_articles sa WHERE NOT EXISTS "
     "(SELECT 1 FROM stories s WHERE s.id = sa.story_id)"),
    ("insertion numbers used twice",
     "SELECT count(*) FROM (SELECT seq FROM story_articles GROUP BY seq HAVING count(*) > 1)"),
    ("postings of articles not placed",
     "SELECT count(*) FROM story_postings p WHERE NOT EXISTS "
     "(SELECT 1 FROM story_articles sa WHERE sa.article_id = p.article_id)"),
    ("postings filed under another insertion number than their article's",
     "SELECT count(*) FROM story_postings p JOIN story_articles sa "
     "ON sa.article_id = p.article_id WHERE sa.seq != p.seq"),
    ("provenance edges of stories that do not exist",
     "SELECT count(*) FROM provenance_edges e WHERE NOT EXISTS "
     "(SELECT 1 FROM stories s WHERE s.id = e.story_id)"),
    ("merged events of stories that do not exist",
     "SELECT count(*) FROM story_events e WHERE NOT EXISTS "
     "(SELECT 1 FROM stories s WHERE s.id = e.story_id)"),
]  # fmt: skip


def check(store: SQLiteStore) -> Report:
    """Every check; problems are things a rerun or ``--repair`` should fix."""
    conn, rep = store.conn, Report()
    known = [name for name, _ in CORE + _extra_migrations()]
    applied = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
    if missing := [n for n in known if n not in applied]:
        rep.problems.append(f"schema: {len(missing)} migration(s) not applied ({missing[0]} …)")
    if unknown := sorted(applied - set(known)):
        rep.problems.append(f"schema: written by a newer wiretrace ({unknown[-1]})")
    rep.notes.append(f"schema: {len(applied)} migrations applied")
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check(10)")]
    if integrity != ["ok"]:
        rep.problems.append(f"integrity: {integrity[0]}")
    articles = _one(conn, "SELECT count(*) FROM articles")
    rep.notes.append(f"articles: {articles}")
    unindexed = _one(
        conn,
        "SELECT count(*) FROM articles a WHERE NOT EXISTS "
        "(SELECT 1 FROM articles_fts f WHERE f.article_id = a.id)",
    )
    stale = _one(
        conn,
        "SELECT count(*) FROM articles_fts f WHERE NOT EXISTS "
        "(SELECT 1 FROM articles a WHERE a.id = f.article_id)",
    )
    doubled = _one(
        conn,
        "SELECT count(*) FROM (SELECT article_id FROM articles_fts GROUP BY article_id "
        "HAVING count(*) > 1)",
    )
    for n, what in ((unindexed, "articles missing from the full-text index"),
                    (stale, "full-text rows of articles not stored"),
                    (doubled, "articles indexed twice")):  # fmt: skip
        if n:
            rep.problems.append(f"full-text index: {n} {what}")
    if has_table(conn, "story_articles"):
        _check_stories(conn, rep)
    return rep


def _check_stories(conn: sqlite3.Connection, rep: Report) -> None:
    for what, sql in _STORY_CHECKS:
        if n := _one(conn, sql):
            rep.problems.append(f"stories: {n} {what}")
    seq = conn.execute("SELECT value FROM story_state WHERE key = 'seq'").fetchone()
    top = _one(conn, "SELECT max(seq) FROM story_articles")
    if int(seq[0] if seq else 0) != top:
        rep.problems.append(f"stories: insertion counter {seq[0] if seq else 0} != last {top}")
    if has_table(conn, "story_dirty") and (n := _one(conn, "SELECT count(*) FROM story_dirty")):
        rep.problems.append(f"stories: {n} story record(s) not saved since members changed")
    if has_table(conn, "story_records"):
        n = _one(
            conn,
            "SELECT count(*) FROM stories s WHERE NOT EXISTS "
            "(SELECT 1 FROM story_records r WHERE r.story_id = s.id)",
        )
        if n:
            rep.problems.append(f"stories: {n} without a saved record")
    if has_table(conn, "story_records"):
        _check_details(conn, rep)
    if off := _df_off(conn):
        rep.problems.append(f"stories: {off} document-frequency count(s) out of step with the "
                            "placed articles")  # fmt: skip
    stories = _one(conn, "SELECT count(*) FROM stories")
    unplaced = _one(
        conn,
        "SELECT count(*) FROM articles a WHERE NOT EXISTS "
        "(SELECT 1 FROM story_articles sa WHERE sa.article_id = a.id)",
    )
    rep.notes.append(f"stories: {stories}, articles not placed: {unplaced}")


def _check_details(conn: sqlite3.Connection, rep: Report) -> None:
    """Edges and merged events stored for each story match its saved record."""
    edges = dict(conn.execute("SELECT story_id, count(*) FROM provenance_edges GROUP BY 1"))
    events = dict(conn.execute("SELECT story_id, count(*) FROM story_events GROUP BY 1"))
    off = 0
    for story_id, record in conn.execute("SELECT story_id, record FROM story_records"):
        rec = json.loads(record)
        want_edges = len({(e["from"], e["to"], e["relation"]) for e in rec.get("edges", [])})
        want_events = len({e["id"] for e in rec.get("events", [])})
        if edges.get(story_id, 0) != want_edges or events.get(story_id, 0) != want_events:
            off += 1
    if off:
        rep.problems.append(f"stories: {off} with edges or merged events out of step with "
                            "their record")  # fmt: skip


def _df_wanted(conn: sqlite3.Connection) -> Counter[tuple[str, str]]:
    """``story_df`` as the placed articles' profiles make it (each cue once per article)."""
    from .stories.schema import df_keys

    want: Counter[tuple[str, str]] = Counter()
    for (profile,) in conn.execute("SELECT profile FROM story_articles"):
        want.update(df_keys(profile))
    return want


def _df_off(conn: sqlite3.Connection) -> int:
    """How many (kind, key) counts of ``story_df`` differ from the placed articles' cues."""
    want = _df_wanted(conn)
    have = {(k, key): n for k, key, n in conn.execute("SELECT kind, key, n FROM story_df")}
    return sum(1 for k in want.keys() | have.keys() if want.get(k, 0) != have.get(k, 0))


def repair(store: SQLiteStore) -> Report:
    """Rebuild what can be derived, under the writer lock; returns the check after repair."""
    from .corpus import _refresh_dirty, update_stories

    conn = store.conn
    done: list[str] = []
    with store.writer():
        with store.transaction():
            conn.execute("DELETE FROM articles_fts")
            for art_id, record in conn.execute("SELECT id, record FROM articles").fetchall():
                rec = json.loads(record)
                conn.execute(
                    "INSERT INTO articles_fts (article_id, title, body) VALUES (?, ?, ?)",
                    (art_id, rec.get("title", ""), rec.get("body", "")),
                )
        done.append("full-text index rebuilt from the article records")
        if has_table(conn, "story_articles"):
            with store.transaction():
                _repair_stories(conn)
            done.append("story counters and orphan rows repaired")
            placed = update_stories(store)
            done.append(f"{placed.added} unplaced article(s) placed")
            with store.transaction():
                conn.execute("INSERT OR IGNORE INTO story_dirty SELECT id FROM stories")
            done.append(f"{len(_refresh_dirty(store))} story record(s) rebuilt")
    rep = check(store)
    rep.repaired = done
    return rep


def _repair_stories(conn: sqlite3.Connection) -> None:
    _renumber(conn)
    conn.execute("DELETE FROM story_df")
    conn.executemany(
        "INSERT INTO story_df VALUES (?, ?, ?)",
        ((k, key, n) for (k, key), n in _df_wanted(conn).items()),
    )
    conn.execute(
        "DELETE FROM story_articles WHERE article_id NOT IN (SELECT id FROM articles) "
        "OR story_id NOT IN (SELECT id FROM stories)"
    )
    conn.execute("DELETE FROM stories WHERE id NOT IN (SELECT story_id FROM story_articles)")
    conn.execute(
        "UPDATE stories SET size = "
        "(SELECT count(*) FROM story_articles sa WHERE sa.story_id = stories.id)"
    )
    conn.execute(
        "DELETE FROM story_postings WHERE article_id NOT IN (SELECT article_id FROM story_articles)"
    )
    for table in ("provenance_edges", "story_events", "story_records", "story_dirty"):
        if has_table(conn, table):
            conn.execute(f"DELETE FROM {table} WHERE story_id NOT IN (SELECT id FROM stories)")
    top = _one(conn, "SELECT max(seq) FROM story_articles")
    conn.execute("INSERT OR REPLACE INTO story_state VALUES ('seq', ?)", (str(top),))


def _renumber(conn: sqlite3.Connection) -> None:
    """Give articles sharing an insertion number their own, keeping the order of placement
    (ties in the order their rows were written), and file their postings under the new ones."""
    if not _one(conn, "SELECT count(*) FROM (SELECT seq FROM story_articles GROUP BY seq "
                      "HAVING count(*) > 1)"):  # fmt: skip
        return
    order = conn.execute("SELECT article_id FROM story_articles ORDER BY seq, rowid").fetchall()
    conn.executemany(
        "UPDATE story_articles SET seq = ? WHERE article_id = ?",
        ((n, art) for n, (art,) in enumerate(order, 1)),
    )
    postings = conn.execute(
        "SELECT p.key, sa.seq, p.article_id FROM story_postings p "
        "JOIN story_articles sa ON sa.article_id = p.article_id"
    ).fetchall()
    conn.execute("DELETE FROM story_postings")
    conn.executemany("INSERT OR IGNORE INTO story_postings VALUES (?, ?, ?)", postings)
