"""Language-wide settings live in ``lang/<code>/language.toml`` and are read from there only."""

from __future__ import annotations

from importlib import resources

from wiretrace.stages.events.lexicon import lexicon as event_lexicon
from wiretrace.stages.facts.datewords import lexicon as date_lexicon
from wiretrace.stages.facts.figures import _context
from wiretrace.textutil import lang_data, languages_with, nouns_capitalised


def test_no_stage_file_repeats_the_capitalised_nouns_setting() -> None:
    root = resources.files("wiretrace.lang")
    for lang in languages_with("events") + languages_with("figures") + languages_with("dates"):
        for concept in ("events", "figures", "dates"):
            res = root.joinpath(lang, f"{concept}.toml")
            if res.is_file():
                text = res.read_text(encoding="utf-8")
                assert "nouns_capitalized" not in text, (lang, concept)
    assert lang_data("de", "language")["capitalised_nouns"] is True


def test_german_stages_read_capitalised_nouns_from_language_toml() -> None:
    assert nouns_capitalised("de") and not nouns_capitalised("en")
    for lang in ("de", "en", "fr", "es", "ru", "uk"):
        caps = nouns_capitalised(lang)
        lex = event_lexicon(lang)
        assert lex is not None and lex.nouns_capitalized == caps, lang
        assert _context(lang).capitalized_nouns == caps, lang
    dates = date_lexicon("de")
    assert dates is not None
    # German month names are nouns: "Mai" with a capital is the month, "mai" is not
    for text, found in (("am 5. Mai 2024", True), ("am 5. mai 2024", False)):
        assert any(p.search(text) for _, p in dates.patterns) is found, text
