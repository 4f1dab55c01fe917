"""Tags: salient entities and topics in the article's language, never stop words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wiretrace.model import Article, Entity, Span
from wiretrace.stages.entities.stage import STAGE_ENTITIES
from wiretrace.stages.facts.tags import STAGE_TAGS, acceptable, tag_article
from wiretrace.textutil import fold

SHARED = Path(__file__).parents[1] / ".." / "shared"


def _tags(body: str, lang: str, title: str = "") -> tuple[str, ...]:
    art = Article(id=f"tag-{lang}", title=title, body=body, language=lang)
    return next(iter(STAGE_TAGS(STAGE_ENTITIES([art])))).tags


def test_tags_reference_page_matches_seed_analysis() -> None:
    page = SHARED / "seeds" / "000_2df298d6ec244cd0.txt"
    spec_path = SHARED / "spec" / "seed-analysis.json"
    if not page.is_file() or not spec_path.is_file():
        pytest.skip("shared seed material not available")
    text = page.read_text(encoding="utf-8")
    body = text[text.index("De hauts") : text.rindex("le Caucase.") + len("le Caucase.")]
    tags = _tags(body, "fr", title=text.split("\n")[0])
    spec = json.loads(spec_path.read_text(encoding="utf-8"))["tags"]
    folded = [fold(t) for t in tags]
    for group in spec["must_include_any_of"]:
        assert any(fold(alt) in t or t in fold(alt) for alt in group for t in folded), group
    for bad in spec["must_not_include"]:
        assert fold(bad) not in folded
    # Topics of the story, in French.
    assert {"diplomatie", "blocus", "offensive militaire", "réfugiés"} <= set(tags)


STORIES = {
    "en": (
        "Ukraine's capital Kyiv after the strikes",
        "Russian forces shelled Kyiv overnight. The attack on Kyiv damaged power lines, and "
        "troops kept up the offensive near Kharkiv. Refugees fled west; thousands were displaced. "
        "Kyiv asked NATO for air defence.",
        {"Kyiv", "military offensive", "refugees"},
    ),
    "uk": (
        "Обстріл Києва",
        "Російські війська вночі обстріляли Київ. Після обстрілу Києва пошкоджено лінії "
        "електропередач, а поблизу Харкова триває наступ. Тисячі біженців виїхали на захід, "
        "ще сотні біженців чекають на евакуацію. "
        "Київ попросив НАТО про протиповітряну оборону.",
        {"Київ", "військовий наступ", "біженці"},
    ),
    "de": (
        "Angriffe auf Kiew",
        "Russische Truppen haben Kiew in der Nacht beschossen. Nach dem Angriff auf Kiew fiel "
        "der Strom aus, bei Charkiw geht die Offensive weiter. Tausende Flüchtlinge flohen nach "
        "Westen. Kiew bat die NATO um Luftabwehr.",
        {"Kiew", "Militäroffensive", "Flüchtlinge"},
    ),
}


@pytest.mark.parametrize("lang", sorted(STORIES))
def test_tags_are_in_the_article_language(lang: str) -> None:
    title, body, expected = STORIES[lang]
    tags = _tags(body, lang, title)
    assert expected <= set(tags), tags


@pytest.mark.parametrize(
    ("tag", "lang", "ok"),
    [
        ("les", "fr", False),
        ("des", "fr", False),
        ("ont", "fr", False),
        ("the", "en", False),
        ("від", "uk", False),
        ("UE", "fr", True),
        ("Arménie", "fr", True),
        ("Ab", "en", False),
        ("", "en", False),
    ],
)
def test_tags_never_stop_words_or_fragments(tag: str, lang: str, ok: bool) -> None:
    assert acceptable(tag, lang) is ok


def test_tags_title_words_alone_are_not_tags() -> None:
    tags = _tags(
        "Les délégations se sont retrouvées mardi à Vienne pour des pourparlers.",
        "fr",
        title="Ils ont tenu des pourparlers avant une guerre",
    )
    for word in ("ils", "ont", "tenu", "des", "avant", "une"):
        assert word not in {fold(t) for t in tags}
    assert "Vienne" in tags


def test_tags_outlets_are_sources_not_tags() -> None:
    ent = Entity(
        id="x",
        name="Politico",
        type="outlet",
        mentions=(Span("Politico", 0, 8), Span("Politico", 20, 28)),
        canonical_id="outlet:politico",
    )
    art = Article(
        id="o", title="Politico", body="Politico a écrit. Politico encore.", entities=(ent,)
    )
    assert tag_article(art) == ()


def test_tags_rare_passing_mentions_do_not_make_tags() -> None:
    body = (
        "Le gouvernement arménien a annoncé un plan. Le gouvernement arménien veut "
        "renforcer l'Arménie. Un diplomate a évoqué l'Islande une fois."
    )
    tags = _tags(body, "fr", title="L'Arménie annonce un plan")
    assert "Arménie" in tags
    assert "Islande" not in tags


def test_tags_spanish_story_has_entities_and_topics_in_spanish() -> None:
    body = (
        "Altos funcionarios de Estados Unidos y la UE mantuvieron conversaciones secretas con "
        "representantes rusos en Estambul, días antes de la ofensiva de Azerbaiyán en Nagorno "
        "Karabaj. Las conversaciones buscaban presionar a Azerbaiyán para que levantara el "
        "bloqueo del corredor de Lachín. Más de 100.000 refugiados huyeron a Armenia tras la "
        "ofensiva. Los refugiados llegaron a Armenia en convoyes."
    )
    tags = _tags(body, "es", title="Conversaciones secretas antes de la guerra en Karabaj")
    assert {"Azerbaiyán", "Armenia", "Estambul", "diplomacia", "refugiados", "bloqueo"} <= set(
        tags
    ), tags


def test_topic_patterns_count_as_with_a_leading_word_start_lookbehind() -> None:
    """The word-start test said after a keyword's first letter counts the same matches as a
    look-behind before it: at a text's start, after punctuation, never inside a word."""
    import re

    from wiretrace.stages.facts.tags import _WORD, topics
    from wiretrace.textutil import fold, lang_data

    texts = [
        "talks on the blockade; peace deal? Negotiations (renegotiation) stalled.talks",
        "war-war warfare postwar _war 3war évacuation, l'évacuation des réfugiés",
        "переговоры и блокада: войнах, антивоенный; санкции",
        "",
    ]
    for lang in ("en", "fr", "es", "it", "ru", "uk"):
        data = lang_data(lang, "tags")
        specs = list(data.get("topics", {}).values())
        for spec, topic in zip(specs, topics(lang), strict=True):
            kws = [tuple(_WORD.findall(fold(k))) for k in spec["keywords"]]
            for chosen, pat in (
                ([k for k in kws if len(k) == 1], topic.single),
                ([k for k in kws if len(k) > 1], topic.phrase),
            ):
                if pat is None:
                    continue
                alts = sorted((r"\w*\s+".join(re.escape(w) for w in kw) for kw in chosen), key=len)
                old = re.compile(rf"(?<!\w)(?:{'|'.join(reversed(alts))})\w*")
                for text in texts + [fold(t) for t in texts]:
                    assert pat.findall(text) == old.findall(text), (lang, text)
