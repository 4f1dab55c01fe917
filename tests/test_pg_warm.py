"""A PostgreSQL server warms up before its first readers: the page cache (pg_prewarm, a
migration that degrades where the extension is missing) and each pooled connection.

Against the local PostgreSQL, each test in a schema of its own (``pg_url``, dropped after).
"""

from __future__ import annotations

import psycopg
import pytest

from conftest import PG_BASE
from wiretrace.model import Article, Outlet
from wiretrace.store import open_store, pg_prewarm
from wiretrace.store.pg_migrations import optional_extension
from wiretrace.web import search_queries
from wiretrace.web.queries import parse_filters

WORDS = {"en": "officials talks agreement border energy minister summit",
         "fr": "responsables négociations accord frontière énergie ministre sommet"}  # fmt: skip


def _filled(url: str, n: int = 300) -> None:
    store = open_store(url)
    arts = []
    for i in range(n):
        lang = "en" if i % 2 else "fr"
        words = WORDS[lang].split()
        place = ["Istanbul", "Geneva", "Vienna"][i % 3]
        body = f"{words[i % 7]} {words[(i + 3) % 7]} in {place}. " + " ".join(words)
        arts.append(Article(id=f"w{i:04d}", title=f"{place}: {words[i % 7]}", body=body,
                            language=lang, published=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                            outlet=Outlet(f"Outlet {i % 5}"), url=f"https://example.org/{i}"))  # fmt: skip
    store.upsert(arts)
    store.close()


def test_a_missing_extension_leaves_the_migration_going() -> None:
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        notes: list[str] = []
        conn.add_notice_handler(lambda d: notes.append(str(d.message_primary)))
        with conn.transaction():
            conn.execute(optional_extension("wt_no_such_extension").encode())
            assert conn.execute("SELECT 1").fetchone() == (1,)  # the transaction goes on
        assert any("wt_no_such_extension not created" in n for n in notes)
        gone = "SELECT 1 FROM pg_extension WHERE extname = 'wt_no_such_extension'"
        assert conn.execute(gone).fetchone() is None


def test_prewarm_reads_the_hot_relations_within_its_budget(pg_url: str) -> None:
    _filled(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        assert pg_prewarm.extension_schema(conn) == "public"  # pg_0010_prewarm made it
        hot = pg_prewarm.hot_relations(conn)
        names = [name for name, _ in hot]
        assert names[:2] == ["articles_published_desc", "articles_pool"]
        parts = [n for n in names if n.startswith("articles_fts_tsv_")]
        assert parts and "articles_fts_tsv_other" in parts  # every language part of the index
        assert names.index(parts[0]) == names.index("articles_fts_tsv") + 1
        done = pg_prewarm.prewarm(conn)
        assert [d[0] for d in done] == names  # a small store fits: all of it, in that order
        assert sum(d[1] for d in done) == sum(size for _, size in hot) > 0
        # A budget: the relations in order while they fit, then the first pages of the next.
        budget = hot[0][1] + hot[1][1] + 8192
        part = pg_prewarm.prewarm(conn, budget)
        assert [d[0] for d in part] == names[:3] and part[2][1] == 8192 < hot[2][1]
        assert pg_prewarm.budget_bytes(conn) > 0


def test_prewarm_without_the_extension_does_nothing(pg_url: str) -> None:
    _filled(pg_url, 20)

    class NoExtension:  # the catalog as a server without pg_prewarm answers
        def __init__(self, conn: psycopg.Connection) -> None:
            self.conn = conn

        def execute(self, sql: str, args: object = None) -> psycopg.Cursor:
            sql = sql.replace("e.extname = 'pg_prewarm'", "e.extname = 'wt_absent'")
            assert "pg_prewarm(" not in sql
            return self.conn.execute(sql, args)  # type: ignore[arg-type]

    with psycopg.connect(pg_url, autocommit=True) as conn:
        assert pg_prewarm.prewarm(NoExtension(conn)) == []


def test_a_server_warms_each_pooled_connection_before_it_serves(
    pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    from wiretrace.web.guard import PGReaderPool
    from wiretrace.web.pg_warm import warm_connection

    _filled(pg_url)
    pool = PGReaderPool(pg_url, 2, warm=warm_connection)
    try:
        pool.wait()
        seen = set()
        for _ in range(4):
            with pool.store() as store:
                raw = store.pg.raw  # type: ignore[attr-defined]
                seen.add(id(raw))
                assert raw.prepare_threshold == 5  # the default again after the warm-up
                assert raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
                prepared = store.conn.execute(
                    "SELECT statement FROM pg_prepared_statements"
                ).fetchall()
                # The search's steps were prepared by the warm-up, before any request.
                text = "\n".join(r[0] for r in prepared)
                assert "WITH m AS MATERIALIZED" in text  # the index step
                assert "CROSS JOIN LATERAL" in text  # the walk of the newest articles
                assert getattr(raw, "_wt_parts", None)  # the language parts, looked up
                got = search_queries.search(store, parse_filters({"q": "Istanbul"}, limit=20))
                assert got["total"] > 0
        assert len(seen) == 2
        assert not [r for r in caplog.records if "warming" in r.getMessage()]  # no step failed
    finally:
        pool.close()


def test_warming_a_connection_never_fails_it(pg_url: str) -> None:
    from wiretrace.web.pg_warm import warm_connection

    with psycopg.connect(pg_url, autocommit=True) as raw:  # no tables at all: every step fails
        warm_connection(pg_url, raw)
        assert raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        assert raw.execute("SELECT 1").fetchone() == (1,)
    open_store(pg_url).close()  # an empty store: nothing to warm on
    with psycopg.connect(pg_url, autocommit=True) as raw:
        warm_connection(pg_url, raw)
        assert raw.prepare_threshold == 5


def test_the_web_server_on_postgresql_starts_both(pg_url: str) -> None:
    import warnings

    from starlette.testclient import TestClient

    from wiretrace.web.app import create_app

    warnings.filterwarnings("ignore", message=".*httpx.*")
    _filled(pg_url)
    app = create_app(pg_url, base_url="http://localhost")
    app.state.prewarm.join(60)
    assert not app.state.prewarm.is_alive()
    with TestClient(app, base_url="http://localhost") as c:
        assert c.get("/search.json?q=Istanbul").json()["total"] > 0
    cold = create_app(pg_url, base_url="http://localhost", warm=False)
    assert cold.state.prewarm is None
    with TestClient(cold, base_url="http://localhost") as c:
        assert c.get("/search.json?q=Istanbul").json()["total"] > 0


@pytest.mark.parametrize("words", ["Istanbul officials", "frontera délégation"])
def test_warm_and_cold_connections_answer_alike(pg_url: str, words: str) -> None:
    from wiretrace.store.postgres import PostgresStore
    from wiretrace.web.pg_warm import warm_connection

    _filled(pg_url)
    answers = []
    for warm in (False, True):
        with psycopg.connect(pg_url, autocommit=True) as raw:
            if warm:
                warm_connection(pg_url, raw)
            store = PostgresStore.over(pg_url, raw)
            answers.append(search_queries.search(store, parse_filters({"q": words}, limit=20)))
    assert answers[0] == answers[1]
