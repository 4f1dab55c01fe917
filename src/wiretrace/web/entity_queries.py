"""Read-only queries behind entity pages: one person, place or organisation across articles.

An entity is keyed by its cross-article identity (registry key) or, without one, its folded
name; any alias in any language resolves to that key. Roles, quotes and events are read from
the article records so each carries the article, outlet and date it came from.
"""

from __future__ import annotations

import json
from typing import Any

from ..store.sqlite import SQLiteStore
from ..textutil import fold
from .event_queries import event_summary
from .sentences import Sentences, evidence_spans, fact_anchor


def resolve_entity(store: SQLiteStore, key: str) -> str | None:
    """The canonical key for a URL key: itself if known, else the entity one alias names."""
    conn = store.conn
    if conn.execute(
        "SELECT 1 FROM entities WHERE canonical_id = ? OR (canonical_id IS NULL AND folded = ?) "
        "LIMIT 1",
        (key, key),
    ).fetchone():
        return key
    found = store.entity_canonicals(key)
    return found[0] if found else None


def entity(store: SQLiteStore, key: str, max_articles: int = 200) -> dict[str, Any] | None:
    """Everything known about one entity across articles and languages, newest reports last."""
    canon = resolve_entity(store, key)
    if canon is None:
        return None
    conn = store.conn
    rows = conn.execute(
        "SELECT e.article_id, e.entity_id, e.name, e.type, e.country, e.mentions, a.language, "
        "a.published, a.outlet, a.title, a.record FROM entities e "
        "JOIN articles a ON a.id = e.article_id "
        "WHERE e.canonical_id = ? OR (e.canonical_id IS NULL AND e.folded = ?) "
        "ORDER BY coalesce(a.published_utc, a.published), a.id LIMIT ?",
        (canon, canon, max_articles),
    ).fetchall()
    aliases: dict[str, set[str]] = {}
    for (alias,) in conn.execute(
        "SELECT alias FROM entity_aliases WHERE canonical_id = ? ORDER BY alias", (canon,)
    ):
        aliases.setdefault(alias, set())
    names: dict[str, int] = {}
    types: dict[str, int] = {}
    countries: set[str] = set()
    articles: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    quotes_by: list[dict[str, Any]] = []
    quotes_about: list[dict[str, Any]] = []
    found_events: list[dict[str, Any]] = []
    for art_id, ent_id, name, etype, country, mentions, lang, published, outlet, title, rec in rows:
        names[name] = names.get(name, 0) + mentions
        types[etype or "other"] = types.get(etype or "other", 0) + 1
        if country:
            countries.add(country)
        where = {"article_id": art_id, "title": title, "language": lang, "outlet": outlet,
                 "published": published}  # fmt: skip
        record = json.loads(rec)
        ent = next((e for e in record.get("entities", []) if e.get("id") == ent_id), None) or {}
        sents = Sentences(record.get("body") or "", evidence_spans(record))
        articles.append({**where, "name": name, "mentions": mentions,
                         "anchor": fact_anchor(ent, sents)})  # fmt: skip
        spans = [(m["start"], m["end"]) for m in ent.get("mentions", [])]
        folded = {fold(name), *(fold(m.get("text", "")) for m in ent.get("mentions", []))}
        for m in ent.get("mentions", []):
            aliases.setdefault(m.get("text", name), set()).add(lang or "?")
        aliases.setdefault(name, set()).add(lang or "?")
        for role in ent.get("roles", []):
            roles.append({**where, "role": role.get("text"), "start": role.get("start"),
                          "end": role.get("end"), "anchor": fact_anchor(role, sents)})  # fmt: skip
        for i, q in enumerate(record.get("quotes", [])):
            sp = q.get("speaker") or {}
            item = {**where, "idx": i, "content": q.get("content"), "kind": q.get("kind"),
                    "speaker": sp.get("text"), "source_type": sp.get("source_type"),
                    "declined": bool(q.get("declined")), "start": q.get("start"),
                    "end": q.get("end"), "evidence": q.get("evidence"),
                    "anchor": fact_anchor(q, sents)}  # fmt: skip
            if sp.get("entity_id") == ent_id or fold(sp.get("text") or "") in folded:
                quotes_by.append(item)
            elif any(q["start"] <= s and e <= q["end"] for s, e in spans):
                quotes_about.append(item)
        for i, ev in enumerate(record.get("events", [])):
            people = [*ev.get("actors", []), *ev.get("recipients", []), *ev.get("where", [])]
            if any(p.get("entity_id") == ent_id or fold(p.get("text") or "") in folded
                   for p in people):  # fmt: skip
                found_events.append({**where, "idx": i, **event_summary(ev),
                                     "anchor": fact_anchor(ev, sents)})  # fmt: skip
    if not rows:
        return None
    return {
        "key": canon,
        "name": max(names, key=lambda n: (names[n], -len(n))),
        "type": max(types, key=lambda t: types[t]),
        "countries": sorted(countries),
        "aliases": [{"alias": a, "languages": sorted(ls)} for a, ls in sorted(aliases.items())],
        "articles": articles,
        "roles": roles,
        "quotes_by": quotes_by,
        "quotes_about": quotes_about,
        "events": found_events,
    }
