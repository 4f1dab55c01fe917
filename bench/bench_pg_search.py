"""CPU a search costs on PostgreSQL, by the shape of the bench's search mix, old code beside new.

Usage: python bench/bench_pg_search.py --db postgresql://... [--per-class 40] [--rounds 3]
                                       [--baseline /path/to/other/src] [--json]

The queries are ``bench_web``'s: two terms drawn from the generated vocabulary and the place
names, sorted into classes (a place and a word, two words of one language, two words of
different languages, two places). Each query runs the web search as the server runs it
(``search_queries.search`` on one connection, 20 hits a page), and the CPU it costs is read
where it is spent: the PostgreSQL backend's (``/proc/<pid>/schedstat``, nanoseconds) and the
calling thread's (``time.thread_time``). Wall-clock latencies on a shared machine measure the
other jobs; these figures do not. ``--baseline`` runs the same queries through another source
tree (for instance a ``git worktree`` of main) in alternating rounds, each in its own process,
so both see the same machine and the same caches.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def classes(per_class: int, seed: int = 3) -> dict[str, list[str]]:
    """``per_class`` bench queries of each class (the bench's own term list and draw)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_web import PLACES, WORDS

    terms = [w for ws in WORDS.values() for w in ws if w.isalpha()] + list(PLACES)
    lang_of: dict[str, set[str]] = {}
    for lang, ws in WORDS.items():
        for w in ws:
            lang_of.setdefault(w.lower(), set()).add(lang)
    rng = random.Random(seed)
    out: dict[str, list[str]] = {"place+word": [], "one language": [], "two languages": [],
                                 "two places": []}  # fmt: skip
    while any(len(v) < per_class for v in out.values()):
        a, b = rng.choice(terms), rng.choice(terms)
        places = (a in PLACES) + (b in PLACES)
        if places == 2:
            kind = "two places"
        elif places == 1:
            kind = "place+word"
        elif lang_of[a.lower()] & lang_of[b.lower()]:
            kind = "one language"
        else:
            kind = "two languages"
        if len(out[kind]) < per_class:
            out[kind].append(f"{a} {b}")
    return out


def _backend_ns(pid: int) -> int:
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])


def measure(db: str, queries: dict[str, list[str]], repeat: int) -> dict[str, dict[str, float]]:
    """Per class: mean backend and client CPU ms a search, and the median wall ms."""
    from wiretrace.store.postgres import PostgresStore, connect
    from wiretrace.web import search_queries
    from wiretrace.web.queries import parse_filters

    raw = connect(db, readonly=True)
    store = PostgresStore.over(db, raw)
    pid = raw.execute("SELECT pg_backend_pid()").fetchone()[0]
    for qs in queries.values():  # warm the caches (and this connection's lookups)
        for q in qs[:3]:
            search_queries.search(store, parse_filters({"q": q}, limit=20))
    out: dict[str, dict[str, float]] = {}
    for kind, qs in queries.items():
        back = client = 0.0
        walls: list[float] = []
        for _ in range(repeat):
            for q in qs:
                f = parse_filters({"q": q}, limit=20)
                b0, c0, w0 = _backend_ns(pid), time.thread_time(), time.perf_counter()
                search_queries.search(store, f)
                walls.append(time.perf_counter() - w0)
                back += (_backend_ns(pid) - b0) / 1e6
                client += (time.thread_time() - c0) * 1000
        n = repeat * len(qs)
        out[kind] = {"backend_ms": back / n, "client_ms": client / n,
                     "wall_p50_ms": 1000 * statistics.median(walls)}  # fmt: skip
    raw.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="postgresql:// URL of a bench_web store")
    ap.add_argument("--per-class", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=2, help="each query, per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--baseline", help="another source tree's src/, run in alternate rounds")
    ap.add_argument("--json", action="store_true", help="(internal) one round, JSON out")
    args = ap.parse_args()
    queries = classes(args.per_class)
    if args.json:
        print(json.dumps(measure(args.db, queries, args.repeat)))
        return
    trees = {"this": str(ROOT / "src")}
    if args.baseline:
        trees = {"baseline": args.baseline, **trees}
    got: dict[str, list[dict[str, dict[str, float]]]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, src in trees.items():
            env = {**os.environ, "PYTHONPATH": src}
            cmd = [sys.executable, __file__, "--db", args.db, "--per-class", str(args.per_class),
                   "--repeat", str(args.repeat), "--json"]  # fmt: skip
            res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            got[name].append(json.loads(res.stdout.strip().splitlines()[-1]))
    print(f"load average {os.getloadavg()}; {args.rounds} rounds x {args.repeat} x "
          f"{args.per_class} searches a class; CPU ms a search (median of the rounds)")  # fmt: skip
    print(f"{'class':14s} " + "  ".join(f"{n:>26s}" for n in trees))
    print(f"{'':14s} " + "  ".join(f"{'backend client wall50':>26s}" for _ in trees))
    for kind in queries:
        cells = []
        for name in trees:
            runs = got[name]
            b, c, w = (statistics.median(r[kind][k] for r in runs)
                       for k in ("backend_ms", "client_ms", "wall_p50_ms"))  # fmt: skip
            cells.append(f"{b:9.2f} {c:7.2f} {w:8.1f}")
        print(f"{kind:14s} " + "  ".join(f"{c:>26s}" for c in cells))


if __name__ == "__main__":
    main()
