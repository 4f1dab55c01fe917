"""Queries over extracted facts (quotes, events) with the filters users ask for.

"All anonymous sources in articles about Karabakh" is a quotes query filtered by source type and
by a full-text match on the article; "every CONSULT with Russia in Istanbul in September 2023" is
an events query. Each row carries its evidence (article id and sentence span) and stage version.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from ..textutil import fold
from .sqlite import _fts_query


@dataclass(frozen=True)
class FactFilter:
    about: str | None = None  # full-text query on the article (title and body)
    source_type: str | None = None
    declined: bool | None = None
    speaker: str | None = None
    event_type: str | None = None
    actor: str | None = None
    recipient: str | None = None
    place: str | None = None
    date_from: str | None = None  # event date range (ISO), overlap semantics
    date_to: str | None = None
    include_unrealised: bool = False  # negated / hypothetical / future events
    language: str | None = None
    limit: int = 1000


def _about(f: FactFilter, conds: list[str], args: list[Any], col: str) -> None:
    if f.about:
        conds.append(f"{col} IN (SELECT article_id FROM articles_fts WHERE articles_fts MATCH ?)")
        args.append(_fts_query(f.about))
    if f.language:
        conds.append(f"{col} IN (SELECT id FROM articles WHERE language = ?)")
        args.append(f.language)


def quotes(conn: sqlite3.Connection, f: FactFilter) -> list[dict[str, Any]]:
    """Quotes matching the filter, with their article, speaker, source type and evidence."""
    conds: list[str] = []
    args: list[Any] = []
    _about(f, conds, args, "q.article_id")
    if f.source_type:
        conds.append("q.source_type = ?")
        args.append(f.source_type)
    if f.declined is not None:
        conds.append("q.declined = ?")
        args.append(int(f.declined))
    where = ("WHERE " + " AND ".join(conds)) if conds else ""
    rows = conn.execute(
        "SELECT q.article_id, q.idx, a.title, a.language, a.published, a.record "
        f"FROM quotes q JOIN articles a ON a.id = q.article_id {where} "
        "ORDER BY a.published, q.article_id, q.idx LIMIT ?",
        [*args, f.limit],
    ).fetchall()
    out: list[dict[str, Any]] = []
    for art_id, idx, title, lang, published, record in rows:
        q = json.loads(record)["quotes"][idx]
        if f.speaker and fold(f.speaker) not in fold(q["speaker"].get("text") or ""):
            continue
        out.append({"article_id": art_id, "title": title, "language": lang,
                    "published": published, **q})  # fmt: skip
    return out


def events(conn: sqlite3.Connection, f: FactFilter) -> list[dict[str, Any]]:
    """Events matching the filter, one row per event, with evidence and resolved participants."""
    conds: list[str] = []
    args: list[Any] = []
    _about(f, conds, args, "e.article_id")
    if f.event_type:
        conds.append("e.type = ?")
        args.append(f.event_type.upper())
    if not f.include_unrealised:
        conds.append("(e.aux IS NULL OR e.aux = 'historical')")
    if f.date_from:
        conds.append("e.date_end >= ?")
        args.append(f.date_from)
    if f.date_to:
        conds.append("e.date_start <= ?")
        args.append(f.date_to)
    where = ("WHERE " + " AND ".join(conds)) if conds else ""
    rows = conn.execute(
        "SELECT e.article_id, a.title, a.language, a.published, a.outlet, e.record "
        f"FROM events e JOIN articles a ON a.id = e.article_id {where} "
        "ORDER BY e.date_start, a.published, e.article_id, e.idx LIMIT ?",
        [*args, f.limit],
    ).fetchall()
    out: list[dict[str, Any]] = []
    for art_id, title, lang, published, outlet, record in rows:
        ev = json.loads(record)
        if not (
            _participant_match(ev.get("actors", []), f.actor)
            and _participant_match(ev.get("recipients", []), f.recipient)
            and _participant_match(ev.get("where", []), f.place)
        ):
            continue
        out.append({"article_id": art_id, "title": title, "language": lang,
                    "published": published, "outlet": outlet, **ev})  # fmt: skip
    return out


def _participant_match(parts: list[dict[str, Any]], wanted: str | None) -> bool:
    """Folded substring match on text, or exact match on country code or entity id."""
    if not wanted:
        return True
    w = fold(wanted)
    for p in parts:
        if w in fold(p.get("text") or "") or w == fold(p.get("country") or ""):
            return True
        if p.get("entity_id") and w == fold(p["entity_id"]):
            return True
    return False


EVENT_COLUMNS = ("article_id", "published", "language", "outlet", "type", "mode", "context", "aux",
                 "actors", "actor_countries", "recipients", "recipient_countries", "where",
                 "date", "date_granularity", "trigger", "evidence_start", "evidence_end",
                 "evidence_text", "stage")  # fmt: skip


def event_row(ev: dict[str, Any], body: str) -> dict[str, Any]:
    """Flatten one event for CSV: participants joined with "; ", evidence sentence included."""
    evid = ev.get("evidence") or {}
    date = ev.get("date") or {}

    def names(key: str) -> str:
        return "; ".join(p.get("text") or "" for p in ev.get(key, []))

    def countries(key: str) -> str:
        return "; ".join(p.get("country") or "" for p in ev.get(key, []))

    start, end = evid.get("start"), evid.get("end")
    return {
        "article_id": ev["article_id"], "published": ev.get("published"),
        "language": ev.get("language"), "outlet": ev.get("outlet"), "type": ev["type"],
        "mode": ev.get("mode"), "context": "; ".join(ev.get("context") or []),
        "aux": ev.get("aux"), "actors": names("actors"), "actor_countries": countries("actors"),
        "recipients": names("recipients"), "recipient_countries": countries("recipients"),
        "where": names("where"), "date": date.get("value"),
        "date_granularity": date.get("granularity"), "trigger": ev.get("trigger"),
        "evidence_start": start, "evidence_end": end,
        "evidence_text": body[start:end] if start is not None and end is not None else None,
        "stage": evid.get("stage"),
    }  # fmt: skip
