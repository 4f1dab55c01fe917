"""Dates: find temporal expressions and resolve them against the article's publication date.

Candidate spans come from per-language patterns in ``lang/<code>/dates.toml`` whose
placeholders (``{day}``, ``{month}``, ``{year}``, ``{num}``, ``{unit}``, ``{weekday}`` ...) are
filled from that file's word lists; each pattern names a *kind* that the shared resolver below
understands. Resolution is our own rather than dateparser's: its search mode turns "100 000",
"24 heures" or "8 réponses" into dates, and it cannot tell a duration from a point in time, while
patterns anchored on month names, relative words and time units can. The guards live here:
durations stay durations; year-less dates take the year that puts them closest on or before
publication; a date after publication survives only in a sentence about the future (future
markers are per-language data); without a publication date only absolute dates are resolved.
Languages without a dates.toml fall back to dateparser's search, keeping only absolute dates
whose digits agree with what it parsed.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ..errors import WiretraceError
from ..model import Article, Evidence, Granularity, TimeExpr
from ..nlp import Parsed
from ..pipeline import Stage
from ..textutil import fold, lang_data
from .figures import alternation, lang_code, number_lexicon, parse_number

STAGE_VERSION = "dates.v1"

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
    caps = bool(data.get("names_capitalized", False))
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
    for item in data.get("patterns", []):
        source = re.sub(r"\{(\w+)\}", lambda m: fill[m.group(1)], item["re"])
        wrapped = rf"(?<![\w])(?:{source})(?![^\W_])"
        try:
            compiled.append((str(item["kind"]), re.compile(wrapped, re.I)))
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
    )


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
    lex = lexicon(lang)
    if lex is None:
        return []
    found: list[tuple[int, int, int, str, dict[str, str]]] = []
    for order, (kind, pat) in enumerate(lex.patterns):
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
    return sorted(taken, key=lambda c: c.start)


def date_spans(text: str, lang: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every temporal expression, so figures can skip numbers inside dates."""
    lang = lang_code(lang)
    if lexicon(lang) is None:
        return [(s, e, "date") for s, e, _ in _fallback_dates(text, lang)]
    return [(c.start, c.end, c.kind) for c in candidates(text, lang)]


_FB_DAY = re.compile(r"(?<!\d)(\d{1,2})(?!\d)")
_FB_YEAR = re.compile(r"(?<!\d)((?:1[89]|20)\d\d)(?!\d)")
_FB_WORD = re.compile(r"[^\W\d_]{3,}")


@functools.lru_cache(maxsize=64)
def _fallback_dates(text: str, lang: str) -> tuple[tuple[int, int, datetime], ...]:
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
        days, years = _FB_DAY.findall(span), _FB_YEAR.findall(span)
        if ":" in span or not _FB_WORD.search(span) or len(days) > 1 or len(years) > 1:
            continue
        if (years and int(years[0]) != when.year) or (days and int(days[0]) != when.day):
            continue
        if days or years:
            out.append((start, cursor, when))
    return tuple(out)


def _resolve_fallback(
    text: str, lang: str, pub: date | None
) -> list[tuple[int, int, str, Granularity]]:
    out: list[tuple[int, int, str, Granularity]] = []
    for start, end, when in _fallback_dates(text, lang):
        span = text[start:end]
        has_day, has_year = bool(_FB_DAY.search(span)), bool(_FB_YEAR.search(span))
        resolved: tuple[str, Granularity]
        if has_day and has_year:
            resolved = (when.date().isoformat(), "day")
        elif has_day:
            day = _yearless(when.month, when.day, pub, False) if pub else None
            if day is None:
                continue
            resolved = (day.isoformat(), "day")
        else:
            resolved = (f"{when.year:04d}-{when.month:02d}", "month")
        if pub and _after(resolved[0], resolved[1], pub):
            continue  # no future markers known for this language: keep to the past
        out.append((start, end, *resolved))
    return out


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


def _point(day: date, unit: str) -> tuple[str, Granularity]:
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


@dataclass
class _State:
    """What resolution carries from one expression to the next in a text."""

    published: date | None
    anchor: date | None = None  # the last day resolved, for "two days later" / "la veille"


def _month_of(groups: dict[str, str], lex: Lexicon) -> int | None:
    if "mnum" in groups:
        return int(groups["mnum"])
    if "month" in groups:
        return lex.months.get(fold(groups["month"]).rstrip("."))
    return None


def _amount(groups: dict[str, str], lex: Lexicon, lang: str) -> float | None:
    raw = groups.get("num", "")
    if fold(raw) in lex.ones:
        return 1.0
    return parse_number(raw, lang)


def _yearless(month: int, day: int, pub: date, future: bool) -> date | None:
    """The year that puts (month, day) closest on or before publication (after, if future)."""
    options = []
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    if future:
        later = [d for d in options if d >= pub]
        return min(later) if later else None
    earlier = [d for d in options if d <= pub]
    return max(earlier) if earlier else None


def _resolve_date(
    c: Candidate, lex: Lexicon, st: _State, future: bool
) -> tuple[str, Granularity] | None:
    g = c.groups
    month = _month_of(g, lex)
    year = int(g["year"]) if "year" in g else None
    day = int(g["day"]) if "day" in g else None
    pub = st.published
    if month is None:
        if year is None or (pub and year > pub.year and not future):
            return None
        return f"{year:04d}", "year"
    if day is None:
        if year is None:
            if pub is None:
                return None
            first = _yearless(month, 1, pub.replace(day=1), future)
            if first is None:
                return None
            year = first.year
        elif pub and date(year, month, 1) > pub and not future:
            return None
        return f"{year:04d}-{month:02d}", "month"
    if year is None:
        if pub is None:
            return None
        resolved = _yearless(month, day, pub, future)
    else:
        try:
            resolved = date(year, month, day)
        except ValueError:
            return None
        if pub and resolved > pub and not future:
            return None
    if resolved is None:
        return None
    st.anchor = resolved
    if "day2" in g:
        try:
            until = resolved.replace(day=int(g["day2"]))
        except ValueError:
            return None
        if until <= resolved:
            return None
        return f"{resolved.isoformat()}/{until.isoformat()}", "interval"
    return resolved.isoformat(), "day"


def _resolve_relative(
    c: Candidate, lex: Lexicon, st: _State, future: bool, lang: str
) -> tuple[str, Granularity] | None:
    g, pub, kind = c.groups, st.published, c.kind
    if kind in ("later", "earlier", "anchor"):
        if st.anchor is None:
            return None  # no date in the text to count from: do not invent one
        if kind == "anchor":
            day = st.anchor + timedelta(days=lex.anchors.get(fold(g["anchor"]), 0))
            st.anchor = day
            return day.isoformat(), "day"
        n, unit = _amount(g, lex, lang), lex.units.get(fold(g.get("unit", "")))
        if n is None or unit is None:
            return None
        moved = shift(st.anchor, n if kind == "later" else -n, unit)
        value = _point(moved, unit)
        if value[1] == "day":
            st.anchor = moved
        return value
    if pub is None:
        return None
    if kind == "relday":
        day = pub + timedelta(days=lex.reldays.get(fold(g["relday"]).rstrip("."), 0))
        st.anchor = day
        return day.isoformat(), "day"
    if kind == "weekday":
        target = lex.weekdays.get(fold(g["weekday"]).rstrip("."))
        if target is None:
            return None
        back = (pub.isoweekday() - target) % 7
        day = pub + timedelta(days=(7 - back) % 7) if future else pub - timedelta(days=back)
        st.anchor = day
        return day.isoformat(), "day"
    if kind == "period":
        unit, offset = lex.periods.get(fold(g["period"]), ("", 0))
        if unit == "week":
            monday = pub - timedelta(days=pub.isoweekday() - 1) + timedelta(weeks=offset)
            return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}", "interval"
        if unit in ("month", "year"):
            return _point(shift(pub, offset, unit), unit)
        return None
    n, unit = _amount(g, lex, lang), lex.units.get(fold(g.get("unit", "")))
    if n is None or unit is None or n <= 0:
        return None
    start = shift(pub, -n, unit)
    if kind == "ago":
        value = _point(start, unit)
        if value[1] == "day":
            st.anchor = start
        return value
    if kind == "since":
        return f"{start.isoformat()}/{pub.isoformat()}", "interval"
    return None


_CLAUSE_BREAK = re.compile(r"[,;:«»“”\"()—–]")


def _clause(text: str, start: int, end: int, lo: int, hi: int) -> str:
    """The stretch of the sentence [lo, hi) around [start, end) between punctuation marks."""
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(text, lo, start)), default=lo)
    right = next((m.start() for m in _CLAUSE_BREAK.finditer(text, end, hi)), hi)
    return text[left:right]


# Dependents that open a clause of their own: their tense is not the tense of our verb.
_OWN_CLAUSE = frozenset({"ccomp", "advcl", "acl", "acl:relcl", "relcl", "parataxis", "conj"})


def _governing_future(parsed: Parsed, start: int, lex: Lexicon) -> bool | None:
    """Whether the clause of the verb that governs the token at ``start`` is about the future.

    Deep parses only (None otherwise). The verb's own clause (its subtree minus embedded
    clauses) is searched for future tense and markers, which keeps "On Tuesday the EU said it
    will meet" in the past while "The ECB's next decision is due on 14 December" is future.
    """
    if parsed.depth != "deep":
        return None
    token = next((t for t in parsed.doc if t.idx <= start < t.idx + max(1, len(t.text))), None)
    while token is not None and token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    if token is None or token.pos_ not in ("VERB", "AUX"):
        return None
    verbs = [token, token.head] if token.dep_ == "xcomp" else [token]
    skip: set[int] = set()
    for verb in verbs:
        for child in verb.children:
            if child.dep_ in _OWN_CLAUSE and child.i not in {v.i for v in verbs}:
                skip.update(t.i for t in child.subtree)
    words = [t for v in verbs for t in v.subtree if t.i not in skip]
    if any("Fut" in t.morph.get("Tense", []) for t in words if t.pos_ in ("VERB", "AUX")):
        return True
    clause = " ".join(t.text for t in sorted(set(words), key=lambda t: t.i))
    return bool(lex.future and lex.future.search(clause))


def _is_future(parsed: Parsed, c: Candidate, lex: Lexicon, text: str) -> bool:
    """Whether the expression is about the future: its own words, its verb, or its clause."""
    g = c.groups
    if lex.reldays.get(fold(g.get("relday", "")).rstrip("."), 0) > 0:
        return True  # "tomorrow", "morgen", "mañana" point forward by themselves
    if lex.periods.get(fold(g.get("period", "")), ("", 0))[1] > 0:
        return True  # "next week", "la semaine prochaine"
    if lex.future is None:
        return False
    if lex.future.search(c.text):
        return True  # "mardi prochain", "next Tuesday"
    verdict = _governing_future(parsed, c.start, lex)
    if verdict is not None:
        return verdict
    sent = parsed.sentence_at(c.start)
    lo, hi = (sent.start, sent.end) if sent else (0, len(text))
    return bool(lex.future.search(_clause(text, c.start, c.end, lo, hi)))


def _after(value: str, granularity: Granularity, pub: date) -> bool:
    """Whether a resolved value starts after the publication day."""
    if granularity == "duration":
        return False
    head = value.split("/")[0]
    first = head + "-01-01"[len(head) - 4 :] if len(head) < 10 else head
    try:
        return date.fromisoformat(first) > pub
    except ValueError:
        return False


def extract_dates(text: str, lang: str, published: str | None) -> list[TimeExpr]:
    """Every temporal expression in ``text`` resolved against ``published`` (an ISO timestamp).

    Durations come back as ISO 8601 durations (granularity "duration"); without a publication
    date, relative and year-less expressions are left out rather than guessed; a date after
    publication is kept only when the text around it is about the future.
    """
    from ..nlp import parse

    lang = lang_code(lang)
    lex = lexicon(lang)
    if lex is None:
        found = _resolve_fallback(text, lang, parse_published(published))
        if not found:
            return []
        parsed = parse(text, lang)
        return [
            TimeExpr(text[s:e], s, e, value, gran, _evidence(parsed, s))
            for s, e, value, gran in found
        ]
    cands = candidates(text, lang)
    if not cands:
        return []
    parsed = parse(text, lang)
    st = _State(parse_published(published))
    out: list[TimeExpr] = []
    for c in cands:
        future = _is_future(parsed, c, lex, text)
        anchor = st.anchor
        resolved: tuple[str, Granularity] | None
        if c.kind == "duration":
            n, unit = _amount(c.groups, lex, lang), lex.units.get(fold(c.groups.get("unit", "")))
            # "a year" alone is mostly a rate ("twice a year"); "a year ago" is its own kind.
            bare = fold(c.groups.get("num", "")) in lex.ones
            resolved = (duration(n, unit), "duration") if n and unit and not bare else None
        elif c.kind in ("date", "range"):
            resolved = _resolve_date(c, lex, st, future)
        else:
            resolved = _resolve_relative(c, lex, st, future, lang)
        if resolved is None:
            continue
        if st.published and _after(*resolved, st.published):
            # Narration counts "two days earlier" from past events, not from an announced date.
            st.anchor = anchor
            if not future:
                continue
        out.append(
            TimeExpr(c.text, c.start, c.end, resolved[0], resolved[1], _evidence(parsed, c.start))
        )
    return out


def _evidence(parsed: Parsed, start: int) -> Evidence | None:
    sent = parsed.sentence_at(start)
    return Evidence(sent.start, sent.end, STAGE_VERSION) if sent else None


def _stage_fn(article: Article) -> Article:
    lang = article.language or "xx"
    found = extract_dates(article.body, lang, article.published)
    return dataclasses.replace(article, dates=tuple(found))


STAGE_DATES = Stage(
    name="dates",
    version=STAGE_VERSION,
    requires=("body", "language", "published"),
    produces=("dates",),
    fn=_stage_fn,
    parses=True,
)

__all__ = ["STAGE_DATES", "date_spans", "duration", "extract_dates", "parse_published"]
