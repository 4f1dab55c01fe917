"""Fit the event classifier; retraining is one deterministic command.

    python -m wiretrace.stages.events.train [--dev ../shared/eval/events/dev.jsonl] [--out PATH]

Training units are our own sentences written from the PLOVER codebook's definitions in six
languages (``examples.tsv``: language, type or NONE, sentence; hard negatives included), the
same kind of sentences written by an engineer who saw neither this coder nor any eval data
(``examples_external.tsv``, imported by :mod:`.induce`), plus the gold records of
``events/dev.jsonl``, read at training time and never copied into the package.
Each unit is the rules' reading of its sentence (:func:`.stage.read_article`) with its USE vector,
labelled with the gold type; a multinomial logistic regression (scikit-learn, lbfgs, fixed C)
is fitted and written as plain arrays. The same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from wiretrace.model import Article
from wiretrace.stages.events.classifier import (
    CLASSES,
    MODEL_PATH,
    NONE,
    Matrix,
    Model,
    design,
)
from wiretrace.stages.events.lexicon import Lexicon
from wiretrace.stages.events.reading import Reading
from wiretrace.stages.events.stage import embed_readings, read_article

EXAMPLES = Path(__file__).with_name("examples.tsv")
# Codebook sentences written outside this coder's work, by someone who saw neither the coder nor
# any eval data, imported by :mod:`.induce` (which also derives their trigger entries).
EXTERNAL = Path(__file__).with_name("examples_external.tsv")
DEV = Path("../shared/eval/events/dev.jsonl")
# Inverse regularisation strength, fixed before looking at any figure on dev.
C = 0.3
# A signal must occur in this many training units to get a weight.
MIN_COUNT = 2


@dataclass
class Unit:
    """One labelled training sentence: gold class, the rules' signals and the USE vector."""

    label: str
    signals: tuple[str, ...]
    vector: Matrix
    prototype: bool = False  # one of our own examples, which make the class prototypes


@dataclass
class ReadRecord:
    """A text read once (parse, rules, vectors), reusable by every fold of a cross-validation."""

    article: Article
    readings: list[Reading]
    vectors: Matrix


def read_records(
    articles: Iterable[Article],
    lexicons: Sequence[Lexicon] = (),
    memo: dict[str, Matrix] | None = None,
) -> list[ReadRecord]:
    """Parse and embed each article once; ``lexicons`` replace the shipped ones of their
    languages, ``memo`` (sentence text -> vector) saves embedding a sentence twice."""
    by_lang = {lex.lang: lex for lex in lexicons}
    memo = {} if memo is None else memo
    read = [(art, read_article(art, by_lang.get(art.language or ""))) for art in articles]
    vectors = embed_readings([r for _, rs in read for r in rs], memo)
    out = []
    row = 0
    for art, readings in read:
        out.append(ReadRecord(art, readings, vectors[row : row + len(readings)]))
        row += len(readings)
    return out


def unit_of(rec: ReadRecord, label: str) -> Unit | None:
    """The unit of a one-event text: its first sentence the rules could read, with the label."""
    for i, reading in enumerate(rec.readings):
        if reading.proposals:
            return Unit(label, reading.signals, rec.vectors[i])
    return None


def example_articles(paths: Sequence[Path] = (EXAMPLES, EXTERNAL)) -> list[tuple[Article, str]]:
    """Our codebook sentences as one-sentence articles, with their labels ("#" lines are
    comments; a missing file has none)."""
    out = []
    for k, path in enumerate(paths):
        if not path.is_file():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            lang, label, text = line.split("\t")
            if label not in CLASSES:
                raise ValueError(f"{path}:{n}: unknown class {label!r}")
            art_id = f"ex{n}" if k == 0 else f"ex{k}-{n}"
            out.append((Article(id=art_id, title="", body=text, language=lang), label))
    return out


def record_articles(records: Sequence[dict[str, Any]]) -> list[tuple[Article, str]]:
    """Gold records of the events format as articles, labelled with their first event's type."""
    out = []
    for n, rec in enumerate(records):
        events = rec.get("events") or []
        label = str(events[0]["type"]) if events else NONE
        art = Article(
            id=str(rec.get("id", n)),
            title="",
            body=str(rec.get("text", "")),
            language=rec.get("lang") or "en",
        )
        out.append((art, label))
    return out


def units(read: Sequence[ReadRecord], labels: Sequence[str]) -> list[Unit]:
    return [u for r, lab in zip(read, labels, strict=True) if (u := unit_of(r, lab)) is not None]


def fit(train: Sequence[Unit]) -> Model:
    """A multinomial logistic regression over the units (deterministic: lbfgs, fixed C)."""
    from sklearn.linear_model import LogisticRegression

    counts = Counter(s for u in train for s in set(u.signals))
    names = sorted(s for s, c in counts.items() if c >= MIN_COUNT)
    vocab = {s: i for i, s in enumerate(names)}
    y = [u.label for u in train]
    classes = sorted(set(y))
    vectors = np.stack([u.vector for u in train])
    # Class prototypes come from our own examples only, so no gold record is ever compared
    # with a prototype made from itself (in-sample and held-out records are treated alike).
    protos = [i for i, u in enumerate(train) if u.prototype] or list(range(len(train)))
    sums = np.zeros((len(classes), vectors.shape[1]))
    for i in protos:
        sums[classes.index(y[i])] += vectors[i]
    centroids = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-9)
    sims = vectors @ centroids.T
    # A prototype example is compared with its class prototype made without it (leave one
    # out), so training sees similarities as unseen text will have them.
    for i in set(protos):
        own = classes.index(y[i])
        rest = sums[own] - vectors[i]
        sims[i, own] = float(rest @ vectors[i]) / max(float(np.linalg.norm(rest)), 1e-9)
    from threadpoolctl import threadpool_limits

    x = design(sims, [u.signals for u in train], vocab)
    clf = LogisticRegression(C=C, max_iter=5000)
    with threadpool_limits(1):  # small problem, shared machine: threads only contend
        clf.fit(x, y)
        min_prob = fit_min_prob(x, y, ["rule:NONE" in u.signals for u in train])
    assert [str(c) for c in clf.classes_] == classes
    return Model(
        classes=tuple(classes),
        vocab=vocab,
        weights=np.asarray(clf.coef_, dtype=np.float64).T.copy(),
        bias=np.asarray(clf.intercept_, dtype=np.float64),
        centroids=centroids,
        min_prob=min_prob,
    )


# Thresholds tried for coding a sentence without a trigger, and the inner folds that judge them.
THRESHOLDS = tuple(round(0.3 + 0.05 * i, 2) for i in range(11))  # 0.30 ... 0.80
INNER_FOLDS = 5


def fit_min_prob(x: Matrix, y: Sequence[str], untriggered: Sequence[bool]) -> float:
    """The "no event" threshold for sentences without a trigger, fitted on the training units
    alone: each unit's class probabilities come from a regression fitted on the other inner
    folds (units by position, so the same units give the same folds), and the threshold that
    decides the most untriggered units right (coded with their class, or left uncoded when they
    tell no event) wins; ties go to the one nearest 0.5. With no untriggered unit: 0.5."""
    from sklearn.linear_model import LogisticRegression

    rows = [i for i, flag in enumerate(untriggered) if flag]
    if not rows:
        return 0.5
    labels = np.asarray(y)
    best_class: list[str] = [NONE] * len(y)
    best_prob = np.zeros(len(y))
    for f in range(INNER_FOLDS):
        held = [i for i in rows if i % INNER_FOLDS == f]
        fit_rows = [i for i in range(len(y)) if i % INNER_FOLDS != f]
        if not held or len(set(labels[fit_rows])) < 2:
            continue
        clf = LogisticRegression(C=C, max_iter=5000).fit(x[fit_rows], labels[fit_rows])
        probs = clf.predict_proba(x[held])
        for i, row in zip(held, probs, strict=True):
            k = int(np.argmax(row))
            best_class[i], best_prob[i] = str(clf.classes_[k]), float(row[k])

    def right(t: float) -> int:
        coded = [
            best_class[i] if best_class[i] != NONE and best_prob[i] >= t else NONE for i in rows
        ]
        return sum(c == labels[i] for c, i in zip(coded, rows, strict=True))

    return max(THRESHOLDS, key=lambda t: (right(t), -abs(t - 0.5)))


def own_units(read: Sequence[ReadRecord] | None = None, labels: Sequence[str] = ()) -> list[Unit]:
    """Units of our own examples, the class prototypes; ``read`` is their reading and
    ``labels`` their labels when the caller has them, else they are read here from the example
    files."""
    if read is None:
        pairs = example_articles()
        read, labels = read_records(a for a, _ in pairs), [lab for _, lab in pairs]
    return [dataclasses.replace(u, prototype=True) for u in units(read, labels)]


def save(model: Model, path: Path = MODEL_PATH) -> None:
    """Write the model as .npy members of a zip with fixed timestamps: same model, same bytes."""
    arrays = {
        "classes": np.array(model.classes, dtype=str),
        "vocab": np.array(sorted(model.vocab, key=model.vocab.__getitem__), dtype=str),
        "weights": np.round(model.weights, 6).astype(np.float32),
        "bias": np.round(model.bias, 6).astype(np.float32),
        "centroids": np.round(model.centroids, 6).astype(np.float32),
        "min_prob": np.array(model.min_prob, dtype=np.float32),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, arr, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def read_dev(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(argv: Sequence[str] | None = None) -> None:
    """Fit on our examples plus the dev records and write the model file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV, help="events JSONL (gold) to train on")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the model")
    args = parser.parse_args(argv)
    pairs = record_articles(read_dev(args.dev))
    train = own_units() + units(read_records(a for a, _ in pairs), [lab for _, lab in pairs])
    model = fit(train)
    save(model, args.out)
    print(
        f"{len(train)} units, {len(model.vocab)} signals, {len(model.classes)} classes, "
        f"no-trigger threshold {model.min_prob} -> {args.out}"
    )


if __name__ == "__main__":
    main()
