"""What the moderators said about texts like this one: a near-duplicate memory, learnt online.

Spam campaigns post the same text again with small changes. Each moderation decision adds its
text's shingles (hashed character 5-grams of the normalised text); a new comment whose
shingle set overlaps a remembered one by Jaccard >= :data:`NEAR` takes that label at once,
without waiting for the next ``wiretrace train spam``. The newest decision on a text wins.
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass

from .features import normalise

NEAR = 0.7
SHINGLE = 5


def shingles(text: str) -> frozenset[int]:
    norm = " ".join(normalise(text).split())
    if len(norm) <= SHINGLE:
        return frozenset({zlib.crc32(norm.encode())})
    return frozenset(
        zlib.crc32(norm[i : i + SHINGLE].encode()) for i in range(len(norm) - SHINGLE + 1)
    )


@dataclass(frozen=True)
class Match:
    spam: bool
    similarity: float


class DecisionMemory:
    """Labelled shingle sets, with an inverted index so a lookup touches only overlapping ones."""

    def __init__(self) -> None:
        self._sets: list[tuple[frozenset[int], bool]] = []
        self._index: dict[int, list[int]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sets)

    def add(self, text: str, spam: bool) -> None:
        sh = shingles(text)
        with self._lock:
            n = len(self._sets)
            self._sets.append((sh, spam))
            for s in sh:
                self._index.setdefault(s, []).append(n)

    def nearest(self, text: str) -> Match | None:
        """The most similar remembered text at Jaccard >= :data:`NEAR` (newest on ties)."""
        sh = shingles(text)
        overlap: dict[int, int] = {}
        with self._lock:
            for s in sh:
                for n in self._index.get(s, ()):
                    overlap[n] = overlap.get(n, 0) + 1
            best: tuple[float, int] | None = None
            for n, common in overlap.items():
                other = self._sets[n][0]
                jac = common / (len(sh) + len(other) - common)
                if jac >= NEAR and (best is None or (jac, n) >= best):
                    best = (jac, n)
            if best is None:
                return None
            return Match(self._sets[best[1]][1], best[0])
