"""Cleaning holds on the whole demo corpus, checked against its manifest (written separately)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from wiretrace.model import Article, RawPage
from wiretrace.sources import iter_pages
from wiretrace.stages.clean.extract import to_article

DEMO = Path(__file__).resolve().parents[1] / "src" / "wiretrace" / "demo"


def _cleaned() -> list[tuple[dict[str, object], Article]]:
    manifest = tomllib.loads((DEMO / "manifest.toml").read_text(encoding="utf-8"))
    want = {}
    for entry in manifest["article"]:
        key = str(DEMO / "corpus" / entry["file"])
        want[key + (f":{entry['record']}" if "record" in entry else "")] = entry
    out = []
    for page in iter_pages([str(DEMO / "corpus")]):
        assert isinstance(page, RawPage), page
        out.append((want[page.where], to_article(page)[0]))
    return out


@pytest.fixture(scope="module")
def cleaned() -> list[tuple[dict[str, object], Article]]:
    return _cleaned()


def test_every_demo_page_gets_its_language_and_publication_day(cleaned) -> None:  # type: ignore[no-untyped-def]
    assert len(cleaned) >= 40
    for entry, art in cleaned:
        assert art.language == entry["lang"], entry["file"]
        stated = art.published or art.published_utc or ""
        assert stated[:10] == str(entry["published"])[:10], entry["file"]


def test_no_demo_page_keeps_chrome_in_its_body(cleaned) -> None:  # type: ignore[no-untyped-def]
    chrome = ("Leave a Comment", "Laisser un commentaire", "Залишити коментар", "Akismet",
              "Share on Facebook", "Kommentar schreiben", "Deja un comentario", "Поделиться")  # fmt: skip
    for entry, art in cleaned:
        for phrase in chrome:
            assert phrase not in art.body, (entry["file"], phrase)
        assert not any(line.startswith("#") for line in art.body.split("\n")), entry["file"]


def test_french_republication_in_the_demo_has_the_full_chain(cleaned) -> None:  # type: ignore[no-untyped-def]
    fr = [a for e, a in cleaned if e["story"] == "istanbul-talks" and e["lang"] == "fr"]
    assert fr
    chain = [(link.outlet, link.relation) for link in fr[0].attribution]
    assert chain[:2] == [("Evropeiska Pravda", "translates"), ("Politico", "cites")]
    assert fr[0].derivative.is_derivative
