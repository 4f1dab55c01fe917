"""Fuzz targets: every parser we wrote, fed arbitrary bytes, must answer or refuse, never crash.

Each target takes bytes and returns nothing; the only exceptions it may let out are the
refusals named in :data:`ALLOWED` (a clear InputError or QuerySyntaxError). The same targets
run in CI as hypothesis property tests (small budget, ``tests/test_fuzz.py``) and in the
opt-in long run (``bench/fuzz.py``), which also counts inputs over the per-input time limit.
"""

from __future__ import annotations

import io
import sqlite3
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from .errors import InputError
from .store.textquery import QuerySyntaxError

ALLOWED: tuple[type[BaseException], ...] = (InputError, QuerySyntaxError)
LANGS = ("en", "fr", "uk", "ru", "de", "es", None)


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _lang(data: bytes) -> str | None:
    return LANGS[data[0] % len(LANGS)] if data else None


def text_dump(data: bytes) -> None:
    from .stages.clean.dump import clean_dump

    clean_dump(_text(data))


def chrome(data: bytes) -> None:
    from .stages.clean import chrome as c

    for line in _text(data).splitlines()[:200]:
        c.classify(line)
        c.timestamp_of(line)
        c.epoch_of(line)
        c.hashtags(line)


def attribution(data: bytes) -> None:
    from .stages.clean.attribution import parse_attribution, title_attribution

    text = _text(data[1:])
    for line in text.splitlines()[:50]:
        parse_attribution(line, _lang(data))
    title_attribution(text[:500], _lang(data))


def jsonl(data: bytes) -> None:
    from .model import RawPage
    from .sources import SourceOptions, _jsonl_lines

    for item in _jsonl_lines(io.BytesIO(data), "fuzz.jsonl", SourceOptions(max_bytes=1 << 16)):
        assert isinstance(item, RawPage | InputError)
        if isinstance(item, RawPage):  # what the store will hold must be valid UTF-8
            for value in (item.url, item.source_path, *item.hints.values()):
                if value is not None:
                    value.encode("utf-8")


@cache
def _offline_fetcher() -> object:
    import httpx

    from .sources.fetch import Fetcher, FetchOptions

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("offline", request=request)

    return Fetcher(FetchOptions(), transport=httpx.MockTransport(refuse))


def feed(data: bytes) -> None:
    from .sources.feeds import iter_feed
    from .sources.fetch import Fetcher

    fetcher = _offline_fetcher()
    assert isinstance(fetcher, Fetcher)
    for _item in iter_feed(data, "fuzz.xml", fetcher, 20):
        pass


def warc(data: bytes) -> None:
    from .sources.warc import iter_warc

    with tempfile.NamedTemporaryFile(suffix=".warc") as fh:
        fh.write(data)
        fh.flush()
        for _item in iter_warc(Path(fh.name), 1 << 16):
            pass


def dates(data: bytes) -> None:
    from .stages.facts.dates import extract_dates

    extract_dates(_text(data[1:])[:400], _lang(data) or "en", "2023-09-14T10:00:00+02:00")


def figures(data: bytes) -> None:
    from .stages.facts.figures import extract_figures

    extract_figures(_text(data[1:])[:1000], _lang(data) or "en")


@cache
def _fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')"
    )
    conn.execute("INSERT INTO t VALUES ('Leaders met in Geneva; talks on trade and energy')")
    return conn


def search_query(data: bytes) -> None:
    from .store.textquery import fts5_query

    query = fts5_query(_text(data)[:300])
    _fts().execute("SELECT count(*) FROM t WHERE t MATCH ?", (query,)).fetchone()


TARGETS: dict[str, Callable[[bytes], None]] = {
    "text_dump": text_dump,
    "chrome": chrome,
    "attribution": attribution,
    "jsonl": jsonl,
    "feed": feed,
    "warc": warc,
    "dates": dates,
    "figures": figures,
    "search_query": search_query,
}

# Inputs every target starts from (the long run mutates them); short, written here.
SEEDS: dict[str, list[bytes]] = {
    "text_dump": [
        b"Talks in Istanbul\n\nPublished 14.09.2023 10:12\n\nLeaders met on Monday.\n\n"
        b"Source: Politico\n\n#news #world\n\nShare on Facebook\n",
    ],
    "chrome": [b"Share on Facebook\n14.09.2023, 10:12\n#war #peace\n1694685600\nRead more:\n"],
    "attribution": [b"\x00Source: Politico, translated by Evropeiska Pravda", b"\x02via Reuters"],
    "jsonl": [
        b'{"url": "https://example.org/a", "title": "T", "text": "Body text.", '
        b'"published": "2023-09-14", "authors": ["A B"]}\n{"html": "<p>x</p>"}\n',
    ],
    "feed": [
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a'
        b"</title><link>http://example.org/a</link><description>d</description></item>"
        b"</channel></rss>",
    ],
    "warc": [
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: 75\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>Hi</p></body></html>"
        b"\r\n\r\n",
    ],
    "dates": [b"\x00on Monday, 14 September 2023, two days later and last week", b"\x02a 12 mars"],
    "figures": [b"\x00at least 2,900 people died and 5.5 million were displaced", b"\x01 3,5 %"],
    "search_query": [b'Karabakh AND (talks OR "peace deal") NOT war*', b"Poutine"],
}
