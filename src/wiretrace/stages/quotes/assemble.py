"""Assembling quotes: quoted segments attached to cues, split quotes merged, contents widened.

A segment is attached to the cue of its reporting clause, a split quote ("A," he said, "B.")
becomes one quote, a quote with no cue of its own continues the previous speaker of its block,
and indirect contents the finders cut short are widened to the clause they report.
"""

from __future__ import annotations

import re

from wiretrace.stages.quotes.lexicon import Cand, Range, strip_range
from wiretrace.stages.quotes.segments import MIN_WORDS, Segment
from wiretrace.stages.quotes.speakers import incise


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _title_like(quoted: str, share: float = 0.6) -> bool:
    """Most words capitalised: a title, a slogan or a name, not reported speech."""
    words = re.findall(r"[^\W\d_][\w'’-]*", quoted)
    if not words:
        return True
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= share * len(words)


def _block(text: str, pos: int) -> Range:
    """The paragraph around ``pos`` as delimited by blank lines (a single newline may wrap)."""
    starts = [m.end() for m in re.finditer(r"\n[ \t\u00a0]*\n", text[:pos])]
    m = re.search(r"\n[ \t\u00a0]*\n", text[pos:])
    return (starts[-1] if starts else 0, pos + m.start() if m else len(text))


def _paragraph(text: str, pos: int) -> Range:
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return (a, len(text) if b < 0 else b)


def overlaps(a: Range, b: Range) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def _zone(text: str, seg: Segment, segs: list[Segment], sents: list[Range]) -> tuple[Range, Range]:
    """The reporting clauses around a segment: before it and after it, within its paragraph."""
    para = _paragraph(text, seg.start)
    prev_end = max([para[0]] + [s.end for s in segs if s.end <= seg.start])
    # Sentence boundaries come from the abbreviation-aware splitter ("Mrs. Clinton said").
    before_start = max([prev_end] + [a for a, _ in sents if prev_end <= a <= seg.start])
    nxt = min(
        [_paragraph(text, max(seg.end - 1, 0))[1]] + [s.start for s in segs if s.start >= seg.end]
    )
    ends = [b for _, b in sents if seg.end < b <= nxt]
    after_end = min(ends) if ends else nxt
    return (before_start, seg.start), (seg.end, after_end)


def _dash_speaker(text: str, after: Range) -> Range | None:
    """'"…" ― Jane Doe': a name after a dash closing the quote."""
    m = re.match(r"[\s,.]*[―—–]\s*([^\W\d_][^\n.,;!?]{1,60})", text[after[0] : after[1] + 80])
    if not m:
        return None
    words = m.group(1).split()
    if not words or not words[0][:1].isupper() or len(words) > 6:
        return None
    return (after[0] + m.start(1), after[0] + m.end(1))


def assemble(text: str, cands: list[Cand], segs: list[Segment], sents: list[Range]) -> list[Cand]:
    """Attach quoted segments to cues, merge split quotes, carry speakers over within paragraphs."""
    last: Cand | None = None
    out = [c for c in cands]
    for seg in segs:
        r = (seg.start, seg.end)
        owner = next((c for c in out if c.content and overlaps(c.content, r)), None)
        if owner is None:
            before, after = _zone(text, seg, segs, sents)
            near = [
                c
                for c in out
                if (
                    (overlaps(c.cue, after) or overlaps(c.cue, before))
                    and not any(s.start <= c.cue[0] < s.end for s in segs)
                )
                or (seg.start <= c.cue[0] < seg.end and incise(text, c.cue, r))
            ]
            if not seg.dialogue and words(text[seg.start : seg.end]) < MIN_WORDS:
                # A short quoted phrase is only a quote when a cue reports it and nothing else.
                near = [c for c in near if c.content is None]
            near.sort(
                key=lambda c: (c.speaker is None, c.content is not None, abs(c.cue[0] - seg.end))
            )
            owner = near[0] if near else None
            if owner is None and (dash := _dash_speaker(text, after)) is not None:
                owner = Cand((after[0], dash[0]), dash, None, (before[0], after[1]))
                out.append(owner)
        if owner is None and last is not None and last.content is not None and last.segs:
            # "'A,' he said. 'B.'": the second part continues the quote of the same block.
            gap = text[last.content[1] : seg.start]
            starts = sum(1 for a, _ in sents if last.content[1] < a <= seg.start)
            clause = last.cue[0] >= last.content[1] and starts <= 1
            same = _block(text, last.content[1] - 1) == _block(text, seg.start)
            if same and (words(gap) <= 12 or clause):
                owner = last
        if owner is None and _title_like(text[seg.start : seg.end]):
            continue
        long_seg = seg.dialogue or words(text[seg.start : seg.end]) >= MIN_WORDS
        if owner is None and last is not None and last.content is not None and long_seg:
            gap = text[last.content[1] : seg.start]
            if gap.count("\n\n") <= 1 and words(gap) < 40:
                owner = Cand(last.cue, last.speaker, None, _paragraph(text, seg.start))
                out.append(owner)
        if owner is None and (seg.dialogue or words(text[seg.start : seg.end]) >= MIN_WORDS):
            owner = Cand((seg.start, seg.start), None, None, _paragraph(text, seg.start))
            out.append(owner)
        if owner is None:
            continue
        owner.segs.append(r)
        if owner.content is None:
            owner.content = r
        else:
            owner.content = (min(owner.content[0], r[0]), max(owner.content[1], r[1]))
        last = owner
    return out


def colon_blocks(text: str, cands: list[Cand]) -> None:
    """ "The governor added:" closing a paragraph: the next paragraph is what he said."""
    for c in cands:
        if c.content is not None or c.speaker is None:
            continue
        tail = text[c.cue[1] : c.sent[1]].rstrip()
        if not tail.endswith(":") or "\n" not in text[c.sent[1] : c.sent[1] + 3]:
            continue
        nxt = strip_range(text, (c.sent[1], len(text)), " \t\n")
        if nxt is not None:
            end = text.find("\n", nxt[0])
            block = (nxt[0], len(text) if end < 0 else end)
            if not any(o.content and overlaps(o.content, block) for o in cands):
                c.content = block


def to_sentence_end(text: str, cands: list[Cand]) -> None:
    """A complement cut short by the parser (", and the answers were …") runs to the full stop."""
    cues = [c.cue for c in cands]
    for c in cands:
        if c.content is None or c.via_according or c.content[0] < c.cue[1]:
            continue
        tail = strip_range(text, (c.content[1], c.sent[1]), " \t\n,;:.!?")
        if tail is None or words(text[tail[0] : tail[1]]) > 25:
            continue
        if any(tail[0] <= a < tail[1] for a, _ in cues) or "\n" in text[c.content[1] : tail[1]]:
            continue
        c.content = (c.content[0], tail[1])


def interposed(text: str, cands: list[Cand]) -> None:
    """ "Trump, Sexton said, has created …": a reporting clause inside the sentence it reports."""
    cues = [c.cue for c in cands]
    for c in cands:
        if c.speaker is None or c.content is None or c.via_according:
            continue
        lo, hi = min(c.speaker[0], c.cue[0]), max(c.speaker[1], c.cue[1])
        s0, s1 = c.sent
        head = text[s0:lo].rstrip()
        tail = strip_range(text, (hi, s1), " \t\n,;:.!?")
        if c.content[0] >= hi and head.endswith(",") and "," in text[hi : c.content[0]]:
            if not any(s0 <= a < lo for a, _ in cues):
                c.content = (s0, c.content[1])
        elif (
            c.content[1] <= lo
            and tail
            and text[hi:s1].lstrip().startswith(",")
            and not any(tail[0] <= a < tail[1] for a, _ in cues)
            and words(text[tail[0] : tail[1]]) > 3
        ):
            c.content = (c.content[0], tail[1])


def dedupe(text: str, cands: list[Cand]) -> list[Cand]:
    """Drop contentless cues and, of cues sharing content, keep the one with a speaker."""
    best: dict[Range, Cand] = {}
    for c in cands:
        if c.content is None:
            continue
        prev = best.get(c.content)
        if prev is None or (prev.speaker is None and c.speaker is not None):
            best[c.content] = c
    kept = sorted(best.values(), key=lambda c: c.content or (0, 0))
    # A content inside another one is a fragment of it or speech reported within it ("X said
    # that Y had told him …"): the outer quote carries it, as news annotators mark it.
    out: list[Cand] = []
    for c in kept:
        assert c.content is not None
        inner = any(
            o is not c
            and o.content is not None
            and o.content[0] <= c.content[0]
            and c.content[1] <= o.content[1]
            and o.content != c.content
            for o in kept
        )
        if not inner:
            out.append(c)
    return out
