"""The quote stage's position lookup answers as a scan of the ranges in list order would."""

from __future__ import annotations

import random

import pytest

from wiretrace.stages.quotes.deep import _Ranges


def _scan(ranges: list[tuple[int, int]], pos: int) -> list[tuple[int, int]]:
    return [r for r in ranges if r[0] <= pos < r[1]]


@pytest.mark.parametrize("seed", range(20))
def test_containing_matches_a_scan(seed: int) -> None:
    rng = random.Random(seed)
    ranges: list[tuple[int, int]] = []
    for _ in range(rng.randint(0, 40)):
        a = rng.randint(0, 300)
        ranges.append((a, a + rng.randint(-3, 60)))  # empty and reversed ranges included
    if seed % 2:
        ranges.insert(rng.randint(0, len(ranges)), (rng.randint(0, 20), 400))  # unclosed quote
    lookup = _Ranges(ranges)
    for pos in range(-2, 420):
        assert lookup.containing(pos) == _scan(ranges, pos)
        r = (pos, pos + rng.randint(0, 30))
        assert lookup.overlap(r) == (r[1] > r[0] and any(a < r[1] and b > r[0] for a, b in ranges))


def test_answers_are_fresh_lists() -> None:
    lookup = _Ranges([(0, 10), (5, 20)])
    lookup.containing(6).clear()
    assert lookup.containing(6) == [(0, 10), (5, 20)]


_TEXTS = {
    "en": [
        'Trump\'s Son Says The Battle Will Be Unprecedented\nThe mayor said: "We will rebuild." '
        '"It is over," Smith noted, adding that talks had failed. Officials told reporters the '
        'plan was "a disaster", according to the ministry.',
        "No cue here at all. Just Some Capitalised Words In A Row That Look Like A Title\n"
        "Said nothing: maybe.",
    ],
    "fr": [
        "« C'est une erreur, a-t-elle dit. Nous continuerons. » Le ministre a déclaré : « Non. »\n"
        "Le Président Annonce Une Réforme Des Retraites Pour Demain\nIl a affirmé que rien "
        "ne changerait, selon l'AFP.",
    ],
}


@pytest.mark.parametrize("lang", sorted(_TEXTS))
def test_token_kinds_match_a_token_walk(lang: str) -> None:
    """The token arrays pick the ":" tokens and the tokens the cue loop reads, as a walk over
    every Token picks them (twice: the second time from the lexicon's memos)."""
    from functools import cache

    from wiretrace.nlp import parse
    from wiretrace.stages.quotes.deep import _box, _headline, _token_kinds
    from wiretrace.stages.quotes.lexicon import lexicon, lfold
    from wiretrace.stages.quotes.segments import quote_segments, sentences

    lex = lexicon(lang)
    for text in _TEXTS[lang]:
        doc = parse(text, lang).doc
        boxes = _Ranges(sentences(text, quote_segments(text), lex.abbreviations))
        headline = cache(lambda sent: _headline(text, sent))  # noqa: B023 (used in this loop)
        colons = [t.i for t in doc if t.text == ":"]
        cues = [
            t.i
            for t in doc
            if lfold(t.lemma_) in lex.verbs
            or lfold(t.text) in lex.verbs
            or (t.text[:1].isupper() and t.i > 0 and headline(_box(boxes, t.idx)))
        ]
        assert colons and cues
        for _ in range(2):
            assert _token_kinds(doc, lex, boxes, headline) == (colons, cues)
        # Full memos are emptied before a text is read: bounded over a long run, same answer.
        from wiretrace.stages.quotes import deep

        junk = range(-deep._WORDS_KEPT, 0)  # no string hash is negative
        lex.form_kinds.update(dict.fromkeys(junk, 0))
        lex.lemma_cues.update(dict.fromkeys(junk, False))
        assert _token_kinds(doc, lex, boxes, headline) == (colons, cues)
        assert len(lex.form_kinds) <= len(doc) and len(lex.lemma_cues) <= len(doc)


def _has_by_search(folded: str, phrases: tuple[str, ...]) -> bool:
    import re

    from wiretrace.stages.quotes.lexicon import find_phrase

    return any(
        find_phrase(folded, p)
        or (len(p) >= 4 and re.search(r"(?<!\w)" + re.escape(p) + r"\w{1,3}(?!\w)", folded))
        for p in phrases
    )


@pytest.mark.parametrize("lang", ["en", "fr", "de", "ru", "uk"])
def test_has_answers_as_a_search_for_every_phrase(lang: str) -> None:
    """The speaker typing's phrase test skips phrases absent from the text without changing an
    answer: texts made of the lexicon's own phrases, cut, joined and given endings."""
    from wiretrace.stages.quotes.lexicon import lexicon
    from wiretrace.stages.quotes.sources import _has

    lex = lexicon(lang)
    rng = random.Random(lang)
    tables = [lex.anonymity, lex.spokesperson, lex.bodies, lex.outlets, lex.documents]
    pool = [p for t in tables for p in t] + ["", " ", "x", "ab", "-", "."]
    for _ in range(400):
        parts = rng.sample(pool, 3)
        text = rng.choice(["", " ", "-"]).join(
            p[: rng.randint(0, len(p))] + rng.choice(["", "a", "ov", "ами", "s"]) for p in parts
        )
        for table in (*tables, tuple(parts)):
            assert _has(text, table) == _has_by_search(text, tuple(table)), (text, table)


def _segments_by_walk(text: str) -> list[object]:
    """quote_segments as it was written before: every character of the text read in turn."""
    from wiretrace.stages.quotes import segments as sg

    out: list[sg.Segment] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "'" and text.startswith("''", i) and (i == 0 or text[i - 1] in sg._OPEN_OK):
            end = text.find("''", i + 2)
            par = text.find("\n", i)
            if end > 0 and (par < 0 or end < par):
                out.append(sg.Segment(i, end + 2))
                i = end + 2
                continue
        closers = sg._PAIRS.get(c)
        if closers is None or (i > 0 and text[i - 1] not in sg._OPEN_OK):
            i += 1
            continue
        close = sg._find_close(text, i, c, closers)
        if close is None:
            i += 1
            continue
        out.append(sg.Segment(i, close))
        i = close
    return [*out, *sg._dialogue_segments(text, out)]


@pytest.mark.parametrize("seed", range(10))
def test_quote_segments_match_a_walk_over_every_character(seed: int) -> None:
    from wiretrace.stages.quotes.segments import quote_segments

    rng = random.Random(seed)
    pieces = [*"«»“”„‚‘’‹›\"'", "''", " ", " ", "\n", "\n\n", "— ", "-", "(", ":", "\u00a0"]
    pieces += ["word", "Said", "a longer run of words", "x", ",", "."]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        assert quote_segments(text) == _segments_by_walk(text), text


def test_fold_same_length_answers_as_a_fold_per_character() -> None:
    from wiretrace.stages.quotes.lexicon import _fold_char, fold_same_length

    rng = random.Random(3)
    chars = [chr(c) for c in range(0x3000)] + ["😀", "Ａ", "Ω", "K", "İ", "ẞ", "ß", "ﬁ", "’", "`"]
    for _ in range(3000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 40)))
        folded = fold_same_length(text)
        assert len(folded) == len(text)
        if not text.isascii():
            assert folded == "".join(map(_fold_char, text))
