"""Entity typing on sentences the rules were not written from: persons introduced by a common
noun ("die Ärztin …", "el vecino …"), places that a tagger takes for persons ("Rostov-on-Don",
"Sergiev Posad"), in six languages.

``fixtures_entities/typing.jsonl`` was written and committed before the typing rules it checks
were changed; each record names the entities a reader sees in its sentence, as written (the
surface form, inflected where the language inflects), their type and, for persons introduced
by a noun, that noun as their role. A name is typed right when an entity of the article has a
mention with exactly that text and the expected type.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from wiretrace.model import Article
from wiretrace.stages.entities.stage import STAGE_ENTITIES
from wiretrace.textutil import fold

GOLD = Path(__file__).parent / "fixtures_entities" / "typing.jsonl"
# Written after the entities.v5 rules and committed before they were run on it.
FRESH = Path(__file__).parent / "fixtures_entities" / "typing_fresh.jsonl"
# Names next to a place or organisation noun ("Provinz Hamadan", "Kerman province"), peoples
# written like places ("les Écossais"); written before the rules for them.
NOUNS = Path(__file__).parent / "fixtures_entities" / "typing_nouns.jsonl"
# Names in a list with names of one type ("Kharkiv, Izium and Kupiansk"); written first.
LISTS = Path(__file__).parent / "fixtures_entities" / "typing_lists.jsonl"


def _records(path: Path = GOLD) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@cache
def _entities(rid: str, lang: str, text: str) -> Article:
    art = Article(id=rid, title="", body=text, language=lang)
    return next(iter(STAGE_ENTITIES([art])))


def _check(rec: dict[str, object]) -> list[tuple[str, str, bool, bool | None]]:
    """(name, expected type, typed right, role right or None when no role is expected)."""
    art = _entities(str(rec["id"]), str(rec["lang"]), str(rec["text"]))
    out = []
    expect = rec["expect"]
    assert isinstance(expect, list)
    for item in expect:
        name, etype, *role = item
        ents = [e for e in art.entities if any(fold(m.text) == fold(name) for m in e.mentions)]
        typed = any(e.type == etype for e in ents)
        role_ok = None
        if role:
            role_ok = any(fold(role[0]) in fold(r.text) for e in ents for r in e.roles)
        out.append((name, etype, typed, role_ok))
    # "absent": words that are no entity at all (peoples: "les Écossais")
    for name in rec.get("absent", []):  # type: ignore[attr-defined]
        ents = [e for e in art.entities if any(fold(m.text) == fold(name) for m in e.mentions)]
        out.append((name, "absent", not ents, None))
    return out


def score(path: Path = GOLD) -> dict[str, tuple[int, int, int, int]]:
    """Per language: (typed right, names, roles right, roles expected)."""
    tally: dict[str, Counter[str]] = {}
    for rec in _records(path):
        c = tally.setdefault(str(rec["lang"]), Counter())
        for _, _, typed, role_ok in _check(rec):
            c["n"] += 1
            c["typed"] += typed
            if role_ok is not None:
                c["roles"] += 1
                c["role_ok"] += role_ok
    return {k: (c["typed"], c["n"], c["role_ok"], c["roles"]) for k, c in sorted(tally.items())}


# Left as they are, with the reason (the test fails loudly if one starts passing).
_KNOWN_MISSES = {
    "en-03": "spaCy's small English model finds no entity in 'Yaroslavl' at all",
    "en-05": "'nurse' has no agent suffix; spaCy says ORG for 'Grace Holloway'",
    "de-09": "'Rostow am Don' with spaces: German 'X am Y' is also 'Merz am Montag'",
    "es-08": "'Rostov del Don': Spanish 'X del Y' is also 'Banco del Estado'",
    "f-ru-01": "'Пожарный' is an adjective used as a noun: pymorphy3 says ADJF, not NOUN",
    "n-de-04": "'Neue' is a German stop word, so 'Neue Mitte' is cut in two",
    "n-en-01": "spaCy's span 'Kerman province' keeps the noun (typed place, span differs)",
    "n-ru-01": "natasha's span 'Ахтынском районе' keeps the noun (typed place, span differs)",
    "n-ru-02": "natasha's span 'Лачинскому коридору' keeps the noun (typed place, span differs)",
    "n-fr-02": "spaCy finds no entity in 'Kerman' after 'la province de'",
    "l-en-03": "spaCy finds no entity in 'Zanjan', so 'Tabriz, Ardabil' is a pair, not a list",
    "l-de-01": "German one-word names need the registry or a longer name (nouns are capitalised)",
}


def _params() -> list[object]:
    return [
        pytest.param(r, marks=pytest.mark.xfail(reason=_KNOWN_MISSES[str(r["id"])], strict=True))
        if r["id"] in _KNOWN_MISSES
        else r
        for path in (GOLD, FRESH, NOUNS, LISTS)
        for r in _records(path)
    ]


def test_entities_typing_gold_floor() -> None:
    """All names typed right but the known misses. Before entities.v5: 18/53 (roles 0/31),
    fresh 12/23 (0/11), nouns 2/14, lists 5/17; after: 49/53 (30/31), 21/23 (10/11), 9/14,
    13/17. entities.v8 (a name after a preposition of place, in its case): fresh 22/23 on the
    rules' first run, 23/23 once the preposition also governs the second name of a pair."""
    for path, typed, roles in ((GOLD, 49, 30), (FRESH, 23, 10), (NOUNS, 9, 0), (LISTS, 13, 0)):
        rows = score(path).values()
        assert sum(r[0] for r in rows) >= typed, path.name
        assert sum(r[2] for r in rows) >= roles, path.name


@pytest.mark.parametrize("rec", _params(), ids=lambda r: str(r["id"]))
def test_entities_typing_gold(rec: dict[str, object]) -> None:
    wrong = [(n, t, typed, role) for n, t, typed, role in _check(rec) if not typed or role is False]
    assert not wrong, f"{rec['id']}: {wrong}"


if __name__ == "__main__":
    import sys

    total = [0, 0, 0, 0]
    for lang, row in score(Path(sys.argv[1]) if len(sys.argv) > 1 else GOLD).items():
        print(f"{lang}: typed {row[0]}/{row[1]}  roles {row[2]}/{row[3]}")
        total = [a + b for a, b in zip(total, row, strict=True)]
    print(f"all: typed {total[0]}/{total[1]}  roles {total[2]}/{total[3]}")


@pytest.mark.parametrize(
    ("lang", "text", "name", "etype"),
    [
        # written after the rules, for the classes found in the demo corpus (each fails on the
        # rules before them: organisation, person)
        (
            "en",
            "Footage from the village of Ait Ourir showed collapsed walls.",
            "Ait Ourir",
            "place",
        ),
        (
            "fr",
            "La grève touche Michelin, Valeo et Forvia depuis lundi. Forvia a refusé de commenter.",
            "Forvia",
            "organisation",
        ),
    ],
)
def test_entities_typing_demo_classes(lang: str, text: str, name: str, etype: str) -> None:
    art = _entities(f"demo-{lang}-{name}", lang, text)
    types = {e.type for e in art.entities if any(fold(m.text) == fold(name) for m in e.mentions)}
    assert types == {etype}, [(e.name, e.type) for e in art.entities]


@pytest.mark.parametrize(
    ("lang", "text", "name", "role"),
    [
        # the frames the issue names, in own sentences (German weak nouns and compound heads)
        (
            "de",
            "Die Polizei befragte den Patienten Martin Graf am Dienstag.",
            "Martin Graf",
            "Patienten",
        ),
        (
            "de",
            "Im Dorf sagte der Landwirt Peter Brandt, die Ernte sei verloren.",
            "Peter Brandt",
            "Landwirt",
        ),
        (
            "de",
            "Wir sprachen mit dem Journalisten Felix Wagner über den Fall.",
            "Felix Wagner",
            "Journalisten",
        ),
        (
            "de",
            "Am Abend untersuchte die Ärztin Julia Sommer zwei Kinder.",
            "Julia Sommer",
            "Ärztin",
        ),
        (
            "es",
            "Por la noche la enfermera Lucía Torres atendió a tres heridos.",
            "Lucía Torres",
            "enfermera",
        ),
        (
            "es",
            "Según el vecino Jorge Medina, el fuego empezó en la cocina.",
            "Jorge Medina",
            "vecino",
        ),
    ],
)
def test_entities_typing_issue_frames(lang: str, text: str, name: str, role: str) -> None:
    art = _entities(f"issue-{lang}-{name}", lang, text)
    ents = [e for e in art.entities if e.name == name]
    assert [e.type for e in ents] == ["person"], [(e.name, e.type) for e in art.entities]
    assert [r.text for r in ents[0].roles] == [role]
