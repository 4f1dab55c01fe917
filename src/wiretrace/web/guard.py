"""What keeps the server standing under hostile or heavy requests: headers, limits, caching.

Every response, errors and crashes included, carries the security headers; a request's queries
stop after a time limit (SQLite's progress handler interrupts them); only a few searches run at
once, so costly ones cannot take every reader connection from cheap pages; and pages and JSON
carry an ``ETag`` so a client that already has a page gets ``304 Not Modified``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import math
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..store.sqlite import SQLiteStore
from . import queries

log = logging.getLogger(__name__)
T = TypeVar("T")
TIME_LIMIT = 1.0  # seconds of query time a page request may use
SEARCH_TIME_LIMIT = 0.5  # a search's share: with its wait for a slot, still under a second
SEARCH_SLOTS = 2  # searches running at once; the rest of the reader pool stays for pages
SEARCH_WAIT = 0.5  # seconds a search waits for a slot before "busy"
SEARCH_THREADS = 8  # threads that run searches (and wait for a slot), apart from the pages'
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
_CRASH = "internal error: the server could not answer this request; it has been logged"
# The last-resort answers carry no template (rendering may be what failed), but the same look
# and the same error shape as the app's own 404/500 pages: JSON for a twin, HTML otherwise.
_NUL = "the request contains a NUL character (%00), which no page or parameter accepts"


def _page(status: int, title: str, message: str) -> bytes:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{status} {title} · wiretrace</title><link rel="stylesheet" '
        f'href="/static/style.css"></head><body><main><h1>{status} {title}</h1><p>{message}.</p>'
        '<p><a href="/">wiretrace home</a></p></main></body></html>'
    ).encode()


_ANSWERS = {
    500: (json.dumps({"error": _CRASH, "status": 500}).encode(),
          _page(500, "internal error", _CRASH)),
    400: (json.dumps({"error": _NUL, "status": 400}).encode(), _page(400, "bad request", _NUL)),
}  # fmt: skip


def _crash_answer(path: str, status: int = 500) -> tuple[bytes, bytes]:
    """Content type and body of a last-resort answer (500, or 400 for a NUL) for a path."""
    as_json, html = _ANSWERS[status]
    if path.endswith((".json", ".jsonl")) or path.startswith(("/api", "/1.1/", "/openapi")):
        return b"application/json", as_json
    return b"text/html; charset=utf-8", html


class SecurityHeaders:
    """ASGI middleware adding the hardening headers to every response, a crash's included.

    An exception that escapes the app becomes a plain 500 here (logged, never shown), so the
    error page carries the same headers as every other page.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.raw = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        query = bytes(scope.get("query_string") or b"").lower()
        if "\x00" in str(scope.get("path", "")) or b"%00" in query:
            # No text column takes a NUL (PostgreSQL refuses it outright): refused up front.
            ctype, body = _crash_answer(str(scope.get("path", "")).replace("\x00", ""), 400)
            headers = [(b"content-type", ctype), *self.raw]
            await send({"type": "http.response.start", "status": 400, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *self.raw]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("request %s %s failed", scope.get("method"), scope.get("path"))
            if started:
                raise
            ctype, body = _crash_answer(str(scope.get("path", "")))
            headers = [(b"content-type", ctype), *self.raw]
            await send({"type": "http.response.start", "status": 500, "headers": headers})
            await send({"type": "http.response.body", "body": body})


class TooSlow(Exception):
    """A request's queries ran past the time limit and were interrupted."""


class ReaderPool:
    """A few read-only store connections shared by request threads, each with a deadline."""

    def __init__(self, db_path: Path, size: int = 4, time_limit: float = TIME_LIMIT,
                 check_every: int = 5000) -> None:  # fmt: skip
        self.db_path = db_path
        self.time_limit = time_limit
        self.check_every = check_every  # VM steps between deadline checks (~1 ms of work)
        self._free: queue.LifoQueue[SQLiteStore] = queue.LifoQueue()
        self._deadline: dict[int, float] = {}
        for _ in range(size):
            self._free.put(self._open())

    def _open(self) -> SQLiteStore:
        store = SQLiteStore(self.db_path, readonly=True)
        queries.ensure_functions(store.conn)
        # Memory-mapped reads and a larger page cache: pages are read far more than written.
        store.conn.execute(f"PRAGMA mmap_size={256 * 1024 * 1024}")
        store.conn.execute("PRAGMA cache_size=-32000")
        key = id(store)
        self._deadline[key] = math.inf
        # Called every few thousand VM steps: a non-zero answer interrupts the running query.
        store.conn.set_progress_handler(
            lambda: time.monotonic() > self._deadline[key], self.check_every
        )
        return store

    @contextmanager
    def store(self, timed: bool = True, limit: float | None = None) -> Iterator[SQLiteStore]:
        """A connection whose queries stop ``time_limit`` seconds from now (if ``timed``), or
        ``limit`` seconds if that is sooner."""
        store = self._free.get()
        limit = self.time_limit if limit is None else min(limit, self.time_limit)
        self._deadline[id(store)] = time.monotonic() + limit if timed else math.inf
        try:
            yield store
        except sqlite3.OperationalError as exc:
            # An interrupted query surfaces as "interrupted" or as a failed virtual-table
            # step depending on where it stopped: the deadline says which it was.
            if time.monotonic() > self._deadline[id(store)]:
                raise TooSlow from exc
            raise
        finally:
            self._deadline[id(store)] = math.inf
            self._free.put(store)

    def close(self) -> None:
        while not self._free.empty():
            self._free.get_nowait().close()


class PGReaderPool:
    """Pooled read-only PostgreSQL connections; ``statement_timeout`` bounds every query.

    All ``size`` connections are opened at once, in the pool's worker threads (the caller does
    not wait), and kept (none closed for being idle; each replaced after an hour): a request
    never waits for a new connection to be made. ``warm`` runs on each new connection before
    it joins the pool (``web/pg_warm.py``: a new backend's first statements cost several
    times a warm one's).
    """

    def __init__(self, url: str, size: int = 4, time_limit: float = TIME_LIMIT,
                 warm: Callable[[str, Any], None] | None = None) -> None:  # fmt: skip
        from psycopg_pool import ConnectionPool

        self.url = url
        self.time_limit = time_limit

        def configure(conn: Any) -> None:
            conn.execute("SET default_transaction_read_only = on")
            if warm is not None:
                warm(url, conn)

        kwargs = {"autocommit": True, "application_name": "wiretrace-web"}
        self._pool = ConnectionPool(url, min_size=size, max_size=size, open=True, kwargs=kwargs,
                                    configure=configure)  # fmt: skip

    def wait(self, timeout: float = 30.0) -> None:
        """Until every connection is open (and warmed)."""
        self._pool.wait(timeout)

    @contextmanager
    def store(self, timed: bool = True, limit: float | None = None) -> Iterator[SQLiteStore]:
        """A store on a pooled connection whose statements stop at the time limit (or at
        ``limit`` seconds if that is sooner)."""
        import psycopg

        from ..store.postgres import PostgresStore

        seconds = self.time_limit if limit is None else min(limit, self.time_limit)
        with self._pool.connection() as raw:
            ms = max(int(seconds * 1000), 1) if timed else 0
            if getattr(raw, "_wt_timeout", None) != ms:  # a round trip only when it changes
                raw.execute(f"SET statement_timeout = {ms}")
                raw._wt_timeout = ms
            try:
                yield PostgresStore.over(self.url, raw)
            except psycopg.errors.QueryCanceled as exc:
                raise TooSlow from exc

    def close(self) -> None:
        self._pool.close()


class SearchGate:
    """At most ``slots`` searches at once, run on threads of their own, apart from the pages'.

    A search that cannot get a slot within ``wait`` seconds is refused. Search threads run at
    a lower CPU priority (Linux: each thread reniced by 10), so on a busy machine the
    scheduler serves page requests first and costly searches use what is left.
    """

    def __init__(self, slots: int = SEARCH_SLOTS, wait: float = SEARCH_WAIT,
                 threads: int = SEARCH_THREADS) -> None:  # fmt: skip
        self._slots = threading.BoundedSemaphore(slots)
        self.wait = wait
        self._threads = ThreadPoolExecutor(threads, "search", initializer=_lower_priority)

    @contextmanager
    def slot(self, wait: float | None = None) -> Iterator[bool]:
        """Yields whether a slot was free within the wait (the caller answers "busy" if not)."""
        got = self._slots.acquire(timeout=max(0.0, self.wait if wait is None else wait))
        try:
            yield got
        finally:
            if got:
                self._slots.release()

    async def run(self, work: Callable[[], T], busy: Callable[[], T]) -> T:
        """``work()`` on a search thread once a slot is free, else ``busy()``."""
        queued = time.monotonic()

        def job() -> T:
            with self.slot(self.wait - (time.monotonic() - queued)) as free:
                return work() if free else busy()

        return await asyncio.get_running_loop().run_in_executor(self._threads, job)

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)


def _lower_priority() -> None:
    # Not Linux, or not allowed: the search threads keep the pages' priority.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class FrontCache:
    """The front page's data, reused while the corpus is unchanged and for at most ``ttl``
    seconds (story placement may follow the articles' write), so a busy server does not
    recount its facets for every visitor."""

    def __init__(self, ttl: float = 10.0, size: int = 64) -> None:
        self.ttl = ttl
        self.size = size
        self._lock = threading.Lock()
        self._data: dict[Hashable, tuple[Hashable, float, Any]] = {}

    def get(self, key: Hashable, stamp: Hashable, build: Callable[[], Any]) -> Any:
        now = time.monotonic()
        with self._lock:
            hit = self._data.get(key)
        if hit is not None and hit[0] == stamp and now - hit[1] < self.ttl:
            return hit[2]
        data = build()
        with self._lock:
            self._data.pop(key, None)
            self._data[key] = (stamp, now, data)
            while len(self._data) > self.size:
                self._data.pop(next(iter(self._data)))
        return data

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def revalidated(request: Request, response: Response) -> Response:
    """``response`` with an ``ETag`` and ``Cache-Control``; 304 if the client has it already."""
    tag = '"' + hashlib.blake2b(bytes(response.body), digest_size=12).hexdigest() + '"'
    # Clients may keep a copy but must ask again (cheaply, by ETag): the corpus grows.
    headers = {"etag": tag, "cache-control": "public, no-cache"}
    if tag in {t.strip() for t in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return response
