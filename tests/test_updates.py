"""An edited article is an update: one version stored, its old facts and story place gone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from wiretrace.cli import cli
from wiretrace.doctor import check
from wiretrace.store import open_store

CORPUS = Path(__file__).resolve().parents[1] / "src" / "wiretrace" / "demo" / "corpus"


def _ingest(db: Path, folder: Path) -> str:
    result = CliRunner().invoke(cli, ["ingest", "--db", str(db), "--no-analyze", "-q", str(folder)])
    assert result.exit_code == 0, result.output
    return result.output


def test_editing_one_sentence_of_a_demo_article_is_one_update(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for src in sorted(CORPUS.glob("*.txt"))[:6]:
        shutil.copy(src, folder / src.name)
    db = tmp_path / "w.db"
    _ingest(db, folder)
    target = sorted(folder.iterdir())[2]
    text = target.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if len(p) > 120]
    edited = paragraphs[-1].replace(".", ", officials added later.", 1)
    target.write_text(text.replace(paragraphs[-1], edited), encoding="utf-8")

    out = _ingest(db, folder)
    assert "0 new, 5 unchanged, 1 updated, 0 failed" in out, out

    store = open_store(db, readonly=True)
    rows = store.conn.execute(
        "SELECT id, record FROM articles WHERE source_path = ?", (str(target),)
    ).fetchall()
    assert len(rows) == 1  # one version of it
    assert "officials added later" in json.loads(rows[0][1])["body"]
    assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 6
    assert store.conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 6
    placed = store.conn.execute("SELECT count(*) FROM story_articles").fetchone()[0]
    sizes = store.conn.execute("SELECT sum(size) FROM stories").fetchone()[0]
    assert placed == sizes == 6
    assert check(store).problems == []
    store.close()

    again = _ingest(db, folder)
    assert "0 new, 6 unchanged, 0 updated" in again

    # The replaced version's cues no longer count in the document frequencies: the same
    # story_df as a store that only ever saw the edited files.
    fresh = tmp_path / "fresh.db"
    _ingest(fresh, folder)
    tables = []
    for path in (db, fresh):
        store = open_store(path, readonly=True)
        tables.append(
            store.conn.execute("SELECT kind, key, n FROM story_df ORDER BY 1, 2").fetchall()
        )
        store.close()
    assert tables[0] == tables[1]


def test_same_text_with_a_new_url_and_date_is_an_update(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    rec = {"url": "https://example.org/a", "published": "2023-09-14", "title": "Talks",
           "text": "Leaders met in Geneva on Monday to talk about trade, energy and security.\n\n"
           "The talks covered gas prices and winter supplies, officials said after the meeting, "
           "which ended late in the evening with a joint statement on grain exports."}  # fmt: skip
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    _ingest(db, jsonl)
    rec.update(url="https://example.org/b", published="2023-09-15")
    jsonl.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    out = _ingest(db, jsonl)
    assert "1 updated" in out, out
    store = open_store(db, readonly=True)
    assert store.conn.execute("SELECT url, published FROM articles").fetchall() == [
        ("https://example.org/b", "2023-09-15")
    ]
    store.close()


def test_an_updated_article_leaves_no_document_vectors_of_its_old_version(tmp_path: Path) -> None:
    """Vectors embedded at analysis wait for placement under the article id; when an edit
    replaces the article before it is placed, the old version's go with it."""
    import numpy as np

    from wiretrace.model import Article
    from wiretrace.stories.profile import save_pending, take_pending

    store = open_store(tmp_path / "v.db")
    old = Article(id="a" * 16, title="T", body="First version of the body.", source_path="x.txt")
    new = Article(id="b" * 16, title="T", body="Second version of the body.", source_path="x.txt")
    vec = np.ones((3, 512), dtype=np.float32).tobytes()
    store.upsert([old])
    save_pending(store.conn, {old.id: vec})
    assert store.upsert([new]) == ["updated"]
    save_pending(store.conn, {new.id: vec})
    rows = store.conn.execute("SELECT text_key FROM text_vectors WHERE kind = 'document'")
    assert [r[0] for r in rows] == [new.id]
    with store.transaction():
        taken = take_pending(store.conn, [new.id])
    assert list(taken) == [new.id] and taken[new.id].shape == (3, 512)
    assert store.conn.execute("SELECT count(*) FROM text_vectors").fetchone()[0] == 0
    store.close()
