"""Ingest throughput: the whole wiretrace ingest path next to trafilatura alone, same pages.

Usage: python bench/bench_ingest.py [N]   (default 3000 pages)

Both runs happen in this one process on the same generated pages, so the ratio
(wiretrace articles/s ÷ trafilatura articles/s) is the figure that matters, not absolute speed.
The wiretrace path is decode + trafilatura + htmldate + chrome/attribution + language id + SQLite
upsert with FTS5; the understanding stages are timed separately on a subset (they are NLP, not
ingest plumbing).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _gen import html_page


def main(n: int = 3000) -> None:
    import trafilatura

    from wiretrace.ingest import IngestOptions, ingest
    from wiretrace.store import open_store

    rng = random.Random(7)
    pages = [html_page(i, rng) for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "pages"
        d.mkdir()
        for i, p in enumerate(pages):
            (d / f"{i:06d}.html").write_text(p, encoding="utf-8")

        t0 = time.perf_counter()
        for p in pages:
            trafilatura.bare_extraction(p, with_metadata=True)
        traf = time.perf_counter() - t0

        store = open_store(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        rep = ingest([str(d)], store, IngestOptions(analyze=False))
        ours = time.perf_counter() - t0
        assert rep.new == n, rep.summary()

        t0 = time.perf_counter()
        rep2 = ingest([str(d)], store, IngestOptions(analyze=False))
        again = time.perf_counter() - t0
        assert rep2.unchanged == n

        sub = Path(tmp) / "sub"
        sub.mkdir()
        k = min(200, n)
        for i in range(k):
            (sub / f"{i:06d}.html").write_text(pages[i], encoding="utf-8")
        store2 = open_store(Path(tmp) / "full.db")
        t0 = time.perf_counter()
        ingest([str(sub)], store2, IngestOptions(analyze=True))
        full = time.perf_counter() - t0

    print(f"pages: {n}")
    print(f"trafilatura alone          : {n / traf:8.1f} articles/s")
    print(f"wiretrace ingest (no NLP)  : {n / ours:8.1f} articles/s")
    print(f"ratio wiretrace/trafilatura: {traf / ours:8.3f}")
    print(f"re-ingest (all unchanged)  : {n / again:8.1f} articles/s")
    print(f"wiretrace ingest with all understanding stages ({k} pages): {k / full:8.1f} articles/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
