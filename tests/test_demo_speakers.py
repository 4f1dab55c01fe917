"""Every quote speaker on the demo corpus is someone: never a date, a reporting phrase, the
article's own outlet, a bare function word, or a pronoun left unresolved beside its antecedent.

The demo corpus (src/wiretrace/demo) is analysed through the entities and quotes stages; the
checks read word classes from the language data (quotes lexicon, date vocabulary, spaCy stop
words), not from the corpus.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from test_stories_fixtures import DEMO, demo_articles
from wiretrace.analyze import DEPTH
from wiretrace.model import Article, Quote
from wiretrace.nlp import depth_for, parse
from wiretrace.pipeline import build
from wiretrace.stages.entities.stage import STAGE_ENTITIES
from wiretrace.stages.facts.datewords import date_spans
from wiretrace.stages.quotes.lexicon import lexicon, lfold
from wiretrace.stages.quotes.stage import STAGE_QUOTES

_DATE_KINDS = {"weekday", "month", "date", "day", "relative", "absolute"}


@cache
def _analysed() -> tuple[Article, ...]:
    pipe = build([DEPTH, STAGE_ENTITIES, STAGE_QUOTES])
    return tuple(pipe([a for a, _ in demo_articles()]))


def _problem(art: Article, q: Quote) -> str | None:
    """Why this speaker is not a speaker, or None."""
    sp = q.speaker
    if sp.text is None or sp.start is None or sp.end is None:
        return None
    lang = art.language or "en"
    lex = lexicon(lang)
    words = re.findall(r"\w+(?:['’-]\w+)*", lfold(sp.text))
    dates = [k for _, _, k in date_spans(sp.text, lang) if k in _DATE_KINDS]
    if dates:
        return f"date ({dates[0]})"
    if depth_for(lang) == "deep":
        doc = parse(art.body, lang).doc
        toks = [t for t in doc if sp.start <= t.idx < sp.end]
        if any(t.pos_ == "VERB" and lfold(t.lemma_) in lex.verbs for t in toks):
            return "reporting phrase"
    elif any(w in lex.verbs for w in words):
        return "reporting phrase"
    if any(lfold(a) in lfold(sp.text) for a in lex.according if " " in a):
        return "reporting phrase"
    if art.outlet is not None and lfold(art.outlet.name) == lfold(sp.text):
        return "the reporting outlet"
    third = {k for k, _ in lex.pronoun_features}  # ("за його словами": a possessive speaks)
    keep = lex.pronouns | lex.person_pronouns | lex.indefinite | lex.relatives | third
    if words and all(w in lex.function_words and w not in keep for w in words):
        return "function word"
    if lfold(sp.text) in third:
        para = art.body.rfind("\n", 0, sp.start) + 1
        named = [
            m
            for e in art.entities
            if e.type == "person"
            for m in e.mentions
            if para <= m.start < sp.start and not q.start <= m.start < q.end
        ]
        if named:
            return f"pronoun beside its antecedent {named[-1].text!r}"
    return None


def test_demo_speakers_are_people_bodies_or_sources_never_debris() -> None:
    if not (DEMO / "manifest.toml").is_file():
        pytest.skip("demo corpus not present")
    speakers = []
    bad = []
    for art in _analysed():
        for q in art.quotes:
            if q.speaker.text is None:
                continue
            speakers.append(q.speaker.text)
            why = _problem(art, q)
            if why is not None:
                bad.append((art.source_path and Path(art.source_path).name, q.speaker.text, why))
    assert len(speakers) > 100  # the corpus has quotes in every language
    assert not bad, "\n".join(map(str, bad))


def test_demo_speakers_check_catches_each_kind_of_debris() -> None:
    body = "Lundi, Marie Dupont a parlé. « Nous partons », a-t-elle dit. Il a raconté."
    art = Article(id="x", title="", body=body, language="fr")
    art = next(iter(build([DEPTH, STAGE_ENTITIES])([art])))

    def fake(text: str) -> Quote:
        from wiretrace.model import Speaker

        start = body.index(text)
        spk = Speaker(text=text, start=start, end=start + len(text))
        return Quote(content="x", start=40, end=41, kind="direct", speaker=spk)

    assert _problem(art, fake("Lundi")) is not None
    assert _problem(art, fake("a")) == "function word"
    assert _problem(art, fake("Il")) is not None  # Marie Dupont is in the same paragraph
    assert _problem(art, fake("Marie Dupont")) is None
