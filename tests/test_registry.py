"""Outlet and actor registries: aliases in several scripts resolve to one canonical entry."""

from __future__ import annotations

import pytest

from wiretrace.registry import find_outlet, find_outlet_in, fold_aligned, outlets


@pytest.mark.parametrize(
    "written",
    [
        "vérité européenne",
        "Європейська правда",
        "EuroPravda",
        "European Pravda",
        "Verdad Europea",
        "Европейская правда",
        "European Truth",
        "« La vérité européenne »",
    ],
)
def test_registry_machine_translated_outlet_names_resolve_to_evropeiska_pravda(
    written: str,
) -> None:
    entry = find_outlet(written)
    assert entry is not None
    assert entry.name == "Evropeiska Pravda"
    assert entry.country == "UA"
    assert entry.language == "uk"


@pytest.mark.parametrize("written", ["Politico", "POLITICO", "Політико", "politico.com"])
def test_registry_politico_spellings_resolve(written: str) -> None:
    entry = find_outlet(written)
    assert entry is not None and entry.name == "Politico"


def test_registry_outlet_found_inside_attribution_line() -> None:
    line = "Source:vérité européenne” en référence à Politico et ses sources"
    hits = find_outlet_in(line)
    names = [h[0].name for h in hits]
    assert names[:2] == ["Evropeiska Pravda", "Politico"] or set(names) == {
        "Evropeiska Pravda",
        "Politico",
    }
    for entry, start, end in hits:
        assert find_outlet(line[start:end]) == entry


def test_registry_domain_in_url_resolves_outlet() -> None:
    entry = find_outlet("https://www.pravda.com.ua/news/2023/10/04/1")
    assert entry is not None and entry.name == "Ukrainska Pravda"


def test_registry_unknown_or_empty_name_is_none() -> None:
    assert find_outlet("") is None
    assert find_outlet("Gazette du village imaginaire") is None


def test_registry_short_codes_need_capitals_in_running_text() -> None:
    # "ap" inside words or lower-case prose must not be taken for Associated Press.
    assert not find_outlet_in("a rap battle, ap style")
    assert [h[0].name for h in find_outlet_in("said AP on Monday")] == ["Associated Press"]


def test_registry_has_many_outlets_with_countries() -> None:
    entries = outlets()
    assert len(entries) >= 40
    assert all(e.country and len(e.country) == 2 for e in entries)
    assert len({e.key for e in entries}) == len(entries)


def test_registry_fold_aligned_keeps_offsets() -> None:
    text = "Les  États-Unis\net l’UE"
    folded = fold_aligned(text)
    assert len(folded) == len(text)
    assert folded[5:15] == "etats-unis"


from wiretrace.registry.actors import actors, find_actor, name_key, translit  # noqa: E402


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Poutine", "person:vladimir-putin"),
        ("Путін", "person:vladimir-putin"),
        ("Wladimir Putin", "person:vladimir-putin"),
        ("Kremlin", "org:ru-government"),
        ("Кремль", "org:ru-government"),
        ("UE", "org:eu"),
        ("ЄС", "org:eu"),
        ("ЕС", "org:eu"),
        ("Département d’État", "org:us-state-department"),
        ("Держдеп", "org:us-state-department"),
        ("Haut-Karabakh", "place:nagorno-karabakh"),
        ("Нагірний Карабах", "place:nagorno-karabakh"),
        ("couloir de Lachin", "place:lachin-corridor"),
    ],
)
def test_registry_actor_aliases_in_many_scripts(name: str, key: str) -> None:
    entry = find_actor(name)
    assert entry is not None and entry.key == key


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Azerbaïdjan", "AZ"),
        ("Aserbaidschan", "AZ"),
        ("Азербайджан", "AZ"),
        ("Turquie", "TR"),
        ("Türkei", "TR"),
        ("Estados Unidos", "US"),
        ("Ucraina", "UA"),
        ("Marocco", "MA"),
    ],
)
def test_registry_country_names_come_from_cldr(name: str, code: str) -> None:
    entry = find_actor(name)
    assert entry is not None and entry.key == f"country:{code}" and entry.country == code


def test_registry_inflected_name_resolves_through_given_lemma() -> None:
    assert find_actor("Путіна") is None or find_actor("Путіна") == find_actor("Путін")
    entry = find_actor("Путіна", ("Путін",))
    assert entry is not None and entry.key == "person:vladimir-putin"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Igor Khovaev", "Ігор Ховаєв"),
        ("Igor Chowajew", "Игорь Ховаев"),
        ("Toivo Klaar", "Тойво Клаар"),
        ("Aleksi Virtanen", "Алекси Виртанен"),
        ("Mikhaïl Galouzine", "Михаил Галузин"),
    ],
)
def test_registry_name_key_meets_across_scripts(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_registry_name_key_keeps_different_people_apart() -> None:
    assert name_key("Igor Khovaev") != name_key("Igor Kholodov")
    assert name_key("Maria Zakharova") != name_key("Maria Zakharchenko")


def test_registry_translit_is_latin() -> None:
    assert translit("Клаар") == "klaar"
    assert translit("Ховаєв") == "khovaev"


def test_registry_actor_keys_unique_and_typed() -> None:
    entries = actors()
    assert len(entries) >= 150
    assert len({a.key for a in entries}) == len(entries)
    assert {a.type for a in entries} <= {"person", "organisation", "place", "other"}


def test_fold_aligned_answers_as_a_table_built_for_the_text() -> None:
    """The shared, growing code point table folds every text as a table of that text's own
    characters does (letters, marks, ligatures, blanks, astral characters, in any order)."""
    import random

    from wiretrace.registry import _fold_char, fold_aligned

    rng = random.Random(7)
    chars = [chr(c) for c in range(0x3000)] + ["😀", "Ａ", "Ω", "K", "İ", "ẞ", "ß", "ﬁ", "\u2028"]
    for _ in range(3000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 40)))
        want = text.translate({ord(c): _fold_char(c) for c in set(text)})
        assert fold_aligned(text) == want
        assert len(fold_aligned(text)) == len(text)
