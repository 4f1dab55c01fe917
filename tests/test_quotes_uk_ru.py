"""Ukrainian and Russian quotations: a gold set written for these tests, scored like dev.jsonl.

The set (tests/fixtures_quotes/quotes_uk_ru.txt) is news-style text written here, with gold content and
speaker spans marked inline; the scorer is the one ``wiretrace eval quotes`` uses (content
coverage above 0.3 and 0.8, speaker span overlap). A second figure checks pronoun and
role-noun speakers ("– написав він", "за словами міністра") against the person they refer to.
"""

from __future__ import annotations

from typing import Any

import pytest

from quote_fixtures import analyse, load_marked, preds
from wiretrace.eval.quotes import match, score
from wiretrace.model import Article
from wiretrace.textutil import fold

FIXTURE = "quotes_uk_ru.txt"


def load() -> list[dict[str, Any]]:
    """The gold records of the fixture, offsets computed from the inline marks."""
    return load_marked(FIXTURE)


@pytest.fixture(scope="module")
def analysed() -> list[tuple[dict[str, Any], Article]]:
    return analyse(load())


def test_quotes_uk_ru_fixture_has_sixty_quotes_in_both_languages() -> None:
    recs = load()
    assert sum(len(r["quotes"]) for r in recs) >= 60
    assert {r["lang"] for r in recs} == {"uk", "ru"}
    for r in recs:
        for q in r["quotes"]:
            s, e = q["content"]
            assert 0 <= s < e <= len(r["text"]) and "⟦" not in r["text"]


def test_quotes_uk_ru_speaker_accuracy_and_coverage(
    analysed: list[tuple[dict[str, Any], Article]],
) -> None:
    recs = [r for r, _ in analysed]
    out = score(recs, [preds(a) for _, a in analysed])
    # Measured (quotes.v2), all 79 quotes: speaker accuracy 0.987, F1@0.3 0.981. The 60 quotes
    # written first scored 0.983 / 0.966 on first run and 1.000 / 0.992 after the lexicon gaps
    # they showed were filled (in-sample); the 19 "h-" quotes, written after that and scored
    # once, give 0.941 / 0.944 (held out). Pronoun and role-noun resolution: 22/24 and 3/6.
    assert out["speaker_accuracy"] >= 0.85, out
    assert out["f1_0.3"] >= 0.85, out


def test_quotes_uk_ru_pronouns_and_role_nouns_name_their_antecedent(
    analysed: list[tuple[dict[str, Any], Article]],
) -> None:
    right = total = 0
    misses = []
    for rec, art in analysed:
        gold = [q for q in rec["quotes"] if q["refers_to"]]
        ps = preds(art)
        pairs = dict(match([tuple(q["content"]) for q in gold], [p.content for p in ps], 0.3))
        for gi, q in enumerate(gold):
            total += 1
            pi = pairs.get(gi)
            said = art.quotes[pi].speaker.text if pi is not None else None
            if said and fold(q["refers_to"]) in fold(said):
                right += 1
            else:
                misses.append((rec["id"], q["refers_to"], said))
    assert total >= 20
    assert right / total >= 0.7, misses
