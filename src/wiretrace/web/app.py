"""The ASGI app: server-rendered pages, each with a JSON twin from the same query function.

``create_app(db_path)`` serves a store read-only through a small pool of read-only SQLite
connections (WAL lets them read while an ingest writes). Every page is declared once as a
:class:`Page` (query + template); the app derives both the HTML route and its ``.json`` twin
from it, so the page and the API cannot drift apart. No page needs JavaScript.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import NotFound
from ..export import csv_cell
from ..store import is_url, open_store
from ..store.sqlite import SQLiteStore
from ..story_lookup import resolve_story_id
from . import (
    akismet,
    discussion,
    entity_queries,
    event_queries,
    outlets,
    queries,
    search_queries,
    story_queries,  # fmt: skip
    templating,
    views,
)
from .guard import (
    SEARCH_TIME_LIMIT,
    FrontCache,
    PGReaderPool,
    ReaderPool,
    SearchGate,
    SecurityHeaders,
    TooSlow,
    revalidated,
)
from .ingestion import MAX_UPLOAD, Writer, suffix_for, token_ok
from .openapi import json_path, openapi

HERE = Path(__file__).parent
log = logging.getLogger(__name__)
Query = Callable[[SQLiteStore, Request], dict[str, Any] | None]
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Page:
    """A page: its path, the query that feeds both twins, and the HTML template."""

    name: str
    path: str
    query: Query
    template: str
    summary: str


def _error(request: Request, status: int, message: str, as_json: bool,
           headers: dict[str, str] | None = None) -> Response:  # fmt: skip
    if as_json:
        return JSONResponse({"error": message, "status": status}, status_code=status,
                            headers=headers)  # fmt: skip
    env: Environment = request.app.state.env
    html = env.get_template("error.html").render(request=request, status=status, message=message)
    return HTMLResponse(html, status_code=status, headers=headers)


BUSY = "too many searches at once; try again in a moment"
SLOW = "q: this search takes too long; use fewer words, rarer words or fewer prefixes (word*)"


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return (
        path.endswith((".json", ".jsonl"))
        or path.startswith("/api/")
        or (
            "application/json" in (request.headers.get("accept") or "")
            and "text/html" not in (request.headers.get("accept") or "")
        )
    )


_REASONS = {404: "no such page", 405: "method not allowed", 500: "internal error"}


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown paths and wrong methods: a styled page, or JSON for JSON routes."""
    status = getattr(exc, "status_code", 500)
    return _error(request, status, _REASONS.get(status, "request failed"), _wants_json(request))


def _endpoint(page: Page, as_json: bool) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        fmt_json = as_json or request.query_params.get("format") == "json"
        searching = bool((request.query_params.get("q") or "").strip())
        if not searching:
            return await run_in_threadpool(_respond, page, request, fmt_json, False)
        # Searches run on the gate's own threads, never on the pages': a costly search can
        # wait for a slot or be refused, but a page never queues behind one.
        gate: SearchGate = request.app.state.searches
        return await gate.run(
            lambda: _respond(page, request, fmt_json, True),
            lambda: _error(request, 503, BUSY, fmt_json, {"retry-after": "1"}),
        )

    return endpoint


def _respond(page: Page, request: Request, fmt_json: bool, searching: bool) -> Response:
    """The page, or the error answer a failure calls for."""
    try:
        return _answer(page, request, fmt_json, SEARCH_TIME_LIMIT if searching else None)
    except queries.BadRequest as exc:
        return _error(request, 400, str(exc), fmt_json)
    except TooSlow:
        if searching:
            return _error(request, 400, SLOW, fmt_json)
        return _error(request, 503, "the server is busy; try again", fmt_json,
                      {"retry-after": "1"})  # fmt: skip
    except Exception:
        # A page that fails is logged; the reader gets the styled page (or JSON), never a
        # traceback or a server path.
        log.exception("page %s failed", request.url.path)
        return _error(request, 500, "internal error: the page could not be built", fmt_json)


def _answer(page: Page, request: Request, fmt_json: bool, limit: float | None) -> Response:
    """The page (or its JSON twin) for ``request``, revalidated against the client's ETag."""
    pool: ReaderPool = request.app.state.pool
    with pool.store(limit=limit) as store:
        data = page.query(store, request)
        if data is None:
            return _error(request, 404, f"no such {page.name}", fmt_json)
        data = outlets.apply(data, outlets.identities(store.conn))
        if fmt_json:
            return revalidated(request, JSONResponse(data))
        context = views.context(page.name, data, store, request)
    env: Environment = request.app.state.env
    html = env.get_template(page.template).render(request=request, data=data, **context)
    return revalidated(request, HTMLResponse(html))


def _home(store: SQLiteStore, request: Request) -> dict[str, Any]:
    f = queries.parse_filters(request.query_params, limit=30)
    lang = reader_language(request)

    def build() -> dict[str, Any]:
        out = queries.latest_articles(store, f)
        out["stories"] = story_queries.latest_stories(store, f, lang)
        return out

    if f.q:
        return build()
    front: FrontCache = request.app.state.front
    data: dict[str, Any] = front.get((f, lang), outlets.corpus_stamp(store.conn), build)
    return data


def _search(store: SQLiteStore, request: Request) -> dict[str, Any]:
    f = queries.parse_filters(request.query_params, limit=20)
    return search_queries.search(store, f, request.query_params.get("sort") or "relevance")


def _article(store: SQLiteStore, request: Request) -> dict[str, Any] | None:
    return queries.article(store, request.path_params["id"])


def _entity(store: SQLiteStore, request: Request) -> dict[str, Any] | None:
    return entity_queries.entity(store, request.path_params["key"])


def _events(store: SQLiteStore, request: Request) -> dict[str, Any]:
    return event_queries.events(store, queries.parse_filters(request.query_params, limit=100))


def reader_language(request: Request) -> str:
    """The reader's language: ``?lang=``, else the browser's first choice, else the server's."""
    lang = (request.query_params.get("lang") or "").strip().lower()
    if not lang:
        accept = request.headers.get("accept-language") or ""
        lang = accept.split(",")[0].split(";")[0].strip().lower()
    lang = lang.split("-")[0]
    default: str = request.app.state.reader_language
    return lang if lang.isalpha() and 2 <= len(lang) <= 3 else default


def _story(store: SQLiteStore, request: Request) -> dict[str, Any] | None:
    sid = request.path_params["id"]
    try:
        sid = resolve_story_id(store.conn, sid)
    except NotFound:
        return None
    return story_queries.story(store, sid, reader_language(request))


PAGES = (
    Page("home", "/", _home, "home.html", "Latest stories and articles, filterable"),
    Page("search", "/search", _search, "search.html", "Full-text search with facets"),
    Page("article", "/article/{id}", _article, "article.html", "One article record"),
    Page("story", "/story/{id}", _story, "story.html", "One story across outlets"),
    Page("entity", "/entity/{key:path}", _entity, "entity.html", "One entity across articles"),
    Page("events", "/events", _events, "events.html", "Filterable event table"),
)


async def _entity_route(request: Request) -> Response:
    """``/entity/{key}`` and ``/entity/{key}.json`` (a key may hold any character)."""
    key = request.path_params["key"]
    as_json = key.endswith(".json")
    if as_json:
        request.path_params["key"] = key[: -len(".json")]
    page = next(p for p in PAGES if p.name == "entity")
    return await _endpoint(page, as_json)(request)


def _events_download(kind: str) -> Callable[[Request], Response]:
    columns = ("article_id", "idx", "type", "mode", "aux", "actors", "recipients", "place", "date",
               "language", "outlet", "published", "title", "evidence_start", "evidence_end",
               "sentence")  # fmt: skip

    def endpoint(request: Request) -> Response:
        try:
            f = queries.parse_filters(request.query_params)
        except queries.BadRequest as exc:
            return _error(request, 400, str(exc), True)

        def lines() -> Iterator[str]:
            import csv
            import io

            # A download streams every matching row: bounded by the data, not by a deadline.
            with request.app.state.pool.store(timed=False) as store:
                buf = io.StringIO()
                writer = csv.writer(buf)
                if kind == "csv":
                    writer.writerow(columns)
                for row in event_queries.iter_events(store, f):
                    if kind == "csv":
                        writer.writerow([csv_cell(row.get(c)) for c in columns])
                    else:
                        buf.write(json.dumps(row, ensure_ascii=False) + "\n")
                    if buf.tell() > 65536:
                        yield buf.getvalue()
                        buf.seek(0)
                        buf.truncate()
                yield buf.getvalue()

        media = "text/csv; charset=utf-8" if kind == "csv" else "application/x-ndjson"
        headers = {"content-disposition": f'attachment; filename="events.{kind}"'}
        return StreamingResponse(lines(), media_type=media, headers=headers)

    return endpoint


async def _ingest(request: Request) -> Response:
    writer: Writer | None = request.app.state.writer
    if writer is None:
        return JSONResponse(
            {"error": "read-only server: it was started without --write-token"},
            status_code=403,
        )
    if not token_ok(request.headers.get("authorization"), writer_token(request)):
        return JSONResponse(
            {"error": "send 'Authorization: Bearer <token>' with this server's write token"},
            status_code=401,
            headers={"www-authenticate": 'Bearer realm="wiretrace"'},
        )
    suffix = suffix_for(request.headers.get("content-type"))
    if suffix is None:
        return JSONResponse(
            {"error": "send application/x-ndjson (JSONL), text/html or text/plain"},
            status_code=415,
        )
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_UPLOAD:
            return JSONResponse({"error": f"body over {MAX_UPLOAD} bytes"}, status_code=413)
    report = await run_in_threadpool(writer.ingest_bytes, bytes(body), suffix)
    request.app.state.front.clear()  # stories may have changed with the articles
    return JSONResponse(report)


def writer_token(request: Request) -> str | None:
    token: str | None = request.app.state.write_token
    return token


def _openapi(request: Request) -> Response:
    return JSONResponse(openapi(PAGES, write=request.app.state.writer is not None))


def create_app(db_path: str | Path, write_token: str | None = None, pool_size: int = 4,
               analyze: bool = True, base_url: str = "http://localhost:8000",
               allowed_hosts: Sequence[str] | None = None,
               reader_language: str = "en", warm: bool = True) -> Starlette:  # fmt: skip
    """The wiretrace web app over the store at ``db_path`` (created empty if missing).

    Read-only unless ``write_token`` is given; then ``POST /api/ingest`` accepts uploads that
    carry it, analysed by the document stages unless ``analyze`` is false. Absolute links
    (share links, ``og:url``) are built on ``base_url``, never on the request's Host header,
    and requests for a host outside ``allowed_hosts`` (default: the base URL's host and
    localhost) are refused with 400. On PostgreSQL, unless ``warm`` is false, a starting
    server reads the search's relations into the page cache and readies each pooled
    connection in the background (``store/pg_prewarm.py``, ``web/pg_warm.py``).
    """
    prewarm = None
    if is_url(db_path):  # PostgreSQL: migrate once, then pooled read-only connections
        open_store(db_path).close()
        path: Any = db_path
        from ..store import pg_prewarm
        from .pg_warm import warm_connection

        # The page cache gets the search's relations; each pooled connection, its first run.
        prewarm = pg_prewarm.start(str(db_path)) if warm else None
        pool: Any = PGReaderPool(str(db_path), pool_size, warm=warm_connection if warm else None)
    else:
        path = Path(db_path)
        if not path.exists() or write_token:
            SQLiteStore(path).close()  # create and migrate once; readers cannot
        pool = ReaderPool(path, pool_size)
    routes: list[Route | Mount] = []
    for page in PAGES:
        if page.name == "entity":
            routes.append(Route(page.path, _entity_route, name=page.name))
            continue
        routes.append(Route(json_path(page.path), _endpoint(page, True), name=page.name + "_json"))
        routes.append(Route(page.path, _endpoint(page, False), name=page.name))
    routes += [
        Route("/events.csv", _events_download("csv"), name="events_csv"),
        Route("/events.jsonl", _events_download("jsonl"), name="events_jsonl"),
        Route("/openapi.json", _openapi, name="openapi"),
        Route("/api/ingest", _ingest, methods=["POST"], name="ingest"),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        *discussion.routes(),
        *akismet.routes(),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        pool.close()
        app.state.searches.close()

    app = Starlette(
        routes=routes, lifespan=lifespan, exception_handlers={HTTPException: _http_error}
    )
    app.state.pool = pool
    # The outlet identity table is built once here, outside the per-request time limit (on a
    # large corpus it reads every record); requests then reuse it while the corpus is unchanged.
    # On PostgreSQL on a connection of its own: the pool's are still being opened and warmed.
    if is_url(db_path):
        first = open_store(db_path, readonly=True)
        try:
            outlets.identities(first.conn)
        finally:
            first.close()
    else:
        with pool.store(timed=False) as store:
            outlets.identities(store.conn)
    app.state.prewarm = prewarm
    app.state.searches = SearchGate()
    app.state.front = FrontCache()
    app.state.write_token = write_token
    app.state.reader_language = reader_language
    app.state.writer = Writer(path, analyze) if write_token else None
    app.state.env = templating.environment()
    app.state.base_url = base_url.rstrip("/")
    discussion.install(app, path)
    hosts = list(allowed_hosts or [urlsplit(base_url).hostname or "localhost", *LOCAL_HOSTS])
    # Added last is outermost: headers wrap everything, then the host check, then compression.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)
    app.add_middleware(SecurityHeaders)
    return app
