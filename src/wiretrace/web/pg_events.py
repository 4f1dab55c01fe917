"""Events filtered by place or actor on PostgreSQL, at a cost bounded whatever the corpus size.

A place named in a large share of the events ("Paris") matches through trigram posting lists
as long as the events table: the trigram index alone reads all of them before it returns one
row (hundreds of milliseconds at a million articles). So, as full-text search does
(``pg_search.py``), the matches are read in two steps of bounded cost, keys only:

1. the newest ``WALK`` events (of the type asked for), read from the ``events_walk_type`` or
   ``events_walk`` index alone, are tested against every filter on their stored folded columns
   (no function call per row); if that fills the page, the page is exact (the newest matches) and
   the counts by type count the matches of the walk: all of them up to :data:`EVENT_CAP`, and
   when fewer than that were found the total is "at least" (``total_exact`` false, the facets
   say how many were ``sampled``), since older events may match too;
2. otherwise fewer than one event in ``WALK / page end`` matches among the newest: the trigram
   (and type) indexes give every match, read as keys, and the newest ``EVENT_CAP + 1`` (or the
   page's end) are kept: the page is exact, and so is the total up to the cap.

Step 2's cost is that of the matches of a filter rare among the newest events; step 1's is
``WALK`` index entries (and the articles of the matches, joined for their filters).
"""

from __future__ import annotations

from typing import Any

from ..store.sqlite import SQLiteStore
from .queries import Filters, _rows

WALK = 10000  # newest events step 1 tests
EVENT_CAP = 1000  # events counted (total and counts by type) at most, as on SQLite
_KEYS = "e.article_id, e.idx, e.type, e.date_start"
_WALKED = "article_id, idx, type, date_start, date_end, place_folded, who_folded"


def events(
    store: SQLiteStore, f: Filters, where: str, args: list[Any], cols: str
) -> dict[str, Any]:
    """One page of events (columns ``cols``) for filters that include a place or an actor."""
    conn = store.conn
    need = max(EVENT_CAP + 1, f.offset + f.limit)
    join = f"JOIN articles a ON a.id = e.article_id {where}"
    typed = ("WHERE type = ?", [f.type]) if f.type else ("", [])
    with conn:  # SET LOCAL: the walk index in its order (index only), never a sort of all
        conn.execute("SET LOCAL enable_bitmapscan = off")
        conn.execute("SET LOCAL enable_sort = off")
        found = conn.execute(
            f"SELECT {_KEYS} FROM (SELECT {_WALKED} FROM events {typed[0]} "
            f"ORDER BY date_start DESC LIMIT {WALK}) e {join}",
            [*typed[1], *args],
        ).fetchall()
    # Fewer than ``need`` found: every match, if the walk read every event (a small table).
    sampled = (
        len(found) < need
        and conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM events {typed[0]} LIMIT {WALK + 1}) s", typed[1]
        ).fetchone()[0]
        > WALK
    )
    if len(found) < f.offset + f.limit:
        with conn:  # SET LOCAL: the bitmap of the trigram (and type) indexes, never a walk
            conn.execute("SET LOCAL enable_seqscan = off")
            conn.execute("SET LOCAL enable_indexscan = off")
            found = conn.execute(
                f"SELECT {_KEYS} FROM events e {join} ORDER BY e.date_start DESC, "
                f"e.article_id DESC, e.idx DESC LIMIT {need}", args).fetchall()  # fmt: skip
        sampled = False
    # Newest first, undated last; among equals by article and position (ctid is not stable).
    found.sort(key=lambda r: (r[0], r[1]), reverse=True)
    found.sort(key=lambda r: (r[3] is not None, r[3] or ""), reverse=True)
    page = found[f.offset : f.offset + f.limit]
    rows: list[dict[str, Any]] = []
    if page:
        # The page's keys as two arrays: one statement text whatever the page holds, parsed and
        # planned once a connection (a hundred pairs of placeholders cost the client 3.5 ms to
        # parse and the server 2.3 ms to plan at every request).
        got = _rows(conn.execute(
            f"SELECT {cols} FROM events e JOIN articles a ON a.id = e.article_id "
            "WHERE (e.article_id, e.idx) IN (SELECT * FROM unnest(?::text[], ?::int[]))",
            [[r[0] for r in page], [r[1] for r in page]]))  # fmt: skip
        by_key = {(r["article_id"], r["idx"]): r for r in got}
        rows = [by_key[(r[0], r[1])] for r in page if (r[0], r[1]) in by_key]
    counted = found[: EVENT_CAP + 1]
    types: dict[str, int] = {}
    for r in counted:
        types[r[2]] = types.get(r[2], 0) + 1
    types = dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0])))
    facets: dict[str, Any] = {"type": types}
    total = len(counted)
    if total > EVENT_CAP:
        total, facets["sampled"] = EVENT_CAP, EVENT_CAP
    elif sampled:  # the newest WALK events held these matches; older ones may match too
        facets["sampled"] = total
    return {"filters": f.to_json(), "total": total, "total_exact": "sampled" not in facets,
            "events": rows, "facets": facets}  # fmt: skip
