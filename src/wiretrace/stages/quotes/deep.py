"""The dependency finder: cue verbs with their subject (speaker) and clausal complement (content).

Used for languages with a deep spaCy parse; where the parse misses the subject or the complement
it falls back on the lexical rules of :mod:`.speakers` for that one cue.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING

from wiretrace.stages.quotes.lexicon import WORD, Cand, Lexicon, Range, lfold, strip_range
from wiretrace.stages.quotes.speakers import (
    according_candidates,
    incise,
    lexical_one,
    quote_before,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Dependency labels (English ClearNLP and Universal Dependencies) used by the deep finder.
_SUBJ = {"nsubj", "csubj", "nsubj:pass", "expl:subj"}
_AGENT = {"agent", "obl:agent"}
_CLAUSE = {"ccomp"}
_OBJ = {"dobj", "obj"}
_CLIMB = {"advcl", "xcomp", "conj", "dep", "parataxis", "ccomp", "pcomp", "prep", "pobj"}
_NOT_SPEAKER = {"relcl", "acl", "acl:relcl", "punct", "advcl", "cc", "conj", "parataxis"}


def _span_of(tok: Token) -> Range:
    """A speaker phrase: the token's subtree without relative clauses and trailing clauses."""
    left = tok.left_edge
    right = tok
    for child in tok.rights:
        if child.dep_ in _NOT_SPEAKER:
            break
        right = child.right_edge
    start = left.idx
    end = right.idx + len(right.text)
    return (start, end)


def _speaker_of(verb: Token, depth: int = 0) -> Range | None:
    subjects = [c for c in verb.children if c.dep_ in _SUBJ]
    if subjects:
        # Of several subjects (a mis-parsed heading "Details: X said"), the nearest one.
        subj = min(subjects, key=lambda c: abs(c.i - verb.i))
        span = _span_of(subj)
        if subj.tag_ in ("WP", "WDT") and verb.dep_ in ("relcl", "acl:relcl"):
            # "Beck, who said …": the relative pronoun stands for its antecedent; keep both.
            ante = verb.head
            if ante.i < subj.i:
                return (ante.left_edge.idx, span[1])
        return span
    for child in verb.children:
        if child.dep_ in _AGENT:
            objs = [c for c in child.children if c.dep_ in ("pobj", "obj")] or [child]
            return _span_of(objs[0])
    if depth >= 4 or verb.head is verb:
        return None
    if verb.dep_ in ("acl",) and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return _span_of(verb.head)
    if verb.dep_ in _CLIMB:
        return _speaker_of(verb.head, depth + 1)
    return None


def _subtree_range(tok: Token) -> Range:
    return (tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text))


def _content_of(verb: Token, lemma: str, lex: Lexicon) -> Range | None:
    clauses = [c for c in verb.children if c.dep_ in _CLAUSE]
    # A complement after the verb; one before it only when no ";" or ":" separates them
    # (spaCy hangs the clause before a colon on the next verb).
    after = [c for c in clauses if c.i > verb.i]
    if after:
        return _subtree_range(after[0])
    for c in clauses:
        between = verb.doc[c.right_edge.i + 1 : verb.i]
        if not any(t.text in (";", ":") for t in between):
            return _subtree_range(c)
    head = verb.head
    if verb.dep_ in ("parataxis", "dep") and head is not verb and head.pos_ in ("VERB", "AUX"):
        if head.i < verb.i:
            return (head.left_edge.idx, verb.left_edge.idx)
        return (verb.right_edge.idx + len(verb.right_edge.text), head.right_edge.idx + 1)
    for child in verb.children:
        # "asked whether …", "wondered if …"
        if child.dep_ == "advcl" and any(
            m.dep_ == "mark" and lfold(m.text) in ("if", "whether", "si") for m in child.children
        ):
            return _subtree_range(child)
    passive = [c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj:pass")]
    if passive and any(c.dep_ in _AGENT for c in verb.children):
        return _subtree_range(passive[0])
    xcomp = [c for c in verb.children if c.dep_ == "xcomp"]
    objs = [c for c in verb.children if c.dep_ in _OBJ and c.pos_ not in ("PRON",)]
    if xcomp:
        start = min([xcomp[0].left_edge.idx] + [o.left_edge.idx for o in objs])
        return (start, _subtree_range(xcomp[0])[1])
    if objs and lemma in lex.object_verbs and lfold(objs[0].text) not in lex.pronouns:
        # "called the plan 'a disaster'", "described X as Y": the predicate after the object too.
        end = max(
            [_subtree_range(objs[0])[1]]
            + [_subtree_range(c)[1] for c in verb.rights if c.i > objs[0].i and c.dep_ != "punct"]
        )
        return (objs[0].left_edge.idx, end)
    return None


def _clamp(r: Range | None, box: Range) -> Range | None:
    if r is None:
        return None
    s, e = max(r[0], box[0]), min(r[1], box[1])
    return (s, e) if e > s else None


class _Ranges:
    """Ranges (quoted segments, sentences) looked up by position in one bisection, so each
    token costs the same however many quotes and sentences the text has. Lists need not be
    sorted or disjoint: answers are those of a scan in list order.

    The ranges' ends cut the text into elementary intervals, each holding the ranges that cover
    it, found when built. (Walking left from the bisection while a range could still reach the
    position made every token of a text with one long quoted segment, an unclosed quote mark,
    read every segment before it: a fifth of the quote stage's CPU on French news.)"""

    def __init__(self, ranges: list[Range]) -> None:
        self.ranges = ranges
        self.order = sorted(range(len(ranges)), key=lambda k: ranges[k][0])
        self.starts = [ranges[k][0] for k in self.order]
        self.reach = list(accumulate((ranges[k][1] for k in self.order), max))
        self.points = sorted({p for r in ranges for p in r})
        cover: list[list[Range]] = [[] for _ in self.points]
        for r in ranges:  # in list order, so each interval's ranges are too
            for j in range(bisect_left(self.points, r[0]), bisect_left(self.points, r[1])):
                cover[j].append(r)
        self.cover = cover

    def containing(self, pos: int) -> list[Range]:
        """The ranges holding ``pos``, in list order."""
        j = bisect_right(self.points, pos) - 1
        return list(self.cover[j]) if j >= 0 else []

    def overlap(self, r: Range) -> bool:
        """Whether any range overlaps ``r``."""
        j = bisect_left(self.starts, r[1])
        return r[1] > r[0] and j > 0 and self.reach[j - 1] > r[0]


def _box(sents: _Ranges, pos: int) -> Range:
    hits = sents.containing(pos)
    return hits[0] if hits else (pos, pos + 1)


def paragraph(text: str, pos: int) -> Range:
    """The line (paragraph) of the text holding ``pos``."""
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return (a, len(text) if b < 0 else b)


def deep_candidates(
    doc: Doc, text: str, folded: str, sents: list[Range], segs: list[Range], lex: Lexicon
) -> list[Cand]:
    """Cue verbs of the lexicon with their subject (speaker) and clausal complement (content).

    Content and speaker are clamped to the cue's paragraph: the statistical sentence splitter
    sometimes runs over a paragraph break, never the author.
    """
    out: list[Cand] = []
    boxes, quoted = _Ranges(sents), _Ranges(segs)
    headline = cache(lambda sent: _headline(text, sent))  # once per sentence, not per word
    for srange in sents:
        out.extend(according_candidates(text, folded, srange, lex))
    starts = {a for a, _ in segs}
    colons, cues = _token_kinds(doc, lex, boxes, headline)
    for tok in (doc[i] for i in colons):
        if any(tok.idx < a <= tok.idx + 3 for a in starts):
            # "X was blunt in its findings: '…'": the clause before the colon reports the quote.
            # The head of the clause before the colon (the parser may hang it on the quote).
            pre = [t for t in doc[tok.sent.start : tok.i] if t.head.i >= tok.i or t.head is t]
            verbs = [t for t in pre if t.pos_ in ("VERB", "AUX")]
            if tok.head.pos_ in ("VERB", "AUX") and tok.head.i < tok.i:
                verbs.insert(0, tok.head)
            if not verbs:
                continue
            speaker = _speaker_of(verbs[0])
            if speaker is not None and speaker[1] <= tok.idx:
                out.append(Cand((tok.idx, tok.idx + 1), speaker, None, _box(boxes, tok.idx)))
    ends = [b for _, b in segs]
    for tok in (doc[i] for i in cues):
        inside = quoted.containing(tok.idx)
        if inside and not incise(text, (tok.idx, tok.idx + len(tok.text)), inside[0]):
            continue
        lemma = lfold(tok.lemma_)
        cue = (tok.idx, tok.idx + len(tok.text))
        if tok.text[:1].isupper() and tok.i > 0 and headline(srange := _box(boxes, tok.idx)):
            # "Trump's Son Says The Battle Will Be Unprecedented": taggers fail on title case.
            form = lfold(tok.text)
            if form in lex.verbs or form[:-1] in lex.verbs:
                spk = strip_range(text, (srange[0], cue[0]))
                body = strip_range(text, (cue[1], srange[1]), " \t\n,;:.!?")
                if spk is not None and body is not None:
                    out.append(Cand(cue, spk, body, srange))
            continue
        if lemma not in lex.verbs and lfold(tok.text) not in lex.verbs:
            continue
        srange = _box(boxes, tok.idx)  # (only for a cue word: one bisect per token saved)
        if tok.pos_ not in ("VERB", "AUX"):
            # '"…," Conway notes.': a cue the tagger took for a noun, right after a quote.
            if any(0 <= tok.idx - b <= 30 for b in ends) and tok.i + 1 < len(doc):
                alt = lexical_one(text, folded, srange, cue, segs, lex, lemma)
                if alt is not None and alt.speaker is not None and alt.content is None:
                    out.append(alt)
            continue
        para = paragraph(text, tok.idx)
        if lemma in lex.quote_only and not quote_before(text, cue, segs):
            continue
        content = _clamp(_content_of(tok, lemma, lex), para)
        if content is not None:
            content = strip_range(text, content)
        speaker = _clamp(_speaker_of(tok), para)
        if speaker is not None:
            speaker = strip_range(text, speaker)  # "a-t-il dit": the pronoun is "-il"
        if content is not None and speaker is not None and _inside(speaker, content):
            speaker = None
        if speaker is not None and not inside and quoted.overlap(speaker):
            speaker = None  # '"Meh," wrote a supporter': the quote is not its own speaker
        if content is None or speaker is None:
            # The parser missed the complement or the subject: fall back on the lexical rules.
            alt = lexical_one(text, folded, srange, cue, segs, lex, lemma)
            if alt is not None and alt.inverted and not quote_before(text, cue, segs):
                alt = None
            if alt is not None:
                content = content or alt.content
                passive = any(c.dep_ in ("auxpass", "aux:pass") for c in tok.children)
                if speaker is None and alt.speaker is not None and not passive:
                    # (a passive "was asked" names no speaker unless an agent "by X" does)
                    speaker = _last_words(text, alt.speaker, 12)
        if content is None and lemma in lex.needs_content and not quote_before(text, cue, segs):
            continue
        if inside:
            content = None  # an incise reports its own quote, nothing inside it
        out.append(Cand(cue, speaker, content, srange))
    return out


def _token_kinds(
    doc: Doc, lex: Lexicon, boxes: _Ranges, headline: Callable[[Range], bool]
) -> tuple[list[int], list[int]]:
    """The indices of the ":" tokens, and of the tokens the cue loop of :func:`deep_candidates`
    does more than skip: a cue verb by lemma or form, or a capitalised word (not the first) of a
    title-case line. Read from the token arrays, with what each word form and lemma is memoised
    on the lexicon, so the other tokens of the text (most of them) cost no Token object."""
    from spacy.attrs import IDX, LEMMA, ORTH

    strings, forms, lemmas = doc.vocab.strings, lex.form_kinds, lex.lemma_cues
    for memo in (forms, lemmas):
        if len(memo) >= _WORDS_KEPT:  # a long-running process meets words without end
            memo.clear()
    colons: list[int] = []
    cues: list[int] = []
    for i, (orth, lemma, idx) in enumerate(doc.to_array([ORTH, LEMMA, IDX]).tolist()):
        kind = forms.get(orth)
        if kind is None:
            form = strings[orth]
            kind = forms[orth] = (
                (_CUE if lfold(form) in lex.verbs else 0)
                | (_CAPITAL if form[:1].isupper() else 0)
                | (_COLON if form == ":" else 0)
            )
        cue = lemmas.get(lemma)
        if cue is None:
            cue = lemmas[lemma] = lfold(strings[lemma]) in lex.verbs
        if kind & _COLON:
            colons.append(i)
        if cue or kind & _CUE or (kind & _CAPITAL and i > 0 and headline(_box(boxes, idx))):
            cues.append(i)
    return colons, cues


_CUE, _CAPITAL, _COLON = 1, 2, 4
_WORDS_KEPT = 100_000  # word forms (and lemmas) whose kind is remembered, per lexicon


def _headline(text: str, sent: Range) -> bool:
    """A title-case line: most words capitalised."""
    words = WORD.findall(text, sent[0], sent[1])
    caps = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 4 and caps >= 0.75 * len(words)


def _last_words(text: str, r: Range, n: int) -> Range:
    words = list(WORD.finditer(text, r[0], r[1]))
    return (words[-n].start(), r[1]) if len(words) > n else r


def _inside(a: Range, b: Range) -> bool:
    return b[0] <= a[0] and a[1] <= b[1]
