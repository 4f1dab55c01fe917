"""The quotes accuracy harness: exact scores on hand-made records, and floors on ../shared/eval."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from wiretrace.eval.quotes import Pred, coverage, match, score, speaker_right

DEV = Path(__file__).parents[1] / ".." / "shared" / "eval" / "quotes"

TEXT = "Anna said the plan failed. Bob said nothing. The mayor said it works."


def _record(quotes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": "r", "lang": "en", "text": TEXT, "quotes": quotes}


def test_eval_quotes_coverage_is_share_of_gold_covered() -> None:
    assert coverage((10, 20), (15, 40)) == 0.5
    assert coverage((10, 20), (0, 100)) == 1.0
    assert coverage((10, 20), (20, 30)) == 0.0


def test_eval_quotes_threshold_is_strictly_exceeded() -> None:
    # 3 of 10 gold characters covered is exactly 0.3: not a match at 0.3.
    assert match([(0, 10)], [(7, 12)], 0.3) == []
    assert match([(0, 10)], [(6, 12)], 0.3) == [(0, 0)]


def test_eval_quotes_matching_is_one_to_one() -> None:
    # One long prediction covering two gold quotes matches only one of them.
    assert len(match([(0, 10), (10, 20)], [(0, 20)], 0.3)) == 1


def test_eval_quotes_speaker_null_matches_empty_prediction() -> None:
    assert speaker_right(None, None)
    assert not speaker_right(None, (0, 3))
    assert not speaker_right((0, 4), None)
    assert speaker_right((0, 4), (3, 9))


def test_eval_quotes_exact_scores_on_hand_made_records() -> None:
    rec = _record(
        [
            {"content": [10, 25], "speaker": [0, 4]},  # "the plan failed"
            {"content": [36, 43], "speaker": [27, 30]},  # "nothing"
            {"content": [59, 67], "speaker": None},  # "it works"
        ]
    )
    preds = [
        Pred((10, 26), (0, 4)),  # full cover, right speaker
        Pred((36, 39), (27, 30)),  # 3/7 = 0.43: matches at 0.3 only
        Pred((45, 50), None),  # covers nothing
        Pred((59, 67), (45, 54)),  # full cover, gold speaker null -> wrong
    ]
    out = score([rec], [preds])
    assert out["n_gold"] == 3 and out["n_pred"] == 4
    assert out["p_0.3"] == 0.75 and out["r_0.3"] == 1.0
    assert out["f1_0.3"] == round(2 * 0.75 / 1.75, 4)
    assert out["p_0.8"] == 0.5 and out["r_0.8"] == round(2 / 3, 4)
    assert out["f1_0.8"] == round(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3), 4)
    assert out["speaker_accuracy"] == round(2 / 3, 4)


def test_eval_quotes_empty_predictions_score_zero() -> None:
    out = score([_record([{"content": [0, 4], "speaker": None}])], [[]])
    assert out["p_0.3"] == 0.0 and out["r_0.3"] == 0.0 and out["f1_0.3"] == 0.0


def test_eval_quotes_runs_the_extractor_on_a_record() -> None:
    from wiretrace.eval.quotes import evaluate

    text = "Anna Berg said the plan had failed."
    rec = {
        "id": "x",
        "lang": "en",
        "text": text,
        "quotes": [{"content": [15, 34], "speaker": [0, 9]}],
    }
    out = evaluate([rec])
    assert out["r_0.8"] == 1.0 and out["speaker_accuracy"] == 1.0


# --- the gate: floors a little under what dev.jsonl reaches -----------------------------------
# Measured on dev.jsonl (quotes.v1): F1@0.3 0.8711, F1@0.8 0.8194, speaker accuracy 0.9137.
# quotes.v2 (pronouns resolved, speaker spans tidied, content after the complementiser):
# F1@0.3 0.8708, F1@0.8 0.8189, speaker accuracy 0.9116.

FLOORS = {"f1_0.3": 0.86, "f1_0.8": 0.805, "speaker_accuracy": 0.90}


@pytest.mark.gate
def test_eval_quotes_gate_dev_floors() -> None:
    path = DEV / "dev.jsonl"
    if not path.exists():
        pytest.skip("../shared/eval/quotes/dev.jsonl is not present")
    from wiretrace.eval import run

    out = run("quotes", path)
    for key, floor in FLOORS.items():
        assert out[key] >= floor, f"{key} fell to {out[key]} (floor {floor}): {json.dumps(out)}"


BLIND = Path(__file__).parent / "fixtures_quotes" / "quotes_blind.jsonl"


@pytest.mark.gate
def test_eval_quotes_blind_set_floors() -> None:
    """80 uk/ru/de/es passages written by someone who saw none of the quotes stage's code, word
    lists or eval data (named 40, anonymous 16, institutional 16, declined 8; 20 speakers named
    by a pronoun), frozen before it was run once: F1@0.3 0.901, speaker accuracy 0.706 (uk
    0.722, ru 0.706, de 0.733, es 0.667) against 0.987 on the uk/ru set the rules were written
    with. quotes.v4 (session 5; rules written from other sets), run once, aggregates only:
    F1@0.3 0.955, speaker 0.905 (uk 0.947, ru 0.944, de 0.833, es 0.895). With entities.v5
    (persons introduced by a common noun are entities; quotes code unchanged), run once at the
    end of that work, aggregates only: F1@0.3 0.955, speaker 0.946. Not to be tuned on; the
    floors only catch regressions."""
    from wiretrace.eval import run

    out = run("quotes", BLIND)
    assert out["n_gold"] == 80
    assert out["f1_0.3"] >= 0.93
    assert out["speaker_accuracy"] >= 0.88


BLIND2 = Path(__file__).parent / "fixtures_quotes" / "quotes_blind2.jsonl"


@pytest.mark.gate
def test_eval_quotes_second_blind_set_floors() -> None:
    """90 passages (uk/ru/de/es 20 each, en/fr 5 each; 97 quotes) written in session 5 by an
    engineer who saw no code and no eval data, and scored by the lead alone: the engineers who
    changed the extractor never saw it. Before their work (quotes.v3, the harness of then):
    F1@0.3 0.929, speaker 0.753; quotes.v4 with entities.v5: F1@0.3 0.963, speaker 0.956.
    Not to be tuned on; the floors only catch regressions."""
    from wiretrace.eval import run

    out = run("quotes", BLIND2)
    assert out["n_gold"] == 97
    assert out["f1_0.3"] >= 0.94
    assert out["speaker_accuracy"] >= 0.92
