"""``wiretrace eval clusters``: B-cubed scores of incremental story clustering.

Reads the clusters format of ``shared/eval/README.md``. All documents of the file are added, in
file order, to one in-memory :class:`~wiretrace.stories.StoryIndex` (the same clusterer the
pipeline uses); only ``title``, ``text`` and ``lang`` are given to it, never ``topic``,
``cluster`` or ``url``. The predicted stories are compared with ``cluster`` by B-cubed precision,
recall and F1.

:func:`fit` is the documented procedure behind ``similarity.SAME_STORY_WEIGHTS``: a logistic
regression of "same cluster" on the pair features of document pairs whose lead vectors have
cosine above 0.3 (the kind of pairs candidate retrieval lets through), with idf statistics from
all texts. Its honest figure is leave-topics-out: weights fitted without five groups of topics
cluster those topics (``topic`` is used only to form the folds, never as an input).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..model import Article
from ..stories.compare import CLUSTER_FEATURES, FEATURES, CorpusStats, features
from ..stories.index import IndexOptions, StoryIndex
from ..stories.profile import Profile, build

FOLDS = 5
HARD_PAIR_COSINE = 0.3


def _articles(records: list[dict[str, Any]]) -> list[Article]:
    return [
        Article(id=str(r["id"]), title=str(r.get("title") or ""), body=str(r["text"]),
                language=r.get("lang"))
        for r in records
    ]  # fmt: skip


def bcubed(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold labels."""
    pred_groups: dict[str, set[int]] = defaultdict(set)
    gold_groups: dict[str, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        pred_groups[p].add(i)
        gold_groups[g].add(i)
    precision = recall = 0.0
    for p, g in zip(predicted, gold, strict=True):
        shared = len(pred_groups[p] & gold_groups[g])
        precision += shared / len(pred_groups[p])
        recall += shared / len(gold_groups[g])
    n = max(len(gold), 1)
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def cluster(
    profiles: list[Profile],
    options: IndexOptions | None = None,
    warm: bool = True,
    warm_with: list[Profile] | None = None,
) -> list[str]:
    """Story ids of profiles added in order to a fresh in-memory index (idf warmed first)."""
    index = StoryIndex(options)
    if warm:
        index.warm(profiles if warm_with is None else warm_with)
    for p in profiles:
        index.add_profile(p)
    return [index.story[p.id] for p in profiles]  # final stories: later reports may merge them


def evaluate(records: list[dict[str, Any]]) -> dict[str, Any]:
    """B-cubed precision, recall and F1 of the shipped clusterer on all records at once."""
    profiles = build(_articles(records))
    index = StoryIndex()
    index.warm(profiles)
    candidates = []
    for p in profiles:
        index.add_profile(p)
        candidates.append(index.last_scored)
    predicted = [index.story[p.id] for p in profiles]  # final stories, after any merges
    gold = [str(r["cluster"]) for r in records]
    precision, recall, f1 = bcubed(predicted, gold)
    return {
        "bcubed_precision": precision,
        "bcubed_recall": recall,
        "bcubed_f1": f1,
        "n": len(records),
        "stories": len(set(predicted)),
        "gold_clusters": len(set(gold)),
        "max_candidates_scored": max(candidates, default=0),
        # The same run without warming the idf statistics (a cold index), for comparison.
        "bcubed_f1_cold": bcubed(cluster(profiles, warm=False), gold)[2],
    }


def _logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 30) -> np.ndarray:
    """Newton-Raphson logistic regression with a small ridge (bias last)."""
    design = np.column_stack([x, np.ones(len(x))])
    w = np.zeros(design.shape[1])
    for _ in range(steps):
        prob = 1.0 / (1.0 + np.exp(-np.clip(design @ w, -30, 30)))
        grad = design.T @ (prob - y) + l2 * w
        hess = (design * (prob * (1 - prob))[:, None]).T @ design + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return w


def fit(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Weights for ``SAME_STORY_WEIGHTS`` and their leave-topics-out B-cubed F1."""
    profiles = build(_articles(records))
    stats = CorpusStats()
    for p in profiles:
        stats.add(p)
    gold = [str(r["cluster"]) for r in records]
    topic = [str(r.get("topic")) for r in records]
    lead = np.array([p.lead for p in profiles])
    sims = lead @ lead.T
    pairs = [(i, j) for i in range(len(profiles)) for j in range(i + 1, len(profiles))
             if sims[i, j] > HARD_PAIR_COSINE]  # fmt: skip
    used = np.array([f in CLUSTER_FEATURES for f in FEATURES])
    x = np.array([features(profiles[i], profiles[j], stats) for i, j in pairs])[:, used]
    y = np.array([float(gold[i] == gold[j]) for i, j in pairs])

    def full(w: np.ndarray) -> tuple[float, ...]:
        out = np.zeros(len(FEATURES) + 1)
        out[np.r_[used, True]] = w
        return tuple(round(float(v), 3) for v in out)

    weights = full(_logistic(x, y))
    in_sample = bcubed(cluster(profiles, IndexOptions(weights=weights)), gold)[2]
    topics = sorted(set(topic))
    predicted: dict[int, str] = {}
    for k in range(FOLDS):
        held = set(topics[k::FOLDS])
        train = [
            n for n, (i, j) in enumerate(pairs) if topic[i] not in held and topic[j] not in held
        ]
        wk = full(_logistic(x[train], y[train]))
        members = [i for i, t in enumerate(topic) if t in held]
        labels = cluster(
            [profiles[i] for i in members], IndexOptions(weights=wk), warm_with=profiles
        )
        predicted.update({i: f"{k}:{lab}" for i, lab in zip(members, labels, strict=True)})
    cv = bcubed([predicted[i] for i in range(len(records))], gold)[2]
    return {
        "weights": dict(zip([*FEATURES, "bias"], weights, strict=False)),
        "weights_tuple": weights,
        "pairs": len(pairs),
        "bcubed_f1_in_sample": in_sample,
        "bcubed_f1_leave_topics_out": cv,
    }
