"""The web server against hostile requests: bad queries, costly searches, spoofed hosts, CSV formulas.

Each request of the probe that once answered 500 (or leaked the full-text engine's message, or
echoed a 100 kB parameter, or built links from the Host header) is replayed here.
"""

from __future__ import annotations

import csv
import gzip
import io
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from wiretrace.export import csv_cell, export_events
from wiretrace.model import Article, Event, EventDate, Evidence, Outlet, Participant
from wiretrace.store import open_store
from wiretrace.store.facts import FactFilter
from wiretrace.store.textquery import QuerySyntaxError, fts5_query
from wiretrace.web.app import create_app
from wiretrace.web.guard import SECURITY_HEADERS, ReaderPool

warnings.filterwarnings("ignore", message=".*httpx.*")

BASE = "https://news.example.org"
HOSTILE_Q = ['"abc', "NEAR(", "Karabakh AND", "OR", "(", "()", "a) OR (b",
             "NEAR(" + " ".join(["a*"] * 150) + ")", "x " * 40]  # fmt: skip
ROUTES = ["/", "/index.json", "/search", "/search.json", "/events", "/events.json", "/events.csv"]


def _article(aid: str, title: str, outlet: str, body: str) -> Article:
    end = body.index(".") + 1
    event = Event(type="CONSULT", actors=(Participant("-2+3 Group"),),
                  where=(Participant("@Ankara"),), date=EventDate("17", "2023-09-17", "day"),
                  evidence=Evidence(0, end, "events.v1"))  # fmt: skip
    return Article(id=aid, title=title, body=body, language="en", outlet=Outlet(outlet),
                   published="2023-09-18T10:00:00", url=f"https://example.org/{aid}",
                   events=(event,))  # fmt: skip


@pytest.fixture(scope="module")
def db(module_db: str) -> str:
    """The hostile corpus, once on SQLite and once on PostgreSQL."""
    path = module_db
    store = open_store(path)
    filler = " ".join(f"Delegates discussed item {i} of the Karabakh agenda." for i in range(60))
    store.upsert([
        _article("f1", '=HYPERLINK("http://evil.example","x")', "+Outlet",
                 "Envoys met in Ankara on Monday. They talked about Karabakh. " + filler),
        _article("f2", "Talks resume", "@Wire", "Talks resumed in Baku on Tuesday. Ceasefire."),
    ])  # fmt: skip
    store.close()
    return path


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db, base_url=BASE), base_url="http://localhost") as c:
        yield c


def _has_headers(resp: Response | object) -> bool:
    headers = getattr(resp, "headers")  # noqa: B009 - httpx and starlette responses alike
    return all(headers.get(k) == v for k, v in SECURITY_HEADERS.items())


@pytest.mark.parametrize("q", HOSTILE_Q)
def test_a_bad_query_is_a_plain_400_with_headers_on_every_route(client: TestClient, q: str) -> None:
    for route in ROUTES:
        resp = client.get(route, params={"q": q})
        assert resp.status_code == 400, (route, q, resp.text[:300])
        assert _has_headers(resp), route
        text = resp.text.lower()
        assert "fts5" not in text and "traceback" not in text and "syntax error near" not in text
        assert "q:" in text


def test_queries_are_rendered_with_every_word_quoted() -> None:
    assert fts5_query("Karabakh") == '"Karabakh"'
    assert fts5_query("Putin OR Poutine") == '("Putin" OR "Poutine")'
    assert fts5_query('"peace talks" NOT war') == '("peace talks" NOT "war")'
    assert fts5_query("near(x) and talk*") == '("near" AND "x" AND "and" AND "talk"*)'
    assert fts5_query("l'ONU") == '"l ONU"'  # one token read as a phrase, as the engine splits it
    for bad, why in (('"abc', "quote"), ("a*", "letters"), ("(x", "not closed"),
                     ("x)", "no opening"), ("AND x", "each side")):  # fmt: skip
        with pytest.raises(QuerySyntaxError, match=why):
            fts5_query(bad)


def test_valid_searches_still_find_their_articles(client: TestClient) -> None:
    for q, expect in (("Karabakh", "f1"), ("Baku OR Ankara", None), ("ceasefire NOT Ankara", "f2"),
                      ("(Baku OR Ankara) talk*", None), ('"talks resumed"', "f2")):  # fmt: skip
        hits = client.get("/search.json", params={"q": q}).json()["hits"]
        ids = {h["id"] for h in hits}
        assert ids == ({expect} if expect else {"f1", "f2"}), q


def test_long_inputs_are_refused_without_being_echoed(client: TestClient) -> None:
    q = "x" * 60_000  # the client library caps a URL at 64 kB
    for route in ("/search", "/search.json", "/"):
        resp = client.get(route, params={"q": q})
        assert resp.status_code == 400 and len(resp.text) < 20_000
        assert "x" * 600 not in resp.text
    resp = client.get("/search.json", params={"limit": "9" * 5000})
    assert resp.status_code == 400 and "9" * 100 not in resp.text


def test_impossible_dates_are_refused(client: TestClient) -> None:
    for bad in ("2023-13-45", "2023-02-30", "2023-00", "20231", "2023-1-5"):
        for name in ("from", "to"):
            resp = client.get("/index.json", params={name: bad})
            assert resp.status_code == 400 and name in resp.json()["error"], bad
    assert client.get("/index.json", params={"from": "2024-02-29", "to": "2024-03"}).is_success


def test_a_foreign_host_header_is_refused_and_links_use_the_base_url(client: TestClient) -> None:
    resp = client.get("/static", headers={"host": "evil.example"}, follow_redirects=False)
    assert resp.status_code == 400 and "evil.example" not in resp.headers.get("location", "")
    assert _has_headers(resp)
    page = client.get("/article/f1").text
    assert f'property="og:url" content="{BASE}/article/f1"' in page
    assert "localhost" not in page.split("<main>")[1]


def test_csv_cells_cannot_start_a_formula(client: TestClient, db: str) -> None:
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("\tx") == "'\tx" and csv_cell(-3) == -3
    assert csv_cell("plain =text") == "plain =text"
    rows = list(csv.DictReader(io.StringIO(client.get("/events.csv").text)))
    assert rows and all(
        not str(v).startswith(("=", "+", "-", "@")) for r in rows for v in r.values()
    )
    f1 = next(r for r in rows if r["article_id"] == "f1")
    assert f1["title"].startswith("'=HYPERLINK") and f1["outlet"] == "'+Outlet"
    assert f1["actors"] == "'-2+3 Group" and f1["place"] == "'@Ankara"
    store = open_store(db, readonly=True)
    out = io.StringIO()
    try:
        assert export_events(store, out, "csv", FactFilter()) == 2
    finally:
        store.close()
    cells = [v for r in csv.reader(io.StringIO(out.getvalue())) for v in r]
    assert "'@Ankara" in cells and not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_a_crash_answers_500_with_headers_and_no_traceback(db: str) -> None:
    app = create_app(db, base_url=BASE)

    def boom(request: Request) -> Response:
        raise RuntimeError("secret internals /etc/passwd")

    app.router.routes.append(Route("/boom", boom))
    app.router.routes.append(Route("/boom.json", boom))
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as c:
        resp = c.get("/boom")
        twin = c.get("/boom.json")
    assert resp.status_code == 500 and _has_headers(resp)
    assert "secret internals" not in resp.text and "Traceback" not in resp.text
    # Styled like the app's own error pages: HTML for a page, JSON for a twin.
    assert resp.headers["content-type"].startswith("text/html") and "<h1>500" in resp.text
    assert twin.status_code == 500 and _has_headers(twin)
    assert twin.json()["status"] == 500 and "secret" not in twin.text


def test_queries_past_the_time_limit_are_stopped(db: str) -> None:
    if db.startswith("postgresql"):
        pytest.skip("SQLite's progress handler; test_postgres cancels a slow PostgreSQL query")
    app = create_app(db, base_url=BASE)
    app.state.pool.close()
    # Every query is already late, and checked often enough to be caught on this tiny corpus.
    app.state.pool = ReaderPool(Path(db), 2, time_limit=0.0, check_every=10)
    with TestClient(app, base_url="http://localhost") as c:
        slow_search = c.get("/search.json", params={"q": "Karabakh"})
        assert slow_search.status_code == 400 and "too long" in slow_search.json()["error"]
        assert c.get("/index.json").status_code == 503
        app.state.pool.time_limit = 5.0
        assert c.get("/search.json", params={"q": "Karabakh"}).status_code == 200


def test_searches_beyond_the_cap_are_turned_away_while_pages_still_answer(db: str) -> None:
    app = create_app(db, base_url=BASE)
    gate = app.state.searches
    gate.wait = 0.01
    with TestClient(app, base_url="http://localhost") as c:
        with gate.slot(), gate.slot():  # two costly searches hold both slots
            busy = c.get("/search.json", params={"q": "Karabakh"})
            assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
            assert _has_headers(busy)
            assert c.get("/index.json").status_code == 200  # no q: not a search, not gated
        assert c.get("/search.json", params={"q": "Karabakh"}).status_code == 200


def test_pages_carry_an_etag_and_large_ones_are_compressed(client: TestClient) -> None:
    for route in ("/", "/index.json", "/article/f1", "/article/f1.json"):
        first = client.get(route)
        tag = first.headers["etag"]
        assert "no-cache" in first.headers["cache-control"]
        again = client.get(route, headers={"if-none-match": tag})
        assert again.status_code == 304 and again.headers["etag"] == tag and not again.content
    raw = client.get("/article/f1", headers={"accept-encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip" and "vary" in raw.headers
    plain = client.get("/article/f1", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert len(gzip.compress(plain.content)) < len(plain.content)
