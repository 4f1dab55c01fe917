"""A parse's tokens by character offset, made once per parse and looked up by bisection.

Speaker clean-up asks, for each quote, which tokens a span covers and what part of speech the
token at an offset has. Walking the whole parse for each quote made an article of many quotes
quadratic (1,200 quotes in 36,000 characters: half the stage's time went to those walks).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

Index = tuple[Any, list[int], list[int], list[str], list[str]]

_INDEX: dict[int, Index] = {}


def tokens(doc: Any) -> Index:
    """(doc, token starts, token ends, parts of speech, texts) of a spaCy ``Doc``."""
    hit = _INDEX.get(id(doc))
    if hit is None or hit[0] is not doc:
        toks = list(doc)
        hit = (doc, [t.idx for t in toks], [t.idx + len(t.text) for t in toks],
               [t.pos_ for t in toks], [t.text for t in toks])  # fmt: skip
        _INDEX.clear()  # one article at a time: the memo holds its doc alive, no more
        _INDEX[id(doc)] = hit
    return hit


def pos_at(index: Index, at: int) -> str | None:
    """The part of speech of the token starting at character ``at`` (None: no token does)."""
    starts = index[1]
    i = bisect_right(starts, at) - 1
    return index[3][i] if i >= 0 and starts[i] == at else None


def covering(index: Index, a: int, b: int) -> list[int]:
    """The numbers of the tokens overlapping characters ``a`` to ``b``."""
    starts, ends = index[1], index[2]
    i, out = bisect_right(ends, a), []
    while i < len(starts) and starts[i] < b:
        out.append(i)
        i += 1
    return out
