"""CASE 2021 task 2 snippets in the events eval: their labels as PLOVER types, and their figures.

A record of that format (``{"id", "source", "lang", "text", "label", "subtask"}``,
``shared/eval/README.md`` section 2) carries one ACLED-style label for a whole news snippet and
no participants. :func:`as_events_record` turns it into a record of the events format with the
label's PLOVER type as its one gold event (no event for the labels PLOVER has no type for), so
the coder is fitted and scored on it exactly as on the PLOVER records; :func:`case_figures` adds
what the snippets' labels allow:

* **type accuracy** = share of snippets with an event label in which an event of the mapped type
  is found (the events format's type accuracy, one gold event per snippet);
* **precision** = matched predictions / predictions, as for the PLOVER records (one prediction
  matches the snippet's one gold event), and ``precision_of_type`` = share of predictions whose
  type is the snippet's mapped type (a snippet that tells two clashes is not wrong twice);
* **false alarms** = snippets with a no-event label (disasters, crime, group changes,
  attributions, other) given an event;
* ``by_label`` (snippets, mapped type, matched or false alarms) and ``by_subtask``: sub-task k is
  scored on the snippets whose ``subtask`` is k or less, as the shared task does (1: the 25 ACLED
  types, 2: + ORG_CRIME / NATURAL_DISASTER / MAN_MADE_DISASTER, 3: + DIPLO / ATTRIB). A record
  without ``subtask`` (our own snippets in this format) gets its label's.

Actor and recipient are not scored: the snippets name none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import Event

# The team's decision, not CASE's or ACLED's: which PLOVER type each ACLED-style label of CASE
# 2021 task 2 is, so the coder (which codes PLOVER) can be scored on those snippets. Every form of
# violence against people or property, and the taking of territory by force, is ASSAULT; any
# demonstration, violent or met with intervention, is PROTEST (its doers are the demonstrators);
# the authorities' force against demonstrators, arrests and the seizure of weapons are COERCE;
# an agreement is AGREE and diplomacy CONSULT; a new headquarters or base is MOBILIZE (a force
# positioning itself); a peaceful handover of territory is RETREAT. Labels with no PLOVER act
# (a group's change of activity, claims of responsibility, crime, disasters, other) are "no
# event": the coder should find none there.
CASE_TO_PLOVER: dict[str, str | None] = {
    **dict.fromkeys(
        [
            "ARMED_CLASH",
            "ATTACK",
            "AIR_STRIKE",
            "ART_MISS_ATTACK",
            "GRENADE",
            "SUIC_BOMB",
            "REM_EXPLOS",
            "CHEM_WEAP",
            "SEX_VIOL",
            "ABDUCT_DISSAP",
            "MOB_VIOL",
            "PROPERTY_DISTRUCT",
            "GOV_REGAINS_TERIT",
            "NON_STATE_ACTOR_OVERTAKES_TER",
        ],
        "ASSAULT",
    ),
    **dict.fromkeys(["VIOL_DEMONSTR", "PEACE_PROTEST", "PROTEST_WITH_INTER"], "PROTEST"),
    **dict.fromkeys(["FORCE_AGAINST_PROTEST", "ARREST", "DISR_WEAP"], "COERCE"),
    "AGREEMENT": "AGREE",
    "DIPLO": "CONSULT",
    "HQ_ESTABLISHED": "MOBILIZE",
    "NON_VIOL_TERRIT_TRANSFER": "RETREAT",
    **dict.fromkeys(
        [
            "CHANGE_TO_GROUP_ACT",
            "ATTRIB",
            "ORG_CRIME",
            "NATURAL_DISASTER",
            "MAN_MADE_DISASTER",
            "OTHER",
        ],
        None,
    ),
}

# The first sub-task whose label set holds the label (the 25 ACLED types are sub-task 1).
_LATER_SUBTASK = {
    "ORG_CRIME": 2,
    "NATURAL_DISASTER": 2,
    "MAN_MADE_DISASTER": 2,
    "DIPLO": 3,
    "ATTRIB": 3,
}
SUBTASKS = (1, 2, 3)


def is_case_record(rec: dict[str, Any]) -> bool:
    """A CASE 2021 task 2 record: a ``label`` and no ``events`` list."""
    return "label" in rec and "events" not in rec


def subtask_of(rec: dict[str, Any]) -> int:
    """The record's sub-task, or its label's when the record has none."""
    given = rec.get("subtask")
    return int(given) if given is not None else _LATER_SUBTASK.get(str(rec["label"]), 1)


def plover_type(label: str) -> str | None:
    """The PLOVER type of a CASE label (None: no event); an unknown label is an error."""
    if label not in CASE_TO_PLOVER:
        raise ValueError(f"unknown CASE 2021 label {label!r}")
    return CASE_TO_PLOVER[label]


def as_events_record(rec: dict[str, Any]) -> dict[str, Any]:
    """The record in the events format: the mapped type as its one gold event (none for a
    no-event label), without participants; ``label`` and ``subtask`` kept for the figures."""
    typ = plover_type(str(rec["label"]))
    return {
        "id": rec.get("id"),
        "lang": rec.get("lang") or "en",
        "text": rec.get("text", ""),
        "events": [] if typ is None else [{"type": typ}],
        "label": str(rec["label"]),
        "subtask": subtask_of(rec),
    }


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def _figures(rows: Sequence[tuple[dict[str, Any], Sequence[Event], int]]) -> dict[str, Any]:
    """Figures of (converted record, predictions, matched) rows."""
    events = [(rec, pred, hit) for rec, pred, hit in rows if rec["events"]]
    empty = [pred for rec, pred, _ in rows if not rec["events"]]
    n_pred = sum(len(pred) for _, pred, _ in rows)
    of_type = sum(sum(e.type == rec["events"][0]["type"] for e in pred) for rec, pred, _ in events)
    return {
        "type_accuracy": _ratio(sum(hit for _, _, hit in events), len(events)),
        "precision": _ratio(sum(hit for _, _, hit in events), n_pred),
        "precision_of_type": _ratio(of_type, n_pred),
        "n_event_records": len(events),
        "n_pred": n_pred,
        "no_event_records": len(empty),
        "false_alarm_records": sum(bool(pred) for pred in empty),
    }


def case_figures(
    records: Sequence[dict[str, Any]], predicted: Sequence[Sequence[Event]], matched: Sequence[int]
) -> dict[str, Any]:
    """The snippets' figures (module docstring) from converted records, their predicted events
    and how many gold events each matched."""
    rows = list(zip(records, predicted, matched, strict=True))
    by_label: dict[str, dict[str, Any]] = {}
    for rec, pred, hit in rows:
        typ = plover_type(rec["label"])
        outcome = "matched" if typ is not None else "false_alarms"
        row = by_label.setdefault(rec["label"], {"type": typ, "records": 0, outcome: 0})
        row["records"] += 1
        row[outcome] += hit if typ is not None else bool(pred)
    return {
        **_figures(rows),
        "n_records": len(rows),
        "by_label": dict(sorted(by_label.items())),
        "by_subtask": {
            str(k): _figures([r for r in rows if r[0]["subtask"] <= k]) for k in SUBTASKS
        },
    }
