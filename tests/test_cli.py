"""The command line: ingest, show --json, list --json, search, stats, failures, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conftest import FIXTURES
from wiretrace.cli import cli


def _run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.output


def test_ingest_then_show_list_search_stats(db_path: Path) -> None:
    code, out = _run("ingest", "--db", str(db_path), "--no-analyze", str(FIXTURES))
    assert code == 0, out
    assert "4 new, 0 unchanged, 0 updated, 0 failed" in out
    code, out = _run("ingest", "--db", str(db_path), "--no-analyze", str(FIXTURES))
    assert "0 new, 4 unchanged" in out

    code, out = _run("list", "--db", str(db_path), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 4
    assert {"id", "title", "language", "published", "url"} <= set(rows[0])

    de = next(r for r in rows if r["language"] == "de")
    code, out = _run("show", "--db", str(db_path), de["id"][:8], "--json")
    record = json.loads(out)
    for key in ("id", "url", "source_path", "title", "language", "published", "published_utc",
                "outlet", "authors", "body", "chrome", "attribution", "derivative", "entities",
                "dates", "figures", "quotes", "events", "tags", "analysis"):  # fmt: skip
        assert key in record, key
    assert record["published_utc"] == "2024-01-10T05:45:00Z"

    code, out = _run("search", "--db", str(db_path), "Streik")
    assert de["id"] in out
    code, out = _run("stats", "--db", str(db_path), "--json")
    assert json.loads(out)["articles"] == 4


def test_stdin_jsonl_and_failures_listing(db_path: Path) -> None:
    text = (FIXTURES / "es_dump.txt").read_text()
    lines = json.dumps({"url": "https://example.es/a", "text": text}) + "\n{broken\n"
    code, out = _run("ingest", "--db", str(db_path), "--no-analyze", "-", input=lines)
    assert code == 0 and "1 new" in out and "1 failed" in out
    code, out = _run("failures", "--db", str(db_path))
    assert "<stdin>:2" in out and "malformed JSON" in out


def test_on_error_stop_exits_non_zero(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    code, out = _run("ingest", "--db", str(db_path), "--no-analyze", "--on-error", "stop",
                     str(tmp_path / "empty.txt"), str(FIXTURES / "de_dump.txt"))  # fmt: skip
    assert code == 1 and "stopped" in out


def test_show_unknown_id_and_missing_db_are_clear(db_path: Path) -> None:
    code, out = _run("show", "--db", str(db_path), "abc")
    assert code != 0 and "no such database" in out
    _run("ingest", "--db", str(db_path), "--no-analyze", str(FIXTURES / "de_dump.txt"))
    code, out = _run("show", "--db", str(db_path), "zzzz")
    assert code != 0 and "no article with id" in out


def test_ingest_places_articles_into_stories_and_story_json_has_the_contract(
    db_path: Path,
) -> None:
    code, out = _run("ingest", "--db", str(db_path), "--no-analyze", str(FIXTURES))
    assert code == 0 and "stories: 4 article(s) placed" in out
    code, out = _run("ingest", "--db", str(db_path), "--no-analyze", str(FIXTURES))
    assert "stories: 0 article(s) placed" in out  # nothing new: nothing recomputed
    code, out = _run("stories", "--db", str(db_path), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert sum(r["size"] for r in rows) == 4
    code, out = _run("story", "--db", str(db_path), rows[0]["id"], "--json")
    record = json.loads(out)
    for key in ("id", "articles", "edges", "events", "earliest", "original_source"):
        assert key in record
    code, out = _run("story", "--db", str(db_path), "nope")
    assert code != 0 and "no story with id" in out
