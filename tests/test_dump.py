"""Plain-text page dumps: title, body, chrome, timestamps and epochs, in several languages."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES, SHARED
from wiretrace.model import RawPage
from wiretrace.stages.clean.chrome import classify, epoch_of, timestamp_of
from wiretrace.stages.clean.dump import clean_dump
from wiretrace.stages.clean.extract import to_article
from wiretrace.textutil import fold


def _article(path: Path, kind: str = "text"):  # type: ignore[no-untyped-def]
    art, _ = to_article(RawPage(path.read_bytes(), kind, source_path=str(path)))  # type: ignore[arg-type]
    return art


def test_seed_matches_every_metadata_expectation(seed_path: Path) -> None:
    expected = json.loads((SHARED / "spec" / "seed-analysis.json").read_text())["metadata"]
    art = _article(seed_path)
    assert art.language == expected["language"]
    assert art.title.startswith(expected["title_starts"])
    assert art.published is not None and art.published.startswith(expected["published_date"])
    assert art.published_utc == expected["epoch_utc"]
    assert art.body.startswith(expected["body_starts"])
    assert art.body.endswith(expected["body_ends"])
    for chrome_text in expected["not_in_body"]:
        assert chrome_text not in art.body
    assert len(art.attribution) >= len(expected["attribution_chain"])
    for link, want in zip(art.attribution, expected["attribution_chain"], strict=False):
        assert any(
            fold(w) in fold(link.outlet) or fold(w) in fold(link.as_written) for w in want["any"]
        )
    assert art.derivative.is_derivative is expected["is_derivative"]


def test_seed_chrome_is_classified_by_kind(seed_path: Path) -> None:
    art = _article(seed_path)
    kinds = {c.kind for c in art.chrome}
    assert {"hashtags", "share", "comments", "anti-spam", "timestamp", "epoch", "label"} <= kinds
    assert "Détails" not in art.body.split("\n\n")[1][:10]  # the label is cut, its paragraph kept
    assert art.body.split("\n\n")[1].startswith("Un haut diplomate")


def test_seed_derivative_signals_name_translation_and_stop_word_hashtags(seed_path: Path) -> None:
    signals = " ".join(_article(seed_path).derivative.signals)
    assert "machine-translated outlet name" in signals
    assert "#les" in signals and "#karabakh" not in signals


def test_ukrainian_dump_with_cyrillic_chrome() -> None:
    art = _article(FIXTURES / "uk_dump.txt")
    assert art.language == "uk"
    assert art.title.startswith("Міністри енергетики ЄС")
    assert art.published == "2024-06-12T17:05:00"
    assert art.published_utc is None
    assert art.body.startswith("Міністри енергетики країн")
    assert art.body.endswith("зростання цін узимку.")
    for chrome in ("Поділитися", "Залишити коментар", "Читайте також", "#ЄС", "Головна"):
        assert chrome not in art.body
    assert [a.outlet for a in art.attribution] == ["Evropeiska Pravda", "Reuters"]
    assert art.attribution[0].relation == "republishes"  # same language: not a translation
    assert any("stop words" in s for s in art.derivative.signals)


def test_german_dump_with_offset_timestamp_and_epoch() -> None:
    art = _article(FIXTURES / "de_dump.txt")
    assert art.language == "de"
    assert art.published == "2024-01-10T06:45:00+01:00"
    assert art.published_utc == "2024-01-10T05:45:00Z"
    assert "Teilen" not in art.body and "Akismet" not in art.body and "1704865500" not in art.body
    assert [a.outlet for a in art.attribution][:1] == ["Deutsche Welle"]
    assert art.attribution[1].as_written == "dpa"


def test_spanish_dump_with_only_an_epoch() -> None:
    art = _article(FIXTURES / "es_dump.txt")
    assert art.language == "es"
    assert art.published is None
    assert art.published_utc == "2024-02-15T12:26:40Z"
    assert art.body.endswith("datos de salarios se moderan.")
    kinds = [c.kind for c in art.chrome]
    assert kinds.count("share") == 2 and "comments" in kinds and "navigation" in kinds


def test_epoch_and_timestamp_lines_are_recognised_and_others_are_not() -> None:
    assert epoch_of("1696411932") == "2023-10-04T09:32:12Z"
    assert epoch_of("1696411932000") == "2023-10-04T09:32:12Z"
    assert epoch_of("123") is None and epoch_of("9999999999999999") is None
    assert timestamp_of("2023-10-04 11:35:21") == "2023-10-04T11:35:21"
    assert timestamp_of("04.10.2023 11:35") == "2023-10-04T11:35:00"
    assert timestamp_of("4 octobre 2023") == "2023-10-04"
    assert timestamp_of("Le sommet a eu lieu en 2023 à Paris et fut long.") is None
    assert timestamp_of("100 000") is None


def test_chrome_phrases_match_whole_lines_not_running_text() -> None:
    assert classify("Leave a Comment") == "comments"
    assert classify("Laisser un commentaire") == "comments"
    assert classify("Facebook") == "share"
    assert classify("Accueil > Monde > Europe") == "navigation"
    assert classify("#les #des #Karabakh") == "hashtags"
    sentence = "Facebook said on Monday it would share more data with researchers in Europe."
    assert classify(sentence) is None


def test_title_is_first_non_chrome_line_and_labels_are_not_body() -> None:
    page = clean_dump(
        "Home\n\nA headline about a ferry\n\nSource: Reuters\n\n"
        "Details: The ferry sank near the coast on Monday, officials said in a statement.\n\n"
        "Rescuers pulled twelve people from the water before nightfall, the coastguard said.\n\n"
        "Share\n\nLeave a Reply\n"
    )
    assert page.title == "A headline about a ferry"
    assert page.attribution_line == "Reuters"
    assert page.body.startswith("The ferry sank")
    assert "Share" not in page.body and "Leave a Reply" not in page.body


def test_related_article_titles_are_collected_from_the_body(seed_path: Path) -> None:
    art = _article(seed_path)
    assert art.related[0] == "Troisième Karabakh"
    assert art.related[1].startswith("Le Karabakh, contrairement au Donbass")
    from wiretrace.stages.clean.dump import related_titles

    assert related_titles("Mehr dazu im Artikel „Der dritte Karabach-Krieg“ von gestern.") == [
        "Der dritte Karabach-Krieg"
    ]
    assert related_titles("Officials met in Istanbul on Sunday, the article said.") == []


def test_agency_sign_off_keeps_the_last_paragraph_and_notices_are_chrome() -> None:
    page = clean_dump(
        "El banco sube los tipos\n\n"
        "El consejo de gobierno decidió este jueves subir el tipo de referencia en un cuarto de punto.\n\n"
        "La próxima reunión de política monetaria se celebrará el 26 de octubre. AM\n\n"
        "Комментарии проходят премодерацию. Сообщения со ссылками и рекламой не публикуются.\n\n"
        "Bitte beachten Sie unsere Netiquette. Beiträge mit Links werden nicht freigeschaltet.\n\n"
        "Передрук матеріалів дозволено лише з активним гіперпосиланням.\n"
    )
    assert page.body.endswith("el 26 de octubre. AM")
    kinds = [c.kind for c in page.chrome]
    assert kinds == ["comments", "comments", "other"]
