"""Comment text to hashed features: word 1-2 grams, character 2-5 grams inside words, signals.

One code path serves training and scoring, so the shipped weights mean the same thing in both.
Hashing (CRC-32, stable across runs and platforms) keeps the model a fixed-size weight table
with no vocabulary to ship. Links are replaced by a link token plus their host, so that "any
link" and "a link to this host" are both features; the dense signals (link count, length,
capitals, self-promotion cues) are ones spam filters commonly use and that carry over between
sites, unlike the words of one video's comments.
"""

from __future__ import annotations

import html
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np

# Word and character blocks each take this many hashed slots; the dense signals follow them.
BUCKETS = 1 << 18
WORD_BASE = 0
CHAR_BASE = BUCKETS
DENSE_BASE = 2 * BUCKETS
DENSE_NAMES = ("links", "has_link", "length", "capitals", "promotion")
DIM = DENSE_BASE + len(DENSE_NAMES)
CHAR_NGRAMS = (2, 5)

_ANCHOR = re.compile(r'<a\s[^>]*href\s*=\s*"([^"]*)"[^>]*>.*?</a>|<[^>]+>', re.S | re.I)
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|ly|be|me|tv|co|us|io|pl|ru|de|fr|uk)\b(?:/\S*)?",
    re.I,
)
_WORD = re.compile(r"\w+")
# Self-promotion and engagement-bait cues: the classes of comment spam (promote my channel,
# ask for likes, offer money) rather than any one comment's words.
_PROMO = re.compile(
    r"\b(?:subscribe (?:to )?(?:me|my|us|our)|check (?:it |this |me |us |my |our )?out"
    r"|(?:my|our) (?:new )?(?:channel|video|song|music|page|blog|playlist|track|site|website|cover)s?"
    r"|(?:like|thumbs up|share) (?:this|my) (?:comment|video|page)|(?:earn|make|making|free) "
    r"(?:real |extra |easy )?(?:money|cash|gift ?cards?)|visit my|click here|follow me|promo ?code"
    r"|abonnez-vous|suscr[ií]bete|подпишитесь|abonniert)\b",
    re.I,
)


def clean(text: str) -> str:
    """The comment as the filter reads it: no U+FEFF, markup reduced to its link targets."""
    text = text.replace("\ufeff", "")
    return _ANCHOR.sub(lambda m: f" {html.unescape(m.group(1))} " if m.group(1) else " ", text)


def _host(url: str) -> str:
    u = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower())
    return re.sub(r"\W", "", u.split("/")[0])


def normalise(text: str) -> str:
    """Lowercased text with each link replaced by ``xurl xdom<host>`` tokens."""
    return _URL.sub(lambda m: f" xurl xdom{_host(m.group(0))} ", clean(text)).lower()


def count_links(text: str) -> int:
    return len(_URL.findall(clean(text)))


def dense(text: str) -> list[float]:
    """The signals in :data:`DENSE_NAMES`, each scaled to about [0, 1]."""
    body = clean(text)
    links = len(_URL.findall(body))
    letters = [c for c in body if c.isalpha()]
    capitals = sum(c.isupper() for c in letters) / max(1, len(letters))
    promo = len(_PROMO.findall(body))
    return [min(links, 3) / 3, float(links > 0), math.log1p(len(body)) / 7, capitals,
            min(promo, 3) / 3]  # fmt: skip


def _slot(token: str) -> int:
    return zlib.crc32(token.encode("utf-8")) % BUCKETS


def word_counts(norm: str) -> Counter[int]:
    words = _WORD.findall(norm)
    grams = words + [f"{a} {b}" for a, b in pairwise(words)]
    return Counter(WORD_BASE + _slot(g) for g in grams)


def char_counts(norm: str) -> Counter[int]:
    """Character n-grams inside space-padded words (as scikit-learn's ``char_wb`` analyser)."""
    out: Counter[int] = Counter()
    lo, hi = CHAR_NGRAMS
    for word in norm.split():
        padded = f" {word} "
        for n in range(lo, hi + 1):
            if n > len(padded):
                break
            for i in range(len(padded) - n + 1):
                out[CHAR_BASE + _slot(padded[i : i + n])] += 1
    return out


@lru_cache(maxsize=16384)
def sparse_counts(text: str) -> tuple[Counter[int], list[float]]:
    """Hashed word and character counts of ``text`` and its dense signals (callers must not
    mutate them: they are cached, as training refits on the same texts several times)."""
    norm = normalise(text)
    counts = word_counts(norm)
    counts.update(char_counts(norm))
    return counts, dense(text)


def weigh(
    counts: Counter[int], idf: dict[int, float] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sublinear tf-idf, each block (words, characters) scaled to unit length."""
    idx = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
    val = np.array([(1.0 + math.log(counts[i])) * float(idf[i]) for i in idx], dtype=np.float64)
    for lo, hi in ((WORD_BASE, WORD_BASE + BUCKETS), (CHAR_BASE, CHAR_BASE + BUCKETS)):
        block = (idx >= lo) & (idx < hi)
        norm = float(np.sqrt(np.sum(val[block] ** 2)))
        if norm > 0:
            val[block] /= norm
    return idx, val


def document_frequencies(docs: Iterable[Counter[int]]) -> tuple[Counter[int], int]:
    df: Counter[int] = Counter()
    n = 0
    for counts in docs:
        df.update(counts.keys())
        n += 1
    return df, n


def idf_table(df: Counter[int], n: int) -> np.ndarray:
    """Smoothed idf, ``ln((1 + n) / (1 + df)) + 1``; unseen slots get the value for df = 0."""
    table = np.full(DENSE_BASE, math.log((1 + n) / 1) + 1, dtype=np.float64)
    for slot, d in df.items():
        table[slot] = math.log((1 + n) / (1 + d)) + 1
    return table


def rows(texts: Sequence[str], idf: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Sparse (indices, values) rows for ``texts``, dense signals appended at :data:`DENSE_BASE`."""
    all_idx: list[np.ndarray] = []
    all_val: list[np.ndarray] = []
    for text in texts:
        counts, extra = sparse_counts(text)
        idx, val = weigh(counts, idf)
        all_idx.append(np.concatenate([idx, np.arange(DENSE_BASE, DIM, dtype=np.int64)]))
        all_val.append(np.concatenate([val, np.array(extra, dtype=np.float64)]))
    return all_idx, all_val
