"""Event table queries behind /events, its CSV and JSONL downloads, and event summaries.

Filters come from :func:`.queries.parse_filters`; actor, recipient and place match any stored
name of the entity asked for, accent- and case-insensitively, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..store.sqlite import SQLiteStore
from . import pg_events
from .outlets import has_column
from .queries import LIKE_SPECIAL, Filters, _rows, ensure_functions, names_of, outlet_condition

SQ = "''"  # an empty SQL string


def event_where(f: Filters, store: SQLiteStore | None = None) -> tuple[str, list[Any]]:
    conds: list[str] = []
    args: list[Any] = []
    if f.type:
        conds.append("e.type = ?")
        args.append(f.type)
    pg = getattr(store, "pg", None) is not None
    # Folded when stored (migration 0006); a store read-only since before it folds per row.
    stored = store is not None and has_column(store.conn, "events", "place_folded")
    for col, value in (("e.actors || ' ' || e.recipients", f.actor), ("e.place", f.place)):
        if value:
            names = names_of(store, value)
            folded = "e.place_folded" if col == "e.place" else "e.who_folded"
            if pg:  # through the trigram index, or tested on the newest events (pg_events)
                test = f"{folded} LIKE '%' || ? || '%'"
                args += [LIKE_SPECIAL.sub(r"\\\g<0>", n) for n in names]
            else:
                test = f"instr({folded if stored else f'wt_fold(coalesce({col}, {SQ}))'}, ?) > 0"
                args += names
            conds.append("(" + " OR ".join(test for _ in names) + ")")
    if f.entity and store is not None:
        cond, cargs = store.entity_condition(f.entity)
        conds.append(cond)
        args += cargs
    if f.language:
        conds.append("a.language = ?")
        args.append(f.language)
    if f.outlet:
        conds.append(outlet_condition(store, f.outlet, args))
    if f.date_from:
        conds.append("e.date_end >= ?")
        args.append(f.date_from)
    if f.date_to:
        conds.append("substr(e.date_start, 1, ?) <= ?")
        args += [len(f.date_to), f.date_to]
    return ("WHERE " + " AND ".join(conds)) if conds else "", args


_EVENT_COLS = (
    "e.article_id, e.idx, e.type, e.mode, e.aux, e.actors, e.recipients, e.place, "
    "e.date_value AS date, e.evidence_start, e.evidence_end, a.title, a.language, a.outlet, "
    "a.published, CASE WHEN e.evidence_start IS NOT NULL THEN substr(json_extract(a.record, "
    "'$.body'), e.evidence_start + 1, e.evidence_end - e.evidence_start) END AS sentence"
)


# Newest events first, undated last: the ``events_date`` index yields this order directly, so a
# page of a large table costs its page size rather than a sort of every event.
_EVENT_ORDER = "e.date_start DESC, e.rowid DESC"
EVENT_CAP = pg_events.EVENT_CAP  # events counted (total and counts by type) at most


def events(store: SQLiteStore, f: Filters) -> dict[str, Any]:
    """One page of the event table the filters select, with the total and counts by type."""
    ensure_functions(store.conn)
    where, args = event_where(f, store)
    if getattr(store, "pg", None) is not None and (f.place or f.actor):
        return pg_events.events(store, f, where, args, _EVENT_COLS)
    base = f"FROM events e JOIN articles a ON a.id = e.article_id {where}"
    rows = _rows(
        store.conn.execute(
            f"SELECT {_EVENT_COLS} {base} ORDER BY {_EVENT_ORDER} LIMIT ? OFFSET ?",
            [*args, f.limit, f.offset],
        )
    )
    # Counting needs the articles only when a filter is on them (saves a join per event), and
    # stops past EVENT_CAP: counting every event of a common filter would cost more than the page.
    join = "JOIN articles a ON a.id = e.article_id" if f.language or f.outlet or f.entity else ""
    counted = (f"(SELECT e.type FROM events e {join} {where} ORDER BY e.date_start DESC "
               f"LIMIT {EVENT_CAP + 1}) AS capped")  # the newest, as pg_events counts  # fmt: skip
    types = dict(
        store.conn.execute(
            f"SELECT type, count(*) FROM {counted} GROUP BY 1 ORDER BY 2 DESC, 1", args
        ).fetchall()
    )
    total = sum(types.values())
    facets: dict[str, Any] = {"type": types}
    if total > EVENT_CAP:
        total, facets["sampled"] = EVENT_CAP, EVENT_CAP
    return {"filters": f.to_json(), "total": total, "total_exact": "sampled" not in facets,
            "events": rows, "facets": facets}  # fmt: skip


def iter_events(store: SQLiteStore, f: Filters) -> Iterator[dict[str, Any]]:
    """Every event the filters select (no paging), for CSV / JSONL downloads."""
    ensure_functions(store.conn)
    where, args = event_where(f, store)
    cur = store.conn.execute(
        f"SELECT {_EVENT_COLS} FROM events e JOIN articles a ON a.id = e.article_id {where} "
        f"ORDER BY {_EVENT_ORDER}",
        args,
    )
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row, strict=True))


def event_summary(ev: Mapping[str, Any]) -> dict[str, Any]:
    """An event record flattened to the columns the tables show."""

    def names(key: str) -> str:
        items = ev.get(key) or []
        if isinstance(items, (str, dict)):
            items = [items]
        return "; ".join(str(p.get("text") or "") if isinstance(p, dict) else str(p) for p in items)

    date = ev.get("date") or {}
    if not isinstance(date, dict):
        date = {"value": str(date)}
    evidence = ev.get("evidence") or {}
    if not isinstance(evidence, dict):
        evidence = {}
    return {
        "type": ev.get("type"),
        "mode": ev.get("mode"),
        "aux": ev.get("aux"),
        "actors": names("actors"),
        "recipients": names("recipients"),
        "place": names("where"),
        "date": date.get("value"),
        "evidence_start": evidence.get("start"),
        "evidence_end": evidence.get("end"),
    }
