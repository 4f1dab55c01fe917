"""Story records and embeddings are computed once, stored, and read back without re-embedding."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from test_stories_fixtures import TALKS_EN, TALKS_FR, TALKS_UK
from wiretrace.stories import embed, translation
from wiretrace.stories.index import StoryIndex
from wiretrace.stories.record import PARAGRAPHS, load_story, save_story
from wiretrace.stories.schema import migrate, stored_record, stored_text_vectors

STORY = [TALKS_EN, TALKS_UK, TALKS_FR]


def _forget_vectors() -> None:
    """A fresh process: no paragraph vectors in memory."""
    translation._VECTORS.clear()
    translation.take_fresh()


def _no_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> Any:
        raise AssertionError("the USE encoder was called for something already stored")

    monkeypatch.setattr(embed, "_encoder", refuse)


def _placed() -> tuple[sqlite3.Connection, str]:
    conn = sqlite3.connect(":memory:")
    migrate(conn)
    index = StoryIndex(conn=conn)
    ids = index.add_many(STORY)
    assert len(set(ids)) == 1, "the three reports are one story"
    return conn, ids[0]


def test_story_record_is_saved_and_read_back_without_any_embedding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conn, sid = _placed()
    rec = save_story(conn, sid, STORY)
    assert ("talks-uk", "talks-fr") in {(e["from"], e["to"]) for e in rec["edges"]}
    assert stored_record(conn, sid) == rec
    _forget_vectors()
    _no_encoder(monkeypatch)
    assert load_story(conn, sid, STORY) == rec


def test_refreshing_a_story_reuses_stored_profiles_and_paragraph_vectors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conn, sid = _placed()
    first = save_story(conn, sid, STORY)
    keys = [translation.body_key(a.body) for a in STORY]
    assert stored_text_vectors(conn, PARAGRAPHS, keys), "translation checks stored their vectors"
    conn.execute("DELETE FROM story_records")  # as a database from before saved records
    _forget_vectors()
    _no_encoder(monkeypatch)
    assert load_story(conn, sid, STORY) == first
    assert save_story(conn, sid, STORY) == first


def test_stored_paragraph_vectors_equal_the_computed_ones() -> None:
    conn = sqlite3.connect(":memory:")
    migrate(conn)
    _forget_vectors()
    vecs = translation.paragraph_vectors(TALKS_FR.body)
    from wiretrace.stories.schema import save_text_vectors

    save_text_vectors(conn, PARAGRAPHS, translation.take_fresh())
    back = stored_text_vectors(conn, PARAGRAPHS, [translation.body_key(TALKS_FR.body)])
    (stored,) = back.values()
    assert stored.shape == vecs.shape and (stored == vecs).all()
