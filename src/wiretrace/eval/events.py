"""Event-coding accuracy on the ``events`` JSONL format, so event figures mean the same everywhere.

Each record is one text with gold PLOVER events (``type``, ``actor_text``, ``recipient_text``). The
text is run through :func:`wiretrace.stages.events.stage.extract_events` and scored as follows.

* **type accuracy** = share of gold events for which a predicted event of the same type exists in
  the same text. Matching is greedy in gold order and one-to-one: a prediction matches at most one
  gold event; among same-type predictions the one whose actor overlaps best is taken first.
* **precision** = matched predictions / ``n_pred`` (every predicted event counts, whatever its
  auxiliary mode, since the gold marks stated intentions and refusals as events too).
* **actor (recipient) match** = among type-matched gold events, the share whose predicted actor
  (recipient) text *overlaps* the gold text. Overlap is defined on accent- and case-folded text
  (:func:`wiretrace.textutil.fold`): the two strings overlap when one contains the other, or when
  they share a content token, a token being a run of letters or digits of two or more characters
  that is not a function word (articles, prepositions, conjunctions of English and French). When a
  side has several participants their texts are compared pairwise and any overlap counts; a gold
  ``null`` (or empty) actor or recipient matches only an empty prediction.

With ``cv=k`` the coder is cross-validated: records go to k folds by a hash of their id (so a
record's fold never depends on the file's order or size), or with ``cv_by="source"`` one fold per
writer (the record's ``source``, else its id up to the first "-": ``EX4-0001`` is writer
``EX4``), and each fold is coded by a classifier
fitted on our own codebook examples plus the other k-1 folds only, over the rules' readings with
the lexicon entries those same texts support (:mod:`wiretrace.stages.events.lexfit`: an entry
that codes only held-out records was written looking at them, and is dropped for that fold); the
in-sample figure (one classifier and the full lexicon, fitted on all records) is reported beside
it, with their gap. Our own examples are fitting data like the training folds, so an example is
left out of a fold's fitting (and counts as held out for its lexicon) when its text is a held-out
record's, or (by writer) its writer is the held-out one (the writer of an imported example is the prefix of its
id in ``examples_external.jsonl``): scoring the outside writer's ACLED-style snippets with
``cv_by="source"`` fits without any of that writer's sentences or the entries only they support.
``cv_without_rule_signals`` is the same cross-validation with the rules' type
withheld from the classifier, and ``rules_only`` the rule coder alone with the full lexicon.

With ``train_on="examples"`` the classifier is fitted on our own codebook examples only
(``stages/events/examples.tsv``) and scored on every record, the rules reading without the
entries that only these records support: no record of the file was seen in fitting.

Records of the CASE 2021 task 2 format (one ACLED-style ``label`` for a news snippet, told apart
per record) are scored too: their label becomes the PLOVER type of one gold event, or none, by the
team's table (:mod:`.events_case`, which also gives their figures: type accuracy, precision, false
alarms on no-event labels, by label and by sub-task).

Every figure carries ``by_type`` and ``by_lang`` (gold events and type-matched ones) and
``no_event_records`` / ``false_alarm_records``: records whose gold has no event, and how many of
them the coder gave an event anyway (disasters, talk about past attacks, background).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np

from ..textutil import fold
from .events_score import (
    _article,
    _ratio,
    _scored,
)


def fold_of(record_id: str, k: int) -> int:
    """The fold of a record: a hash of its id, fixed whatever the file's order or size."""
    return int(hashlib.sha256(record_id.encode("utf-8")).hexdigest(), 16) % k


TRAIN_ON = ("shipped", "examples")
CV_BY = ("id", "source")


def writer_of(record_id: str, source: object = None) -> str:
    """Who wrote a record or an example: its ``source``, else its id up to the first "-"."""
    if isinstance(source, str) and source.strip():
        return source.strip()
    return record_id.partition("-")[0]


def evaluate(
    records: list[dict[str, Any]],
    cv: int | None = None,
    train_on: str = "shipped",
    cv_by: str = "id",
) -> dict[str, Any]:
    """Score the event coder on ``records`` of the events format; returns the issue's keys.

    Without ``cv`` the shipped coder is scored, or with ``train_on="examples"`` a classifier
    fitted on our own examples only; with ``cv=k``, see the module docstring.
    """
    if train_on not in TRAIN_ON:
        raise ValueError(f"train_on must be one of {', '.join(TRAIN_ON)}, not {train_on!r}")
    if cv_by not in CV_BY:
        raise ValueError(f"cv_by must be one of {', '.join(CV_BY)}, not {cv_by!r}")
    records = as_events_format(records)
    if cv or cv_by != "id":
        if train_on != "shipped":
            raise ValueError("cross-validation fits its own classifiers; drop train_on")
        return cross_validate(records, cv or 5, by=cv_by)
    if train_on == "examples":
        return held_out(records)
    from ..stages.events.stage import extract_events

    return _scored(records, [extract_events(_article(n, rec)) for n, rec in enumerate(records)])


def as_events_format(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records with each CASE 2021 snippet (told apart per record) in the events format."""
    from .events_case import as_events_record, is_case_record

    return [as_events_record(r) if is_case_record(r) else r for r in records]


def _gold_types(rec: dict[str, Any]) -> set[str]:
    return {str(e.get("type")) for e in rec.get("events") or []}


class _Fitting:
    """The texts every fit draws on, read once with the full lexicon, and their re-reading
    with the lexicon a fit may use (:mod:`wiretrace.stages.events.lexfit`)."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        from ..stages.events.train import example_articles, read_records, record_articles

        self.memo: dict[str, Any] = {}
        self.own_pairs = example_articles()
        self.own_labels = [lab for _, lab in self.own_pairs]
        writers = _example_writers()
        self.own_texts = [fold(a.body.strip()) for a, _ in self.own_pairs]
        self.own_writers = [writers.get(t, "") for t in self.own_texts]
        self.pairs = record_articles(records)
        self.labels = [lab for _, lab in self.pairs]
        self.own_read = read_records((a for a, _ in self.own_pairs), memo=self.memo)
        self.read = read_records((a for a, _ in self.pairs), memo=self.memo)
        from ..stages.events.lexfit import coded_by

        self.own_coded = [
            coded_by(r.readings, {lab})
            for r, (_, lab) in zip(self.own_read, self.own_pairs, strict=True)
        ]
        self.coded = [
            coded_by(r.readings, _gold_types(rec))
            for r, rec in zip(self.read, records, strict=True)
        ]

    def own_held(
        self, records: Sequence[dict[str, Any]], held: Sequence[int], by_writer: bool
    ) -> set[int]:
        """Our examples a fold must not fit on (:func:`examples_held`)."""
        held_records = [records[i] for i in held]
        return examples_held(self.own_texts, self.own_writers, held_records, by_writer)

    def dropped(
        self, train: Sequence[int], held: Sequence[int], own_held: Collection[int] = ()
    ) -> frozenset[str]:
        """Entries that code only held-out records and examples (no other example, no
        training record)."""
        from ..stages.events.lexfit import held_out_only

        own = [c for j, c in enumerate(self.own_coded) if j not in own_held]
        return held_out_only(
            [*own, *(self.coded[i] for i in train)],
            [*(self.coded[i] for i in held), *(self.own_coded[j] for j in own_held)],
        )

    def reread(self, dropped: frozenset[str]) -> tuple[list[Any], list[Any]]:
        """Our examples' and the records' readings under the lexicon without ``dropped``."""
        from ..stages.events.lexfit import without
        from ..stages.events.train import read_records

        langs = sorted({e.partition(":")[0] for e in dropped})
        lexicons = [lex for lang in langs if (lex := without(lang, dropped)) is not None]
        if not lexicons:
            return self.own_read, self.read
        own = read_records((r.article for r in self.own_read), lexicons, self.memo)
        return own, read_records((r.article for r in self.read), lexicons, self.memo)


def held_out(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures of a classifier fitted on our own examples only: none of ``records`` is seen,
    and the rules read them without the lexicon entries that only these records support.

    ``examples_in_sample`` (type accuracy of that classifier on its own training sentences)
    stands beside it.
    """
    from ..stages.events.lexfit import parses_kept
    from ..stages.events.stage import code_readings
    from ..stages.events.train import fit, own_units

    records = as_events_format(records)
    with parses_kept():
        data = _Fitting(records)
        dropped = data.dropped([], range(len(records)))
        own_read, read = data.reread(dropped)
    own = own_units(own_read, data.own_labels)
    model = fit(own)
    out = _scored(records, [code_readings(r.article, r.readings, r.vectors, model) for r in read])
    probs = model.probabilities(np.stack([u.vector for u in own]), [u.signals for u in own])
    hits = sum(model.classes[int(np.argmax(p))] == u.label for p, u in zip(probs, own, strict=True))
    return {
        **out,
        "trained_on": "examples",
        "examples_in_sample": _ratio(hits, len(own)),
        "lexicon_entries_dropped": len(dropped),
    }


def examples_held(
    texts: Sequence[str],
    writers: Sequence[str],
    held: Sequence[dict[str, Any]],
    by_writer: bool,
) -> set[int]:
    """Indices of our examples (folded ``texts``, their ``writers``) that a fit holding out the
    ``held`` records must not use: those whose text is a held record's, and with ``by_writer``
    every sentence of a held record's writer."""
    held_texts = {fold(str(r.get("text", "")).strip()) for r in held}
    held_writers = (
        {writer_of(str(r.get("id", "")), r.get("source")) for r in held} if by_writer else set()
    )
    return {
        j
        for j, (text, writer) in enumerate(zip(texts, writers, strict=True))
        if text in held_texts or (writer and writer in held_writers)
    }


def _example_writers() -> dict[str, str]:
    """Folded text of each imported example -> its writer (the prefix of its id)."""
    import json

    from ..stages.events.train import EXTERNAL

    path = EXTERNAL.with_suffix(".jsonl")
    if not path.is_file():
        return {}
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            out[fold(str(rec.get("text", "")).strip())] = writer_of(str(rec.get("id", "")))
    return out


def cross_validate(
    records: list[dict[str, Any]], k: int = 5, ablations: bool = True, by: str = "id"
) -> dict[str, Any]:
    """k-fold figures (everything fitted on the other folds) beside the in-sample ones.

    Each fold's classifier is fitted on our examples and the other folds, and the rules read
    every text with the lexicon entries those support (the entries that only the held-out fold
    supports are dropped). With ``by="source"`` the folds are the records' writers, one each
    (``k`` is not used), and a fold fits without that writer's examples. An example whose text
    is a held-out record's is never fitted on. ``ablations`` adds the rules alone (full
    lexicon) and the classifier without the rules' type.
    """
    from ..stages.events.lexfit import parses_kept
    from ..stages.events.stage import code_readings
    from ..stages.events.train import fit, own_units, units

    if by not in CV_BY:
        raise ValueError(f"cv_by must be one of {', '.join(CV_BY)}, not {by!r}")
    if by == "id" and k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    records = as_events_format(records)
    with parses_kept():
        data = _Fitting(records)
        if by == "id":
            folds = [fold_of(a.id, k) for a, _ in data.pairs]
        else:
            keys = [writer_of(str(r.get("id", i)), r.get("source")) for i, r in enumerate(records)]
            names = sorted(set(keys))
            folds, k = [names.index(key) for key in keys], len(names)
        held = {f: [i for i in range(len(records)) if folds[i] == f] for f in range(k)}
        train = {f: [i for i in range(len(records)) if folds[i] != f] for f in range(k)}
        own_out = {f: data.own_held(records, held[f], by == "source") for f in range(k)}
        dropped = {f: data.dropped(train[f], held[f], own_out[f]) for f in range(k)}
        fold_read = {f: data.reread(dropped[f]) for f in range(k)}

    def fitted(f: int, keep: Any) -> Any:
        own_read, read = fold_read[f]
        own = [j for j in range(len(own_read)) if j not in own_out[f]]
        own_fit = own_units([own_read[j] for j in own], [data.own_labels[j] for j in own])
        train_units = units([read[i] for i in train[f]], [data.labels[i] for i in train[f]])
        return fit(keep(own_fit + train_units))

    def score(coder: dict[int, tuple[Any, list[Any]]]) -> dict[str, Any]:
        preds = []
        for i, f in enumerate(folds):
            model, read = coder[f]
            r = read[i]
            preds.append(code_readings(r.article, r.readings, r.vectors, model))
        return _scored(records, preds)

    def without_rules(us: list[Any]) -> list[Any]:
        return [
            dataclasses.replace(u, signals=tuple(s for s in u.signals if not s.startswith("rule:")))
            for u in us
        ]

    everything = fit(own_units(data.own_read, data.own_labels) + units(data.read, data.labels))
    cv_fig = score({f: (fitted(f, list), fold_read[f][1]) for f in range(k)})
    in_fig = score(dict.fromkeys(range(k), (everything, data.read)))
    out = {
        **cv_fig,
        "folds": k,
        "cv_by": by,
        "examples_left_out_by_fold": [len(own_out[f]) for f in range(k)],
        "in_sample": in_fig,
        "gap_type_accuracy": round(in_fig["type_accuracy"] - cv_fig["type_accuracy"], 4),
        "lexicon_entries_dropped_by_fold": [len(dropped[f]) for f in range(k)],
    }
    if ablations:
        out["rules_only"] = score(dict.fromkeys(range(k), (None, data.read)))
        out["cv_without_rule_signals"] = score(
            {f: (fitted(f, without_rules), fold_read[f][1]) for f in range(k)}
        )
    return out
