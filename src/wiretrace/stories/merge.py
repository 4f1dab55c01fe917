"""One event per happening: merge the events that several reports of a story extracted.

GDELT counts reports as events; here two events from different reports become one story event
when they have the same type, compatible actors and recipients (same entity ids, or same folded
and transliterated names, or same countries), compatible dates (equal, or one contains the
other: "2023-09" contains "2023-09-17") and compatible places. Missing slots are compatible with
anything, but two events must share at least one actor, recipient or place to be merged, so
that two unrelated CONSULT events of one story stay two. Each story event lists the reports
(article, outlet, language, evidence) that support it, so counts are events, not reports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Article, Event, EventDate, Evidence, Participant
from ..registry.actors import find_actor
from ..textutil import stable_id
from .cues import name_key

STAGE = "merge.v2"


@dataclass(frozen=True)
class Report:
    """One report supporting a story event."""

    article_id: str
    outlet: str | None
    language: str | None
    evidence: Evidence | None


@dataclass
class StoryEvent:
    """An event of a story, merged across the reports that tell it."""

    key: str
    type: str
    actors: list[Participant] = field(default_factory=list)
    recipients: list[Participant] = field(default_factory=list)
    where: list[Participant] = field(default_factory=list)
    date: EventDate | None = None
    reports: list[Report] = field(default_factory=list)

    @property
    def languages(self) -> list[str]:
        return sorted({r.language for r in self.reports if r.language})

    def to_json(self) -> dict[str, Any]:
        """The merged event as in the story JSON record."""

        def part(p: Participant) -> dict[str, Any]:
            return {"text": p.text, "entity_id": p.entity_id, "country": p.country}

        return {
            "id": self.key,
            "type": self.type,
            "actors": [part(p) for p in self.actors],
            "recipients": [part(p) for p in self.recipients],
            "where": [part(p) for p in self.where],
            "date": None
            if self.date is None
            else {"text": self.date.text, "value": self.date.value,
                  "granularity": self.date.granularity},
            "reports": [
                {"article_id": r.article_id, "outlet": r.outlet, "language": r.language,
                 "evidence": None if r.evidence is None
                 else {"start": r.evidence.start, "end": r.evidence.end,
                       "stage": r.evidence.stage}}
                for r in self.reports
            ],
        }  # fmt: skip


def _keys(p: Participant) -> set[str]:
    """Identity keys of a participant: entity id, and name keys of its words."""
    keys = {f"id:{p.entity_id}"} if p.entity_id else set()
    words = [w for w in re.findall(r"[^\W\d_]+", p.text) if len(w) > 2]
    keys.update(f"n:{name_key(w)}" for w in words if w[:1].isupper())
    if not keys and p.text.strip():
        keys.add(f"t:{name_key(p.text)}")
    return keys


def _countries(parts: Sequence[Participant]) -> set[str]:
    return {p.country for p in parts if p.country}


def _slot(a: Sequence[Participant], b: Sequence[Participant]) -> bool | None:
    """True (shared identity), False (both known, nothing shared) or None (one side empty)."""
    if not a or not b:
        return None
    ka = set().union(*(_keys(p) for p in a))
    kb = set().union(*(_keys(p) for p in b))
    if ka & kb:
        return True
    # Across languages the names differ ("American officials", "responsables américains") but
    # the states they stand for do not: mostly the same countries means the same parties.
    ca, cb = _countries(a), _countries(b)
    return bool(ca and cb and (ca <= cb or cb <= ca or len(ca & cb) * 2 >= max(len(ca), len(cb))))


def _dates_compatible(a: EventDate | None, b: EventDate | None) -> bool:
    if a is None or b is None:
        return True
    va, vb = a.value.split("/")[0], b.value.split("/")[0]
    return va.startswith(vb) or vb.startswith(va)


def _is_place(p: Participant) -> bool:
    """A registered city or region (not a country: states act and are acted upon)."""
    entry = find_actor(p.text)
    return entry is not None and entry.key.startswith("place:")


Slots = tuple[list[Participant], list[Participant], list[Participant]]


def _slots(e: Event) -> Slots:
    """Actors, recipients and places of an event; an actor or recipient that is a place is a
    place.

    Parsers disagree on "talks in Istanbul" and "conversaciones con Rusia en Estambul": the
    city lands in the recipient slot (or, in a language whose word order the patterns read less
    well, the actor slot) in some languages, which must not make the reports clash.
    """
    actors = [p for p in e.actors if not _is_place(p)]
    recipients = [p for p in e.recipients if not _is_place(p)]
    where = [*e.where, *(p for p in (*e.actors, *e.recipients) if _is_place(p))]
    return actors, recipients, where


def compatible(a: StoryEvent, e: Event, slots: Slots | None = None) -> bool:
    """Whether event ``e`` of another report is the same happening as story event ``a``.

    ``slots``: ``e``'s participants as :func:`_slots` sorts them, when already computed.
    """
    if a.type != e.type or not _dates_compatible(a.date, e.date):
        return False
    actors, recipients, where = _slots(e) if slots is None else slots
    agree = [_slot(a.actors, actors), _slot(a.recipients, recipients), _slot(a.where, where)]
    # Within one story, the same kind of event on the same stated day (or month: "the invasion
    # of February 2022", "the blockade since December 2022") is the same happening even when
    # one report names its parties differently (or not at all), unless both the parties and the
    # place disagree.
    if _same_date(a.date, e.date) and not (agree[0] is False and agree[2] is False):
        return True
    if any(s is False for s in agree[:2]):
        return False
    if agree[2] is False and not any(agree[:2]):
        return False
    return any(s is True for s in agree)


def _same_date(a: EventDate | None, b: EventDate | None) -> bool:
    return (
        a is not None
        and b is not None
        and a.granularity == b.granularity
        and a.granularity in ("day", "month")
        and a.value == b.value
    )


def _party_keys(p: Participant) -> set[str]:
    """What makes two actors (or two recipients) the same party for the merged list: a shared
    name or entity, or, across languages, the state they stand for ("USA", "США" and
    "Washington" are one party of a merged event, listed once under its first name). Places
    keep their own names: Istanbul and Ankara are two places of one country."""
    return _keys(p) | ({f"c:{p.country}"} if p.country else set())


def _absorb(target: StoryEvent, e: Event, report: Report, slots: Slots) -> None:
    actors, recipients, where = slots
    for mine, theirs, keys in ((target.actors, actors, _party_keys),
                               (target.recipients, recipients, _party_keys),
                               (target.where, where, _keys)):  # fmt: skip
        known = set().union(*(keys(p) for p in mine)) if mine else set()
        for p in theirs:
            if not keys(p) & known:
                mine.append(p)
                known |= keys(p)
    # Keep the most precise date ("2023-09-17" rather than "2023-09").
    if e.date is not None and (target.date is None or len(e.date.value) > len(target.date.value)):
        target.date = e.date
    if all(r.article_id != report.article_id for r in target.reports):
        target.reports.append(report)


def merge_events(articles: Sequence[Article]) -> list[StoryEvent]:
    """Story events merged from the events of the given reports (in publication order)."""
    ordered = sorted(articles, key=lambda a: (a.published_utc or a.published or "~", a.id))
    merged: list[StoryEvent] = []
    for art in ordered:
        for e in art.events:
            if e.aux in ("negated", "hypothetical", "future"):
                continue  # did not happen (yet): not an event to count
            if e.aux == "historical":
                continue  # background told for context: not on the story's own timeline
            report = Report(
                art.id, art.outlet.name if art.outlet else None, art.language, e.evidence
            )
            slots = _slots(e)  # once per event, not once per story event it is compared with
            for target in merged:
                if compatible(target, e, slots):
                    _absorb(target, e, report, slots)
                    break
            else:
                key = "e" + stable_id(art.id, e.type, str(e.evidence), e.trigger or "")
                fresh = StoryEvent(key=key, type=e.type, date=e.date)
                _absorb(fresh, e, report, slots)
                merged.append(fresh)
    return merged
