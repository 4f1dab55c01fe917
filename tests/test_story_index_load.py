"""Reloading a story index reads only its live window: the rest stays on disk, found as before."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from test_stories_fixtures import ALL
from wiretrace.stories import IndexOptions, StoryIndex, index, schema
from wiretrace.stories.profile import build


def test_story_index_load_keeps_only_the_live_window_and_decides_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    profiles = build(ALL)
    opts = IndexOptions(max_live=3)
    conn = sqlite3.connect(":memory:", isolation_level=None)
    first = StoryIndex(opts, conn=conn)
    for p in profiles[:6]:
        first.add_profile(p)
    parsed: list[str] = []
    postings: list[int] = []
    real_from_record, real_load_state = index.from_record, schema.load_state

    def counting_from_record(record: dict[str, Any], blob: bytes) -> Any:
        parsed.append(str(record["id"]))
        return real_from_record(record, blob)

    def counting_load_state(*args: Any, **kw: Any) -> dict[str, Any]:
        state = real_load_state(*args, **kw)
        postings.append(len(state["postings"]))
        return state

    monkeypatch.setattr(index, "from_record", counting_from_record)
    monkeypatch.setattr(schema, "load_state", counting_load_state)
    again = StoryIndex.load(conn, opts)
    # Profiles and postings of articles that left memory are not even read into memory.
    assert parsed == [p.id for p in profiles[3:6]]
    assert postings == [sum(len(k) for k in first._live.keys.values())]
    # Every placement is known, but only the three latest profiles (and their postings) are
    # in memory; the three before are on disk, looked up there by later reports.
    assert again.story == first.story and again.stats.docs == 6
    assert list(again._live.profiles) == [p.id for p in profiles[3:6]]
    assert {a for q in again._live.postings.values() for _, a in q} <= set(again._live.profiles)
    assert again._evicted_seq == first._evicted_seq == 3
    assert again._evicted_latest == first._evicted_latest
    assert dict(again.langs) == dict(first.langs)
    # Going on from the reloaded index places the rest as going on without a reload does.
    rest_reloaded = [again.add_profile(p) for p in profiles[6:]]
    rest_continued = [first.add_profile(p) for p in profiles[6:]]
    assert rest_reloaded == rest_continued
