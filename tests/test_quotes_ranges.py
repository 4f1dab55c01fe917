"""The quote stage's position lookup answers as a scan of the ranges in list order would."""

from __future__ import annotations

import random

import pytest

from wiretrace.stages.quotes.deep import _Ranges


def _scan(ranges: list[tuple[int, int]], pos: int) -> list[tuple[int, int]]:
    return [r for r in ranges if r[0] <= pos < r[1]]


@pytest.mark.parametrize("seed", range(20))
def test_containing_matches_a_scan(seed: int) -> None:
    rng = random.Random(seed)
    ranges: list[tuple[int, int]] = []
    for _ in range(rng.randint(0, 40)):
        a = rng.randint(0, 300)
        ranges.append((a, a + rng.randint(-3, 60)))  # empty and reversed ranges included
    if seed % 2:
        ranges.insert(rng.randint(0, len(ranges)), (rng.randint(0, 20), 400))  # unclosed quote
    lookup = _Ranges(ranges)
    for pos in range(-2, 420):
        assert lookup.containing(pos) == _scan(ranges, pos)
        r = (pos, pos + rng.randint(0, 30))
        assert lookup.overlap(r) == (r[1] > r[0] and any(a < r[1] and b > r[0] for a, b in ranges))


def test_answers_are_fresh_lists() -> None:
    lookup = _Ranges([(0, 10), (5, 20)])
    lookup.containing(6).clear()
    assert lookup.containing(6) == [(0, 10), (5, 20)]
