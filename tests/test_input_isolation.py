"""Every bad input is one recorded failure, named with its reason; the good inputs beside it are stored.

One test per crash case found by fault injection (issue 13): each input sits in a run next to a
good article, and the run must end with the good article stored and the bad input in `failures`.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from wiretrace.ingest import IngestOptions, ingest
from wiretrace.limits import Limits, memory_limit
from wiretrace.model import Article
from wiretrace.pipeline import Pipeline, Stage, build
from wiretrace.sources import SourceOptions
from wiretrace.sources.fetch import Fetcher, FetchOptions
from wiretrace.store import open_store

GOOD = (
    "Leaders met in Geneva on Monday.\n\n"
    "The talks covered trade and energy, officials said after the meeting ended late.\n"
)
LONG_TEXT = "Ministers met in Vienna on Tuesday to talk about gas prices and winter supplies. "


def _run(tmp_path: Path, bad: Path | str, *, analyze: bool = False) -> tuple[list, list, int]:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    store = open_store(tmp_path / "w.db")
    # A feed link must never reach the network: the transport refuses every request.
    import httpx

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no network in tests", request=request)

    fetcher = Fetcher(FetchOptions(), transport=httpx.MockTransport(refuse))
    opts = IngestOptions(analyze=analyze, sources=SourceOptions(max_bytes=4_000_000))
    report = ingest([str(bad), str(good)], store, opts, fetcher=fetcher)
    failures = store.failures()
    stored = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    store.close()
    return report.failures, failures, stored


def _assert_isolated(tmp_path: Path, bad: Path | str, reason: str) -> None:
    failed, recorded, stored = _run(tmp_path, bad)
    assert stored >= 1, "the good input of the same run was not stored"
    assert any(reason in problem for _, problem in failed), failed
    assert any(reason in f["reason"] for f in recorded), recorded


def test_jsonl_string_with_a_lone_surrogate_is_a_failure(tmp_path: Path) -> None:
    bad = tmp_path / "s.jsonl"
    bad.write_text('{"text": "Talks in Geneva \\ud800 went on late into the night."}\n')
    _assert_isolated(tmp_path, bad, "lone surrogate")


def test_deeply_nested_json_is_a_failure(tmp_path: Path) -> None:
    bad = tmp_path / "n.jsonl"
    bad.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    _assert_isolated(tmp_path, bad, "nested too deeply")


def test_integer_over_4300_digits_is_a_failure(tmp_path: Path) -> None:
    bad = tmp_path / "i.jsonl"
    bad.write_text('{"text": "Talks in Geneva.", "n": ' + "7" * 5000 + "}\n")
    _assert_isolated(tmp_path, bad, "4300 digits")


def test_warc_response_without_target_uri_is_a_failure(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    bad = tmp_path / "a.warc"
    with bad.open("wb") as fh:
        body = b"<html><body><article><p>" + LONG_TEXT.encode() * 10 + b"</p></article></body>"
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        rec = WARCWriter(fh, gzip=False).create_warc_record(
            None, "response", payload=io.BytesIO(body), http_headers=http
        )
        WARCWriter(fh, gzip=False).write_record(rec)
    failed, _, stored = _run(tmp_path, bad)
    assert stored >= 1
    assert any(where.startswith(str(bad)) and "WARC" in p for where, p in failed), failed


def test_feed_link_with_an_invalid_idna_host_is_a_failure(tmp_path: Path) -> None:
    bad = tmp_path / "f.xml"
    bad.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>a</title><link>http://a\u00ad\u200b.xn--80ak6aa92e.com/</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    _assert_isolated(tmp_path, bad, "not a valid URL")


def test_non_utf8_file_name_is_refused_by_name(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/bad\xff\xfe.txt"
    with open(raw, "wb") as fh:
        fh.write(GOOD.encode())
    _assert_isolated(tmp_path, os.fsdecode(raw), "not valid UTF-8")


def test_symlink_to_dev_zero_is_refused_before_reading(tmp_path: Path) -> None:
    bad = tmp_path / "zero.txt"
    bad.symlink_to("/dev/zero")
    _assert_isolated(tmp_path, bad, "a device")


def test_fifo_is_refused_before_reading(tmp_path: Path) -> None:
    bad = tmp_path / "pipe.txt"
    os.mkfifo(bad)
    _assert_isolated(tmp_path, bad, "FIFO")


def test_symlink_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    _assert_isolated(tmp_path, tmp_path / "a.txt", "symbolic link")


def test_special_files_inside_a_directory_are_refused_and_the_rest_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "ok.txt").write_text(GOOD, encoding="utf-8")
    failed, _, stored = _run(tmp_path, folder)
    assert stored == 1  # ok.txt and good.txt hold the same text: one article
    assert sorted(Path(w).name for w, _ in failed) == ["pipe.txt", "zero.txt"]


def test_body_over_a_million_characters_is_stored_whole_and_analysed_in_part(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "long.txt"
    text = "Vienna talks.\n\n" + LONG_TEXT * (1_000_001 // len(LONG_TEXT) + 1)
    bad.write_text(text, encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    store = open_store(tmp_path / "w.db")
    opts = IngestOptions(
        sources=SourceOptions(max_bytes=4_000_000), limits=Limits(max_chars=20_000)
    )
    report = ingest([str(bad), str(good)], store, opts)
    bodies = [len(r[0]) for r in store.conn.execute("SELECT body FROM articles_fts")]
    spans = [r[0] for r in store.conn.execute("SELECT max(evidence_end) FROM events")]
    store.close()
    assert report.failed == 0, report.failures  # no spaCy E088 (texts over 1,000,000 chars)
    assert report.new == 2
    assert max(bodies) > 1_000_000  # the whole body is kept
    assert all(s is None or s <= 20_000 for s in spans)
    assert any("analysed the first" in w for w in report.warnings), report.warnings


def _stage(fn: Callable[[Article], Article]) -> Pipeline:
    return build([Stage("probe", "probe.v1", (), (), fn)])


def test_an_article_whose_analysis_fails_is_recorded_and_its_batch_stored(
    tmp_path: Path,
) -> None:
    def fragile(a: Article) -> Article:
        if "Geneva" in a.title + a.body:
            raise MemoryError("Unable to allocate 7.5 GiB for an array")
        return a

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.txt").write_text(LONG_TEXT * 3, encoding="utf-8")
    store = open_store(tmp_path / "w.db")
    report = ingest([str(folder)], store, IngestOptions(), pipeline=_stage(fragile))
    stored = store.conn.execute("SELECT source_path FROM articles").fetchall()
    recorded = store.failures()
    store.close()
    assert [Path(r[0]).name for r in stored] == ["b.txt"]
    assert [(Path(w).name, "memory" in p) for w, p in report.failures] == [("a.txt", True)]
    assert len(recorded) == 1


def test_an_article_whose_analysis_runs_over_its_time_is_recorded(tmp_path: Path) -> None:
    def slow(a: Article) -> Article:
        while "Geneva" in a.title + a.body:
            time.sleep(0.01)
        return a

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.txt").write_text(LONG_TEXT * 3, encoding="utf-8")
    store = open_store(tmp_path / "w.db")
    opts = IngestOptions(limits=Limits(seconds=0.5))
    report = ingest([str(folder)], store, opts, pipeline=_stage(slow))
    n = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    store.close()
    assert n == 1
    assert [(Path(w).name, "took over 0.5 s" in p) for w, p in report.failures] == [("a.txt", True)]


MIB = 1024**2


def hungry(a: Article) -> Article:
    """A stage whose memory runs away on one input, as a step quadratic in its length would:
    it asks for 4 GiB in blocks of 256 MiB (zero pages never written, so nothing is resident
    even when no limit stops it), holding them all, then lets go."""
    if "Geneva" in a.title + a.body:
        held = [bytes(256 * MIB) for _ in range(16)]
        del held
    return a


def test_memory_limit_refuses_allocations_past_it_and_is_lifted_after() -> None:
    with pytest.raises(MemoryError), memory_limit(256 * MIB):
        bytes(1024 * MIB)
    assert len(bytes(1024 * MIB)) == 1024 * MIB  # no limit left behind


@pytest.mark.parametrize("workers", [1, 2])
def test_an_input_whose_analysis_needs_too_much_memory_is_recorded_and_the_rest_stored(
    tmp_path: Path, workers: int
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.txt").write_text(LONG_TEXT * 3, encoding="utf-8")
    (folder / "c.txt").write_text(LONG_TEXT * 4, encoding="utf-8")
    store = open_store(tmp_path / "w.db")
    # One page a shard: three shards, so with two workers the pool engine runs the analysis.
    opts = IngestOptions(limits=Limits(memory=512 * MIB), workers=workers, shard_size=1)
    report = ingest([str(folder)], store, opts, pipeline=_stage(hungry))
    stored = store.conn.execute("SELECT source_path FROM articles").fetchall()
    recorded = store.failures()
    store.close()
    assert sorted(Path(r[0]).name for r in stored) == ["b.txt", "c.txt"]
    want = "analysis ran out of memory (limit 512 MiB per input); skipped"
    assert [(Path(w).name, p) for w, p in report.failures] == [("a.txt", want)]
    assert [f["reason"] for f in recorded] == [want]


def test_tag_soup_is_flattened_before_extraction_and_its_text_kept() -> None:
    from wiretrace.model import RawPage
    from wiretrace.stages.clean.extract import MAX_INLINE_TAGS, clean_page, flatten_inline

    normal = "<p>The <b>minister</b> said <i>no</i>.</p>"
    assert flatten_inline(normal) == normal  # ordinary pages are left exactly as they are
    soup = "<html><body><article><p>" + "talks <b>went</b> on " * 64_000 + "</p></article>"
    flat = flatten_inline(soup)
    assert "<b>" not in flat and flat.count("talks went on") == 64_000
    assert soup.count("<b>") > MAX_INLINE_TAGS
    clean, _ = clean_page(RawPage(data=soup.encode(), kind="html", source_path="soup.html"))
    assert clean.body.count("went on") > 1000
