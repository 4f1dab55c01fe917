"""Class rules for three CAMEO sub-codes (stages/events/subcodes.py), on our own sentences.

Violent repression of protesters (175) and taking territory by force (19x) are ASSAULT, seizing
weapons (171) is COERCE, occupying territory (192) stays COERCE (PLOVER's CAMEO conversion table). Each rule also has sentences it must
leave alone: protesters as the doers, gunmen (not security forces) firing on marchers, a place
where something happened rather than a place taken, a threat to disperse a rally.
"""

from __future__ import annotations

import pytest

from wiretrace.model import Article
from wiretrace.stages.events.stage import extract_events

CODED = [
    ("en", "Protesters were dispersed with water cannon in the main square.", "ASSAULT"),
    ("en", "Police seized a large cache of rifles and grenades in a farmhouse.", "COERCE"),
    ("en", "Army engineers defused a roadside bomb near the market.", "COERCE"),
    ("en", "Rebels captured the town of Kamina after two days of fighting.", "ASSAULT"),
    ("en", "Government troops retook control of the airport on Sunday.", "ASSAULT"),
    ("en", "Militants overran an army outpost in the hills.", "ASSAULT"),
    ("en", "Settlers occupied a hilltop near the village.", "COERCE"),
    ("fr", "La police a dispersé les manifestants à coups de gaz lacrymogène.", "ASSAULT"),
    ("fr", "Les gendarmes ont saisi un stock d'armes et d'explosifs dans un garage.", "COERCE"),
    ("fr", "Les rebelles se sont emparés de la ville de Goma.", "ASSAULT"),
    ("fr", "L'armée a repris le contrôle de l'aéroport.", "ASSAULT"),
    ("de", "Die Polizei setzte Tränengas und Wasserwerfer gegen Demonstranten ein.", "ASSAULT"),
    ("de", "Ermittler beschlagnahmten ein Waffenlager mit Gewehren und Munition.", "COERCE"),
    ("de", "Rebellen eroberten die Stadt nach heftigen Kämpfen.", "ASSAULT"),
    ("es", "La policía dispersó a los manifestantes con gases lacrimógenos.", "ASSAULT"),
    ("es", "El ejército incautó un arsenal de fusiles y explosivos.", "COERCE"),
    ("es", "Los rebeldes capturaron la ciudad tras dos días de combates.", "ASSAULT"),
    ("ru", "Полиция разогнала митинг с применением слезоточивого газа.", "ASSAULT"),
    ("ru", "Силовики изъяли оружие и боеприпасы из тайника.", "COERCE"),
    ("ru", "Боевики захватили город после ожесточенных боев.", "ASSAULT"),
    ("uk", "Поліція розігнала мітинг із застосуванням сльозогінного газу.", "ASSAULT"),
    ("uk", "Силовики вилучили зброю та боєприпаси зі схованки.", "COERCE"),
    ("uk", "Бойовики захопили місто після запеклих боїв.", "ASSAULT"),
]

# (language, sentence, a type the rules must not give it)
LEFT_ALONE = [
    ("en", "Protesters marched past police lines holding tear gas canisters aloft.", "ASSAULT"),
    ("en", "The ministers took a decision in the capital.", "ASSAULT"),
    ("en", "Police threatened to disperse the rally with tear gas.", "ASSAULT"),
    ("en", "Rescuers found the bodies of two hikers in the ravine.", "COERCE"),
    ("ru", "Протестующие прошли маршем мимо полиции с водометами.", "ASSAULT"),
]


def _types(lang: str, text: str) -> set[str]:
    art = Article(id="sc", title="", body=text, language=lang)
    return {e.type for e in extract_events(art, rules_only=True)}


@pytest.mark.parametrize(("lang", "text", "typ"), CODED)
def test_subcodes_class_rule_gives_the_sub_codes_type(lang: str, text: str, typ: str) -> None:
    assert typ in _types(lang, text)


@pytest.mark.parametrize(("lang", "text", "typ"), LEFT_ALONE)
def test_subcodes_sentences_outside_the_class_are_left_alone(
    lang: str, text: str, typ: str
) -> None:
    assert typ not in _types(lang, text)
