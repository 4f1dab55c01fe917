"""Read-only queries behind story pages: articles, events, actors, quotes, provenance, coverage.

The story tables belong to the stories package and may not exist yet (a store built before
stories ran, or an older one): every query here checks for them and returns nothing rather
than failing. Column names are looked up, not assumed, so an additive change to those tables
does not break the pages.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import Counter
from typing import Any

from ..store.sqlite import SQLiteStore
from ..textutil import fold
from .queries import Filters, _event_summary, _rows, entity_key, has_table

SOURCE_ORDER = ("named", "institutional", "document", "outlet", "anonymous", "unknown")


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _pick(cols: list[str], *names: str) -> str | None:
    return next((n for n in names if n in cols), None)


def _ready(conn: sqlite3.Connection) -> bool:
    return has_table(conn, "stories") and has_table(conn, "story_articles")


def _story_id_col(conn: sqlite3.Connection) -> str:
    return _pick(_columns(conn, "stories"), "id", "story_id") or "rowid"


def _title_col(conn: sqlite3.Connection) -> str | None:
    return _pick(_columns(conn, "stories"), "headline", "title", "label", "name")


def latest_stories(store: SQLiteStore, f: Filters) -> list[dict[str, Any]]:
    """The stories with the newest reports among articles the filters select (none if no tables)."""
    conn = store.conn
    if not _ready(conn):
        return []
    from .queries import _article_where

    sid = _story_id_col(conn)
    sa = _columns(conn, "story_articles")
    sa_story = _pick(sa, "story_id", "story") or "story_id"
    sa_art = _pick(sa, "article_id", "article") or "article_id"
    where, args = _article_where(store, f)
    title = _title_col(conn)
    rows = conn.execute(
        f"SELECT s.{sid}, {'s.' + title if title else 'NULL'}, count(a.id), "
        "min(coalesce(a.published_utc, a.published)), max(coalesce(a.published_utc, a.published)), "
        "group_concat(DISTINCT a.language), group_concat(DISTINCT a.outlet), "
        "(SELECT a2.title FROM story_articles x JOIN articles a2 ON a2.id = x." + sa_art + " "
        f"WHERE x.{sa_story} = s.{sid} ORDER BY coalesce(a2.published_utc, a2.published) LIMIT 1) "
        f"FROM stories s JOIN story_articles sa ON sa.{sa_story} = s.{sid} "
        f"JOIN articles a ON a.id = sa.{sa_art} {where} "
        f"GROUP BY s.{sid} ORDER BY 5 DESC LIMIT ? OFFSET ?",
        [*args, f.limit, f.offset],
    ).fetchall()
    return [
        {"id": r[0], "headline": r[1] or r[7], "articles": r[2], "first": r[3], "last": r[4],
         "languages": sorted(filter(None, (r[5] or "").split(","))),
         "outlets": sorted(filter(None, (r[6] or "").split(",")))}
        for r in rows
    ]  # fmt: skip


def story(store: SQLiteStore, story_id: str) -> dict[str, Any] | None:
    """One story: its reports, merged events, actors, quotes by source type, provenance, tags."""
    conn = store.conn
    if not _ready(conn):
        return None
    sid = _story_id_col(conn)
    head = _rows(conn.execute(f"SELECT * FROM stories WHERE {sid} = ?", (story_id,)))
    if not head:
        return None
    meta = head[0]
    sa = _columns(conn, "story_articles")
    sa_story = _pick(sa, "story_id", "story") or "story_id"
    sa_art = _pick(sa, "article_id", "article") or "article_id"
    extra = [c for c in sa if c not in (sa_story, sa_art)]
    rows = conn.execute(
        "SELECT a.id, a.title, a.language, a.outlet, a.published, a.published_utc, a.url, a.record"
        + "".join(f", sa.{c}" for c in extra)
        + f" FROM story_articles sa JOIN articles a ON a.id = sa.{sa_art} "
        f"WHERE sa.{sa_story} = ? ORDER BY coalesce(a.published_utc, a.published), a.id",
        (story_id,),
    ).fetchall()
    articles: list[dict[str, Any]] = []
    records: dict[str, dict[str, Any]] = {}
    for r in rows:
        records[r[0]] = json.loads(r[7])
        item = {"id": r[0], "title": r[1], "language": r[2], "outlet": r[3], "published": r[4],
                "published_utc": r[5], "url": r[6]}  # fmt: skip
        item.update({c: v for c, v in zip(extra, r[8:], strict=True)})
        articles.append(item)
    title = _title_col(conn)
    stamps = [a["published_utc"] or a["published"] for a in articles if a["published"]]
    return {
        "id": story_id,
        "headline": (meta.get(title) if title else None)
        or (articles[0]["title"] if articles else ""),
        "story": meta,
        "first_report": min(stamps) if stamps else None,
        "last_report": max(stamps) if stamps else None,
        "languages": sorted({a["language"] for a in articles if a["language"]}),
        "articles": articles,
        "events": _story_events(conn, story_id, records),
        "actors": _actors(records),
        "quotes": _quotes(records),
        "provenance": _provenance(conn, story_id, articles),
        "tags": _tags(records),
    }


def _story_events(conn: sqlite3.Connection, story_id: str,
                  records: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:  # fmt: skip
    """Merged story events if the stories stage stored them, else each report's own events."""
    if has_table(conn, "story_events"):
        cols = _columns(conn, "story_events")
        key = _pick(cols, "story_id", "story") or "story_id"
        order = _pick(cols, "date_start", "date", "date_value", "first_seen") or "rowid"
        rows = _rows(conn.execute(
            f"SELECT * FROM story_events WHERE {key} = ? ORDER BY {order}", (story_id,)
        ))  # fmt: skip
        merged = []
        for row in rows:
            for k, v in list(row.items()):
                if isinstance(v, str) and v[:1] in "[{":
                    with contextlib.suppress(ValueError):
                        row[k] = json.loads(v)
            rec = row.pop("record", None)
            merged.append({**_event_summary(rec), **row} if isinstance(rec, dict) else row)
        if merged:
            return merged
    out = []
    for aid, rec in records.items():
        for i, ev in enumerate(rec.get("events") or []):
            out.append({"article_id": aid, "idx": i, "outlet": (rec.get("outlet") or {}).get("name"),
                        "language": rec.get("language"), **_event_summary(ev)})  # fmt: skip
    out.sort(key=lambda e: (e.get("date") or "9999", e["article_id"]))
    return out


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


def _provenance(conn: sqlite3.Connection, story_id: str,
                articles: list[dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    """The edges between the story's reports and the tree they form, earliest original first."""
    ids = {a["id"] for a in articles}
    edges: list[dict[str, Any]] = []
    if has_table(conn, "provenance_edges") and ids:
        cols = _columns(conn, "provenance_edges")
        src = _pick(cols, "from_id", "source_id", "src", "from_article", "parent_id") or "from_id"
        dst = _pick(cols, "to_id", "target_id", "dst", "to_article", "child_id") or "to_id"
        marks = ",".join("?" * len(ids))
        for row in _rows(conn.execute(
            f"SELECT * FROM provenance_edges WHERE {src} IN ({marks}) AND {dst} IN ({marks})",
            [*ids, *ids],
        )):  # fmt: skip
            row["from"], row["to"] = row.pop(src), row.pop(dst)
            ev = row.get("evidence")
            if isinstance(ev, str) and ev[:1] in "[{":
                with contextlib.suppress(ValueError):
                    row["evidence"] = json.loads(ev)
            edges.append(row)
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
    return {"edges": edges, "tree": [node(r, None, frozenset()) for r in roots]}


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
    sid = _story_id_col(conn)
    sa = _columns(conn, "story_articles")
    sa_story = _pick(sa, "story_id", "story") or "story_id"
    sa_art = _pick(sa, "article_id", "article") or "article_id"
    title = _title_col(conn)
    return _rows(conn.execute(
        f"SELECT s.{sid} AS id, {'s.' + title if title else 'NULL'} AS headline FROM stories s "
        f"JOIN story_articles sa ON sa.{sa_story} = s.{sid} WHERE sa.{sa_art} = ?",
        (article_id,),
    ))  # fmt: skip
