"""A reporting clause does not unmake the event it reports; a light verb's "re-" is still light."""

from __future__ import annotations

import dataclasses

import numpy as np

from wiretrace.model import Article, Event
from wiretrace.stages.events.lexicon import lexicon
from wiretrace.stages.events.reading import Proposal, Reading
from wiretrace.stages.events.stage import REPORTED, decide, read_article

CLASSES = ("COERCE", "NONE")


def _reading(signals: tuple[str, ...]) -> Reading:
    def build(typ: str, mode: str | None, aux: str | None) -> Event:
        return Event(type=typ, mode=mode, aux=aux)

    return Reading("x", 0, 1, [Proposal("COERCE", None, None, build)], signals=signals)


def test_reported_the_rules_type_stands_when_the_classifier_reads_a_report_as_no_event() -> None:
    probs = np.array([0.2, 0.8])  # the classifier: no event
    assert [e.type for e in decide(_reading(("rule:COERCE", REPORTED)), probs, CLASSES)] == [
        "COERCE"
    ]
    assert decide(_reading(("rule:COERCE",)), probs, CLASSES) == []


def test_reported_a_reporting_verb_beside_the_event_gives_the_signal() -> None:
    said = Article(
        id="r", title="", body="Police detained two reporters, a spokesman said.", language="en"
    )
    plain = Article(
        id="p", title="", body="Police detained two reporters in the square.", language="en"
    )
    assert any(REPORTED in r.signals for r in read_article(said))
    assert not any(REPORTED in r.signals for r in read_article(plain))


def test_reported_a_light_verb_with_a_repeating_prefix_hands_over_to_its_noun() -> None:
    lex = lexicon("en")
    assert lex is not None
    plain = dataclasses.replace(
        lex, words={k: v for k, v in lex.words.items() if k != "light_prefixes"}
    )
    art = Article(
        id="l", title="", body="Both sides reopened talks on the border dispute.", language="en"
    )
    # "reopen talks" resumes a negotiation (CONSULT), not reopening a road (RETREAT).
    assert [p.type for r in read_article(art, lex) for p in r.proposals] == ["CONSULT"]
    assert [p.type for r in read_article(art, plain) for p in r.proposals] == ["RETREAT"]
