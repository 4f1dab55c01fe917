"""The Ray engine: 200 documents on a local Ray store exactly what the local engine stores, and
a run killed halfway resumes without running its finished shards again."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wiretrace.ingest import IngestOptions, IngestReport, ingest
from wiretrace.sources import iter_pages
from wiretrace.stages.clean.extract import to_article
from wiretrace.store import open_store

ray = pytest.importorskip("ray")

DEMO = Path(__file__).resolve().parents[1] / "src" / "wiretrace" / "demo" / "corpus"
N_DOCS = 200
SHARD = 16  # the default shard size: 200 documents make 13 shards


@pytest.fixture(scope="module")
def local_ray() -> Iterator[str]:
    """A private Ray on this machine (2 CPUs, no dashboard, nothing reached over the network)."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield str(ray.get_runtime_context().gcs_address)
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 distinct news texts in 8 languages, composed from the demo corpus's articles.

    Each keeps the title and paragraphs of one demo article and adds one paragraph of another
    article in the same language (or of itself), so every text is new and reads as one
    language.
    """
    arts = [to_article(p)[0] for p in iter_pages([str(DEMO)]) if not isinstance(p, Exception)]
    by_lang: dict[str | None, list[int]] = {}
    for i, a in enumerate(arts):
        by_lang.setdefault(a.language, []).append(i)
    rows: list[str] = []
    seen: set[str] = set()
    for k in range(50):  # round k pairs each article with the k-th next one of its language
        for i, a in enumerate(arts):
            same = by_lang[a.language]
            b = arts[same[(same.index(i) + 1 + k) % len(same)]]
            paras = b.body.split("\n\n")
            text = a.body + "\n\n" + paras[k % len(paras)]
            if text in seen or len(rows) >= N_DOCS:
                continue
            seen.add(text)
            rec = {"title": a.title, "text": text, "published": a.published}
            rows.append(json.dumps(rec, ensure_ascii=False))
    assert len(rows) == N_DOCS
    path = tmp_path_factory.mktemp("ray-docs") / "docs.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_records(docs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    db = tmp_path_factory.mktemp("ray-local") / "local.db"
    rep = _ingest(db, docs, IngestOptions(workers=1))
    assert rep.new == N_DOCS and rep.failed == 0, rep.summary()
    return _records(db)


def _ingest(db: Path, docs: Path, opts: IngestOptions) -> IngestReport:
    store = open_store(db)
    try:
        return ingest([str(docs)], store, opts)
    finally:
        store.close()


def _records(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT id, record FROM articles").fetchall())


def _finished_shards(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM shards").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_ray_engine_stores_what_the_local_engine_stores(
    local_ray: str, docs: Path, local_records: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "ray.db"
    rep = _ingest(db, docs, IngestOptions(engine="ray", workers=2, resume=True))
    assert rep.new == N_DOCS and rep.failed == 0
    assert rep.shards_run == -(-N_DOCS // SHARD) and rep.shards_skipped == 0
    assert _records(db) == local_records
    assert _finished_shards(db) == rep.shards_run


def test_ray_run_killed_halfway_resumes_without_redoing_finished_shards(
    local_ray: str, docs: Path, local_records: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-c", "from wiretrace.cli import main; main()", "--db", str(db),
           "ingest", str(docs), "--engine", "ray", "--ray-address", local_ray, "--workers", "2",
           "--no-stories", "--quiet"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 600
        while _finished_shards(db) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert proc.poll() is None, "the run ended before it could be killed halfway"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    done_before = _finished_shards(db)
    total = -(-N_DOCS // SHARD)
    assert 3 <= done_before < total
    stored_before = len(_records(db))

    rep = _ingest(db, docs, IngestOptions(engine="ray", workers=2, resume=True))
    # Finished shards are skipped unread by the stages; only the others are cleaned and run.
    assert rep.shards_skipped == done_before
    assert rep.shards_run == total - done_before
    # Articles of a shard written just before the kill but not yet marked are found stored.
    assert rep.new == N_DOCS - stored_before
    assert rep.unchanged == stored_before
    assert len(set(rep.ids)) == N_DOCS
    assert _records(db) == local_records
    assert _finished_shards(db) == total
