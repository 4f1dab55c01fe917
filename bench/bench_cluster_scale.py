"""Story index at corpus scale: cost per added article from 10k towards 1M articles, on SQLite.

Run by hand: ``python bench/bench_cluster_scale.py [--sizes 10000,100000,1000000]
[--measure 200] [--max-live 20000]``.

What is measured: at each size, ``--measure`` real :meth:`StoryIndex.add_profile` calls on an
index written through to SQLite (``stories_*`` tables in a temporary file), keeping at most
``--max-live`` profiles (and 30 days) in memory, the rest evicted to disk and looked up there
as in production. Printed per size: mean and p95 wall ms per add, mean CPU ms per add,
candidates retrieved, scored and read back from disk per add, live profiles, the database size
and the peak resident memory of the process so far.

What is NOT measured: reaching each size. Filling the index with a million real adds would take
about 1.5 h of CPU on this machine, so the base corpus between checkpoints is bulk-loaded:
stories derived from a pool of real synthetic profiles (``bench_cluster.Synth``: text, hashed
word vectors, MinHash, cues; see :class:`Corpus`), placed with :meth:`StoryIndex.place` (memory)
and written to the same tables with batched inserts (disk) — the state an index of that size
would be in, not the cost of getting there. The measured adds are fresh Synth profiles of
stories opened among the measured adds, so they retrieve and score real same-story candidates
besides the bulk ones, some from disk.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported

import argparse
import dataclasses
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from bench_cluster import Synth

from wiretrace.stories import schema
from wiretrace.stories.cues import name_key
from wiretrace.stories.index import IndexOptions, StoryIndex
from wiretrace.stories.profile import Profile, dumps, vectors_blob


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / max(float(np.linalg.norm(v)), 1e-9)).astype(np.float32)


def _clone(t: Profile, i: int, when: float, rng: np.random.Generator, spread: float) -> Profile:
    """Another report like ``t``: new id and time, vectors moved by ``spread``."""

    def nudge(v: np.ndarray) -> np.ndarray:
        return _unit(v + rng.standard_normal(v.shape[0]).astype(np.float32) * spread)

    stamp = np.datetime64("2023-01-01T00:00") + np.timedelta64(int(when * 1440), "m")
    return dataclasses.replace(t, id=f"a{i}", published=str(stamp) + ":00",
                               head=nudge(t.head), lead=nudge(t.lead), mean=nudge(t.mean))  # fmt: skip


class Corpus:
    """Synthetic stories in publication order: bulk (derived) or real (fresh Synth) reports.

    A bulk story starts from one of ``pool`` real Synth profiles and is made its own: new
    names, figure and day in its cues, half of its MinHash values redrawn, its vectors moved
    well away (about as far as two unrelated real stories are); its reports are that story
    profile with fresh ids and times and slightly nudged vectors. A real report is a fresh
    Synth profile of one of the currently open (real) stories.
    """

    def __init__(self, per_day: int, pool: int = 400) -> None:
        self.synth = Synth()
        self.rng = np.random.default_rng(11)
        self.per_day = per_day
        self.n = 0
        self.open: list[tuple[str, dict[str, object], Profile | None, int]] = []
        self.pool = [self.synth.profile(-k, self.synth.story(), 0.0, False) for k in range(pool)]

    def _new_story(self, i: int) -> Profile:
        s, rng = self.synth, self.rng
        t = self.pool[s.rng.randrange(len(self.pool))]
        names = [name_key(s.name()) for _ in range(2)]
        cues = dataclasses.replace(
            t.cues,
            names=frozenset(names),
            name_counts=tuple((n, 2) for n in names),
            numbers=frozenset({str(s.rng.randint(10, 99_999))}),
            days=frozenset({f"{s.rng.randint(1, 12):02d}-{s.rng.randint(1, 28):02d}"}),
        )
        mh = t.minhash.copy()
        redraw = rng.choice(mh.shape[0], mh.shape[0] // 2, replace=False)
        mh[redraw] = rng.integers(0, 2**63, size=redraw.shape[0], dtype=np.uint64)
        return dataclasses.replace(_clone(t, i, 0.0, rng, 0.06), minhash=mh, cues=cues)

    def next(self, real: bool) -> tuple[Profile, str]:
        s = self.synth
        if not self.open or s.rng.random() < 0.15:
            self.open.append((f"s{self.n}", s.story(), None, s.rng.randint(1, 12)))
            if len(self.open) > 50:
                self.open.pop(0)
        k = s.rng.randrange(len(self.open))
        sid, story, template, left = self.open[k]
        when = self.n / self.per_day
        if real:
            p = s.profile(self.n, story, when, False)
        else:
            template = template or self._new_story(self.n)
            p = _clone(template, self.n, when, self.rng, 0.01)
        if left <= 1:
            self.open.pop(k)
        else:
            self.open[k] = (sid, story, template, left - 1)
        self.n += 1
        return p, sid


def bulk_place(
    index: StoryIndex, conn: sqlite3.Connection, items: list[tuple[Profile, str]]
) -> None:
    """Place known reports in memory and write the rows ``add_profile`` would have written."""
    arts, posts, gone = [], [], []
    for p, sid in items:
        keys = index._keys(p)
        gone.extend(index.place(p, sid))
        seq = index.seq
        arts.append((p.id, sid, seq, None, dumps(p), vectors_blob(p)))
        posts.extend((k, seq, p.id) for k in keys)
    # Postings pushed out of a capped list in memory are deleted on disk too (as save_article
    # does); the list in memory is the truth for keys still live.
    conn.execute("BEGIN")
    conn.executemany("INSERT OR REPLACE INTO story_articles VALUES (?, ?, ?, ?, ?, ?)", arts)
    conn.executemany("INSERT OR REPLACE INTO story_postings VALUES (?, ?, ?)", posts)
    conn.executemany("DELETE FROM story_postings WHERE key = ? AND seq = ?", gone)
    conn.execute("INSERT OR REPLACE INTO story_state VALUES ('seq', ?)", (str(index.seq),))
    conn.execute("COMMIT")


def write_df(index: StoryIndex, conn: sqlite3.Connection) -> None:
    """The document frequencies the bulk-placed reports would have counted on disk."""
    rows = [(kind, key, n) for kind, counts in index.stats.df.items() for key, n in counts.items()]
    conn.execute("BEGIN")
    conn.executemany("INSERT OR REPLACE INTO story_df VALUES (?, ?, ?)", rows)
    conn.execute("COMMIT")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--measure", type=int, default=200, help="timed adds per size")
    ap.add_argument("--per-day", type=int, default=2000, help="articles published per day")
    ap.add_argument("--max-live", type=int, default=20_000)
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "stories.db"
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        schema.migrate(conn)
        opts = IndexOptions(max_live=args.max_live, retain_days=30.0)
        index = StoryIndex(opts, conn=conn)
        # The bulk writer has a connection of its own with a 256 MB page cache (included in
        # the peak memory printed); the index's connection keeps SQLite's defaults.
        bulk = sqlite3.connect(db, isolation_level=None)
        bulk.execute("PRAGMA cache_size=-262144")
        corpus = Corpus(args.per_day)
        print(f"{'articles':>9} {'ms/add':>7} {'p95':>7} {'cpu ms':>7} {'retrieved':>9} "
              f"{'scored':>6} {'disk':>5} {'live':>6} {'db MB':>7} {'peak MB':>8} "
              f"{'fill s':>7}", flush=True)  # fmt: skip
        for size in sizes:
            t_fill = time.perf_counter()
            while corpus.n < size - args.measure:
                batch = [
                    corpus.next(real=False)
                    for _ in range(min(20000, size - args.measure - corpus.n))
                ]
                bulk_place(index, bulk, batch)
            write_df(index, bulk)
            fill = time.perf_counter() - t_fill
            times, cpu, got, scored, disk = [], [], [], [], []
            while corpus.n < size:
                p, _ = corpus.next(real=True)
                t0, c0 = time.perf_counter(), time.process_time()
                index.add_profile(p)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                got.append(index.last_candidates)
                scored.append(index.last_scored)
                disk.append(index.last_from_disk)
            times.sort()
            db_mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
            print(f"{size:>9} {statistics.mean(times):>7.2f} {times[int(0.95 * len(times))]:>7.2f} "
                  f"{statistics.mean(cpu):>7.2f} {statistics.mean(got):>9.1f} "
                  f"{statistics.mean(scored):>6.1f} {statistics.mean(disk):>5.1f} "
                  f"{len(index._live.profiles):>6} {db_mb:>7.0f} {_peak_mb():>8.0f} {fill:>7.0f}",
                  flush=True)  # fmt: skip
        bulk.close()
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
