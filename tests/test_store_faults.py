"""Store faults: one clear line and a non-zero exit in every command; a foreign file is never touched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiretrace.cli import cli
from wiretrace.errors import StoreError
from wiretrace.ingest import IngestOptions, ingest
from wiretrace.store import open_store

TEXT = "Leaders met in Geneva on Monday.\n\nThe talks covered trade and energy, officials said.\n"
COMMANDS = [
    ["list"],
    ["stats"],
    ["show", "abc"],
    ["stories"],
    ["failures"],
    ["serve", "--port", "1"],
    ["ingest", "--no-analyze", "-q"],
]


def _sum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _good_db(tmp_path: Path) -> Path:
    src = tmp_path / "in.txt"
    src.write_text(TEXT, encoding="utf-8")
    db = tmp_path / "good.db"
    store = open_store(db)
    ingest([str(src)], store, IngestOptions(analyze=False))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.conn.execute("PRAGMA journal_mode=DELETE")  # one file, so bytes can be damaged
    store.close()
    return db


def _faults(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = _good_db(tmp_path)
    data = good.read_bytes()
    out: dict[str, tuple[Path, str]] = {}
    (tmp_path / "text.db").write_text("not a database\n" * 20)
    out["text"] = (tmp_path / "text.db", "not a SQLite file")
    (tmp_path / "cut.db").write_bytes(data[:60])
    out["truncated"] = (tmp_path / "cut.db", "truncated")
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO users VALUES (1, 'ada')")
    conn.commit()
    conn.close()
    out["foreign"] = (foreign, "not a wiretrace database")
    clash = tmp_path / "clash.db"
    conn = sqlite3.connect(clash)
    conn.execute("CREATE TABLE stories (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    out["foreign stories table"] = (clash, "not a wiretrace database")
    damaged = bytearray(data)
    page = 4096
    for off in range(page * 2, min(len(damaged), page * 5)):
        damaged[off] = 0x5A
    (tmp_path / "damaged.db").write_bytes(bytes(damaged))
    out["damaged"] = (tmp_path / "damaged.db", "damaged")
    return out


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_each_store_fault_is_one_line_and_non_zero_in_every_command(
    tmp_path: Path, command: list[str]
) -> None:
    src = tmp_path / "in.txt"
    src.write_text(TEXT, encoding="utf-8")
    for name, (db, expect) in _faults(tmp_path).items():
        before = _sum(db)
        args = [*command, "--db", str(db)] + ([str(src)] if command[0] == "ingest" else [])
        result = CliRunner().invoke(cli, args)
        lines = result.output.strip().splitlines()
        assert result.exit_code != 0, (name, result.output)
        assert len(lines) == 1 and expect in lines[0], (name, result.output)
        assert "Traceback" not in result.output
        assert _sum(db) == before, f"{name}: the file was changed by {command[0]}"
        assert not Path(str(db) + "-wal").exists() or name == "damaged"


def test_a_foreign_sqlite_file_stays_byte_for_byte_unchanged_after_ingest(tmp_path: Path) -> None:
    db = _faults(tmp_path)["foreign"][0]
    before = db.read_bytes()
    with pytest.raises(StoreError, match="not a wiretrace database"):
        open_store(db)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.glob("foreign*")) == ["foreign.db"]


def test_disk_full_names_the_real_cause_and_keeps_the_stored_data(tmp_path: Path) -> None:
    db = _good_db(tmp_path)
    store = open_store(db)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk fills up now
    folder = tmp_path / "more"
    folder.mkdir()
    for i in range(30):
        (folder / f"{i}.txt").write_text(f"Report {i}.\n\n" + TEXT * (20 + i), encoding="utf-8")
    with pytest.raises(StoreError, match="database or disk is full") as info:
        ingest([str(folder)], store, IngestOptions(analyze=False))
    assert "no transaction is active" not in str(info.value)
    store.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] >= 1
    assert (
        conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        == (conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    )
    conn.close()
