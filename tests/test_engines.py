"""Engines: worker processes store exactly what one process stores; finished shards are skipped."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from conftest import FIXTURES
from wiretrace.corpus import update_stories
from wiretrace.ingest import IngestOptions, IngestReport, ingest
from wiretrace.store import open_store
from wiretrace.stories import profile

DEMO = Path(__file__).resolve().parents[1] / "src" / "wiretrace" / "demo" / "corpus"


def _records(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT id, record FROM articles").fetchall())


def _stories(db: Path) -> set[tuple[str, str, int]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT story_id, article_id, seq FROM story_articles").fetchall()
    return {(s, a, q) for s, a, q in rows}


def _ingest(db: Path, inputs: list[str], **kw: object) -> IngestReport:
    store = open_store(db)
    try:
        return ingest(inputs, store, IngestOptions(**kw))  # type: ignore[arg-type]
    finally:
        store.close()


def _pending(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(
            conn.execute("SELECT count(*) FROM text_vectors WHERE kind = 'document'").fetchone()[0]
        )


def test_engines_two_workers_store_the_demo_corpus_as_one_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    # Shards of 8 pages: the 58 demo pages make 8 shards spread over both workers.
    rep1 = _ingest(one, [str(DEMO)], workers=1, shard_size=8, story_vectors=True)
    rep2 = _ingest(two, [str(DEMO)], workers=2, shard_size=8, story_vectors=True)
    assert rep1.new == rep2.new == 58 and rep1.failed == rep2.failed == 0
    assert rep1.ids == rep2.ids  # reported in input order, whichever worker finished first
    assert rep2.shards_run == 8
    records = _records(one)
    assert records == _records(two)
    # Analysed in the workers: every record carries the entities, quotes and events stages.
    assert all('"quotes.v' in r and '"events.v' in r for r in records.values())
    # Each article's story vectors were embedded where it was analysed and wait for placement.
    assert _pending(one) == _pending(two) == 58
    # Stories are placed by the writer from what is stored, embedding no document itself: the
    # same stories on both stores, and the waiting vectors used up.
    embedded: list[int] = []
    real = profile.document_vectors
    monkeypatch.setattr(
        profile, "document_vectors", lambda arts: embedded.append(len(arts)) or real(arts)
    )
    for db in (one, two):
        store = open_store(db)
        try:
            update_stories(store)
        finally:
            store.close()
    assert embedded == []
    assert _pending(one) == _pending(two) == 0
    assert _stories(one) == _stories(two) and len(_stories(one)) == 58


def test_engines_workers_stop_at_the_first_failure_and_keep_earlier_shards(
    tmp_path: Path,
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    good = [FIXTURES / "de_dump.txt", FIXTURES / "es_dump.txt"]
    for i in range(6):
        text = good[i % 2].read_text(encoding="utf-8")
        first = text.index(".") + 1  # a sentence of its own keeps the six articles apart
        page = f"{text[:first]} Meldung Nummer {i} des Tages.{text[first:]}"
        (pages / f"a{i}.txt").write_text(page, encoding="utf-8")
    (pages / "b_empty.txt").write_bytes(b"   ")
    (pages / "c_late.txt").write_bytes(good[0].read_bytes())
    db = tmp_path / "w.db"
    rep = _ingest(db, [str(pages)], workers=2, shard_size=2, analyze=False, on_error="stop")
    assert rep.stopped and rep.failed == 1 and rep.new == 6
    assert len(_records(db)) == 6


def test_engines_resume_skips_finished_shards_and_still_reports_their_articles(
    tmp_path: Path,
) -> None:
    db = tmp_path / "r.db"
    first = _ingest(db, [str(FIXTURES)], shard_size=2, analyze=False, resume=True)
    assert first.new == 4 and first.shards_skipped == 0
    again = _ingest(db, [str(FIXTURES)], shard_size=2, analyze=False, resume=True)
    # Shards that held only good pages are skipped without cleaning; the rest run again.
    assert again.shards_skipped >= 1 and again.new == 0
    assert sorted(set(again.ids)) == sorted(set(first.ids))
    assert again.seen == first.seen


def test_engines_a_store_refusing_story_vectors_does_not_stop_the_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Vectors waiting for placement are an optimisation: if they cannot be stored, the run
    stores its articles, says so, and placement embeds the documents itself."""

    def refuse(conn: object, vectors: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(profile, "save_pending", refuse)
    db = tmp_path / "v.db"
    pages = sorted(DEMO.glob("*.txt"))[:2]
    rep = _ingest(db, [str(p) for p in pages], story_vectors=True)
    assert rep.new == 2 and rep.failed == 0
    assert any("story vectors not stored" in w for w in rep.warnings)
    assert _pending(db) == 0
    store = open_store(db)
    try:
        assert update_stories(store).added == 2
    finally:
        store.close()


def _story_records(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT story_id, record FROM story_records").fetchall())


def test_engines_stories_placed_during_the_run_are_the_same_on_one_worker_and_two(
    tmp_path: Path,
) -> None:
    """The writer places each shard's articles as the shard is written (while the workers
    analyse the next ones): shards in input order, each oldest first, whatever the worker
    count; the story records are saved after the run. Same records, stories and story records
    as one process, and the same as placing the run's shards in that order after it."""
    dbs = {w: tmp_path / f"w{w}.db" for w in (1, 2)}
    reps = {}
    for w, db in dbs.items():
        store = open_store(db)
        try:
            opts = IngestOptions(workers=w, shard_size=8, story_vectors=True, place_stories=True)
            rep = reps[w] = ingest([str(DEMO)], store, opts)
            # Placed during the run, each shard's stories saved then: nothing is left to do.
            assert rep.stories.added == 58 and len(_stories(db)) == 58
            assert set(rep.stories.touched) == set(_story_records(db))
            final = update_stories(store, units=rep.units, into=rep.stories)
            assert final.added == 58 and len(final.touched) == final.new_stories > 0
            assert set(final.touched) == set(_story_records(db))
        finally:
            store.close()
    assert reps[1].units == reps[2].units and len(reps[1].units) == 8
    assert [i for u in reps[1].units for i in u] == reps[1].ids
    assert _records(dbs[1]) == _records(dbs[2])
    assert _stories(dbs[1]) == _stories(dbs[2]) and len(_stories(dbs[1])) == 58
    assert _story_records(dbs[1]) == _story_records(dbs[2])
    # The same units placed after an ingest that placed nothing give the same stories.
    after = tmp_path / "after.db"
    rep = _ingest(after, [str(DEMO)], workers=1, shard_size=8, story_vectors=True)
    store = open_store(after)
    try:
        update_stories(store, units=rep.units)
    finally:
        store.close()
    assert _stories(after) == _stories(dbs[1])
    assert _story_records(after) == _story_records(dbs[1])


def test_engines_a_placement_fault_during_the_run_leaves_placement_to_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Placing stories during the run is an optimisation: if it fails, the articles are
    stored all the same, the run says so, and placement after the run places them."""
    from wiretrace.stories import StoryIndex

    real = StoryIndex.add_many
    calls: list[int] = []

    def fail_once(self: StoryIndex, *a: object, **kw: object) -> list[str]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("placement bug")
        return real(self, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(StoryIndex, "add_many", fail_once)
    db = tmp_path / "f.db"
    store = open_store(db)
    try:
        opts = IngestOptions(shard_size=2, analyze=False, place_stories=True)
        rep = ingest([str(FIXTURES)], store, opts)
        assert rep.new == 4 and rep.stories.added == 0 and not _stories(db)
        assert any("stories placed after the run (RuntimeError: placement bug)" in w
                   for w in rep.warnings)  # fmt: skip
        final = update_stories(store, units=rep.units, into=rep.stories)
    finally:
        store.close()
    assert final.added == 4 and len(_stories(db)) == 4


def test_engines_a_growing_story_is_not_rebuilt_after_every_shard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """During a run a story's record is saved when the story first changes and then only once
    it has doubled in size (each save reads all its reports); the rest wait for the end of the
    run, whose records are those of saving after every shard."""
    from wiretrace.stories import record

    saves: list[tuple[str, int]] = []
    real = record.save_story

    def counted(conn: object, story_id: str, arts: list[object], *a: object) -> object:
        saves.append((story_id, len(arts)))
        return real(conn, story_id, arts, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(record, "save_story", counted)
    db = tmp_path / "g.db"
    store = open_store(db)
    try:
        opts = IngestOptions(shard_size=4, story_vectors=True, place_stories=True)
        rep = ingest([str(DEMO)], store, opts)
        during = list(saves)
        update_stories(store, units=rep.units, into=rep.stories)
    finally:
        store.close()
    sizes: dict[str, list[int]] = {}
    for sid, n in during:
        sizes.setdefault(sid, []).append(n)
    assert any(len(ns) > 1 for ns in sizes.values())  # some story grew and was saved again
    for ns in sizes.values():
        assert all(b >= 2 * a for a, b in itertools.pairwise(ns))
    # Every story whose last save missed some of its reports was saved at the end.
    final = {sid: n for sid, n in saves}
    with sqlite3.connect(db) as conn:
        real_sizes = dict(
            conn.execute("SELECT story_id, count(*) FROM story_articles GROUP BY story_id")
        )
        dirty = conn.execute("SELECT count(*) FROM story_dirty").fetchone()[0]
    assert {sid: final.get(sid) for sid in real_sizes} == real_sizes and dirty == 0
