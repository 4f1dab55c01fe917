"""Where a Ukrainian or Russian person's name starts and what one of its words is.

Two classes of error, in our own news-style sentences:

* the apostrophe is a letter sign in Ukrainian ("Дар'я", "Куп'янськ", "п'ять"), written as
  U+0027, U+2019 or U+02BC: a name word must not be cut at it, in the mention, its dictionary
  form or its gender; French elision ("l'Ukraine") and English possessives ("Putin's") still
  end a word there, and names like "O'Brien" or "d'Estaing" stay whole;
* the genitive complement of a title stands between the title and the name ("президентка
  Молдови Мая Санду"): a place the registry knows, inflected, is its own entity, and the person
  is the name after it (see stages/entities/leading.py); a surname-first name ("Львова Марія
  Іванівна") is left whole.
"""

from __future__ import annotations

import pytest

from wiretrace.model import Article
from wiretrace.nlp import name_gender
from wiretrace.stages.entities import linking
from wiretrace.stages.entities.stage import STAGE_ENTITIES
from wiretrace.textutil import name_word_pattern

APOSTROPHES = ["'", "\u2019", "\u02bc"]
Ent = tuple[str, str, str, list[str], list[str]]


def _entities(text: str, lang: str) -> list[Ent]:
    """(name, type, canonical id, mention texts, role texts) of each entity of ``text``."""
    art = next(iter(STAGE_ENTITIES([Article(id="t", title="", body=text, language=lang)])))
    return [
        (e.name, e.type, e.canonical_id, [m.text for m in e.mentions], [r.text for r in e.roles])
        for e in art.entities
    ]


def _by_name(ents: list[Ent], name: str) -> Ent:
    found = [e for e in ents if e[0] == name]
    assert len(found) == 1, (name, ents)
    return found[0]


# ---------------------------------------------------------------------------- apostrophes


@pytest.mark.parametrize("a", APOSTROPHES)
def test_name_word_keeps_the_ukrainian_apostrophe(a: str) -> None:
    text = f"Дар{a}я Мельничук з Куп{a}янська"
    assert name_word_pattern("uk").findall(text) == [f"Дар{a}я", "Мельничук", "з", f"Куп{a}янська"]
    assert name_word_pattern("ru").findall(f"Шон О{a}Нил") == ["Шон", f"О{a}Нил"]


def test_name_word_still_ends_at_french_elision_and_english_possessive() -> None:
    assert name_word_pattern("fr").findall("l'Ukraine") == ["l", "Ukraine"]
    assert name_word_pattern("en").findall("Putin’s war") == ["Putin", "s", "war"]


@pytest.mark.parametrize("a", APOSTROPHES)
def test_gender_of_a_name_with_an_apostrophe(a: str) -> None:
    assert name_gender([f"Дар{a}я", "Коваль"], "uk") == "femn"
    assert name_gender([f"Мар{a}яна", "Ткач"], "uk") == "femn"
    assert name_gender([f"В{a}ячеслав", "Коваль"], "uk") == "masc"


@pytest.mark.parametrize("a", APOSTROPHES)
def test_lemma_of_an_inflected_name_with_an_apostrophe(a: str) -> None:
    lemmas, kind = linking.lemmas(f"Дар{a}єю Мельничук", "uk")
    assert kind == "person"
    assert lemmas[0] == f"Дар{a}я Мельничук"  # the text's own apostrophe, not the dictionary's


@pytest.mark.parametrize("a", APOSTROPHES)
def test_ukrainian_names_with_an_apostrophe_are_whole(a: str) -> None:
    text = (
        f"Про нічний обстріл Куп{a}янська розповіла волонтерка Дар{a}я Мельничук. За її "
        f"словами, п{a}ять будинків залишилися без світла. Начальник міської адміністрації "
        f"В{a}ячеслав Бойко пообіцяв відновити живлення до вечора."
    )
    ents = _entities(text, "uk")
    names = [e[0] for e in ents]
    assert not [n for n in names if "Дар " in n or "В " in n or "Куп " in n], names
    assert _by_name(ents, f"Дар{a}я Мельничук")[1] == "person"
    assert _by_name(ents, f"В{a}ячеслав Бойко")[1] == "person"


def test_one_name_whatever_apostrophe_the_text_writes() -> None:
    ids = {
        _by_name(_entities(f"Заяву зробила Мар{a}яна Ткач.", "uk"), f"Мар{a}яна Ткач")[2]
        for a in APOSTROPHES
    }
    assert len(ids) == 1, ids


def test_russian_names_with_an_apostrophe_are_whole() -> None:
    text = "Ирландский дипломат Шон О'Нил встретился с министром в Киеве."
    names = [e[0] for e in _entities(text, "ru")]
    assert "О Нил" not in " ".join(names) and any("О'Нил" in n for n in names), names


def test_french_elision_and_names_with_an_apostrophe_as_before() -> None:
    text = (
        "Le président de l'Ukraine a visité le musée d'Orsay avec Valéry Giscard d'Estaing. "
        "L'Ukraine demande l'aide d'Emmanuel Macron."
    )
    ents = _entities(text, "fr")
    ukraine = _by_name(ents, "Ukraine")
    assert ukraine[2] == "country:UA" and ukraine[3] == ["Ukraine", "Ukraine"]
    assert _by_name(ents, "Valéry Giscard d'Estaing")[1] == "person"
    assert _by_name(ents, "Emmanuel Macron")[2] == "person:emmanuel-macron"


def test_english_names_and_possessives_with_an_apostrophe_as_before() -> None:
    text = "Senator Conor O’Brien said Ukraine’s allies must answer Putin’s threats."
    ents = _entities(text, "en")
    assert _by_name(ents, "Conor O’Brien")[1] == "person"
    assert _by_name(ents, "Ukraine")[2] == "country:UA"
    assert _by_name(ents, "Putin")[2] == "person:vladimir-putin"


# ---------------------------------------------------------------------------- leading places


@pytest.mark.parametrize(
    ("text", "place", "place_id", "person", "role"),
    [
        (
            "Мер Одеси Геннадій Труханов оголосив про нові укриття в центрі міста.",
            "Одеса",
            "place:odesa",
            "Геннадій Труханов",
            "Мер Одеси",
        ),
        (
            "Звернення мера Харкова Ігоря Терехова оприлюднили вранці.",
            "Харків",
            "place:kharkiv",
            "Ігор Терехов",
            "мера Харкова",
        ),
        (
            "У вівторок президентка Литви Олена Вайткуте відвідала прикордонні села.",
            "Литва",
            "country:LT",
            "Олена Вайткуте",
            "президентка Литви",
        ),
        (
            "Переговори провів посол Франції Жан Лефевр, повідомило посольство.",
            "Франція",
            "country:FR",
            "Жан Лефевр",
            "посол Франції",
        ),
    ],
)
def test_an_inflected_place_before_a_name_is_its_own_entity(
    text: str, place: str, place_id: str, person: str, role: str
) -> None:
    ents = _entities(text, "uk")
    assert _by_name(ents, place)[:2] == (place, "place")
    assert _by_name(ents, place)[2] == place_id
    who = _by_name(ents, person)
    assert who[1] == "person"
    assert role in who[4], who


def test_a_complement_the_dictionary_knows_before_a_given_name_and_surname() -> None:
    # "Куп'янська" is in no registry: the person's name is still only what follows it
    ents = _entities("Жителька Куп'янська Дар'я Мельничук розповіла про евакуацію.", "uk")
    assert _by_name(ents, "Дар'я Мельничук")[1] == "person"
    assert not [e for e in ents if "Куп'янськ" in e[0] and e[1] == "person"], ents


def test_russian_place_before_a_name() -> None:
    ents = _entities("Мэр Одессы Геннадий Труханов объявил о новых укрытиях.", "ru")
    assert _by_name(ents, "Одесса")[2] == "place:odesa"
    people = [e for e in ents if e[1] == "person"]
    assert [e[3] for e in people] == [["Геннадий Труханов"]], ents


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        # surname first, as lists and documents write it: "Львова" is her surname
        ("uk", "До списку внесли: Львова Марія Іванівна, вчителька.", "Львова Марія Іванівна"),
        # (Russian goes through natasha's tagger, which itself reads "Львова" there as a place)
    ],
)
def test_surname_first_names_stay_whole(lang: str, text: str, name: str) -> None:
    assert _by_name(_entities(text, lang), name)[1] == "person"
