"""Speed and memory of the entities + tags stages next to a bare spaCy ``nlp.pipe``.

The figure that matters is the ratio: our stages parse with the same pipeline, so everything
above 1.0 is the cost of gazetteer matching, linking, roles, grouping and tagging. Run by hand:

    python bench/bench_understanding.py                 # English paragraphs, 200 of them
    python bench/bench_understanding.py --lang fr --limit 200
    python bench/bench_understanding.py --lang en,fr,ru,uk,de   # one worker, every path

Texts come from ../shared/eval (English news) or, for other languages, from the project's
demo corpus; nothing is copied into the repository. Model loading is excluded from both timings; times are CPU seconds of this process.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
import tomllib
from pathlib import Path

from wiretrace import nlp
from wiretrace.model import Article
from wiretrace.registry import actors
from wiretrace.stages.entities import linking
from wiretrace.stages.entities.linking import _gazetteer
from wiretrace.stages.entities.mentions import external_ner
from wiretrace.stages.entities.stage import STAGE_ENTITIES
from wiretrace.stages.facts.tags import STAGE_TAGS

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
DEMO = ROOT / "src" / "wiretrace" / "demo" / "corpus"


def paragraphs(lang: str, limit: int) -> list[str]:
    """News paragraphs of at least 80 characters in ``lang``."""
    out: list[str] = []
    sources: list[str] = []
    if lang == "en":
        path = SHARED / "eval" / "clusters" / "dev.jsonl"
        if path.is_file():
            sources = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    if not sources:
        manifest = tomllib.loads((DEMO.parent / "manifest.toml").read_text(encoding="utf-8"))
        for item in manifest.get("article", []):
            f = DEMO / item["file"]
            if item.get("lang") == lang and f.suffix == ".txt" and f.is_file():
                sources.append(f.read_text(encoding="utf-8"))
    for text in sources:
        for para in text.split("\n"):
            para = para.strip()
            if len(para) >= 80 and (lang != "en" or para.isascii()):
                out.append(para)
            if len(out) >= limit:
                return out
    return out


def _clear_memos() -> None:
    """Forget per-name memos so later rounds do not profit from earlier ones."""
    linking.lemmas.cache_clear()
    actors.find_actor.cache_clear()
    actors.name_key.cache_clear()


def run(lang: str, limit: int, batch: int, rounds: int = 3) -> dict[str, float]:
    texts = paragraphs(lang, limit)
    if not texts:
        sys.exit(f"no {lang} paragraphs found; pass --lang en with ../shared present")
    if lang not in nlp.DEEP_PIPELINES:
        print(f"({lang}: no spaCy parser/NER; bare = tokenizer + any external NER)")
    words = sum(len(t.split()) for t in texts)
    pipe = nlp.pipeline(lang)
    # Warm up: model, registries and gazetteer load once per process and are not measured.
    list(pipe.pipe(texts[:4]))
    _gazetteer(lang)
    list(STAGE_TAGS(STAGE_ENTITIES([Article(id="w", title="", body=texts[0], language=lang)])))
    nlp.clear_cache()

    arts = [Article(id=f"b{i}", title="", body=t, language=lang) for i, t in enumerate(texts)]
    # The machine is shared: alternate the two runs, keep each one's best, and measure CPU
    # time of this process (other processes' load does not count against either side).
    bare = ours = float("inf")
    done: list[Article] = []
    for _ in range(rounds):
        gc.collect()
        t0 = time.process_time()
        for _doc in pipe.pipe(texts, batch_size=batch):
            pass
        # Where NER comes from another engine (natasha for ru), the bare run includes it too.
        external_ner(texts, lang)
        bare = min(bare, time.process_time() - t0)
        nlp.clear_cache()
        _clear_memos()
        gc.collect()
        t0 = time.process_time()
        done = list(STAGE_TAGS(STAGE_ENTITIES(arts, batch_size=batch), batch_size=batch))
        ours = min(ours, time.process_time() - t0)
        nlp.clear_cache()
    entities = sum(len(a.entities) for a in done)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "paragraphs": len(texts),
        "words": words,
        "bare_s": bare,
        "ours_s": ours,
        "bare_wps": words / bare,
        "ours_wps": words / ours,
        "ratio": ours / bare,
        "entities": entities,
        "peak_rss_mb": peak_mb,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="en")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    # Several languages in one process show what one worker holding every pipeline needs.
    for lang in args.lang.split(","):
        r = run(lang, args.limit, args.batch, args.rounds)
        print(
            f"{lang}: {r['paragraphs']:.0f} paragraphs, {r['words']:.0f} words, "
            f"{r['entities']:.0f} entities\n"
            f"  bare nlp.pipe      {r['bare_s']:.2f} s  {r['bare_wps']:.0f} words/s\n"
            f"  entities + tags    {r['ours_s']:.2f} s  {r['ours_wps']:.0f} words/s\n"
            f"  ratio {r['ratio']:.2f} (overhead {100 * (r['ratio'] - 1):.0f}%), "
            f"peak RSS so far {r['peak_rss_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
