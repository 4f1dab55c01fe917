"""Translation detection: structure (paragraph alignment, name-and-figure order), not topic."""

from __future__ import annotations

from collections import defaultdict

import pytest

from test_stories_fixtures import DEMO, demo_articles
from wiretrace.stories.provenance import describe
from wiretrace.stories.translation import (
    TRANSLATED,
    USE_LANGUAGES,
    comparable_length,
    cue_order,
    cue_sequence,
    paragraph_alignment,
    translation_score,
)

# Written for this test: an English report, its German translation, and an independent German
# report of the same (invented) event that gives the same facts in its own order and words.
EN = """Floodwaters forced 4,200 residents of Kelvara to leave their homes on Tuesday after the Marnet river burst its banks, regional officials said.

Mayor Ilse Vandorp said the water rose 2.4 metres in six hours, faster than in the floods of 1997, and that two schools had been turned into shelters.

The regional government in Oberstadt released 15 million euros in emergency aid and sent 300 soldiers to reinforce the dykes south of the town.

Forecasters expect more rain on Thursday. Vandorp urged people in the low-lying Hafenviertel district to prepare to leave as well."""

DE_TRANSLATION = """Das Hochwasser hat am Dienstag 4.200 Einwohner von Kelvara aus ihren Häusern vertrieben, nachdem der Fluss Marnet über die Ufer getreten war, wie regionale Behörden mitteilten.

Bürgermeisterin Ilse Vandorp sagte, das Wasser sei in sechs Stunden um 2,4 Meter gestiegen, schneller als beim Hochwasser von 1997, und zwei Schulen seien zu Notunterkünften umgebaut worden.

Die Regionalregierung in Oberstadt gab 15 Millionen Euro Soforthilfe frei und schickte 300 Soldaten, um die Deiche südlich der Stadt zu verstärken.

Meteorologen erwarten für Donnerstag weiteren Regen. Vandorp forderte die Menschen im tief gelegenen Viertel Hafenviertel auf, sich ebenfalls auf eine Evakuierung vorzubereiten."""

DE_INDEPENDENT = """In Oberstadt hat die Landesregierung am Dienstagabend ein Hilfspaket beschlossen: 15 Millionen Euro sollen die Folgen der Überschwemmung in Kelvara lindern, dazu kommen 300 Soldaten für die Deiche.

Die Lage am Marnet bleibt angespannt. Nach Angaben der Feuerwehr mussten rund 4.200 Menschen ihre Wohnungen verlassen; viele verbrachten die Nacht in Turnhallen und Schulen.

Anwohner berichten, so schnell sei das Wasser seit 1997 nicht gestiegen. Ein Landwirt am Stadtrand sagte, seine Felder stünden vollständig unter Wasser.

Bürgermeisterin Vandorp rechnet mit weiteren Evakuierungen, falls es am Donnerstag erneut regnet."""


def test_cue_sequence_keeps_reading_order_and_spells_names_alike_across_languages() -> None:
    en, de = cue_sequence(EN, "en"), cue_sequence(DE_TRANSLATION, "de")
    assert en[:4] == ("#4200", "kelva", "d1", "marne")  # Tuesday / Dienstag: CLDR weekday 1
    # Every English cue is in the German text (German capitalises nouns too, which adds
    # tokens) and the names come in the same order.
    assert set(en) <= set(de)
    assert [de.index(k) for k in ("kelva", "marne", "vando", "obers", "hafen")] == sorted(
        de.index(k) for k in ("kelva", "marne", "vando", "obers", "hafen")
    )
    # Sentence-initial capitals ("The", "Das", "Forecasters") are grammar, not names.
    assert not {"the", "das", "forec"} & (set(en) | set(de))


def test_translation_scores_above_an_independent_report_of_the_same_facts() -> None:
    translated, _ = translation_score(EN, DE_TRANSLATION, "en", "de")
    independent, _ = translation_score(EN, DE_INDEPENDENT, "en", "de")
    assert translated >= TRANSLATED > independent
    assert cue_order(EN, DE_TRANSLATION) > cue_order(EN, DE_INDEPENDENT)
    assert paragraph_alignment(EN, DE_TRANSLATION) > paragraph_alignment(EN, DE_INDEPENDENT)


def test_languages_outside_use_are_judged_on_cue_order_alone() -> None:
    assert "uk" not in USE_LANGUAGES and "de" in USE_LANGUAGES
    score, how = translation_score(EN, DE_TRANSLATION, "en", "uk")
    assert score == pytest.approx(cue_order(EN, DE_TRANSLATION, "en", "uk"))
    assert "paragraph" not in how


def test_a_digest_is_not_the_length_of_a_translation() -> None:
    assert comparable_length(EN, DE_TRANSLATION)
    assert not comparable_length(EN, EN.split("\n\n")[0])


@pytest.mark.gate
def test_provenance_on_the_demo_corpus_matches_the_manifest() -> None:
    if not (DEMO / "manifest.toml").is_file():
        pytest.skip("demo corpus not present")
    pairs = demo_articles()
    ref = {f"{m['file']}#{m['record']}" if m.get("record") else str(m["file"]): a.id
           for a, m in pairs}  # fmt: skip
    gold = {(ref[str(m["derived_from"])], a.id): m["role"] for a, m in pairs if m["derived_from"]}
    stories = defaultdict(list)
    for a, m in pairs:
        stories[m["story"]].append(a)
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for arts in stories.values():
        for e in describe(arts).edges:
            if not e.src.startswith("outlet:"):
                found[(e.src, e.dst)].add(e.relation)
    # Every derivation of the manifest, with its relation, and no edge between two articles
    # that the manifest says are unrelated (measured: 14 of 14, no extra edge).
    assert {k for k, r in gold.items() if r in found.get(k, ())} == set(gold)
    assert set(found) <= set(gold)
