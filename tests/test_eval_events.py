"""Events harness: the overlap rule, greedy one-to-one matching, and the accuracy gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wiretrace.eval import read_jsonl, run
from wiretrace.eval.events import cross_validate, evaluate, fold_of, overlaps, score_record
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
    """The shipped coder on dev: in-sample (dev trained it), so only a guard against breakage."""
    if not DEV.is_file():
        pytest.skip("../shared/eval/events/dev.jsonl is not available")
    out = run("events", DEV)
    # Measured 0.8875 / 0.934 / 0.951 / 0.754 (in-sample); floors sit just below.
    assert out["type_accuracy"] >= 0.86
    assert out["precision"] >= 0.90
    assert out["actor_match"] >= 0.93
    assert out["recipient_match"] >= 0.73


@pytest.mark.gate
def test_eval_events_cross_validated_floors_and_overfit_gap() -> None:
    """5-fold CV on dev (folds by record id, all fitting on four folds): the honest figure."""
    if not DEV.is_file():
        pytest.skip("../shared/eval/events/dev.jsonl is not available")
    records = list(read_jsonl(DEV))
    out = cross_validate(records, 5, ablations=False)
    # Measured 0.8375 / 0.924 / 0.955 / 0.769, in-sample type accuracy 0.8875 (gap 0.05).
    # The rule lexicon was written looking at dev, so its share of these figures is in-sample.
    assert out["type_accuracy"] >= 0.80
    assert out["precision"] >= 0.75
    assert out["actor_match"] >= 0.90
    assert out["recipient_match"] >= 0.75
    assert out["gap_type_accuracy"] <= 0.05


def test_eval_events_folds_are_fixed_by_record_id() -> None:
    ids = [f"PLOVER-{n}" for n in range(200)]
    folds = [fold_of(i, 5) for i in ids]
    assert folds == [fold_of(i, 5) for i in reversed(ids)][::-1]  # order does not matter
    assert set(folds) == {0, 1, 2, 3, 4}
    assert min(folds.count(f) for f in range(5)) >= 25  # roughly even
