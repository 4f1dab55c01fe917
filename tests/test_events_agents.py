"""Event participants are someone who can act, and pronouns stand for the name they refer to.

Sentences written here for the test, in English and French (the languages the events stage
parses): abstract or inanimate heads ("the decision", "the last attempt", "two tremors") are no
actors; a name inside such a phrase is ("President Reagan's statement" -> Reagan, "admission by
Moscow" -> Moscow); a pronoun the sentence does not resolve takes the nearest earlier agreeing
name of its paragraph, a subject first and never a place after "in"/"à".
"""

from __future__ import annotations

from functools import cache

from wiretrace.analyze import DEPTH
from wiretrace.model import Article, Event
from wiretrace.pipeline import build
from wiretrace.stages.entities.stage import STAGE_ENTITIES
from wiretrace.stages.events.agents import agentive
from wiretrace.stages.events.stage import STAGE_EVENTS
from wiretrace.stages.facts.dates import STAGE_DATES

TEXTS = {
    "pron-en": (
        "en",
        "Chancellor Olaf Scholz arrived in Warsaw on Monday. "
        "He met Polish President Andrzej Duda to discuss border controls.",
    ),
    "plural-en": (
        "en",
        "Finland and Sweden applied to join NATO in May. "
        "They signed the accession protocols in Brussels two months later.",
    ),
    "pron-fr": (
        "fr",
        "La présidente de la Commission, Ursula von der Leyen, est arrivée à Kiev mardi. "
        "Elle a rencontré le président Volodymyr Zelensky.",
    ),
    "abstract-en": (
        "en",
        "The decision was welcomed by farmers. The last attempt to end the strike failed.",
    ),
    "inner-en": (
        "en",
        "The Polish parliament demanded an immediate apology by Moscow. "
        "The German government supported President Biden's latest proposal.",
    ),
    "partitive-fr": ("fr", "Des centaines de manifestants ont bloqué le port de Marseille."),
    "quake-fr": ("fr", "Deux secousses de magnitude 6,1 ont frappé dimanche le nord du Maroc."),
}


def _coded(texts: dict[str, tuple[str, str]]) -> dict[str, tuple[Event, ...]]:
    pipe = build([DEPTH, STAGE_ENTITIES, STAGE_DATES, STAGE_EVENTS])
    arts = [Article(id=k, title="", body=t, language=lang) for k, (lang, t) in texts.items()]
    return {a.id: a.events for a in pipe(arts)}


@cache
def _events() -> dict[str, tuple[Event, ...]]:
    return _coded(TEXTS)


def _who(key: str) -> list[tuple[str, list[str], list[str]]]:
    return [
        (e.type, [p.text for p in e.actors], [p.text for p in e.recipients]) for e in _events()[key]
    ]


def _all_names(key: str) -> set[str]:
    return {p.text for e in _events()[key] for p in (*e.actors, *e.recipients)}


def test_a_pronoun_takes_the_nearest_subject_of_its_paragraph_not_a_place() -> None:
    met = [e for e in _who("pron-en") if "Polish President Andrzej Duda" in e[1] + e[2]]
    assert met and any("Chancellor Olaf Scholz" in e[1] for e in met), _who("pron-en")
    assert not any("Warsaw" in e[1] for e in met), _who("pron-en")
    fr = [e for e in _who("pron-fr") if any("Zelensky" in n for n in e[1] + e[2])]
    assert fr and any("Leyen" in n for n in fr[0][1]) and "Kiev" not in fr[0][1], fr


def test_they_takes_a_coordination() -> None:
    signed = [e for e in _who("plural-en") if e[0] == "AGREE"]
    assert signed and {"Finland", "Sweden"} <= set(signed[0][1]), _who("plural-en")


def test_abstract_and_inanimate_heads_are_no_participants() -> None:
    names = _all_names("abstract-en") | _all_names("quake-fr")
    assert not any(w in n.lower() for n in names for w in ("decision", "attempt", "secousses"))
    assert "farmers" in _all_names("abstract-en")


def test_a_name_inside_a_phrase_about_something_is_the_participant() -> None:
    names = _all_names("inner-en")
    assert "Moscow" in names, _who("inner-en")
    assert any("Biden" in n and "proposal" not in n for n in names), _who("inner-en")
    assert any("manifestants" in n for n in _all_names("partitive-fr")), _who("partitive-fr")


def test_agentive_nouns_by_lexicon_and_ending() -> None:
    assert agentive("negotiators", "negotiator", "en")
    assert agentive("fundamentalists", "fundamentalist", "en")
    assert not agentive("decision", "decision", "en")
    assert not agentive("list", "list", "en")
    assert agentive("manifestants", "manifestant", "fr")
    assert not agentive("décision", "décision", "fr")


BASIC = {
    "uk-loc": ("uk", "Міністри оборони країн НАТО провели зустріч у Брюсселі 12 лютого."),
    "ru-loc": ("ru", "Делегации России и Украины провели переговоры в Стамбуле."),
    "es-loc": ("es", "Diplomáticos de Francia y Alemania se reunieron en Estambul el lunes."),
    "ru-prep": ("ru", "В Минобороны от комментариев отказались."),
    "ru-trigger": ("ru", "Блокада Лачинского коридора продолжалась девять месяцев."),
    "ru-pron": (
        "ru",
        "Глава ЦБ Эльвира Набиуллина и министр Антон Силуанов выступили в Думе. "
        "Она подписала соглашение с Минфином.",
    ),
    "de-pron": (
        "de",
        "Bundeskanzler Friedrich Merz reiste am Montag nach Paris. "
        "Er traf dort Präsident Emmanuel Macron.",
    ),
    "uk-pron-none": ("uk", "Олена Зеленська відвідала Київ. Він атакував позиції."),
}


@cache
def _basic() -> dict[str, tuple[Event, ...]]:
    return _coded(BASIC)


def test_basic_languages_a_town_after_a_place_preposition_is_where_not_who() -> None:
    for key, town in (("uk-loc", "Брюсселі"), ("ru-loc", "Стамбуле"), ("es-loc", "Estambul")):
        evs = _basic()[key]
        assert evs, key
        for e in evs:
            assert town not in {p.text for p in (*e.actors, *e.recipients)}, e
            assert [p.text for p in e.where] == [town], e


def test_basic_languages_no_preposition_or_trigger_word_in_a_participant() -> None:
    texts = {p.text for e in _basic()["ru-prep"] for p in e.actors}
    assert texts == {"Минобороны"}, _basic()["ru-prep"]
    for e in _basic()["ru-trigger"]:
        assert not any("Блокада" in p.text for p in (*e.actors, *e.recipients)), e


def test_basic_languages_a_subject_pronoun_names_its_agreeing_antecedent() -> None:
    signed = [e for e in _basic()["ru-pron"] if e.trigger == "подписала"]
    assert signed and [p.text for p in signed[0].actors] == ["Эльвира Набиуллина"], signed
    met = [e for e in _basic()["de-pron"] if e.trigger == "traf"]
    assert met and [p.text for p in met[0].actors] == ["Friedrich Merz"], met
    # "Він" (he) with only a woman named before it: no antecedent, no actor
    attacked = [e for e in _basic()["uk-pron-none"] if e.trigger == "атакував"]
    assert all(not e.actors for e in attacked), attacked
