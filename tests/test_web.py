"""The web app without a browser: pages, JSON twins, escaping, headers, filters, downloads."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import warnings
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import psycopg
import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from wiretrace.model import (
    Article,
    AttributionLink,
    Chrome,
    Entity,
    Event,
    EventDate,
    Evidence,
    Outlet,
    Participant,
    Quote,
    Role,
    Span,
    Speaker,
    TimeExpr,
    to_json,
)  # fmt: skip
from wiretrace.store import open_store
from wiretrace.web.app import create_app
from wiretrace.web.chart import bucket, coverage_svg
from wiretrace.web.highlight import Mark, highlight, snippet_html

warnings.filterwarnings("ignore", message=".*httpx.*")

LOCAL = "http://localhost"  # an allowed host (the Host header is checked)
EVIL = "</title><script>window.__pwned=1</script>"


def _at(body: str, text: str, after: int = 0) -> tuple[int, int]:
    start = body.index(text, after)
    return start, start + len(text)


def _sentence(body: str, text: str) -> Evidence:
    start, end = _at(body, text)
    return Evidence(body.rfind(".", 0, start) + 1 if "." in body[:start] else 0, end, "t.v1")


def _mentions(body: str, text: str) -> tuple[Span, ...]:
    out, pos = [], 0
    while (i := body.find(text, pos)) >= 0:
        out.append(Span(text, i, i + len(text)))
        pos = i + len(text)
    return tuple(out)


def _talks(aid: str, lang: str, title: str, body: str, name: str, role: str, place: str,
           said: str, anon: str | None, published: str, outlet: str) -> Article:  # fmt: skip
    """A report of one meeting in ``lang``: a named quote, maybe an anonymous one, one event."""
    person = Entity(id=f"{aid}-p", name=name, type="person", country="RU",
                    roles=(Role(role, *_at(body, role)),), mentions=_mentions(body, name),
                    canonical_id="igor-khovaev")  # fmt: skip
    town = Entity(id=f"{aid}-c", name=place, type="place", country="TR",
                  mentions=_mentions(body, place), canonical_id="istanbul")  # fmt: skip
    quotes = [Quote(said, *_at(body, said), kind="direct",
                    speaker=Speaker(name, "named", entity_id=person.id),
                    evidence=_sentence(body, said))]  # fmt: skip
    if anon:
        quotes.append(Quote(anon, *_at(body, anon), kind="indirect",
                            speaker=Speaker(None, "anonymous"), evidence=_sentence(body, anon)))  # fmt: skip
    ev_start, ev_end = _at(body, place)
    event = Event(type="CONSULT", actors=(Participant(name, person.id, "RU"),),
                  where=(Participant(place, town.id, "TR"),),
                  date=EventDate("17", "2023-09-17", "day"),
                  evidence=Evidence(0, body.index(".", ev_end) + 1, "events.v1"))  # fmt: skip
    del ev_start
    return Article(
        id=aid, title=title, body=body, language=lang, published=published,
        url=f"https://example.org/{aid}", outlet=Outlet(outlet, None),
        entities=(person, town), quotes=tuple(quotes), events=(event,), tags=("Karabakh",),
        dates=(TimeExpr("17", *_at(body, "17"), "2023-09-17", "day"),),
        attribution=(AttributionLink("Source Daily", "source daily", "cites"),),
        chrome=(Chrome("share", "Share on Facebook"),),
    )  # fmt: skip


def corpus() -> list[Article]:
    en = _talks(
        "en1",
        "en",
        "Envoy met officials in Istanbul",
        "Russian envoy Igor Khovaev met US and EU officials in Istanbul on 17 September. "
        'Khovaev said "the talks were useful" to reporters.\n\n'
        "A US official said the meeting was secret. The State Department declined to comment.",
        "Igor Khovaev",
        "Russian envoy",
        "Istanbul",
        "the talks were useful",
        "the meeting was secret",
        "2023-10-03T04:01:00+00:00",
        "Meridian Post",
    )
    declined = Quote("", *_at(en.body, "declined to comment"), kind="indirect",
                     speaker=Speaker("The State Department", "institutional"), declined=True)  # fmt: skip
    en = Article(**{**en.__dict__, "quotes": (*en.quotes, declined)})
    fr = _talks(
        "fr1",
        "fr",
        "Rencontre secrète à Istanbul",
        "Igor Khovaïev, représentant spécial de Poutine, a rencontré des diplomates à Istanbul le 17 "
        "septembre. Selon Khovaïev, « les discussions étaient utiles ».",
        "Igor Khovaïev",
        "représentant spécial de Poutine",
        "Istanbul",
        "les discussions étaient utiles",
        None,
        "2023-10-04T11:35:21+02:00",
        "Le Fil Mondial",
    )
    uk = _talks(
        "uk1",
        "uk",
        "Таємні переговори у Стамбулі",
        "Ігор Ховаєв, спецпредставник Росії, зустрівся з дипломатами у Стамбулі 17 вересня. "
        "Ховаєв заявив: «переговори були корисними».",
        "Ігор Ховаєв",
        "спецпредставник Росії",
        "Стамбулі",
        "переговори були корисними",
        None,
        "2023-10-04T09:00:00+03:00",
        "Європейська правда",
    )
    return [en, fr, uk, hostile()]


def hostile() -> Article:
    body = (
        '<script>window.__pwned=1</script> Click <a href="javascript:window.__pwned=1">here</a> '
        'or see <img src=x onerror="window.__pwned=1">. The mayor said "</mark><script>'
        'window.__pwned=1</script>" loudly.'
    )
    q = "</mark><script>window.__pwned=1</script>"
    return Article(
        id="evil1",
        title=EVIL,
        body=body,
        language="en",
        published="2023-10-05T10:00:00",
        url="javascript:window.__pwned=1",
        outlet=Outlet('<b onclick="window.__pwned=1">X</b>'),
        entities=(
            Entity(
                "evil1-e",
                "<img src=x onerror=alert(1)>",
                "person",
                mentions=(Span("script", 1, 7),),
            ),
        ),
        quotes=(Quote(q, *_at(body, q), kind="direct", speaker=Speaker("The mayor", "named")),),
        tags=("<script>alert(1)</script>",),
    )


@pytest.fixture(scope="module")
def db(module_db: str) -> str:
    """The corpus, once on SQLite and once on PostgreSQL."""
    store = open_store(module_db)
    store.upsert(corpus())
    store.close()
    return module_db


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db), base_url=LOCAL) as c:
        yield c


class _Balance(HTMLParser):
    """Checks that every opened non-void element is closed in order."""

    VOID: ClassVar[set[str]] = {"br", "meta", "link", "input", "img", "hr", "rect", "line", "path"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            assert not name.startswith("on"), f"event handler attribute {name} on <{tag}>"
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, value)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def _check_markup(html: str) -> None:
    parser = _Balance()
    parser.feed(html)
    assert parser.scripts == 0
    assert parser.stack == []


# -- highlighting and charts ------------------------------------------------------------------


def test_highlight_overlapping_spans_nest_and_escape() -> None:
    body = "Paris <b> said: 'x & y' today.\n\nNext paragraph."
    marks = [Mark(0, 16, "quote", "q"), Mark(6, 24, "entity", "e <i>"), Mark(10, 40, "event", "ev")]
    html = str(highlight(body, marks))
    _check_markup(html)
    assert "&lt;b&gt;" in html and "&amp;" in html and "<b>" not in html
    assert 'title="e &lt;i&gt;"' in html
    assert html.count("<p>") == 2
    assert "Next <" not in html  # the event mark crossing the paragraph break is split, not torn


def test_highlight_drops_spans_outside_the_body() -> None:
    html = str(highlight("short", [Mark(3, 99, "date", "d"), Mark(-5, 2, "date", "d"),
                                   Mark(4, 4, "date", "empty")]))  # fmt: skip
    assert html.count("<mark") == 2
    _check_markup(html)


def test_snippet_markers_become_marks_and_text_is_escaped() -> None:
    html = str(snippet_html("a <x> \ue000hit\ue001 \ue000open", "\ue000", "\ue001"))
    assert html == 'a &lt;x&gt; <mark class="hit">hit</mark> open'


def test_chart_buckets_by_hours_for_a_short_story_and_months_for_a_long_one() -> None:
    short = [("2023-10-03T04:00:00+00:00", "en"), ("2023-10-04T09:00:00+03:00", "uk")]
    bars, step, _ = bucket(short)
    assert step.total_seconds() == 3600 and sum(sum(b.counts.values()) for b in bars) == 2
    long = [("2020-01-01", "en"), ("2023-06-01", "fr")]
    bars, step, _ = bucket(long)
    assert step.days == 30 and len(bars) <= 45
    svg = str(coverage_svg([*short, ("2023-10-04T10:00:00", "<script>")], "t"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and svg.count("<rect") >= 4


# -- pages and twins ---------------------------------------------------------------------------


def test_home_lists_latest_articles_and_its_json_twin_agrees(client: TestClient) -> None:
    page = client.get("/")
    data = client.get("/index.json").json()
    assert page.status_code == 200 and data["stories"] == []
    assert [a["id"] for a in data["articles"]] == ["evil1", "fr1", "uk1", "en1"]
    for a in data["articles"][1:]:
        assert a["title"] in page.text
    assert data["facets"]["language"] == {"en": 2, "fr": 1, "uk": 1}
    assert client.get("/?format=json").json() == data


def test_home_filters_by_language_entity_and_date(client: TestClient) -> None:
    fr = client.get("/index.json?language=fr").json()
    assert [a["id"] for a in fr["articles"]] == ["fr1"]
    by_alias = client.get("/index.json", params={"entity": "ігор ховаєв"}).json()
    assert {a["id"] for a in by_alias["articles"]} == {"en1", "fr1", "uk1"}
    by_name = client.get("/index.json", params={"entity": "Igor Khovaïev"}).json()
    assert {a["id"] for a in by_name["articles"]} == {"en1", "fr1", "uk1"}
    early = client.get("/index.json?to=2023-10-03").json()
    assert [a["id"] for a in early["articles"]] == ["en1"]


def test_article_json_twin_is_exactly_the_stored_record(client: TestClient) -> None:
    en = next(a for a in corpus() if a.id == "en1")
    assert client.get("/article/en1.json").json() == json.loads(json.dumps(to_json(en)))
    assert client.get("/article/en1?format=json").json()["id"] == "en1"
    assert client.get("/article/nope.json").status_code == 404


def test_article_page_marks_facts_at_their_evidence_spans(client: TestClient) -> None:
    html = client.get("/article/en1").text
    _check_markup(html.split("<main>")[1].split("</main>")[0])
    assert 'hl-entity-person" title="person: Igor Khovaev">Igor Khovaev</mark>' in html
    assert 'title="direct quote, named source: Igor Khovaev">the talks were useful</mark>' in html
    assert "anonymous source" in html and "declined to comment" in html
    assert 'class="hl hl-date" title="date: 2023-09-17">17</mark>' in html
    assert 'href="/entity/igor-khovaev"' in html and "Source Daily" in html
    assert "Share on Facebook" in html  # the removed chrome is listed


def test_entity_page_gathers_aliases_roles_and_quotes_across_languages(client: TestClient) -> None:
    data = client.get("/entity/igor-khovaev.json").json()
    aliases = {a["alias"]: a["languages"] for a in data["aliases"]}
    assert aliases["Igor Khovaev"] == ["en"] and aliases["Ігор Ховаєв"] == ["uk"]
    assert "Igor Khovaïev" in aliases
    assert [r["role"] for r in data["roles"]] == [
        "Russian envoy",
        "спецпредставник Росії",
        "représentant spécial de Poutine",
    ]
    assert {q["article_id"] for q in data["quotes_by"]} == {"en1", "fr1", "uk1"}
    assert {e["type"] for e in data["events"]} == {"CONSULT"} and len(data["events"]) == 3
    html = client.get("/entity/igor-khovaev").text
    assert "Ігор Ховаєв" in html and "représentant spécial de Poutine" in html
    assert client.get("/entity/istanbul.json").json()["quotes_about"] == []
    assert client.get("/entity/nobody.json").status_code == 404


def test_entity_url_accepts_any_alias(client: TestClient) -> None:
    assert client.get("/entity/Igor%20Khova%C3%AFev.json").json()["key"] == "igor-khovaev"


def test_events_filter_by_type_actor_place_and_date(client: TestClient) -> None:
    all_ = client.get("/events.json").json()
    assert all_["total"] == 3 and all_["facets"]["type"] == {"CONSULT": 3}
    # Accent- and case-insensitive: "khovaiev" finds the French spelling.
    fr = client.get("/events.json", params={"actor": "KHOVAIEV"}).json()
    assert [e["article_id"] for e in fr["events"]] == ["fr1"]
    assert client.get("/events.json", params={"place": "стамбул"}).json()["total"] == 1
    assert client.get("/events.json", params={"from": "2023-09-18"}).json()["total"] == 0
    assert client.get("/events.json", params={"to": "2023-09"}).json()["total"] == 3
    assert client.get("/events.json", params={"type": "fight"}).json()["total"] == 0
    row = all_["events"][0]
    assert row["sentence"].startswith(("Russian envoy", "Igor", "Ігор"))


def test_events_download_as_csv_and_jsonl(client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/events.csv?language=uk").text)))
    assert len(rows) == 1 and rows[0]["place"] == "Стамбулі" and rows[0]["type"] == "CONSULT"
    resp = client.get("/events.jsonl")
    lines = [json.loads(x) for x in resp.text.splitlines()]
    assert len(lines) == 3 and resp.headers["content-type"].startswith("application/x-ndjson")


def test_search_finds_across_accents_with_snippets_and_facets(client: TestClient) -> None:
    data = client.get("/search.json", params={"q": "discussions etaient"}).json()
    assert data["total"] == 1 and data["hits"][0]["id"] == "fr1"
    html = client.get("/search", params={"q": "Istanbul"}).text
    assert '<mark class="hit">Istanbul</mark>' in html
    facets = client.get("/search.json", params={"q": "Istanbul"}).json()["facets"]
    # "Istanbul" names a known place: the Ukrainian "Стамбулі" matches too.
    assert facets["language"] == {"en": 1, "fr": 1, "uk": 1}


def test_bad_parameters_get_400_with_a_reason(client: TestClient) -> None:
    for url in ("/index.json?limit=ten", "/events.json?from=yesterday", "/events.csv?to=x"):
        resp = client.get(url)
        assert resp.status_code == 400, url
        assert "expected" in resp.json()["error"]
    assert client.get("/search?limit=ten").status_code == 400


def test_story_pages_without_story_tables_show_nothing_and_do_not_crash(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    store = open_store(path)
    store.upsert(corpus())
    for table in ("story_events", "provenance_edges", "story_articles", "stories"):
        store.conn.execute(f"DROP TABLE IF EXISTS {table}")
    store.close()
    with TestClient(create_app(path), base_url=LOCAL) as old:
        assert old.get("/story/1").status_code == 404
        assert old.get("/story/1.json").json()["status"] == 404
        assert old.get("/index.json").json()["stories"] == []
        assert old.get("/article/en1").status_code == 200


@pytest.fixture(scope="module")
def story_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A store where en1, fr1 and uk1 form story s1 (the uk report linked by provenance)."""
    from wiretrace.stories import schema

    path = tmp_path_factory.mktemp("stories") / "s.db"
    store = open_store(path)
    arts = corpus()
    store.upsert(arts)
    for seq, art in enumerate(arts[:3], 1):
        schema.save_article(
            store.conn, article_id=art.id, story_id="s1", seq=seq, score=None,
            profile_json="{}", vectors=b"", published=art.published, keys=(),
            df_updates=(), evicted=(),
        )  # fmt: skip
    edge = {"from": "en1", "to": "uk1", "relation": "translation", "confidence": 0.9,
            "evidence": {"why": "aligned sentences"}}  # fmt: skip
    cites = {"from": "en1", "to": "uk1", "relation": "citation", "confidence": 0.9,
             "evidence": {"note": "names Meridian Post"}}  # fmt: skip
    outside = {"from": "outlet:Politico", "to": "fr1", "relation": "citation",
               "confidence": 0.8, "evidence": {}}  # fmt: skip
    schema.save_details(store.conn, "s1", [edge, cites, outside], [])
    store.close()
    with TestClient(create_app(path), base_url=LOCAL) as c:
        yield c


def test_story_page_shows_timeline_quotes_by_source_and_provenance(
    story_client: TestClient,
) -> None:
    data = story_client.get("/story/s1.json").json()
    assert data["headline"] == "Envoy met officials in Istanbul"
    assert [a["id"] for a in data["articles"]] == ["en1", "uk1", "fr1"]
    assert data["languages"] == ["en", "fr", "uk"]
    # No merged events are stored, so the page merges the reports' own events (the three name
    # the envoy in three scripts, so they stay apart); all are dated to the meeting.
    assert {e["date"] for e in data["events"]} == {"2023-09-17"} and len(data["events"]) == 3
    assert sorted(len(e["reports"]) for e in data["events"]) == [1, 1, 1]
    assert list(data["quotes"]) == ["named", "anonymous", "declined"]
    assert len(data["quotes"]["named"]) == 3
    khovaev = next(a for a in data["actors"] if a["key"] == "igor-khovaev")
    assert khovaev["reports"] == 3 and "Russian envoy" in khovaev["roles"]
    tree = data["provenance"]["tree"]
    assert data["provenance"]["method"] == "provenance"
    en = next(n for n in tree if n["article_id"] == "en1")
    assert [(c["article_id"], c["relation"]) for c in en["children"]] == [("uk1", "translation")]
    uk = en["children"][0]
    assert uk["also"] == [{"relation": "citation", "source": "Meridian Post", "article_id": "en1"}]
    # fr1 cites an outlet that is not in the store: it hangs under that outlet, not as a root.
    assert {n["article_id"] for n in tree} == {"en1", None}
    politico = next(n for n in tree if n.get("external"))
    assert politico["outlet"] == "Politico" and politico["children"][0]["article_id"] == "fr1"

    html = story_client.get("/story/s1").text
    _check_markup(html)
    assert html.count('<svg class="chart"') == 2
    assert '<meta property="og:title" content="Envoy met officials in Istanbul">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    for host in ("facebook.com/sharer", "twitter.com/intent", "linkedin.com/sharing",
                 "pinterest.com/pin", "mailto:?subject="):  # fmt: skip
        assert host in html
    assert "declined to comment" in html and "anonymous source" in html
    assert 'class="rel rel-translation">translation</span> <span class="muted">0.90' in html
    assert "cited source</span> <strong>Politico</strong>" in html


def test_home_and_article_link_to_their_story(story_client: TestClient) -> None:
    stories = story_client.get("/index.json").json()["stories"]
    assert [(s["id"], s["articles"], s["first_article"]) for s in stories] == [("s1", 3, "en1")]
    # Filters choose stories by their reports; a chosen story still shows its whole coverage.
    assert story_client.get("/index.json?language=fr").json()["stories"][0]["articles"] == 3
    assert story_client.get("/index.json?language=de").json()["stories"] == []
    assert story_client.get("/index.json?from=2023-10-05").json()["stories"] == []
    assert 'href="/story/s1"' in story_client.get("/article/fr1").text
    assert story_client.get("/story/nope.json").status_code == 404


def test_story_provenance_falls_back_to_attribution_lines(tmp_path: Path) -> None:
    from wiretrace.stories import schema

    path = tmp_path / "a.db"
    store = open_store(path)
    en, fr = corpus()[:2]
    fr = Article(**{**fr.__dict__, "attribution": (
        AttributionLink("Meridian Post", "le Meridian Post", "translates"),)})  # fmt: skip
    store.upsert([en, fr])
    for seq, art in enumerate((en, fr), 1):
        schema.save_article(
            store.conn, article_id=art.id, story_id="s2", seq=seq, score=None,
            profile_json="{}", vectors=b"", published=art.published, keys=(),
            df_updates=(), evicted=(),
        )  # fmt: skip
    store.close()
    with TestClient(create_app(path), base_url=LOCAL) as c:
        prov = c.get("/story/s2.json").json()["provenance"]
    assert prov["method"] == "attribution"
    assert [(e["from"], e["to"], e["relation"]) for e in prov["edges"]] == [
        ("en1", "fr1", "translation")
    ]


# -- safety -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/article/evil1", "/search?q=mayor", "/search?q=script", "/events",
            "/entity/" + "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"],
)  # fmt: skip
def test_hostile_article_is_rendered_inert(client: TestClient, url: str) -> None:
    resp = client.get(url)
    assert resp.status_code == 200, url
    _check_markup(resp.text)
    assert "window.__pwned=1</script>" not in resp.text
    assert 'href="javascript:' not in resp.text.lower()


def test_hostile_title_cannot_close_the_title_element(client: TestClient) -> None:
    html = client.get("/article/evil1").text
    head = html.split("</head>")[0]
    assert head.count("</title>") == 1
    assert "&lt;/title&gt;&lt;script&gt;" in head


def test_every_response_carries_a_strict_csp(client: TestClient) -> None:
    for url in ("/", "/article/en1.json", "/static/style.css", "/nope", "/events.csv"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp
        assert "object-src 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"


def test_the_server_reads_through_a_read_only_connection(db: str) -> None:
    app = create_app(db)
    with app.state.pool.store() as store, pytest.raises((sqlite3.OperationalError, psycopg.Error)):
        store.conn.execute("DELETE FROM articles")
    app.state.pool.close()


def test_ingest_is_refused_without_the_write_token(db: str, tmp_path: Path) -> None:
    with TestClient(create_app(db), base_url=LOCAL) as ro:
        assert ro.post("/api/ingest", content=b"{}").status_code == 403
    path = tmp_path / "w.db"
    with TestClient(create_app(path, write_token="s3cret", analyze=False), base_url=LOCAL) as rw:
        text = "Ankara hosted talks on Monday between the two delegations, officials said."
        body = json.dumps({"text": text, "title": "Talks"}) + "\n"
        headers = {"content-type": "application/x-ndjson"}
        missing = rw.post("/api/ingest", content=body, headers=headers)
        assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith(
            "Bearer"
        )
        bad = {**headers, "authorization": "Bearer wrong"}
        assert rw.post("/api/ingest", content=body, headers=bad).status_code == 401
        good = {**headers, "authorization": "Bearer s3cret"}
        report = rw.post("/api/ingest", content=body, headers=good).json()
        assert report["new"] == 1 and report["failed"] == 0
        assert rw.get("/index.json").json()["articles"][0]["title"] == "Talks"
        odd = {"content-type": "image/png", "authorization": "Bearer s3cret"}
        assert rw.post("/api/ingest", content=b"x", headers=odd).status_code == 415


def test_openapi_describes_every_json_route(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    paths = set(doc["paths"])
    for route in client.app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, Route):
            continue
        path = route.path
        if path.endswith((".json", ".csv", ".jsonl")) or path.startswith("/api/"):
            assert path in paths, path
    # The article twin is declared as the contract's record, and the record has every field.
    schema = doc["components"]["schemas"]["Article"]
    record = client.get("/article/en1.json").json()
    assert set(schema["properties"]) <= set(record)
    # The entity route serves its twin from the same path pattern.
    assert "/entity/{key}.json" in paths
    for path in paths:
        get = doc["paths"][path].get("get")
        if get is None or "403" in get["responses"]:  # form actions; pages that need sign-in
            continue
        concrete = path.replace("{id}", "en1").replace("{key}", "igor-khovaev")
        if "{" not in concrete and not path.startswith(("/api/", "/story/{id}")):
            assert client.get(concrete).status_code == 200, concrete


def test_search_facets_of_very_common_words_are_sampled_and_flagged(
    client: TestClient, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wiretrace.web import pg_search, queries

    if db.startswith("postgresql"):
        # PostgreSQL ranks, counts and facets a pool of the newest matches (pg_search).
        monkeypatch.setattr(pg_search, "POOL", 1)
        data = client.get("/search.json", params={"q": "17", "limit": "1"}).json()
        assert data["total"] == 1 and data["total_exact"] is False
        assert data["facets"]["sampled"] == 1 and len(data["hits"]) == 1
        assert data["hits"][0]["id"] == "fr1"  # the newest of the three (published last)
        assert "1+ article" in client.get("/search", params={"q": "17", "limit": "1"}).text
        monkeypatch.setattr(pg_search, "POOL", 500)
        whole = client.get("/search.json", params={"q": "17"}).json()
        assert whole["total"] == 3 and whole["total_exact"] is True
        return
    monkeypatch.setattr(queries, "FACET_CAP", 1)
    data = client.get("/search.json", params={"q": "17"}).json()  # a plain word in three texts
    assert data["total"] == 3 and data["total_exact"] is True
    assert data["facets"]["sampled"] == 1 and sum(data["facets"]["language"].values()) == 1
    monkeypatch.setattr(queries, "TOTAL_CAP", 1)
    capped = client.get("/search.json", params={"q": "17", "language": "fr"}).json()
    assert capped["total"] == 1 and capped["total_exact"] is False
    assert "1+ article" in client.get("/search", params={"q": "17", "language": "fr"}).text


def test_search_past_the_newest_articles_reads_every_language_part(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wiretrace.web import pg_search

    # On PostgreSQL, matches older than the newest WALK articles come from the GIN index, one
    # language part after another (pg_0006): English and French have a part each, Ukrainian
    # (no stemmer) the shared one. With no walk at all the index alone must find the same.
    walked = client.get("/search.json", params={"q": "17"}).json()
    monkeypatch.setattr(pg_search, "WALK", 0)
    indexed = client.get("/search.json", params={"q": "17"}).json()
    assert {h["id"] for h in indexed["hits"]} == {"en1", "fr1", "uk1"}
    assert [h["id"] for h in indexed["hits"]] == [h["id"] for h in walked["hits"]]
    assert indexed["total"] == 3 and indexed["total_exact"] is True
    monkeypatch.setattr(pg_search, "PROBE", 0)  # nothing among the newest: the index first
    assert client.get("/search.json", params={"q": "17"}).json() == indexed
    only_uk = client.get("/search.json", params={"q": "вересня"}).json()
    assert [h["id"] for h in only_uk["hits"]] == ["uk1"] and only_uk["total_exact"] is True


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from wiretrace.web.commands import serve

    result = CliRunner().invoke(serve, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no such database" in result.output
    assert not (tmp_path / "none.db").exists()


def test_a_nul_character_anywhere_is_a_400_not_a_crash(client: TestClient) -> None:
    # PostgreSQL refuses NUL in text outright (found by schemathesis on that backend).
    for url in ("/search.json?q=a%00b", "/index.json?entity=%00", "/article/en1%00.json",
                "/story/x%00", "/events.csv?place=%00"):  # fmt: skip
        resp = client.get(url)
        assert resp.status_code == 400, url
        assert resp.headers["x-content-type-options"] == "nosniff"
    assert client.get("/search.json?q=a%00b").json()["status"] == 400
    assert "<h1>400" in client.get("/story/x%00").text
