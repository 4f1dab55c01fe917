"""Ingest throughput with 2 worker processes against 1, in one run, on the same real texts.

Usage: python bench/bench_workers.py [--texts N] [--langs en,fr] [--workers 2] [--rounds 1]
                                     [--stories] [--no-demo]

Texts: the demo corpus (58 articles in 8 languages, as pages; ``--no-demo`` leaves it out) and
the first N distinct texts of ../shared/eval/pairs/dev.jsonl (7 languages, or only those of
``--langs``), written as JSONL records (title = first sentence, paragraphs of three sentences).
Each round ingests everything into a fresh store with ``--workers 1`` and then with
``--workers W``, with every analysis stage; with ``--stories`` the writer also places each
shard's articles into stories as soon as it is written, as ``wiretrace ingest`` does, and the
figure is end to end. It prints articles/s of each, their ratio, the CPU seconds of this
process (the writer) and, with workers > 1, of every other process of the run (the fork server
and the workers, read from /proc while it runs: on a shared machine the CPU seconds side by side
say more than the wall-clock ratio), the load average beside the run,
and checks the two stores hold identical records (and, with ``--stories``, identical stories
and story records). Each worker loads the models of the languages routed to it once (a few CPU
seconds per language; the pool sends a language to a worker that has it loaded), so the
whole-run ratio depends on the corpus size; ``--marginal`` also ingests the first N/2 texts
alone and reports the marginal rate, (articles of N - articles of N/2) / (time of N - time of
N/2), in which the model loads cancel out (every run is a fresh process that loads its own
models, and no parse or vector memo carries over between runs): the rate a long-running ingest
settles at.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "wiretrace" / "demo" / "corpus"
PAIRS = ROOT.parent / "shared" / "eval" / "pairs" / "dev.jsonl"
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁЇІЄҐ\u0600-\u06ff\"“«])")


def _record(text: str) -> dict[str, str] | None:
    sents = [s.strip() for s in _SENT.split(" ".join(text.split())) if s.strip()]
    if len(sents) < 3:
        return None
    paras = [" ".join(sents[i : i + 3]) for i in range(1, len(sents), 3)]
    return {"title": sents[0][:200], "text": "\n\n".join(paras)}


def build_inputs(tmp: Path, n_texts: int, langs: set[str] | None = None,
                 demo: bool = True) -> Path:  # fmt: skip
    """The demo pages plus ``n_texts`` dev texts as one JSONL file, in one directory."""
    inputs = tmp / "inputs"
    if demo:
        shutil.copytree(DEMO, inputs)
    else:
        inputs.mkdir(parents=True)
    seen: set[str] = set()
    rows: list[str] = []
    if PAIRS.is_file():
        for line in PAIRS.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            for key in ("1", "2"):
                if langs and pair.get(f"lang{key}") not in langs:
                    continue
                text = pair.get(f"text{key}") or ""
                rec = _record(text)
                if rec is None or text in seen or len(rows) >= n_texts:
                    continue
                seen.add(text)
                rows.append(json.dumps(rec, ensure_ascii=False))
    (inputs / "zz-pairs-dev.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return inputs


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


class _Tally:
    """CPU seconds of this process's descendants (the fork server and the workers), read from
    /proc every 0.1 s while the run lasts: a worker's last reading before it exits (it is idle
    after its last task, so little is missed). Linux only; elsewhere nothing is counted."""

    def __init__(self) -> None:
        self.cpu: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> _Tally:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.1):
            self._read(me)

    def _read(self, root: int) -> None:
        parents: dict[int, int] = {}
        stats: dict[int, tuple[str, float]] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                raw = (entry / "stat").read_text()
            except OSError:
                continue
            name = raw[raw.index("(") + 1 : raw.rindex(")")]
            fields = raw[raw.rindex(")") + 2 :].split()
            parents[int(entry.name)] = int(fields[1])
            stats[int(entry.name)] = (name, (int(fields[11]) + int(fields[12])) / self._tick)
        for pid, (name, cpu) in stats.items():
            up, seen = parents.get(pid), 0
            while up is not None and up != root and seen < 8:
                up, seen = parents.get(up), seen + 1
            if up == root and cpu >= self.cpu.get(pid, ("", 0.0))[1]:
                self.cpu[pid] = (name, cpu)

    def summary(self) -> str:
        return ", ".join(f"{pid} {cpu:.1f}" for pid, (_, cpu) in sorted(self.cpu.items()))

    def total(self) -> float:
        return sum(cpu for _, cpu in self.cpu.values())


def run_once(inputs: Path, db: Path, workers: int, stories: bool) -> tuple[int, float, float]:
    """One ingest in a fresh Python process: every run starts cold (its own model loads, no
    parse or vector memo left by an earlier run), as a real ``wiretrace ingest`` does."""
    cmd = [sys.executable, __file__, "--one", str(inputs), str(db), str(workers), str(int(stories))]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    lines = out.strip().splitlines()
    print("\n".join(lines[:-1]), flush=True)
    n, wall, cpu = json.loads(lines[-1])
    return int(n), float(wall), float(cpu)


def _one(inputs: Path, db: Path, workers: int, stories: bool) -> None:
    from wiretrace.corpus import update_stories
    from wiretrace.ingest import IngestOptions, ingest
    from wiretrace.store import open_store

    store = open_store(db)
    placed = ""
    tally = _Tally()
    try:
        tally.__enter__()
        t0, c0 = time.perf_counter(), _cpu()
        opts = IngestOptions(workers=workers, story_vectors=stories, place_stories=stories)
        rep = ingest([str(inputs)], store, opts)
        if stories:  # as `wiretrace ingest` does: each shard placed as it was written, then
            t1 = time.perf_counter()  # the changed stories' records saved
            srep = update_stories(store, units=rep.units, into=rep.stories)
            placed = f", after the run {time.perf_counter() - t1:.1f} s: {srep.summary()}"
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
    finally:
        tally.__exit__()
        store.close()
    print(f"  workers={workers}: {rep.summary()} in {wall:.1f} s "
          f"({rep.new / wall:.2f} articles/s, writer {cpu:.1f} CPU s{placed})",
          flush=True)  # fmt: skip
    if tally.cpu:
        print(f"  workers={workers}: CPU s of the other processes (pid CPU): {tally.summary()}; "
              f"all processes {cpu + tally.total():.1f}", flush=True)  # fmt: skip
    print(json.dumps([rep.new, wall, cpu]), flush=True)


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--one":
        _one(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1")
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=int, default=300, help="dev.jsonl texts besides the demo")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--langs", default="", help="only dev texts in these languages (en,fr)")
    ap.add_argument("--stories", action="store_true", help="place stories too (end to end)")
    ap.add_argument("--no-demo", action="store_true", help="leave the demo corpus out")
    ap.add_argument("--marginal", action="store_true",
                    help="also run the first half alone: the marginal rate")  # fmt: skip
    args = ap.parse_args()
    langs = {x for x in args.langs.split(",") if x} or None
    with tempfile.TemporaryDirectory() as tmp_:
        tmp = Path(tmp_)
        inputs = build_inputs(tmp, args.texts, langs, demo=not args.no_demo)
        half = None
        if args.marginal:
            half = build_inputs(tmp / "half", args.texts // 2, langs, demo=not args.no_demo)
        ratios = []
        for r in range(args.rounds):
            print(f"round {r + 1}: load average before {os.getloadavg()[0]:.1f}", flush=True)
            dbs = {}
            rates, margins = {}, {}
            for w in (1, args.workers):
                dbs[w] = tmp / f"r{r}-w{w}.db"
                n, wall, _ = run_once(inputs, dbs[w], w, args.stories)
                rates[w] = n / wall
                if half is not None:
                    n2, wall2, _ = run_once(half, tmp / f"r{r}-w{w}-half.db", w, args.stories)
                    margins[w] = (n - n2) / (wall - wall2) if wall > wall2 else 0.0
                    print(f"  workers={w}: marginal rate {margins[w]:.2f} articles/s", flush=True)
            same = _records(dbs[1]) == _records(dbs[args.workers])
            if args.stories:
                same = same and _stories(dbs[1]) == _stories(dbs[args.workers])
            ratio = rates[args.workers] / rates[1]
            ratios.append(ratio)
            if margins and margins[1]:
                print(f"  marginal ratio workers={args.workers} / workers=1: "
                      f"{margins[args.workers] / margins[1]:.2f}x", flush=True)  # fmt: skip
            print(f"  ratio workers={args.workers} / workers=1 (whole run): {ratio:.2f}x; "
                  f"records{' and stories' * args.stories} identical: {same}; load average after "
                  f"{os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
        print(f"ratios: {', '.join(f'{x:.2f}' for x in ratios)}")


def _records(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT id, record FROM articles").fetchall())


def _stories(db: Path) -> tuple[set[tuple[str, str, int]], dict[str, str]]:
    """Who is in which story, in which order, and every story's saved record."""
    with sqlite3.connect(db) as conn:
        members = set(conn.execute("SELECT story_id, article_id, seq FROM story_articles"))
        records = dict(conn.execute("SELECT story_id, record FROM story_records").fetchall())
    return members, records


if __name__ == "__main__":
    main()
