"""The top of a story page: headline, who reported first, what happened, who said what.

A reader opens a story to learn in one screen what happened, who broke it and how far it
spread; the inspection views (provenance tree, coverage, every event) follow below. Everything
here is derived from the story data :func:`.story_queries.story` already gathered, so the JSON
twin carries it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..story_lookup import speaker_key, story_quotes
from . import times
from .sentences import Sentences, evidence_spans, fact_anchor

# Events dated this many days before the first report are background, not the news (talks
# revealed two weeks later are the news; a war begun a year before is not).
BACKGROUND_DAYS = 60
_UNREAL = ("future", "hypothetical", "negated")


def headline(articles: Sequence[dict[str, Any]], reader: str) -> dict[str, Any]:
    """The earliest report's title in the reader's language, else the earliest report's."""
    pick = next((a for a in articles if a.get("language") == reader), None)
    if pick is None and articles:
        pick = articles[0]
    if pick is None:
        return {"text": "", "language": None, "article_id": None, "translated": False}
    return {"text": pick.get("title") or "", "language": pick.get("language"),
            "article_id": pick["id"], "in_reader_language": pick.get("language") == reader}  # fmt: skip


def spread(articles: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """First report (outlet, time) and how many outlets and languages followed, within how long."""
    if not articles:
        return {}
    first = articles[0]
    t0 = times.best(first.get("published"), first.get("published_utc"))
    outlets = {a.get("outlet") for a in articles if a.get("outlet")}
    later = [times.best(a.get("published"), a.get("published_utc")) for a in articles[1:]]
    hours = [h for h in (times.hours_between(t0, t) for t in later) if h is not None]
    return {
        "first": {
            "article_id": first["id"],
            "outlet": first.get("outlet"),
            "published": t0,
            "title": first.get("title"),
            "language": first.get("language"),
        },
        "reports": len(articles),
        "outlets": len(outlets),
        "other_outlets": len(outlets - {first.get("outlet")}),
        "languages": len({a.get("language") for a in articles if a.get("language")}),
        "within_hours": round(max(hours)) if hours else None,
    }


def _own_event(record: dict[str, Any], evidence: dict[str, Any] | None) -> dict[str, Any] | None:
    """The report's own event behind a merged event (same evidence span), in its language."""
    if not evidence:
        return None
    for ev in record.get("events") or []:
        e = ev.get("evidence") or {}
        if e.get("start") == evidence.get("start") and e.get("end") == evidence.get("end"):
            return dict(ev)
    return None


def _names(parts: Any, n: int = 3) -> str:
    if isinstance(parts, str):
        return parts
    return "; ".join(str(p.get("text")) for p in (parts or [])[:n] if p.get("text"))


def happenings(
    events: Sequence[dict[str, Any]], records: dict[str, dict[str, Any]],
    sentences: dict[str, Sentences], first_report: str | None, reader: str,
) -> dict[str, list[dict[str, Any]]]:  # fmt: skip
    """Merged story events split into the news (most-reported first) and background."""
    key: list[dict[str, Any]] = []
    background: list[dict[str, Any]] = []
    for ev in events:
        reports = ev.get("reports") or []
        if not reports:
            continue
        rep = next((r for r in reports if r.get("language") == reader), reports[0])
        own = _own_event(records.get(rep["article_id"], {}), rep.get("evidence")) or {}
        anchor = fact_anchor(own or {"evidence": rep.get("evidence")},
                             sentences[rep["article_id"]]) if rep["article_id"] in sentences else None  # fmt: skip
        item = {
            "key": ev.get("key") or ev.get("id"), "type": ev.get("type"), "date": ev.get("date"),
            "aux": own.get("aux") or ev.get("aux"),
            "actors": _names(own.get("actors")) if own else ev.get("actors"),
            "recipients": _names(own.get("recipients")) if own else ev.get("recipients"),
            # The report's own place, else the first place another report gives the happening.
            "place": (_names(own.get("where")) if own else "")
            or str(ev.get("place") or "").split("; ")[0],
            "language": records.get(rep["article_id"], {}).get("language"),
            "article_id": rep["article_id"], "anchor": anchor,
            "reports": len({r["article_id"] for r in reports}),
            "outlets": len({r.get("outlet") for r in reports if r.get("outlet")}),
            "evidence": [{"article_id": r["article_id"], "outlet": r.get("outlet"),
                          "language": r.get("language"), **(r.get("evidence") or {})}
                         for r in reports],
        }  # fmt: skip
        gap = times.hours_between(item["date"], (first_report or "")[:10]) if item["date"] else None
        old = gap is not None and gap > BACKGROUND_DAYS * 24
        if old or item["aux"] == "historical":
            background.append(item)
        elif item["aux"] not in _UNREAL:
            key.append(item)
    key.sort(key=lambda e: (-e["reports"], -e["outlets"], e["date"] or "9999"))
    background.sort(key=lambda e: e["date"] or "9999")
    return {"key": key, "background": background}


def speakers(
    records: Sequence[dict[str, Any]], edges: Sequence[dict[str, Any]],
    sentences: dict[str, Sentences],
) -> list[dict[str, Any]]:  # fmt: skip
    """Who said what: one entry per quote (with how many reports repeat it), by speaker."""
    groups: dict[str, dict[str, Any]] = {}
    by_id = {r["id"]: r for r in records}
    for q in story_quotes(records, edges):
        sp = q.get("speaker") or {}
        kind = "declined" if q.get("declined") else (sp.get("source_type") or "unknown")
        who = (
            speaker_key(sp, by_id.get(q["article_id"]))
            if sp.get("text") or sp.get("entity_id")
            else f"type:{kind}"
        )
        group = groups.setdefault(who, {"speaker": sp.get("text"), "source_type": kind,
                                        "role": sp.get("role"), "quotes": []})  # fmt: skip
        for r in q["reports"]:
            sents = sentences.get(r["article_id"])
            r["anchor"] = fact_anchor(r, sents) if sents else None
        group["quotes"].append({
            "content": q.get("content"), "kind": q.get("kind"), "declined": bool(q.get("declined")),
            "article_id": q["article_id"], "outlet": q.get("outlet"), "language": q.get("language"),
            "start": q.get("start"), "end": q.get("end"), "evidence": q.get("evidence"),
            "anchor": q["reports"][0]["anchor"], "repeated_by": len(q["reports"]),
            "reports": q["reports"],
        })  # fmt: skip
    out = list(groups.values())
    out.sort(key=lambda g: (g["source_type"] in ("unknown", "declined"),
                            -sum(q["repeated_by"] for q in g["quotes"])))  # fmt: skip
    return out


def sentence_index(records: dict[str, dict[str, Any]]) -> dict[str, Sentences]:
    """Each report's sentences, to point facts at their anchors."""
    return {aid: Sentences(r.get("body") or "", evidence_spans(r)) for aid, r in records.items()}
