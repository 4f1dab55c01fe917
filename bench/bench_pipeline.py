"""The whole pipeline next to bare spaCy ``nlp.pipe`` on the same real news texts, in one run.

Usage: python bench/bench_pipeline.py [--langs en,fr|all] [--limit 150] [--profile out.prof]

Texts: ``text1``/``text2`` of ``../shared/eval/pairs/dev.jsonl`` (SemEval-2022 news articles,
8 languages) in each language asked for, plus the demo corpus articles in that language. For
each language, in this one process and on the same articles:

* bare: ``nlp.pipe`` over the cleaned bodies (best of two runs, before and after ours); for a
  language without a statistical pipeline (de, es, pl, tr, ar here) that is spaCy's tokenizer
  alone, so its ratio says little: the figures that matter are en and fr. It is the very
  pipeline object the full run parses with (``nlp.pipeline(lang)``: same components); a text
  the full run identifies as another language (a few Italian texts among the French ones) is
  parsed there with that language's pipeline, so its "spaCy parse" can cost less than bare;
* full: ``ingest`` of those inputs into a fresh SQLite store (cleaning, language id, every
  document stage, the store) and ``update_stories`` (story placement, provenance, merged
  events), as ``wiretrace ingest`` does;
* the ratio full CPU / bare CPU, articles/s, a per-stage CPU breakdown (exclusive times),
  peak memory; then, once, the HTML cleaning pass against bare trafilatura on the demo pages.

Times are CPU seconds of this process (``time.process_time``): the machine is shared, and
other processes' load then counts against neither side. Wall-clock rates are shown beside
them. Model loading is done before measuring and reported on its own line.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT.parent / "shared" / "eval" / "pairs" / "dev.jsonl"
DEMO = ROOT / "src" / "wiretrace" / "demo" / "corpus"

# label -> exclusive CPU seconds; the stack holds [label, CPU of timed callees] of open calls.
_cpu: dict[str, float] = defaultdict(float)
_stack: list[list[Any]] = []


def _timed(label: str | Callable[..., str], fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` wrapped to add its own CPU time (minus timed callees) to ``_cpu[label]``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        name = label(*args) if callable(label) else label
        frame: list[Any] = [name, 0.0]
        _stack.append(frame)
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            total = time.process_time() - t0
            _stack.pop()
            _cpu[name] += total - frame[1]
            if _stack:
                _stack[-1][1] += total

    return wrapper


@contextmanager
def instrumented() -> Iterator[None]:
    """Time the pipeline's parts by wrapping them wherever they are looked up.

    A function imported by name (``from ..nlp import parse_many``) is wrapped in every
    wiretrace module holding it, so no call escapes its label.
    """
    import importlib

    from wiretrace import analyze, corpus, ingest  # noqa: F401  (load the modules to patch)
    from wiretrace.stories import provenance, record  # noqa: F401

    analyze.default_pipeline()  # imports every stage module
    functions = [
        ("wiretrace.stages.clean.extract", "to_article", "clean (extract)"),
        ("wiretrace.stages.clean.extract", "clean_page", "clean (extract)"),
        ("wiretrace.stages.clean.extract", "finish", "clean (language id, attribution)"),
        ("wiretrace.nlp", "parse_many", "spaCy parse"),
        ("wiretrace.stages.events.classifier", "embed", "events: USE sentence vectors"),
        ("wiretrace.stories.embed", "embed_documents", "stories: USE document vectors"),
        ("wiretrace.stories.translation", "paragraph_vectors", "stories: USE paragraph vectors"),
        ("wiretrace.stories.provenance", "describe", "stories: provenance"),
        ("wiretrace.stories.merge", "merge_events", "stories: merged events"),
    ]
    methods: list[tuple[Any, str, str | Callable[..., str]]] = [
        (importlib.import_module("wiretrace.pipeline").Stage, "_run",
         lambda self, *_: f"stage {self.name}"),
        (importlib.import_module("wiretrace.store.sqlite").SQLiteStore, "upsert", "store write"),
        (importlib.import_module("wiretrace.store.sqlite").SQLiteStore, "get", "store read"),
        (importlib.import_module("wiretrace.stories.index").StoryIndex, "add_profile",
         "stories: placement"),
    ]  # fmt: skip
    saved: list[tuple[Any, str, Any]] = []
    for obj, name, label in methods:
        saved.append((obj, name, getattr(obj, name)))
        setattr(obj, name, _timed(label, getattr(obj, name)))
    for module, name, label in functions:
        original = getattr(importlib.import_module(module), name, None)
        if original is None:  # an older layout of the code (the bench runs on old commits)
            continue
        wrapped = _timed(label, original)
        for mod in list(sys.modules.values()):
            if getattr(mod, "__name__", "").startswith("wiretrace") and (
                getattr(mod, name, None) is original
            ):
                saved.append((mod, name, original))
                setattr(mod, name, wrapped)
    try:
        yield
    finally:
        for obj, name, fn in saved:
            setattr(obj, name, fn)


def pair_texts(lang: str, limit: int) -> list[str]:
    """Distinct texts in ``lang`` from the SemEval pairs file, in file order."""
    out: dict[str, None] = {}
    for line in PAIRS.open(encoding="utf-8"):
        rec = json.loads(line)
        for k in ("1", "2"):
            text = rec.get(f"text{k}") or ""
            if rec.get(f"lang{k}") == lang and text.strip():
                out.setdefault(text)
    return list(out)[:limit]


def demo_files(lang: str) -> list[Path]:
    import tomllib

    manifest = tomllib.loads((DEMO.parent / "manifest.toml").read_text(encoding="utf-8"))
    return [
        DEMO / item["file"]
        for item in manifest.get("article", [])
        if item.get("lang") == lang and (DEMO / item["file"]).is_file()
    ]


def write_inputs(lang: str, limit: int, into: Path) -> list[str]:
    """One JSONL file of the pair texts plus the demo pages; returns the input paths."""
    into.mkdir(parents=True)
    jsonl = into / f"pairs-{lang}.jsonl"
    with jsonl.open("w", encoding="utf-8") as fh:
        for t in pair_texts(lang, limit):
            fh.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
    return [str(jsonl), *(str(p) for p in demo_files(lang))]


def cleaned(inputs: list[str]) -> list[Any]:
    from wiretrace.errors import InputError
    from wiretrace.sources import iter_pages
    from wiretrace.stages.clean.extract import to_article

    arts = []
    for page in iter_pages(inputs):
        if isinstance(page, InputError):
            continue
        try:
            arts.append(to_article(page)[0])
        except InputError:
            continue
    return arts


def bare(lang: str, bodies: list[str]) -> float:
    from wiretrace import nlp

    pipe = nlp.pipeline(lang)
    t0 = time.process_time()
    for _doc in pipe.pipe(bodies, batch_size=32):
        pass
    return time.process_time() - t0


def full(inputs: list[str], db: Path) -> tuple[float, float, int, int]:
    """CPU and wall seconds of ingest + stories, articles stored, stories refreshed."""
    from wiretrace.corpus import update_stories
    from wiretrace.ingest import IngestOptions, ingest
    from wiretrace.store import open_store

    store = open_store(db)
    c0, w0 = time.process_time(), time.perf_counter()
    rep = ingest(inputs, store, IngestOptions(story_vectors=True))
    st = update_stories(store, rep.ids)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    store.close()
    return cpu, wall, rep.new, len(st.touched)


def warm_up(lang: str, tmp: Path) -> float:
    """Load models, registries and lexicons once (as a long-running ingest would)."""
    from wiretrace import nlp

    t0 = time.process_time()
    inputs = write_inputs(lang, 3, tmp / f"warm-{lang}")
    full(inputs[:1], tmp / f"warm-{lang}.db")
    nlp.clear_cache()
    return time.process_time() - t0


def run_language(lang: str, limit: int, tmp: Path) -> dict[str, Any]:
    from wiretrace import nlp

    load = warm_up(lang, tmp)
    inputs = write_inputs(lang, limit, tmp / lang)
    arts = cleaned(inputs)
    bodies = [a.body for a in arts]
    # Texts of the set may be identified as other languages: load their models now too (the
    # parser, and whatever each stage loads on first use for a language: a Russian NER, a
    # morphology dictionary, date-parser tables), so that neither side's timing includes
    # loading a model. One article of each language goes through the document stages.
    from wiretrace.analyze import analyze

    t0 = time.process_time()
    for other in sorted({a.language or "" for a in arts}):
        nlp.parse_many([f"{other} warm-up."], other or None)
        list(analyze([next(a for a in arts if (a.language or "") == other)]))
    nlp.clear_cache()
    # An analysis process collects and freezes what its first batch loaded once that batch is
    # done (allocator.settle): here the warm-up loaded it, so it settles here too, not inside
    # the measured run's first batch (0.05 s of the French run's 2.4 s).
    from wiretrace import allocator

    allocator.settle()
    load += time.process_time() - t0
    words = sum(len(b.split()) for b in bodies)
    b1 = bare(lang, bodies)
    nlp.clear_cache()
    _cpu.clear()
    with instrumented():
        cpu, wall, n, touched = full(inputs, tmp / f"{lang}.db")
    stages = dict(_cpu)
    nlp.clear_cache()
    b2 = bare(lang, bodies)
    bare_cpu = min(b1, b2)
    return {
        "lang": lang, "articles": n, "texts": len(bodies), "words": words, "load_cpu": load,
        "bare_cpu": bare_cpu, "full_cpu": cpu, "full_wall": wall, "stories": touched,
        "ratio": cpu / bare_cpu, "stages": stages,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }  # fmt: skip


def cleaning_vs_trafilatura(rounds: int = 5) -> tuple[int, float, float]:
    """CPU seconds per round of our HTML cleaning and of bare trafilatura, same demo pages."""
    import trafilatura

    from wiretrace.model import RawPage
    from wiretrace.stages.clean.extract import to_article

    pages = [p.read_bytes() for p in sorted(DEMO.glob("*.html"))]
    raws = [RawPage(d, "html", source_path="bench.html") for d in pages]
    to_article(raws[0])  # warm: registries, language models
    trafilatura.bare_extraction(pages[0].decode(), with_metadata=True)
    ours = theirs = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for raw in raws:
            to_article(raw)
        ours = min(ours, time.process_time() - t0)
        t0 = time.process_time()
        for d in pages:
            trafilatura.bare_extraction(d.decode(), with_metadata=True)
        theirs = min(theirs, time.process_time() - t0)
    return len(pages), ours, theirs


def report(r: dict[str, Any]) -> None:
    n, bare_cpu, cpu = r["articles"], r["bare_cpu"], r["full_cpu"]
    print(
        f"\n== {r['lang']}: {n} articles ({r['texts']} texts, {r['words']} words), "
        f"{r['stories']} story records; warm-up (models, registries) {r['load_cpu']:.1f} s CPU"
    )
    print(
        f"  bare nlp.pipe   {bare_cpu:7.2f} s CPU  {r['words'] / bare_cpu:8.0f} words/s  "
        f"{r['texts'] / bare_cpu:6.1f} docs/s"
    )
    print(
        f"  full pipeline   {cpu:7.2f} s CPU  {r['words'] / cpu:8.0f} words/s  "
        f"{n / cpu:6.1f} articles/s CPU  ({n / r['full_wall']:.1f}/s wall)"
    )
    print(f"  ratio full / bare: {r['ratio']:.2f}x   peak RSS so far {r['peak_rss_mb']:.0f} MB")
    use = sum(sec for label, sec in r["stages"].items() if "USE" in label)
    print(f"  of which USE embeddings (events, stories) {use:.2f} s; everything else "
          f"{(cpu - use) / bare_cpu:.2f}x bare")  # fmt: skip
    accounted = sum(r["stages"].values())
    for label, sec in sorted(r["stages"].items(), key=lambda kv: -kv[1]):
        print(f"    {label:40} {sec:7.2f} s  {100 * sec / cpu:5.1f}%")
    print(f"    {'(everything else)':40} {cpu - accounted:7.2f} s  "
          f"{100 * (cpu - accounted) / cpu:5.1f}%")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--langs", default="en,fr", help="comma-separated, or 'all' (every language of the file)"
    )
    ap.add_argument("--limit", type=int, default=150, help="pair texts per language")
    ap.add_argument("--profile", help="write a cProfile of the measured runs here")
    ap.add_argument("--no-cleaning", action="store_true", help="skip the trafilatura comparison")
    args = ap.parse_args()
    if not PAIRS.is_file():
        sys.exit(f"{PAIRS} not found: this bench reads ../shared beside the repository")
    langs = args.langs.split(",")
    if args.langs == "all":
        found: dict[str, None] = {}
        for line in PAIRS.open(encoding="utf-8"):
            rec = json.loads(line)
            found.update(dict.fromkeys(x for x in (rec.get("lang1"), rec.get("lang2")) if x))
        langs = sorted(found)
    prof = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory() as tmp:
        for lang in langs:
            if prof:
                prof.enable()
            r = run_language(lang, args.limit, Path(tmp))
            if prof:
                prof.disable()
            report(r)
    if prof and args.profile:
        prof.dump_stats(args.profile)
    if not args.no_cleaning:
        n, ours, theirs = cleaning_vs_trafilatura()
        print(f"\n== HTML cleaning, {n} demo pages (best of 5, CPU)")
        print(f"  trafilatura alone  {n / theirs:7.1f} pages/s")
        print(f"  wiretrace cleaning {n / ours:7.1f} pages/s  (ratio {theirs / ours:.2f} of "
              "trafilatura's throughput; ours adds htmldate, chrome, attribution, language id)")  # fmt: skip


if __name__ == "__main__":
    main()
