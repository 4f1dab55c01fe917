"""Opt-in long fuzz run over every parser we wrote (``wiretrace.fuzz.TARGETS``).

    nice -n 19 .venv/bin/python bench/fuzz.py --inputs 1000000 --out fuzz-out
    nice -n 15 .venv/bin/python bench/fuzz.py --per-target 100000 --jobs 4 --until 14:45


Inputs are mutations of the seeds and of earlier inputs (bit flips, byte and block inserts,
deletions, duplications, splices, and tokens parsers trip over: deep brackets, long digit runs,
lone surrogate escapes, runs of inline tags), at most ``--max-bytes`` each. An input that
raises anything but the target's refusal (InputError, QuerySyntaxError) is a crash; one that
uses over ``--seconds`` of CPU time is a hang (stopped by SIGPROF: CPU time, so a loaded
machine does not turn slow wall-clock seconds into false hangs). Both are saved under ``--out`` and
counted; the run ends with one JSON line of figures per target and a total.

Targets differ a thousandfold in speed (a search query takes 0.1 ms, a figures input a spaCy
parse of 40 ms), so a time budget per target gives very uneven counts; ``--per-target`` asks
the same number of inputs of each. ``--jobs`` runs each target's inputs as ``--slices`` pieces
(own random seeds) in that many processes, and ``--until`` (UTC, HH:MM) ends every piece at
that time, reporting what it did.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wiretrace.fuzz import ALLOWED, SEEDS, TARGETS

TOKENS = [
    b"[" * 2000,
    b"{" * 2000,
    b"9" * 5000,
    b"\\ud800",
    b"<b>" * 3000,
    b"\x00",
    b"\xff\xfe",
    b'"',
    b"\n\n",
    b"<![CDATA[",
    b"&#x0;",
    b"http://a\xc2\xad\xe2\x80\x8b.xn--80ak6aa92e.com/",
    b"WARC-Target-URI: ",
    b"Content-Length: 99999999999999999999\r\n",
    b"NEAR(",
    b"AND OR NOT ( ) * ",
    "Джерело: ".encode(),
    "٣٤٥".encode(),
    b"1e309",
    b"-0.0",
]


class Hang(BaseException):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Hang()


def mutate(rng: random.Random, data: bytes, pool: list[bytes], cap: int) -> bytes:
    """One to four random edits of ``data``."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        at = rng.randint(0, len(buf))
        if op == 0 and buf:
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 2 and buf:
            del buf[at : at + rng.randint(1, 32)]
        elif op == 3 and buf:
            j = rng.randint(at, min(len(buf), at + 64))
            buf[at:at] = buf[at:j] * rng.randint(2, 50)
        elif op == 4:
            other = rng.choice(pool)
            k = rng.randint(0, len(other))
            buf[at:] = other[k:]
        elif op == 5:
            buf[at:at] = rng.choice(TOKENS)
        else:
            buf[at:at] = rng.choice(pool)[: rng.randint(0, 64)]
    return bytes(buf[:cap])


def run(
    name: str,
    inputs: int,
    seconds: float,
    cap: int,
    out: Path,
    seed: int,
    budget: float,
    until: float = 0.0,
) -> dict[str, Any]:
    """Fuzz one target with up to ``inputs`` inputs, for ``budget`` seconds of wall time (0:
    no limit) and until the epoch time ``until`` (0: none)."""
    signal.signal(signal.SIGPROF, _alarm)
    target = TARGETS[name]
    rng = random.Random(seed)
    pool = list(SEEDS[name])
    crashes: dict[str, int] = {}
    hangs = 0
    slowest = 0.0
    for data in SEEDS[name]:  # loads what the target needs (models, lexicons) outside the clock
        target(data)
    started = time.monotonic()
    cpu = time.process_time()
    n = done = 0
    for n in range(inputs):
        if n % 100 == 0 and (
            (budget and time.monotonic() - started > budget) or (until and time.time() > until)
        ):
            break
        data = mutate(rng, rng.choice(pool), pool, cap)
        t0 = time.monotonic()
        signal.setitimer(signal.ITIMER_PROF, seconds)
        try:
            target(data)
        except Hang:
            hangs += 1
            _save(out / name / "hangs", data)
        except ALLOWED:
            pass
        except Exception as exc:
            key = f"{type(exc).__name__}: {str(exc)[:80]}"
            if key not in crashes:
                _save(out / name / "crashes", data)
            crashes[key] = crashes.get(key, 0) + 1
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        slowest = max(slowest, time.monotonic() - t0)
        done += 1
        if n % 50 == 0 and len(pool) < 500:
            pool.append(data)  # later inputs mutate earlier ones too
    return {
        "target": name,
        "inputs": done,
        "crashes": sum(crashes.values()),
        "distinct_crashes": crashes,
        "hangs": hangs,
        "slowest_s": round(slowest, 3),
        "elapsed_s": round(time.monotonic() - started, 1),
        "cpu_s": round(time.process_time() - cpu, 1),
    }


def _unit(args: tuple[Any, ...]) -> dict[str, Any]:
    return run(*args)


def _merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One target's figures from its slices."""
    crashes: dict[str, int] = {}
    for p in parts:
        for k, v in p["distinct_crashes"].items():
            crashes[k] = crashes.get(k, 0) + v
    return {
        "target": parts[0]["target"],
        "inputs": sum(p["inputs"] for p in parts),
        "crashes": sum(p["crashes"] for p in parts),
        "distinct_crashes": crashes,
        "hangs": sum(p["hangs"] for p in parts),
        "slowest_s": max(p["slowest_s"] for p in parts),
        "elapsed_s": max(p["elapsed_s"] for p in parts),
        "cpu_s": round(sum(p["cpu_s"] for p in parts), 1),
        "slices": len(parts),
    }


def _deadline(hhmm: str) -> float:
    """The epoch time of the next ``HH:MM`` UTC (today, or tomorrow if it has passed)."""
    if not hhmm:
        return 0.0
    hour, minute = (int(x) for x in hhmm.split(":"))
    now = datetime.now(UTC)
    at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    stamp = at.timestamp()
    return stamp if stamp > now.timestamp() else stamp + 86400


def _save(folder: Path, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=1_000_000, help="inputs across all targets")
    ap.add_argument("--seconds", type=float, default=5.0, help="per-input CPU-time limit (seconds)")
    ap.add_argument("--max-bytes", type=int, default=8192, help="per-input size limit")
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("--out", type=Path, default=Path("fuzz-out"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--minutes", type=float, default=0.0, help="wall-time budget per target (0: none)"
    )
    ap.add_argument("--per-target", type=int, default=0, help="inputs per target (0: --inputs "
                    "shared equally)")  # fmt: skip
    ap.add_argument("--jobs", type=int, default=1, help="processes running slices at once")
    ap.add_argument("--slices", type=int, default=0, help="pieces per target (default: --jobs)")
    ap.add_argument("--until", default="", help="stop every target at this UTC time (HH:MM)")
    args = ap.parse_args()
    names = args.targets.split(",")
    each = args.per_target or args.inputs // len(names)
    slices = max(1, args.slices or args.jobs)
    until = _deadline(args.until)
    units = [
        (name, each // slices + (1 if s < each % slices else 0), args.seconds, args.max_bytes,
         args.out, args.seed + i + 1000 * s, args.minutes * 60, until)
        for s in range(slices)
        for i, name in enumerate(names)
    ]  # fmt: skip
    parts: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    if args.jobs <= 1:
        results = map(_unit, units)
    else:  # forked workers: each loads the models its targets need once
        pool = multiprocessing.get_context("fork").Pool(args.jobs)
        results = pool.imap_unordered(_unit, units)
    for res in results:
        if slices > 1:
            print(json.dumps({"slice": res}), flush=True)
        parts[res["target"]].append(res)
        if len(parts[res["target"]]) == slices:
            print(json.dumps(_merge(parts[res["target"]])), flush=True)
    total = {"inputs": 0, "crashes": 0, "hangs": 0}
    for name in names:
        merged = _merge(parts[name])
        for k in total:
            total[k] += merged[k]
    limits = {"seconds_per_input": args.seconds, "max_bytes_per_input": args.max_bytes}
    print(json.dumps({"total": total, "limits": limits}), flush=True)
    sys.exit(1 if total["crashes"] or total["hangs"] else 0)


if __name__ == "__main__":
    main()
