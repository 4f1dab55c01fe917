"""How alike two articles are, and how likely they report the same story.

Three kinds of signal are combined: MinHash overlap of word shingles (copies and light rewrites),
multilingual USE embeddings (same topic across languages) and language-independent evidence
cues (names, figures, years, day dates, weekdays, registered places) which tell look-alike
stories apart: two meetings in Istanbul share their topic but not their dates, people or
figures, and two earthquakes a month apart happen in different countries.

Cue overlaps are weighted by inverse document frequency when corpus statistics are at hand
(:class:`CorpusStats`, kept up to date by the story index), so a rare name shared by two reports
counts far more than a capital city. The feature weights are fitted once on the DEV sets (see
``wiretrace.eval.pairs.fit`` and ``wiretrace.eval.clusters.fit``) and shipped as constants.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..model import Article
from .profile import Profile, build, jaccard

FEATURES: tuple[str, ...] = (
    "head",  # cosine of title vectors
    "lead",  # cosine of title+lead vectors
    "mean",  # cosine of document vectors
    "mean2",  # its square: the same-story signal grows fast near the top of the scale
    "names",  # tf-idf cosine of name keys
    "numbers",  # idf-weighted overlap of figures
    "years",  # idf-weighted overlap of years
    "years_conflict",  # both mention years, none in common
    "days",  # overlap of day dates
    "days_conflict",  # both give day dates, none in common
    "weekdays",  # overlap of weekdays
    "jaccard",  # MinHash estimate of shingle overlap
    "mean3",  # cube of the document cosine (with mean2: a cheap monotone calibration)
    "names2",  # square of the name cosine
    "min_cos",  # lowest of the three cosines: all views of the text must agree
    # Registered places (countries, cities, regions: one id in every language). Places are also
    # names, so "places" corrects the name cosine when what two reports share is only where,
    # not who (fitted weights are negative: shared places alone are weak evidence).
    "places",  # overlap of registered place ids
    "place_conflict",  # each report's most named place is absent from the other report
)

# Least-squares fit of -overall on the SemEval-2022 Task 8 DEV pairs (695 pairs, corpus statistics
# from the pairs' own texts), mapped to 0..1 by (4 - overall) / 3; procedure in
# wiretrace.eval.pairs.fit: Pearson r 0.764 in sample, 0.750 in 5-fold cross-validation
# (0.762 as shipped, with the near-copy floor of pair_score). Weights in FEATURES order, then
# the intercept. Fitted on document vectors read in 600-character chunks; with the body read
# sentence by sentence (stories.embed) these weights give 0.757, and a refit 0.765 in sample,
# 0.752 cross-validated, so they are kept. With the lead pooled from its sentences (whole
# sentences, stories.pooling) they give 0.756; a refit 0.764 in sample, 0.751 cross-validated.
PAIR_WEIGHTS: tuple[float, ...] = (
    2.504, 1.212, -8.708, 22.793, 1.793, 0.244, -0.137, -0.123, 0.124, 0.079, 0.094, -2.076,
    -13.828, -1.484, -2.397, -0.204, -0.234, -3.123,
)  # fmt: skip

# Logistic fit of "same story" on the ECB+ DEV document pairs whose lead vectors have cosine > 0.3
# (the pairs candidate retrieval lets through), on the features listed in CLUSTER_FEATURES (the
# polynomial terms overfit there and are left at 0); see wiretrace.eval.clusters.fit. B-cubed F1
# 0.923 in sample and 0.925 when fitted without the clustered topics (5 folds of topics), with
# the index threshold of 0.4 (0.930 and 0.920 at 0.45). Without the two place features: 0.921
# and 0.918. In-sample figures move by about 0.01 when a weight moves in its third decimal (a
# borderline join pulls a whole look-alike topic in); the leave-topics-out figure is steadier.
# With the body read sentence by sentence instead of in 600-character chunks (stories.embed)
# these weights give 0.924; a refit gives 0.934 in sample but 0.915 leave-topics-out, so they
# are kept. With the lead pooled from its sentences (stories.pooling) they give 0.933; a refit
# 0.934 in sample, 0.922 leave-topics-out.
SAME_STORY_WEIGHTS: tuple[float, ...] = (
    1.551, 8.517, -3.142, 0.0, 12.933, 4.236, 3.028, -1.184, 4.293, -0.462, 0.678, 23.838,
    0.0, 0.0, 0.0, -1.417, -0.647, -8.316,
)  # fmt: skip
CLUSTER_FEATURES: tuple[str, ...] = tuple(
    f for f in FEATURES if f not in {"mean2", "mean3", "names2", "min_cos"}
)


# The cues whose document frequencies weigh overlaps (``story_df`` keeps them per store).
DF_KINDS = ("names", "numbers", "years")


@dataclass
class CorpusStats:
    """Document frequencies of cues, updated as articles are added (for idf weights)."""

    docs: int = 0
    df: dict[str, Counter[str]] = field(default_factory=lambda: {k: Counter() for k in DF_KINDS})

    # idf values computed since the counts last changed: placing one article compares it with
    # dozens of candidates, each asking for the same names' idf (valid while ``docs`` is
    # ``_memo_docs``; ``add`` clears them, and the index's loader sets ``df`` before ``docs``).
    _tables: dict[str, _Idf] = field(default_factory=dict, repr=False, compare=False)
    _memo_docs: int = field(default=-1, repr=False, compare=False)

    def add(self, p: Profile) -> None:
        self.docs += 1
        for kind, counter in self.df.items():
            counter.update(getattr(p.cues, kind))
        self._tables.clear()

    def idf(self, kind: str, key: str) -> float:
        """Smoothed idf; 1.0 for every key when no corpus is known yet."""
        return self.idfs(kind)[key]

    def idfs(self, kind: str) -> _Idf:
        """The idf of every key of ``kind``, as a mapping (computed on first lookup)."""
        if self._memo_docs != self.docs:
            self._tables.clear()
            self._memo_docs = self.docs
        table = self._tables.get(kind)
        if table is None:
            table = self._tables[kind] = _Idf(self.docs, self.df[kind])
        return table


class _Idf(dict[str, float]):
    """Smoothed idf by key under fixed counts, each computed when first looked up (a dict:
    comparing one article with dozens of candidates looks the same keys up thousands of
    times)."""

    def __init__(self, docs: int, counts: Counter[str]) -> None:
        super().__init__()
        self.docs = docs
        self.counts = counts

    def __missing__(self, key: str) -> float:
        value = 1.0 if self.docs < 2 else math.log((self.docs + 1) / (self.counts[key] + 1)) + 0.1
        self[key] = value
        return value


def _weighted_overlap(a: frozenset[str], b: frozenset[str], kind: str, st: CorpusStats) -> float:
    if not a or not b:
        return 0.0
    idf = st.idfs(kind)
    wa = sum([idf[k] for k in a])
    wb = sum([idf[k] for k in b])
    shared = sum([idf[k] for k in a & b])
    return shared / math.sqrt(wa * wb) if wa and wb else 0.0


def _name_vector(p: Profile, st: CorpusStats) -> tuple[dict[str, float], float]:
    """Sublinear-tf x idf weights of an article's name keys, and their norm."""
    idf = st.idfs("names")
    v = {k: tf * idf[k] for k, tf in p.cues.name_tf}
    return v, math.sqrt(sum(x * x for x in v.values()))


def _name_cosine(
    a: Profile, b: Profile, st: CorpusStats, mine: tuple[dict[str, float], float] | None = None
) -> float:
    """Cosine of sublinear-tf x idf name vectors: central, rare names weigh most (``mine``:
    ``a``'s vector already computed, when one article is compared with many)."""
    va, na = mine if mine is not None else _name_vector(a, st)
    vb, nb = _name_vector(b, st)
    if not va or not vb:
        return 0.0
    dot = sum(va[k] * vb[k] for k in va.keys() & vb.keys())
    return dot / (na * nb) if na and nb else 0.0


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def _place_features(a: Profile, b: Profile) -> tuple[float, float]:
    """Overlap of the registered places of two reports, and whether their main places clash."""
    pa, pb = a.cues.places, b.cues.places
    if not pa or not pb:
        return 0.0, 0.0
    overlap = _overlap(frozenset(pa), frozenset(pb))
    main_a = max(pa, key=lambda k: (pa[k], k))
    main_b = max(pb, key=lambda k: (pb[k], k))
    conflict = float(main_a not in pb and main_b not in pa)
    return overlap, conflict


def name_vector(p: Profile, stats: CorpusStats) -> tuple[dict[str, float], float]:
    """``p``'s weighted name vector and norm, to pass to :func:`features` as ``mine`` while
    ``stats`` is unchanged: placing an article compares it with dozens of candidates."""
    return _name_vector(p, stats)


def features(
    a: Profile,
    b: Profile,
    stats: CorpusStats | None = None,
    mine: tuple[dict[str, float], float] | None = None,
) -> np.ndarray:
    """The feature vector of a pair, in :data:`FEATURES` order (``mine``: ``a``'s
    :func:`name_vector` under the same ``stats``, or None to compute it)."""
    st = stats or CorpusStats()
    ca, cb = a.cues, b.cues
    head, lead, mean = float(a.head @ b.head), float(a.lead @ b.lead), float(a.mean @ b.mean)
    names = _name_cosine(a, b, st, mine)
    return np.array(
        [
            head,
            lead,
            mean,
            mean * mean,
            names,
            _weighted_overlap(ca.numbers, cb.numbers, "numbers", st),
            _weighted_overlap(ca.years, cb.years, "years", st),
            float(bool(ca.years and cb.years and not ca.years & cb.years)),
            _overlap(ca.days, cb.days),
            float(bool(ca.days and cb.days and not ca.days & cb.days)),
            _overlap(ca.weekdays, cb.weekdays),
            jaccard(a.minhash, b.minhash),
            mean**3,
            names**2,
            min(head, lead, mean),
            *_place_features(a, b),
        ]
    )


NEAR_COPY_JACCARD = 0.8
NEAR_COPY_HEAD = 0.8


def pair_score(x: np.ndarray, weights: tuple[float, ...] = PAIR_WEIGHTS) -> float:
    """Similarity in 0..1 (1 = same story) from a feature vector, on the SemEval scale.

    A near copy (same title, shingles nearly all shared) scores at least its shingle overlap:
    the fitted weights penalise shingle overlap because the SemEval crawl is full of identical
    cookie walls and paywall notices, which say nothing about the story, but a re-published
    article must still come out as the same story.
    """
    overall = -(float(x @ np.asarray(weights[:-1])) + weights[-1])
    score = min(1.0, max(0.0, (4.0 - overall) / 3.0))
    jac, head = float(x[FEATURES.index("jaccard")]), float(x[FEATURES.index("head")])
    if jac >= NEAR_COPY_JACCARD and head >= NEAR_COPY_HEAD:
        score = max(score, jac)
    return score


def same_story_logit(x: np.ndarray, weights: tuple[float, ...] = SAME_STORY_WEIGHTS) -> float:
    """Log-odds that a pair reports the same story, from a feature vector."""
    return float(x @ np.asarray(weights[:-1])) + weights[-1]


def same_story(x: np.ndarray, weights: tuple[float, ...] = SAME_STORY_WEIGHTS) -> float:
    """Probability that a pair reports the same story, from a feature vector."""
    z = same_story_logit(x, weights)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def profile_similarity(a: Profile, b: Profile, stats: CorpusStats | None = None) -> float:
    """Similarity in 0..1 of two profiled articles."""
    return pair_score(features(a, b, stats))


def similarity(a: Article, b: Article, stats: CorpusStats | None = None) -> float:
    """Similarity in 0..1 of two articles (1 = same story), in any pair of languages."""
    pa, pb = build([a, b])
    return profile_similarity(pa, pb, stats)
