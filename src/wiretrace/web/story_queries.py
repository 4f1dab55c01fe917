"""Read-only queries behind story pages: articles, events, actors, quotes, provenance, coverage.

The story tables (:mod:`wiretrace.stories.schema`) are written by the stories package and may
not exist in a store built before stories ran: every query here checks for them and returns
nothing rather than failing. A story's headline is the title of its earliest report.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import Counter
from typing import Any

from ..store.sqlite import SQLiteStore
from ..textutil import fold
from .queries import Filters, _article_where, _event_summary, _rows, entity_key, has_table

SOURCE_ORDER = ("named", "institutional", "document", "outlet", "anonymous", "unknown")
# Story-article columns shown to readers (the rest are the clustering engine's internals).
_MEMBER_COLS = ("seq", "score")


def _ready(conn: sqlite3.Connection) -> bool:
    return has_table(conn, "stories") and has_table(conn, "story_articles")


def latest_stories(store: SQLiteStore, f: Filters) -> list[dict[str, Any]]:
    """Stories with the newest reports among the articles the filters select (none if no tables)."""
    conn = store.conn
    if not _ready(conn):
        return []
    where, args = _article_where(store, f)
    rows = conn.execute(
        "SELECT s.id, (SELECT title FROM articles WHERE id = s.first_article), count(a.id), "
        "min(coalesce(a.published_utc, a.published)), max(coalesce(a.published_utc, a.published)), "
        "group_concat(DISTINCT a.language), group_concat(DISTINCT a.outlet), s.first_article "
        "FROM stories s JOIN story_articles sa ON sa.story_id = s.id "
        f"JOIN articles a ON a.id = sa.article_id {where} "
        "GROUP BY s.id ORDER BY 5 DESC, s.id LIMIT ? OFFSET ?",
        [*args, f.limit, f.offset],
    ).fetchall()
    return [
        {"id": r[0], "headline": r[1], "first_article": r[7], "articles": r[2], "first": r[3],
         "last": r[4],
         "languages": sorted(filter(None, (r[5] or "").split(","))),
         "outlets": sorted(filter(None, (r[6] or "").split(",")))}
        for r in rows
    ]  # fmt: skip


def story(store: SQLiteStore, story_id: str) -> dict[str, Any] | None:
    """One story: its reports, merged events, actors, quotes by source type, provenance, tags."""
    conn = store.conn
    if not _ready(conn):
        return None
    head = _rows(conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)))
    if not head:
        return None
    meta = head[0]
    rows = conn.execute(
        "SELECT a.id, a.title, a.language, a.outlet, a.published, a.published_utc, a.url, "
        "a.record, sa.seq, sa.score FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
        "WHERE sa.story_id = ? ORDER BY coalesce(a.published_utc, a.published), sa.seq",
        (story_id,),
    ).fetchall()
    articles: list[dict[str, Any]] = []
    records: dict[str, dict[str, Any]] = {}
    for r in rows:
        records[r[0]] = json.loads(r[7])
        articles.append({"id": r[0], "title": r[1], "language": r[2], "outlet": r[3],
                         "published": r[4], "published_utc": r[5], "url": r[6], "seq": r[8],
                         "score": r[9], "original": r[0] == meta.get("first_article")})  # fmt: skip
    stamps = [a["published_utc"] or a["published"] for a in articles if a["published"]]
    first = records.get(meta.get("first_article") or "")
    return {
        "id": story_id,
        "headline": (first or {}).get("title") or (articles[0]["title"] if articles else ""),
        "story": meta,
        "first_report": min(stamps) if stamps else None,
        "last_report": max(stamps) if stamps else None,
        "languages": sorted({a["language"] for a in articles if a["language"]}),
        "articles": articles,
        "events": _story_events(conn, story_id, records),
        "actors": _actors(records),
        "quotes": _quotes(records),
        "provenance": _provenance(conn, story_id, articles, records),
        "tags": _tags(records),
    }


def _story_events(conn: sqlite3.Connection, story_id: str,
                  records: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:  # fmt: skip
    """Merged story events if the stories stage stored them, else each report's own events."""
    if has_table(conn, "story_events"):
        merged = []
        for key, typ, raw in conn.execute(
            "SELECT event_key, type, record FROM story_events WHERE story_id = ?", (story_id,)
        ):
            rec: dict[str, Any] = {}
            with contextlib.suppress(ValueError):
                rec = json.loads(raw)
            merged.append({"key": key, **_event_summary({"type": typ, **rec}), "record": rec})
        if merged:
            merged.sort(key=lambda e: (e.get("date") or "9999", e["key"]))
            return merged
    # No merged events stored: merge the reports' own events that agree on type, date and
    # participants, keeping every report that states them.
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    for aid, rec in records.items():
        outlet = (rec.get("outlet") or {}).get("name")
        for i, ev in enumerate(rec.get("events") or []):
            row = _event_summary(ev)
            key = (str(row["type"]), row["date"] or "", fold(row["actors"]),
                   fold(row["recipients"]), fold(row["place"]), row["aux"] or "")  # fmt: skip
            report = {"article_id": aid, "idx": i, "outlet": outlet,
                      "language": rec.get("language")}  # fmt: skip
            if key in groups:
                groups[key]["reports"].append(report)
            else:
                groups[key] = {**row, **report, "reports": [report]}
    return sorted(groups.values(), key=lambda e: (e.get("date") or "9999", -len(e["reports"])))


def _actors(records: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """People and organisations of the story with their roles and how many reports name them."""
    found: dict[str, dict[str, Any]] = {}
    for aid, rec in records.items():
        for ent in rec.get("entities") or []:
            if ent.get("type") not in ("person", "organisation"):
                continue
            key = entity_key(ent.get("canonical_id"), ent.get("name") or "")
            item = found.setdefault(key, {"key": key, "names": Counter(), "type": ent.get("type"),
                                          "country": ent.get("country"), "roles": {},
                                          "articles": set()})  # fmt: skip
            item["names"][ent.get("name")] += 1
            item["articles"].add(aid)
            for role in ent.get("roles") or []:
                item["roles"].setdefault(fold(role.get("text") or ""), role.get("text"))
    out = []
    for item in found.values():
        out.append({"key": item["key"], "name": item["names"].most_common(1)[0][0],
                    "type": item["type"], "country": item["country"],
                    "roles": [r for r in item["roles"].values() if r],
                    "reports": len(item["articles"])})  # fmt: skip
    out.sort(key=lambda a: (-a["reports"], a["name"]))
    return out


def _quotes(records: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Every quote of the story's reports, grouped by source type (named first)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for aid, rec in records.items():
        for i, q in enumerate(rec.get("quotes") or []):
            sp = q.get("speaker") or {}
            kind = "declined" if q.get("declined") else (sp.get("source_type") or "unknown")
            groups.setdefault(kind, []).append({
                "article_id": aid, "idx": i, "outlet": (rec.get("outlet") or {}).get("name"),
                "language": rec.get("language"), "content": q.get("content"),
                "kind": q.get("kind"), "speaker": sp.get("text"), "role": sp.get("role"),
                "source_type": sp.get("source_type"), "declined": bool(q.get("declined")),
            })  # fmt: skip
    order = {k: i for i, k in enumerate((*SOURCE_ORDER, "declined"))}
    return dict(sorted(groups.items(), key=lambda kv: order.get(kv[0], 99)))


_RELATION = {"republishes": "copy", "translates": "translation", "cites": "citation"}


def _attribution_edges(articles: list[dict[str, Any]],
                       records: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:  # fmt: skip
    """Edges read from the reports' own attribution lines ("according to Politico", "via X").

    Used when the provenance stage has not linked the story: each report's nearest credited
    outlet is matched (folded) to the earliest earlier report of that outlet in the story.
    """
    edges = []
    for a in articles:
        links = records[a["id"]].get("attribution") or []
        if not links:
            continue
        credited = fold(links[0].get("outlet") or "")
        when = a["published_utc"] or a["published"] or ""
        for b in articles:  # time order: the first match is the earliest
            outlet = fold(b["outlet"] or "")
            if b["id"] == a["id"] or not outlet or not credited:
                continue
            if (outlet in credited or credited in outlet) and (
                b["published_utc"] or b["published"] or ""
            ) <= when:
                edges.append({"from": b["id"], "to": a["id"],
                              "relation": _RELATION.get(links[0].get("relation"), "citation"),
                              "confidence": None, "method": "attribution",
                              "evidence": {"as_written": links[0].get("as_written")}})  # fmt: skip
                break
    return edges


def _provenance(conn: sqlite3.Connection, story_id: str, articles: list[dict[str, Any]],
                records: dict[str, dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    """The edges between the story's reports and the tree they form, earliest original first."""
    ids = {a["id"] for a in articles}
    edges: list[dict[str, Any]] = []
    if has_table(conn, "provenance_edges") and ids:
        for row in _rows(conn.execute(
            "SELECT src AS \"from\", dst AS \"to\", relation, confidence, evidence "
            "FROM provenance_edges WHERE story_id = ? ORDER BY src, dst",
            (story_id,),
        )):  # fmt: skip
            if row["from"] not in ids or row["to"] not in ids:
                continue
            ev = row.get("evidence")
            if isinstance(ev, str) and ev[:1] in "[{":
                with contextlib.suppress(ValueError):
                    row["evidence"] = json.loads(ev)
            edges.append({**row, "method": "provenance"})
    method = "provenance" if edges else "none"
    if not edges:
        edges = _attribution_edges(articles, records)
        method = "attribution" if edges else "none"
    by_id = {a["id"]: a for a in articles}
    children: dict[str, list[dict[str, Any]]] = {}
    has_parent: set[str] = set()
    for e in edges:
        children.setdefault(e["from"], []).append(e)
        has_parent.add(e["to"])

    def node(aid: str, via: dict[str, Any] | None, seen: frozenset[str]) -> dict[str, Any]:
        a = by_id[aid]
        kids = [
            node(e["to"], e, seen | {aid}) for e in children.get(aid, []) if e["to"] not in seen
        ]
        return {"article_id": aid, "title": a["title"], "outlet": a["outlet"],
                "language": a["language"], "published": a["published"],
                "relation": via.get("relation") if via else None,
                "confidence": via.get("confidence") if via else None, "children": kids}  # fmt: skip

    roots = [a["id"] for a in articles if a["id"] not in has_parent]
    return {"method": method, "edges": edges,
            "tree": [node(r, None, frozenset()) for r in roots]}  # fmt: skip


def _tags(records: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    for rec in records.values():
        counts.update(dict.fromkeys(rec.get("tags") or [], 1))
    return [{"tag": t, "reports": n} for t, n in counts.most_common(30)]


def stories_of_article(store: SQLiteStore, article_id: str) -> list[dict[str, Any]]:
    """The stories an article belongs to (empty if the story tables do not exist)."""
    conn = store.conn
    if not _ready(conn):
        return []
    return _rows(conn.execute(
        "SELECT s.id, (SELECT title FROM articles WHERE id = s.first_article) AS headline, "
        "s.size FROM story_articles sa JOIN stories s ON s.id = sa.story_id "
        "WHERE sa.article_id = ?",
        (article_id,),
    ))  # fmt: skip
