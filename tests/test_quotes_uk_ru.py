"""Ukrainian and Russian quotations: a gold set written for these tests, scored like dev.jsonl.

The set (tests/fixtures_quotes/quotes_uk_ru.txt) is news-style text written here, with gold content and
speaker spans marked inline; the scorer is the one ``wiretrace eval quotes`` uses (content
coverage above 0.3 and 0.8, speaker span overlap). A second figure checks pronoun and
role-noun speakers ("– написав він", "за словами міністра") against the person they refer to.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from wiretrace.eval.quotes import Pred, match, score
from wiretrace.model import Article
from wiretrace.pipeline import build
from wiretrace.stages.entities.stage import STAGE_ENTITIES
from wiretrace.stages.quotes.stage import STAGE_QUOTES
from wiretrace.textutil import fold

FIXTURE = Path(__file__).parent / "fixtures_quotes" / "quotes_uk_ru.txt"
_MARK = re.compile(r"⟦|⟧|⟨([^⟩|]*)(?:\|([^⟩]*))?⟩")

Range = tuple[int, int]


def _parse_block(block: str) -> dict[str, Any]:
    head, _, body = block.partition("\n")
    rid, lang = head.split()
    text, contents, speakers = "", [], []
    pos, open_at = 0, -1
    for m in _MARK.finditer(body):
        text += body[pos : m.start()]
        pos = m.end()
        if m.group() == "⟦":
            open_at = len(text)
        elif m.group() == "⟧":
            contents.append((open_at, len(text)))
        else:
            start = len(text)
            text += m.group(1)
            speakers.append(((start, len(text)), m.group(2)))
    text += body[pos:]
    # Sentence ends outside quoted content; a quote's speaker is marked in its own sentence.
    ends = [
        m.end()
        for m in re.finditer(r"[.!?…]\s", text)
        if not any(a < m.start() < b - 1 for a, b in contents)
    ]

    def sentence(pos: int) -> int:
        return sum(1 for e in ends if e <= pos)

    quotes = []
    for c in contents:
        same = [s for s in speakers if sentence(s[0][0]) == sentence(c[0])]
        assert same, f"{rid}: no speaker marked in the sentence of {text[c[0] : c[1]]!r}"
        near = min(same, key=lambda s: min(abs(s[0][0] - c[1]), abs(c[0] - s[0][1])))
        quotes.append({"content": list(c), "speaker": list(near[0]), "refers_to": near[1]})
    return {"id": rid, "lang": lang, "text": text.strip("\n"), "quotes": quotes}


def load() -> list[dict[str, Any]]:
    """The gold records of the fixture, offsets computed from the inline marks."""
    raw = FIXTURE.read_text(encoding="utf-8")
    blocks = [b.strip("\n") for b in re.split(r"(?m)^## ", raw)[1:]]
    return [_parse_block(b) for b in blocks]


@pytest.fixture(scope="module")
def analysed() -> list[tuple[dict[str, Any], Article]]:
    pipe = build([STAGE_ENTITIES, STAGE_QUOTES])
    recs = load()
    arts = [Article(id=r["id"], title="", body=r["text"], language=r["lang"]) for r in recs]
    return list(zip(recs, pipe(arts), strict=True))


def test_quotes_uk_ru_fixture_has_sixty_quotes_in_both_languages() -> None:
    recs = load()
    assert sum(len(r["quotes"]) for r in recs) >= 60
    assert {r["lang"] for r in recs} == {"uk", "ru"}
    for r in recs:
        for q in r["quotes"]:
            s, e = q["content"]
            assert 0 <= s < e <= len(r["text"]) and "⟦" not in r["text"]


def _preds(art: Article) -> list[Pred]:
    out = []
    for q in art.quotes:
        sp = q.speaker
        spk = (sp.start, sp.end) if sp.start is not None and sp.end is not None else None
        out.append(Pred((q.start, q.end), spk))
    return out


def test_quotes_uk_ru_speaker_accuracy_and_coverage(
    analysed: list[tuple[dict[str, Any], Article]],
) -> None:
    recs = [r for r, _ in analysed]
    out = score(recs, [_preds(a) for _, a in analysed])
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
        preds = _preds(art)
        pairs = dict(match([tuple(q["content"]) for q in gold], [p.content for p in preds], 0.3))
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
