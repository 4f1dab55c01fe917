"""Where an event happened when its clause does not say: a place its sentence names.

The parse reads places off the event's own clause ("met in Istanbul"); languages without a
parser, and clauses whose place sits elsewhere in the sentence ("In Kherson, shelling killed
..."), get the place entities of the event's sentence that are not already its actors or
recipients. Nothing outside the sentence is taken, so no place is invented.
"""

from __future__ import annotations

import dataclasses

from wiretrace.model import Article, Event, Participant
from wiretrace.textutil import fold


def sentence_places(article: Article, start: int, end: int) -> list[tuple[int, Participant]]:
    """(offset, place) for each place entity mentioned between ``start`` and ``end``."""
    out: list[tuple[int, Participant]] = []
    for ent in article.entities:
        if ent.type != "place":
            continue
        for m in ent.mentions:
            if start <= m.start and m.end <= end:
                out.append((m.start, Participant(m.text, entity_id=ent.id, country=ent.country)))
                break
    return sorted(out, key=lambda p: p[0])


def with_place(ev: Event, article: Article) -> Event:
    """The event, with the places of its sentence when it has none of its own."""
    if ev.where or ev.evidence is None:
        return ev
    taken = {p.entity_id for p in (*ev.actors, *ev.recipients) if p.entity_id}
    names = {fold(p.text) for p in (*ev.actors, *ev.recipients)}
    where: list[Participant] = []
    for _, place in sentence_places(article, ev.evidence.start, ev.evidence.end):
        name = fold(place.text)
        if place.entity_id in taken or any(name in n or n in name for n in names):
            continue
        if all(fold(w.text) != name for w in where):
            where.append(place)
    return dataclasses.replace(ev, where=tuple(where)) if where else ev
