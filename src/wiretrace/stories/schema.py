"""SQLite tables of the story layer and the functions that load and save them incrementally.

The lead's store runs :data:`MIGRATIONS` after its own (named, ordered, each applied once) and
hands its connection to :class:`wiretrace.stories.index.StoryIndex`. Every ``add`` writes only
the rows it touches (one article, its posting keys, its cue frequencies, its story), so saving
never rewrites the corpus; loading rebuilds the in-memory index from these tables.

Every write runs in a real transaction (:func:`wiretrace.store.sqlite.transaction`; the store's
connection is in autocommit mode, where ``with conn:`` opens none) and joins the caller's when
one is open. A story whose members changed is marked in ``story_dirty`` in the same transaction;
the mark is cleared when its record, edges and merged events are saved, so a run interrupted
between the two is repaired by the next one (:func:`dirty_stories`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

from ..store.conn import transaction
from ..store.migrations import _statements

MIGRATIONS: list[tuple[str, str]] = [
    (
        "stories_001_tables",
        """
        CREATE TABLE IF NOT EXISTS stories (
            id TEXT PRIMARY KEY,
            first_article TEXT NOT NULL,
            first_published TEXT,
            size INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS story_articles (
            article_id TEXT PRIMARY KEY,
            story_id TEXT NOT NULL REFERENCES stories(id),
            seq INTEGER NOT NULL,
            score REAL,
            profile TEXT NOT NULL,
            vectors BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS story_articles_story ON story_articles(story_id);
        CREATE INDEX IF NOT EXISTS story_articles_seq ON story_articles(seq);
        -- Candidate retrieval postings (LSH bands, embedding buckets, rare names), each key
        -- capped to its most recent articles.
        CREATE TABLE IF NOT EXISTS story_postings (
            key TEXT NOT NULL,
            seq INTEGER NOT NULL,
            article_id TEXT NOT NULL,
            PRIMARY KEY (key, seq)
        );
        -- Document frequencies of cues, for idf weights.
        CREATE TABLE IF NOT EXISTS story_df (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (kind, key)
        );
        CREATE TABLE IF NOT EXISTS story_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS provenance_edges (
            story_id TEXT NOT NULL,
            src TEXT NOT NULL,
            dst TEXT NOT NULL,
            relation TEXT NOT NULL,
            confidence REAL NOT NULL,
            evidence TEXT NOT NULL,
            PRIMARY KEY (src, dst, relation)
        );
        CREATE INDEX IF NOT EXISTS provenance_edges_story ON provenance_edges(story_id);
        CREATE TABLE IF NOT EXISTS story_events (
            story_id TEXT NOT NULL,
            event_key TEXT NOT NULL,
            type TEXT NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (story_id, event_key)
        );
        """,
    ),
    (
        # The finished record of each story (what `wiretrace story ID` and the web show), saved
        # when the story changes, and embeddings computed once and reused across runs
        # (paragraph vectors of report bodies, float16, keyed by a hash of the body).
        "stories_002_records_and_vectors",
        """
        CREATE TABLE IF NOT EXISTS story_records (
            story_id TEXT PRIMARY KEY,
            record TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS text_vectors (
            text_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            rows INTEGER NOT NULL,
            vectors BLOB NOT NULL,
            PRIMARY KEY (text_key, kind)
        );
        """,
    ),
    (
        "stories_003_dirty",
        """
        -- Stories whose members changed since their record, edges and events were saved.
        CREATE TABLE IF NOT EXISTS story_dirty (
            story_id TEXT PRIMARY KEY
        );
        """,
    ),
]


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the story migrations (for tests and stand-alone use; the store does this itself)."""
    with transaction(conn):
        for _name, sql in MIGRATIONS:
            for stmt in _statements(sql):
                conn.execute(stmt)


def save_article(
    conn: sqlite3.Connection,
    *,
    article_id: str,
    story_id: str,
    seq: int,
    score: float | None,
    profile_json: str,
    vectors: bytes,
    published: str | None,
    keys: Iterable[str],
    df_updates: Iterable[tuple[str, str]],
    evicted: Iterable[tuple[str, int]],
) -> None:
    """Record one added article and everything its addition changed, in one transaction."""
    with transaction(conn):
        conn.execute(
            "INSERT INTO stories(id, first_article, first_published, size) VALUES (?, ?, ?, 0) "
            "ON CONFLICT(id) DO NOTHING",
            (story_id, article_id, published),
        )
        conn.execute("UPDATE stories SET size = size + 1 WHERE id = ?", (story_id,))
        if published is not None:
            conn.execute(
                "UPDATE stories SET first_published = ?, first_article = ? WHERE id = ? "
                "AND (first_published IS NULL OR first_published > ?)",
                (published, article_id, story_id, published),
            )
        conn.execute(
            "INSERT OR REPLACE INTO story_articles VALUES (?, ?, ?, ?, ?, ?)",
            (article_id, story_id, seq, score, profile_json, vectors),
        )
        conn.executemany(
            "INSERT OR REPLACE INTO story_postings VALUES (?, ?, ?)",
            ((k, seq, article_id) for k in keys),
        )
        conn.executemany("DELETE FROM story_postings WHERE key = ? AND seq = ?", evicted)
        conn.executemany(
            "INSERT INTO story_df VALUES (?, ?, 1) ON CONFLICT(kind, key) DO UPDATE SET n = n + 1",
            df_updates,
        )
        conn.execute("INSERT OR REPLACE INTO story_state VALUES ('seq', ?)", (str(seq),))
        conn.execute("INSERT OR IGNORE INTO story_dirty VALUES (?)", (story_id,))


def load_state(conn: sqlite3.Connection, since_seq: int = 0) -> dict[str, Any]:
    """What rebuilds the index: seq, df counts and the postings added after ``since_seq``."""
    state = dict(conn.execute("SELECT key, value FROM story_state").fetchall())
    df = conn.execute("SELECT kind, key, n FROM story_df").fetchall()
    postings = conn.execute(
        "SELECT key, seq, article_id FROM story_postings WHERE seq > ? ORDER BY seq", (since_seq,)
    )
    return {"seq": int(state.get("seq", "0")), "df": df, "postings": postings.fetchall()}


def load_articles(
    conn: sqlite3.Connection, since_seq: int = 0
) -> Iterator[tuple[str, str, int, str, bytes]]:
    """(article_id, story_id, seq, profile_json, vectors) of articles added after ``since_seq``."""
    yield from conn.execute(
        "SELECT article_id, story_id, seq, profile, vectors FROM story_articles "
        "WHERE seq > ? ORDER BY seq",
        (since_seq,),
    )


def load_placements(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """(article_id, story_id) of every placed article, in the order they were added."""
    yield from conn.execute("SELECT article_id, story_id FROM story_articles ORDER BY seq")


def load_profiles_up_to(conn: sqlite3.Connection, max_seq: int) -> Iterator[tuple[str, str]]:
    """(story_id, profile JSON) of the articles added up to ``max_seq``, streamed."""
    yield from conn.execute(
        "SELECT story_id, profile FROM story_articles WHERE seq <= ?", (max_seq,)
    )


def last_seq(conn: sqlite3.Connection) -> int:
    """The insertion number of the last article added (0 for an empty index)."""
    row = conn.execute("SELECT value FROM story_state WHERE key = 'seq'").fetchone()
    return int(row[0]) if row else 0


def postings_up_to(conn: sqlite3.Connection, key: str, max_seq: int, limit: int) -> list[str]:
    """Article ids filed under ``key`` with an insertion number up to ``max_seq``, newest first."""
    rows = conn.execute(
        "SELECT article_id FROM story_postings WHERE key = ? AND seq <= ? "
        "ORDER BY seq DESC LIMIT ?",
        (key, max_seq, limit),
    )
    return [r[0] for r in rows]


def stored_vectors(conn: sqlite3.Connection, article_ids: list[str]) -> list[tuple[str, bytes]]:
    """(article_id, vectors blob) of stored articles."""
    marks = ",".join("?" * len(article_ids))
    sql = f"SELECT article_id, vectors FROM story_articles WHERE article_id IN ({marks})"
    return [(r[0], r[1]) for r in conn.execute(sql, article_ids)]


def stored_profiles(
    conn: sqlite3.Connection, article_ids: list[str]
) -> list[tuple[str, str, bytes]]:
    """(article_id, profile JSON, vectors blob) of stored articles."""
    marks = ",".join("?" * len(article_ids))
    sql = f"SELECT article_id, profile, vectors FROM story_articles WHERE article_id IN ({marks})"
    return [(r[0], r[1], r[2]) for r in conn.execute(sql, article_ids)]


def story_of(conn: sqlite3.Connection, article_id: str) -> str | None:
    """The story id of a stored article."""
    row = conn.execute(
        "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
    ).fetchone()
    return str(row[0]) if row else None


def merge_stories(conn: sqlite3.Connection, keep: str, drop: str) -> None:
    """Fold story ``drop`` into story ``keep`` (a new report showed they are one story)."""
    with transaction(conn):
        conn.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (keep, drop))
        row = conn.execute(
            "SELECT first_article, first_published, size FROM stories WHERE id = ?", (drop,)
        ).fetchone()
        if row is not None:
            conn.execute("UPDATE stories SET size = size + ? WHERE id = ?", (row[2], keep))
            conn.execute(
                "UPDATE stories SET first_published = ?, first_article = ? WHERE id = ? "
                "AND (first_published IS NULL OR (? IS NOT NULL AND ? < first_published))",
                (row[1], row[0], keep, row[1], row[1]),
            )
        conn.execute("DELETE FROM stories WHERE id = ?", (drop,))
        conn.execute("DELETE FROM provenance_edges WHERE story_id = ?", (drop,))
        conn.execute("DELETE FROM story_events WHERE story_id = ?", (drop,))
        conn.execute("DELETE FROM story_records WHERE story_id = ?", (drop,))
        conn.execute("DELETE FROM story_dirty WHERE story_id = ?", (drop,))
        conn.execute("INSERT OR IGNORE INTO story_dirty VALUES (?)", (keep,))


def save_details(
    conn: sqlite3.Connection,
    story_id: str,
    edges: Iterable[dict[str, Any]],
    events: Iterable[tuple[str, str, dict[str, Any]]],
    record: dict[str, Any] | None = None,
) -> None:
    """Replace a story's provenance edges, merged events and record (recomputed per story)."""
    with transaction(conn):
        if record is not None:
            conn.execute(
                "INSERT INTO story_records VALUES (?, ?) "
                "ON CONFLICT(story_id) DO UPDATE SET record = excluded.record",
                (story_id, json.dumps(record, ensure_ascii=False)),
            )
        conn.execute("DELETE FROM provenance_edges WHERE story_id = ?", (story_id,))
        conn.executemany(
            "INSERT OR REPLACE INTO provenance_edges VALUES (?, ?, ?, ?, ?, ?)",
            (
                (story_id, e["from"], e["to"], e["relation"], e["confidence"],
                 json.dumps(e["evidence"], ensure_ascii=False))
                for e in edges
            ),
        )  # fmt: skip
        conn.execute("DELETE FROM story_events WHERE story_id = ?", (story_id,))
        conn.executemany(
            "INSERT OR REPLACE INTO story_events VALUES (?, ?, ?, ?)",
            ((story_id, key, typ, json.dumps(rec, ensure_ascii=False)) for key, typ, rec in events),
        )
        conn.execute("DELETE FROM story_dirty WHERE story_id = ?", (story_id,))


def stored_record(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    """The saved record of a story, or None (never saved, or a database from before records)."""
    try:
        row = conn.execute(
            "SELECT record FROM story_records WHERE story_id = ?", (story_id,)
        ).fetchone()
    except sqlite3.OperationalError:  # a read-only database that predates the table
        return None
    return None if row is None else dict(json.loads(row[0]))


def stored_text_vectors(
    conn: sqlite3.Connection, kind: str, keys: list[str]
) -> dict[str, npt.NDArray[np.float32]]:
    """Stored vectors of ``kind`` by text key (missing keys are left out)."""
    import numpy as np

    out: dict[str, npt.NDArray[np.float32]] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join("?" * len(chunk))
        try:
            rows = conn.execute(
                f"SELECT text_key, rows, vectors FROM text_vectors "
                f"WHERE kind = ? AND text_key IN ({marks})",
                (kind, *chunk),
            ).fetchall()
        except sqlite3.OperationalError:  # a read-only database that predates the table
            return out
        for key, n, blob in rows:
            out[key] = np.frombuffer(blob, dtype=np.float16).astype(np.float32).reshape(n, -1)
    return out


def save_text_vectors(
    conn: sqlite3.Connection, kind: str, vectors: dict[str, npt.NDArray[np.float32]]
) -> None:
    """Store vectors of ``kind`` by text key, as float16 (half the space, cosines to 1e-3)."""
    import numpy as np

    if not vectors:
        return
    with transaction(conn):
        conn.executemany(
            "INSERT INTO text_vectors VALUES (?, ?, ?, ?) ON CONFLICT(text_key, kind) DO NOTHING",
            (
                (key, kind, len(v), np.asarray(v, dtype=np.float16).tobytes())
                for key, v in vectors.items()
            ),
        )


def dirty_stories(conn: sqlite3.Connection) -> list[str]:
    """Stories whose record, edges and merged events are not saved for their current members."""
    return [r[0] for r in conn.execute("SELECT story_id FROM story_dirty ORDER BY story_id")]


def df_keys(profile_json: str) -> list[tuple[str, str]]:
    """The (kind, key) cues an article's profile counted once each in ``story_df``."""
    from .compare import DF_KINDS

    raw = json.loads(profile_json).get("cues", {})
    return [(kind, key) for kind in DF_KINDS for key in raw.get(kind, ())]


def unplace(conn: sqlite3.Connection, article_id: str) -> None:
    """Take an article out of its story (an edited version replaces it) and mark the story;
    its cues no longer count in the document frequencies."""
    row = conn.execute(
        "SELECT story_id, profile FROM story_articles WHERE article_id = ?", (article_id,)
    ).fetchone()
    if row is None:
        return
    story_id = row[0]
    with transaction(conn):
        gone = df_keys(row[1])
        conn.executemany("UPDATE story_df SET n = n - 1 WHERE kind = ? AND key = ?", gone)
        conn.executemany("DELETE FROM story_df WHERE kind = ? AND key = ? AND n <= 0", gone)
        conn.execute("DELETE FROM story_articles WHERE article_id = ?", (article_id,))
        conn.execute("DELETE FROM story_postings WHERE article_id = ?", (article_id,))
        conn.execute("UPDATE stories SET size = size - 1 WHERE id = ?", (story_id,))
        first = conn.execute(
            "SELECT a.id, a.published FROM story_articles sa JOIN articles a "
            "ON a.id = sa.article_id WHERE sa.story_id = ? "
            "ORDER BY a.published IS NULL, a.published, sa.seq LIMIT 1",
            (story_id,),
        ).fetchone()
        if first is None:  # it was the story's only report
            for table in ("stories", "provenance_edges", "story_events", "story_records"):
                key = "id" if table == "stories" else "story_id"
                conn.execute(f"DELETE FROM {table} WHERE {key} = ?", (story_id,))
            conn.execute("DELETE FROM story_dirty WHERE story_id = ?", (story_id,))
            return
        conn.execute(
            "UPDATE stories SET first_article = ?, first_published = ? WHERE id = ? "
            "AND first_article = ?",
            (first[0], first[1], story_id, article_id),
        )
        conn.execute("INSERT OR IGNORE INTO story_dirty VALUES (?)", (story_id,))
