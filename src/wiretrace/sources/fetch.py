"""Polite HTTP fetching: timeouts, a size cap, a redirect limit, a clear user agent, robots.txt.

All network access goes through one ``httpx.Client`` whose transport can be injected, so tests
run offline (against a local server or an ``httpx.MockTransport``).
"""

from __future__ import annotations

import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from ..errors import FetchError

USER_AGENT = "wiretrace/0.1 (self-hosted news research; respects robots.txt)"


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 20.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    respect_robots: bool = True


@dataclass
class Response:
    url: str
    status: int
    content_type: str
    data: bytes
    encoding: str | None

    @property
    def kind(self) -> str:
        """How to clean the body: plain-text responses are dumps, everything else HTML."""
        return "text" if self.content_type.lower().startswith("text/plain") else "html"


@dataclass
class Fetcher:
    """Fetches URLs with one client; remembers each host's robots.txt for the run."""

    options: FetchOptions = field(default_factory=FetchOptions)
    transport: httpx.BaseTransport | None = None
    _client: httpx.Client | None = None
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                transport=self.transport,
                timeout=self.options.timeout,
                follow_redirects=True,
                max_redirects=self.options.max_redirects,
                headers={"User-Agent": self.options.user_agent},
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets our user agent fetch it."""
        if not self.options.respect_robots:
            return True
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base not in self._robots:
            self._robots[base] = self._load_robots(base)
        rp = self._robots[base]
        return True if rp is None else rp.can_fetch(self.options.user_agent, url)

    def _load_robots(self, base: str) -> urllib.robotparser.RobotFileParser | None:
        try:
            resp = self.client.get(f"{base}/robots.txt")
        except httpx.HTTPError:
            return None  # no robots.txt reachable: the page fetch itself will report problems
        rp = urllib.robotparser.RobotFileParser()
        if resp.status_code in (401, 403):
            setattr(rp, "disallow_all", True)  # noqa: B010 (attribute not in typeshed)
        elif resp.status_code >= 400:
            setattr(rp, "allow_all", True)  # noqa: B010
        else:
            rp.parse(resp.text.splitlines())
        return rp

    def get(self, url: str) -> Response:
        """Fetch one URL; raises FetchError naming the URL and what went wrong."""
        try:
            scheme = urlsplit(url).scheme
            httpx.URL(url)  # an invalid host (bad IDNA, bad port) is refused before any fetch
        except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
            raise FetchError(url, f"not a valid URL ({exc})") from exc
        if scheme not in ("http", "https"):
            raise FetchError(url, "only http and https URLs can be fetched")
        if not self.allowed(url):
            raise FetchError(url, "robots.txt disallows fetching this URL; skipped")
        try:
            with self.client.stream("GET", url) as resp:
                length = resp.headers.get("content-length") or "0"
                declared = int(length) if length.isdigit() and len(length) < 20 else 0
                if declared > self.options.max_bytes:
                    raise FetchError(url, _too_big(declared, self.options.max_bytes))
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.options.max_bytes:
                        raise FetchError(url, _too_big(size, self.options.max_bytes))
                    chunks.append(chunk)
                if resp.status_code >= 400:
                    raise FetchError(url, f"HTTP {resp.status_code} {resp.reason_phrase}")
                ctype = resp.headers.get("content-type", "")
                return Response(str(resp.url), resp.status_code, ctype, b"".join(chunks),
                                resp.charset_encoding)  # fmt: skip
        except httpx.TooManyRedirects as exc:
            raise FetchError(url, f"more than {self.options.max_redirects} redirects") from exc
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out after {self.options.timeout:g}s") from exc
        except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as exc:
            raise FetchError(url, f"unreachable ({type(exc).__name__}: {exc})") from exc


def _too_big(size: int, cap: int) -> str:
    return f"response is over the size cap ({size:,} > {cap:,} bytes)"
