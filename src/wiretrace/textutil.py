"""Small text helpers shared by every stage: accent/case folding, hashing, per-language data."""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
import re
import tomllib
import unicodedata
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

# Apostrophes and quotes that machine translation and CMSs scatter through text.
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
# Every combining mark, deleted in one C-speed str.translate after NFKD decomposition.
# Unicode assigns combining marks in planes 0 and 1 only (the last is U+1E94A): scanning those
# 128k code points instead of all 1.1M keeps this import off every command's start-up time.
_COMBINING = dict.fromkeys(c for c in range(0x20000) if unicodedata.combining(chr(c)))


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching ("États-Unis" -> "etats-unis")."""
    if len(text) <= 32:  # a word or a name, folded again and again by the stages: memoised
        return _fold_short(text)
    return _fold(text)


@functools.lru_cache(maxsize=65536)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = text.translate(_APOSTROPHES)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(_COMBINING)
    return " ".join(text.casefold().split())


class CharTable(dict[int, str]):
    """A ``str.translate`` table of code point -> ``fn(character)``, each computed when first
    met: a per-character mapping of a whole text in one C call, without a table built for each
    text's characters."""

    def __init__(self, fn: Callable[[str], str]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, code: int) -> str:
        mapped = self[code] = self.fn(chr(code))
        return mapped


def stable_id(*parts: str, size: int = 8) -> str:
    """A short, stable hex id from text parts (same input -> same id)."""
    h = hashlib.blake2b(digest_size=size)
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


@functools.cache
def stop_words(lang: str | None) -> frozenset[str]:
    """spaCy's stop words for the language, folded; empty when spaCy has no list for it."""
    if not lang or not lang.isalpha():
        return frozenset()
    # Read the list's own file: importing it as ``spacy.lang.<lang>.stop_words`` would first
    # import spaCy and the language package with its tokenizer exceptions (a second of CPU for
    # French), which a command that only needs the word list should not pay.
    spec = importlib.util.find_spec("spacy")
    where = spec.submodule_search_locations if spec else None
    path = Path(next(iter(where)), "lang", lang, "stop_words.py") if where else None
    if path is None or not path.is_file():
        return frozenset()
    namespace: dict[str, Any] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return frozenset(fold(w) for w in namespace.get("STOP_WORDS", ()))


@functools.cache
def lang_data(lang: str, concept: str) -> dict[str, Any]:
    """Per-language data for a concept, from ``wiretrace/lang/<lang>/<concept>.toml``.

    Returns an empty dict when the language has no file for that concept, so stages degrade to
    the shared rules instead of failing.
    """
    res = resources.files("wiretrace.lang").joinpath(lang, f"{concept}.toml")
    if not res.is_file():
        return {}
    return tomllib.loads(res.read_text(encoding="utf-8"))


def nouns_capitalised(lang: str | None) -> bool:
    """Does the language write every noun with a capital (German)? From
    ``lang/<lang>/language.toml``; no for a language without that file."""
    return bool(lang and lang_data(lang, "language").get("capitalised_nouns", False))


# A word, or a word with apostrophes between its letters ("Дар'я", "Куп’янськ", "О'Нил").
# (U+02BC, the modifier letter apostrophe, is a letter to ``\w`` already.)
_WORD = re.compile(r"\w+")
_APOSTROPHE_WORD = re.compile(r"\w+(?:['’ʼ]\w+)*")


def name_word_pattern(lang: str | None) -> re.Pattern[str]:
    """What one word of a name is in ``lang``: where the apostrophe is a letter sign
    (``apostrophe_in_words`` in ``lang/<lang>/language.toml``: Ukrainian, Russian) it stays
    inside the word; elsewhere it ends one, as it does the elided article of "l'Ukraine" and
    the possessive of "Putin's" (a name like "O'Brien" is then two words read together)."""
    if lang and lang_data(lang, "language").get("apostrophe_in_words", False):
        return _APOSTROPHE_WORD
    return _WORD


@functools.cache
def languages_with(concept: str) -> tuple[str, ...]:
    """Language codes that ship data for ``concept``."""
    root = resources.files("wiretrace.lang")
    return tuple(
        sorted(
            d.name for d in root.iterdir() if d.is_dir() and d.joinpath(f"{concept}.toml").is_file()
        )
    )
