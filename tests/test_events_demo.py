"""Events on the demo corpus: every participant is a participant, stated dates and places carried.

The demo corpus (src/wiretrace/demo) is run through entities, dates and events. Every actor and
recipient is listed and checked against forms that name no one: months, weekdays and time words,
reporting phrases ("Nach Angaben", "СМИ"), the outlets that publish the corpus, function words
and bare pronouns. The word lists here are the test's own, written independently of the coder's.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from test_stories_fixtures import demo_articles
from wiretrace.model import Article, Event
from wiretrace.textutil import fold

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "wiretrace" / "demo"

# en, fr, de, es, ru, uk month and weekday names or stems (inflections start the same)
_CALENDAR = """
january february march april june july august september october november
december monday tuesday wednesday thursday friday saturday sunday janvier fevrier
avril juin juillet aout septembre octobre novembre decembre lundi mardi
mercredi jeudi vendredi samedi dimanche januar februar marz juni juli
oktober dezember montag dienstag mittwoch donnerstag freitag samstag sonntag enero
febrero marzo abril mayo junio julio agosto septiembre octubre diciembre
lunes martes miercoles jueves viernes sabado domingo январ феврал апрел
июн июл август сентябр октябр ноябр декабр понедельник вторник среду
четверг пятниц суббот воскресень січ лют берез квіт травн червн
липн серпн верес жовтн листопад грудн понеділ вівтор серед четвер
пятниц субот неділ today yesterday tonight overnight hier demain aujourd
heute gestern вчера сегодня вчора сьогодні
"""
CALENDAR = frozenset(_CALENDAR.split())
REPORTING = {
    "according", "angaben", "zufolge", "selon", "segun", "сми", "зми", "данным", "даними",
    "словам", "словами", "sources", "source", "quelle", "quellen", "fuentes", "джерела",
    "источники", "reports", "berichten", "medien", "médias",
}  # fmt: skip
FUNCTION = {
    "the", "a", "an", "of", "le", "la", "les", "de", "der", "die", "das", "el", "los", "not",
    "seiten", "tag", "it", "this", "that", "which", "who", "que", "qui", "что", "що", "це",
    "he", "she", "they", "we", "him", "them", "il", "elle", "ils", "er", "sie", "wir",
    "он", "она", "они", "він", "вона", "вони", "lui", "eux",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


@cache
def demo_events() -> list[tuple[Article, Event]]:
    if not (DEMO / "manifest.toml").is_file():
        pytest.skip("demo corpus not present")
    from wiretrace.analyze import DEPTH
    from wiretrace.pipeline import build
    from wiretrace.stages.entities.stage import STAGE_ENTITIES
    from wiretrace.stages.events.stage import STAGE_EVENTS
    from wiretrace.stages.facts.dates import STAGE_DATES

    pipe = build([DEPTH, STAGE_ENTITIES, STAGE_DATES, STAGE_EVENTS])
    return [(a, e) for a in pipe([a for a, _ in demo_articles()]) for e in a.events]


def _outlets() -> set[str]:
    import tomllib

    manifest = tomllib.loads((DEMO / "manifest.toml").read_text(encoding="utf-8"))
    return {fold(str(m["outlet"])) for m in manifest["article"]}


def _why_not(text: str, outlets: set[str]) -> str | None:
    words = [fold(w) for w in _WORD.findall(text)]
    if not words:
        return "no word"
    if any(w.startswith(c) for w in words for c in CALENDAR if len(c) >= 4 or w == c):
        return "date"
    if any(w in REPORTING for w in words):
        return "reporting phrase"
    if fold(text).strip() in outlets:
        return "reporting outlet"
    if len(words) == 1 and words[0] in FUNCTION:
        return "function word or pronoun"
    return None


def test_events_demo_participants_are_never_dates_reports_outlets_or_pronouns() -> None:
    outlets = _outlets()
    events = demo_events()
    assert len(events) >= 60, "the demo corpus tells many events"
    bad = []
    for art, ev in events:
        for role, parts in (("actor", ev.actors), ("recipient", ev.recipients)):
            for p in parts:
                why = _why_not(p.text, outlets)
                if why is not None:
                    bad.append((art.id[:8], ev.type, role, p.text, why))
    assert not bad, bad


def test_events_demo_events_carry_the_date_and_place_their_sentence_states() -> None:
    missing = []
    for art, ev in demo_events():
        span = ev.evidence
        stated = [
            t for t in art.dates if span.start <= t.start < span.end and t.granularity != "duration"
        ]
        if stated and ev.date is None:
            missing.append((art.id[:8], ev.type, "date", stated[0].text))
        names = {fold(p.text) for p in (*ev.actors, *ev.recipients)}
        places = [
            m.text
            for e in art.entities
            if e.type == "place"
            for m in e.mentions
            if span.start <= m.start
            and m.end <= span.end
            and not any(fold(m.text) in n or n in fold(m.text) for n in names)
        ]
        if places and not ev.where:
            missing.append((art.id[:8], ev.type, "place", places[0]))
    assert not missing, missing


def test_demo_registered_people_have_one_canonical_id_in_every_language() -> None:
    """No person entity of the demo is an unlinked double of a registered person (an inflected
    or transliterated "Orbanem", "Пашиняна" left as a name of its own), and Orbán and
    Pashinyan are each one id across the languages that name them."""
    from wiretrace.registry.actors import find_actor

    seen: dict[str, set[str]] = {}
    doubles = []
    for art in {id(a): a for a, _ in demo_events()}.values():
        for e in art.entities:
            if e.type != "person":
                continue
            if (e.canonical_id or "").startswith("person:"):
                seen.setdefault(e.canonical_id or "", set()).add(art.language or "")
                continue
            entry = find_actor(e.name)
            if entry is not None and entry.type == "person":
                doubles.append((art.id[:8], e.name, entry.key))
    assert not doubles, doubles
    assert len(seen.get("person:viktor-orban", set())) >= 3, seen
    assert len(seen.get("person:nikol-pashinyan", set())) >= 3, seen
