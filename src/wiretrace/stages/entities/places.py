"""Place names a statistical tagger takes for people: the shapes of toponyms.

Three classes, all data in ``lang/xx/entities.toml`` ``[places]``:

* linked toponyms, a name, a linking word and a river or region joined by hyphens
  ("Rostov-on-Don", "Stratford-upon-Avon", "Rostov-sur-le-Don", "Ростова-на-Дону");
* one word with a toponym ending ("Volgograd", "Yekaterinburg", "Bryansk", "Ivanovo",
  "Sevastopol") or two words closed by a settlement word ("Sergiev Posad");
* a word in Latin letters that, written in Cyrillic, Russian morphology knows first as a
  geographical name ("Rostov" -> "Ростов", "Krasnodar"): the dictionary knows the place.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from wiretrace.nlp import morph_analyser
from wiretrace.textutil import fold, lang_data

_MIN_WORD = 5


@functools.cache
def _data() -> dict[str, Any]:
    return dict(lang_data("xx", "entities").get("places", {}))


@functools.cache
def _linked() -> re.Pattern[str]:
    links = sorted((re.escape(w) for w in _data().get("linkers", [])), key=len, reverse=True)
    cap = r"[^\W\d_a-zа-яёіїєґ]"
    return re.compile(rf"\b{cap}\w+-(?:{'|'.join(links)})-{cap}\w+")


def linked_toponyms(body: str) -> list[tuple[int, int]]:
    """Spans of hyphen-linked toponyms ("Rostov-on-Don") in a text."""
    if not _data().get("linkers"):
        return []
    return [(m.start(), m.end()) for m in _linked().finditer(body)]


def toponym_shaped(text: str) -> bool:
    """One word with a toponym ending, or two closed by a settlement word."""
    words = text.split()
    if not words or len(words) > 2 or not all(w[:1].isupper() for w in words):
        return False
    last = fold(words[-1])
    if len(words) == 2:
        return last in _settlement_words()
    if len(last) < _MIN_WORD or "-" in last:
        return False
    return last.endswith(_toponym_endings())


@functools.cache
def _settlement_words() -> frozenset[str]:
    return frozenset(fold(w) for w in _data().get("words", []))


@functools.cache
def _toponym_endings() -> tuple[str, ...]:
    return tuple(fold(e) for e in _data().get("endings", []))


@functools.cache
def _to_cyrillic() -> tuple[tuple[str, str], ...]:
    table: dict[str, str] = dict(_data().get("latin_to_cyrillic", {}))
    return tuple(sorted(table.items(), key=lambda kv: -len(kv[0])))


def _cyrillic(word: str) -> list[str]:
    """Cyrillic spellings of a Latin word; a letter with two readings ("h": х or г, as in
    "Herat" / "Герат") gives both."""
    w = fold(word)
    outs = [""]
    i = 0
    table = _to_cyrillic()
    while i < len(w):
        for lat, cyr in table:
            if w.startswith(lat, i):
                outs = [o + c for o in outs for c in cyr.split("|")][:8]
                i += len(lat)
                break
        else:
            return []
    return outs


@functools.lru_cache(maxsize=8192)  # asked for each mention of a group, several times
def dictionary_place(text: str) -> bool:
    """A one-word Latin name whose Cyrillic spelling Russian morphology reads first as a
    geographical name, and never as a given name ("Rostov", "Krasnodar"; not "Korolev")."""
    if " " in text or not text.isalpha() or not text.isascii() or len(text) < _MIN_WORD:
        return False
    morph = morph_analyser("ru")
    for cyr in _cyrillic(text):
        if not morph.word_is_known(cyr):
            continue
        parses = morph.parse(cyr)
        if "Geox" in parses[0].tag.grammemes:
            return not any("Name" in p.tag.grammemes for p in parses)
    return False


def place_shaped(text: str) -> bool:
    return toponym_shaped(text) or dictionary_place(text)


def group_is_place(mentions: list[tuple[str, bool]], organisation: bool) -> bool:
    """An unregistered name that every mention writes as a toponym ("Volgograd", "Sergiev
    Posad"; "Rostov", which Russian morphology knows as a place), or only ever after a
    preposition of place ("in Al Haouz province"), is a place whatever a tagger said; a tagger's
    organisation needs the dictionary, not only the shape ("Interpol").

    ``mentions`` holds (text, right after a preposition of place) pairs."""
    texts = {t for t, _ in mentions}
    if organisation:
        return all(dictionary_place(t) for t in texts)
    if all(loc and len(t.split()) <= 2 for t, loc in mentions):
        return True
    return all(place_shaped(t) for t in texts)
