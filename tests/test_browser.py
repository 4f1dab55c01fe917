"""The web app in a real browser: Debian's Chromium driven by Playwright over a live server.

The store is the demo corpus (ingested and grouped into stories by ``build_demo``) plus one
hostile article; the tests open every page type, click story -> article -> entity, compare
pages with their JSON twins and prove no script from article text ever runs. Screenshots go
to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from discussion_fixtures import CHROMIUM, chromium, live
from wiretrace.model import Article, Entity, Outlet, Quote, Span, Speaker

SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin"),
]

PAYLOAD = "window.__pwned = (window.__pwned || 0) + 1"


def hostile_article() -> Article:
    """An article whose every field tries to run script if a page forgets to escape it."""
    body = (
        f"Officials met in Geneva on Monday. <script>{PAYLOAD}</script> The envoy said "
        f'"<img src=x onerror="{PAYLOAD}">" before leaving.\n\n'
        f'Read <a href="javascript:{PAYLOAD}" onclick="{PAYLOAD}">the full report</a> or '
        f'<svg onload="{PAYLOAD}"></svg> and <iframe src="javascript:{PAYLOAD}"></iframe>.'
    )
    quote = f'<img src=x onerror="{PAYLOAD}">'
    start = body.index(quote)
    name = f'<b onmouseover="{PAYLOAD}">Envoy</b>'
    return Article(
        id="hostile0000000001",
        title=f"</title><script>{PAYLOAD}</script>Geneva talks",
        body=body,
        language="en",
        published="2023-10-06T08:00:00+00:00",
        url=f"javascript:{PAYLOAD}",
        outlet=Outlet(f'<img src=x onerror="{PAYLOAD}">'),
        entities=(
            Entity(
                "h-e1",
                name,
                "person",
                mentions=(Span("Geneva", 19, 25),),
                canonical_id="hostile-envoy",
            ),
        ),
        quotes=(Quote(quote, start, start + len(quote), "direct", Speaker(name, "named", "h-e1")),),
        tags=(f"<script>{PAYLOAD}</script>",),
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from wiretrace.store import open_store
    from wiretrace.web.app import create_app
    from wiretrace.web.commands import build_demo

    db = tmp_path_factory.mktemp("browser") / "demo.db"
    build_demo(db, echo=lambda _msg: None)
    store = open_store(db)
    store.upsert([hostile_article()])
    store.close()
    with live(create_app(db)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=True)
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    ctx.close()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _json(page: Any, url: str) -> Any:
    resp = page.request.get(url)
    assert resp.ok, url
    return json.loads(resp.text())


def _istanbul(page: Any, server: str) -> dict[str, Any]:
    """The story opened by the demo's original report of the 2023 Istanbul talks (manifest)."""
    home = _json(page, f"{server}/index.json?limit=200")
    original = next(
        a["id"] for a in home["articles"]
        if (a["url"] or "").endswith("/us-eu-russia-secret-karabakh-talks-istanbul/")
    )  # fmt: skip
    return next(s for s in home["stories"] if s["first_article"] == original)


def test_home_lists_stories_and_articles(page: Any, server: str) -> None:
    page.goto(server + "/")
    assert page.locator(".story-row").count() >= 3
    assert page.locator(".article-row").count() >= 10
    data = _json(page, server + "/index.json")
    first = page.locator(".story-row a").first.inner_text()
    assert first == data["stories"][0]["headline"]
    _shot(page, "home")


def test_click_through_story_article_entity(page: Any, server: str) -> None:
    story = _istanbul(page, server)
    page.goto(server + "/")
    page.get_by_role("link", name=story["headline"], exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == story["headline"]
    twin = _json(page, page.url + ".json")
    assert len(twin["articles"]) == story["articles"] >= 5
    shown = page.locator(".timeline-list li, .undated-list li").count()
    assert shown == len(twin["events"]) > 0
    dated = [e for e in twin["events"] if e["date"]]
    assert page.locator(".timeline-list li").count() == len(dated)
    assert page.locator(".provenance .tree li > a").count() == len(twin["articles"])
    # The provenance chain: copies, translations or citations linking the reports.
    relations = {e["relation"] for e in twin["provenance"]["edges"]}
    assert relations & {"copy", "translation", "citation", "rewrite"}
    assert (
        page.locator(
            ".provenance .rel-copy, .provenance .rel-translation, "
            ".provenance .rel-citation, .provenance .rel-rewrite"
        ).count()
        >= 2
    )
    assert page.locator("svg.chart").count() == 2
    assert page.locator("svg.chart rect").count() > 4
    assert page.locator(".quotes-by-type p").count() == len(twin["quotes"]) >= 2
    og = page.locator('meta[property="og:title"]').get_attribute("content")
    assert og == story["headline"]
    for name in ("Facebook", "X / Twitter", "LinkedIn", "Pinterest", "E-mail"):
        assert page.get_by_role("link", name=name).count() == 1
    _shot(page, "story")

    page.locator("details.coverage summary").click()
    page.locator(".reports a").first.click()
    page.wait_for_load_state()
    record = _json(page, page.url + ".json")
    assert page.locator("h1").inner_text() == record["title"]
    assert page.locator("mark.hl-entity").count() >= 1
    assert page.locator(".text p").count() == record["body"].count("\n\n") + 1
    _shot(page, "article")

    link = page.locator("a.entity-link").first
    name = link.inner_text()
    link.click()
    page.wait_for_load_state()
    entity = _json(page, page.url + ".json")
    assert page.locator("h1").inner_text() == entity["name"]
    assert name in [a["alias"] for a in entity["aliases"]]
    assert any(a["article_id"] == record["id"] for a in entity["articles"])
    _shot(page, "entity")


def test_events_table_filters_and_downloads(page: Any, server: str) -> None:
    page.goto(server + "/events")
    total = _json(page, server + "/events.json")["total"]
    assert total > 0
    first_type = page.locator(".facet a").first.inner_text()
    page.locator(".facet a").first.click()
    page.wait_for_load_state()
    rows = page.locator(".event-table tbody tr")
    data = _json(page, server + f"/events.json?type={first_type}")
    assert rows.count() == min(len(data["events"]), 100) and data["total"] <= total
    csv_text = page.request.get(server + f"/events.csv?type={first_type}").text()
    assert len(list(csv.DictReader(io.StringIO(csv_text)))) == data["total"]
    _shot(page, "events")


def test_search_shows_snippets_and_facets(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.fill("header input[name=q]", "Istanbul")
    page.press("header input[name=q]", "Enter")
    page.wait_for_load_state()
    assert "/search?q=Istanbul" in page.url
    assert page.locator(".hit-row").count() >= 2
    assert page.locator(".snippet mark.hit").count() >= 1
    assert page.locator(".facet").count() == 2
    _shot(page, "search")


def test_hostile_article_runs_no_script_anywhere(page: Any, server: str) -> None:
    art = hostile_article()
    urls = [f"/article/{art.id}", "/", "/search?q=Geneva", "/entity/hostile-envoy",
            "/index.json", f"/article/{art.id}.json"]  # fmt: skip
    for url in urls:
        page.goto(server + url)
        page.wait_for_load_state("load")
        page.mouse.move(300, 300)
        assert page.evaluate("window.__pwned") is None, url
        assert page.dialogs == [], url
    page.goto(server + f"/article/{art.id}")
    assert page.title().startswith("</title><script>")
    text = page.locator(".text").inner_text()
    assert "<script>" in text and "onerror=" in text  # shown as text, inert
    assert page.locator(".text script, .text img, .text iframe, .text svg").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    for link in page.locator(".text a").all():
        assert not (link.get_attribute("href") or "").startswith("javascript:")
    page.get_by_text("the full report").first.click()
    assert page.evaluate("window.__pwned") is None
    _shot(page, "hostile-article")


def test_csp_blocks_an_injected_inline_script(page: Any, server: str) -> None:
    """Defence in depth: even a script element added to the page is refused by the CSP."""
    page.goto(server + "/")
    resp = page.request.get(server + "/")
    assert "script-src 'self'" in resp.headers["content-security-policy"]
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__pwned = 1'; document.body.appendChild(s); }"
    )
    assert page.evaluate("window.__pwned") is None


# -- the analyst's view (issue 14 "done when") -------------------------------------------------


def _visible_text(page: Any, height: int) -> str:
    """Text of the elements whose top is inside the first ``height`` pixels."""
    return str(page.evaluate(
        """(h) => Array.from(document.querySelectorAll('h1, p, li, span, a, strong, time'))
             .filter(e => { const r = e.getBoundingClientRect();
                            return r.top >= 0 && r.top < h && r.height > 0; })
             .map(e => e.innerText).join(' | ')""",
        height,
    ))  # fmt: skip


def test_istanbul_story_first_screen_answers_what_who_first_and_how_far(
    browser: Any, server: str
) -> None:
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    story = _istanbul(page, server)
    page.goto(f"{server}/story/{story['id']}")
    twin = _json(page, f"{server}/story/{story['id']}.json")
    shown = _visible_text(page, 768)
    summary = twin["summary"]
    top = twin["happenings"]["key"][0]
    assert top["type"] == "CONSULT" and top["reports"] >= 5  # the Istanbul talks lead
    assert "CONSULT" in shown and f"{top['reports']} reports" in shown
    assert f"First reported by {summary['first']['outlet']}" in shown.replace(" | ", " ")
    assert summary["first"]["outlet"] == "Politico"
    assert f"{summary['outlets']} outlets in {summary['languages']} languages" in shown
    assert summary["languages"] >= 5
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "istanbul-first-screen-1366.png"))
    ctx.close()


def _pages(page: Any, server: str) -> list[str]:
    story = _istanbul(page, server)
    twin = _json(page, f"{server}/story/{story['id']}.json")
    fr = next(a["id"] for a in twin["articles"] if a["language"] == "fr")
    return ["/", f"/story/{story['id']}", f"/article/{twin['articles'][0]['id']}",
            f"/article/{fr}", "/search?q=Karabakh", "/events", "/events?actor=Poutine",
            "/entity/place%3Anagorno-karabakh", "/no/such/page"]  # fmt: skip


def test_no_page_scrolls_sideways_at_390_px(browser: Any, server: str) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for i, url in enumerate(_pages(page, server)):
        page.goto(server + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(SHOTS / f"phone-{i}.png"), full_page=True)
        assert width <= 390, (url, width)
    ctx.close()


def test_every_fact_link_on_story_and_article_pages_reaches_its_sentence(
    page: Any, server: str
) -> None:
    story = _istanbul(page, server)
    twin = _json(page, f"{server}/story/{story['id']}.json")
    page.goto(f"{server}/story/{story['id']}")
    links = page.eval_on_selector_all(
        "a[href*='#s-']", "els => els.map(e => e.getAttribute('href'))"
    )
    assert len(links) >= 10
    for a in twin["articles"]:
        page.goto(f"{server}/article/{a['id']}")
        local = page.eval_on_selector_all(
            "a[href^='#s-']", "els => els.map(e => e.getAttribute('href'))"
        )
        links += [f"/article/{a['id']}{h}" for h in local]
    checked = 0
    for href in dict.fromkeys(links):
        path, anchor = href.split("#")
        if page.url != server + path:
            page.goto(server + path)
        assert page.evaluate("(id) => !!document.getElementById(id)", anchor), href
        checked += 1
    assert checked >= 50
    page.goto(server + links[0])
    _shot(page, "evidence-target")


def test_search_karabakh_returns_every_linked_article_grouped_by_story(
    page: Any, server: str
) -> None:
    entity = _json(page, f"{server}/entity/place%3Anagorno-karabakh.json")
    linked = {a["article_id"] for a in entity["articles"]}
    assert len(linked) >= 10
    data = _json(page, f"{server}/search.json?q=Karabakh&limit=100")
    assert linked <= {h["id"] for h in data["hits"]}
    assert len(data["groups"]) >= 2 and all(g["story"] for g in data["groups"])
    page.goto(f"{server}/search?q=Karabakh")
    assert page.locator(".story-group").count() == len(data["groups"])
    assert page.locator("figure.volume svg.chart").count() == 1
    _shot(page, "search-karabakh")


def test_events_actor_poutine_finds_putins_events(page: Any, server: str) -> None:
    data = _json(page, f"{server}/events.json?actor=Poutine")
    assert data["total"] >= 1
    assert all("putin" in (e["actors"] + e["recipients"]).lower() for e in data["events"])
    assert data["total"] == _json(page, f"{server}/events.json?actor=Putin")["total"]
    page.goto(f"{server}/events?actor=Poutine")
    assert page.locator(".event-table tbody tr").count() == data["total"]


def test_demo_outlets_have_one_name_each_and_every_known_domain_names_its_outlet(
    page: Any, server: str
) -> None:
    from urllib.parse import urlsplit

    rows = _json(page, f"{server}/index.json?limit=200")["articles"]
    names: dict[str, set[str]] = {}
    for a in rows:
        host = (urlsplit(a["url"] or "").hostname or "").removeprefix("www.")
        if host:
            assert a["outlet"], f"{a['id']} ({host}) shows no outlet"
            names.setdefault(host, set()).add(a["outlet"])
    assert names and all(len(v) == 1 for v in names.values()), names
    facet = _json(page, f"{server}/index.json?limit=200")["facets"]["outlet"]
    assert "?" not in facet
    for host, (name,) in names.items():  # the facet counts each outlet under its one name
        assert host not in facet or host == name
