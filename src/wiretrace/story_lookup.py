"""Story helpers shared by the CLI and the web app: abbreviated story ids and one entry per quote.

A story's reports often carry the same quote: an agency's wire copied word for word, or a
translation that renders it in another language. Readers want it once, with how many reports
repeat it. Copies are recognised by their folded text; translations cannot be, so quotes of two
reports linked by a copy, translation or rewrite edge are aligned by speaker and order instead.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from .errors import NotFound
from .textutil import fold

# Edges along which a report re-tells its source's quotes (a citation only points at it).
_REUSE = ("copy", "translation", "rewrite")


def resolve_story_id(conn: Any, prefix: str) -> str:
    """The one story id starting with ``prefix`` (with or without its leading ``s``)."""
    conn = getattr(conn, "conn", conn)
    for p in dict.fromkeys((prefix, "s" + prefix)):
        try:
            rows = conn.execute(
                "SELECT id FROM stories WHERE id >= ? AND id < ? LIMIT 2", (p, p + "\uffff")
            ).fetchall()
        except sqlite3.OperationalError:  # a store built before the stories stage ran
            rows = []
        if len(rows) == 1:
            return str(rows[0][0])
        if len(rows) > 1:
            raise NotFound(f"story id {prefix!r} is ambiguous: give more characters")
    raise NotFound(f"no story with id {prefix!r} (see `wiretrace stories`)")


def _marks(text: str) -> set[str]:
    """Capitalised words not opening a sentence, and numbers: what a translation keeps."""
    found = {re.sub(r"\D", "", n) for n in re.findall(r"\d[\d.,\s]*\d|\d", text)}
    for m in re.finditer(r"[^\W\d_]+", text):
        before = text[: m.start()].rstrip()
        if m.group()[:1].isupper() and before and before[-1] not in '.!?«»"„“”:':
            found.add(fold(m.group()))
    return found


def speaker_key(speaker: dict[str, Any], record: dict[str, Any] | None = None) -> str:
    """Who a quote is from, the same in every language where the speaker is a known entity.

    A speaker's ``entity_id`` names an entity of its own article; that entity's canonical id
    (from the registry) is what other reports share.
    """
    ent_id = speaker.get("entity_id")
    if ent_id:
        for ent in (record or {}).get("entities") or []:
            if ent.get("id") == ent_id:
                ent_id = ent.get("canonical_id") or ent_id
                break
        return f"id:{ent_id}"
    text = fold(speaker.get("text") or "")
    return f"name:{text}" if text else f"type:{speaker.get('source_type') or 'unknown'}"


class _Sets:
    """Union-find over (article id, quote index) pairs."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(self, x: tuple[str, int]) -> tuple[str, int]:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: tuple[str, int], b: tuple[str, int]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _align(sets: _Sets, ra: dict[str, Any], rb: dict[str, Any]) -> None:
    """Join the quotes of report ``b`` to those of its source ``a``: by position when both
    list the same kinds of source in the same order, else by speaker and rank per speaker."""
    a, b = ra["id"], rb["id"]
    qa, qb = ra.get("quotes") or [], rb.get("quotes") or []
    kinds = [[(q.get("speaker") or {}).get("source_type") for q in qs] for qs in (qa, qb)]
    if qa and kinds[0] == kinds[1]:
        for i in range(len(qa)):
            sets.union((a, i), (b, i))
        return
    # Names and numbers survive translation: quotes sharing most of them are one quote.
    marks_a = [_marks(q.get("content") or "") for q in qa]
    for j, q in enumerate(qb):
        mb = _marks(q.get("content") or "")
        for i, ma in enumerate(marks_a):
            shared = len(ma & mb)
            if shared >= 2 and shared >= 0.5 * min(len(ma), len(mb)):
                sets.union((a, i), (b, j))
                break
    ranks: dict[tuple[str, int], int] = {}
    seen: dict[str, int] = {}
    for i, q in enumerate(qa):
        key = speaker_key(q.get("speaker") or {}, ra)
        ranks[(key, seen.get(key, 0))] = i
        seen[key] = seen.get(key, 0) + 1
    seen = {}
    for j, q in enumerate(qb):
        key = speaker_key(q.get("speaker") or {}, rb)
        match = ranks.get((key, seen.get(key, 0)))
        seen[key] = seen.get(key, 0) + 1
        if match is not None and key.startswith(("id:", "name:")):
            sets.union((a, match), (b, j))


def story_quotes(
    records: Sequence[dict[str, Any]], edges: Iterable[dict[str, Any]] = ()
) -> list[dict[str, Any]]:
    """One entry per quote of the story, earliest report's wording first, with its repeats.

    ``records`` are article records in time order; ``edges`` provenance edges ``{from, to,
    relation}``. Each entry is the first report's quote plus ``article_id``, ``idx``,
    ``outlet``, ``language`` and ``reports`` (every report carrying it, with its offsets).
    """
    by_id = {r["id"]: r for r in records}
    sets = _Sets()
    first_of_text: dict[str, tuple[str, int]] = {}
    for rec in records:
        for i, q in enumerate(rec.get("quotes") or []):
            sets.find((rec["id"], i))
            text = fold(q.get("content") or "")
            if text in first_of_text:
                sets.union(first_of_text[text], (rec["id"], i))
            elif text:
                first_of_text[text] = (rec["id"], i)
    for e in edges:
        src, dst = by_id.get(str(e.get("from"))), by_id.get(str(e.get("to")))
        if src and dst and e.get("relation") in _REUSE:
            _align(sets, src, dst)
    groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for rec in records:
        outlet = (rec.get("outlet") or {}).get("name")
        for i, q in enumerate(rec.get("quotes") or []):
            ref = {"article_id": rec["id"], "idx": i, "outlet": outlet,
                   "language": rec.get("language"), "start": q.get("start"), "end": q.get("end"),
                   "evidence": q.get("evidence")}  # fmt: skip
            groups.setdefault(sets.find((rec["id"], i)), []).append(ref)
    out = []
    for refs in groups.values():
        head = refs[0]
        quote = by_id[head["article_id"]]["quotes"][head["idx"]]
        out.append({**quote, **head, "reports": refs})
    return out
