"""The entities stage's readings of the doc arrays agree with a walk over the tokens."""

from __future__ import annotations

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
