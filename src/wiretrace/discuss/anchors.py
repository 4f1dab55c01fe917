"""What a comment is about: a story, an article, or one fact of an article, with its sentence span.

Fact ids are ``ARTICLE_ID/quote/N``, ``ARTICLE_ID/event/N``, ``ARTICLE_ID/figure/N`` and
``ARTICLE_ID/mention/ENTITY_ID/N`` (N: the fact's index in the article record), stable because
the article id is a content hash and a record's fact order is deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

KINDS = ("story", "article", "quote", "event", "figure", "mention")
_END = re.compile(r"[.!?…]\s|\n")


@dataclass(frozen=True)
class Anchor:
    kind: str
    id: str
    article_id: str | None
    span: tuple[int, int] | None
    label: str  # what the fact says, for display


def sentence_span(body: str, start: int, end: int) -> tuple[int, int]:
    """The sentence(s) around ``body[start:end]``: from after the previous end mark to the next."""
    left = 0
    for m in _END.finditer(body, 0, max(0, start)):
        left = m.end()
    after = _END.search(body, max(end, start))
    right = after.start() + 1 if after else len(body)
    return left, min(right, len(body))


def facts(record: dict[str, Any]) -> list[Anchor]:
    """Every commentable fact of an article record, in record order."""
    aid = str(record["id"])
    body = str(record.get("body") or "")
    out: list[Anchor] = []
    for i, q in enumerate(record.get("quotes") or []):
        ev = q.get("evidence") or {}
        s, e = ev.get("start", q.get("start")), ev.get("end", q.get("end"))
        speaker = (q.get("speaker") or {}).get("text") or "?"
        span = (int(s), int(e)) if s is not None and e is not None else None
        out.append(Anchor("quote", f"{aid}/quote/{i}", aid, span, f"{speaker}: {q.get('content')}"))
    for i, ev in enumerate(record.get("events") or []):
        evid = ev.get("evidence") or {}
        span = (int(evid["start"]), int(evid["end"])) if "start" in evid else None
        text = body[span[0] : span[1]] if span else ""
        out.append(Anchor("event", f"{aid}/event/{i}", aid, span, f"{ev.get('type')}: {text}"))
    for i, f in enumerate(record.get("figures") or []):
        if f.get("start") is None:
            continue
        span = sentence_span(body, int(f["start"]), int(f["end"]))
        out.append(Anchor("figure", f"{aid}/figure/{i}", aid, span, str(f.get("text"))))
    for ent in record.get("entities") or []:
        for i, m in enumerate(ent.get("mentions") or []):
            if m.get("start") is None:
                continue
            span = sentence_span(body, int(m["start"]), int(m["end"]))
            fid = f"{aid}/mention/{ent.get('id')}/{i}"
            out.append(Anchor("mention", fid, aid, span, str(m.get("text"))))
    return out


def resolve(kind: str, target_id: str, record_of: Any, story_exists: Any) -> Anchor | None:
    """The anchor for ``kind``/``target_id``, or None when no such story, article or fact."""
    if kind == "story":
        return (
            Anchor("story", target_id, None, None, target_id) if story_exists(target_id) else None
        )
    if kind not in KINDS:
        return None
    article_id = target_id.split("/", 1)[0]
    record = record_of(article_id)
    if record is None:
        return None
    if kind == "article":
        return Anchor("article", article_id, article_id, None, str(record.get("title")))
    return next((a for a in facts(record) if a.id == target_id and a.kind == kind), None)
