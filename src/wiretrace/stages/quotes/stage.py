"""Quotations: direct, indirect and mixed quotes with their speakers, in any language.

Quoted segments are found from the quotation marks of every convention (« », “ ”, " ", „ “,
‚ ‘, ‹ ›, '' '', dash dialogue); reporting cues and their speakers come from
:mod:`.speakers` (a dependency parse where we have one, lexicon rules elsewhere); a segment is
attached to the cue of its reporting clause, a split quote ("A," he said, "B.") becomes one quote,
and a quote with no cue of its own continues the previous speaker of its paragraph. Speakers are
then typed by :mod:`.sources`.
"""

from __future__ import annotations

import dataclasses
import re

from wiretrace.model import Article, Evidence, Quote, QuoteKind, Speaker
from wiretrace.nlp import depth_for, parse
from wiretrace.pipeline import Stage
from wiretrace.stages.quotes.sources import SpeakerInfo, type_speakers
from wiretrace.stages.quotes.speakers import (
    Cand,
    Lexicon,
    deep_candidates,
    find_phrase,
    fold_same_length,
    incise,
    lexical_candidates,
    lexicon,
    refusal_candidates,
    strip_range,
)

VERSION = "quotes.v1"
Range = tuple[int, int]

# Opening mark -> marks that may close it. Straight quotes close themselves.
_PAIRS: dict[str, str] = {
    "“": '”"“',
    "«": "»",
    "„": "“”",
    "‚": "‘’",
    "‹": "›",
    "‘": "’",
    '"': '"”',
    "”": "”",  # some outlets open with a closing mark
}
_OPEN_OK = " \t\n([{—–-:/\u00a0"
_DASHES = "—–―-"
_SENT_END = re.compile(r"[.!?…]+[\"”»’')\]]*(?=\s)|\n")
# "Mr.", "Sen.", "U.S.", "G." before a period do not end a sentence.
_ABBREV = re.compile(r"(?:\b[A-ZА-Я]|\.[A-Z])\.$")
_MIN_WORDS = 4  # shorter quoted phrases are names, titles or scare quotes unless reported


@dataclasses.dataclass(frozen=True)
class Segment:
    """A stretch of quoted words (marks included) or a dialogue line after a dash."""

    start: int
    end: int
    dialogue: bool = False


def _closes(text: str, i: int) -> bool:
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return not nxt.isalnum()


def quote_segments(text: str) -> list[Segment]:
    """Quoted stretches of ``text`` in every quotation-mark convention, in order."""
    out: list[Segment] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "'" and text.startswith("''", i) and (i == 0 or text[i - 1] in _OPEN_OK):
            end = text.find("''", i + 2)
            par = text.find("\n", i)
            if end > 0 and (par < 0 or end < par):
                out.append(Segment(i, end + 2))
                i = end + 2
                continue
        closers = _PAIRS.get(c)
        if closers is None or (i > 0 and text[i - 1] not in _OPEN_OK):
            i += 1
            continue
        close = _find_close(text, i, c, closers)
        if close is None:
            i += 1
            continue
        out.append(Segment(i, close))
        i = close
    return out + _dialogue_segments(text, out)


def _find_close(text: str, i: int, opener: str, closers: str) -> int | None:
    """End (exclusive) of the segment opened at ``i``; a quote may run over paragraphs."""
    j = i + 1
    while j < len(text):
        ch = text[j]
        if ch in closers and j > i + 1 and _closes(text, j):
            return j + 1
        if ch == "\n":
            k = j
            while k < len(text) and text[k] in "\n \t":
                k += 1
            # English style: an unclosed quote continues when the next paragraph opens again.
            if k < len(text) and text[k] == opener and k > j:
                j = k + 1
                continue
            end = j
            while end > i + 1 and text[end - 1] in " \t":
                end -= 1
            return end if end - i > 12 and opener not in "'‘‚" else None
        j += 1
    return None


def _dialogue_segments(text: str, marked: list[Segment]) -> list[Segment]:
    """Lines opening with a dash: the words up to the dash before the reporting clause."""
    out: list[Segment] = []
    for m in re.finditer(r"(?m)^[ \t]*([—–―]|-(?= ))[ \t]*", text):
        start = m.end()
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        if any(s.start <= start < s.end for s in marked):
            continue
        # Spanish writes "—No —dijo él—", Russian "— Нет, — сказал он": a dash after a blank
        # switches between the quote and the reporting clause.
        pos = start
        for k, m2 in enumerate([*re.finditer(r"\s[—–―]\s?", text[start:line_end]), None]):
            stop = start + m2.start() if m2 else line_end
            if k % 2 == 0 and text[pos:stop].strip():
                out.append(Segment(pos, pos + len(text[pos:stop].rstrip(" ,")), dialogue=True))
            if m2:
                pos = start + m2.end()
    return out


def sentences(text: str, segs: list[Segment], abbrevs: frozenset[str] = frozenset()) -> list[Range]:
    """Sentence spans that never end inside a quoted segment nor after an abbreviation."""
    out: list[Range] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if any(s.start < m.start() < s.end - 1 for s in segs if not s.dialogue):
            continue
        if _ABBREV.search(text, max(0, m.start() - 5), m.start() + 1):
            continue
        prev = re.search(r"(\w+)\.$", text[max(0, m.start() - 8) : m.start() + 1])
        if prev and prev.group(1).lower() in abbrevs:
            continue
        end = m.end()
        r = strip_range(text, (start, end), " \t\n")
        if r:
            out.append(r)
        start = end
    r = strip_range(text, (start, len(text)), " \t\n")
    if r:
        out.append(r)
    return out


def _words(text: str) -> int:
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


def _overlaps(a: Range, b: Range) -> bool:
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


def _assemble(text: str, cands: list[Cand], segs: list[Segment], sents: list[Range]) -> list[Cand]:
    """Attach quoted segments to cues, merge split quotes, carry speakers over within paragraphs."""
    last: Cand | None = None
    out = [c for c in cands]
    for seg in segs:
        r = (seg.start, seg.end)
        owner = next((c for c in out if c.content and _overlaps(c.content, r)), None)
        if owner is None:
            before, after = _zone(text, seg, segs, sents)
            near = [
                c
                for c in out
                if (
                    (_overlaps(c.cue, after) or _overlaps(c.cue, before))
                    and not any(s.start <= c.cue[0] < s.end for s in segs)
                )
                or (seg.start <= c.cue[0] < seg.end and incise(text, c.cue, r))
            ]
            if not seg.dialogue and _words(text[seg.start : seg.end]) < _MIN_WORDS:
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
            if same and (_words(gap) <= 12 or clause):
                owner = last
        if owner is None and _title_like(text[seg.start : seg.end]):
            continue
        long_seg = seg.dialogue or _words(text[seg.start : seg.end]) >= _MIN_WORDS
        if owner is None and last is not None and last.content is not None and long_seg:
            gap = text[last.content[1] : seg.start]
            if gap.count("\n\n") <= 1 and _words(gap) < 40:
                owner = Cand(last.cue, last.speaker, None, _paragraph(text, seg.start))
                out.append(owner)
        if owner is None and (seg.dialogue or _words(text[seg.start : seg.end]) >= _MIN_WORDS):
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


def _colon_blocks(text: str, cands: list[Cand]) -> None:
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
            if not any(o.content and _overlaps(o.content, block) for o in cands):
                c.content = block


def _to_sentence_end(text: str, cands: list[Cand]) -> None:
    """A complement cut short by the parser (", and the answers were …") runs to the full stop."""
    cues = [c.cue for c in cands]
    for c in cands:
        if c.content is None or c.via_according or c.content[0] < c.cue[1]:
            continue
        tail = strip_range(text, (c.content[1], c.sent[1]), " \t\n,;:.!?")
        if tail is None or _words(text[tail[0] : tail[1]]) > 25:
            continue
        if any(tail[0] <= a < tail[1] for a, _ in cues) or "\n" in text[c.content[1] : tail[1]]:
            continue
        c.content = (c.content[0], tail[1])


def _interposed(text: str, cands: list[Cand]) -> None:
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
            and _words(text[tail[0] : tail[1]]) > 3
        ):
            c.content = (c.content[0], tail[1])


def _dedupe(text: str, cands: list[Cand]) -> list[Cand]:
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


def _kind(text: str, c: Cand) -> QuoteKind:
    """Direct when only quoted words (and the split-off reporting clause) make up the content."""
    if not c.segs or c.content is None:
        return "indirect"
    mask = [True] * (c.content[1] - c.content[0])
    for a, b in [*c.segs, c.cue] + ([c.speaker] if c.speaker else []):
        for k in range(max(a, c.content[0]), min(b, c.content[1])):
            mask[k - c.content[0]] = False
    rest = "".join(
        ch if keep else " "
        for ch, keep in zip(text[c.content[0] : c.content[1]], mask, strict=True)
    )
    return "direct" if _words(rest) <= 4 else "mixed"


def _declined(text: str, folded: str, c: Cand, lex: Lexicon) -> bool:
    s0, s1 = c.sent
    if c.content:
        s0, s1 = min(s0, c.content[0]), max(s1, c.content[1])
    hits = [i for p in lex.declined for i in find_phrase(folded, p, s0, s1)]
    return bool(hits)


def candidates(text: str, lang: str | None) -> tuple[list[Cand], list[Segment], list[Range]]:
    """Reporting cues with attached quoted segments for one text (before speaker typing)."""
    lex = lexicon(lang)
    folded = fold_same_length(text)
    segs = quote_segments(text)
    sents = sentences(text, segs, lex.abbreviations)
    if depth_for(lang) == "deep":
        doc = parse(text, lang).doc
        cands = deep_candidates(doc, text, folded, sents, [(s.start, s.end) for s in segs], lex)
    else:
        cands = lexical_candidates(text, folded, sents, [(s.start, s.end) for s in segs], lex)
    cands = _assemble(text, cands, sorted(segs, key=lambda s: s.start), sents)
    _interposed(text, cands)
    _to_sentence_end(text, cands)
    _colon_blocks(text, cands)
    refusals = refusal_candidates(text, folded, sents, lex)
    cands += [
        r
        for r in refusals
        if not any(
            (c.content and _overlaps(c.cue, r.cue)) or (c.content and c.sent == r.sent)
            for c in cands
        )
    ]
    return _dedupe(text, cands), segs, sents


def extract_quotes(article: Article) -> list[Quote]:
    """Every quote of the article body with its speaker, source type, cue and evidence."""
    text = article.body
    if not text.strip():
        return []
    lex = lexicon(article.language)
    folded = fold_same_length(text)
    cands, _, sents = candidates(text, article.language)
    cands = _drop_refusal_duplicates(text, folded, cands, lex)
    infos: list[SpeakerInfo] = type_speakers(article, cands, lex)
    out: list[Quote] = []
    for c, info in zip(cands, infos, strict=True):
        assert c.content is not None
        s, e = c.content
        ev = _evidence(sents, c)
        spk = Speaker(
            text=text[c.speaker[0] : c.speaker[1]] if c.speaker else None,
            source_type=info.source_type,
            entity_id=info.entity_id,
            role=info.role,
            start=c.speaker[0] if c.speaker else None,
            end=c.speaker[1] if c.speaker else None,
        )
        cue = text[c.cue[0] : c.cue[1]] or None
        out.append(
            Quote(
                content=text[s:e],
                start=s,
                end=e,
                kind=_kind(text, c),
                speaker=spk,
                cue=cue,
                declined=_declined(text, folded, c, lex),
                evidence=Evidence(ev[0], ev[1], stage=VERSION),
                via=info.via,
            )
        )
    return out


def _size(r: Range | None) -> int:
    return r[1] - r[0] if r else 0


def _drop_refusal_duplicates(text: str, folded: str, cands: list[Cand], lex: Lexicon) -> list[Cand]:
    """ "X declined to comment, saying '…'": one quote, not a second one for the refusal itself."""
    out: list[Cand] = []
    for c in cands:
        in_refusal = any(
            i <= c.cue[0] < i + len(p)
            for p in lex.declined
            for i in find_phrase(folded, p, c.sent[0], c.sent[1])
        )
        twin = any(
            o is not c
            and o.speaker == c.speaker
            and o.sent == c.sent
            and o.speaker is not None
            and _size(o.content) > _size(c.content)
            for o in cands
        )
        if not (in_refusal and twin):
            out.append(c)
    return out


def _evidence(sents: list[Range], c: Cand) -> Range:
    """The sentence(s) holding the quote and its cue."""
    assert c.content is not None
    lo = min(c.content[0], c.cue[0] if c.cue[1] > c.cue[0] else c.content[0])
    hi = max(c.content[1], c.cue[1])
    touched = [s for s in sents if s[1] > lo and s[0] < hi]
    if not touched:
        return (lo, hi)
    return (touched[0][0], touched[-1][1])


def _run(article: Article) -> Article:
    return dataclasses.replace(article, quotes=tuple(extract_quotes(article)))


STAGE_QUOTES = Stage(
    name="quotes",
    version=VERSION,
    requires=("body", "language"),
    produces=("quotes",),
    fn=_run,
)
