"""Events harness: the overlap rule, greedy one-to-one matching, and the accuracy gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wiretrace.eval import read_jsonl, run
from wiretrace.eval.events import (
    _example_writers,
    _scored,
    cross_validate,
    evaluate,
    examples_held,
    fold_of,
    writer_of,
)
from wiretrace.eval.events_score import overlaps, score_record
from wiretrace.model import Event, Participant
from wiretrace.textutil import fold

SHARED = Path(__file__).parents[1] / ".." / "shared"
DEV = SHARED / "eval" / "events" / "dev.jsonl"
# Our own news-style sentences in six languages, written from the PLOVER definitions and frozen
# before the coder was ever run on them; nothing is fitted or tuned on them.
INDEPENDENT = Path(__file__).parent / "fixtures_events" / "events_independent.jsonl"
# Measured on it with the shipped coder: type accuracy 0.812, precision 0.837, 7 of the 47
# no-event records given an event. Before any change of this issue's session 0.624 / 0.830;
# after the classifier's centring and the basic languages' readings of every sentence 0.632 /
# 0.832 (that step used no vocabulary). The rest came with the basic lexicons' parity with the
# English one, written by the author of this set after writing it: an optimistic figure.
# Session 5 (codebook vocabulary and examples, German separable verbs and compounds, agent
# nouns, es/de/uk news vocabulary): 0.865 / 0.858, 9 false alarms (de 19/22, was 15/22).
# events.v5 (709 outside examples and the entries they induce; the 11 outside examples that
# paraphrase a sentence of this set were left out): 0.872 / 0.853, 10 false alarms (en 25/29;
# 9 with the 21 English outside examples later removed, see the CV test).
# events.v7 (978 more outside examples: CAMEO sub-code sentences and ACLED-style snippets, none
# sharing half its words with a sentence of this set): 0.887 / 0.874, 9 false alarms.
# events.v8 (no actor, no event; CAMEO sub-code rules; reported events): 0.910 / 0.883, 8.
# events.v9 (nominalisations, the adverb of sexual assault): the same, 0.910 / 0.883, 8.
# events.v10 (attacks on property, bases, claims of responsibility): the same, 0.910 / 0.883, 8.
INDEPENDENT_FLOORS = {"type_accuracy": 0.90, "precision": 0.88, "false_alarm_records": 8}


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
    # Measured 0.844 / 0.900 / 0.956 / 0.785 (in-sample, events.v5; 0.856 / 0.913 / 0.956 /
    # 0.781 with events.v4); events.v7 0.838 / 0.899 / 0.948 / 0.784 (more outside examples
    # weigh less on dev in fitting: the gap closed from both sides); floors sit just below.
    assert out["type_accuracy"] >= 0.83
    assert out["precision"] >= 0.88
    assert out["actor_match"] >= 0.94
    assert out["recipient_match"] >= 0.78


@pytest.mark.gate
def test_eval_events_cross_validated_floors_and_overfit_gap() -> None:
    """5-fold CV on dev (folds by record id, all fitting on four folds): the honest figure."""
    if not DEV.is_file():
        pytest.skip("../shared/eval/events/dev.jsonl is not available")
    records = list(read_jsonl(DEV))
    out = cross_validate(records, 5, ablations=False)
    # Each fold's rules read with the lexicon entries its training data supports (our examples
    # or the four training folds): the lexicon is fitted in folds like the weights.
    assert len(out["lexicon_entries_dropped_by_fold"]) == 5
    # Measured (events.v5: our examples, the 672 outside examples of examples_external.tsv and
    # the entries they induce) 0.750 / 0.851 / 0.950 / 0.775, in-sample type accuracy 0.844 (gap
    # 0.094); events.v4 read 0.750 / 0.870, in-sample 0.856 (gap 0.106). (0.769, gap 0.075, was
    # measured with 21 more English outside examples, removed because the request to their
    # writer named words taken from the list of dev-only entries.) The issue's targets, type
    # >= 0.80 and gap <= 0.05, were not met until events.v9; the English entries that code dev
    # sentences only (no example of ours or of the outside engineer) made the gap. events.v7
    # (978 more outside examples, CAMEO sub-codes and ACLED-style snippets): 0.781 / 0.856 /
    # 0.944 / 0.784, in-sample 0.838, gap 0.056 (11 dev-only entries over the folds, was 17).
    # events.v8: 0.788 / 0.857 / 0.944 / 0.786, in-sample 0.844, gap 0.056. events.v9
    # (nominalisations read as their verb's act, sexual assault by the adverb: class rules,
    # tested on our own sentences): 0.806 / 0.866 / 0.946 / 0.791, in-sample 0.844, gap 0.038.
    # events.v10 (property attacked by fire, explosives or vandalism is ASSAULT, CAMEO 1712 by the
    # 2021 table; one GSR record codes it COERCE): 0.800 / 0.859 / 0.945 / 0.797, in-sample
    # 0.838, gap 0.038.
    # The type and gap floors are now the issue's targets.
    assert out["type_accuracy"] >= 0.80  # issue target
    assert out["precision"] >= 0.85
    assert out["actor_match"] >= 0.94
    assert out["recipient_match"] >= 0.78
    assert out["gap_type_accuracy"] <= 0.05  # issue target


def test_eval_events_folds_are_fixed_by_record_id() -> None:
    ids = [f"PLOVER-{n}" for n in range(200)]
    folds = [fold_of(i, 5) for i in ids]
    assert folds == [fold_of(i, 5) for i in reversed(ids)][::-1]  # order does not matter
    assert set(folds) == {0, 1, 2, 3, 4}
    assert min(folds.count(f) for f in range(5)) >= 25  # roughly even


@pytest.mark.gate
def test_eval_events_held_out_floors_of_a_classifier_fitted_on_our_examples_only() -> None:
    """Fitted on examples.tsv alone, scored on every dev record: no dev record was seen."""
    if not DEV.is_file():
        pytest.skip("../shared/eval/events/dev.jsonl is not available")
    out = run("events", DEV, train_on="examples")
    # Measured 0.750 / 0.857 / 0.950 / 0.775 (events.v5: our examples and the outside ones),
    # the rules reading without the 17 lexicon entries only dev supports (events.v4: 0.750 /
    # 0.876 without 19; 0.831 with them, when they were counted as held out).
    # events.v7: 0.781 / 0.862 / 0.944 / 0.784 without 11 entries; events.v8 0.788 / 0.863 /
    # 0.944 / 0.786 without 10; events.v9 0.806 / 0.872 / 0.946 / 0.791 without 8.
    # events.v10 0.800 / 0.865 / 0.945 / 0.797 without 8.
    assert out["trained_on"] == "examples"
    assert out["lexicon_entries_dropped"] > 0
    assert out["type_accuracy"] >= 0.80
    assert out["precision"] >= 0.86
    assert out["actor_match"] >= 0.94
    assert out["recipient_match"] >= 0.78


@pytest.mark.gate
def test_eval_events_independent_set_floors() -> None:
    """The shipped coder on the frozen independent set (six languages, hard negatives)."""
    out = run("events", INDEPENDENT)
    assert out["n_records"] == 180 and out["no_event_records"] == 47
    assert set(out["by_lang"]) == {"en", "fr", "de", "es", "ru", "uk"}
    # Measured: see the README's events section; floors sit just below.
    assert out["type_accuracy"] >= INDEPENDENT_FLOORS["type_accuracy"]
    assert out["precision"] >= INDEPENDENT_FLOORS["precision"]
    assert out["false_alarm_records"] <= INDEPENDENT_FLOORS["false_alarm_records"]


def test_eval_events_breakdown_counts_types_languages_and_false_alarms() -> None:
    records = [
        {
            "id": "a",
            "lang": "en",
            "text": "x",
            "events": [{"type": "ASSAULT", "actor_text": "A", "recipient_text": None}],
        },
        {"id": "b", "lang": "de", "text": "y", "events": []},
        {"id": "c", "lang": "de", "text": "z", "events": []},
    ]
    preds = [[_ev("ASSAULT", ("A",))], [_ev("PROTEST", ("B",))], []]
    out = _scored(records, preds)
    assert out["by_type"] == {"ASSAULT": {"gold": 1, "matched": 1}}
    assert out["by_lang"]["en"] == {"gold": 1, "matched": 1}
    assert out["no_event_records"] == 2 and out["false_alarm_records"] == 1
    assert out["precision"] == 0.5


def test_eval_events_train_on_is_checked() -> None:
    with pytest.raises(ValueError, match="train_on"):
        evaluate([], train_on="dev")
    with pytest.raises(ValueError, match="cross-validation"):
        evaluate([], cv=5, train_on="examples")


def test_eval_events_independent_set_is_well_formed() -> None:
    records = list(read_jsonl(INDEPENDENT))
    assert len({r["id"] for r in records}) == len(records) == 180
    for rec in records:
        for ev in rec["events"]:
            for part in (ev["actor_text"] or "").split(";"):
                assert part.strip() in rec["text"]
            assert ev["recipient_text"] is None or ev["recipient_text"] in rec["text"]


BLIND = Path(__file__).parent / "fixtures_events" / "events_blind.jsonl"


@pytest.mark.gate
def test_eval_events_blind_set_floors() -> None:
    """A second held-out set, written by someone who saw neither the coder's code, its word
    lists, nor any eval data (150 sentences, en/fr/de/es/ru/uk, 16 types x 6, 54 with no event),
    frozen before it was run once (type 0.719, precision 0.775, actor 0.797, recipient 0.580,
    14 of 54 no-event sentences given an event). Nothing may be tuned by reading its misses:
    the floors only catch regressions. events.v4, run once at the end of session 5: type 0.781,
    precision 0.750, 13 of 54 false alarms (aggregates only were read). events.v5 (outside
    examples imported), run once: type 0.813, precision 0.765, 13 of 54 false alarms; 8 of the
    709 outside examples share half their words or more with a sentence of this set (none is
    identical), so that figure may be a little optimistic. After those 8 and 21 English outside
    examples were removed (the request to their writer named words from the dev-only list),
    run once: type 0.802, precision 0.755, 14 of 54 false alarms."""
    out = run("events", BLIND)
    assert out["n_records"] == 150 and out["no_event_records"] == 54
    assert out["type_accuracy"] >= 0.69
    assert out["precision"] >= 0.74
    assert out["false_alarm_records"] <= 16


BLIND2 = Path(__file__).parent / "fixtures_events" / "events_blind2.jsonl"


@pytest.mark.gate
def test_eval_events_second_blind_set_floors() -> None:
    """180 sentences (en/fr/de/es/ru/uk x 30; 123 events of the 16 types, 60 with no event)
    written in session 5 by an engineer who saw neither the coder nor any eval data, scored by
    the lead alone: the engineers who changed the coder never saw it, and outside examples that
    paraphrase its sentences are not imported. Before their work (events.v3): type 0.610,
    precision 0.750, actor 0.760, recipient 0.547, 12 of 60 false alarms; events.v6: 0.756 /
    0.809 / 0.753 / 0.516, 10 of 60; events.v8: 0.756 / 0.802 / 0.742 / 0.516, 12 of 60.
    Not to be tuned on; the floors only catch regressions."""
    out = run("events", BLIND2)
    assert out["n_records"] == 180 and out["no_event_records"] == 60
    assert out["type_accuracy"] >= 0.72
    assert out["precision"] >= 0.77
    assert out["false_alarm_records"] <= 13


BLIND3 = Path(__file__).parent / "fixtures_events" / "events_blind3_acled.jsonl"


@pytest.mark.gate
def test_eval_events_third_blind_set_acled_style_floors() -> None:
    """210 English news snippets in the CASE 2021 task-2 format (30 ACLED-style labels x 7; 42
    of them no PLOVER event under the team's table in eval/events_case.py: disasters, crime,
    claims, group changes, other), written in session 6 by an engineer who saw no code, no eval
    data and neither outside writer's examples, scored by the lead alone; the five outside
    examples that share half their words with one of its snippets are not imported. Before
    that session's work (events.v6): type 0.434, precision 0.408, 29 of 42 false alarms;
    events.v7: 0.661 / 0.558, 27; events.v8: 0.661 / 0.555, 25. Not to be tuned on; the floors
    only catch regressions."""
    out = run("events", BLIND3)
    assert out["n_records"] == 210 and out["no_event_records"] == 42
    assert out["type_accuracy"] >= 0.64
    assert out["precision"] >= 0.53
    assert out["false_alarm_records"] <= 27


def test_eval_events_writer_is_the_source_else_the_id_prefix() -> None:
    assert writer_of("EX4-0001") == "EX4"
    assert writer_of("EX4-0001", "acled-writer") == "acled-writer"
    assert writer_of("PLOVER-GSR01-AGREE-0001", "plover-gsr") == "plover-gsr"
    assert writer_of("plain") == "plain"


def test_eval_events_a_fold_fits_on_no_held_text_and_by_writer_on_none_of_its_writer() -> None:
    texts = [fold(t) for t in ("Rebels shelled the town.", "Talks resumed.", "A quiet day.")]
    writers = ["EX4", "EX3", ""]
    held = [{"id": "EX4-0100", "text": "Troops fired tear gas at marchers."}]
    assert examples_held(texts, writers, held, by_writer=True) == {0}
    assert examples_held(texts, writers, held, by_writer=False) == set()
    # The same text in another record is never fitted on, whoever wrote it.
    held_same = [{"id": "X-1", "source": "other", "text": "  talks resumed. "}]
    assert examples_held(texts, writers, held_same, by_writer=False) == {1}
    # A writer-less example (our own examples.tsv) goes with no writer.
    assert examples_held(texts, writers, [{"id": "-9", "text": "x"}], by_writer=True) == set()


def test_eval_events_imported_examples_know_their_writer() -> None:
    writers = _example_writers()
    assert set(writers.values()) == {"EX2", "EX3", "EX4"}
    # 240 written; the 4 sharing half their words with a snippet of the third blind set are out.
    assert sum(w == "EX4" for w in writers.values()) == 236


def test_eval_events_cv_by_is_checked() -> None:
    with pytest.raises(ValueError, match="cv_by"):
        evaluate([], cv_by="outlet")
    with pytest.raises(ValueError, match="cv_by"):
        cross_validate([], 5, by="outlet")
