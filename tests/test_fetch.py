"""Fetching URLs and feeds, offline, against a local HTTP server the test starts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from conftest import FIXTURES
from wiretrace.errors import FetchError
from wiretrace.ingest import IngestOptions, ingest
from wiretrace.sources import SourceOptions
from wiretrace.sources.fetch import USER_AGENT, Fetcher, FetchOptions
from wiretrace.store import open_store

PAGE = (FIXTURES / "en_page.html").read_bytes()
SEEN_AGENTS: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        host = f"http://{self.headers['Host']}"
        routes = {
            "/robots.txt": lambda: self._send(
                200, b"User-agent: *\nDisallow: /private/\n", "text/plain"
            ),
            "/news/port.html": lambda: self._send(200, PAGE),
            "/private/secret.html": lambda: self._send(200, PAGE),
            "/loop": lambda: self._send(302, b"", headers={"Location": "/loop"}),
            "/moved": lambda: self._send(301, b"", headers={"Location": "/news/port.html"}),
            "/big": lambda: self._send(200, b"<html>" + b"x" * 300_000 + b"</html>"),
            "/gone": lambda: self._send(404, b"not here"),
            "/feed.xml": lambda: self._send(200, _feed(host), "application/rss+xml"),
            "/de.txt": lambda: self._send(
                200, (FIXTURES / "de_dump.txt").read_bytes(), "text/plain; charset=utf-8"
            ),
        }
        routes.get(self.path, lambda: self._send(404, b"no route"))()


def _feed(host: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local wire</title>
<item><title>Port workers end strike</title><link>{host}/news/port.html</link></item>
<item><title>Rail strike</title><link>{host}/de.txt</link></item>
<item><title>Hidden</title><link>{host}/private/secret.html</link></item>
</channel></rss>""".encode()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_fetch_sends_our_user_agent_and_follows_a_redirect(server: str) -> None:
    fetcher = Fetcher()
    resp = fetcher.get(f"{server}/moved")
    assert resp.url.endswith("/news/port.html") and resp.data == PAGE
    assert USER_AGENT in SEEN_AGENTS


def test_robots_txt_is_respected(server: str) -> None:
    with pytest.raises(FetchError, match=r"robots\.txt disallows"):
        Fetcher().get(f"{server}/private/secret.html")
    assert (
        Fetcher(FetchOptions(respect_robots=False)).get(f"{server}/private/secret.html").data
        == PAGE
    )


def test_redirect_loop_size_cap_and_http_errors_are_clear(server: str) -> None:
    fetcher = Fetcher(FetchOptions(max_bytes=100_000, max_redirects=3))
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetcher.get(f"{server}/loop")
    with pytest.raises(FetchError, match="over the size cap"):
        fetcher.get(f"{server}/big")
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher.get(f"{server}/gone")


def test_timeouts_come_from_the_injected_transport() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    fetcher = Fetcher(
        FetchOptions(timeout=0.5, respect_robots=False), transport=httpx.MockTransport(slow)
    )
    with pytest.raises(FetchError, match="timed out"):
        fetcher.get("https://news.invalid/a")


def test_ingest_url_and_feed_end_to_end(server: str, db_path: Path) -> None:
    store = open_store(db_path)
    opts = IngestOptions(analyze=False, sources=SourceOptions())
    rep = ingest([f"{server}/feed.xml", f"{server}/news/port.html", f"{server}/gone"], store, opts)
    # feed: port page + rail dump stored, the private one refused by robots.txt;
    # the second port URL is the same content: unchanged; /gone is a 404.
    assert rep.new == 2 and rep.unchanged == 1 and rep.failed == 2
    reasons = " ".join(p for _, p in rep.failures)
    assert "robots.txt" in reasons and "HTTP 404" in reasons
    langs = sorted(r.language or "" for r in store.list())
    assert langs == ["de", "en"]
    urls = {r.url for r in store.list()}
    assert "https://harbourdaily.example/news/port-strike-ends" in urls  # canonical URL wins
