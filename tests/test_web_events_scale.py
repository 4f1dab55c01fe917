"""Event filters at scale: folded places and actors stored (migration 0006, on stores made before
it too), PostgreSQL's bounded two-step read giving SQLite's answers, and outlet domains stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from wiretrace.model import Article, Event, EventDate, Outlet, Participant
from wiretrace.store import open_store
from wiretrace.textutil import fold
from wiretrace.web import event_queries, outlets, pg_events
from wiretrace.web.event_queries import events
from wiretrace.web.queries import Filters

MIGRATION = "0006_events_folded_outlet_domain"


def _article(i: int) -> Article:
    """Article ``i``: one event on day ``i`` (no ties), in Paris but every 10th in Lyon."""
    place = "Lyon" if i % 10 == 0 else "Paris"
    day = f"2023-{1 + i // 28:02d}-{1 + i % 28:02d}"
    ev = Event(type="FIGHT" if i % 4 == 0 else "MEET",
               actors=(Participant("Émile Zola" if i % 3 == 0 else "Jean Jaurès"),),
               recipients=(Participant("Société Générale"),), where=(Participant(place),),
               date=EventDate(day, day, "day"))  # fmt: skip
    return Article(id=f"a{i:03d}", title=f"Report {i}", body=f"Report {i} from {place}.",
                   language="fr", published=f"{day}T10:00:00", url=f"https://ex.org/{i}",
                   outlet=Outlet(f"Outlet {i % 3}", f"outlet{i % 3}.example"),
                   events=(ev,))  # fmt: skip


def _store(db: str, n: int = 60) -> None:
    store = open_store(db)
    store.upsert([_article(i) for i in range(n)])
    store.close()


def _before_0006(db: str) -> None:
    """The store as a version before migration 0006 left it (columns, indexes, record gone)."""
    if db.startswith("postgresql"):
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute("ALTER TABLE events DROP COLUMN place_folded, DROP COLUMN who_folded")
            conn.execute("ALTER TABLE articles DROP COLUMN outlet_domain")  # (and its indexes)
            conn.execute("DELETE FROM _migrations WHERE name = ANY(%s)",
                         ([MIGRATION, "pg_0005_events_walk"],))  # fmt: skip
        return
    conn = sqlite3.connect(db)
    for sql in ("DROP INDEX events_folded", "DROP INDEX articles_outlet_domain",
                "DROP INDEX events_type_folded",
                "ALTER TABLE events DROP COLUMN place_folded",
                "ALTER TABLE events DROP COLUMN who_folded",
                "ALTER TABLE articles DROP COLUMN outlet_domain"):  # fmt: skip
        conn.execute(sql)
    conn.execute(
        "DELETE FROM _migrations WHERE name IN (?, ?)", (MIGRATION, "0007_events_type_folded")
    )
    conn.commit()
    conn.close()


def _page(db: str, **kw: object) -> dict[str, object]:
    store = open_store(db, readonly=True)
    try:
        data = events(store, Filters(**kw))  # type: ignore[arg-type]
    finally:
        store.close()
    return {"ids": [e["article_id"] for e in data["events"]], "total": data["total"],
            "exact": data["total_exact"], "types": data["facets"]["type"]}  # fmt: skip


QUERIES = [
    {"place": "lyon"},
    {"place": "PARIS", "limit": 5},
    {"place": "paris", "type": "FIGHT", "limit": 4},
    {"actor": "emile zola", "limit": 3},
    {"actor": "societe", "place": "lyon"},
    {"place": "lyon", "offset": 2, "limit": 2},
    {"place": "nowhere"},
]


def test_stores_before_the_migration_get_folded_columns_and_outlet_domains(any_db: str) -> None:
    _store(any_db, 12)
    before = [_page(any_db, **q) for q in QUERIES]
    _before_0006(any_db)
    open_store(any_db).close()  # a writable open applies migration 0006 to the rows there
    store = open_store(any_db, readonly=True)
    rows = store.conn.execute(
        "SELECT place, actors, recipients, place_folded, who_folded FROM events"
    ).fetchall()
    assert len(rows) == 12
    for place, actors, recipients, place_folded, who_folded in rows:
        assert place_folded == fold(place) and who_folded == fold(f"{actors} {recipients}")
    domains = dict(store.conn.execute("SELECT outlet, outlet_domain FROM articles").fetchall())
    assert domains == {f"Outlet {i}": f"outlet{i}.example" for i in range(3)}
    assert outlets.identities(store.conn).info["Outlet 1"]["domain"] == "outlet1.example"
    if not any_db.startswith("postgresql"):
        index = "SELECT 1 FROM sqlite_master WHERE name = 'events_type_folded'"
        assert store.conn.execute(index).fetchone()
    if any_db.startswith("postgresql"):  # the walk's indexes are back
        names = {r[0] for r in store.conn.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'events' "
            "AND schemaname = current_schema()").fetchall()}  # fmt: skip
        assert {"events_walk", "events_walk_type", "events_place_folded"} <= names
        assert "events_type_date" not in names
    store.close()
    assert [_page(any_db, **q) for q in QUERIES] == before


def test_a_read_only_sqlite_store_from_before_the_migration_still_filters(tmp_path: Path) -> None:
    db = str(tmp_path / "old.db")
    _store(db, 12)
    before = [_page(db, **q) for q in QUERIES]
    _before_0006(db)
    assert [_page(db, **q) for q in QUERIES] == before  # folded per row, as before
    store = open_store(db, readonly=True)
    assert outlets.identities(store.conn).info["Outlet 2"]["domain"] == "outlet2.example"
    store.close()


def test_postgresql_bounded_event_reads_give_sqlite_answers(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lite = str(tmp_path / "lite.db")
    _store(lite)
    _store(pg_url)
    # A small cap and walk, so 60 events take every path: the walk alone (Paris, newest
    # first), the index after a short walk (Lyon: all 6), and the index stopped at its limit.
    for module in (pg_events, event_queries):
        monkeypatch.setattr(module, "EVENT_CAP", 7)
    monkeypatch.setattr(pg_events, "WALK", 5)
    for q in QUERIES:
        pg, lite_page = _page(pg_url, **q), _page(lite, **q)
        assert pg["ids"] == lite_page["ids"], q  # the page is exact on every path
        if pg["exact"]:
            assert pg == lite_page, q
        else:  # a sample: never more than SQLite counts
            assert int(pg["total"]) <= int(lite_page["total"]), q  # type: ignore[call-overload]
    lyon = _page(pg_url, place="lyon")
    assert lyon["total"] == 6 and lyon["exact"] and lyon["ids"][0] == "a050"
    # The walk fills the page: exact, and the total is what the walk found, "at least".
    paris = _page(pg_url, place="paris", limit=3)
    assert paris["ids"] == ["a059", "a058", "a057"] and paris["total"] == 5
    assert not paris["exact"]
    zola = _page(pg_url, actor="zola", limit=3)  # one in the walk: the index, newest first
    assert zola["ids"] == ["a057", "a054", "a051"] and zola["total"] == 7 and not zola["exact"]
    monkeypatch.setattr(pg_events, "WALK", 5000)  # the walk holds every event
    for q in QUERIES:
        assert _page(pg_url, **q) == _page(lite, **q), q
