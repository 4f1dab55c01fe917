"""When events happened, and one event told over several sentences, at article level.

Dates come from the date layer (``article.dates``, or the dates stage run here when the article has
none): an event takes the date expression of its own sentence; an event sentence without a date
continues the narrative time of the event told just before it ("Le 19 septembre, ... lancé une
offensive. ... contraints de se rendre après 24 heures"). A later mention of the same kind of event
without any participant ("la réunion avait eu lieu le 17 septembre à Istanbul") is the earlier
event told again: its place and date are folded into that event instead of counted twice.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence

from wiretrace.model import Article, Event, EventDate, TimeExpr
from wiretrace.textutil import fold, lang_data

log = logging.getLogger(__name__)

# An event that started more than this many months before publication is background.
HISTORICAL_MONTHS = 6
# Narrative time carries over at most this many characters of text between two events.
CARRY_GAP = 400
# "The meeting" refers back to a meeting told at most this many characters earlier.
MERGE_GAP = 1500


def article_dates(article: Article) -> tuple[TimeExpr, ...]:
    """The article's time expressions, from the date layer when the article carries none."""
    if article.dates:
        return article.dates
    try:
        from wiretrace.stages.facts.dates import extract_dates  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return ()
    try:
        found = extract_dates(article.body, article.language or "", article.published)
    except Exception as exc:  # the date layer is optional for events: never lose the events
        log.warning("dates stage failed on %s: %s", article.id, exc)
        return ()
    return tuple(t for t in found if isinstance(t, TimeExpr))


def _event_date(ev: Event, dates: Sequence[TimeExpr]) -> EventDate | None:
    if ev.evidence is None:
        return None
    inside = [
        t
        for t in dates
        if ev.evidence.start <= t.start < ev.evidence.end and t.granularity != "duration"
    ]
    if not inside:
        return None
    order = {"day": 0, "month": 1, "interval": 2, "year": 3}
    best = min(inside, key=lambda t: (order.get(t.granularity, 4), t.start))
    return EventDate(best.text, best.value, best.granularity)


def _months(value: str) -> int | None:
    parts = value[:7].split("-")
    if len(parts) < 1 or not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
    return int(parts[0]) * 12 + month


def event_key(ev: Event) -> tuple[str, int, str]:
    """An event's identity within one article: type, sentence start and trigger."""
    return (ev.type, ev.evidence.start if ev.evidence else -1, ev.trigger or "")


def attach_dates(
    events: list[Event], article: Article, ongoing: frozenset[tuple[str, int, str]] = frozenset()
) -> list[Event]:
    """Give each event its sentence's date, or the narrative date of the event just before.

    Events in ``ongoing`` (by :func:`event_key`) are states a sentence presupposes ("met on 17
    September to end the blockade"): the sentence's date is when it was spoken of, not when
    the state began, so they take none.
    """
    dates = article_dates(article)
    out: list[Event] = []
    prev: Event | None = None
    for ev in events:
        if event_key(ev) in ongoing:
            out.append(ev)
            continue
        date = ev.date or _event_date(ev, dates)
        if (
            date is None
            and prev is not None
            and prev.date is not None
            and _adjacent(prev, ev)
            and _continues(article, ev)
        ):
            date = prev.date
        aux = ev.aux
        pub = _months(article.published or article.published_utc or "")
        when = _months(date.value) if date is not None else None
        if aux is None and pub is not None and when is not None and pub - when > HISTORICAL_MONTHS:
            aux = "historical"
        ev = dataclasses.replace(ev, date=date, aux=aux)
        out.append(ev)
        prev = ev
    return out


def _continues(article: Article, ev: Event) -> bool:
    """Whether the event's sentence says it came next ("après 24 heures", "then", "later")."""
    if ev.evidence is None:
        return False
    words = lang_data(article.language or "", "events").get("words", {}).get("sequence", [])
    text = f" {fold(article.body[ev.evidence.start : ev.evidence.end])} "
    return any(f" {fold(w)} " in text for w in words)


def _adjacent(a: Event, b: Event) -> bool:
    if a.evidence is None or b.evidence is None:
        return False
    return 0 <= b.evidence.start - a.evidence.end <= CARRY_GAP


def _near(a: Event, b: Event) -> bool:
    """Whether ``b`` is close enough after ``a`` to be a re-mention of it."""
    if a.evidence is None or b.evidence is None:
        return False
    return 0 <= b.evidence.start - a.evidence.end <= MERGE_GAP


def merge_anaphoric(events: list[Event], article: Article) -> list[Event]:
    """Fold participant-less re-mentions of an event into the earlier event of the same type."""
    dates = article_dates(article)
    out: list[Event] = []
    for ev in events:
        target = None
        if not ev.actors and not ev.recipients and ev.aux is None:
            target = next(
                (
                    i
                    for i in range(len(out) - 1, -1, -1)
                    if out[i].type == ev.type and _near(out[i], ev)
                ),
                None,
            )
        if target is None:
            out.append(ev)
            continue
        base = out[target]
        where = base.where + tuple(
            p for p in ev.where if p.text not in {w.text for w in base.where}
        )
        date = base.date or _event_date(base, dates) or _event_date(ev, dates)
        out[target] = dataclasses.replace(base, where=where, date=date)
    return out
