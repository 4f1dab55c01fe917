"""Sexual assault (CAMEO 1821, PLOVER ASSAULT) by the adverb, whatever the verb, on our own
sentences: "sexually abused", "agressé sexuellement", "sexuell missbraucht", "abusaron
sexualmente". Left alone: a disease "sexually transmitted" (no one's act) and the adjective
("sexuelle Belästigung" as a campaign's topic is not an act).
"""

from __future__ import annotations

import pytest

from wiretrace.model import Article
from wiretrace.stages.events.stage import extract_events

CODED = [
    ("en", "Guards sexually abused detainees at the prison, a rights group said."),
    ("en", "The militia sexually exploited women held in the camp."),
    ("fr", "Des gardiens ont agressé sexuellement des détenues."),
    ("fr", "Les miliciens ont abusé sexuellement de plusieurs femmes."),
    ("de", "Soldaten haben Dutzende Frauen sexuell missbraucht."),
    ("es", "Los guardias abusaron sexualmente de varias detenidas."),
    ("ru", "Охранники сексуально домогались заключенных."),
    ("uk", "Бойовики сексуально знущалися з полонених жінок."),
]

LEFT_ALONE = [
    ("en", "The disease is sexually transmitted."),
    ("de", "Die Kampagne richtet sich gegen sexuelle Belästigung am Arbeitsplatz."),
]


def _types(lang: str, text: str) -> set[str]:
    art = Article(id="sx", title="", body=text, language=lang)
    return {e.type for e in extract_events(art, rules_only=True)}


@pytest.mark.parametrize(("lang", "text"), CODED)
def test_sexual_assault_is_assault_whatever_the_verb(lang: str, text: str) -> None:
    assert "ASSAULT" in _types(lang, text)


@pytest.mark.parametrize(("lang", "text"), LEFT_ALONE)
def test_sexual_adverb_rule_leaves_no_ones_act_and_adjectives_alone(lang: str, text: str) -> None:
    assert "ASSAULT" not in _types(lang, text)
