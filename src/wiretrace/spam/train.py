"""Fit the spam model: bundled comments + labelled files + the deployment's moderation decisions.

Deterministic: records are de-duplicated and sorted by text before fitting, and the solver
(L-BFGS from a zero start) has no randomness, so the same inputs give the same model file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import features
from .model import SpamModel

BUNDLED = Path(__file__).with_name("comments.jsonl")
# Regularisation (flat between 10 and 100 on leave-one-video-out, README "Spam filter").
C = 30.0
# Used when the data has fewer than two groups to choose a threshold from (see choose_threshold).
THRESHOLD = 0.5
# Policy: at most this share of ham flagged; among thresholds meeting it, the best spam F1.
MAX_HAM_FLAGGED = 0.025
GRID = tuple(round(0.3 + 0.05 * i, 2) for i in range(13))


@dataclass(frozen=True)
class Example:
    text: str
    spam: bool
    source: str
    group: str = ""  # what held-out threshold choice leaves out together (a video, a site)


def read_labelled(path: str | Path, source: str | None = None) -> list[Example]:
    """Examples of a JSONL file with ``text`` and ``label`` ("spam"/"ham") per line."""
    from ..eval import read_jsonl

    out = []
    for rec in read_jsonl(path):
        label = rec.get("label")
        if label not in ("spam", "ham") or not isinstance(rec.get("text"), str):
            continue
        out.append(Example(rec["text"], label == "spam", source or Path(path).name))
    return out


def bundled() -> list[Example]:
    """The comments written for this project and shipped with it (see comments.jsonl)."""
    return [Example(e.text, e.spam, "bundled", "bundled") for e in read_labelled(BUNDLED)]


def _dedupe(examples: Iterable[Example]) -> list[Example]:
    """One example per cleaned text, the last label given winning (a moderator's correction)."""
    seen: dict[str, Example] = {}
    for ex in examples:
        key = features.clean(ex.text).strip()
        if key:
            seen.pop(key, None)
            seen[key] = ex
    return sorted(seen.values(), key=lambda e: (features.clean(e.text).strip(), e.spam))


def fit(examples: Sequence[Example], c: float = C, threshold: float = THRESHOLD) -> SpamModel:
    """A model fitted on ``examples`` (needs both classes)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    data = _dedupe(examples)
    labels = np.array([e.spam for e in data], dtype=bool)
    if labels.all() or not labels.any():
        raise ValueError("training needs both spam and ham examples")
    counted = [features.sparse_counts(e.text)[0] for e in data]
    df, n = features.document_frequencies(counted)
    idf = features.idf_table(df, n)
    idx, val = features.rows([e.text for e in data], idf)
    indptr = np.cumsum([0] + [len(i) for i in idx])
    x = csr_matrix((np.concatenate(val), np.concatenate(idx), indptr),
                   shape=(len(data), features.DIM))  # fmt: skip
    # Fit on the columns some example uses: the same optimum (unused columns stay at zero
    # under the L2 penalty) at a fraction of the cost of the full hashed width.
    used = np.unique(x.indices)
    clf = LogisticRegression(C=c, max_iter=5000, tol=1e-6)
    clf.fit(x[:, used], labels)
    weights = np.zeros(features.DIM, dtype=np.float64)
    weights[used] = clf.coef_[0]
    sources: dict[str, int] = {}
    for e in data:
        sources[e.source] = sources.get(e.source, 0) + 1
    digest = hashlib.sha256(
        json.dumps([[e.text, e.spam] for e in data], ensure_ascii=False).encode()
    ).hexdigest()
    meta: dict[str, Any] = {"examples": len(data), "spam": int(labels.sum()), "C": c,
                            "sources": sources, "data_sha256": digest}  # fmt: skip
    return SpamModel(weights, float(clf.intercept_[0]), idf, threshold, meta)


def choose_threshold(examples: Sequence[Example], c: float = C) -> float:
    """The threshold for new data, chosen on held-out groups of ``examples`` only.

    Each group (``Example.group``) is scored by a model fitted on the others; the threshold kept
    is the one whose mean over groups flags at most :data:`MAX_HAM_FLAGGED` of ham with the best
    mean spam F1 (the lowest such threshold on ties). Fewer than two groups: :data:`THRESHOLD`.
    """
    groups = sorted({e.group for e in examples})
    if len(groups) < 2:
        return THRESHOLD
    held: list[tuple[list[bool], list[float]]] = []
    for g in groups:
        rest = [e for e in examples if e.group != g]
        if all(e.spam for e in rest) or not any(e.spam for e in rest):
            continue  # nothing to fit without this group: it cannot be held out
        model = fit(rest, c=c)
        test = [e for e in examples if e.group == g]
        held.append(([e.spam for e in test], [model.score(e.text) for e in test]))
    if not held:
        return THRESHOLD
    best: tuple[float, float] | None = None
    for t in GRID:
        f1s, flagged = [], []
        for gold, scores in held:
            pred = [s >= t for s in scores]
            tp = sum(g and p for g, p in zip(gold, pred, strict=True))
            fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
            pos, hams = sum(gold), len(gold) - sum(gold)
            f1s.append(2 * tp / (pos + tp + fp) if pos + tp + fp else 0.0)
            flagged.append(fp / hams if hams else 0.0)
        if sum(flagged) / len(flagged) > MAX_HAM_FLAGGED:
            continue
        f1 = sum(f1s) / len(f1s)
        if best is None or f1 > best[1]:
            best = (t, f1)
    return best[0] if best else GRID[-1]


def fit_with_threshold(examples: Sequence[Example], c: float = C) -> SpamModel:
    """Fit on all ``examples`` with the threshold :func:`choose_threshold` picks from them."""
    threshold = choose_threshold(examples, c)
    model = fit(examples, c=c, threshold=threshold)
    model.meta["threshold_from"] = sorted({e.group for e in examples})
    return model


def from_decisions(conn: Any) -> list[Example]:
    """The deployment's moderation decisions (any DB-API connection on a migrated store)."""
    rows = conn.execute("SELECT text, label FROM discuss_moderation ORDER BY id").fetchall()
    return [Example(str(t), str(lbl) == "spam", "moderation", "moderation") for t, lbl in rows]


def from_file(path: str | Path) -> list[Example]:
    """A labelled JSONL file; records with a ``video`` (or ``site``) are grouped by it."""
    from ..eval import read_jsonl

    name = Path(path).name
    out = []
    for rec in read_jsonl(path):
        if rec.get("label") in ("spam", "ham") and isinstance(rec.get("text"), str):
            group = str(rec.get("video") or rec.get("site") or name)
            out.append(Example(rec["text"], rec["label"] == "spam", name, group))
    return out


def deployment_model_path(db: str | Path) -> Path:
    """Where a deployment's retrained model lives: ``$WIRETRACE_SPAM_MODEL`` if set, else beside
    an SQLite database, or ``./wiretrace.spam.npz`` for a PostgreSQL URL."""
    import os

    if os.environ.get("WIRETRACE_SPAM_MODEL"):
        return Path(os.environ["WIRETRACE_SPAM_MODEL"])
    if str(db).startswith(("postgresql://", "postgres://")):
        return Path("wiretrace.spam.npz")
    p = Path(db)
    return p.with_name(p.name + ".spam.npz")
