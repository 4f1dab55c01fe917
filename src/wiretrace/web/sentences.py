"""Sentence anchors: every sentence of an article page gets a stable id from its character span.

A fact links to ``/article/ID#s-START-END``. Quotes and events carry the evidence span the stage
recorded, and that span is the anchor; a mention, date or figure links to the sentence that
contains it. The ids are derived from offsets into the stored body, so they are the same in the
HTML page and its JSON twin, and stay valid as long as the article text does.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .highlight import paragraphs

# A sentence ends at . ! ? … (possibly followed by closing quotes or brackets) before a space
# and a character that can open a sentence. Abbreviations like "Dr. Smith" may split early;
# that only makes an anchor narrower, never wrong.
_END = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s+[\"'«„“(\[¿¡]?[^\s\W_a-z])", re.UNICODE)


def anchor(start: int, end: int) -> str:
    """The element id of the sentence spanning ``[start, end)``."""
    return f"s-{start}-{end}"


def split(body: str) -> list[tuple[int, int]]:
    """Sentence spans of the body, none crossing a paragraph break, leading spaces trimmed."""
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs(body):
        pos = p_start
        for m in _END.finditer(body, p_start, p_end):
            spans.append((pos, m.end()))
            pos = m.end()
            while pos < p_end and body[pos].isspace():
                pos += 1
        if pos < p_end:
            spans.append((pos, p_end))
    return [(a, b) for a, b in spans if b > a]


class Sentences:
    """The sentences of one body, plus the evidence spans facts cite, each with an anchor."""

    def __init__(self, body: str, evidence: Iterable[tuple[int, int]] = ()) -> None:
        self.spans = split(body)
        self._starts = [a for a, _ in self.spans]
        n = self.length = len(body)
        own = set(self.spans)
        self.extra = sorted({(a, b) for a, b in evidence if 0 <= a < b <= n and (a, b) not in own})

    def containing(self, pos: int) -> tuple[int, int] | None:
        """The sentence that holds offset ``pos``."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]:
            return self.spans[i]
        return None

    def ids(self) -> set[str]:
        return {anchor(a, b) for a, b in (*self.spans, *self.extra)}


def evidence_spans(record: Mapping[str, Any]) -> list[tuple[int, int]]:
    """The evidence spans of an article record's quotes, events, dates and figures."""
    out = []
    for key in ("quotes", "events", "dates", "figures"):
        for fact in record.get(key) or []:
            ev = fact.get("evidence") or {}
            if isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int):
                out.append((ev["start"], ev["end"]))
    return out


def fact_anchor(fact: Mapping[str, Any], sentences: Sentences) -> str | None:
    """Where a fact links: its evidence span if it has one, else the sentence holding it."""
    ev = fact.get("evidence") or {}
    a, b = ev.get("start"), ev.get("end")
    if isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= sentences.length:
        return anchor(a, b)
    start = fact.get("start")
    if not isinstance(start, int):
        mentions = fact.get("mentions") or []
        start = mentions[0].get("start") if mentions else None
    if not isinstance(start, int):
        return None
    found = sentences.containing(start)
    return anchor(*found) if found else None
