"""Date vocabulary and calendar arithmetic shared by the date resolver and other stages.

``lexicon`` compiles one language's patterns from ``lang/<code>/dates.toml`` (month and weekday
names, units, relative words, future markers); ``candidates`` finds the spans they match;
``shift``, ``point`` and ``duration`` do the calendar arithmetic that resolution needs.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from wiretrace.errors import WiretraceError
from wiretrace.model import Granularity
from wiretrace.stages.facts.numbers import alternation, lang_code, number_lexicon
from wiretrace.textutil import fold, lang_data, nouns_capitalised

_DAY = r"(?P<{name}>3[01]|[12]\d|0?[1-9])(?!\d)"
_YEAR = r"(?P<{name}>(?:1[89]|20)\d\d)(?!\d)"
_MNUM = r"(?P<mnum>1[0-2]|0?[1-9])(?!\d)"
_DURATION_CODE = {
    "minute": ("T", "M", 1),
    "hour": ("T", "H", 1),
    "day": ("", "D", 1),
    "week": ("", "W", 1),
    "month": ("", "M", 1),
    "year": ("", "Y", 1),
    "decade": ("", "Y", 10),
}


@dataclass(frozen=True)
class Lexicon:
    """One language's date vocabulary and compiled candidate patterns."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, pattern), in priority order
    months: dict[str, int]
    weekdays: dict[str, int]
    units: dict[str, str]
    reldays: dict[str, int]
    periods: dict[str, tuple[str, int]]
    anchors: dict[str, int]
    ones: frozenset[str]
    future: re.Pattern[str] | None
    # The word groups each pattern cannot match without (by pattern), and each group's own
    # regex: a text where a group matches nowhere is not scanned with those patterns.
    needs: tuple[tuple[str, ...], ...] = ()
    groups: dict[str, re.Pattern[str]] = field(default_factory=dict)


def _forms(groups: list[list[str]]) -> dict[str, int]:
    return {fold(form): i + 1 for i, forms in enumerate(groups) for form in forms}


@functools.cache
def lexicon(lang: str) -> Lexicon | None:
    """The compiled date lexicon of ``lang``, or None when the language ships no dates data."""
    data: dict[str, Any] = lang_data(lang, "dates")
    if not data:
        return None
    months = _forms(data.get("months", [])) | _forms(data.get("month_abbreviations", []))
    weekdays = _forms(data.get("weekdays", [])) | _forms(data.get("weekday_abbreviations", []))
    units: dict[str, str] = data.get("units", {})
    reldays: dict[str, int] = data.get("relative_days", {})
    periods: dict[str, list[Any]] = data.get("periods", {})
    anchors: dict[str, int] = data.get("anchored_days", {})
    ones: list[str] = data.get("one", [])
    # month and day names are capitalised (English), or every noun is (German)
    caps = bool(data.get("names_capitalized", False)) or nouns_capitalised(lang)
    num = number_lexicon(lang).number
    if ones:
        num = rf"(?:{num}|(?<![^\W\d_])(?:{alternation(ones)})(?![^\W\d_]))"

    def alt_of(full: list[str], abbr: list[str]) -> str:
        # Abbreviations may carry a dot ("Sept.", "févr.") that a full word must not swallow.
        return rf"{alternation(full)}|(?:{alternation(abbr)})\.?" if abbr else alternation(full)

    def word(
        name: str, forms: list[str], short: list[str] | None = None, caps: bool = False
    ) -> str:
        alt = alt_of(forms, short or [])
        if caps:
            # English and German capitalise month and day names: "may 2" is a verb, not a date.
            upper = alt_of([f.upper() for f in forms], [f.upper() for f in short or []])
            alt = rf"(?-i:{alt}|{upper})"
        return rf"(?P<{name}>(?<![^\W\d_])(?:{alt})(?![^\W\d_]))"

    def flat(key: str) -> list[str]:
        return [f for g in data.get(key, []) for f in g]

    fill = {
        "day": _DAY.format(name="day"),
        "day2": _DAY.format(name="day2"),
        "year": _YEAR.format(name="year"),
        "mnum": _MNUM,
        "month": word("month", flat("months"), flat("month_abbreviations"), caps),
        "weekday": word("weekday", flat("weekdays"), flat("weekday_abbreviations"), caps),
        "unit": word("unit", list(units)),
        "relday": word("relday", list(reldays)),
        "period": word("period", list(periods)),
        "anchor": word("anchor", list(anchors)),
        "num": rf"(?P<num>{num})",
    }
    compiled = []
    needs = []
    for item in data.get("patterns", []):
        source = re.sub(r"\{(\w+)\}", lambda m: fill[m.group(1)], item["re"])
        wrapped = rf"(?<![\w])(?:{source})(?![^\W_])"
        try:
            compiled.append((str(item["kind"]), re.compile(wrapped, re.I)))
            needs.append(_needed_groups(wrapped))
        except re.error as exc:
            raise WiretraceError(
                f"lang/{lang}/dates.toml: pattern {item['re']!r} is not a valid regex ({exc}); "
                "each placeholder may appear once per pattern, so split alternatives in two"
            ) from exc
    future_forms: list[str] = data.get("future", [])
    future_res: list[str] = data.get("future_patterns", [])
    alts = [rf"(?<![^\W\d_])(?:{alternation(future_forms)})(?![^\W\d_])"] if future_forms else []
    alts += future_res
    return Lexicon(
        patterns=tuple(compiled),
        months=months,
        weekdays=weekdays,
        units={fold(k): v for k, v in units.items()},
        reldays={fold(k): int(v) for k, v in reldays.items()},
        periods={fold(k): (str(v[0]), int(v[1])) for k, v in periods.items()},
        anchors={fold(k): int(v) for k, v in anchors.items()},
        ones=frozenset(fold(o) for o in ones),
        future=re.compile("|".join(alts), re.I) if alts else None,
        needs=tuple(needs),
        groups={name: re.compile(fill[name], re.I) for name in _WORD_GROUPS},
    )


# Placeholders that are words of the language (the others are digits, in every text).
_WORD_GROUPS = ("month", "weekday", "unit", "relday", "period", "anchor")
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _needed_groups(pattern: str) -> tuple[str, ...]:
    """The word groups every match of ``pattern`` holds: those not inside an optional part, a
    repeat that may be absent, or one branch of an alternation."""
    tree = sre_parse.parse(pattern, re.I)
    names = {number: name for name, number in tree.state.groupdict.items()}
    found: set[str] = set()

    def walk(items: Any) -> None:
        for op, av in items:
            if op is sre.SUBPATTERN:
                if names.get(av[0]) in _WORD_GROUPS:
                    found.add(names[av[0]])
                walk(av[3])
            elif op in _REPEATS and av[0] >= 1:
                walk(av[2])

    walk(tree.data)
    return tuple(sorted(found))


@dataclass(frozen=True)
class Candidate:
    """A span a pattern matched, with the kind of resolution it calls for."""

    start: int
    end: int
    kind: str
    groups: dict[str, str]

    @property
    def text(self) -> str:
        return self.groups["_text"]


def candidates(text: str, lang: str) -> list[Candidate]:
    """Non-overlapping pattern matches in text order; a longer match wins over a shorter one."""
    return list(_candidates(text, lang))


@functools.lru_cache(maxsize=64)  # dates and figures both read a body's matches: scan it once
def _candidates(text: str, lang: str) -> tuple[Candidate, ...]:
    lex = lexicon(lang)
    if lex is None:
        return ()
    found: list[tuple[int, int, int, str, dict[str, str]]] = []
    # A pattern matches nowhere when a word group it needs matches nowhere ("March" in no
    # text without a month name): each group is looked for once, and only when asked.
    present: dict[str, bool] = {}
    for order, (kind, pat) in enumerate(lex.patterns):
        needed = lex.needs[order] if order < len(lex.needs) else ()
        if not all(_present(lex, name, text, present) for name in needed):
            continue
        for m in pat.finditer(text):
            if m.end() > m.start():
                groups = {k: v for k, v in m.groupdict().items() if v is not None}
                groups["_text"] = m.group(0)
                found.append((m.start(), m.end(), order, kind, groups))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    taken: list[Candidate] = []
    for start, end, _, kind, groups in found:
        if all(end <= c.start or start >= c.end for c in taken):
            taken.append(Candidate(start, end, kind, groups))
    return tuple(sorted(taken, key=lambda c: c.start))


def _present(lex: Lexicon, name: str, text: str, seen: dict[str, bool]) -> bool:
    found = seen.get(name)
    if found is None:
        found = seen[name] = lex.groups[name].search(text) is not None
    return found


def date_spans(text: str, lang: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every temporal expression, so figures can skip numbers inside dates."""
    lang = lang_code(lang)
    if lexicon(lang) is None:
        return [(s, e, "date") for s, e, _ in fallback_dates(text, lang)]
    return [(c.start, c.end, c.kind) for c in candidates(text, lang)]


def parse_published(published: str | None) -> date | None:
    """The calendar day of an ISO publication timestamp, or None when absent or unreadable."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(d, day.day))
        except ValueError:
            continue
    return date(year, month, 28)


def shift(day: date, n: float, unit: str) -> date:
    """``day`` moved by ``n`` units (negative = earlier); months and years keep the day of month."""
    if unit == "month":
        return _add_months(day, round(n))
    if unit in ("year", "decade"):
        return _add_months(day, round(n * 12 * (10 if unit == "decade" else 1)))
    days = {"minute": 0.0, "hour": n / 24, "day": n, "week": 7 * n}.get(unit, n)
    return day + timedelta(days=round(days))


def point(day: date, unit: str) -> tuple[str, Granularity]:
    """A resolved point at the precision its unit allows ("il y a neuf mois" is a month)."""
    if unit == "month":
        return day.strftime("%Y-%m"), "month"
    if unit in ("year", "decade"):
        return f"{day.year:04d}", "year"
    return day.isoformat(), "day"


def duration(n: float, unit: str) -> str:
    """An ISO 8601 duration: 9 months -> "P9M", 24 hours -> "PT24H"."""
    t, code, mult = _DURATION_CODE.get(unit, ("", "D", 1))
    value = n * mult
    text = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return f"P{t}{text}{code}"


FB_DAY = re.compile(r"(?<!\d)(\d{1,2})(?!\d)")
FB_YEAR = re.compile(r"(?<!\d)((?:1[89]|20)\d\d)(?!\d)")
FB_WORD = re.compile(r"[^\W\d_]{3,}")


@functools.lru_cache(maxsize=64)
def fallback_dates(text: str, lang: str) -> tuple[tuple[int, int, datetime], ...]:
    """Absolute dates found by dateparser in a language we ship no data for, with our guards.

    dateparser's search turns "24 uur" or a lone word into a date, so only what it found with a
    month word plus a day or a year is kept, and only when the digits it read agree with the
    date it returned. Relative words are left out: there are no future markers to check them by.
    """
    try:
        from dateparser.search import search_dates

        found = search_dates(
            text,
            languages=[lang],
            settings={"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False},
        )
    except (ValueError, ImportError, LookupError):
        return ()  # a language dateparser does not know either
    out: list[tuple[int, int, datetime]] = []
    cursor = 0
    for span, when in found or []:
        start = text.find(span, cursor)
        if start < 0:
            continue
        cursor = start + len(span)
        days, years = FB_DAY.findall(span), FB_YEAR.findall(span)
        if ":" in span or not FB_WORD.search(span) or len(days) > 1 or len(years) > 1:
            continue
        if (years and int(years[0]) != when.year) or (days and int(days[0]) != when.day):
            continue
        if days or years:
            out.append((start, cursor, when))
    return tuple(out)
