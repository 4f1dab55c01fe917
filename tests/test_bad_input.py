"""Bad input gets a clear message naming the input, is skipped or stops the run, and never
damages what is already stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES
from wiretrace.ingest import IngestOptions, ingest
from wiretrace.sources import SourceOptions
from wiretrace.store import open_store

GOOD = FIXTURES / "de_dump.txt"


def _snapshot(db: Path) -> list[tuple[str, str]]:
    store = open_store(db)
    rows = store.conn.execute("SELECT id, record FROM articles ORDER BY id").fetchall()
    store.close()
    return [(r[0], r[1]) for r in rows]


@pytest.fixture
def stored(db_path: Path) -> list[tuple[str, str]]:
    """A database that already holds the fixture articles."""
    store = open_store(db_path)
    assert ingest([str(FIXTURES)], store, IngestOptions(analyze=False)).new == 4
    store.close()
    return _snapshot(db_path)


def _run(db: Path, inputs: list[str], **kw: object):  # type: ignore[no-untyped-def]
    store = open_store(db)
    try:
        return ingest(inputs, store, IngestOptions(analyze=False, **kw))  # type: ignore[arg-type]
    finally:
        store.close()


def _problem(report, name: str) -> str:  # type: ignore[no-untyped-def]
    hits = [p for w, p in report.failures if name in w]
    assert hits, f"no failure recorded for {name}: {report.failures}"
    return hits[0]


def test_empty_file_is_reported_and_others_still_ingested(tmp_path: Path, db_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    rep = _run(db_path, [str(tmp_path / "empty.txt"), str(GOOD)])
    assert "empty" in _problem(rep, "empty.txt")
    assert rep.new == 1 and rep.failed == 1


def test_binary_files_are_named_for_what_they_are(tmp_path: Path, db_path: Path,
                                                  stored: list[tuple[str, str]]) -> None:  # fmt: skip
    tmp_path = tmp_path / "pages"
    tmp_path.mkdir()
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (tmp_path / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 64)
    rep = _run(db_path, [str(tmp_path)])
    assert "PDF" in _problem(rep, "scan.pdf")
    assert "PNG" in _problem(rep, "photo.html")
    assert "binary" in _problem(rep, "blob.txt")
    assert _snapshot(db_path) == stored


def test_legacy_and_mixed_encodings_are_decoded(tmp_path: Path, db_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes(text.replace("Startseite", "Startseite").encode("cp1252"))
    lines = text.split("\n")
    mixed = "\n".join(lines[:4]).encode("utf-8") + b"\n" + "\n".join(lines[4:]).encode("cp1252")
    (tmp_path / "mixed.txt").write_bytes(mixed)
    store = open_store(db_path)
    rep = ingest([str(tmp_path / "latin1.txt"), str(tmp_path / "mixed.txt")], store,
                 IngestOptions(analyze=False))  # fmt: skip
    assert rep.failed == 0
    assert any("latin1.txt" in w for w in rep.warnings)
    assert any("mixed encodings" in w and "mixed.txt" in w for w in rep.warnings)
    bodies = [r[0] for r in store.conn.execute("SELECT record FROM articles")]
    assert all("Lokführergewerkschaft" in json.loads(b)["body"] for b in bodies)


def test_truncated_and_hostile_html(tmp_path: Path, db_path: Path) -> None:
    tmp_path = tmp_path / "pages"
    tmp_path.mkdir()
    page = (FIXTURES / "en_page.html").read_text()
    (tmp_path / "truncated.html").write_text(page[: page.index("The stoppage")])
    hostile = (
        "<html><head><title>x</title><script>alert(1)</script></head><body>"
        + "<div>" * 5000
        + "<p onclick='steal()'>Harbour officials said the port would reopen on Friday after "
        "repairs to the main crane were finished ahead of schedule.</p>"
        "<a href='javascript:alert(2)'>click</a><iframe src='//evil'></iframe>"
        + "</div>" * 5000
        + "</body></html>"
    )
    (tmp_path / "hostile.html").write_text(hostile)
    store = open_store(db_path)
    rep = ingest([str(tmp_path)], store, IngestOptions(analyze=False))
    records = [json.loads(r[0]) for r in store.conn.execute("SELECT record FROM articles")]
    assert rep.failed + rep.new == 2
    for rec in records:
        assert "alert(" not in rec["body"] and "steal()" not in rec["body"]
        assert "<script" not in rec["body"]
    truncated = [r for r in records if r["body"].startswith("Dock workers")]
    assert truncated, "a truncated page still yields the text it has"


def test_file_over_the_size_cap_is_refused_without_reading_it(
    tmp_path: Path, db_path: Path
) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:  # a sparse 1 GB file: costs no disk, proves we never read it
        fh.truncate(1024**3)
    rep = _run(db_path, [str(huge), str(GOOD)])
    problem = _problem(rep, "huge.txt")
    assert "1.0 GB" in problem and "limit" in problem
    assert rep.new == 1


def test_malformed_jsonl_line_is_reported_with_its_number(tmp_path: Path, db_path: Path) -> None:
    good = {"url": "https://example.org/a", "text": GOOD.read_text()}
    lines = [json.dumps(good), '{"url": "https://example.org/b", "text": "unterminated', "[1, 2]",
             json.dumps({"url": "https://example.org/c"})]  # fmt: skip
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    store = open_store(db_path)
    rep = ingest([str(tmp_path / "feed.jsonl")], store, IngestOptions(analyze=False))
    wheres = [w for w, _ in rep.failures]
    assert wheres == [f"{tmp_path / 'feed.jsonl'}:{n}" for n in (2, 3, 4)]
    assert "malformed JSON" in rep.failures[0][1]
    assert rep.new == 1
    stored = store.failures()
    assert {f["line"] for f in stored} == {2, 3, 4}
    assert all(f["input"].endswith("feed.jsonl") for f in stored)


def test_over_long_jsonl_line_is_skipped_not_loaded(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    small = json.dumps({"text": GOOD.read_text()})
    path.write_text(json.dumps({"text": "x" * 5000}) + "\n" + small + "\n")
    store = open_store(db_path)
    rep = ingest(
        [str(path)], store, IngestOptions(analyze=False, sources=SourceOptions(max_bytes=4000))
    )
    assert rep.failures[0][0].endswith("big.jsonl:1") and "longer than" in rep.failures[0][1]
    assert rep.new == 1


def test_missing_path_and_unreachable_url(db_path: Path) -> None:
    rep = _run(db_path, ["/nonexistent/nowhere.html", "http://127.0.0.1:9/unreachable", str(GOOD)])
    assert "no such file" in _problem(rep, "nowhere.html")
    assert "unreachable" in _problem(rep, "127.0.0.1:9")
    assert rep.new == 1


def test_on_error_stop_halts_after_recording_and_keeps_earlier_work(
    tmp_path: Path, db_path: Path
) -> None:
    tmp_path = tmp_path / "pages"
    tmp_path.mkdir()
    (tmp_path / "a_good.txt").write_bytes(GOOD.read_bytes())
    (tmp_path / "b_empty.txt").write_bytes(b"   ")
    (tmp_path / "c_good.txt").write_bytes((FIXTURES / "es_dump.txt").read_bytes())
    rep = _run(db_path, [str(tmp_path)], on_error="stop")
    assert rep.stopped and rep.new == 1 and rep.failed == 1
    assert len(_snapshot(db_path)) == 1


def test_corrupt_database_file_gets_a_clear_error(tmp_path: Path) -> None:
    from wiretrace.errors import StoreError

    bad = tmp_path / "not-a.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a wiretrace database"):
        open_store(bad)
    assert bad.read_bytes() == b"this is not sqlite" * 100
