"""A second held-out quotation set, in the blind set's JSONL format: speakers are the named
person as written, also where the attribution is a pronoun, a role noun or a verb alone.

tests/fixtures_quotes/quotes_heldout2.jsonl: 92 quotes in own news-style sentences, 23 each in
Ukrainian, Russian, German and Spanish; 41 attributed by a pronoun (22), a role noun (18) or a
pro-drop verb (1); German Konjunktiv without "dass", "laut X", "X zufolge", "so X"; Spanish
"según X", dash incises, "X aseguró que". Written and committed (0ad6eed) before the extractor
was run on it.

First run (the code of main at 252a1b5, unchanged; the held-out figure): speaker accuracy 0.473
(uk 0.500, ru 0.444, de 0.571, es 0.400), F1@0.3 0.881 (de 0.718); of the 41 pronoun, role-noun
and verb-only speakers none matched, as the speaker span was the pronoun (35 of 51 named ones
did). After the changes of session 5 (role nouns, pronoun gender from names and titles, verbs
with no subject, German reported speech without "dass", Spanish appositions, possessive
"according" phrases, the resolved name's span in the eval), tested on other sentences
(tests/test_quotes_attribution.py) but with this set's misses read, so NOT held out: speaker
1.000, F1@0.3 0.995 (a Spanish dash incise joins its two parts into one quote; the set marks
two).

quotes_heldout3.jsonl (26 quotes, 18 by pronoun/role/verb) was written after those changes and
committed before its first run: speaker 0.880 (uk 0.857, ru 1.0, de 0.667, es 1.0), F1@0.3
0.962: fresh text, though its writer knew the rules. After two fixes it showed (an antecedent
of "за її словами" with a woman's uninflected surname; "X zufolge" content after the
postposition): 0.923; with entities.v5, which makes persons introduced by a common noun ("die
Ärztin Julia Sommer") entities with that noun as role, 0.962.
"""

from __future__ import annotations

from typing import Any

import pytest

from quote_fixtures import analyse, load_jsonl, preds
from wiretrace.eval.quotes import match, score, speaker_right
from wiretrace.model import Article

FIXTURE = "quotes_heldout2.jsonl"


@pytest.fixture(scope="module")
def analysed() -> list[tuple[dict[str, Any], Article]]:
    return analyse(load_jsonl(FIXTURE))


@pytest.fixture(scope="module")
def analysed3() -> list[tuple[dict[str, Any], Article]]:
    return analyse(load_jsonl("quotes_heldout3.jsonl"))


def test_heldout2_fixture_is_whole() -> None:
    recs = load_jsonl(FIXTURE)
    for lang in ("uk", "ru", "de", "es"):
        assert sum(len(r["quotes"]) for r in recs if r["lang"] == lang) >= 20
    for r in recs:
        for q in r["quotes"]:
            s, e = q["content"]
            assert r["text"][s:e] == q["content_text"]
            if q["speaker"] is not None:
                a, b = q["speaker"]
                assert r["text"][a:b] == q["speaker_text"]


def test_heldout2_speaker_accuracy(analysed: list[tuple[dict[str, Any], Article]]) -> None:
    out = score([r for r, _ in analysed], [preds(a) for _, a in analysed])
    assert out["speaker_accuracy"] >= 0.92, out
    assert out["f1_0.3"] >= 0.95, out


def test_heldout3_fresh_check(analysed3: list[tuple[dict[str, Any], Article]]) -> None:
    out = score([r for r, _ in analysed3], [preds(a) for _, a in analysed3])
    assert out["n_gold"] == 26
    assert out["speaker_accuracy"] >= 0.85, out
    assert out["f1_0.3"] >= 0.9, out


def test_heldout2_pronoun_and_role_speakers(
    analysed: list[tuple[dict[str, Any], Article]],
) -> None:
    right = total = 0
    for rec, art in analysed:
        ps = preds(art)
        pairs = dict(
            match([tuple(q["content"]) for q in rec["quotes"]], [p.content for p in ps], 0.3)
        )
        for gi, q in enumerate(rec["quotes"]):
            if q["attribution"] == "name":
                continue
            total += 1
            pi = pairs.get(gi)
            gold = tuple(q["speaker"])
            right += pi is not None and speaker_right(gold, ps[pi].speaker, ps[pi].named)
    assert total == 41
    assert right / total >= 0.85, right
