"""The spam filter: features, the shipped model file, retraining, scoring and the DEV gate."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from wiretrace.cli import cli
from wiretrace.eval.spam import always_ham, bag_of_words, leave_one_video_out, metrics, ours
from wiretrace.spam import features
from wiretrace.spam.model import SHIPPED, load_model, read_model
from wiretrace.spam.train import Example, bundled, fit

DEV = Path(__file__).parents[1] / ".." / "shared" / "eval" / "spam" / "dev.jsonl"

# Written here: comments the shipped model has never seen.
FRESH_SPAM = [
    "Subscribe to my channel for free gift cards, click here http://gifts.example.biz",
    "Earn easy money from home, visit my site www.cash-now.example.com",
    "Check out my new video and like this comment!!!",
]
FRESH_HAM = [
    "The minister's figure differs from the one in the agency report from Monday.",
    "I think the second quote is attributed to the wrong spokesperson.",
    "This photo was already published in 2019 by another outlet.",
]


def test_links_become_host_tokens_and_feff_is_stripped() -> None:
    norm = features.normalise('Look <a href="https://www.Example.com/x">here</a>\ufeff')
    assert "xurl xdomexamplecom" in norm and "\ufeff" not in norm
    assert features.count_links("see bit.ly/abc and www.x.org") == 2


def test_metrics_count_spam_as_positive() -> None:
    m = metrics([True, True, False, False], [True, False, True, False])
    assert (m["precision"], m["recall"], m["ham_flagged"], m["n"]) == (0.5, 0.5, 0.5, 4)


def test_shipped_model_is_small_and_loads_without_pickle() -> None:
    assert SHIPPED.stat().st_size < 1_000_000
    with np.load(SHIPPED, allow_pickle=False) as data:
        assert data["w_val"].dtype == np.float32
    model = load_model()
    assert 0.0 < model.threshold < 1.0


def test_shipped_model_separates_comments_written_here() -> None:
    model = load_model()
    assert all(model.is_spam(t) for t in FRESH_SPAM)
    assert not any(model.is_spam(t) for t in FRESH_HAM)


def test_training_is_deterministic_to_the_byte(tmp_path: Path) -> None:
    examples = bundled()
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    fit(examples).save(a)
    fit(list(reversed(examples))).save(b)
    assert a.read_bytes() == b.read_bytes()
    again = read_model(a)
    assert again.score(FRESH_SPAM[0]) == pytest.approx(fit(examples).score(FRESH_SPAM[0]))


def test_a_moderators_label_changes_what_is_learned() -> None:
    text = "Quarterly tulip bulb auction results are in, see tulipbulbs dot shop"
    base = fit(bundled())
    taught = fit(bundled() + [Example(text, True, "moderation", "moderation")] * 1)
    assert taught.score(text) > base.score(text)


def test_eval_cli_prints_one_object(tmp_path: Path) -> None:
    data = tmp_path / "mine.jsonl"
    rows = [{"id": str(i), "text": t, "label": "spam"} for i, t in enumerate(FRESH_SPAM)]
    rows += [{"id": f"h{i}", "text": t, "label": "ham"} for i, t in enumerate(FRESH_HAM)]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = CliRunner().invoke(cli, ["eval", "spam", "--data", str(data), "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert {"precision", "recall", "f1", "accuracy", "ham_flagged", "n"} <= set(result)
    assert result["n"] == 6 and result["f1"] == 1.0


@pytest.mark.gate
def test_leave_one_video_out_floors_on_dev() -> None:
    """Train on two videos, test on the third: mean spam F1 >= 0.93, ham flagged <= 3%."""
    if not DEV.exists():
        pytest.skip("shared eval data not available")
    records = [json.loads(line) for line in DEV.open(encoding="utf-8") if line.strip()]
    mine = leave_one_video_out(records, ours)
    bow = leave_one_video_out(records, bag_of_words)
    ham = leave_one_video_out(records, always_ham)
    assert len(mine["folds"]) == 3
    assert mine["mean"]["f1"] >= 0.93
    assert mine["mean"]["ham_flagged"] <= 0.03
    assert mine["mean"]["f1"] > bow["mean"]["f1"] > ham["mean"]["f1"] == 0.0
    assert all(f["f1"] >= 0.90 for f in mine["folds"].values())


def test_train_on_a_missing_store_is_an_error_not_a_new_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    from conftest import PG_BASE
    from wiretrace.store import open_store

    monkeypatch.chdir(tmp_path)
    missing = PG_BASE.rsplit("/", 1)[0] + "/wt_no_such_db_for_spam"
    for db, said in ((missing, "does not exist"), ("nope.db", "no such database")):
        out = CliRunner().invoke(cli, ["train", "spam", "--db", db])
        assert out.exit_code == 1 and said in out.output
    assert list(tmp_path.iterdir()) == []  # no SQLite file, no model (a URL was once a path)
    # An existing PostgreSQL store: its moderation decisions are read, the model written.
    open_store(pg_url).close()
    model = tmp_path / "team.spam.npz"
    monkeypatch.setenv("WIRETRACE_SPAM_MODEL", str(model))
    out = CliRunner().invoke(cli, ["train", "spam", "--db", pg_url])
    assert out.exit_code == 0, out.output
    assert model.exists() and f"wrote {model}" in out.output
