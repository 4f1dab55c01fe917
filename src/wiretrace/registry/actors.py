"""The actor registry: countries, places, organisations and people with their names everywhere.

Entity linking needs one identity per real-world actor whatever the language, script or
spelling ("Poutine", "Putin", "Путін" are one person). Countries take their names from CLDR via
Babel, so every language Babel knows is covered without listing names by hand; everything else
comes from ``actors.toml``. Names outside the registry still meet across scripts through
:func:`name_key`, a transliterated, spelling-insensitive key.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from wiretrace.model import EntityType
from wiretrace.textutil import fold

__all__ = [
    "ActorEntry",
    "actor_by_key",
    "actors",
    "find_actor",
    "name_key",
    "name_words",
    "translit",
]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ActorEntry:
    """A registered actor: key (the canonical id), English name, type, country and aliases."""

    key: str
    name: str
    type: EntityType
    country: str | None
    role: str | None
    aliases: tuple[str, ...]


def _load(name: str) -> dict[str, Any]:
    text = resources.files("wiretrace.registry").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _country_entries(data: dict[str, Any]) -> list[ActorEntry]:
    from babel import Locale

    langs: list[str] = data.get("name_languages", ["en"])
    english: dict[str, str] = {str(k): str(v) for k, v in Locale.parse("en").territories.items()}
    wanted: str | list[str] = data.get("codes", [])
    if wanted == "all":
        skip = set(data.get("exclude", []))
        codes = sorted(c for c in english if len(c) == 2 and c.isalpha() and c not in skip)
    else:
        codes = list(wanted)
    extra: dict[str, list[str]] = data.get("extra", {})
    names: dict[str, list[str]] = {c: [] for c in codes}
    for lang in langs:
        try:
            territories = Locale.parse(lang).territories
        except (ValueError, LookupError):
            continue
        for code in codes:
            if code in territories:
                names[code].append(territories[code])
    out = []
    for code in codes:
        aliases = tuple(dict.fromkeys([*names[code], *extra.get(code, [])]))
        out.append(
            ActorEntry(
                key=f"country:{code}",
                name=english.get(code, code),
                type="place",
                country=code,
                role=None,
                aliases=aliases,
            )
        )
    return out


@functools.cache
def actors() -> tuple[ActorEntry, ...]:
    """Every registered actor: countries first, then the hand-listed entries."""
    data = _load("actors.toml")
    out = _country_entries(data.get("countries", {}))
    for item in data.get("actor", []):
        aliases = tuple(dict.fromkeys([item["name"], *item.get("aliases", [])]))
        out.append(
            ActorEntry(
                key=item["key"],
                name=item["name"],
                type=item["type"],
                country=item.get("country"),
                role=item.get("role"),
                aliases=aliases,
            )
        )
    return tuple(out)


@functools.cache
def actor_by_key() -> dict[str, ActorEntry]:
    return {a.key: a for a in actors()}


def name_words(text: str) -> tuple[str, ...]:
    """Folded word tuple of a name: the unit the gazetteer and the alias index compare."""
    return tuple(_WORD.findall(fold(text)))


@functools.cache
def _alias_index() -> dict[tuple[str, ...], ActorEntry]:
    index: dict[tuple[str, ...], ActorEntry] = {}
    for entry in actors():
        for alias in entry.aliases:
            words = name_words(alias)
            if words:
                # First listed wins: countries and specific entries are listed before vaguer ones.
                index.setdefault(words, entry)
    return index


@functools.cache
def _translit_tables() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    data = _load("translit.toml")
    table: dict[str, str] = {k: v for k, v in data.get("cyrillic", {}).items()}
    simplify = tuple((a, b) for a, b in data.get("latin", {}).get("simplify", []))
    return table, simplify


@functools.cache
def _latin_letters() -> dict[str, str]:
    return {str(k): str(v) for k, v in _load("translit.toml").get("latin_letters", {}).items()}


@functools.cache
def _char_maps() -> tuple[dict[int, str], dict[int, str]]:
    """The Cyrillic and Latin letter tables as ``str.translate`` maps (one character each)."""
    cyrillic, letters = _translit_tables()[0], _latin_letters()
    return (
        {ord(k): v for k, v in cyrillic.items() if len(k) == 1},
        {ord(k): v for k, v in letters.items() if len(k) == 1},
    )


def translit(text: str) -> str:
    """Folded Latin rendering of a (possibly Cyrillic) name."""
    return fold(text).translate(_char_maps()[0])


@functools.cache
def _key_index() -> dict[str, ActorEntry]:
    index: dict[str, ActorEntry] = {}
    for entry in actors():
        for alias in entry.aliases:
            k = name_key(alias)
            if len(k) >= 4:
                index.setdefault(k, entry)
    return index


@functools.cache
def name_starts() -> tuple[frozenset[str], frozenset[str]]:
    """What a name :func:`find_actor` finds can begin with: the first folded word of every
    registered alias of two words or more, and the first word of every spelling key
    (:func:`name_key`). Builds both lookup indexes."""
    return (
        frozenset(words[0] for words in _alias_index() if len(words) >= 2),
        frozenset(key.split(" ", 1)[0] for key in _key_index()),
    )


@functools.lru_cache(maxsize=16384)
def name_key(text: str) -> str:
    """A spelling-insensitive key for a name across scripts and languages.

    "Igor Khovaev", "Ігор Ховаєв" and "Igor Chowajew" share one key: transliterate, then erase
    the habits of each spelling tradition (digraphs, doubled letters, y/j/i).
    """
    _, simplify = _translit_tables()
    key = translit(text.lower().translate(_char_maps()[1]))
    key = " ".join(_WORD.findall(key))
    for a, b in simplify:
        key = key.replace(a, b)
    key = _DOUBLED.sub(r"\1", key)
    # A soft consonant before "a" inside a word, spelt with a glide letter or without one
    # ("Pashinyan", "Paschinjan", Polish "Paszynian"): the consonant frame meets.
    key = _GLIDE.sub("a", key)
    # Word-final vowels carry case endings ("Віртанена"), French mute -e ("Poutine") and
    # transliteration variants ("Aleksi"/"Алексі"); the consonant frame is what identifies.
    return _FINAL_VOWELS.sub("", key)


_DOUBLED = re.compile(r"(\w)\1+")
_GLIDE = re.compile(r"(?<=[b-df-hk-np-tv-z])ia(?=[b-df-hk-np-tv-z])")
_FINAL_VOWELS = re.compile(r"(?<=\w\w\w)[aeiou]+\b")


@functools.lru_cache(maxsize=8192)
def find_actor(text: str, lemmas: tuple[str, ...] = ()) -> ActorEntry | None:
    """The registered actor a name refers to, or None.

    Tries the folded words of ``text``, then any ``lemmas`` (e.g. the dictionary forms of an
    inflected name), then the transliteration key, so "Путіна" (given lemma "Путін"), "Putin"
    and "Poutine" all reach the same entry.
    """
    index = _alias_index()
    for cand in (text, *lemmas):
        words = name_words(cand)
        if not words:
            continue
        hit = index.get(words)
        if hit is not None:
            return hit
    for cand in (text, *lemmas):
        k = name_key(cand)
        if len(k) >= 4:
            hit = _key_index().get(k)
            if hit is not None:
                return hit
    return _inflected(name_key(text))


def _inflected(key: str) -> ActorEntry | None:
    """A person's name with a case ending the key keeps ("Orbanem", "Nikolem Paszynianem"): its
    words without their last one to three letters, when a registered person's name of five
    letters or more is left. (Places and bodies are matched with their endings by the
    gazetteer; a demonym such as "Iranian" must not reach its country here.)"""
    words = key.split()
    for k in (1, 2, 3):
        stems = [w[:-k] if len(w) - k >= 4 else w for w in words]
        cand = " ".join(stems)
        if cand != key and len(cand) >= 5:
            hit = _key_index().get(cand)
            if hit is not None and hit.type == "person":
                return hit
    return None
