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

from wiretrace.model import Article, Evidence, Quote, QuoteKind, Speaker
from wiretrace.nlp import depth_for, parse
from wiretrace.pipeline import Stage
from wiretrace.stages.quotes.assemble import (
    assemble,
    colon_blocks,
    dedupe,
    interposed,
    overlaps,
    to_sentence_end,
    words,
)
from wiretrace.stages.quotes.deep import deep_candidates
from wiretrace.stages.quotes.lexicon import (
    WORD,
    Cand,
    Lexicon,
    Range,
    find_phrase,
    fold_same_length,
    lexicon,
)
from wiretrace.stages.quotes.resolve import resolve
from wiretrace.stages.quotes.segments import Segment, quote_segments, sentences
from wiretrace.stages.quotes.sources import SpeakerInfo, type_speakers
from wiretrace.stages.quotes.speakers import lexical_candidates, refusal_candidates
from wiretrace.stages.quotes.tidy import tidy

__all__ = ["STAGE_QUOTES", "VERSION", "candidates", "extract_quotes", "quote_segments"]

VERSION = "quotes.v6"


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
    return "direct" if words(rest) <= 4 else "mixed"


def _declined(folded: str, c: Cand, declined: list[str]) -> bool:
    """``declined``: the lexicon's refusal phrases that occur in the text at all."""
    s0, s1 = c.sent
    if c.content:
        s0, s1 = min(s0, c.content[0]), max(s1, c.content[1])
    hits = [i for p in declined for i in find_phrase(folded, p, s0, s1)]
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
    cands = assemble(text, cands, sorted(segs, key=lambda s: s.start), sents)
    interposed(text, cands)
    to_sentence_end(text, cands)
    colon_blocks(text, cands)
    refusals = refusal_candidates(text, folded, sents, lex)
    cands += [
        r
        for r in refusals
        if not any(
            (c.content and overlaps(c.cue, r.cue)) or (c.content and c.sent == r.sent)
            for c in cands
        )
    ]
    return dedupe(text, cands), segs, sents


def extract_quotes(article: Article) -> list[Quote]:
    """Every quote of the article body with its speaker, source type, cue and evidence."""
    text = article.body
    if not text.strip():
        return []
    lex = lexicon(article.language)
    folded = fold_same_length(text)
    cands, segs, sents = candidates(text, article.language)
    cands = tidy(article, folded, cands, [(g.start, g.end) for g in segs], lex)
    cands = [c for c in cands if not _outlet_title(text, folded, c, segs, lex)]
    cands = _drop_refusal_duplicates(text, folded, cands, lex)
    infos: list[SpeakerInfo] = type_speakers(article, cands, lex)
    declined = [p for p in lex.declined if p in folded]
    out: list[Quote] = []
    for c, res in zip(cands, resolve(article, cands, infos, lex), strict=True):
        info = res.info
        assert c.content is not None
        s, e = c.content
        ev = _evidence(sents, c)
        written = text[c.speaker[0] : c.speaker[1]] if c.speaker else None
        spk = Speaker(
            text=res.name or written,
            as_written=written if res.name and res.name != written else None,
            source_type=info.source_type,
            entity_id=info.entity_id,
            role=info.role,
            start=c.speaker[0] if c.speaker else None,
            end=c.speaker[1] if c.speaker else None,
            named_start=res.named[0] if res.named else None,
            named_end=res.named[1] if res.named else None,
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
                declined=_declined(folded, c, declined),
                evidence=Evidence(ev[0], ev[1], stage=VERSION),
                via=info.via,
            )
        )
    return out


def _outlet_title(text: str, folded: str, c: Cand, segs: list[Segment], lex: Lexicon) -> bool:
    """ "die Zeitung „Le Matin de l’Atlas“", "газета «Коммерсант»": a short quoted title right
    after an outlet noun names the outlet; it is no quotation."""
    if c.content is None:
        return False
    for g in segs:
        if (
            not (g.start <= c.content[0] and c.content[1] <= g.end)
            or words(text[g.start : g.end]) > 6
        ):
            continue
        before = list(WORD.finditer(folded, max(0, g.start - 40), g.start))
        if before and text[before[-1].end() : g.start].strip() == "":
            last = before[-1].group()
            if any(last == o or (len(o) >= 5 and last.startswith(o)) for o in lex.outlets):
                return True
    return False


def _size(r: Range | None) -> int:
    return r[1] - r[0] if r else 0


def _drop_refusal_duplicates(text: str, folded: str, cands: list[Cand], lex: Lexicon) -> list[Cand]:
    """ "X declined to comment, saying '…'": one quote, not a second one for the refusal itself."""
    out: list[Cand] = []
    declined = [p for p in lex.declined if p in folded]  # (the others are in no sentence)
    for c in cands:
        in_refusal = any(
            i <= c.cue[0] < i + len(p)
            for p in declined
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
