"""`wiretrace doctor` finds a store out of step with itself, and `--repair` rebuilds it exactly."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiretrace.cli import cli
from wiretrace.corpus import update_stories
from wiretrace.ingest import IngestOptions, ingest
from wiretrace.store import open_store

CORPUS = Path(__file__).resolve().parents[1] / "src" / "wiretrace" / "demo" / "corpus"


@pytest.fixture(scope="module")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first eight demo inputs ingested (no analysis) and placed into stories, built once."""
    db = tmp_path_factory.mktemp("doctor") / "w.db"
    store = open_store(db)
    report = ingest(
        sorted(str(p) for p in CORPUS.iterdir())[:8], store, IngestOptions(analyze=False)
    )
    update_stories(store, report.ids)
    store.close()
    return db


@pytest.fixture
def db(built_db: Path, tmp_path: Path) -> Path:
    """This test's own copy of the built store, to damage."""
    path = tmp_path / "w.db"
    with closing(sqlite3.connect(built_db)) as src, closing(sqlite3.connect(path)) as dst:
        src.backup(dst)
    return path


def test_doctor_reports_damage_and_repair_restores_the_derived_rows(db: Path) -> None:
    ok = CliRunner().invoke(cli, ["doctor", "--db", str(db)])
    assert ok.exit_code == 0 and "store is consistent" in ok.output, ok.output

    conn = sqlite3.connect(db)
    edges = conn.execute("SELECT * FROM provenance_edges ORDER BY 1, 2, 3").fetchall()
    assert edges
    conn.execute("DELETE FROM articles_fts WHERE rowid IN (SELECT rowid FROM articles_fts LIMIT 2)")
    conn.execute("UPDATE stories SET size = size + 3 WHERE id = (SELECT min(id) FROM stories)")
    conn.execute("DELETE FROM provenance_edges")
    conn.execute("UPDATE story_state SET value = '999' WHERE key = 'seq'")
    conn.commit()
    conn.close()

    bad = CliRunner().invoke(cli, ["doctor", "--db", str(db)])
    assert bad.exit_code == 1
    for words in ("missing from the full-text index", "size differs", "insertion counter",
                  "out of step with their record"):  # fmt: skip
        assert words in bad.output, bad.output

    fixed = CliRunner().invoke(cli, ["doctor", "--repair", "--db", str(db)])
    assert fixed.exit_code == 0 and "store is consistent" in fixed.output, fixed.output
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT * FROM provenance_edges ORDER BY 1, 2, 3").fetchall() == edges
    assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 8
    conn.close()


def test_repair_gives_articles_sharing_an_insertion_number_their_own_in_order(
    db: Path,
) -> None:
    conn = sqlite3.connect(db)
    order = [r[0] for r in conn.execute("SELECT article_id FROM story_articles ORDER BY seq")]
    conn.execute("UPDATE story_articles SET seq = 4 WHERE seq = 5")  # two articles share 4
    conn.commit()
    conn.close()

    bad = CliRunner().invoke(cli, ["doctor", "--db", str(db)])
    assert bad.exit_code == 1 and "insertion numbers used twice" in bad.output, bad.output
    assert "another insertion number than their article's" in bad.output, bad.output
    fixed = CliRunner().invoke(cli, ["doctor", "--repair", "--db", str(db)])
    assert fixed.exit_code == 0 and "store is consistent" in fixed.output, fixed.output
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT article_id, seq FROM story_articles ORDER BY seq").fetchall()
    stray = conn.execute(
        "SELECT count(*) FROM story_postings p JOIN story_articles sa "
        "ON sa.article_id = p.article_id WHERE sa.seq != p.seq"
    ).fetchone()[0]
    counter = conn.execute("SELECT value FROM story_state WHERE key = 'seq'").fetchone()[0]
    conn.close()
    assert [a for a, _ in rows] == order  # the order of placement is kept
    assert [s for _, s in rows] == list(range(1, len(order) + 1))
    assert stray == 0 and counter == str(len(order))


def test_doctor_finds_document_frequencies_out_of_step_and_repair_recounts_them(
    db: Path,
) -> None:
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT kind, key, n FROM story_df ORDER BY 1, 2").fetchall()
    assert before
    conn.execute(
        "UPDATE story_df SET n = n + 1 WHERE rowid IN (SELECT rowid FROM story_df LIMIT 3)"
    )
    conn.execute("DELETE FROM story_df WHERE rowid = (SELECT max(rowid) FROM story_df)")
    conn.commit()
    conn.close()
    bad = CliRunner().invoke(cli, ["doctor", "--db", str(db)])
    assert "4 document-frequency count(s) out of step" in bad.output, bad.output
    fixed = CliRunner().invoke(cli, ["doctor", "--repair", "--db", str(db)])
    assert fixed.exit_code == 0 and "store is consistent" in fixed.output, fixed.output
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT kind, key, n FROM story_df ORDER BY 1, 2").fetchall() == before
    conn.close()
