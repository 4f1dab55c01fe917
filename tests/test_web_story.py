"""The story page's top and the evidence links: every fact one click from its sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from test_web import LOCAL, _check_markup, corpus
from wiretrace.store import open_store
from wiretrace.web.app import create_app
from wiretrace.web.sentences import Sentences, split
from wiretrace.web.times import display, gap, hours_between

_LINK = re.compile(r'href="/article/([^"#]+)#(s-\d+-\d+)"')
_LOCAL = re.compile(r'href="#(s-\d+-\d+)"')


@pytest.fixture(scope="module")
def client(module_db: str) -> Iterator[TestClient]:
    """en1, fr1 and uk1 form story s1; uk1 translates en1, so their quotes are one (on SQLite,
    then on PostgreSQL)."""
    from wiretrace.stories import schema

    path = module_db
    store = open_store(path)
    arts = corpus()
    store.upsert(arts)
    for seq, art in enumerate(arts[:3], 1):
        schema.save_article(
            store.conn, article_id=art.id, story_id="s1f00d", seq=seq, score=None,
            profile_json="{}", vectors=b"", published=art.published, keys=(),
            df_updates=(), evicted=(),
        )  # fmt: skip
    edge = {"from": "en1", "to": "uk1", "relation": "translation", "confidence": 0.9,
            "evidence": {}}  # fmt: skip
    schema.save_details(store.conn, "s1f00d", [edge], [])
    store.close()
    with TestClient(create_app(path), base_url=LOCAL) as c:
        yield c


def test_sentences_split_inside_paragraphs_and_find_the_one_holding_an_offset() -> None:
    body = "Dr Ana Ruiz arrived. She said: «Hola». Then left!\n\nNew paragraph here. Second one"
    spans = split(body)
    assert [body[a:b] for a, b in spans] == [
        "Dr Ana Ruiz arrived.", "She said: «Hola».", "Then left!", "New paragraph here.",
        "Second one",
    ]  # fmt: skip
    sents = Sentences(body, [(0, 38), (5, 999)])
    assert sents.extra == [(0, 38)]  # a cited span that is no single sentence; (5, 999) is invalid
    assert sents.containing(body.index("Hola")) == spans[1]


def test_times_are_shown_in_utc_with_relative_gaps() -> None:
    assert display("2023-10-04T11:35:21+02:00") == "2023-10-04 09:35 UTC"
    assert display("2023-10-04T09:35:21Z") == "2023-10-04 09:35 UTC"
    assert display("2023-10-04T11:35:21") == "2023-10-04 11:35"  # no offset: as written
    assert display("2023-10-04") == "2023-10-04" and display(None) == "undated"
    assert gap(hours_between("2023-10-03T04:01:00+00:00", "2023-10-03T13:00:00+02:00")) == "+7 h"
    assert gap(hours_between("2023-10-03", "2023-10-06")) == "+3 d"


def test_every_fact_on_article_and_story_pages_links_to_an_existing_sentence(
    client: TestClient,
) -> None:
    pages = {aid: client.get(f"/article/{aid}").text for aid in ("en1", "fr1", "uk1")}
    seen = 0
    for aid, html in pages.items():
        ids = set(re.findall(r'id="(s-\d+-\d+)"', html))
        local = _LOCAL.findall(html)
        assert local, f"no fact links on {aid}"
        for anchor in local:
            assert anchor in ids, (aid, anchor)
            seen += 1
    story = client.get("/story/s1f00d").text
    _check_markup(story)
    links = _LINK.findall(story)
    assert len(links) >= 4  # happenings and quotes
    for aid, anchor in links:
        assert f'id="{anchor}"' in pages[aid], (aid, anchor)
    # The entity and event pages link their facts to the same sentences.
    for url in ("/entity/igor-khovaev", "/events"):
        found = [x for x in _LINK.findall(client.get(url).text) if x[0] in pages]
        assert len(found) >= 3, url
        for aid, anchor in found:
            assert f'id="{anchor}"' in pages[aid], (url, aid, anchor)
    assert seen >= 10


def test_story_top_names_first_report_spread_and_quotes_once(client: TestClient) -> None:
    data = client.get("/story/s1f0.json").json()  # abbreviated id
    assert data["id"] == "s1f00d"
    first = data["summary"]["first"]
    assert (first["article_id"], first["outlet"]) == ("en1", "Meridian Post")
    assert data["summary"]["outlets"] == 3 and data["summary"]["languages"] == 3
    # en1 04:01 UTC, uk1 09:00+03 = 06:00 UTC, fr1 11:35+02 = 09:35 UTC the next day.
    assert [a["id"] for a in data["articles"]] == ["en1", "uk1", "fr1"]
    assert data["summary"]["within_hours"] == 30
    envoy = next(g for g in data["speakers"] if g["speaker"] == "Igor Khovaev")
    quote = envoy["quotes"][0]
    assert quote["repeated_by"] == 2 and {r["article_id"] for r in quote["reports"]} == {
        "en1", "uk1",
    }  # fmt: skip
    assert isinstance(quote["start"], int) and quote["evidence"]["end"] > quote["start"]
    html = client.get("/story/s1f00d").text
    top = html[: html.index("Who said what")]
    assert "First reported by" in top and "Meridian Post" in top and "3 languages" in top
    assert "2023-10-03 04:01 UTC" in top and "repeated by 2 reports" in html
    assert "+30 h after Meridian Post" in html
    assert "<details" in html


def test_headline_follows_the_readers_language(client: TestClient) -> None:
    fr = client.get("/story/s1f00d.json?lang=fr").json()
    assert fr["headline"] == "Rencontre secrète à Istanbul" and fr["headline_language"] == "fr"
    de = client.get("/story/s1f00d.json", headers={"accept-language": "de-DE,de;q=0.9"}).json()
    assert de["headline_language"] == "en"  # no German report: the earliest report's title
    assert 'lang="en">Envoy met' in client.get("/story/s1f00d?lang=de").text


def test_foreign_language_elements_carry_their_language(client: TestClient) -> None:
    html = client.get("/article/fr1").text
    assert '<h1 lang="fr">' in html and '<div class="text" lang="fr">' in html
    assert re.search(r'<q lang="fr">[^<]*Istanbul', html) or 'lang="fr"' in html


def test_story_page_missing_is_404(client: TestClient, tmp_path: Path) -> None:
    assert client.get("/story/zzz.json").status_code == 404


def test_search_for_a_known_name_finds_its_spellings_in_every_language(client: TestClient) -> None:
    # The corpus links "Istanbul" (en, fr) and "Стамбулі" (uk) to one canonical id.
    data = client.get("/search.json?q=Istanbul&limit=50").json()
    assert {h["id"] for h in data["hits"]} == {"en1", "fr1", "uk1"}
    assert data["entity"]["ids"] == ["istanbul"] or "istanbul" in data["entity"]["ids"]
    assert [g["story"]["id"] for g in data["groups"]] == ["s1f00d"]
    assert sum(v["articles"] for v in data["volume"]) == 3
    dated = client.get("/search.json?q=Istanbul&sort=oldest").json()["hits"]
    assert dated[0]["id"] == "en1"
    assert client.get("/search.json?q=Istanbul&sort=sideways").status_code == 400
    html = client.get("/search?q=Istanbul").text
    assert "Story:" in html and "Стамбулі" in html and '<svg class="chart"' in html


def test_events_filter_on_any_name_of_an_actor_and_on_entities(client: TestClient) -> None:
    # uk1's envoy is written "Ігор Ховаєв"; asking in Latin script finds him through the alias.
    rows = client.get("/events.json", params={"actor": "Igor Khovaev"}).json()["events"]
    assert {r["article_id"] for r in rows} == {"en1", "fr1", "uk1"}
    rows = client.get("/events.json", params={"place": "Стамбулі"}).json()["events"]
    assert {r["article_id"] for r in rows} == {"en1", "fr1", "uk1"}
    rows = client.get("/events.json", params={"entity": "igor-khovaev"}).json()
    assert rows["total"] == 3
    assert client.get("/events.json", params={"entity": "nobody-at-all"}).json()["total"] == 0


def test_unknown_paths_get_a_styled_page_or_json(client: TestClient) -> None:
    page = client.get("/nope")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert '<link rel="stylesheet"' in page.text and "no such page" in page.text
    for url in ("/nope.json", "/article/zzzz.json", "/story/zzz.json", "/entity/zz/yy.json"):
        resp = client.get(url)
        assert resp.status_code == 404, url
        assert resp.headers["content-type"] == "application/json", url
        assert resp.json()["status"] == 404
    assert client.post("/index.json").json()["status"] == 405


def test_a_failing_page_is_a_styled_500_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wiretrace.web import story_queries

    path = tmp_path / "e.db"
    open_store(path).close()

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("/secret/server/path exploded")

    monkeypatch.setattr(story_queries, "latest_stories", boom)
    with TestClient(create_app(path), base_url=LOCAL, raise_server_exceptions=False) as c:
        page, data = c.get("/"), c.get("/index.json")
    assert page.status_code == data.status_code == 500
    assert "internal error" in page.text and "/secret" not in page.text
    assert data.json() == {"error": "internal error: the page could not be built", "status": 500}


def test_pages_and_json_carry_no_server_paths(tmp_path: Path) -> None:
    from wiretrace.model import Article

    path = tmp_path / "p.db"
    store = open_store(path)
    store.upsert([Article(id="p1", title="T", body="Body text.", language="en",
                          source_path="/srv/private/inbox/p1.html")])  # fmt: skip
    store.close()
    with TestClient(create_app(path), base_url=LOCAL) as c:
        for url in ("/", "/index.json", "/article/p1", "/article/p1.json", "/search.json?q=body"):
            assert "/srv/private" not in c.get(url).text, url
        assert c.get("/article/p1.json").json()["source_path"] is None


def test_json_twin_links_keep_every_query_parameter(client: TestClient) -> None:
    html = client.get("/events?type=CONSULT&offset=1&limit=1&language=en").text
    assert 'href="/events.json?type=CONSULT&amp;offset=1&amp;limit=1&amp;language=en"' in html
    html = client.get("/search?q=Istanbul&sort=oldest&offset=1").text
    assert 'href="/search.json?q=Istanbul&amp;sort=oldest&amp;offset=1"' in html
    assert 'href="/story/s1f00d.json?lang=fr"' in client.get("/story/s1f00d?lang=fr").text


def test_an_outlet_named_by_its_site_and_by_its_domain_is_one_outlet() -> None:
    from wiretrace.web.outlets import apply, build, country_of_domain

    ids = build([("Agencia Sur", "agenciasur.es", 3), ("agenciasur.es", "agenciasur.es", 2),
                 ("politico.eu", None, 1), ("Blog X", None, 1)])  # fmt: skip
    assert ids.name("agenciasur.es") == "Agencia Sur"
    assert sorted(ids.names_of("Agencia Sur")) == ["Agencia Sur", "agenciasur.es"]
    assert ids.name("politico.eu") == "Politico"  # the registry knows the domain's alias
    assert ids.info["Politico"]["country"] == "US" and ids.info["Politico"]["type"] == "online"
    assert ids.name("Blog X") == "Blog X"
    assert country_of_domain("agenciasur.es") == "ES" and country_of_domain("x.eu") is None
    data = apply({"facets": {"outlet": {"Agencia Sur": 3, "agenciasur.es": 2, "?": 4},
                             "language": {"es": 5, "?": 4}},
                  "articles": [{"outlet": "agenciasur.es", "source_path": "/tmp/x"}]}, ids)  # fmt: skip
    assert data["facets"] == {"outlet": {"Agencia Sur": 5}, "language": {"es": 5}}
    assert data["articles"] == [{"outlet": "Agencia Sur", "source_path": None}]


def test_every_json_response_matches_its_openapi_schema(client: TestClient) -> None:
    from jsonschema import Draft202012Validator

    from wiretrace.web.app import PAGES
    from wiretrace.web.openapi import json_path

    doc = client.get("/openapi.json").json()
    Draft202012Validator.check_schema({"components": doc["components"]})
    reading = {json_path(p.path) for p in PAGES} | {"/events.csv", "/events.jsonl", "/openapi.json"}
    concrete = {"{id}": "en1", "{key}": "igor-khovaev"}
    checked = 0
    for path, ops in doc["paths"].items():
        op = ops.get("get")
        if op is None or path not in reading:
            continue  # discussion routes (accounts, comments) have tests of their own
        url = path
        for k, v in concrete.items():
            url = url.replace(k, "s1f00d" if path.startswith("/story") and k == "{id}" else v)
        extra = {"/search.json": "?q=Istanbul", "/events.json": "?actor=Khovaev"}.get(path, "")
        resp = client.get(url + extra)
        assert resp.status_code == 200, url
        media = resp.headers["content-type"].split(";")[0]
        assert media in op["responses"]["200"]["content"], (url, media)
        if media == "application/json":
            schema = op["responses"]["200"]["content"][media]["schema"]
            root = {**schema, "components": doc["components"]}
            errors = list(Draft202012Validator(root).iter_errors(resp.json()))
            assert not errors, (url, [e.message for e in errors[:3]])
            checked += 1
        if "404" in op["responses"]:
            missing = client.get(path.replace("{id}", "zzzz").replace("{key}", "zzzz"))
            assert missing.status_code == 404
            error_schema = {"$ref": "#/components/schemas/Error", "components": doc["components"]}
            Draft202012Validator(error_schema).validate(missing.json())
    assert checked >= 7


def test_latest_stories_walk_past_a_long_story(any_db: str) -> None:
    from wiretrace.model import Article
    from wiretrace.web import queries, story_queries

    # 150 newest reports of one story, then one older story: the first bounded walk (100 rows)
    # sees one story only and must walk further, not stop or read the whole table.
    store = open_store(any_db)
    arts = [Article(id=f"s{i:03d}", title=f"T{i}", body="Body.", language="en",
                    published=f"2024-01-01T00:{i // 60:02d}:{i % 60:02d}") for i in range(151)]  # fmt: skip
    store.upsert(arts)
    conn = store.conn
    conn.execute("BEGIN")
    for sid, members in (("old", arts[:1]), ("long", arts[1:])):
        conn.execute("INSERT INTO stories (id, first_article, first_published, size) VALUES "
                     "(?, ?, ?, ?)", (sid, members[0].id, members[0].published, len(members)))  # fmt: skip
        for seq, art in enumerate(members):
            conn.execute("INSERT INTO story_articles (article_id, story_id, seq, score, profile, "
                         "vectors) VALUES (?, ?, ?, 0.8, '{}', ?)", (art.id, sid, seq, b""))  # fmt: skip
    conn.execute("COMMIT")
    f = queries.parse_filters({}, limit=2)
    assert [s["id"] for s in story_queries.latest_stories(store, f)] == ["long", "old"]
    store.close()
