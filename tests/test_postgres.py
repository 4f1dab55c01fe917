"""The PostgreSQL store against the real local server: same answers as SQLite, exact copies,
several writers on one corpus.

Every test runs in a schema of its own (see ``pg_url`` in conftest) that is dropped afterwards;
the store and CLI tests run once per backend through the ``any_db`` fixture.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from conftest import FIXTURES, PG_BASE, ROOT, pg_schema_url
from test_web import corpus
from wiretrace.cli import cli
from wiretrace.corpus import story_record, update_stories
from wiretrace.model import to_json
from wiretrace.store import SearchQuery, open_store
from wiretrace.store.copy import table_names
from wiretrace.store.dialect import translate
from wiretrace.store.facts import FactFilter, events, quotes

DEMO = ROOT / "src" / "wiretrace" / "demo" / "corpus"
# The four pages of tests/fixtures (the folder also holds data files of other tests).
PAGES = [str(FIXTURES / n) for n in ("de_dump.txt", "en_page.html", "es_dump.txt", "uk_dump.txt")]


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def test_sqlite_statements_are_translated_for_postgresql() -> None:
    assert translate("SELECT a FROM t WHERE b = ? AND c LIKE '50%?'") == (
        "SELECT a FROM t WHERE b = %s AND c LIKE '50%%?'"
    )
    assert translate("INSERT OR IGNORE INTO tags VALUES (?, ?)").endswith("ON CONFLICT DO NOTHING")
    upsert = translate("INSERT OR REPLACE INTO s VALUES (?, ?)", ("key", "key,value"))
    assert upsert.endswith('ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"')
    ordered = translate("SELECT x FROM t ORDER BY coalesce(a, b) DESC, id LIMIT ?")
    assert "coalesce(a, b) DESC NULLS LAST, id NULLS FIRST LIMIT %s" in ordered
    assert "strpos(" in translate("SELECT instr(a, ?) FROM t")
    assert "((a.record)::jsonb #>> '{body}')" in translate(
        "SELECT json_extract(a.record, '$.body')"
    )
    assert "tsv @@ to_tsquery" in translate("SELECT 1 FROM articles_fts WHERE articles_fts MATCH ?")


def test_the_store_answers_alike_on_both_backends(any_db: str) -> None:
    store = open_store(any_db)
    try:
        arts = corpus()
        assert store.upsert(arts) == ["new"] * 4
        assert store.upsert(arts) == ["unchanged"] * 4
        changed = type(arts[0])(**{**arts[0].__dict__, "title": "Envoy met officials again"})
        assert store.upsert([changed]) == ["updated"]
        assert store.get_json("fr1") == json.loads(json.dumps(to_json(arts[1])))
        assert store.resolve_id("uk") == "uk1" and store.resolve_id("zz") is None

        def hits(text: str, **kw: Any) -> set[str]:
            return {h.row.id for h in store.search(SearchQuery(text=text, **kw))}

        assert hits("Istanbul") == {"en1", "fr1"}
        assert hits("khovaiev") == {"fr1"}  # accents and case folded
        assert hits("Стамбулі") == {"uk1"}
        assert hits("talk*") == {"en1"}
        assert hits('"talks were useful"') == {"en1"}
        assert hits("Istanbul NOT secret") == {"fr1"}
        assert hits("Стамбулі OR again") == {"uk1", "en1"}
        assert hits("Istanbul", language="fr") == {"fr1"}
        assert {h.row.id for h in store.search(SearchQuery(entity="Poutine"))} == set()
        assert {h.row.id for h in store.search(SearchQuery(entity="Ігор Ховаєв"))} == {
            "en1", "fr1", "uk1"
        }  # fmt: skip
        anon = quotes(store.conn, FactFilter(about="Istanbul", source_type="anonymous"))
        assert [q["article_id"] for q in anon] == ["en1"]
        assert {e["article_id"] for e in events(store.conn, FactFilter(place="istanbul"))} == {
            "en1", "fr1"
        }  # fmt: skip
        stats = store.stats()
        assert stats["articles"] == 4 and stats["languages"] == {"en": 2, "fr": 1, "uk": 1}
        assert [r.id for r in store.list()] == ["evil1", "fr1", "uk1", "en1"]
    finally:
        store.close()


def test_the_cli_works_alike_on_both_backends(any_db: str) -> None:
    code, out = _run("ingest", "--db", any_db, "--no-analyze", "--no-stories", *PAGES)
    assert code == 0 and "4 new" in out
    code, out = _run("ingest", "--db", any_db, "--no-analyze", "--no-stories", *PAGES)
    assert "4 unchanged" in out
    rows = [json.loads(line) for line in _run("list", "--db", any_db, "--json")[1].splitlines()]
    de = next(r for r in rows if r["language"] == "de")
    shown = json.loads(_run("show", "--db", any_db, de["id"][:8], "--json")[1])
    assert shown["id"] == de["id"] and shown["body"]
    assert de["id"][:8] in _run("search", "--db", any_db, "Streik")[1]
    # $WIRETRACE_DB names the database (a URL stays a URL) when --db is not given.
    stats = json.loads(_run("stats", "--json", env={"WIRETRACE_DB": any_db})[1])
    assert stats["articles"] == 4
    code, out = _run("search", "--db", any_db, '"Streik')
    assert code != 0 and "quote" in out and "fts5" not in out


def _tables(location: str) -> dict[str, list[tuple[Any, ...]]]:
    store = open_store(location, readonly=True)
    try:
        out = {}
        for table in table_names(store):
            cur = store.conn.execute(f"SELECT * FROM {table}")
            cols = [d[0] for d in cur.description or []]
            keep = [i for i, c in enumerate(cols) if c != "tsv"]
            rows = [tuple(bytes(r[i]) if isinstance(r[i], memoryview) else r[i] for i in keep)
                    for r in cur.fetchall()]  # fmt: skip
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        store.close()


def test_copy_moves_a_corpus_to_postgresql_and_back_exactly(tmp_path: Path, pg_url: str) -> None:
    first = str(tmp_path / "first.db")
    store = open_store(first)
    store.upsert(corpus())
    store.record_failure("bad.html", 3, "no text")
    update_stories(store)
    story_id = store.conn.execute("SELECT story_id FROM story_articles WHERE article_id = 'fr1'")
    sid = story_id.fetchone()[0]
    expected = story_record(store, sid)
    store.close()
    code, out = _run("copy", first, pg_url)
    assert code == 0 and "articles 4" in out and "stories" in out
    code, out = _run("copy", pg_url, str(tmp_path / "back.db"))
    assert code == 0
    original, back = _tables(first), _tables(str(tmp_path / "back.db"))
    assert original == back and original["story_articles"] and original["failures"]
    pg = open_store(pg_url, readonly=True)
    try:
        assert story_record(pg, sid) == expected
        assert pg.get_json("en1") == open_store(first, readonly=True).get_json("en1")
    finally:
        pg.close()
    code, out = _run("copy", first, pg_url)  # never merges into a corpus
    assert code != 0 and "already holds articles" in out


def test_the_seed_page_gives_the_same_records_on_both_backends(
    seed_path: Path, tmp_path: Path, pg_url: str
) -> None:
    lite = str(tmp_path / "seed.db")
    for db in (lite, pg_url):
        code, out = _run("ingest", "--db", db, str(seed_path))
        assert code == 0 and "1 new" in out, out
    aid = json.loads(_run("list", "--db", lite, "--json")[1].splitlines()[0])["id"]
    assert _run("show", "--db", lite, aid, "--json") == _run("show", "--db", pg_url, aid, "--json")
    sid = json.loads(_run("stories", "--db", lite, "--json")[1].splitlines()[0])["id"]
    story_lite = _run("story", "--db", lite, sid, "--json")
    assert story_lite[0] == 0 and story_lite == _run("story", "--db", pg_url, sid, "--json")


def _partition(url: str) -> list[list[str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT story_id, article_id FROM story_articles ORDER BY article_id"
        ).fetchall()
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM articles_fts), "
            "(SELECT count(DISTINCT article_id) FROM story_articles)"
        ).fetchone()
    assert counts is not None and counts[0] == counts[1] == counts[2] == len(rows)
    stories: dict[str, list[str]] = {}
    for story, article in rows:
        stories.setdefault(story, []).append(article)
    return sorted(stories.values())


def test_two_ingest_processes_on_one_corpus_end_with_one_processs_stories(pg_url: str) -> None:
    files = sorted(str(p) for p in DEMO.iterdir())[:12]
    cmd = [sys.executable, "-c", "from wiretrace.cli import main; main()", "ingest",
           "--no-analyze", "--db"]  # fmt: skip
    # Both write every article, in opposite orders, at the same time.
    procs = [subprocess.Popen([*cmd, pg_url, *order], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
             for order in (files, files[::-1])]  # fmt: skip
    outs = [p.communicate(timeout=600)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    news = sum(int(out.split(" new")[0].split()[-1]) for out in outs)
    assert news == 12, outs  # each article stored once, by whichever process came first
    single = "wt_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {single}")
    try:
        one = subprocess.run([*cmd, pg_schema_url(single), *files], capture_output=True,
                             text=True, timeout=600, check=True)  # fmt: skip
        assert "12 new" in one.stdout
        assert _partition(pg_url) == _partition(pg_schema_url(single))
    finally:
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {single} CASCADE")


def test_sqlite_files_are_untouched_by_the_postgresql_path(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    conn.close()


def test_the_web_pages_answer_alike_on_both_backends(tmp_path: Path, pg_url: str) -> None:
    import warnings

    from starlette.testclient import TestClient

    from wiretrace.web.app import create_app

    warnings.filterwarnings("ignore", message=".*httpx.*")
    lite = str(tmp_path / "web.db")
    answers = []
    for db in (lite, pg_url):
        store = open_store(db)
        store.upsert(corpus())
        update_stories(store)
        store.close()
        with TestClient(create_app(db, base_url="http://localhost"),
                        base_url="http://localhost") as c:  # fmt: skip
            got = {}
            for path in ("/index.json", "/search.json?q=Istanbul", "/search.json?q=khovaiev",
                         "/events.json", "/article/fr1.json", "/entity/istanbul.json",
                         "/search.json?q=Istanbul&language=fr&from=2023-10"):  # fmt: skip
                resp = c.get(path)
                assert resp.status_code == 200, (db, path, resp.text[:200])
                got[path] = resp.json()
            sid = got["/index.json"]["stories"][0]["id"]
            got["story"] = c.get(f"/story/{sid}.json").json()
            for page in ("/", "/search?q=Istanbul", "/events", f"/story/{sid}", "/article/en1"):
                assert c.get(page).status_code == 200, (db, page)
            assert c.get("/events.csv").text.count("\n") == 4
            assert c.get("/search.json", params={"q": "NEAR("}).status_code == 400
        for path in [p for p in got if p.startswith("/search")]:
            for hit in got[path]["hits"]:  # each engine ranks and cuts snippets its own way
                hit.pop("snippet"), hit.pop("score", None)
            got[path]["hits"].sort(key=lambda h: h["id"])
            for group in got[path].get("groups", []):
                group["hits"].sort()
        answers.append(got)
    assert answers[0] == answers[1]
    hits = answers[1]["/search.json?q=khovaiev"]["hits"]  # accents folded on both
    assert [h["id"] for h in hits] == ["fr1"]


def test_a_slow_postgresql_query_is_cancelled_at_the_time_limit(pg_url: str) -> None:
    from wiretrace.web.guard import PGReaderPool, TooSlow

    open_store(pg_url).close()
    pool = PGReaderPool(pg_url, 1, time_limit=0.2)
    try:
        with pytest.raises(TooSlow), pool.store() as store:
            store.conn.execute("SELECT pg_sleep(2)")
        with pool.store() as store:  # the connection is usable again
            assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    finally:
        pool.close()


def test_a_search_naming_a_language_matches_the_stems_of_its_words(pg_url: str) -> None:
    from starlette.testclient import TestClient

    from wiretrace.model import Article
    from wiretrace.web.app import create_app

    store = open_store(pg_url)
    try:
        store.upsert([
            Article(id="en2", title="Talks", language="en",
                    body="The negotiations were running late, officials said."),
            Article(id="fr2", title="Pourparlers", language="fr",
                    body="Les négociations continuaient à Genève."),
            Article(id="ru2", title="Переговоры", language="ru",
                    body="Переговоры в Женеве продолжались до вечера."),
            Article(id="uk2", title="Переговори", language="uk", body="Переговори тривали."),
        ])  # fmt: skip

        def ids(text: str, language: str | None = None) -> set[str]:
            found = store.search(SearchQuery(text=text, language=language))
            return {h.row.id for h in found}

        # Without a language, words match as written (folded), as on SQLite.
        assert ids("negotiation") == set() and ids("negotiations") == {"en2"}
        assert ids("negotiation", "en") == {"en2"} and ids("ran", "en") == set()
        assert ids("negociation", "fr") == {"fr2"}  # accents folded before stemming
        assert ids("переговорах", "ru") == {"ru2"} and ids("переговорах") == set()
        assert ids("переговорах", "uk") == set()  # no Ukrainian stemmer: as written
        with TestClient(create_app(pg_url, base_url="http://localhost"),
                        base_url="http://localhost") as c:  # fmt: skip
            page = c.get("/search.json", params={"q": "negotiation", "language": "en"}).json()
            assert [h["id"] for h in page["hits"]] == ["en2"]
            assert c.get("/search.json", params={"q": "negotiation"}).json()["hits"] == []
    finally:
        store.close()


def test_settings_hold_for_their_block_only(pg_url: str) -> None:
    from wiretrace.store.postgres import PostgresStore

    store = open_store(pg_url)
    assert isinstance(store, PostgresStore)
    pg = store.pg

    def seqscan() -> str:
        return str(pg.execute("SELECT current_setting('enable_seqscan')").fetchone()[0])

    try:
        with pg.settings(enable_seqscan="off"):  # a transaction of its own, ended with it
            assert seqscan() == "off" and pg.in_transaction
        assert seqscan() == "on" and not pg.in_transaction
        pg.execute("BEGIN")  # in the caller's transaction: the value before comes back
        with pg.settings(enable_seqscan="off"):
            assert seqscan() == "off"
        assert seqscan() == "on" and pg.in_transaction
        pg.commit()
        with pytest.raises(psycopg.errors.DivisionByZero), pg.settings(enable_seqscan="off"):
            pg.execute("SELECT 1 / 0")
        assert seqscan() == "on" and not pg.in_transaction
    finally:
        store.close()


def test_article_identity_and_full_text_indexes(any_db: str) -> None:
    # A new article's earlier version is looked up by URL (or by file) on an index, not by
    # reading every article; on PostgreSQL no GIN index keeps a pending list.
    store = open_store(any_db)
    try:
        if any_db.startswith("postgresql"):
            plan = "\n".join(r[0] for r in store.conn.execute(
                "EXPLAIN SELECT id FROM articles WHERE url = ? AND id != ?", ("u", "x")))  # fmt: skip
            lists = store.conn.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE "
                "am.amname = 'gin' AND c.relnamespace = current_schema()::regnamespace AND "
                "NOT coalesce(c.reloptions::text[] @> '{fastupdate=off}', false)"
            ).fetchone()[0]
            assert lists == 0
        else:
            plan = "\n".join(str(r[-1]) for r in store.conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE url = ? AND id != ?",
                ("u", "x")))  # fmt: skip
        assert "articles_url" in plan
    finally:
        store.close()


def test_the_index_step_of_a_search_is_planned_once_a_connection(pg_url: str) -> None:
    # Its statement (a GIN lookup per language part) cost more to plan than to run: PostgreSQL
    # planned it anew for every search (a custom plan each time) until told to keep one.
    from wiretrace.model import Article
    from wiretrace.web import search_queries
    from wiretrace.web.queries import parse_filters

    store = open_store(pg_url)
    try:
        store.upsert([Article(id=f"a{i}", title="Talks", language="en",
                              body=f"Officials met in Geneva on day {i}.") for i in range(3)])  # fmt: skip
        for word in ["geneva officials", "talks nowhere", "day geneva"] * 4:
            out = search_queries.search(store, parse_filters({"q": word}, limit=20))
            assert out["total"] == (0 if "nowhere" in word else 3)
        plans = store.conn.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE 'WITH m AS MATERIALIZED%'"
        ).fetchall()
        assert plans and plans[0][0] > 0 and plans[0][1] == 0
    finally:
        store.close()


def test_a_search_pool_reads_its_dates_from_an_index(pg_url: str) -> None:
    # The index step keeps the newest of up to 1,000 matches: their dates (and the pool's other
    # columns) come from articles_pool alone, not from 1,000 article rows with their records.
    from wiretrace.model import Article, Outlet

    store = open_store(pg_url)
    try:
        store.upsert([Article(id=f"a{i}", title="Talks", language="en", outlet=Outlet("Wire"),
                              published=f"2024-01-{1 + i % 28:02d}", body=f"Day {i}.")
                      for i in range(50)])  # fmt: skip
        cast_pg = store.pg  # type: ignore[attr-defined]
        cast_pg.raw.execute("VACUUM (ANALYZE) articles")
        with cast_pg.settings(enable_seqscan="off"):
            plan = "\n".join(r[0] for r in store.conn.execute(
                "EXPLAIN SELECT a.id, a.language, a.outlet, a.published, a.published_utc FROM "
                "articles a WHERE a.id = ANY(?) ORDER BY a.published DESC NULLS LAST, a.id "
                "LIMIT 200", [[f"a{i}" for i in range(0, 50, 3)]]))  # fmt: skip
        assert "Index Only Scan using articles_pool" in plan
    finally:
        store.close()


def test_front_page_counts_are_kept_as_articles_are_written(pg_url: str) -> None:
    # The counts by language and outlet come from article_tally and its log (pg_0009), kept by
    # the writes themselves: new articles, re-ingested ones with another language, an edited
    # version replacing its predecessor, a changed row, a deleted one. They must equal a count
    # over the corpus after each, and the log is folded as it grows.
    from wiretrace.model import Article, Outlet
    from wiretrace.web import queries

    def art(i: int, lang: str | None, body: str = "Text") -> Article:
        outlet = [Outlet("Wire"), Outlet("Post"), None][i % 3]
        return Article(id=f"a{i}", title=f"T{i}", language=lang, outlet=outlet, body=body,
                       url=f"https://example.org/{i}")  # fmt: skip

    def counted(store: Any) -> dict[str, dict[str, int]]:
        out = {}
        for col in ("language", "outlet"):
            out[col] = dict(store.conn.execute(
                f"SELECT coalesce({col}, '?'), count(*) FROM articles GROUP BY 1 "
                "ORDER BY 2 DESC, 1 LIMIT 30").fetchall())  # fmt: skip
        return out

    store = open_store(pg_url)
    try:
        f = queries.parse_filters({}, limit=30)
        assert queries.facets(store, f) == {"language": {}, "outlet": {}}
        store.upsert([art(i, ["en", "fr", None, "de"][i % 4]) for i in range(300)])
        assert queries.facets(store, f) == counted(store)
        logged = store.conn.execute("SELECT count(*) FROM article_tally_log").fetchone()[0]
        assert logged < 600  # 300 articles, two rows each: folded on the way
        store.upsert([art(i, "uk", body="Changed") for i in range(0, 40, 2)])  # re-ingested
        edited = art(7, "es", body="Edited")
        store.upsert([Article(**{**edited.__dict__, "id": "a7-v2"})])  # replaces a7 (same URL)
        with store.transaction() as conn:
            conn.execute("UPDATE articles SET language = 'it', outlet = NULL WHERE id = 'a11'")
            conn.execute("DELETE FROM articles_fts WHERE article_id = 'a12'")
            conn.execute("DELETE FROM articles WHERE id = 'a12'")  # one of the 20 uk
        got = queries.facets(store, f)
        assert got == counted(store)
        assert got["language"]["uk"] == 19 and got["language"]["it"] == 1
        again = [art(i, "uk", body="Changed") for i in range(0, 40, 2) if i != 12]
        assert store.upsert(again) == ["unchanged"] * 19  # re-ingesting changes nothing
        assert queries.facets(store, f) == got
        # With a filter the counts are the filtered ones, as before.
        english = store.conn.execute(
            "SELECT coalesce(outlet, '?'), count(*) FROM articles WHERE language = 'en' "
            "GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
        filtered = queries.facets(store, queries.parse_filters({"language": "en"}, limit=30))
        assert filtered == {"language": {"en": got["language"]["en"]}, "outlet": dict(english)}
        # `wiretrace stats` takes the same counts from the tally, not from the articles.
        sent: list[str] = []
        execute = store.conn.execute
        store.conn.execute = lambda sql, *a: sent.append(sql) or execute(sql, *a)
        articles, langs, outlets = store.article_counts()
        assert not [q for q in sent if "FROM articles" in q]
        del store.conn.execute
        assert articles == store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        stats = store.stats()
        assert stats["articles"] == articles == sum(got["language"].values())
        assert stats["languages"] == got["language"] and dict(langs) == got["language"]
        assert stats["outlets"] == got["outlet"] == dict(outlets)
    finally:
        store.close()


def test_a_copy_between_postgresql_stores_keeps_its_counts(pg_url: str) -> None:
    # The counts are not copied as rows: the destination's triggers count the copied articles.
    from conftest import fresh_schema
    from wiretrace.store.copy import copy_corpus
    from wiretrace.web import queries

    f = queries.parse_filters({}, limit=30)
    src = open_store(pg_url)
    try:
        src.upsert(corpus())
        with fresh_schema() as other:
            dst = open_store(other)
            try:
                copy_corpus(src, dst)
                assert queries.facets(dst, f) == queries.facets(src, f)
                assert sum(queries.facets(dst, f)["language"].values()) == len(corpus())
            finally:
                dst.close()
    finally:
        src.close()


def test_front_page_counts_under_concurrent_writers(pg_url: str) -> None:
    # Two ingests writing at once (batches of mixed languages and outlets, in opposite orders)
    # neither deadlock nor lose a count: the triggers only append to the log.
    import threading

    from wiretrace.model import Article, Outlet
    from wiretrace.web import queries

    def batch(start: int, step: int) -> list[Article]:
        return [Article(id=f"w{i}", title=f"T{i}", language=["en", "fr", "de"][i % 3],
                        outlet=Outlet(f"O{i % 4}"), body=f"Text {i}")
                for i in range(start, start + 400)][::step]  # fmt: skip

    errors: list[BaseException] = []

    def write(articles: list[Article]) -> None:
        store = open_store(pg_url)
        try:
            for k in range(0, len(articles), 50):
                store.upsert(articles[k : k + 50])
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            store.close()

    open_store(pg_url).close()  # migrated once, before the writers
    threads = [threading.Thread(target=write, args=(batch(0, 1),)),
               threading.Thread(target=write, args=(batch(400, -1),))]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    store = open_store(pg_url)
    try:
        got = queries.facets(store, queries.parse_filters({}, limit=30))
        assert sum(got["language"].values()) == sum(got["outlet"].values()) == 800
        counted = store.conn.execute(
            "SELECT coalesce(language, '?'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
        assert got["language"] == dict(counted)
    finally:
        store.close()


def test_distinct_entities_are_counted_by_skip_scans_as_by_a_sort(pg_url: str) -> None:
    # `stats` counts identities (a canonical id, else the folded name): on PostgreSQL by skip
    # scans over the entity indexes, which must give the count over every row.
    from wiretrace.model import Article, Entity
    from wiretrace.store.sqlite import SQLiteStore

    names = [("Anna Novak", "anna-novak"), ("Anna Novak", None), ("Geneva", "geneva"),
             ("geneva", None), ("Kyiv", None), ("Kyïv", None), ("anna-novak", None),
             ("Marta Berg", "Q42"), ("Q42", None), ("Baku", "baku")]  # fmt: skip
    store = open_store(pg_url)
    try:
        assert store.count_entities() == 0
        arts = [Article(id=f"e{i}", title=name, body=f"{name} spoke.", language="en",
                        entities=(Entity(f"x{i}", name, "person", canonical_id=key),))
                for i, (name, key) in enumerate(names)]  # fmt: skip
        store.upsert(arts)
        by_sort = SQLiteStore.count_entities(store)
        skipped = store.count_entities()
        assert skipped == by_sort == store.stats()["entities"]
        # The ids anna-novak, geneva, Q42, baku; the names without one anna novak, kyiv (Kyïv
        # folded), q42 (geneva and anna-novak are ids already).
        assert by_sort == 7
    finally:
        store.close()
