"""HTML pages: main text and metadata through trafilatura/htmldate, attribution lines inside."""

from __future__ import annotations

from conftest import FIXTURES
from wiretrace.model import RawPage
from wiretrace.registry import find_outlet
from wiretrace.stages.clean.attribution import is_translated_name, parse_attribution
from wiretrace.stages.clean.extract import to_article


def _html(text: str, url: str | None = None):  # type: ignore[no-untyped-def]
    art, _ = to_article(RawPage(text.encode("utf-8"), "html", url=url))
    return art


def test_html_page_metadata_and_clean_body() -> None:
    art, _ = to_article(RawPage((FIXTURES / "en_page.html").read_bytes(), "html"))
    assert art.language == "en"
    assert art.title == "Port workers end strike after pay deal"
    assert art.published == "2024-03-05T14:20:00+00:00"
    assert art.authors == ("Dana Whitfield",)
    assert art.outlet is not None and art.outlet.name == "Harbour Daily"
    assert art.url == "https://harbourdaily.example/news/port-strike-ends"
    assert art.body.startswith("Dock workers at the country")
    assert art.body.endswith("the cost of the dispute.")
    for junk in ("Accept cookies", "window.tracker", "All rights reserved", "Ferry fares"):
        assert junk not in art.body
    assert [a.outlet for a in art.attribution] == ["Reuters"]
    assert "Source:" not in art.body


def test_known_outlet_is_normalised_from_the_site_name() -> None:
    html = (
        "<html><head><title>Talks</title><meta property='og:site_name' content='POLITICO'>"
        "</head><body><article><h1>Talks held in secret</h1><p>Senior officials from three "
        "governments met in Istanbul on Sunday to discuss the crisis, two people familiar with "
        "the talks said.</p><p>The meeting was not announced in advance and lasted several "
        "hours, according to the people.</p></article></body></html>"
    )
    art = _html(html, url="https://www.politico.eu/article/talks")
    assert art.outlet is not None and art.outlet.name == "Politico"


def test_attribution_chain_in_several_languages() -> None:
    cases = {
        ("vérité européenne” en référence à Politico et ses sources", "fr"): [
            ("Evropeiska Pravda", "translates"),
            ("Politico", "cites"),
        ],
        ("«Європейська правда» з посиланням на Politico", "uk"): [
            ("Evropeiska Pravda", "republishes"),
            ("Politico", "cites"),
        ],
        ("ТАСС со ссылкой на РИА Новости", "ru"): [
            ("TASS", "republishes"),
            ("RIA Novosti", "cites"),
        ],
        ("Spiegel unter Berufung auf Reuters", "de"): [
            ("Der Spiegel", "republishes"),
            ("Reuters", "cites"),
        ],
        ("El País con referencia a AFP", "es"): [("El País", "republishes"), ("AFP", "cites")],
    }
    for (line, lang), want in cases.items():
        got = [(link.outlet, link.relation) for link in parse_attribution(line, lang)]
        assert got == want, line


def test_unknown_outlet_is_kept_as_written() -> None:
    chain = parse_attribution("Gazette du Nord, citing the Harbour Daily", "en")
    assert [c.outlet for c in chain] == ["Gazette du Nord", "the Harbour Daily"]


def test_machine_translated_outlet_names_are_told_from_real_ones() -> None:
    ep = find_outlet("Європейська правда")
    assert ep is not None
    assert is_translated_name("vérité européenne", ep)
    assert is_translated_name("Verdad Europea", ep)
    assert not is_translated_name("Європейська правда", ep)
    assert not is_translated_name("European Pravda", ep)
    assert not is_translated_name("EuroPravda", ep)
