"""Names in one list are of one kind: "Kharkiv, Izium and Kupiansk", "Airbus, Boeing and
Embraer", "Агдамский, Кельбаджарский и Лачинский районы".

A list is three or more name mentions joined only by commas and the language's coordinating
conjunctions (``[frames] conjunctions``). Where the members whose type is known for sure (the
registry, a toponym's shape, a title) all agree on place or organisation, the members typed
only by a tagger's guess take that type; where none is sure, a tagger's minority guess gives way
to a majority of two or more places or organisations. Two-name pairs are left alone ("Macron
and France" mixes kinds on purpose).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wiretrace.model import EntityType
from wiretrace.textutil import lang_data

_MIN_LIST = 3
_LIST_TYPES: tuple[EntityType, ...] = ("place", "organisation")


@dataclass(frozen=True)
class Member:
    """One mention in a text: span, its group's type, whether that type is sure."""

    start: int
    end: int
    type: EntityType | None
    sure: bool


@functools.cache
def _joiner(lang: str | None) -> re.Pattern[str]:
    data: dict[str, Any] = lang_data(lang, "entities").get("frames", {}) if lang else {}
    conj = "|".join(re.escape(str(w).lower()) for w in data.get("conjunctions", []))
    alt = rf"|\s*,?\s+(?:{conj})\s+" if conj else ""
    return re.compile(rf"(?:\s*,\s*{alt})", re.IGNORECASE)


def _lists(body: str, members: Sequence[Member], lang: str | None) -> list[list[Member]]:
    joiner = _joiner(lang)
    out: list[list[Member]] = []
    cur: list[Member] = []
    for m in sorted(members, key=lambda m: m.start):
        if cur and joiner.fullmatch(body[cur[-1].end : m.start].lower()):
            cur.append(m)
            continue
        if len(cur) >= _MIN_LIST:
            out.append(cur)
        cur = [m]
    if len(cur) >= _MIN_LIST:
        out.append(cur)
    return out


def retype(body: str, members: Sequence[Member], lang: str | None) -> dict[int, EntityType]:
    """Mention start -> the type its list gives it, for members typed only by a guess."""
    out: dict[int, EntityType] = {}
    for lst in _lists(body, members, lang):
        sure = {m.type for m in lst if m.sure}
        if len(sure) == 1:
            kind = next(iter(sure))
            if kind in _LIST_TYPES:
                out.update({m.start: kind for m in lst if not m.sure and m.type != kind})
            continue
        if sure:
            continue
        votes = Counter(m.type for m in lst if m.type in _LIST_TYPES)
        if not votes:
            continue
        kind, n = votes.most_common(1)[0]
        if n >= 2 and n * 2 > len(lst) and kind is not None:
            out.update({m.start: kind for m in lst if m.type != kind})
    return out
