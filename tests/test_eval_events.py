"""Events harness: the overlap rule, greedy one-to-one matching, and the accuracy gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wiretrace.eval import run
from wiretrace.eval.events import evaluate, overlaps, score_record
from wiretrace.model import Event, Participant

SHARED = Path(__file__).parents[1] / ".." / "shared"
DEV = SHARED / "eval" / "events" / "dev.jsonl"


def _ev(typ: str, actors: tuple[str, ...] = (), recipients: tuple[str, ...] = ()) -> Event:
    return Event(
        type=typ,
        actors=tuple(Participant(a) for a in actors),
        recipients=tuple(Participant(r) for r in recipients),
    )


def test_eval_events_overlap_is_folded_containment_or_shared_content_token() -> None:
    assert overlaps(["Louis Bono"], "Bono")
    assert overlaps(["les États-Unis"], "etats-unis")
    assert overlaps(["Senior Hungarian officials"], "Hungarian; Romanian")
    assert overlaps(["U.S. negotiators"], "U.S. ... negotiators")
    assert not overlaps(["the Russian side"], "Ukraine")
    # Function words alone do not make two phrases overlap.
    assert not overlaps(["the army of Chad"], "the people of Mali")


def test_eval_events_null_gold_matches_only_empty_prediction() -> None:
    assert overlaps([], None)
    assert overlaps([], "")
    assert not overlaps(["Syria"], None)
    assert not overlaps([], "Syria")


def test_eval_events_one_prediction_matches_one_gold_event() -> None:
    gold = [
        {"type": "REJECT", "actor_text": "Rebels", "recipient_text": "Senegalese"},
        {"type": "REJECT", "actor_text": "Rebels", "recipient_text": "peacekeeping force"},
    ]
    counts = score_record(gold, [_ev("REJECT", ("Ivory Coast rebels",), ("Senegalese",))])
    assert counts == {"n_gold": 2, "n_pred": 1, "matched": 1, "actor": 1, "recipient": 1}


def test_eval_events_spurious_predictions_lower_precision_only() -> None:
    gold = [{"type": "ASSAULT", "actor_text": "Hezbollah", "recipient_text": None}]
    preds = [_ev("ASSAULT", ("Hezbollah guerrillas",)), _ev("PROTEST", ("crowd",))]
    counts = score_record(gold, preds)
    assert counts["matched"] == 1 and counts["n_pred"] == 2
    assert counts["actor"] == 1 and counts["recipient"] == 1


def test_eval_events_evaluate_reports_the_issue_keys(tmp_path: Path) -> None:
    records = [
        {
            "id": "1",
            "lang": "en",
            "text": "Libya rejected the British request on Monday.",
            "events": [{"type": "REJECT", "actor_text": "Libya", "recipient_text": "British"}],
        },
        {
            "id": "2",
            "lang": "en",
            "text": "Rebels shelled the capital overnight.",
            "events": [{"type": "ASSAULT", "actor_text": "Rebels", "recipient_text": "capital"}],
        },
    ]
    out = evaluate(records)
    for key in ("type_accuracy", "precision", "actor_match", "recipient_match", "n_gold", "n_pred"):
        assert key in out
    assert out["n_gold"] == 2
    assert out["type_accuracy"] == 1.0
    assert out["actor_match"] == 1.0
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    assert run("events", path) == out


@pytest.mark.gate
def test_eval_events_dev_accuracy_floors() -> None:
    if not DEV.is_file():
        pytest.skip("../shared/eval/events/dev.jsonl is not available")
    out = run("events", DEV)
    # Measured 0.912 / 0.936 / 0.959 / 0.767 (160 gold, 156 predicted); floors sit just below.
    assert out["type_accuracy"] >= 0.89
    assert out["precision"] >= 0.91
    assert out["actor_match"] >= 0.95
    assert out["recipient_match"] >= 0.75
