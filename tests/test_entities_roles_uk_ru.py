"""Ukrainian and Russian at basic depth: how far back a title reaches, and places after a
preposition of place (entities.v8).

Own news-style sentences, written for these two classes before the rules; each failed on
entities.v7. A title is a noun phrase right before the name (or in apposition to it): the walk
back stops at a verb form, a conjunction or pronoun, or a preposition that is no part of the
title ("про обстріл Ізюма"). An unregistered name after a preposition of place, in the case that
preposition gives a place ("під Бахмутом", "в Ізюмі", "біля Вовчанська"), is a place unless it
reads as a given name or, in the genitive, a surname ("до Ігоря Петренка"); the preposition
also governs the second name of a pair ("в Сумах і Конотопі"; written after the first run of the
rules on ``typing_fresh.jsonl`` f-uk-02, which it also fixes).
"""

from __future__ import annotations

import pytest

from wiretrace.model import Article, Entity
from wiretrace.stages.entities.stage import STAGE_ENTITIES
from wiretrace.textutil import fold


def _entities(lang: str, text: str) -> tuple[Entity, ...]:
    art = next(iter(STAGE_ENTITIES([Article(id="t", title="", body=text, language=lang)])))
    return art.entities


def _with(ents: tuple[Entity, ...], surface: str) -> list[Entity]:
    return [e for e in ents if any(fold(m.text) == fold(surface) for m in e.mentions)]


@pytest.mark.parametrize(
    ("lang", "text", "name", "role", "other"),
    [
        (
            "uk",
            "Очільник Харківщини Олег Синєгубов повідомив про обстріл Ізюма.",
            "Олег Синєгубов",
            "Очільник Харківщини",
            "Ізюма",
        ),
        (
            "uk",
            "Прокурор Ігор Клименко розповів про затримання мешканця Сум, якого підозрюють.",
            "Ігор Клименко",
            "Прокурор",
            "Сум",
        ),
        (
            "uk",
            "Бої тривають біля Вовчанська та поблизу Липців, повідомив речник бригади Назар Волошин.",
            "Назар Волошин",
            "речник бригади",
            "Липців",
        ),
        (
            "ru",
            "Взрыв прогремел в Льгове, сообщил губернатор Алексей Смирнов.",
            "Алексей Смирнов",
            "губернатор",
            "Льгове",
        ),
        (
            "ru",
            "Вчера в Новошахтинске губернатор Василий Голубев провел совещание с мэром Сергеем "
            "Бондаренко.",
            "Сергеем Бондаренко",
            "мэром",
            "Василий Голубев",
        ),
    ],
)
def test_title_stops_at_verbs_and_prepositions(
    lang: str, text: str, name: str, role: str, other: str
) -> None:
    ents = _entities(lang, text)
    person = _with(ents, name)
    assert [fold(r.text) for e in person for r in e.roles] == [fold(role)], ents
    # the other name gets no title from across the verb (and does not swallow this one's)
    assert not any(
        fold(name) in fold(r.text) or fold(role) in fold(r.text)
        for e in _with(ents, other)
        for r in e.roles
    ), ents


def test_title_keeps_adjectives_only_before_its_head() -> None:
    ents = _entities("ru", "Вчера в Новошахтинске губернатор Василий Голубев провел совещание.")
    assert [r.text for e in _with(ents, "Василий Голубев") for r in e.roles] == ["губернатор"]
    ents = _entities("uk", "Колишній міністр оборони Андрій Загородній виступив у Раді.")
    roles = [r.text for e in _with(ents, "Андрій Загородній") for r in e.roles]
    assert roles == ["Колишній міністр оборони"], ents


@pytest.mark.parametrize(
    ("lang", "text", "places"),
    [
        ("uk", "У Куп'янську пошкоджено школу, а під Бахмутом тривають бої.", ["Куп'янську"]),
        ("uk", "Уламки впали в Слатиному та біля Золочева.", ["Слатиному", "Золочева"]),
        (
            "uk",
            "Мер Миколаєва Олександр Сєнкевич розповів про ремонт у Варварівці.",
            ["Варварівці"],
        ),
        ("uk", "Рятувальники з Балаклії прибули до Куп'янська вранці.", ["Балаклії", "Куп'янська"]),
        ("ru", "Взрыв прогремел в Льгове, сообщил губернатор Алексей Смирнов.", ["Льгове"]),
        # the preposition governs the second name of a pair too
        ("uk", "Сирени лунали в Сумах і Конотопі до ранку.", ["Конотопі"]),
        ("ru", "Дроны атаковали объекты под Брянском и Клинцами ночью.", ["Клинцами"]),
    ],
)
def test_unregistered_place_after_a_preposition_of_place(
    lang: str, text: str, places: list[str]
) -> None:
    ents = _entities(lang, text)
    for surface in places:
        assert {e.type for e in _with(ents, surface)} == {"place"}, (surface, ents)


@pytest.mark.parametrize(
    ("lang", "text", "surface", "etype"),
    [
        # a person after a preposition, by given name or by surname in the genitive
        (
            "uk",
            "Депутат Петро Мельник приїхав до Ігоря Петренка вранці.",
            "Ігоря Петренка",
            "person",
        ),
        ("uk", "Прем'єр зустрівся з Олегом Синєгубовим у Харкові.", "Олегом Синєгубовим", "person"),
        ("ru", "Депутат Олег Морозов встретился у Петрова с избирателями.", "Петрова", "person"),
    ],
)
def test_person_after_a_preposition_stays_a_person(
    lang: str, text: str, surface: str, etype: str
) -> None:
    assert {e.type for e in _with(_entities(lang, text), surface)} == {etype}


def test_organisation_head_after_a_preposition_is_no_place() -> None:
    ents = _entities(
        "uk", "Співрозмовник в Офісі президента підтвердив зустріч, як і джерела в НАТО."
    )
    assert not [e for e in ents if e.type == "place" and "Офіс" in e.name], ents
