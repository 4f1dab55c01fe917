"""Events harness on CASE 2021 task 2 snippets: the team's label table and the snippets' figures.

The snippets below are our own, written for these tests in the CASE format; none comes from the
shared task's data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wiretrace.eval import run
from wiretrace.eval.events import _scored, as_events_format
from wiretrace.eval.events_case import CASE_TO_PLOVER, as_events_record, subtask_of
from wiretrace.model import Event

SNIPPETS = [
    ("c1", "ARMED_CLASH", 1, "Troops and rebel fighters clashed near the border town of Kuma "
     "overnight, leaving six soldiers dead, the army said."),
    ("c2", "ARREST", 1, "Police arrested fourteen opposition activists in Nairobi on Monday."),
    ("c3", "PEACE_PROTEST", 1, "Thousands of teachers marched peacefully through the capital on "
     "Saturday to demand higher pay."),
    ("c4", "NATURAL_DISASTER", 2, "Floods swept through three villages in the north after days "
     "of heavy rain, officials said."),
    ("c5", "DIPLO", 3, "The foreign ministers of Chile and Peru met in Lima on Tuesday to discuss "
     "the fishing dispute."),
    ("c6", "ATTRIB", 3, "A little-known group said in an online statement that it had carried "
     "out last week's bombing."),
]  # fmt: skip


def _records() -> list[dict[str, object]]:
    return [
        {"id": i, "source": "own", "lang": "en", "text": t, "label": lab, "subtask": st}
        for i, lab, st, t in SNIPPETS
    ]


def test_case_table_maps_every_label_of_the_task_and_refuses_others() -> None:
    labels = set(
        [
            "ARMED_CLASH",
            "DISR_WEAP",
            "PEACE_PROTEST",
            "VIOL_DEMONSTR",
            "MAN_MADE_DISASTER",
            "GRENADE",
            "DIPLO",
            "SUIC_BOMB",
            "GOV_REGAINS_TERIT",
            "CHEM_WEAP",
            "NATURAL_DISASTER",
            "AIR_STRIKE",
            "ART_MISS_ATTACK",
            "REM_EXPLOS",
            "ARREST",
            "AGREEMENT",
            "CHANGE_TO_GROUP_ACT",
            "ORG_CRIME",
            "ATTRIB",
            "ATTACK",
            "NON_STATE_ACTOR_OVERTAKES_TER",
            "FORCE_AGAINST_PROTEST",
            "SEX_VIOL",
            "HQ_ESTABLISHED",
            "PROTEST_WITH_INTER",
            "NON_VIOL_TERRIT_TRANSFER",
            "PROPERTY_DISTRUCT",
            "ABDUCT_DISSAP",
            "MOB_VIOL",
            "OTHER",
        ]
    )
    assert set(CASE_TO_PLOVER) == labels
    assert CASE_TO_PLOVER["FORCE_AGAINST_PROTEST"] == "COERCE"
    assert CASE_TO_PLOVER["NON_VIOL_TERRIT_TRANSFER"] == "RETREAT"
    assert CASE_TO_PLOVER["MAN_MADE_DISASTER"] is None
    with pytest.raises(ValueError, match="KIDNAP"):
        as_events_record({"id": "x", "text": "t", "label": "KIDNAP"})


def test_case_record_becomes_one_gold_event_or_none_and_keeps_its_subtask() -> None:
    recs = as_events_format(_records())
    assert recs[0]["events"] == [{"type": "ASSAULT"}]
    assert recs[3]["events"] == [] and recs[3]["subtask"] == 2
    # A record of the format without a sub-task (our own snippets) gets its label's.
    assert subtask_of({"label": "DIPLO"}) == 3 and subtask_of({"label": "ORG_CRIME"}) == 2
    assert subtask_of({"label": "GRENADE"}) == 1
    plover = {"id": "p", "text": "x", "events": [{"type": "AGREE"}]}
    assert as_events_format([plover]) == [plover]  # told apart per record


def test_case_figures_count_matches_precision_false_alarms_and_subtasks() -> None:
    recs = as_events_format(_records())
    preds = [
        [Event(type="ASSAULT"), Event(type="ASSAULT")],  # two clashes told: one gold event
        [Event(type="ASSAULT")],  # wrong type
        [Event(type="PROTEST")],
        [Event(type="ASSAULT")],  # a flood given an event: false alarm
        [],  # the meeting missed
        [],
    ]
    out = _scored(recs, preds)
    assert out["format"] == "case2021"
    assert out["n_event_records"] == 4 and out["type_accuracy"] == 0.5
    assert out["n_pred"] == 5 and out["precision"] == 0.4
    assert out["precision_of_type"] == 0.6  # both clash events are of the snippet's type
    assert out["no_event_records"] == 2 and out["false_alarm_records"] == 1
    assert out["by_label"]["ARREST"] == {"type": "COERCE", "records": 1, "matched": 0}
    assert out["by_label"]["NATURAL_DISASTER"] == {"type": None, "records": 1, "false_alarms": 1}
    sub = out["by_subtask"]
    assert sub["1"]["n_event_records"] == 3 and sub["1"]["type_accuracy"] == round(2 / 3, 4)
    assert sub["2"]["no_event_records"] == 1 and sub["3"]["no_event_records"] == 2
    assert sub["3"]["n_event_records"] == 4


def test_case_and_plover_records_in_one_file_are_scored_apart() -> None:
    plover = {
        "id": "p1",
        "lang": "en",
        "text": "x",
        "events": [{"type": "REJECT", "actor_text": None, "recipient_text": None}],
    }
    recs = [plover, *as_events_format(_records()[:2])]
    out = _scored(recs, [[Event(type="REJECT")], [Event(type="ASSAULT")], []])
    assert out["n_gold"] == 1 and out["type_accuracy"] == 1.0 and out["actor_match"] == 1.0
    assert out["case2021"]["n_records"] == 2 and out["case2021"]["type_accuracy"] == 0.5


def test_eval_events_runs_the_coder_on_a_case_file(tmp_path: Path) -> None:
    path = tmp_path / "case.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in _records()), encoding="utf-8")
    out = run("events", path)
    assert out["format"] == "case2021" and out["n_records"] == 6
    assert out["n_event_records"] == 4 and out["no_event_records"] == 2
    assert set(out["by_subtask"]) == {"1", "2", "3"}
    assert "actor_match" not in out  # the snippets name no participants
    # The coder reads the plain clash and arrest snippets (our sentences, no tuning on them).
    assert out["by_label"]["ARMED_CLASH"]["matched"] == 1
    assert out["by_label"]["ARREST"]["matched"] == 1
