"""The command line: ingest, show --json, list --json, search, stats, failures, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from wiretrace.cli import cli

# The four news pages among the fixtures (other tests keep other kinds of text there).
PAGES = [str(FIXTURES / n) for n in ("de_dump.txt", "en_page.html", "es_dump.txt", "uk_dump.txt")]


def _run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.output


def test_ingest_then_show_list_search_stats(any_db: str) -> None:
    code, out = _run("ingest", "--db", any_db, "--no-analyze", *PAGES)
    assert code == 0, out
    assert "4 new, 0 unchanged, 0 updated, 0 failed" in out
    code, out = _run("ingest", "--db", any_db, "--no-analyze", *PAGES)
    assert "0 new, 4 unchanged" in out

    code, out = _run("list", "--db", any_db, "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 4
    assert {"id", "title", "language", "published", "url"} <= set(rows[0])

    de = next(r for r in rows if r["language"] == "de")
    code, out = _run("show", "--db", any_db, de["id"][:8], "--json")
    record = json.loads(out)
    for key in ("id", "url", "source_path", "title", "language", "published", "published_utc",
                "outlet", "authors", "body", "chrome", "attribution", "derivative", "entities",
                "dates", "figures", "quotes", "events", "tags", "analysis"):  # fmt: skip
        assert key in record, key
    assert record["published_utc"] == "2024-01-10T05:45:00Z"

    code, out = _run("search", "--db", any_db, "Streik")
    assert de["id"] in out
    code, out = _run("stats", "--db", any_db, "--json")
    assert json.loads(out)["articles"] == 4


def test_stdin_jsonl_and_failures_listing(any_db: str) -> None:
    text = (FIXTURES / "es_dump.txt").read_text()
    lines = json.dumps({"url": "https://example.es/a", "text": text}) + "\n{broken\n"
    code, out = _run("ingest", "--db", any_db, "--no-analyze", "-", input=lines)
    assert code == 3 and "1 new" in out and "1 failed" in out
    code, out = _run("failures", "--db", any_db)
    assert "<stdin>:2" in out and "malformed JSON" in out


def test_on_error_stop_exits_non_zero(any_db: str, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    code, out = _run("ingest", "--db", any_db, "--no-analyze", "--on-error", "stop",
                     str(tmp_path / "empty.txt"), str(FIXTURES / "de_dump.txt"))  # fmt: skip
    assert code == 1 and "stopped" in out


def test_show_unknown_id_and_missing_db_are_clear(db_path: Path) -> None:
    code, out = _run("show", "--db", str(db_path), "abc")
    assert code != 0 and "no such database" in out
    _run("ingest", "--db", str(db_path), "--no-analyze", str(FIXTURES / "de_dump.txt"))
    code, out = _run("show", "--db", str(db_path), "zzzz")
    assert code != 0 and "no article with id" in out


def test_ingest_places_articles_into_stories_and_story_json_has_the_contract(
    any_db: str,
) -> None:
    code, out = _run("ingest", "--db", any_db, "--no-analyze", *PAGES)
    assert code == 0 and "stories: 4 article(s) placed" in out
    code, out = _run("ingest", "--db", any_db, "--no-analyze", *PAGES)
    assert "stories: 0 article(s) placed" in out  # nothing new: nothing recomputed
    code, out = _run("stories", "--db", any_db, "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert sum(r["size"] for r in rows) == 4
    code, out = _run("story", "--db", any_db, rows[0]["id"], "--json")
    record = json.loads(out)
    for key in ("id", "articles", "edges", "events", "earliest", "original_source"):
        assert key in record
    code, out = _run("story", "--db", any_db, "nope")
    assert code != 0 and "no story with id" in out


def _analysed_store(db: str) -> None:
    """The web tests' three-language corpus, with story s1 linking en1 → uk1 as a translation."""
    from test_web import corpus
    from wiretrace.store import open_store
    from wiretrace.stories import schema

    store = open_store(db)
    arts = corpus()
    store.upsert(arts)
    for seq, art in enumerate(arts[:3], 1):
        schema.save_article(
            store.conn, article_id=art.id, story_id="s1a2b3", seq=seq, score=None,
            profile_json="{}", vectors=b"", published=art.published, keys=(),
            df_updates=(), evicted=(),
        )  # fmt: skip
    edges = [{"from": "en1", "to": "uk1", "relation": "translation", "confidence": 0.9,
              "evidence": {"start": 0, "end": 10, "stage": "t", "note": None}}]  # fmt: skip
    schema.save_details(store.conn, "s1a2b3", edges, [])
    store.close()


def test_db_option_is_accepted_before_and_after_the_subcommand(any_db: str) -> None:
    code, out = _run("--db", any_db, "ingest", "--no-analyze", *PAGES)
    assert code == 0, out
    code, before = _run("--db", any_db, "stats", "--json")
    code2, after = _run("stats", "--db", any_db, "--json")
    assert code == code2 == 0
    assert json.loads(before)["articles"] == json.loads(after)["articles"] == 4


def test_demo_builds_the_default_database_that_other_commands_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wiretrace.ingest
    from wiretrace.web import commands

    real = wiretrace.ingest.ingest

    def fast(inputs: list[str], store: object, *a: object, **k: object) -> object:
        return real(inputs, store, wiretrace.ingest.IngestOptions(analyze=False))  # type: ignore[arg-type]

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WIRETRACE_DB", raising=False)
    monkeypatch.setattr(commands, "demo_corpus", lambda: FIXTURES)
    monkeypatch.setattr(wiretrace.ingest, "ingest", fast)
    code, out = _run("demo", "--no-serve")
    assert code == 0, out
    assert (tmp_path / "wiretrace.db").exists()
    code, out = _run("stories")
    assert code == 0, out
    assert len(out.strip().splitlines()) >= 1 and "reports" in out


def test_show_prints_quotes_events_and_full_outlet_names(any_db: str) -> None:
    _analysed_store(any_db)
    code, out = _run("show", "--db", any_db, "en1")
    assert code == 0, out
    assert "outlet: Meridian Post" in out
    assert "quotes (3):" in out and "Igor Khovaev (named): \u201cthe talks were useful\u201d" in out
    assert "(anonymous)" in out and "(declined)" in out
    assert "events (1):" in out and "2023-09-17  CONSULT  Igor Khovaev @ Istanbul" in out


def test_story_prints_edges_by_outlet_and_quotes_once_with_repeats(any_db: str) -> None:
    _analysed_store(any_db)
    code, out = _run("story", "--db", any_db, "1a2b")  # abbreviated, without its "s"
    assert code == 0, out
    assert out.startswith("story s1a2b3: 3 reports from 3 outlets in en, fr, uk")
    assert "Evropeiska Pravda [uk1] -> Le Fil Mondial [fr1]: translation (0.90)" in out
    assert "Source Daily (not in the store) -> Meridian Post [en1]: citation" in out
    assert "3 reports: Evropeiska Pravda, Le Fil Mondial, Meridian Post" in out
    # The French translation repeats the envoy's quote: listed once, with its repeat.
    assert "переговори були корисними\u201d  [repeated by 2 reports]" in out
    assert "les discussions étaient utiles" not in out
    assert "outlet:" not in out
    code, out = _run("story", "--db", any_db, "s1a")
    assert code == 0 and "s1a2b3" in out


def test_ingest_exits_3_when_some_input_failed(any_db: str, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    code, out = _run("ingest", "--db", any_db, "--no-analyze",
                     str(tmp_path / "empty.txt"), str(FIXTURES / "de_dump.txt"))  # fmt: skip
    assert code == 3 and "1 new" in out and "1 failed" in out
    code, out = _run("ingest", "--help")
    assert "3 the run finished but some inputs failed" in out


def test_a_file_that_is_not_a_database_gets_one_clear_line(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("these are my notes, not a database\n" * 50)
    for args in (["stats"], ["list"], ["stories"], ["failures"], ["show", "abc"]):
        result = CliRunner().invoke(cli, [*args, "--db", str(bogus)])
        assert result.exit_code == 1, (args, result.output)
        assert "not a wiretrace database" in result.output
        assert "Traceback" not in result.output
        assert isinstance(result.exception, SystemExit)  # a clean exit, not a crash
    assert bogus.read_text().startswith("these are my notes")


def test_a_mistyped_db_path_creates_no_directories(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "x.db"
    code, out = _run("ingest", "--db", str(target), "--no-analyze", str(FIXTURES / "de_dump.txt"))
    assert code != 0 and "does not exist" in out
    assert not (tmp_path / "no").exists()


def test_failures_says_so_when_there_are_none(any_db: str) -> None:
    _run("ingest", "--db", any_db, "--no-analyze", str(FIXTURES / "de_dump.txt"))
    code, out = _run("failures", "--db", any_db)
    assert code == 0 and out.strip() == "no failures recorded"


def test_story_names_an_outlet_once_though_a_page_gave_only_its_domain(any_db: str) -> None:
    from wiretrace.model import Article, Outlet
    from wiretrace.store import open_store
    from wiretrace.stories import schema

    store = open_store(any_db)
    arts = [
        Article(id="a1", title="Huelga", body="Texto uno.", language="es",
                published="2023-09-15T10:00:00+00:00", outlet=Outlet("Agencia Sur", "agenciasur.es")),
        Article(id="a2", title="Paro", body="Texto dos.", language="es",
                published="2023-09-16T10:00:00+00:00", outlet=Outlet("agenciasur.es", "agenciasur.es")),
    ]  # fmt: skip
    store.upsert(arts)
    for seq, art in enumerate(arts, 1):
        schema.save_article(
            store.conn, article_id=art.id, story_id="s9", seq=seq, score=None,
            profile_json="{}", vectors=b"", published=art.published, keys=(),
            df_updates=(), evicted=(),
        )  # fmt: skip
    store.close()
    code, out = _run("story", "--db", any_db, "s9")
    assert code == 0, out
    assert "from 1 outlet in es" in out and "agenciasur.es" not in out
