"""Spam filter scoring on the ``spam`` format of shared/eval/README.md, and leave-one-video-out.

Only ``text`` reaches the model (U+FEFF stripped by the feature code); ``id``, ``date``,
``video`` and ``author`` never do. Spam is the positive class.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..errors import InputError


def metrics(gold: Sequence[bool], predicted: Sequence[bool]) -> dict[str, Any]:
    """Precision, recall and F1 of the spam class, accuracy, share of ham flagged, n."""
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted, strict=True) if not g and p)
    fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g and not p)
    hams = sum(1 for g in gold if not g)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    n = len(gold)
    acc = (n - fp - fn) / n if n else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
            "accuracy": round(acc, 4), "ham_flagged": round(fp / hams if hams else 0.0, 4),
            "n": n}  # fmt: skip


def _gold(records: Sequence[dict[str, Any]]) -> list[bool]:
    out = []
    for rec in records:
        if rec.get("label") not in ("spam", "ham") or not isinstance(rec.get("text"), str):
            raise InputError(str(rec.get("id")), "a spam record needs text and label spam|ham")
        out.append(rec["label"] == "spam")
    return out


def evaluate(records: list[dict[str, Any]], model_path: str | None = None) -> dict[str, Any]:
    """Score the shipped (or given) model on ``records``; per-video figures beside the overall."""
    from ..spam.model import load_model

    model = load_model(model_path)
    gold = _gold(records)
    pred = [model.is_spam(r["text"]) for r in records]
    out = metrics(gold, pred)
    by_video: dict[str, Any] = {}
    for video in sorted({str(r.get("video")) for r in records if r.get("video")}):
        keep = [i for i, r in enumerate(records) if str(r.get("video")) == video]
        by_video[video] = metrics([gold[i] for i in keep], [pred[i] for i in keep])
    if len(by_video) > 1:
        out["by_video"] = by_video
    return out


Predictor = Callable[[list[dict[str, Any]], list[dict[str, Any]]], list[bool]]


def leave_one_video_out(records: list[dict[str, Any]], predict: Predictor) -> dict[str, Any]:
    """Train on all videos but one, test on that one; every fold and the mean of the folds."""
    videos = sorted({str(r["video"]) for r in records})
    folds: dict[str, Any] = {}
    for video in videos:
        train = [r for r in records if str(r["video"]) != video]
        test = [r for r in records if str(r["video"]) == video]
        folds[video] = metrics(_gold(test), predict(train, test))
    keys = ("precision", "recall", "f1", "accuracy", "ham_flagged")
    mean = {k: round(sum(f[k] for f in folds.values()) / len(folds), 4) for k in keys}
    return {"folds": folds, "mean": mean}


def ours(train: list[dict[str, Any]], test: list[dict[str, Any]]) -> list[bool]:
    """Our model fitted on ``train`` only (no bundled comments), threshold chosen inside it."""
    from ..spam.train import Example, fit_with_threshold

    examples = [Example(r["text"], r["label"] == "spam", "fold", str(r["video"])) for r in train]
    model = fit_with_threshold(examples)
    return [model.is_spam(r["text"]) for r in test]


def always_ham(train: list[dict[str, Any]], test: list[dict[str, Any]]) -> list[bool]:
    return [False] * len(test)


def bag_of_words(train: list[dict[str, Any]], test: list[dict[str, Any]]) -> list[bool]:
    """The plain baseline: word counts and logistic regression, default settings."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    def text(r: dict[str, Any]) -> str:
        return str(r["text"]).replace("\ufeff", "")

    vec = CountVectorizer()
    x = vec.fit_transform([text(r) for r in train])
    clf = LogisticRegression(max_iter=2000).fit(x, [r["label"] == "spam" for r in train])
    return [bool(p) for p in clf.predict(vec.transform([text(r) for r in test]))]
