"""Late reports and the story index on SQLite: what reading evicted reports back costs and buys.

Run by hand: ``python bench/bench_cluster_disk.py [--articles 6000] [--max-live 1000]``.

A synthetic corpus (see ``bench_cluster.Synth``: two reports per story, in publication order) is
added to a story index that keeps only ``--max-live`` profiles in memory; then 100 late reports
of the oldest stories arrive (a backfill). Three set-ups run side by side in one process:

* ``memory-only``: no SQLite, so nothing that left memory can be found again;
* ``sqlite-no-read-back``: write-through SQLite, evicted reports not looked up;
* ``sqlite``: the shipped behaviour, evicted reports looked up on disk.

Printed per set-up: milliseconds per add (the last 300 reports in publication order, then the
late reports), and how many late reports joined the story of their earlier reports. A fourth
line keeps everything in memory, the ceiling the read-back aims at.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_cluster import Synth

from wiretrace.stories.index import IndexOptions, StoryIndex
from wiretrace.stories.profile import Profile


def run(
    name: str,
    corpus: list[tuple[int, Profile]],
    late: list[tuple[int, Profile]],
    max_live: int,
    conn: sqlite3.Connection | None,
    read_back: bool = True,
) -> None:
    index = StoryIndex(IndexOptions(max_live=max_live), conn=conn)
    if not read_back:
        index._may_be_on_disk = lambda when, window: False  # type: ignore[method-assign]
    first: dict[int, str] = {}
    for story, p in corpus[:-300]:
        first.setdefault(story, index.add_profile(p))
    t = time.perf_counter()
    for story, p in corpus[-300:]:
        first.setdefault(story, index.add_profile(p))
    in_order = (time.perf_counter() - t) / 300 * 1000
    t = time.perf_counter()
    joined = sum(index.add_profile(p) == first[story] for story, p in late)
    late_ms = (time.perf_counter() - t) / len(late) * 1000
    print(f"{name:>20}  {in_order:7.1f}  {late_ms:7.1f}  {joined:4d}/{len(late)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=6000)
    ap.add_argument("--max-live", type=int, default=1000)
    args = ap.parse_args(argv)
    synth = Synth()
    n_stories = args.articles // 2
    stories = [synth.story() for _ in range(n_stories)]
    corpus = [
        (i // 2, synth.profile(i, stories[i // 2], i / 400, False)) for i in range(args.articles)
    ]
    late = [
        (k, synth.profile(10 * args.articles + k, stories[k], k * 2 / 400 + 0.01, False))
        for k in range(0, min(1000, n_stories), 10)
    ]
    print(f"{'set-up':>20}  {'ms/add':>7}  {'late ms':>7}  late reports joined")
    with tempfile.TemporaryDirectory() as tmp:
        run("memory-only", corpus, late, args.max_live, None)
        for name, read_back in (("sqlite-no-read-back", False), ("sqlite", True)):
            conn = sqlite3.connect(Path(tmp) / f"{name}.db")
            conn.execute("PRAGMA journal_mode=WAL")
            run(name, corpus, late, args.max_live, conn, read_back)
            conn.close()
        run("all in memory", corpus, late, 10 * args.articles, None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
