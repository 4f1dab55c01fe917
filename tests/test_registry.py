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
