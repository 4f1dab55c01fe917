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
import re
from dataclasses import dataclass
from datetime import date, timedelta

from wiretrace.model import Article, Evidence, Granularity, TimeExpr
from wiretrace.nlp import Parsed
from wiretrace.pipeline import Stage
from wiretrace.stages.facts.datewords import (
    FB_DAY,
    FB_YEAR,
    Candidate,
    Lexicon,
    candidates,
    date_spans,
    duration,
    fallback_dates,
    lexicon,
    parse_published,
    point,
    shift,
)
from wiretrace.stages.facts.numbers import lang_code, parse_number
from wiretrace.textutil import fold

STAGE_VERSION = "dates.v1"


def _resolve_fallback(
    text: str, lang: str, pub: date | None
) -> list[tuple[int, int, str, Granularity]]:
    out: list[tuple[int, int, str, Granularity]] = []
    for start, end, when in fallback_dates(text, lang):
        span = text[start:end]
        has_day, has_year = bool(FB_DAY.search(span)), bool(FB_YEAR.search(span))
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
        value = point(moved, unit)
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
            return point(shift(pub, offset, unit), unit)
        return None
    n, unit = _amount(g, lex, lang), lex.units.get(fold(g.get("unit", "")))
    if n is None or unit is None or n <= 0:
        return None
    start = shift(pub, -n, unit)
    if kind == "ago":
        value = point(start, unit)
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
    token = next(iter(parsed.tokens_over(start, start + 1)), None)
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
    from wiretrace.nlp import parse

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
            try:
                resolved = _resolve_relative(c, lex, st, future, lang)
            except (OverflowError, ValueError):
                # "99999999999999999999 days ago" counts past the calendar: no date, not a crash.
                resolved, st.anchor = None, anchor
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
