"""Web latency under load: story, article, search and events pages on a large generated store.

Usage: python bench/bench_web.py [--n 100000] [--requests 600] [--concurrency 8]
                                 [--db PATH | --db postgresql://...] [--write] [--probe]
                                 [--cold] [--no-warm]

Builds (or reuses) a store of N cheap synthetic articles (entities, quotes, events, tags; no NLP)
grouped into stories of about eight reports with provenance edges, on SQLite or PostgreSQL,
starts the server in a subprocess (one uvicorn worker), then a second process sends a bounded
mix of requests over loopback, ``--concurrency`` at a time, and reports p50/p95/p99 latency
per page kind and the non-200 answers. ``--write`` runs an ingest process that keeps
upserting new generated articles while the pages are read. ``--probe`` measures ``GET /``
alone and while four costly searches run at once (the search cap must keep it fast).
``--cold`` (PostgreSQL on this host, as root or postgres) drops the store's files from the page
cache before the server starts, so the run is the first after a machine start; ``--no-warm``
starts the server without its warm-up (``store/pg_prewarm.py``, ``web/pg_warm.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from wiretrace.model import (
    Article,
    Entity,
    Event,
    EventDate,
    Evidence,
    Outlet,
    Participant,
    Quote,
    Span,
    Speaker,
)
from wiretrace.store import open_store

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "fr", "de", "es", "uk", "ru")
_VOCAB = {
    "en": "officials talks agreement border energy minister ceasefire summit delegation trade "
    "sanctions envoy report capital meeting security aid vote parliament market",
    "fr": "responsables négociations accord frontière énergie ministre cessez-le-feu sommet "
    "délégation commerce sanctions émissaire rapport capitale réunion sécurité",
    "de": "Beamte Gespräche Abkommen Grenze Energie Minister Waffenruhe Gipfel Delegation "
    "Handel Sanktionen Gesandter Bericht Hauptstadt Treffen Sicherheit",
    "es": "funcionarios negociaciones acuerdo frontera energía ministro alto el fuego cumbre "
    "delegación comercio sanciones enviado informe capital reunión seguridad",
    "uk": "посадовці переговори угода кордон енергетика міністр перемир'я саміт делегація "
    "торгівля санкції посланець звіт столиця зустріч безпека",
    "ru": "чиновники переговоры соглашение граница энергетика министр перемирие саммит "
    "делегация торговля санкции посланник доклад столица встреча безопасность",
}
WORDS = {lang: text.split() for lang, text in _VOCAB.items()}
PEOPLE = [f"{a} {b}" for a in ("Anna", "Igor", "Marta", "Louis", "Olena", "Pedro", "Karl")
          for b in ("Novak", "Berg", "Costa", "Leroy", "Shevchenko", "Ruiz", "Weber")]  # fmt: skip
PLACES = ("Istanbul", "Geneva", "Vienna", "Baku", "Yerevan", "Brussels", "Warsaw", "Kyiv")
OUTLETS = [f"Outlet {i:02d}" for i in range(40)]
TYPES = ("CONSULT", "AGREE", "ASSAULT", "SANCTION", "REQUEST", "PROTEST", "AID", "RETREAT")


def _article(i: int, rng: random.Random) -> Article:
    lang = LANGS[i % len(LANGS)]
    words = WORDS[lang]
    person, place = rng.choice(PEOPLE), rng.choice(PLACES)
    said = " ".join(rng.choices(words, k=8))
    first = f"{person} met officials in {place} on Monday. "
    quote_sentence = f'{person} said "{said}". '
    filler = [" ".join(rng.choices(words, k=rng.randint(10, 20))).capitalize() + "."
              for _ in range(6)]  # fmt: skip
    body = first + quote_sentence + " ".join(filler[:3]) + "\n\n" + " ".join(filler[3:])
    q0 = body.index(said)
    day = f"2022-{1 + (i // 5000) % 12:02d}-{1 + (i // 200) % 28:02d}"
    mentions = tuple(Span(person, m, m + len(person)) for m in (0, body.index(person, 5)))
    p0 = body.index(place)
    ent_p = Entity(f"b{i}p", person, "person", "XX", mentions=mentions,
                   canonical_id=person.lower().replace(" ", "-"))  # fmt: skip
    ent_c = Entity(f"b{i}c", place, "place", mentions=(Span(place, p0, p0 + len(place)),),
                   canonical_id=place.lower())  # fmt: skip
    ev = Event(rng.choice(TYPES), actors=(Participant(person, ent_p.id),),
               where=(Participant(place, ent_c.id),), date=EventDate("Monday", day, "day"),
               evidence=Evidence(0, len(first) - 1, "bench"))  # fmt: skip
    quote = Quote(said, q0, q0 + len(said), "direct", Speaker(person, "named", ent_p.id),
                  evidence=Evidence(len(first), len(first) + len(quote_sentence), "bench"))  # fmt: skip
    return Article(
        id=f"bench{i:08d}", title=f"{person} in {place}: " + " ".join(rng.choices(words, k=5)),
        body=body, language=lang, published=f"{day}T{i % 24:02d}:{i % 60:02d}:00+00:00",
        url=f"https://example.org/{i}", outlet=Outlet(OUTLETS[i % len(OUTLETS)]),
        entities=(ent_p, ent_c), quotes=(quote,), events=(ev,),
        tags=(place, rng.choice(TYPES).title()),
    )  # fmt: skip


def build(db: Path | str, n: int, story_size: int = 8, seed: int = 50_000) -> None:
    """Generate ``n`` articles into ``db`` (skipped if it already holds that many).

    On PostgreSQL past ``seed`` articles, the first ``seed`` are upserted and the rest are
    copies of them made server-side (``_bulk_pg.replicate``: new ids, dates and outlets).
    """
    store = open_store(db)
    have = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    if have >= n:
        store.close()
        print(f"reusing {db} ({have} articles)")
        return
    if isinstance(db, str) and n > seed:
        from _bulk_pg import replicate

        if have < seed:
            store.close()
            build(db, seed, story_size)
        else:
            store.close()
        replicate(db, seed, n)
        return
    rng = random.Random(7)
    t0 = time.perf_counter()
    batch = 2000
    for start in range(have, n, batch):
        arts = [_article(i, rng) for i in range(start, min(n, start + batch))]
        store.upsert(arts)
        _stories(store.conn, arts, story_size)
        print(f"\r{start + len(arts)} articles, {time.perf_counter() - t0:.0f}s", end="")
    print()
    store.close()


def _stories(conn: sqlite3.Connection, arts: list[Article], size: int) -> None:
    """Group consecutive articles into stories with a translation chain (bulk SQL, bench only)."""
    conn.execute("BEGIN")
    for k in range(0, len(arts), size):
        group = arts[k : k + size]
        sid = "st" + group[0].id
        conn.execute(
            "INSERT OR IGNORE INTO stories (id, first_article, first_published, size) "
            "VALUES (?, ?, ?, ?)",
            (sid, group[0].id, group[0].published, len(group)),
        )
        for j, art in enumerate(group):
            conn.execute(
                "INSERT OR REPLACE INTO story_articles (article_id, story_id, seq, score, profile, "
                "vectors) VALUES (?, ?, ?, ?, '{}', ?)",
                (art.id, sid, int(art.id[5:]), 0.8, b""),
            )
            if j:
                conn.execute(
                    "INSERT OR REPLACE INTO provenance_edges VALUES (?, ?, ?, ?, ?, ?)",
                    (sid, group[0].id, art.id, "translation", 0.7, json.dumps({"bench": True})),
                )
    conn.execute("COMMIT")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


KINDS = ("story", "article", "search", "events")


def _targets(db: Path | str, k: int, seed: int = 1,
             kinds: tuple[str, ...] = KINDS) -> list[tuple[str, str]]:  # fmt: skip
    """``k`` (kind, path) requests: story, article, search and events pages, shuffled."""
    store = open_store(db, readonly=True)
    rng = random.Random(seed)
    # Built ids are bench{i} for every i below the count, in stories of 8 (see build):
    # drawn over the whole store, not the first rows of a table.
    n = store.conn.execute("SELECT count(*) FROM stories").fetchone()[0] * 8
    store.close()
    arts = [f"bench{rng.randrange(n):08d}" for _ in range(20000)]
    stories = [f"stbench{int(a[5:]) // 8 * 8:08d}" for a in arts]
    terms = [w for ws in WORDS.values() for w in ws if w.isalpha()] + list(PLACES)
    out: list[tuple[str, str]] = []
    for i in range(k):
        kind = kinds[i % len(kinds)]
        if kind == "story":
            out.append((kind, f"/story/{rng.choice(stories)}"))
        elif kind == "article":
            out.append((kind, f"/article/{rng.choice(arts)}"))
        elif kind == "search":
            out.append((kind, f"/search?q={rng.choice(terms)}+{rng.choice(terms)}"))
        else:
            place, typ = rng.choice(PLACES), rng.choice(TYPES)
            out.append((kind, f"/events?type={typ}&place={place}&offset={rng.randint(0, 500)}"))
    rng.shuffle(out)
    return out


def _load(base: str, targets: list[tuple[str, str]], concurrency: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    """The load process: ``concurrency`` clients issue every target once; records latencies."""
    import httpx

    async def run() -> list[tuple[str, float, int]]:
        queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        for t in targets:
            queue.put_nowait(t)
        results: list[tuple[str, float, int]] = []
        limits = httpx.Limits(max_connections=concurrency)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

            async def worker() -> None:
                while not queue.empty():
                    kind, path = queue.get_nowait()
                    t0 = time.perf_counter()
                    resp = await client.get(path)
                    await resp.aread()
                    results.append((kind, time.perf_counter() - t0, resp.status_code))

            await asyncio.gather(*(worker() for _ in range(concurrency)))
        return results

    t0 = time.perf_counter()
    res = asyncio.run(run())
    out.put((res, time.perf_counter() - t0))


def _writer(db: Path | str, start: int, stop: mp.Event, out: mp.Queue) -> None:  # type: ignore[type-arg]
    """The ingest process: upserts new generated articles in batches until told to stop."""
    store = open_store(db)
    rng = random.Random(start)
    i, batches = start, 0
    while not stop.is_set():
        arts = [_article(j, rng) for j in range(i, i + 100)]
        store.upsert(arts)
        i, batches = i + 100, batches + 1
    store.close()
    out.put(i - start)


def _probe(base: str) -> None:
    """``GET /`` alone, then while four costly searches run at once (the search cap's job)."""
    import httpx

    def timed(path: str) -> float:
        t0 = time.perf_counter()
        httpx.get(base + path, timeout=60)
        return 1000 * (time.perf_counter() - t0)

    alone = sorted(timed("/") for _ in range(10))
    costly = "/search.json?q=" + "+OR+".join(["sec*", "min*", "tal*", "Ist*"][:3]) + "+delegation"
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_hammer, args=(base + costly,)) for _ in range(4)]
    for p in procs:
        p.start()
    time.sleep(0.5)
    busy = sorted(timed("/") for _ in range(10))
    for p in procs:
        p.terminate()
    print(f"GET / alone: median {statistics.median(alone):.1f} ms; with 4 costly searches "
          f"running: median {statistics.median(busy):.1f} ms, max {busy[-1]:.1f} ms")  # fmt: skip


def _hammer(url: str) -> None:
    import httpx

    while True:
        httpx.get(url, timeout=60)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_pids(db: Path | str, server: int) -> list[int]:
    """The server process and, on PostgreSQL, the backends of its reader pool."""
    pids = [server]
    if isinstance(db, str):
        import psycopg

        with psycopg.connect(db, autocommit=True) as conn:
            pids += [r[0] for r in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'wiretrace-web'")]  # fmt: skip
    return pids


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=600)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--db", default=None, help="SQLite file or postgresql:// URL")
    ap.add_argument("--write", action="store_true", help="ingest while the pages are read")
    ap.add_argument("--probe", action="store_true", help="GET / under four costly searches")
    ap.add_argument("--seed", type=int, default=50_000, help="PostgreSQL: articles upserted "
                    "before the rest are copied server-side")  # fmt: skip
    ap.add_argument("--build-only", action="store_true", help="build the store and stop")
    ap.add_argument("--kinds", default=",".join(KINDS), help="page kinds to read, comma-separated")
    ap.add_argument("--cold", action="store_true", help="PostgreSQL on this host: drop the "
                    "store's files from the page cache before the server starts")  # fmt: skip
    ap.add_argument("--request-seed", type=int, default=1, help="draw of the requests (the "
                    "same each run unless changed: a rerun finds its pages cached)")  # fmt: skip
    ap.add_argument("--no-warm", action="store_true", help="start the server without its "
                    "warm-up (pg_prewarm, pooled connections warmed), as before session 7")  # fmt: skip
    args = ap.parse_args()
    db: Path | str = args.db or ROOT / "bench" / "results" / f"web-{args.n}.db"
    if not str(db).startswith("postgres"):
        db = Path(db)
    build(db, args.n, seed=args.seed)
    if args.build_only:
        return
    from _pg_cache import evict, warming

    if args.cold and isinstance(db, str):
        print(f"dropped {evict(db) / 2**20:.0f} MB of the store's files from the page cache")
    port = _free_port()
    code = ("import uvicorn; from wiretrace.web.app import create_app; "
            f"uvicorn.run(create_app({str(db)!r}{', warm=False' if args.no_warm else ''}), "
            "host='127.0.0.1', "
            f"port={port}, log_level='warning')")  # fmt: skip
    server = subprocess.Popen([sys.executable, "-c", code])
    try:
        import httpx

        base = f"http://127.0.0.1:{port}"
        t0 = time.perf_counter()
        for _ in range(3000):  # the server builds its outlet table first (a minute at 1M)
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        print(f"server up after {time.perf_counter() - t0:.0f}s; {warming(db)}", flush=True)
        kinds = tuple(k for k in args.kinds.split(",") if k in KINDS) or KINDS
        targets = _targets(db, args.requests, seed=args.request_seed, kinds=kinds)
        warm = _targets(db, 30, seed=2)
        for _, path in warm:  # warm the page cache and the connection pool
            httpx.get(base + path, timeout=60)
        if args.probe:
            _probe(base)
        ctx = mp.get_context("spawn")
        stop, written = ctx.Event(), ctx.Queue()
        # New ids every run (ids above any built ones): the writer must really insert.
        first = 10_000_000 + (int(time.time()) % 100_000) * 10_000
        writer = ctx.Process(target=_writer, args=(db, first, stop, written))
        if args.write:
            writer.start()
        queue: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
        proc = ctx.Process(target=_load, args=(base, targets, args.concurrency, queue))
        before = {pid: _cpu_seconds(pid) for pid in _server_pids(db, server.pid)}
        print(f"load starts; {warming(db)}", flush=True)
        proc.start()
        results, wall = queue.get()
        proc.join()
        # CPU the server and its database backends spent on the requests: a figure the other
        # loads of a shared machine do not inflate, unlike the latencies.
        used = sum(_cpu_seconds(p) - before.get(p, 0.0) for p in _server_pids(db, server.pid))
        if args.write:
            stop.set()
            print(f"ingest wrote {written.get()} new articles while the pages were read")
            writer.join()
    finally:
        server.terminate()
        server.wait(timeout=10)
    bad = [r for r in results if r[2] != 200]
    store = open_store(db, readonly=True)
    articles = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    store.close()
    backend = "PostgreSQL" if isinstance(db, str) else "SQLite"
    print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}; CPU of the server "
          f"and its database backends: {1000 * used / max(1, len(results)):.1f} ms a request "
          f"({used:.1f} s for {len(results)})")  # fmt: skip
    print(f"{backend}: {articles} articles; {len(results)} requests, concurrency "
          f"{args.concurrency}, {len(results) / wall:.0f} req/s, {len(bad)} non-200 "
          f"{sorted({r[2] for r in bad})}")  # fmt: skip
    for kind in kinds:
        lat = sorted(1000 * t for k, t, _ in results if k == kind)
        pct = {p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))] for p in (95, 99)}
        print(f"{kind:8s} n={len(lat):4d}  p50 {statistics.median(lat):7.1f} ms  "
              f"p95 {pct[95]:7.1f} ms  p99 {pct[99]:7.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
