"""Article text as safe HTML with every extracted fact marked at its evidence span.

The body is cut at every span boundary and paragraph break; each piece is escaped on its own
and wrapped in one ``<mark>`` per fact covering it, outermost first. Overlapping and nested
spans therefore always give well-formed HTML, and no byte of article text reaches the page
unescaped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

# Drawing order when two facts cover exactly the same text: the wider concept goes outside.
_ORDER = {"event": 0, "quote": 1, "date": 2, "figure": 3, "entity": 4}
_PARA = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Mark:
    """One fact to highlight: a body span, a kind (CSS class) and a hover label."""

    start: int
    end: int
    kind: str
    label: str
    subkind: str = ""


def marks_from_record(record: Mapping[str, Any]) -> list[Mark]:
    """Every span-bearing fact of an article record, as marks (invalid spans dropped)."""
    out: list[Mark] = []
    for ent in record.get("entities") or []:
        label = f"{ent.get('type') or 'entity'}: {ent.get('name')}"
        for m in ent.get("mentions") or []:
            out.append(Mark(m["start"], m["end"], "entity", label, ent.get("type") or "other"))
    for d in record.get("dates") or []:
        out.append(Mark(d["start"], d["end"], "date", f"date: {d.get('value')}"))
    for fig in record.get("figures") or []:
        about = f" ({fig['about']})" if fig.get("about") else ""
        out.append(Mark(fig["start"], fig["end"], "figure", f"figure: {fig.get('value')}{about}"))
    for q in record.get("quotes") or []:
        sp = q.get("speaker") or {}
        who = sp.get("text") or "unattributed"
        label = f"{q.get('kind')} quote, {sp.get('source_type')} source: {who}"
        if q.get("declined"):
            label += " (declined to comment)"
        out.append(Mark(q["start"], q["end"], "quote", label, sp.get("source_type") or "unknown"))
    for ev in record.get("events") or []:
        evd = ev.get("evidence") or {}
        if evd.get("start") is None or evd.get("end") is None:
            continue
        date = (ev.get("date") or {}).get("value")
        label = f"event {ev.get('type')}" + (f" on {date}" if date else "")
        out.append(Mark(evd["start"], evd["end"], "event", label, str(ev.get("type") or "")))
    return out


def _valid(marks: Iterable[Mark], length: int) -> list[Mark]:
    good = []
    for m in marks:
        if not isinstance(m.start, int) or not isinstance(m.end, int):
            continue
        start, end = max(0, m.start), min(length, m.end)
        if start < end:
            good.append(Mark(start, end, m.kind, m.label, m.subkind))
    return good


def _open(m: Mark) -> str:
    cls = f"hl hl-{m.kind}" + (f" hl-{m.kind}-{_css(m.subkind)}" if m.subkind else "")
    return f'<mark class="{cls}" title="{escape(m.label)}">'


def _css(value: str) -> str:
    """A class-name-safe form of a data value (article data never reaches markup raw)."""
    return re.sub(r"[^a-z0-9-]", "-", value.lower())[:40]


def paragraphs(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of the body, blank-line separated."""
    spans, pos = [], 0
    for m in _PARA.finditer(body):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(body):
        spans.append((pos, len(body)))
    return spans


def highlight(
    body: str,
    marks: Iterable[Mark],
    sentences: Sequence[tuple[int, int]] = (),
    anchors: Iterable[tuple[int, int]] = (),
) -> Markup:
    """The body as ``<p>`` paragraphs, each fact wrapped in ``<mark>``; all text escaped.

    Each of ``sentences`` (non-overlapping, inside one paragraph) becomes a ``<span
    class="sent" id="s-START-END">``; each of ``anchors`` (other spans facts cite) an empty
    ``<span class="anchor">`` at its start, so every fact's link has a target.
    """
    good = _valid(marks, len(body))
    paras = paragraphs(body)
    opens = {a: b for a, b in sentences}
    closes = {b for _, b in sentences}
    extra: dict[int, list[str]] = {}
    for a, b in anchors:
        at = next((max(a, ps) for ps, pe in paras if a < pe), None)
        if at is not None:
            extra.setdefault(at, []).append(f"s-{a}-{b}")
    html: list[str] = []
    for p_start, p_end in paras:
        inside = [m for m in good if m.start < p_end and m.end > p_start]
        cuts = {p_start, p_end}
        for m in inside:
            cuts.update(c for c in (m.start, m.end) if p_start < c < p_end)
        cuts.update(c for c in (*opens, *closes, *extra) if p_start < c < p_end)
        points = sorted(cuts)
        html.append("<p>")
        for a, b in itertools.pairwise(points):
            covering = sorted(
                (m for m in inside if m.start <= a and m.end >= b),
                key=lambda m: (m.start, -m.end, _ORDER.get(m.kind, 9)),
            )
            if a in opens:
                html.append(f'<span class="sent" id="s-{a}-{opens[a]}">')
            html.extend(f'<span class="anchor" id="{i}"></span>' for i in extra.get(a, ()))
            text = str(escape(body[a:b])).replace("\n", "<br>")
            html.append("".join(_open(m) for m in covering) + text + "</mark>" * len(covering))
            if b in closes:
                html.append("</span>")
        html.append("</p>\n")
    return Markup("".join(html))


def snippet_html(snippet: str, hit_open: str, hit_close: str) -> Markup:
    """An FTS snippet escaped, with only its hit markers turned into ``<mark>`` elements."""
    # Only complete open..close pairs become marks, so a stray marker cannot leave a tag open.
    parts = re.split(f"({re.escape(hit_open)}.*?{re.escape(hit_close)})", snippet)
    out = []
    for part in parts:
        if part.startswith(hit_open) and part.endswith(hit_close):
            out.append(f'<mark class="hit">{escape(part[1:-1])}</mark>')
        else:
            out.append(str(escape(part.replace(hit_open, "").replace(hit_close, ""))))
    return Markup("".join(out))
