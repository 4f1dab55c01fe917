"""`wiretrace doctor` finds a store out of step with itself, and `--repair` rebuilds it exactly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from wiretrace.cli import cli
from wiretrace.corpus import update_stories
from wiretrace.ingest import IngestOptions, ingest
from wiretrace.store import open_store

CORPUS = Path(__file__).resolve().parents[1] / "src" / "wiretrace" / "demo" / "corpus"


def test_doctor_reports_damage_and_repair_restores_the_derived_rows(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    store = open_store(db)
    report = ingest(
        sorted(str(p) for p in CORPUS.iterdir())[:8], store, IngestOptions(analyze=False)
    )
    update_stories(store, report.ids)
    store.close()
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
