"""The store on both backends: idempotent upserts keyed by content, full-text search, listing;
SQLite's own migrations table and journal mode."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import FIXTURES
from wiretrace.ingest import IngestOptions, ingest
from wiretrace.model import Article, Entity, Span
from wiretrace.store import SearchQuery, open_store
from wiretrace.store.migrations import CORE
from wiretrace.store.sqlite import SQLiteStore
from wiretrace.textutil import fold


@pytest.fixture
def store(any_db: str) -> Iterator[SQLiteStore]:
    """A fresh store, once on SQLite and once on PostgreSQL (a schema of its own)."""
    opened = open_store(any_db)
    try:
        yield opened
    finally:
        opened.close()


# The four pages of tests/fixtures (the folder also holds data files of other tests).
PAGES = [str(FIXTURES / n) for n in ("de_dump.txt", "en_page.html", "es_dump.txt", "uk_dump.txt")]


def _opts() -> IngestOptions:
    return IngestOptions(analyze=False)


def test_migrations_are_recorded_once_in_order(db_path: Path) -> None:
    open_store(db_path).close()
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    names = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
    assert names[: len(CORE)] == [name for name, _ in CORE]
    assert len(names) == len(set(names))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reingesting_the_same_files_changes_nothing(store: SQLiteStore) -> None:
    first = ingest(PAGES, store, _opts())
    assert first.new == 4 and first.failed == 0
    before = store.conn.execute(
        "SELECT id, record, ingested_at FROM articles ORDER BY id"
    ).fetchall()
    second = ingest(PAGES, store, _opts())
    assert (second.new, second.unchanged, second.updated) == (0, 4, 0)
    after = store.conn.execute(
        "SELECT id, record, ingested_at FROM articles ORDER BY id"
    ).fetchall()
    assert before == after
    assert store.conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 4


def test_upsert_reports_new_unchanged_and_updated(store: SQLiteStore) -> None:
    art = Article(id="a1", title="T", body="Some body text.", language="en")
    assert store.upsert([art]) == ["new"]
    assert store.upsert([art]) == ["unchanged"]
    richer = Article(id="a1", title="T", body="Some body text.", language="en", tags=("x",))
    assert store.upsert([richer]) == ["updated"]
    got = store.get("a1")
    assert got is not None and got.tags == ("x",)
    assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_full_text_search_folds_accents_and_snippets(store: SQLiteStore) -> None:
    ingest(PAGES, store, _opts())
    hits = store.search(SearchQuery(text="economia"))
    assert hits == [] or all(h.row.language == "es" for h in hits)
    hits = store.search(SearchQuery(text="Lokführergewerkschaft"))
    assert [h.row.language for h in hits] == ["de"]
    assert "[" in hits[0].snippet
    hits = store.search(SearchQuery(text="interes"))  # interés, accent folded
    assert [h.row.language for h in hits] == ["es"]


def test_search_by_entity_uses_aliases_across_languages(store: SQLiteStore) -> None:
    putin = "person:vladimir-putin"
    fr = Article(
        id="fr1",
        title="Fr",
        body="Poutine a parlé.",
        language="fr",
        entities=(
            Entity(
                "e1",
                "Vladimir Poutine",
                "person",
                "RU",
                mentions=(Span("Poutine", 0, 7),),
                canonical_id=putin,
            ),
        ),
    )
    uk = Article(
        id="uk1",
        title="Uk",
        body="Путін виступив.",
        language="uk",
        entities=(
            Entity(
                "e1",
                "Путін",
                "person",
                "RU",
                mentions=(Span("Путін", 0, 5),),
                canonical_id=putin,
                aliases=("Putin",),
            ),
        ),
    )
    other = Article(id="de1", title="De", body="Scholz sprach.", language="de")
    store.upsert([fr, uk, other])
    ids = sorted(h.row.id for h in store.search(SearchQuery(entity="Putin")))
    assert ids == ["fr1", "uk1"]


def test_stored_alias_of_spellings_that_fold_alike_is_the_entitys_name(
    store: SQLiteStore,
) -> None:
    # Spellings that fold to one key keep one row; the entity's own name must be that row in
    # every process (the aliases were once written from a set, whose order follows the hash
    # seed: 'Nigéria' in one run, 'Nigeria' in the next).
    names = ["Nigéria", "Québec", "Zürich", "Kyjiw", "São Tomé"]
    entities = []
    for i, name in enumerate(names):
        variants = (name.upper(), name.lower(), fold(name).title())
        entities.append(
            Entity(
                f"e{i}",
                name,
                "location",
                None,
                mentions=tuple(Span(v, 0, len(v)) for v in variants),
                canonical_id=f"place:{i}",
                aliases=(fold(name),),
            )
        )
    art = Article(id="a1", title="T", body="x", language="fr", entities=tuple(entities))
    store.upsert([art])
    for i, name in enumerate(names):
        rows = store.conn.execute(
            "SELECT alias FROM entity_aliases WHERE canonical_id = ?", (f"place:{i}",)
        ).fetchall()
        assert [r[0] for r in rows] == [name]


def test_list_orders_newest_first_and_resolves_short_ids(store: SQLiteStore) -> None:
    ingest(PAGES, store, _opts())
    rows = store.list()
    dates = [r.published or "" for r in rows]
    assert len(rows) == 4
    assert store.resolve_id(rows[0].id[:6]) == rows[0].id
    assert store.resolve_id("zzzz") is None
    assert dates[0] >= dates[-1] or not dates[-1]


def test_search_filters_by_publication_range_inclusive(store: SQLiteStore) -> None:
    ingest(PAGES, store, _opts())
    langs = [
        h.row.language
        for h in store.search(SearchQuery(date_from="2024-01-10", date_to="2024-01-10"))
    ]
    assert langs == ["de"]  # published 2024-01-10T06:45:00+01:00: the end day is included
    assert store.search(SearchQuery(date_from="2030-01-01")) == []
