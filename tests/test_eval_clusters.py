"""``wiretrace eval clusters``: B-cubed scores of the incremental clusterer."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_stories_fixtures import ALL, STORY
from wiretrace.eval import run
from wiretrace.eval.clusters import bcubed, evaluate

SHARED = Path(__file__).parents[1] / ".." / "shared"


def test_eval_clusters_bcubed_perfect_and_lumped() -> None:
    gold = ["a", "a", "b", "b"]
    assert bcubed(["x", "x", "y", "y"], gold) == (1.0, 1.0, 1.0)
    p, r, f = bcubed(["x", "x", "x", "x"], gold)
    assert (p, r) == (0.5, 1.0)
    assert f == pytest.approx(2 / 3)
    p, r, _ = bcubed(["1", "2", "3", "4"], gold)
    assert (p, r) == (1.0, 0.5)


def test_eval_clusters_never_reads_gold_fields() -> None:
    records = [
        {"id": a.id, "lang": a.language, "title": a.title, "text": a.body,
         "cluster": STORY[a.id], "topic": "same", "url": "http://example.org/" + STORY[a.id]}
        for a in ALL
    ]  # fmt: skip
    out = evaluate(records)
    assert out["n"] == len(ALL)
    assert out["bcubed_f1"] == 1.0
    # Scrambled gold labels must not be reproduced: the clusterer only sees the texts.
    for i, rec in enumerate(records):
        rec["cluster"] = str(i % 2)
    assert evaluate(records)["bcubed_f1"] < 0.7


@pytest.mark.gate
def test_eval_clusters_dev_floor() -> None:
    data = SHARED / "eval" / "clusters" / "dev.jsonl"
    if not data.is_file():
        pytest.skip("shared eval data absent")
    out = run("clusters", data)
    assert out["n"] == 575
    assert out["bcubed_f1"] >= 0.915  # measured 0.924 (refit: 0.915 leave-topics-out)
