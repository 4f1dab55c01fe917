"""The entities stage's shortcuts (doc arrays, memos) answer as the plain computation does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wiretrace import nlp
from wiretrace.stages.entities.stage import _pos_by_offset


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le ministre a déclaré : « Non. »\nIl l'a répété à l'AFP.", "fr"),
        ("Putin said  so. 😀 “Yes,” said the EU's special representative Toivo Klaar.", "en"),
        ("", "en"),
    ],
)
def test_pos_by_offset_is_each_tokens_pos(text: str, lang: str) -> None:
    parsed = nlp.parse(text, lang)
    want = {t.idx: t.pos_ for t in parsed.doc}
    assert list(_pos_by_offset(parsed).items()) == list(want.items())


@pytest.mark.parametrize("lang", ["en", "fr", "de", "uk", "ru", "pl"])
def test_gazetteer_word_variants_memo(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The gazetteer's per-word memo gives each word's variants, also once it has been cleared
    for size; a scan finds the same names either way."""
    from wiretrace.registry import fold_aligned
    from wiretrace.stages.entities import linking

    text = (
        "Putin, Путіна, Путина, Poutine, Putins, l'Ukraine, Україні, Ukrainy, Unii Europejskiej, "
        "the European Union, Одессе, Києва, Kyiv, Washingtons, Volodymyr Zelensky, Зеленського."
    )
    gaz = linking._gazetteer(lang)
    first = linking.scan(text, lang)
    monkeypatch.setattr(linking, "_VARIANTS_KEPT", 3)
    gaz.variants.clear()
    assert linking.scan(text, lang) == first
    assert len(gaz.variants) <= 3
    for word in gaz.word.findall(fold_aligned(text)):
        assert gaz.word_variants(word) == linking._word_variants(word, gaz.infl, gaz.stems)


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "uk", "ru", "it"])
def test_role_head_memo(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The title-head test answers from its memo as from the walk over every head, also for
    former holders ("ex-…") and once the memo has been cleared for size."""
    from wiretrace.stages.entities import roles

    lex = roles.lexicon(lang)
    words = [w for h in lex.heads for w in (h, h + "s", h + "ами", "ex" + h, "ex-" + h, h[:-1])]
    words += ["", "ex", "exministro", "grünen-chefin", "мер", "re", "представником", "banana"]
    monkeypatch.setattr(roles, "_HEADS_KEPT", 50)
    for _ in range(2):
        for w in words:
            assert lex.is_head(w) == lex._is_head(w), w
    assert len(lex._heads_of) <= 50


def test_toponym_shape_from_the_data_read_once() -> None:
    from wiretrace.stages.entities import places
    from wiretrace.textutil import fold

    data = places._data()
    settlement = {fold(w) for w in data.get("words", [])}
    endings = tuple(fold(e) for e in data.get("endings", []))

    def walk(text: str) -> bool:
        words = text.split()
        if not words or len(words) > 2 or not all(w[:1].isupper() for w in words):
            return False
        last = fold(words[-1])
        if len(words) == 2:
            return last in settlement
        return len(last) >= 5 and "-" not in last and last.endswith(endings)

    names = ["Volgograd", "Yekaterinburg", "Bryansk", "Ivanovo", "Sergiev Posad", "Paris"]
    names += [w.title() for w in settlement] + ["Sergiev " + w.title() for w in settlement]
    names += ["Xyz" + e for e in endings] + ["Ab" + e for e in endings] + ["Rostov-on-Don", ""]
    assert any(map(walk, names)) and not all(map(walk, names))
    for name in names:
        assert places.toponym_shaped(name) == walk(name), name


def _combos(span: list[tuple[str, ...]]) -> Iterator[tuple[str, ...]]:
    """The gazetteer's former generator of the variant tuples of a run of words."""
    if not span:
        yield ()
        return
    for head in span[0]:
        for rest in _combos(span[1:]):
            yield (head, *rest)


def test_variant_combinations_in_the_order_of_combos() -> None:
    """The gazetteer tries the variant tuples of a run of words in the order its recursive
    generator gave them (first word's variants outermost): itertools.product's order."""
    from itertools import product

    spans = [[("a",)], [("a", "b"), ("c",)], [("a", "b"), ("c", "d", "e"), ("f", "g")], []]
    spans += [[("a",), ()], [("x", "y")] * 4]
    for span in spans:
        assert list(product(*span)) == list(_combos(span))


def test_alias_words_once_per_entry() -> None:
    from wiretrace.registry import outlets
    from wiretrace.registry.actors import actors, name_words
    from wiretrace.stages.entities.stage import _alias_words

    for entry in [*actors()[:300], *outlets()[:50]]:
        assert _alias_words(entry) == {name_words(a) for a in entry.aliases}
