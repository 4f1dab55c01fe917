"""Web archives: HTML responses in a WARC file become articles; other records are passed over."""

from __future__ import annotations

import io
from pathlib import Path

from conftest import FIXTURES
from wiretrace.ingest import IngestOptions, ingest
from wiretrace.store import open_store


def _warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        page = (FIXTURES / "en_page.html").read_bytes()
        for uri, ctype, body in (
            ("https://harbourdaily.example/news/port-strike-ends", "text/html", page),
            ("https://harbourdaily.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n0000"),
        ):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                            http_headers=headers)  # fmt: skip
            writer.write_record(rec)


def test_warc_html_responses_are_ingested(tmp_path: Path, db_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    _warc(archive)
    store = open_store(db_path)
    rep = ingest([str(archive)], store, IngestOptions(analyze=False))
    assert (rep.new, rep.failed) == (1, 0)
    row = store.list()[0]
    assert row.url == "https://harbourdaily.example/news/port-strike-ends"
    assert row.title == "Port workers end strike after pay deal"


def test_a_broken_warc_is_reported_by_name(tmp_path: Path, db_path: Path) -> None:
    bad = tmp_path / "broken.warc"
    bad.write_bytes(b"WARC/1.0\r\nthis is not a record\r\n" * 3)
    rep = ingest([str(bad)], open_store(db_path), IngestOptions(analyze=False))
    assert rep.failed == 1 and "broken.warc" in rep.failures[0][0]
    assert "WARC" in rep.failures[0][1]
