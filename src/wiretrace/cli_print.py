"""Readable terminal output for one article (``wiretrace show``) and one story (``wiretrace story``).

The JSON records carry everything; these functions lay out what a reader scans for first —
who said what, what happened, who copied whom — with full outlet names instead of internal keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Echo = Callable[[str], None]


def _names(parts: list[dict[str, Any]] | None) -> str:
    return "; ".join(str(p.get("text")) for p in parts or [] if p.get("text"))


def event_line(ev: dict[str, Any]) -> str:
    """One event as ``DATE TYPE actors -> recipients @ place``."""
    date = (ev.get("date") or {}).get("value") or "undated"
    aux = f" [{ev['aux']}]" if ev.get("aux") else ""
    line = f"{date:10}  {ev.get('type') or '?'}{aux}  {_names(ev.get('actors')) or '-'}"
    if ev.get("recipients"):
        line += f" -> {_names(ev['recipients'])}"
    if ev.get("where"):
        line += f" @ {_names(ev['where'])}"
    return line


def quote_line(q: dict[str, Any]) -> str:
    """One quote as ``speaker (source type): "content"``."""
    sp = q.get("speaker") or {}
    kind = "declined" if q.get("declined") else (sp.get("source_type") or "unknown")
    role = f", {sp['role']}" if sp.get("role") else ""
    return (
        f"{sp.get('text') or 'unattributed'} ({kind}{role}): \u201c{q.get('content') or ''}\u201d"
    )


def print_article(record: dict[str, Any], echo: Echo) -> None:
    """The article's header, body, then its quotes, events, figures, signals and tags."""
    echo(f"{record.get('title') or '(untitled)'}\n")
    outlet = record.get("outlet") or {}
    outlet_text = outlet.get("name") or outlet.get("domain")
    if outlet.get("name") and outlet.get("domain"):
        outlet_text = f"{outlet['name']} ({outlet['domain']})"
    meta = [("id", record.get("id")), ("language", record.get("language")),
            ("published", record.get("published")), ("published_utc", record.get("published_utc")),
            ("outlet", outlet_text), ("authors", ", ".join(record.get("authors") or [])),
            ("url", record.get("url")), ("source", record.get("source_path"))]  # fmt: skip
    for k, v in meta:
        if v:
            echo(f"{k:>14}: {v}")
    chain = " ← ".join(f"{a['outlet']} ({a['relation']})" for a in record.get("attribution") or [])
    if chain:
        echo(f"{'attribution':>14}: this page ← {chain}")
    signals = (record.get("derivative") or {}).get("signals") or []
    if signals:
        echo(f"{'signals':>14}: " + "; ".join(signals))
    echo("\n" + (record.get("body") or ""))
    _section(echo, "quotes", [quote_line(q) for q in record.get("quotes") or []])
    _section(echo, "events", [event_line(e) for e in record.get("events") or []])
    figures = [f"{f.get('text')}" + (f"  ({f['about']})" if f.get("about") else "")
               for f in record.get("figures") or []]  # fmt: skip
    _section(echo, "figures", figures)
    people = [f"{e.get('name')} ({e.get('type')}" + (f", {e['country']}" if e.get("country") else "")
              + f", {len(e.get('mentions') or [])}x)" for e in record.get("entities") or []]  # fmt: skip
    _section(echo, "entities", people)
    if record.get("tags"):
        echo("\ntags: " + ", ".join(record["tags"]))


def _section(echo: Echo, label: str, lines: list[str]) -> None:
    if not lines:
        return
    echo(f"\n{label} ({len(lines)}):")
    for line in lines:
        echo(f"  - {line}")


def print_story(rec: dict[str, Any], echo: Echo) -> None:
    """The story's reports in time order, provenance edges by outlet, merged events, signals."""
    arts = rec.get("articles") or []
    by_id = {a["id"]: a for a in arts}
    outlets = sorted({a["outlet"] for a in arts if a.get("outlet")})
    echo(f"story {rec['id']}: {len(arts)} report{'s' if len(arts) != 1 else ''} from "
         f"{len(outlets)} outlet{'s' if len(outlets) != 1 else ''} in "
         f"{', '.join(rec.get('languages') or []) or '?'}")  # fmt: skip
    first = by_id.get(rec.get("earliest") or "")
    if first:
        echo(f"first reported by {first.get('outlet') or 'an unknown outlet'} at "
             f"{first.get('published_utc') or first.get('published') or '?'}: {first['title']}")  # fmt: skip
    if rec.get("original_source"):
        echo(f"original source: {rec['original_source']}")
    echo("\nreports:")
    for a in arts:
        when = (a.get("published_utc") or a.get("published") or "")[:16]
        echo(f"  {a['id'][:8]}  {when:16}  {a.get('language') or '??'}  "
             f"{a.get('outlet') or 'unknown outlet'}: {a.get('title') or ''}")  # fmt: skip
        for signal in a.get("derivative") or []:
            echo(f"{'':12}signal: {signal}")

    def who(key: str) -> str:
        if key.startswith("outlet:"):
            return f"{key.removeprefix('outlet:')} (not in the store)"
        a = by_id.get(key)
        return f"{a.get('outlet') or 'unknown outlet'} [{key[:8]}]" if a else key[:8]

    edges = [f"{who(e['from'])} -> {who(e['to'])}: {e['relation']}"
             + (f" ({e['confidence']:.2f})" if isinstance(e.get("confidence"), float) else "")
             for e in rec.get("edges") or []]  # fmt: skip
    _section(echo, "provenance", edges)
    events = []
    for ev in rec.get("events") or []:
        reports = ev.get("reports") or []
        names = sorted({r.get("outlet") or "?" for r in reports})
        events.append(f"{event_line(ev)}  [{len(reports)} report{'s' if len(reports) != 1 else ''}:"
                      f" {', '.join(names)}]")  # fmt: skip
    _section(echo, "events", events)
