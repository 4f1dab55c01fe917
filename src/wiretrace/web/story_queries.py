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

from ..store.conn import has_table
from ..store.sqlite import SQLiteStore
from ..textutil import fold
from . import times
from .event_queries import event_summary
from .outlets import country, identities
from .queries import Filters, _article_where, _rows, entity_key
from .story_summary import happenings, headline, sentence_index, speakers, spread

SOURCE_ORDER = ("named", "institutional", "document", "outlet", "anonymous", "unknown")
# Story-article columns shown to readers (the rest are the clustering engine's internals).
_MEMBER_COLS = ("seq", "score")


def _ready(conn: sqlite3.Connection) -> bool:
    return has_table(conn, "stories") and has_table(conn, "story_articles")


def latest_stories(store: SQLiteStore, f: Filters, reader: str = "en") -> list[dict[str, Any]]:
    """Stories with the newest reports among the articles the filters select (none if no tables).

    Walks the selected articles newest first (the ``published`` index) and stops once enough
    distinct stories are found, so the cost follows the page size, not the corpus.
    """
    conn = store.conn
    if not _ready(conn):
        return []
    where, args = _article_where(store, f)
    wanted = f.offset + f.limit
    # A bounded walk, longer only while it finds too few stories: PostgreSQL's cursor reads a
    # whole result before the first row (every article of a million-article corpus: 1.6 s).
    limit = max(100, 10 * wanted)
    while True:
        rows = conn.execute(
            f"SELECT sa.story_id FROM articles a JOIN story_articles sa ON sa.article_id = a.id "
            f"{where} ORDER BY a.published DESC LIMIT ?",
            [*args, limit],
        ).fetchall()
        ids = list(dict.fromkeys(sid for (sid,) in rows))[:wanted]
        if len(ids) >= wanted or len(rows) < limit:
            break
        limit *= 8
    out = []
    for sid in ids[f.offset :]:
        r = conn.execute(
            "SELECT s.first_article, (SELECT title FROM articles WHERE id = s.first_article), "
            "count(a.id), min(a.published), max(a.published), group_concat(DISTINCT a.language), "
            "group_concat(DISTINCT a.outlet) FROM stories s "
            "JOIN story_articles sa ON sa.story_id = s.id JOIN articles a ON a.id = sa.article_id "
            "WHERE s.id = ? GROUP BY s.first_article",  # standard SQL: no bare column
            (sid,),
        ).fetchone()
        own = conn.execute(
            "SELECT a.title FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
            "WHERE sa.story_id = ? AND a.language = ? "
            "ORDER BY coalesce(a.published_utc, a.published), a.id LIMIT 1",
            (sid, reader),
        ).fetchone()
        # The same headline as the story page: the reader's language where a report has it.
        out.append({"id": sid, "headline": own[0] if own else r[1], "first_article": r[0],
                    "articles": r[2],
                    "first": r[3], "last": r[4],
                    "languages": sorted(filter(None, (r[5] or "").split(","))),
                    "outlets": sorted(filter(None, (r[6] or "").split(",")))})  # fmt: skip
    return out


def story(store: SQLiteStore, story_id: str, reader: str = "en") -> dict[str, Any] | None:
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
    names = identities(conn)
    for r in rows:
        records[r[0]] = json.loads(r[7])
        articles.append({"id": r[0], "title": r[1], "language": r[2], "outlet": names.name(r[3]),
                         "published": r[4], "published_utc": r[5], "url": r[6], "seq": r[8],
                         "score": r[9], "original": r[0] == meta.get("first_article")})  # fmt: skip
    articles.sort(key=_instant)
    stamps = [times.best(a["published"], a["published_utc"]) for a in articles if a["published"]]
    title = headline(articles, reader)
    events = _story_events(conn, story_id, records)
    provenance = _provenance(conn, story_id, articles, records)
    sents = sentence_index(records)
    ordered = [records[a["id"]] for a in articles]
    return {
        "id": story_id,
        "headline": title["text"],
        "headline_language": title["language"],
        "reader_language": reader,
        "story": meta,
        "first_report": stamps[0] if stamps else None,
        "last_report": stamps[-1] if stamps else None,
        "summary": spread(articles),
        "happenings": happenings(events, records, sents, stamps[0] if stamps else None, reader),
        "speakers": speakers(ordered, provenance["edges"], sents),
        "languages": sorted({a["language"] for a in articles if a["language"]}),
        "countries": dict(
            Counter(country(names, a["outlet"]) or "?" for a in articles).most_common()
        ),
        "articles": articles,
        "events": events,
        "actors": _actors(records),
        "quotes": _quotes(records),
        "provenance": provenance,
        "tags": _tags(records),
    }


def _instant(a: dict[str, Any]) -> tuple[str, str]:
    """Sort key placing reports on one UTC line (stamps without an offset as written)."""
    stamp = times.best(a.get("published"), a.get("published_utc")) or "~"
    return (times.machine(stamp) or stamp, a["id"])


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
            reports = rec.get("reports") or []
            merged.append({"key": key, **event_summary({"type": typ, **rec}), "reports": reports})
        if merged:
            merged.sort(key=lambda e: (e.get("date") or "9999", e["key"]))
            return merged
    # No merged events stored: merge the reports' own events that agree on type, date and
    # participants, keeping every report that states them.
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    for aid, rec in records.items():
        outlet = (rec.get("outlet") or {}).get("name")
        for i, ev in enumerate(rec.get("events") or []):
            row = event_summary(ev)
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
                "kind": q.get("kind"), "speaker": sp.get("text"), "role": _role(sp),
                "source_type": sp.get("source_type"), "declined": bool(q.get("declined")),
                "start": q.get("start"), "end": q.get("end"), "evidence": q.get("evidence"),
            })  # fmt: skip
    order = {k: i for i, k in enumerate((*SOURCE_ORDER, "declined"))}
    return dict(sorted(groups.items(), key=lambda kv: order.get(kv[0], 99)))


def _role(sp: dict[str, Any]) -> str | None:
    """The speaker's role unless the speaker text already says it ("an EU official", not
    "an EU official EU official")."""
    role, text = sp.get("role"), sp.get("text")
    if not role or (text and fold(role) in fold(text)):
        return None
    return str(role)


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
            external = str(row["from"]).startswith("outlet:")
            if row["to"] not in ids or (row["from"] not in ids and not external):
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
    return {"method": method, "edges": edges, "tree": _tree(articles, edges)}


# Which incoming edge places a report in the tree: reuse of text beats a mere citation.
_TREE_RANK = {"copy": 3, "translation": 2, "rewrite": 1, "citation": 0}


def _tree(articles: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reports as a forest: each under its strongest source, cited outside outlets as roots."""
    by_id = {a["id"]: a for a in articles}
    parent: dict[str, dict[str, Any]] = {}
    for e in edges:
        best = parent.get(e["to"])
        rank = (_TREE_RANK.get(e["relation"], 0), e.get("confidence") or 0.0)
        if best is None or rank > (
            _TREE_RANK.get(best["relation"], 0),
            best.get("confidence") or 0.0,
        ):
            parent[e["to"]] = e
    children: dict[str, list[dict[str, Any]]] = {}
    for e in parent.values():
        children.setdefault(e["from"], []).append(e)
    also: dict[str, list[dict[str, Any]]] = {}
    for e in edges:
        if parent.get(e["to"]) is not e:
            src = by_id.get(e["from"])
            name = src["outlet"] if src else str(e["from"]).removeprefix("outlet:")
            also.setdefault(e["to"], []).append({"relation": e["relation"], "source": name,
                                                 "article_id": e["from"] if src else None})  # fmt: skip

    def node(key: str, via: dict[str, Any] | None, seen: frozenset[str]) -> dict[str, Any]:
        kids = [
            node(e["to"], e, seen | {key}) for e in children.get(key, []) if e["to"] not in seen
        ]
        kids.sort(key=lambda n: n.get("published") or "")
        a = by_id.get(key)
        if a is None:  # an outlet the reports cite but that is not in the store
            return {"article_id": None, "outlet": key.removeprefix("outlet:"), "external": True,
                    "relation": None, "confidence": None, "children": kids}  # fmt: skip
        return {"article_id": key, "title": a["title"], "outlet": a["outlet"],
                "language": a["language"], "published": a["published"],
                "relation": via.get("relation") if via else None,
                "confidence": via.get("confidence") if via else None,
                "also": also.get(key, []), "children": kids}  # fmt: skip

    roots = [a["id"] for a in articles if a["id"] not in parent]
    roots += sorted({e["from"] for e in parent.values() if e["from"] not in by_id})
    return [node(r, None, frozenset()) for r in roots]


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
