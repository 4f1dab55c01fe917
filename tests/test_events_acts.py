"""Class rules of events.v10, on our own sentences in the six languages.

* Attacking property by fire, explosives or vandalism (CAMEO 1712) is ASSAULT, as PLOVER's
  CAMEO conversion table codes it; plain destroying keeps COERCE/destroy (PLOVER's gold standard
  records), and a fire or blast with no one behind it is no one's act.
* Establishing a headquarters, base or outpost (CAMEO 15x) is MOBILIZE; opening fire on a base
  or laying the foundations ("bases") of a deal is not.
* A claim of responsibility reports an act, it is not one: the claimed noun codes nothing, a
  verb elsewhere in the sentence still does.
"""

from __future__ import annotations

import pytest

from wiretrace.model import Article
from wiretrace.stages.events.lexicon import lexicon
from wiretrace.stages.events.stage import extract_events
from wiretrace.stages.events.subcodes import basic_subcode

DESTROYED = [
    ("en", "Militants set fire to a primary school in the village."),
    ("en", "Gunmen torched a police station and several cars."),
    ("en", "Unknown men vandalised the party's offices overnight."),
    ("en", "Saboteurs blew up a railway bridge south of the capital."),
    ("fr", "Des miliciens ont incendié une école du village."),
    ("fr", "Des inconnus ont saccagé le siège du parti."),
    ("de", "Milizionäre zündeten eine Schule im Dorf an."),
    ("de", "Unbekannte sprengten eine Eisenbahnbrücke."),
    ("es", "Unos milicianos incendiaron una escuela en el pueblo."),
    ("es", "Unos desconocidos vandalizaron la sede del partido."),
    ("ru", "Боевики подожгли школу в деревне."),
    ("ru", "Неизвестные взорвали железнодорожный мост."),
    ("uk", "Бойовики підпалили школу в селі."),
    ("uk", "Невідомі підірвали залізничний міст."),
]

BASES = [
    ("en", "The rebels established a new headquarters in the mountain town."),
    ("en", "The militia set up a base near the airport."),
    ("fr", "Les rebelles ont établi un nouveau quartier général dans la ville."),
    ("de", "Die Rebellen errichteten ein neues Hauptquartier in der Stadt."),
    ("es", "Los rebeldes establecieron un nuevo cuartel general en la ciudad."),
    ("ru", "Повстанцы создали новый штаб в городе."),
    ("uk", "Повстанці створили новий штаб у місті."),
]

CLAIMS = [
    ("en", "The group claimed responsibility for the bombing in a statement."),
    ("en", "An armed faction claimed responsibility for Monday's attack on the convoy."),
    ("fr", "Le groupe a revendiqué la responsabilité de l'attentat."),
    ("de", "Die Miliz übernahm die Verantwortung für den Anschlag."),
    ("es", "El grupo reivindicó la autoría del atentado."),
    ("ru", "Группировка взяла на себя ответственность за теракт."),
    ("uk", "Угруповання взяло на себе відповідальність за теракт."),
]

# Same words, another act: each must keep its own reading.
OTHERS = [
    ("en", "Rebels opened fire on an army base near the border.", "ASSAULT", "MOBILIZE"),
    ("en", "Troops destroyed a weapons cache found in a farmhouse.", "COERCE", "ASSAULT"),
    ("en", "Soldiers demolished twenty houses in the refugee camp.", "COERCE", "ASSAULT"),
    # Rioters setting fire riot (CAMEO 145): not recoded as an attack on property.
    ("en", "Angry rioters set fire to a bank in the city centre.", None, "ASSAULT"),
    ("fr", "Des manifestants ont incendié une banque du centre-ville.", None, "ASSAULT"),
    ("ru", "Протестующие подожгли банк в центре города.", None, "ASSAULT"),
    ("ru", "Солдаты уничтожили двадцать домов в лагере.", "COERCE", "ASSAULT"),
    (
        "en",
        "The group claimed responsibility for the bombing and threatened more attacks.",
        "THREATEN",
        None,
    ),
    ("en", "Gunmen attacked a police post, killing two officers.", "ASSAULT", None),
    ("es", "El gobierno estableció las bases de un acuerdo con los sindicatos.", None, "MOBILIZE"),
]

HAZARDS = [
    ("en", "A flood destroyed the only bridge in the district."),
    ("fr", "Un incendie a détruit une usine près de Lille."),
    ("de", "Ein Orkan zerstörte zwanzig Häuser im Dorf."),
    ("ru", "Пожар уничтожил склад на окраине города."),
]


def _article(lang: str, text: str) -> Article:
    return Article(id="acts", title="", body=text, language=lang)


@pytest.mark.parametrize(("lang", "text"), DESTROYED)
def test_acts_attacking_property_is_assault(lang: str, text: str) -> None:
    found = extract_events(_article(lang, text), rules_only=True)
    assert [(e.type, e.mode) for e in found][:1] == [("ASSAULT", "destroy")], text


@pytest.mark.parametrize(("lang", "text"), BASES)
def test_acts_establishing_a_base_is_mobilize(lang: str, text: str) -> None:
    found = extract_events(_article(lang, text), rules_only=True)
    assert [(e.type, e.mode) for e in found][:1] == [("MOBILIZE", "base")], text
    assert "MOBILIZE" in {e.type for e in extract_events(_article(lang, text))}


@pytest.mark.parametrize(("lang", "text"), CLAIMS)
def test_acts_a_claim_of_responsibility_codes_no_event(lang: str, text: str) -> None:
    art = _article(lang, text)
    assert extract_events(art, rules_only=True) == []
    assert extract_events(art) == []


@pytest.mark.parametrize(("lang", "text", "typ", "not_typ"), OTHERS)
def test_acts_other_acts_keep_their_reading(
    lang: str, text: str, typ: str | None, not_typ: str | None
) -> None:
    types = {e.type for e in extract_events(_article(lang, text), rules_only=True)}
    assert typ is None or typ in types, text
    assert not_typ is None or not_typ not in types, text


@pytest.mark.parametrize(("lang", "text"), HAZARDS)
def test_acts_a_hazard_that_destroys_is_still_no_event(lang: str, text: str) -> None:
    assert extract_events(_article(lang, text)) == []


def test_acts_basic_rules_read_the_verb_and_a_window_after_it() -> None:
    lex = lexicon("ru")
    assert lex is not None
    words = ["Повстанцы", "создали", "новый", "штаб", "в", "городе"]
    assert basic_subcode(words, lex, 1) == ("MOBILIZE", "base")
    # The verb must be the reading's own, and the base noun near it.
    assert basic_subcode(words, lex, 0) is None
    far = [
        "Повстанцы",
        "создали",
        "комиссию",
        "которая",
        "в",
        "прошлом",
        "году",
        "посетила",
        "штаб",
    ]
    assert basic_subcode(far, lex, 1) is None
    burnt = ["Боевики", "подожгли", "школу"]
    assert basic_subcode(burnt, lex, 1) == ("ASSAULT", "destroy")
    assert basic_subcode(burnt, lex, -1) is None


def test_acts_basic_seizure_and_territory_read_near_the_verb() -> None:
    lex = lexicon("ru")
    assert lex is not None
    seized = ["Силовики", "изъяли", "оружие", "и", "боеприпасы"]
    assert basic_subcode(seized, lex, 1) == ("COERCE", "seize")
    # Another clause's verb and noun, far from the reading's verb, re-code nothing.
    far = ["Боевики", "обстреляли", "колонну", "у", "села", "где", "в", "прошлом", "году"]
    far += ["полиция", "изъяла", "оружие"]
    assert basic_subcode(far, lex, 1) is None
    # The object may stand before the verb ("the town was taken by militants", word for word).
    taken = ["Город", "захватили", "боевики"]
    assert basic_subcode(taken, lex, 1) == ("ASSAULT", "seize")
