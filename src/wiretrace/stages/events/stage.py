"""PLOVER event coding: who did what to whom, where and when, one shared coder for all languages.

Each sentence is read by the rules first (:mod:`.reading`): trigger lemmas from
``lang/<code>/events.toml`` (:mod:`.triggers`), the main clause's actors and recipients from the
dependency parse (:mod:`.roles`), the auxiliary mode (future, hypothetical, negated) from modal,
tense and negation cues (:mod:`.modes`). Languages without a parser (``depth = "basic"``) use
stems and the nearest names (:mod:`.basic`). The trained classifier (:mod:`.classifier`) then
decides the sentence's type, or that it tells no event, from the sentence's multilingual vector
and the rules' signals; the participants of the clause the rules read are kept. Dates and
re-mentions are settled at article level (:mod:`.timing`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from wiretrace.model import Article, Event, Evidence
from wiretrace.nlp import parse
from wiretrace.pipeline import Stage
from wiretrace.stages.events.classifier import CLASSES, DIM, NONE, Matrix, Model, embed, load
from wiretrace.stages.events.lexicon import Lexicon, lexicon
from wiretrace.stages.events.reading import VERSION, Reading, final_type, read_sentence
from wiretrace.stages.events.scope import with_place
from wiretrace.stages.events.subcodes import RULED
from wiretrace.stages.events.timing import attach_dates, event_key, merge_anaphoric

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan

# A second rule event of the same sentence needs this much probability. (A sentence where the
# lexicon found no trigger is coded only when the classifier is as sure as the model's fitted
# ``min_prob`` that it tells an event.)
SECOND_PROB = 0.25
# The signal of a reading whose event a reporting clause attributes (reading.reported).
REPORTED = "reported"


def read_article(article: Article, lex: Lexicon | None = None) -> list[Reading]:
    """The rules' readings of every sentence of the article that may tell an event.

    ``lex`` replaces the language's shipped lexicon (cross-validation reads with the entries
    its training folds support)."""
    lang = article.language or ""
    lex = lex if lex is not None and lex.lang == lang else lexicon(lang)
    if lex is None or not article.body.strip():
        return []
    if lex.depth == "basic":
        from wiretrace.stages.events.basic import basic_readings

        return basic_readings(article, lex)
    out: list[Reading] = []
    # The article's one parse, shared with the other stages (a line break always ends a
    # sentence there, so no sentence runs across paragraphs).
    for sent in parse(article.body, lang).doc.sents:
        trimmed = _trimmed(sent)
        if trimmed is None:
            continue
        reading = read_sentence(trimmed, article, lex, 0)
        if reading.proposals or reading.presupposed:
            out.append(reading)
    return out


def _trimmed(sent: SpacySpan) -> SpacySpan | None:
    """The sentence without the line-break tokens it ends (or starts) with; None if blank."""
    start, end = 0, len(sent)
    while start < end and sent[start].is_space:
        start += 1
    while end > start and sent[end - 1].is_space:
        end -= 1
    return sent[start:end] if end > start else None


def embed_readings(readings: list[Reading], memo: dict[str, Matrix] | None = None) -> Matrix:
    """Sentence vectors of the readings (zero rows for those with no proposal to classify);
    with ``memo`` (sentence text -> vector), each distinct sentence is embedded once and kept."""
    vectors = np.zeros((len(readings), DIM), dtype=np.float64)
    rows = [i for i, r in enumerate(readings) if r.proposals]
    if not rows:
        return vectors
    if memo is None:
        vectors[rows] = embed([readings[i].text for i in rows])
        return vectors
    todo = sorted({readings[i].text for i in rows} - memo.keys())
    if todo:
        memo.update(zip(todo, embed(todo), strict=True))
    for i in rows:
        vectors[i] = memo[readings[i].text]
    return vectors


def decide(
    reading: Reading, probs: Matrix | None, classes: tuple[str, ...], min_prob: float = 0.5
) -> list[Event]:
    """The events of one reading: the classifier's type on the rules' clause, or rules alone."""
    found: list[Event] = []
    if reading.hazard:  # its only agent is a hazard or an accident: no actor, no event
        pass
    elif probs is None:  # no model shipped: the rule coder decides
        found = [p.build(p.type, p.mode, p.aux) for p in reading.proposals if p.type != NONE]
    elif reading.proposals:
        best = int(np.argmax(probs))
        typ = classes[best]
        rule = reading.proposals[0]
        if (rule.type, rule.mode) in RULED:
            typ = rule.type  # a sub-code the rules decide (:data:`.subcodes.RULED`)
        elif typ == NONE and rule.type != NONE and rule.aux == "negated":
            # Negation is an event's mode, not its absence (modes.py): a denied attack is
            # coded, negated, and never counts as having happened.
            typ = rule.type
        elif typ == NONE and rule.type != NONE and REPORTED in reading.signals:
            # "..., a spokesman announced": who reported it is no part of the event. The
            # classifier reads the attribution's register as no event (the outside examples'
            # statements taught it so); the rules' trigger in the reported clause stands.
            typ = rule.type
        if typ != NONE and (rule.type != NONE or probs[best] >= min_prob):
            main = next((p for p in reading.proposals if p.type == typ), rule)
            final, mode = final_type(typ, main)
            found.append(main.build(final, mode, main.aux))
            prob = dict(zip(classes, probs, strict=True))
            found += [
                p.build(p.type, p.mode, p.aux)
                for p in reading.proposals
                if p is not main and p.type not in {NONE, typ} and prob[p.type] >= SECOND_PROB
            ]
    found += [p.build(p.type, p.mode, p.aux) for p in reading.presupposed]
    return [
        dataclasses.replace(e, evidence=Evidence(reading.start, reading.end, VERSION))
        for e in found
    ]


def code_readings(
    article: Article, readings: list[Reading], vectors: Matrix, model: Model | None
) -> list[Event]:
    """Events of an article from its readings and their vectors, under ``model``."""
    probs = None
    classes = model.classes if model is not None else CLASSES
    if model is not None and readings:
        probs = model.probabilities(vectors, [r.signals for r in readings])
    events: list[Event] = []
    ongoing: set[tuple[str, int, str]] = set()
    for i, reading in enumerate(readings):
        row = probs[i] if probs is not None else None
        min_prob = model.min_prob if model is not None else 0.5
        found = [with_place(e, article) for e in decide(reading, row, classes, min_prob)]
        events.extend(found)
        ongoing.update(event_key(e) for e in found[len(found) - len(reading.presupposed) :])
    return attach_dates(merge_anaphoric(events, article), article, frozenset(ongoing))


def extract_events(
    article: Article, model: Model | None = None, rules_only: bool = False
) -> list[Event]:
    """PLOVER events of an article, each with its sentence span as evidence.

    ``model`` defaults to the shipped classifier; ``rules_only`` codes with the rules alone.
    """
    fitted = None if rules_only else (model or load())
    readings = read_article(article)
    if not readings:
        return []
    vectors = embed_readings(readings) if fitted is not None else np.zeros((len(readings), DIM))
    return code_readings(article, readings, vectors, fitted)


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def paragraphs(body: str) -> list[tuple[int, int]]:
    """Spans of the body's paragraphs: a sentence never runs across a blank line, which the
    statistical sentence splitter does not always see ("Source: ...\n\nDétails: ...")."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in [*_BLANK_LINE.finditer(body), None]:
        end = m.start() if m is not None else len(body)
        if body[pos:end].strip():
            out.append((pos, end))
        if m is not None:
            pos = m.end()
    return out


def _run(article: Article) -> Article:
    return dataclasses.replace(article, events=tuple(extract_events(article)))


def _run_batch(articles: Sequence[Article]) -> list[Article]:
    """As :func:`_run` on each article, with every article's sentences embedded in one encoder
    call (one call per article cost about an eighth more per sentence)."""
    fitted = load()
    if fitted is None:
        return [_run(a) for a in articles]
    readings = [read_article(a) for a in articles]
    vectors = embed_readings([r for rs in readings for r in rs])
    out: list[Article] = []
    row = 0
    for article, rs in zip(articles, readings, strict=True):
        own, row = vectors[row : row + len(rs)], row + len(rs)
        events = code_readings(article, rs, own, fitted) if rs else []
        out.append(dataclasses.replace(article, events=tuple(events)))
    return out


STAGE_EVENTS = Stage(
    name="events",
    version=VERSION,
    requires=("body", "language", "entities", "dates"),
    produces=("events",),
    fn=_run,
    batch=_run_batch,
)

__all__ = [
    "STAGE_EVENTS",
    "VERSION",
    "code_readings",
    "embed_readings",
    "extract_events",
    "paragraphs",
    "read_article",
]
