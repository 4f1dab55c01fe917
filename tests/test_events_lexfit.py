"""The trigger lexicon as something fitted: entries a fit may use, and the basic coder's triggers."""

from __future__ import annotations

import pytest

from wiretrace.model import Article
from wiretrace.stages.events.lexfit import coded_by, entry_type, held_out_only, without
from wiretrace.stages.events.stage import read_article


def _rules(body: str, lang: str, lex: object = None) -> list[tuple[str, str]]:
    art = Article(id="t", title="", body=body, language=lang)
    readings = read_article(art, lex)  # type: ignore[arg-type]
    return [(p.type, p.entry) for r in readings for p in r.proposals]


def test_lexfit_an_entry_only_held_out_texts_support_is_dropped() -> None:
    own = [{"en:v:attack"}]
    train = [{"en:v:reject"}, set()]
    held = [{"en:v:reject", "en:v:shell"}, {"en:v:attack"}, {"en:n:truce"}]
    assert held_out_only([*own, *train], held) == {"en:v:shell", "en:n:truce"}
    assert held_out_only([*own, *train], []) == frozenset()


def test_lexfit_readings_name_the_entry_that_coded_them() -> None:
    body = "Libya rejected the British request on Monday."
    assert ("REJECT", "en:v:reject") in _rules(body, "en")
    art = Article(id="t", title="", body=body, language="en")
    readings = read_article(art)
    assert coded_by(readings, {"REJECT"}) == {"en:v:reject"}
    assert coded_by(readings, {"AGREE"}) == set()
    assert entry_type("en:v:reject") == "REJECT"
    assert entry_type("en:v:no-such-verb") is None


def test_lexfit_a_lexicon_without_an_entry_reads_without_it() -> None:
    lex = without("en", {"en:v:reject", "fr:v:rejeter"})
    assert lex is not None and "reject" not in lex.verbs and "refuse" in lex.verbs
    assert without("en", {"fr:v:rejeter"}) is None  # nothing of English to drop
    types = [t for t, _ in _rules("Libya rejected the British request on Monday.", "en", lex)]
    assert "REJECT" not in types
    # Other languages keep their own lexicon whatever English lexicon is passed.
    assert _rules("Le Mali a rejeté la proposition française.", "fr", lex)[0][0] == "REJECT"


@pytest.mark.parametrize(
    ("body", "typ"),
    [
        ("Die Rebellen ließen die Geiseln am Sonntag frei.", "CONCEDE"),
        ("Die Ministerin trat am Montag zurück.", "RETREAT"),
        ("Die Gewerkschaft sagte den Streik ab.", "CONCEDE"),
        ("Die Armee zog ihre Panzer aus der Pufferzone ab.", "RETREAT"),
    ],
)
def test_basic_german_separable_verbs_join_stem_and_closing_particle(body: str, typ: str) -> None:
    assert _rules(body, "de")[0][0] == typ


def test_basic_a_particle_inside_the_clause_is_a_preposition() -> None:
    # "nach" is no closing particle here: "gab ... nach" (gave in) is not what is said.
    types = [t for t, _ in _rules("Die Regierung gab nach den Wahlen eine Erklärung ab.", "de")]
    assert "CONCEDE" not in types


@pytest.mark.parametrize(
    ("body", "lang", "typ"),
    [
        ("Los secuestradores amenazaron con matar a los rehenes.", "es", "THREATEN"),
        ("Die Entführer drohten, die Geiseln zu töten.", "de", "THREATEN"),
        ("Похитители угрожают убить заложников.", "ru", "THREATEN"),
    ],
)
def test_basic_an_agent_noun_subject_is_not_the_trigger(body: str, lang: str, typ: str) -> None:
    assert _rules(body, lang)[0][0] == typ


@pytest.mark.parametrize(
    ("body", "typ"),
    [
        ("Russland startete in der Nacht einen Drohnenangriff auf Odessa.", "ASSAULT"),
        ("Ein Warnstreik legte den Flughafen lahm.", "PROTEST"),
        ("Das Handelsabkommen zwischen Kanada und der EU trat in Kraft.", "AGREE"),
    ],
)
def test_basic_german_compounds_end_in_their_event_noun(body: str, typ: str) -> None:
    assert _rules(body, "de")[0][0] == typ
