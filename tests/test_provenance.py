"""Provenance: copy, translation, rewrite and citation edges, original source, derivative signs."""

from __future__ import annotations

import dataclasses

import pytest

from test_stories_fixtures import DEMO, TALKS_COPY, TALKS_EN, TALKS_FR, TALKS_UK, demo_articles
from wiretrace.model import Article, Outlet
from wiretrace.stories.provenance import cited_outlets, describe, edges_for


def _rel(edges: list[object], relation: str) -> set[tuple[str, str]]:
    return {(e.src, e.dst) for e in edges if e.relation == relation}  # type: ignore[attr-defined]


def test_provenance_istanbul_chain_original_report_translation() -> None:
    story = describe([TALKS_FR, TALKS_UK, TALKS_EN, TALKS_COPY])
    edges = list(story.edges)
    assert story.earliest == "talks-en"
    assert story.original_source == "Politico"
    assert ("talks-en", "talks-uk") in _rel(edges, "citation")
    assert ("talks-uk", "talks-fr") in _rel(edges, "translation")
    assert ("talks-en", "talks-copy") in _rel(edges, "copy")
    # Edges always run from the earlier report to the later one.
    order = {"talks-en": 0, "talks-copy": 1, "talks-uk": 2, "talks-fr": 3}
    assert all(order[e.src] < order[e.dst] for e in edges if e.src in order)
    for e in edges:
        assert 0.0 < e.confidence <= 1.0
        assert e.to_json()["from"] == e.src


def test_provenance_citation_phrase_names_outlet_in_each_language() -> None:
    for lang, text in {
        "en": "The ministry confirmed the figures, according to Politico.",
        "fr": "Le ministère a confirmé les chiffres, selon Politico.",
        "uk": "Міністерство підтвердило цифри, за даними Politico.",
        "ru": "Министерство подтвердило цифры, по данным Politico.",
        "de": "Das Ministerium bestätigte die Zahlen, laut Politico.",
    }.items():
        art = Article(id=lang, title="", body="Intro line. " + text, language=lang)
        cited = cited_outlets(art, ["Politico"])
        assert [name for name, _ in cited] == ["Politico"], lang
        ev = cited[0][1]
        assert art.body[ev.start : ev.end].strip().startswith(text.split(",")[0])


def test_provenance_outlet_named_without_citing_word_is_not_a_citation() -> None:
    art = Article(id="x", title="", body="Politico hired a new editor in Brussels.", language="en")
    assert cited_outlets(art, ["Politico"]) == []


def test_provenance_cited_outlet_absent_from_corpus_becomes_original_source() -> None:
    a = dataclasses.replace(TALKS_UK, id="a", outlet=Outlet("Outlet A"))
    b = dataclasses.replace(TALKS_FR, id="b", outlet=Outlet("Outlet B"), attribution=())
    story = describe([a, b])
    assert story.original_source == "Politico"
    assert ("outlet:Politico", "a") in _rel(list(story.edges), "citation")


def test_provenance_rewrite_in_same_language() -> None:
    rewrite = Article(
        id="talks-rewrite",
        title="Secret Istanbul meeting of US, EU and Russian diplomats preceded Karabakh attack",
        body=(
            "Two days before Azerbaijan's assault on Nagorno-Karabakh, diplomats of the United "
            "States, the European Union and Russia held a secret meeting in Istanbul on 17 "
            "September 2023.\n\nLouis Bono, Toivo Klaar and Igor Khovaev headed the three "
            "delegations, which talked about protecting the roughly 120,000 Armenians of the "
            "region.\n\nNo joint statement followed the four-hour talks."
        ),
        language="en",
        published="2023-10-05T09:00:00+00:00",
        outlet=Outlet("Daily Example"),
    )
    edges = edges_for([TALKS_EN, rewrite])
    assert ("talks-en", "talks-rewrite") in _rel(edges, "rewrite")
    assert not _rel(edges, "copy")


def test_provenance_derivative_signals() -> None:
    story = describe([TALKS_EN, TALKS_UK, TALKS_FR, TALKS_COPY])
    fr = " | ".join(story.derivative["talks-fr"])
    assert "machine-translated outlet name" in fr
    assert "stop words" in fr
    assert any("no added content" in s for s in story.derivative["talks-copy"])
    assert story.derivative["talks-en"] == ()


@pytest.mark.gate
def test_provenance_demo_istanbul_chain() -> None:
    if not (DEMO / "manifest.toml").is_file():
        pytest.skip("demo corpus not present")
    pairs = [(a, m) for a, m in demo_articles() if m["story"] == "istanbul-talks"]
    file_of = {a.id: str(m["file"]) for a, m in pairs}
    story = describe([a for a, _ in pairs])
    rel = {(file_of.get(e.src, e.src), file_of[e.dst], e.relation) for e in story.edges}
    original = "politico-2023-10-03-secret-karabakh-talks.html"
    uk = "europravda-2023-10-04-taiemni-peremovyny-stambul.txt"
    fr = "lefilmondial-2023-10-04-rencontre-secrete-istanbul-karabakh.txt"
    assert (original, uk, "citation") in rel
    assert (uk, fr, "translation") in rel
    assert file_of[story.earliest or ""] == original
    assert story.original_source == "Politico"


def test_provenance_story_record_is_stored_and_json_ready() -> None:
    import json
    import sqlite3

    from wiretrace.stories.record import save_story
    from wiretrace.stories.schema import migrate

    conn = sqlite3.connect(":memory:")
    migrate(conn)
    rec = save_story(conn, "s1", [TALKS_UK, TALKS_EN, TALKS_FR])
    json.dumps(rec)  # the record is plain JSON
    assert [a["id"] for a in rec["articles"]] == ["talks-en", "talks-uk", "talks-fr"]
    assert rec["earliest"] == "talks-en"
    stored = conn.execute("SELECT src, dst, relation FROM provenance_edges").fetchall()
    assert ("talks-uk", "talks-fr", "translation") in stored
    assert len(stored) == len(rec["edges"])
