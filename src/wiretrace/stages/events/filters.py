"""What cannot be an event participant: dates, reporting phrases, outlets, pronouns, clauses.

An actor or recipient is an entity or a noun phrase for people, organisations, countries,
groups or their officials. Phrases that only say when ("Montag", "17 September", "у вересні"),
on whose report ("Nach Angaben", "СМИ", "according to"), which outlet reported it ("Politico"),
or that are a bare function word or pronoun are dropped rather than coded as a participant.
Calendar words come from each language's date vocabulary (``lang/<code>/dates.toml``), so
every language the date layer reads is covered; the few reporting words from
``lang/<code>/events.toml`` (``words.not_participants``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from wiretrace.model import Article, Entity
from wiretrace.textutil import fold, lang_data

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Words of any language that are never a participant on their own.
_GENERIC = frozenset(
    {"the", "a", "an", "le", "la", "les", "der", "die", "das", "el", "los", "las", "it", "this"}
)


def _flatten(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _flatten(v)


@functools.cache
def calendar_words(lang: str) -> frozenset[str]:
    """Folded month, weekday and time words of ``lang`` (and English, which news quotes)."""
    out: set[str] = set()
    for code in {lang, "en"}:
        dates = lang_data(code, "dates")
        for key in ("months", "month_abbreviations", "weekdays"):
            out.update(fold(w) for w in _flatten(dates.get(key, [])) if len(w) >= 3)
        for key in ("relative_days",):
            table = dates.get(key, {})
            if isinstance(table, dict):
                out.update(fold(w) for w in table if " " not in w)
        words = lang_data(code, "events").get("words", {})
        out.update(fold(w) for w in words.get("time_words", []))
    return frozenset(w.rstrip(".") for w in out)


@functools.cache
def _not_participants(lang: str) -> frozenset[str]:
    words = lang_data(lang, "events").get("words", {})
    return frozenset(fold(w) for w in words.get("not_participants", []))


@functools.cache
def _pronouns(lang: str) -> frozenset[str]:
    words = lang_data(lang, "events").get("words", {})
    return frozenset(fold(w) for w in (*words.get("pronouns", []), *words.get("relative", [])))


def is_calendar(word: str, lang: str) -> bool:
    """Whether a word names a month, weekday or time, inflections included ("вересні")."""
    w = fold(word).rstrip(".")
    cal = calendar_words(lang)
    if w in cal:
        return True
    # Case endings: a stem of five letters or more shared with a calendar word ("вересн-").
    return len(w) >= 6 and any(len(c) >= 6 and c[:-2] == w[: len(c) - 2] for c in cal)


def _outlet_names(article: Article) -> set[str]:
    names = {fold(e.name) for e in article.entities if e.type == "outlet"}
    if article.outlet is not None:
        names.add(fold(article.outlet.name))
    return {n for n in names if n}


@functools.cache
def _registered_outlets() -> frozenset[str]:
    from wiretrace.registry import outlets

    return frozenset(fold(a) for o in outlets() for a in o.aliases if len(a) > 3)


def _is_outlet(text: str, article: Article) -> bool:
    """Whether the whole phrase names a news outlet (this article's, or a registered one)."""
    folded = fold(text).strip(" \"'«»“”")
    return folded in _outlet_names(article) or folded in _registered_outlets()


def rejection(text: str, lang: str, article: Article, entity: Entity | None = None) -> str | None:
    """Why ``text`` is no participant ("date", "reporting", "outlet", ...), or None if it may be."""
    words = [fold(w) for w in _WORD.findall(text)]
    if not words:
        return "empty"
    if entity is not None and entity.type == "outlet":
        return "outlet"
    # "17 September", "September in Istanbul", "Montag": a phrase that starts or ends with a
    # calendar word says when; inside a longer phrase ("a six-month extension of ...") it may not.
    if is_calendar(words[0], lang) or is_calendar(words[-1], lang):
        return "date"
    if any(w in _not_participants(lang) for w in words):
        return "reporting"
    acronym = text.strip().isupper() and len(text.strip()) > 1  # "US" is no "us"
    if len(words) == 1 and not acronym and (words[0] in _pronouns(lang) or words[0] in _GENERIC):
        return "pronoun"
    if len(words) == 1 and len(words[0]) < 2:
        return "function word"
    if _is_outlet(text, article):
        return "outlet"
    return None
