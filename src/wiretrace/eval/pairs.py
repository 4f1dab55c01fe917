"""``wiretrace eval pairs``: Pearson correlation of story similarity with human judgements.

Reads the pairs format of ``shared/eval/README.md`` (SemEval-2022 Task 8: ``overall`` from 1 = same
story to 4 = unrelated). The predicted similarity (0..1, 1 = same) is negated, so a positive r is
good, as the official metric. Idf statistics come from the texts of the file itself (like any
TF-IDF baseline; no label is used).

:func:`fit` is the documented procedure behind ``similarity.PAIR_WEIGHTS``: ordinary least
squares of ``-overall`` on the features plus an intercept, with a 5-fold cross-validated Pearson r
(folds by a fixed permutation) so the shipped figure can be told apart from an in-sample one.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from ..model import Article
from ..stories.compare import FEATURES, PAIR_WEIGHTS, CorpusStats, features, pair_score
from ..stories.profile import Profile, build

FOLDS = 5


def _profiles(records: list[dict[str, Any]]) -> list[tuple[Profile, Profile]]:
    arts: list[Article] = []
    for r in records:
        for side in ("1", "2"):
            arts.append(
                Article(
                    id=f"{r['id']}:{side}", title="", body=str(r[f"text{side}"]),
                    language=r.get(f"lang{side}"),
                )
            )  # fmt: skip
    profiles = build(arts)
    return [(profiles[2 * i], profiles[2 * i + 1]) for i in range(len(records))]


def feature_matrix(records: list[dict[str, Any]]) -> np.ndarray:
    """Pair features of every record, idf taken from all texts of the file."""
    pairs = _profiles(records)
    stats = CorpusStats()
    for a, b in pairs:
        stats.add(a)
        stats.add(b)
    return np.array([features(a, b, stats) for a, b in pairs])


def _pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    if len(x) < 3 or float(np.std(x)) == 0.0 or float(np.std(y)) == 0.0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def _lstsq(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    design = np.column_stack([x, np.ones(len(x))])
    w, *_ = np.linalg.lstsq(design, y, rcond=None)
    return np.asarray(w)


def fit(records: list[dict[str, Any]], x: np.ndarray | None = None) -> dict[str, Any]:
    """Least-squares weights for ``PAIR_WEIGHTS`` and their cross-validated Pearson r."""
    x = feature_matrix(records) if x is None else x
    y = -np.array([float(r["overall"]) for r in records])
    w = _lstsq(x, y)
    order = np.random.default_rng(0).permutation(len(y))
    cv = np.zeros(len(y))
    for k in range(FOLDS):
        test = order[k::FOLDS]
        train = np.setdiff1d(order, test)
        wk = _lstsq(x[train], y[train])
        cv[test] = x[test] @ wk[:-1] + wk[-1]
    return {
        "weights": dict(
            zip([*FEATURES, "intercept"], (round(float(v), 3) for v in w), strict=False)
        ),
        "pearson_in_sample": _pearson(x @ w[:-1] + w[-1], y),
        "pearson_cv": _pearson(cv, y),
    }


def evaluate(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Pearson r (overall, per language pair, on pairs without suspected MT) with the shipped weights."""
    x = feature_matrix(records)
    pred = np.array([pair_score(row, PAIR_WEIGHTS) for row in x])
    gold = np.array([float(r["overall"]) for r in records])
    # Negated gold: similarity high <-> overall low, so a positive r is good.
    out: dict[str, Any] = {"pearson": _pearson(pred, -gold), "n": len(records)}
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        groups[f"{r.get('lang1')}-{r.get('lang2')}"].append(i)
    out["per_language_pair"] = {
        k: {"pearson": _pearson(pred[idx], -gold[idx]), "n": len(idx)}
        for k, idx in sorted(groups.items())
    }
    clean = [i for i, r in enumerate(records) if not any(r.get("suspected_mt") or [])]
    out["pearson_no_suspected_mt"] = _pearson(pred[clean], -gold[clean])
    out["n_no_suspected_mt"] = len(clean)
    out["pearson_cv_refit"] = fit(records, x)["pearson_cv"]
    return out
