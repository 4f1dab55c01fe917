"""nlp.name_gender, the one reading of a person's gender from their name that entities (name
lemmas) and quotes (which antecedent a pronoun takes) share. The table is written for this test:
names in Cyrillic and Latin script, men, women and names that do not tell, Russian and Ukrainian
surnames that agree with their bearer (-ов/-ова, -ин/-ина, -ский/-ская, -ський/-ська) in several
cases, and French, German and Spanish first names as Russian and Ukrainian news write them."""

from __future__ import annotations

import pytest

from wiretrace.nlp import name_gender

M, F, U = "masc", "femn", None
TABLE: list[tuple[str, str, str | None]] = [
    # Russian: given name and surname agree
    ("ru", "Анна Петрова", F),
    ("ru", "Сергей Петров", M),
    ("ru", "Ольга Кравцова", F),
    ("ru", "Андрей Кравцов", M),
    ("ru", "Владимир Владимирович Путин", M),
    ("ru", "Владимира Путина", M),  # genitive
    ("ru", "Кравцовой", F),  # a woman's surname, oblique case
    ("ru", "Кравцова", F),  # a woman's nominative before a man's genitive
    ("ru", "Эльвира Набиуллина", F),
    ("ru", "Юлия Тимошенко", F),  # not the genitive of "Юлий"
    ("ru", "Валентина Матвиенко", F),  # a surname that does not inflect
    ("ru", "Юлии Тимошенко", U),  # genitive of Юлия or locative of Юлий: cannot tell
    # surnames the dictionary does not know, by their ending
    ("ru", "Брыжеватов", M),
    ("ru", "Брыжеватова", F),
    ("ru", "Игорь Брыжеватов", M),
    ("ru", "Ирина Брыжеватова", F),
    ("ru", "Квасневская", F),
    # Ukrainian
    ("uk", "Тетяна Ковальська", F),
    ("uk", "Петро Ковальський", M),
    ("uk", "Ковальської", F),
    ("uk", "Ковалишинська", F),
    ("uk", "Ковалишинський", M),
    ("uk", "Олена Зеленська", F),
    ("uk", "Олени Зеленської", F),
    ("uk", "Володимир Зеленський", M),
    ("uk", "Андрія Кравцова", M),  # genitive: a man, though "Кравцова" may be a woman
    ("uk", "Олени Кравцової", F),
    ("uk", "Павла Руденка", M),  # genitive: "Павла" alone may be a woman's nominative
    ("uk", "Юлія Тимошенко", F),
    ("uk", "Оксана Бондар", F),  # a woman's surname that does not inflect
    ("uk", "Сергій Мельник", M),
    ("uk", "Оксана Мельник", F),
    ("uk", "Мельник", U),  # a surname of men and women alike
    ("uk", "Мер Львова Андрій Садовий", M),  # a title and a place before the name
    ("uk", "Олександр Завітневич", M),
    # French, German and Spanish first names in Cyrillic
    ("ru", "Мари Ле Пен", F),
    ("ru", "Жан-Люк Меланшон", M),
    ("ru", "Кристин Лагард", F),
    ("ru", "Сеголен Руаяль", F),
    ("ru", "Франсуа Олланд", M),
    ("ru", "Ангела Меркель", F),
    ("ru", "Франк-Вальтер Штайнмайер", M),
    ("ru", "Ханс Мюллер", M),
    ("ru", "Урсула фон дер Ляйен", F),
    ("ru", "Педро Санчес", M),
    ("ru", "Хосе Мануэль Альбарес", M),
    ("ru", "Изабель Диас Аюсо", F),
    ("ru", "Кармен Кальво", F),
    ("uk", "Ангела Меркель", F),
    ("uk", "Франсуа Байру", M),
    ("uk", "Педро Санчес", M),
    ("uk", "Ізабель Діас Аюсо", F),
    ("uk", "Урсула фон дер Ляєн", F),
    ("uk", "Жозеп Боррель", M),
    # names that do not tell
    ("ru", "Саша", U),
    ("ru", "Женя", U),
    ("ru", "Олаф Шольц", U),  # neither word is in the dictionary as a name
    ("ru", "Никол Пашинян", U),  # "Никол" reads as a woman's plural genitive only
    ("ru", "Кая Каллас", U),  # "Кая" is known as a man's genitive only
    # Latin script: no offline list of first names, so no gender, whatever the language
    ("ru", "Angela Merkel", U),
    ("fr", "Emmanuel Macron", U),
    ("fr", "Ségolène Royal", U),
    ("de", "Olaf Scholz", U),
    ("de", "Annalena Baerbock", U),
    ("es", "Pedro Sánchez", U),
    ("es", "Isabel Díaz Ayuso", U),
    ("en", "Кристин Лагард", U),  # a language without an analyser says nothing
]


@pytest.mark.parametrize(("lang", "name", "gender"), TABLE)
def test_name_gender_table(lang: str, name: str, gender: str | None) -> None:
    assert name_gender(name.split(), lang) == gender


def test_the_table_covers_both_scripts_and_every_answer() -> None:
    cyrillic = [n for _, n, _ in TABLE if any("а" <= c.lower() <= "я" for c in n)]
    assert len(cyrillic) >= 40 and len(TABLE) - len(cyrillic) >= 7
    assert {g for _, _, g in TABLE} == {M, F, U}


def test_entities_and_quotes_read_gender_through_the_shared_function() -> None:
    from wiretrace.stages.entities import linking
    from wiretrace.stages.quotes import morph

    assert not hasattr(linking, "_name_gender") and not hasattr(morph, "_name_gender")
    # quotes: "Никол Пашинян" tells no gender, so "он" may stand for him
    assert morph._phrase_pymorphy("Никол Пашинян", person=True) == frozenset("s")
    assert morph._phrase_pymorphy("Ольга Стефанішина", person=True) == frozenset("fs")
    # entities: a woman's surname keeps its feminine dictionary form; a man's genitive is a
    # man's ("Віталія" alone may be a woman's nominative); a word that is no name at the end
    # of the phrase shows its case
    assert linking.lemmas("Эльвиры Набиуллиной", "ru")[0][0] == "Эльвира Набиуллина"
    assert linking.lemmas("Віталія Кличка", "uk")[0] == ("Віталій Кличко",)
    assert linking.lemmas("Сергиева Посада", "ru")[0][0] == "Сергиев Посад"
