"""No actor, no event: a natural hazard or an accident as the only agent codes nothing.

Our own sentences, written from the class (hazards, fires and explosions, collapses, crashes,
outbreaks) in each of the six languages, each beside a sentence of the same shape whose agent is
a person, group or state, which must still be coded.
"""

from __future__ import annotations

import pytest

from wiretrace.model import Article
from wiretrace.stages.events.hazards import stem_match
from wiretrace.stages.events.stage import extract_events, read_article

HAZARDS = [
    ("en", "A strong tremor killed eleven villagers near the lake on Monday."),
    ("en", "Heavy flooding destroyed two bridges and a school in the province."),
    ("en", "Eight miners were killed in a landslide at the quarry."),
    ("en", "An explosion at a fireworks warehouse injured twenty people."),
    ("fr", "Une tempête a détruit des dizaines de maisons sur la côte."),
    ("fr", "Un incendie a tué quatre personnes dans un immeuble de Lyon."),
    ("de", "Eine Lawine tötete drei Skifahrer in den Alpen."),
    ("de", "Ein Großbrand zerstörte am Sonntag eine Lagerhalle."),
    ("es", "Un huracán destruyó cientos de casas en la costa."),
    ("es", "Una explosión en una refinería mató a seis obreros."),
    ("ru", "Ураган разрушил десятки домов на побережье."),
    ("ru", "Пожар в общежитии убил четырёх студентов."),
    ("uk", "Ураган зруйнував десятки будинків на узбережжі."),
    ("uk", "Пожежа в гуртожитку вбила чотирьох студентів."),
    # A relative pronoun stands for its noun; an accident verb's subject is no actor.
    ("en", "Monsoon rains set off landslides that killed twelve villagers."),
    ("en", "Four passengers were killed when their coach overturned on a mountain road."),
    ("en", "A truck plunged off a bridge, killing six people."),
]

ACTORS = [
    ("en", "Gunmen killed eleven villagers near the lake on Monday.", "ASSAULT"),
    ("en", "A bomb blast at a market injured twenty people.", "ASSAULT"),
    ("en", "A car bomb exploded outside the ministry, killing six people.", "ASSAULT"),
    ("fr", "Des rebelles ont tué quatre soldats près de la frontière.", "ASSAULT"),
    ("de", "Rebellen töteten drei Soldaten in den Bergen.", "ASSAULT"),
    ("es", "Unos pistoleros mataron a seis obreros en la refinería.", "ASSAULT"),
    ("ru", "Боевики убили четырёх солдат на блокпосту.", "ASSAULT"),
    ("uk", "Бойовики вбили чотирьох солдатів на блокпосту.", "ASSAULT"),
]


def _article(lang: str, text: str) -> Article:
    return Article(id="hz", title="", body=text, language=lang)


@pytest.mark.parametrize(("lang", "text"), HAZARDS)
def test_hazards_a_hazard_as_the_only_agent_codes_no_event(lang: str, text: str) -> None:
    art = _article(lang, text)
    readings = read_article(art)
    assert any(r.hazard for r in readings), text
    assert extract_events(art) == []
    assert extract_events(art, rules_only=True) == []


@pytest.mark.parametrize(("lang", "text", "typ"), ACTORS)
def test_hazards_a_person_or_group_as_agent_is_still_coded(lang: str, text: str, typ: str) -> None:
    art = _article(lang, text)
    assert not any(r.hazard for r in read_article(art))
    assert typ in {e.type for e in extract_events(art, rules_only=True)}


def test_hazards_stems_take_a_short_ending_and_compounds_their_last_part() -> None:
    stems = frozenset({"пожар", "brand"})
    assert stem_match("Пожаром", stems)
    assert not stem_match("Brandenburg", stems)  # not an ending: another word
    assert stem_match("Waldbrandes", stems, compounds=True)
    assert not stem_match("Brandanschlag", stems, compounds=True)
