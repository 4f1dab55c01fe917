"""Reading the quotation gold sets of tests/fixtures_quotes, one reader for every test file.

Two formats: the inline-marked text files (quotes_uk_ru.txt, quotes_heldout.txt; a header line
"## id lang" per record, ⟦…⟧ around quote content, ⟨…⟩ around the speaker as written and
⟨він|Зеленський⟩ for a pronoun or role noun with the person it refers to) and JSONL records in
the eval format (quotes_heldout2.jsonl, quotes_blind.jsonl), with offsets already computed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from wiretrace.eval.quotes import Pred, pred_of
from wiretrace.model import Article
from wiretrace.pipeline import build
from wiretrace.stages.entities.stage import STAGE_ENTITIES
from wiretrace.stages.quotes.stage import STAGE_QUOTES

FIXTURES = Path(__file__).parent / "fixtures_quotes"
_MARK = re.compile(r"⟦|⟧|⟨([^⟩|]*)(?:\|([^⟩]*))?⟩")


def parse_block(block: str) -> dict[str, Any]:
    """One marked record: its text without marks, and each quote's content and speaker."""
    head, _, body = block.partition("\n")
    rid, lang = head.split()
    text, contents, speakers = "", [], []
    pos, open_at = 0, -1
    for m in _MARK.finditer(body):
        text += body[pos : m.start()]
        pos = m.end()
        if m.group() == "⟦":
            open_at = len(text)
        elif m.group() == "⟧":
            contents.append((open_at, len(text)))
        else:
            start = len(text)
            text += m.group(1)
            speakers.append(((start, len(text)), m.group(2)))
    text += body[pos:]
    # Sentence ends outside quoted content; a quote's speaker is marked in its own sentence.
    ends = [
        m.end()
        for m in re.finditer(r"[.!?…]\s", text)
        if not any(a < m.start() < b - 1 for a, b in contents)
    ]

    def sentence(pos: int) -> int:
        return sum(1 for e in ends if e <= pos)

    quotes = []
    for c in contents:
        same = [s for s in speakers if sentence(s[0][0]) == sentence(c[0])]
        assert same, f"{rid}: no speaker marked in the sentence of {text[c[0] : c[1]]!r}"
        near = min(same, key=lambda s: min(abs(s[0][0] - c[1]), abs(c[0] - s[0][1])))
        quotes.append({"content": list(c), "speaker": list(near[0]), "refers_to": near[1]})
    return {"id": rid, "lang": lang, "text": text.strip("\n"), "quotes": quotes}


def load_marked(name: str) -> list[dict[str, Any]]:
    """The gold records of an inline-marked fixture, offsets computed from the marks."""
    raw = (FIXTURES / name).read_text(encoding="utf-8")
    blocks = [b.strip("\n") for b in re.split(r"(?m)^## ", raw)[1:]]
    return [parse_block(b) for b in blocks]


def load_jsonl(name: str) -> list[dict[str, Any]]:
    """The records of a JSONL fixture in the eval format."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def analyse(recs: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Article]]:
    """Each record with its article after the entities and quotes stages, as ingest runs them."""
    pipe = build([STAGE_ENTITIES, STAGE_QUOTES])
    arts = [Article(id=r["id"], title="", body=r["text"], language=r["lang"]) for r in recs]
    return list(zip(recs, pipe(arts), strict=True))


def preds(art: Article) -> list[Pred]:
    """The scored spans of an article's quotes."""
    return [pred_of(q) for q in art.quotes]
