"""Nominalisations read as the act of their verb (stages/events/derive.py), on our own sentences.

"invasion" is the act of "invade", "fermeture" of "fermer", "suspensión" of "suspender": a noun
the lexicon lacks is read through the entry of the verb it is made from, by the language's
derivational suffixes, and counts under that verb's entry (which a cross-validation fold keeps
or drops like any other). Nouns too general to tell an event, suffixes that lead nowhere and
words that only look derived are left alone.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from wiretrace.model import Article
from wiretrace.stages.events.derive import derived_entry, verb_forms
from wiretrace.stages.events.lexfit import without
from wiretrace.stages.events.lexicon import Lexicon, lexicon
from wiretrace.stages.events.stage import code_readings, read_article


def _lex(lang: str, drop: tuple[str, ...] = ()) -> Lexicon:
    """The shipped lexicon without the noun keys ``drop`` (as a fold that drops them reads)."""
    lex = lexicon(lang)
    assert lex is not None
    return dataclasses.replace(lex, nouns={k: v for k, v in lex.nouns.items() if k not in drop})


def _coded(lang: str, text: str, lex: Lexicon) -> list[tuple[str, str]]:
    """(type, trigger) of the rules' events of ``text`` read with ``lex``."""
    art = Article(id="dv", title="", body=text, language=lang)
    readings = read_article(art, lex)
    events = code_readings(art, readings, np.zeros((len(readings), 512)), None)
    return [(e.type, e.trigger or "") for e in events]


# (language, sentence, noun keys the lexicon is read without, type, trigger)
CODED = [
    ("en", "Russia's invasion of Ukraine began before dawn.", ("invasion",), "ASSAULT", "invasion"),
    (
        "en",
        "The airline announced a suspension of all flights to the island.",
        ("suspension",),
        "SANCTION",
        "suspension",
    ),
    ("en", "Rebels carried out the assassination of a provincial governor.", (), "ASSAULT", ""),
    ("en", "The government ordered the closure of the border crossing.", (), "SANCTION", ""),
    ("fr", "Le gouvernement a annoncé la fermeture de son ambassade à Kiev.", (), "SANCTION", ""),
    ("fr", "L'armée a lancé le bombardement de la ville à l'aube.", (), "ASSAULT", ""),
    (
        "fr",
        "Le ministre a annoncé la suspension des vols vers l'île.",
        ("suspension",),
        "SANCTION",
        "suspension",
    ),
    ("es", "Rusia comenzó la invasión de Ucrania al amanecer.", ("invasión",), "ASSAULT", ""),
    (
        "es",
        "El gobierno anunció la suspensión de los vuelos a la isla.",
        ("suspensión",),
        "SANCTION",
        "suspensión",
    ),
    ("de", "Die Regierung verkündete die Suspension des Abkommens.", (), "SANCTION", ""),
]


@pytest.mark.parametrize(("lang", "text", "drop", "typ", "trigger"), CODED)
def test_derive_a_nominalisation_is_read_as_its_verb(
    lang: str, text: str, drop: tuple[str, ...], typ: str, trigger: str
) -> None:
    got = _coded(lang, text, _lex(lang, drop))
    assert typ in {t for t, _ in got}, got
    if trigger:
        assert (typ, trigger) in got


LEFT_ALONE = [
    ("en", "The approval of the budget took three months."),  # too general a noun
    ("en", "The nation mourned its dead on Sunday."),  # "-ation" leads to no verb
    ("es", "La organización publicó su informe anual."),
    ("fr", "La décision a été publiée lundi."),
]


@pytest.mark.parametrize(("lang", "text"), LEFT_ALONE)
def test_derive_leaves_nouns_that_are_no_verbs_act_alone(lang: str, text: str) -> None:
    assert _coded(lang, text, _lex(lang)) == []


def test_derive_counts_under_the_verbs_entry_so_a_fold_keeps_or_drops_it() -> None:
    """Without the noun key (a fold that drops it), the noun codes through ``v:invade``; a fold
    that drops the verb's entry too reads no event."""
    text = "Russia's invasion of Ukraine began before dawn."
    art = Article(id="dv", title="", body=text, language="en")
    lex = _lex("en", ("invasion",))
    entries = [p.entry for r in read_article(art, lex) for p in r.proposals]
    assert "en:v:invade" in entries
    bare = without("en", {"en:n:invasion", "en:v:invade"})
    assert bare is not None
    assert "ASSAULT" not in {t for t, _ in _coded("en", text, bare)}


def test_derive_suffix_rules_and_their_limits() -> None:
    en = lexicon("en")
    assert en is not None
    assert "invade" in verb_forms("invasion", en) and "suspend" in verb_forms("suspension", en)
    assert derived_entry("deployment", en) == ("v:deploy", en.verbs["deploy"])
    assert derived_entry("approval", en) is None  # GENERIC: too general a noun
    assert verb_forms("ration", en) == []  # too short a base for "-ation"
    fr = lexicon("fr")
    assert fr is not None
    assert derived_entry("fermeture", fr) == ("v:fermer", fr.verbs["fermer"])


def _noun_entry_reading_every_child(tok: Any, lex: Lexicon) -> tuple[str, str] | None:
    """syntax.noun_entry as written before it skipped the children of most nouns."""
    lemma = tok.lemma_.lower()
    for c in tok.children:
        for key in (f"{c.lemma_.lower()} {lemma}", f"{lemma} {c.lemma_.lower()}"):
            if key in lex.nouns:
                return f"n:{key}", lex.nouns[key]
        if c.dep_ in {"prep", "nmod"}:
            for g in c.children:
                key = f"{lemma} {c.lemma_.lower()} {g.lemma_.lower()}"
                if key in lex.nouns:
                    return f"n:{key}", lex.nouns[key]
    for key in (lemma, tok.lower_):
        if lex.nouns.get(key):
            return f"n:{key}", lex.nouns[key]
    return derived_entry(lemma, lex) if tok.pos_ == "NOUN" else None


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "Prisoners began a hunger strike as the state of emergency ended. A car bomb and a "
            "drone strike hit the town after an air strike; an arrest warrant and an aid package "
            "followed the assassination attempt, and troops were on high alert.",
        ),
        (
            "fr",
            "Les détenus ont entamé une grève de la faim pendant l'état d'urgence. L'état de "
            "siège a été levé après une opération conjointe et une invasion.",
        ),
    ],
)
def test_noun_entry_reads_the_keys_of_several_words_as_a_walk_over_every_child(
    lang: str, text: str
) -> None:
    from wiretrace.nlp import parse
    from wiretrace.stages.events.syntax import noun_entry

    lex = lexicon(lang)
    assert lex is not None
    found = set()
    for tok in parse(text, lang).doc:
        want = _noun_entry_reading_every_child(tok, lex)
        assert noun_entry(tok, lex) == want, tok.text
        if want is not None and " " in want[0]:
            found.add(want[0])
    assert len(found) >= 2, found


@pytest.mark.parametrize("lang", ["es", "de", "ru", "uk"])  # the basic-depth event lexicons
def test_stem_match_finds_the_first_stem_in_table_order_as_a_scan_does(lang: str) -> None:
    from wiretrace.stages.events.basic import _match, _stems
    from wiretrace.textutil import fold

    lex = lexicon(lang)
    if lex is None:
        pytest.skip(f"no event lexicon for {lang}")

    def scan(word: str, table: dict[str, str]) -> str | None:
        w = fold(word)
        if w in table:
            return table[w]
        return next((code for stem, code in _stems(table) if w.startswith(stem)), None)

    for table in (lex.verbs, lex.nouns):
        keys = list(table)[:400]
        words = (
            keys + [k + "ами" for k in keys] + [k[:-1] for k in keys] + [k.upper() for k in keys]
        )
        words += ["", "a", "Überfall", "ataque", "нападение", "атакувала", "zaatakowali"]
        for word in words:
            assert _match(word, table) == scan(word, table), word


def test_derived_entry_is_remembered_per_lexicon() -> None:
    en = lexicon("en")
    assert en is not None
    assert derived_entry("invasion", en) == ("v:invade", en.verbs["invade"])
    fold_lex = dataclasses.replace(en, verbs={k: v for k, v in en.verbs.items() if k != "invade"})
    assert derived_entry("invasion", fold_lex) is None  # a fold without the verb reads none
    assert derived_entry("invasion", en) == ("v:invade", en.verbs["invade"])
