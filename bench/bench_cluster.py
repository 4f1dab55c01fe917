"""Cost of adding one article to the story index at 1k, 10k and 100k articles (synthetic corpus).

Run by hand: ``python bench/bench_cluster.py [--sizes 1000,10000,100000] [--measure 300]``.

The corpus is synthetic: stories of 1 to 12 reports, each story with its own names, figures and
day date, written from a small vocabulary, published about ``--per-day`` articles a day. To
reach 100k articles on a shared machine the USE model is replaced by a hashed bag-of-words
vector (a fixed random 512-dim vector per word, summed and normalised): the index does exactly
the same work per add (retrieval, scoring of at most ``max_candidates``), only the embedding of
the new article, a constant cost per article (about 10-40 ms for USE on one CPU), is left out.
Pass ``--use`` to embed with the real model instead (only sensible for the 1k size).

Between checkpoints the index is filled with :meth:`StoryIndex.place` (stories known, no
scoring) so that reaching 100k does not take an hour; at each checkpoint ``--measure`` real
``add_profile`` calls are timed. Printed per size: mean and p95 wall milliseconds per add, mean
CPU milliseconds per add (steadier than wall time on a shared machine), mean
retrieved and scored candidates per add, live profiles in memory and peak resident memory.

BLAS is held to one thread (unless ``OPENBLAS_NUM_THREADS`` is set): ranking a thousand
candidates is a small matrix-vector product, and several BLAS threads made CPU time twice the
wall time and wall time noisy (6.2 vs 8.6 ms per add at 10k and 100k in one run, flat in another).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported

import argparse
import random
import resource
import statistics
import sys
import time
import zlib
from dataclasses import dataclass

import numpy as np

from wiretrace.stories.cues import extract
from wiretrace.stories.index import IndexOptions, StoryIndex
from wiretrace.stories.profile import Profile, minhash

_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "dra", "bel", "gor", "tan"]
_WORDS = [
    "government", "minister", "talks", "agreement", "city", "police", "report", "officials",
    "said", "meeting", "workers", "strike", "earthquake", "election", "court", "ruling",
    "company", "shares", "market", "prices", "troops", "border", "attack", "aid", "summit",
    "vote", "parliament", "bank", "rates", "storm", "flood", "villages", "rescue", "team",
    "match", "final", "season", "contract", "deal", "plan", "the", "a", "of", "in", "on",
    "and", "to", "with", "after", "before", "by", "for", "at", "from",
]  # fmt: skip
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # fmt: skip


@dataclass
class Synth:
    """Deterministic synthetic story generator and cheap stand-in embedder."""

    seed: int = 7
    dim: int = 512

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self._vec: dict[str, np.ndarray] = {}

    def name(self) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(3)).capitalize()

    def story(self) -> dict[str, object]:
        return {
            "names": [self.name() for _ in range(4)],
            "topic": self.rng.sample(_WORDS[:40], 6),
            "figure": self.rng.randint(10, 99_999),
            "day": f"{self.rng.randint(1, 28)} {self.rng.choice(_MONTHS)} 2023",
        }

    def text(self, s: dict[str, object]) -> str:
        names = list(s["names"])  # type: ignore[call-overload]
        topic = list(s["topic"])  # type: ignore[call-overload]
        sentences = []
        for _ in range(6):
            words = [self.rng.choice(topic + _WORDS) for _ in range(12)]
            words.insert(3, self.rng.choice(names))
            words.insert(7, self.rng.choice(names))
            sentences.append(" ".join(words).capitalize() + ".")
        sentences.insert(1, f"On {s['day']} {names[0]} said {s['figure']} people were affected.")
        return " ".join(sentences)

    def vector(self, text: str) -> np.ndarray:
        acc = np.zeros(self.dim, dtype=np.float32)
        for w in text.lower().split():
            v = self._vec.get(w)
            if v is None:
                r = np.random.default_rng(zlib.crc32(w.encode()))  # same in every run
                v = r.standard_normal(self.dim).astype(np.float32)
                self._vec[w] = v
            acc += v
        return acc / max(float(np.linalg.norm(acc)), 1e-9)

    def profile(self, i: int, s: dict[str, object], when: float, use: bool) -> Profile:
        text = self.text(s)
        title = text.split(".")[0]
        if use:
            from wiretrace.stories.embed import embed_documents

            head, lead, mean = embed_documents([(title, text)])
            hv, lv, mv = head[0], lead[0], mean[0]
        else:
            hv, lv, mv = self.vector(title), self.vector(text[:400]), self.vector(text)
        stamp = np.datetime64("2023-01-01T00:00") + np.timedelta64(int(when * 1440), "m")
        published = str(stamp) + ":00"
        return Profile(
            id=f"a{i}", language="en", published=published, outlet=None,
            length=len(text.split()), head=hv, lead=lv, mean=mv, minhash=minhash(text),
            cues=extract(text, "en"),
        )  # fmt: skip


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--measure", type=int, default=300, help="timed adds per size")
    ap.add_argument("--per-day", type=int, default=2000, help="articles published per day")
    ap.add_argument("--max-live", type=int, default=20_000)
    ap.add_argument("--use", action="store_true", help="embed with the real USE model")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    synth = Synth()
    index = StoryIndex(IndexOptions(max_live=args.max_live, retain_days=30.0))
    stories: list[tuple[str, dict[str, object], int]] = []  # (story id, story, reports left)
    n = 0

    def next_profile() -> tuple[Profile, str]:
        nonlocal n
        # Open a new story, or continue one of the 50 most recent stories.
        if not stories or synth.rng.random() < 0.3:
            sid = f"s{n}"
            stories.append((sid, synth.story(), synth.rng.randint(1, 12)))
            if len(stories) > 50:
                stories.pop(0)
        k = synth.rng.randrange(len(stories))
        sid, story, left = stories[k]
        if left <= 1:
            stories.pop(k)
        else:
            stories[k] = (sid, story, left - 1)
        p = synth.profile(n, story, n / args.per_day, args.use)
        n += 1
        return p, sid

    print(f"{'articles':>9} {'ms/add':>8} {'p95 ms':>8} {'cpu ms':>8} {'retrieved':>10} "
          f"{'scored':>7} {'live':>7} {'peak MB':>8}")  # fmt: skip
    for size in sizes:
        while n < size - args.measure:
            p, sid = next_profile()
            index.place(p, sid)
        times, cpu, retrieved, scored = [], [], [], []
        while n < size:
            p, _ = next_profile()
            t0, c0 = time.perf_counter(), time.process_time()
            index.add_profile(p)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            retrieved.append(index.last_candidates)
            scored.append(index.last_scored)
        times.sort()
        print(
            f"{size:>9} {statistics.mean(times):>8.2f} {times[int(0.95 * len(times))]:>8.2f} "
            f"{statistics.mean(cpu):>8.2f} {statistics.mean(retrieved):>10.1f} {statistics.mean(scored):>7.1f} "
            f"{len(index._live.profiles):>7} {_peak_mb():>8.0f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
