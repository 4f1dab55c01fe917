"""The event words of one language (``lang/<code>/events.toml``), read once, with the state
names CLDR knows in that language and in English."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from wiretrace.textutil import fold, lang_data, nouns_capitalised

# Codes that CLDR lists as territories but that are unions or groupings, not states.
_NOT_STATES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK"})


@dataclass(frozen=True)
class Lexicon:
    """The event words of one language, read once from ``lang/<code>/events.toml``."""

    lang: str
    verbs: dict[str, str]
    nouns: dict[str, str]
    words: dict[str, frozenset[str]]
    states: dict[str, str]  # folded state name or metonym -> ISO code ("" = no state)
    demonyms: dict[str, str]  # folded demonym -> ISO code, matched in any case
    depth: str
    nouns_capitalized: bool = False  # every noun is capitalised (German): capitals name no one
    compounds: bool = False  # compounds are written as one word, event noun last
    negation_after: int = 0  # words after the verb where its negation may stand (verb-second)

    def has(self, role: str, word: str) -> bool:
        return word.lower() in self.words.get(role, frozenset())

    @functools.cached_property
    def noun_key_parts(self) -> tuple[frozenset[str], frozenset[str]]:
        """What stands before a space and what after one in the ``[nouns]`` keys: a lemma in
        neither set begins or ends no key of several words (read once per lexicon)."""
        heads: set[str] = set()
        tails: set[str] = set()
        for key in self.nouns:
            for i, ch in enumerate(key):
                if ch == " ":
                    heads.add(key[:i])
                    tails.add(key[i + 1 :])
        return frozenset(heads), frozenset(tails)


@functools.cache
def lexicon(lang: str) -> Lexicon | None:
    """The lexicon for ``lang``, or None when the language ships no event data."""
    data: dict[str, Any] = lang_data(lang, "events")
    if not data:
        return None
    words = {k: frozenset(str(w).lower() for w in v) for k, v in data.get("words", {}).items()}
    states = dict(_cldr_states(lang))
    states.update({fold(k): str(v) for k, v in data.get("metonyms", {}).items()})
    demonyms = {fold(k): str(v) for k, v in data.get("demonyms", {}).items()}
    return Lexicon(
        lang=lang,
        verbs={str(k).lower(): str(v) for k, v in data.get("verbs", {}).items()},
        nouns={str(k).lower(): str(v) for k, v in data.get("nouns", {}).items()},
        words=words,
        states=states,
        demonyms=demonyms,
        depth=str(data.get("meta", {}).get("depth", "deep")),
        nouns_capitalized=nouns_capitalised(lang),
        compounds=bool(data.get("meta", {}).get("compounds", False)),
        negation_after=int(data.get("meta", {}).get("negation_after", 0)),
    )


def is_country(word: str, lex: Lexicon) -> bool:
    """Whether a capitalised word is a state's own name (not a city standing for it)."""
    return word[:1].isupper() and bool(_cldr_states(lex.lang).get(fold(word)))


@functools.cache
def _cldr_states(lang: str) -> dict[str, str]:
    """Folded state names -> ISO codes in ``lang`` and English (CLDR data shipped with Babel)."""
    from babel import Locale

    out: dict[str, str] = {}
    for loc in ("en", lang):
        try:
            names = Locale.parse(loc).territories
        except (ValueError, LookupError):
            continue
        for code, name in names.items():
            if len(code) == 2 and code.isalpha():
                out[fold(name)] = "" if code in _NOT_STATES else code
    return out
