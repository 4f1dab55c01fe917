"""Importing outside codebook examples: which trigger entries they induce, and how they are written."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from wiretrace.stages.events.induce import Example, _cross_checked, judge, read_examples, unseen
from wiretrace.stages.events.lexblock import BEGIN, END, insert_at_end_of, without_blocks
from wiretrace.stages.events.lexicon import Lexicon, lexicon


def _lex(lang: str, verbs: dict[str, str], nouns: dict[str, str]) -> Lexicon:
    base = lexicon(lang)
    assert base is not None
    return dataclasses.replace(base, verbs=verbs, nouns=nouns)


def _ex(lang: str, text: str, typ: str, trigger: str, id: str = "X-1") -> Example:
    return Example(id, lang, text, typ, trigger)


def test_induce_a_deep_verb_gives_its_lemma_and_a_noun_goes_to_nouns() -> None:
    lex = _lex("en", {"reject": "REJECT"}, {})
    got = judge(
        _ex("en", "Riot police dispersed the crowd near the palace.", "COERCE", "dispersed"), lex
    )
    assert (got.status, got.table, got.key) == ("new", "verbs", "disperse")
    got = judge(
        _ex("en", "The court ordered the eviction of the settlers.", "COERCE", "eviction"), lex
    )
    assert (got.status, got.table, got.key) == ("new", "nouns", "eviction")
    got = judge(
        _ex("fr", "Les deux pays ont paraphé un accord sur la pêche.", "AGREE", "paraphé"),
        _lex("fr", {}, {}),
    )
    assert (got.status, got.table, got.key) == ("new", "verbs", "parapher")


def test_induce_a_key_coded_with_another_type_is_a_conflict_not_an_entry() -> None:
    lex = _lex("en", {"call off": "CONCEDE", "reject": "REJECT"}, {})
    got = judge(_ex("en", "The army called off its offensive.", "RETREAT", "called off"), lex)
    assert (got.status, got.key) == ("conflict", "call off")
    got = judge(_ex("en", "Hungary rejected the proposal.", "REJECT", "rejected"), lex)
    assert got.status == "present"


def test_induce_reporting_and_light_verbs_are_never_entries() -> None:
    lex = _lex("en", {}, {})
    got = judge(_ex("en", "The rebels launched a new offensive.", "ASSAULT", "launched"), lex)
    assert got.status == "skipped"


def test_induce_a_too_general_phrase_is_never_an_entry() -> None:
    """GENERIC holds two-word keys too ("set up", "go on"): the particle does not make the word
    an event, so the phrase is skipped like a single general word."""
    lex = _lex("en", {}, {})
    got = judge(
        _ex("en", "The militia set up a new base near the river.", "MOBILIZE", "set up"), lex
    )
    assert (got.status, got.key) == ("skipped", "set up")
    got = judge(_ex("en", "Dockers went on strike at the port.", "PROTEST", "went on strike"), lex)
    assert (got.status, got.key, got.note) == ("skipped", "go on", "too general a phrase")


@pytest.mark.parametrize(
    ("lang", "text", "trigger", "table", "key"),
    [
        ("ru", "Власти депортировали двух журналистов.", "депортировали", "verbs", "депортирова"),
        ("ru", "Профсоюз объявил забастовку на заводе.", "забастовку", "nouns", "забастовк"),
        ("uk", "Уряд засудив напад на посольство.", "засудив", "verbs", "засуди"),
        ("es", "Los vecinos bloquearon la carretera.", "bloquearon", "verbs", "bloque"),
        ("de", "Die Regierung verhängte eine Ausgangssperre.", "verhängte", "verbs", "verhäng"),
        ("de", "Die Opposition schlug einen Kompromiss vor.", "schlug", "verbs", "schlug+vor"),
    ],
)
def test_induce_basic_languages_get_stems(
    lang: str, text: str, trigger: str, table: str, key: str
) -> None:
    got = judge(_ex(lang, text, "COERCE", trigger), _lex(lang, {}, {}))
    assert (got.status, got.table, got.key) == ("new", table, key)


def test_induce_a_basic_stem_reading_another_examples_trigger_is_a_conflict() -> None:
    lex = _lex("es", {}, {})
    a = _ex("es", "Los vecinos bloquearon la carretera.", "PROTEST", "bloquearon", "A")
    b = _ex("es", "La marina bloqueó el puerto.", "COERCE", "bloqueó", "B")
    out = _cross_checked([judge(a, lex)], [a, b])
    assert out[0].status == "conflict" and "COERCE" in out[0].note


def test_induce_blocks_go_at_the_end_of_their_table_and_a_rerun_replaces_them() -> None:
    text = '[verbs]\nattack = "ASSAULT"\n\n[nouns]\ntruce = "AGREE"\n'
    block = f'{BEGIN}\n"disperse" = "COERCE"  # X\n{END}'
    once = insert_at_end_of(text, "verbs", block)
    assert once.index("disperse") < once.index("[nouns]")
    import tomllib

    assert tomllib.loads(once)["verbs"] == {"attack": "ASSAULT", "disperse": "COERCE"}
    assert insert_at_end_of(without_blocks(once), "verbs", block) == once
    assert insert_at_end_of(text, "nouns", block).endswith(f"{END}\n")


def test_induce_reads_the_examples_format(tmp_path: Path) -> None:
    rows = [
        {
            "id": "B2",
            "lang": "en",
            "text": "A storm  hit\tthe coast.",
            "type": "NONE",
            "trigger": "",
        },
        {
            "id": "B1",
            "lang": "de",
            "text": "Die Polizei nahm ihn fest.",
            "type": "COERCE",
            "trigger": "nahm",
        },
    ]
    path = tmp_path / "ex.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    got = read_examples(path)
    assert [e.id for e in got] == ["B1", "B2"] and got[1].text == "A storm hit the coast."
    path.write_text(json.dumps({**rows[0], "type": "WAR"}), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown type"):
        read_examples(path)


def test_induce_an_example_paraphrasing_a_test_sentence_is_left_out(tmp_path: Path) -> None:
    test = tmp_path / "test.jsonl"
    test.write_text(json.dumps({"text": "Miners declared a strike over unpaid wages."}), "utf-8")
    kept = _ex("en", "Dockers walked out at the port of Gdansk on Friday.", "PROTEST", "walked")
    near = _ex("en", "The miners declared a strike over unpaid wages.", "PROTEST", "strike")
    assert unseen([kept, near], [test]) == [kept]
