"""The trained sentence classifier: PLOVER type (or no event) from a sentence vector and signals.

A sentence is represented through its multilingual USE vector (shared with story clustering
through :mod:`wiretrace.stories.embed`, so the encoder is loaded once per process), as its
cosine similarity to each class's prototype (the mean vector of our own codebook examples of
that class: 17 numbers, so a few hundred examples are not memorised), centred on the
sentence's mean similarity (see :func:`design`), and by a few symbolic
signals read off the parse: the rule coder's type, the auxiliary mode and which participant
slots the syntax filled. A multinomial logistic regression over both gives a probability per
class; the classes are the 16 PLOVER types and ``NONE``.

The fitted weights ship as ``model.npz`` next to this module (plain arrays, loaded with
``allow_pickle=False``), written by :mod:`wiretrace.stages.events.train`; prediction is numpy only.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

NONE = "NONE"
TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
CLASSES = (*TYPES, NONE)
DIM = 512
# Similarities lie in [-1, 1] and differ by tenths between classes; this weight puts them on
# the scale of the 0/1 signals so that the regulariser does not silence them.
VECTOR_WEIGHT = 3.0
MODEL_PATH = Path(__file__).with_name("model.npz")

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Model:
    """Fitted weights: one column per class over [centroid similarities | signal indicators]."""

    classes: tuple[str, ...]
    vocab: dict[str, int]
    weights: Matrix  # (len(classes) + len(vocab), len(classes))
    bias: Matrix  # (len(classes),)
    centroids: Matrix  # (len(classes), DIM), unit rows
    # How sure the model must be that a sentence the lexicon found no trigger in tells an event
    # (fitted on the training units by an inner cross-validation; see train.fit_min_prob).
    min_prob: float = 0.5

    def probabilities(self, vectors: Matrix, signals: Sequence[Sequence[str]]) -> Matrix:
        """Class probabilities, one row per sentence (softmax of the linear scores)."""
        sims = np.asarray(vectors, dtype=np.float64) @ self.centroids.T
        scores = design(sims, signals, self.vocab) @ self.weights + self.bias
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        out: Matrix = exp / exp.sum(axis=1, keepdims=True)
        return out


def design(sims: Matrix, signals: Sequence[Sequence[str]], vocab: dict[str, int]) -> Matrix:
    """The feature matrix: weighted centroid similarities beside 0/1 indicators of signals.

    Each row of similarities is centred on its own mean: how close a sentence is to every
    prototype at once depends on its length and register (a long wire sentence is far from all
    of our short examples), so only which prototypes it is nearer to than to the others says
    anything about its type. Uncentred, a classifier fitted on our examples alone coded 0.34 of
    the dev events (it took most wire sentences for no event); centred, 0.875.
    """
    width = sims.shape[1] if sims.ndim == 2 else 0
    x = np.zeros((len(signals), width + len(vocab)), dtype=np.float64)
    if len(signals) and width:
        x[:, :width] = (sims - sims.mean(axis=1, keepdims=True)) * VECTOR_WEIGHT
    for row, sig in enumerate(signals):
        for s in sig:
            col = vocab.get(s)
            if col is not None:
                x[row, width + col] = 1.0
    return x


@functools.cache
def load(path: Path = MODEL_PATH) -> Model | None:
    """The shipped model, or None when the package carries none (the rules then decide)."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        vocab = [str(v) for v in data["vocab"]]
        return Model(
            classes=tuple(str(c) for c in data["classes"]),
            vocab={v: i for i, v in enumerate(vocab)},
            weights=data["weights"].astype(np.float64),
            bias=data["bias"].astype(np.float64),
            centroids=data["centroids"].astype(np.float64),
            min_prob=round(float(data["min_prob"]), 4) if "min_prob" in data.files else 0.5,
        )


def embed(texts: Sequence[str]) -> Matrix:
    """Unit-length USE vectors of ``texts``, from the process-wide encoder of story clustering."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float64)
    from wiretrace.stories.embed import _encoder

    vecs = np.asarray(_encoder().encode(list(texts)), dtype=np.float64)
    norms = np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
    out: Matrix = vecs / norms
    return out
