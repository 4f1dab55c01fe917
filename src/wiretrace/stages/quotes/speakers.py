"""Finding who reports what: reporting cues, their speakers and their content spans.

Two finders share one output type (:class:`Cand`): a dependency finder for languages with a deep
spaCy parse (the cue verb's clausal complement is the content, its subject the speaker) and a
lexical finder for the others (cue word forms, complementisers and clause punctuation). Both read
the per-language lexicon ``lang/<code>/quotes.toml``; nothing in the code names a language.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wiretrace.textutil import lang_data

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Range = tuple[int, int]

# Clause punctuation that ends a speaker phrase or separates an inverted reporting clause.
_CLAUSE_END = re.compile(r"[,;:.!?\n()\[\]«»“”„\"]")
_INVERT_MARKS = ",—–:”»“\"'"
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
# Dependency labels (English ClearNLP and Universal Dependencies) used by the deep finder.
_SUBJ = {"nsubj", "csubj", "nsubj:pass", "expl:subj"}
_AGENT = {"agent", "obl:agent"}
_CLAUSE = {"ccomp"}
_OBJ = {"dobj", "obj"}
_CLIMB = {"advcl", "xcomp", "conj", "dep", "parataxis", "ccomp", "pcomp", "prep", "pobj"}
_NOT_SPEAKER = {"relcl", "acl", "acl:relcl", "punct", "advcl", "cc", "conj", "parataxis"}


@dataclass(frozen=True)
class Lexicon:
    """One language's quotation lexicon, folded for matching."""

    lang: str
    verbs: frozenset[str]
    needs_content: frozenset[str]
    object_verbs: frozenset[str]
    inverted_only: frozenset[str]
    quote_only: frozenset[str]
    according: tuple[str, ...]
    that: frozenset[str]
    declined: tuple[str, ...]
    pronouns: frozenset[str]
    person_pronouns: frozenset[str]
    anaphors: tuple[str, ...]
    definite: frozenset[str]
    same: frozenset[str]
    anonymity: tuple[str, ...]
    anonymous_nouns: frozenset[str]
    indefinite: frozenset[str]
    spokesperson: tuple[str, ...]
    bodies: tuple[str, ...]
    outlets: tuple[str, ...]
    documents: tuple[str, ...]
    abbreviations: frozenset[str]
    connectors: frozenset[str]


def _words(data: dict[str, object], key: str) -> tuple[str, ...]:
    raw = data.get(key, [])
    return tuple(lfold(str(w)) for w in raw) if isinstance(raw, list) else ()


@functools.cache
def lexicon(lang: str | None) -> Lexicon:
    """The folded lexicon of ``lang`` (English when the language ships none)."""
    code = lang or "en"
    data = lang_data(code, "quotes") or lang_data("en", "quotes")
    cues = data.get("cues", {})
    spk = data.get("speakers", {})
    assert isinstance(cues, dict) and isinstance(spk, dict)
    return Lexicon(
        lang=code,
        verbs=frozenset(_words(cues, "verbs")),
        needs_content=frozenset(_words(cues, "needs_content")),
        object_verbs=frozenset(_words(cues, "object_verbs")),
        inverted_only=frozenset(_words(cues, "inverted_only")),
        quote_only=frozenset(_words(cues, "quote_only")),
        according=tuple(sorted(_words(cues, "according"), key=len, reverse=True)),
        that=frozenset(_words(cues, "that")),
        declined=_words(cues, "declined"),
        pronouns=frozenset(_words(spk, "pronouns")),
        person_pronouns=frozenset(_words(spk, "person_pronouns")),
        anaphors=_words(spk, "anaphors"),
        definite=frozenset(_words(spk, "definite")),
        same=frozenset(_words(spk, "same")),
        anonymity=_words(spk, "anonymity"),
        anonymous_nouns=frozenset(_words(spk, "anonymous_nouns")),
        indefinite=frozenset(_words(spk, "indefinite")),
        spokesperson=_words(spk, "spokesperson"),
        bodies=_words(spk, "bodies"),
        outlets=_words(spk, "outlets"),
        documents=_words(spk, "documents"),
        abbreviations=frozenset(w.rstrip(".") for w in _words(data, "abbreviations")),
        connectors=frozenset(_words(spk, "connectors")),
    )


def _fold_char(c: str) -> str:
    base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    low = (base or c).lower()
    return low[0] if low else c


def lfold(text: str) -> str:
    """Lexicon folding: the same per-character folding as the text, blanks collapsed."""
    return " ".join(fold_same_length(text).split())


def fold_same_length(text: str) -> str:
    """Fold case, accents and apostrophes character by character, so offsets stay valid."""
    return "".join("'" if c in "’ʼ‘`´" else _fold_char(c) for c in text)


def find_phrase(folded: str, phrase: str, start: int = 0, end: int | None = None) -> list[int]:
    """Start offsets of ``phrase`` in ``folded`` on word boundaries."""
    stop = len(folded) if end is None else end
    out: list[int] = []
    i = folded.find(phrase, start, stop)
    while i >= 0:
        before = folded[i - 1] if i > 0 else " "
        j = i + len(phrase)
        after = folded[j] if j < len(folded) else " "
        ok_before = not before.isalnum() or not phrase[:1].isalnum()
        ok_after = not after.isalnum() or not phrase[-1:].isalnum()
        if ok_before and ok_after and j <= stop:
            out.append(i)
        i = folded.find(phrase, i + 1, stop)
    return out


@dataclass
class Cand:
    """A reporting event found in the text: cue, speaker and (maybe not yet) content."""

    cue: Range
    speaker: Range | None
    content: Range | None
    sent: Range
    via_according: bool = False
    inverted: bool = False
    segs: list[Range] = field(default_factory=list)


def strip_range(text: str, r: Range, chars: str = " \t\n,;:—–-") -> Range | None:
    """``r`` without surrounding blanks and clause punctuation, or None when nothing is left."""
    s, e = r
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return (s, e) if e > s else None


def clause_after(text: str, pos: int, limit: int) -> Range:
    """From ``pos`` to the next clause punctuation (bounded by ``limit``)."""
    m = _CLAUSE_END.search(text, pos, limit)
    return (pos, m.start() if m else limit)


def according_candidates(text: str, folded: str, sent: Range, lex: Lexicon) -> list[Cand]:
    """ "according to X", "selon X", "laut X": X is the speaker, the rest of the sentence the content."""
    out: list[Cand] = []
    s0, s1 = sent
    for phrase in lex.according:
        for i in find_phrase(folded, phrase, s0, s1):
            j = i + len(phrase)
            spk = strip_range(text, clause_after(text, j, s1))
            if spk is None:
                continue
            spk = _according_speaker(text, folded, spk, s1, lex)
            if len(_WORD.findall(text[spk[0] : spk[1]])) > 25:
                continue
            before = strip_range(text, (s0, i))
            after = strip_range(text, (spk[1], s1), " \t\n,;:—–-.!?")
            size_b = before[1] - before[0] if before else 0
            size_a = after[1] - after[0] if after else 0
            # "X, according to Y" reports X; "According to Y, X" and "Depuis, selon Y, X" report X.
            comma_before = text[s0:i].rstrip().endswith(",")
            content: Range | None
            if (
                comma_before
                and before is not None
                and len(_WORD.findall(text, before[0], before[1])) >= 4
            ):
                content = before
            else:
                content = after if size_a > size_b else before
            if content is None:
                continue
            out.append(Cand((i, j), spk, content, sent, via_according=True))
    return out


def _according_speaker(text: str, folded: str, spk: Range, limit: int, lex: Lexicon) -> Range:
    """Widen over a relative clause ("X, who asked not to be named,") or cut a run-on phrase."""
    nxt = _WORD.search(folded, spk[1], limit)
    if nxt and nxt.group() in lex.pronouns and text[spk[1] : nxt.start()].strip() == ",":
        end = clause_after(text, nxt.end(), limit)[1]
        return (spk[0], end)
    words = list(_WORD.finditer(text, spk[0], spk[1]))
    if len(words) > 8:
        # No comma after the source ("Laut einem Diplomaten fand …"): end at its first name/noun run.
        caps = [w for w in words if w.group()[0].isupper()]
        if caps:
            k = words.index(caps[0])
            while k + 1 < len(words) and words[k + 1].group()[0].isupper():
                k += 1
            return (spk[0], words[k].end())
        return (spk[0], words[3].end())
    return spk


# --- deep (dependency) finder ---------------------------------------------------------------


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


def _box(sents: list[Range], pos: int) -> Range:
    return next((s for s in sents if s[0] <= pos < s[1]), (pos, pos + 1))


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
    for srange in sents:
        out.extend(according_candidates(text, folded, srange, lex))
    starts = {a for a, _ in segs}
    for tok in doc:
        if tok.text == ":" and any(tok.idx < a <= tok.idx + 3 for a in starts):
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
                out.append(Cand((tok.idx, tok.idx + 1), speaker, None, _box(sents, tok.idx)))
    ends = [b for _, b in segs]
    for tok in doc:
        inside = [sg for sg in segs if sg[0] <= tok.idx < sg[1]]
        if inside and not incise(text, (tok.idx, tok.idx + len(tok.text)), inside[0]):
            continue
        lemma = lfold(tok.lemma_)
        cue = (tok.idx, tok.idx + len(tok.text))
        srange = _box(sents, tok.idx)
        if tok.text[:1].isupper() and tok.i > 0 and _headline(text, srange):
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
        if tok.pos_ not in ("VERB", "AUX"):
            # '"…," Conway notes.': a cue the tagger took for a noun, right after a quote.
            if any(0 <= tok.idx - b <= 30 for b in ends) and tok.i + 1 < len(doc):
                alt = _lexical_one(text, folded, srange, cue, segs, lex, lemma)
                if alt is not None and alt.speaker is not None and alt.content is None:
                    out.append(alt)
            continue
        para = paragraph(text, tok.idx)
        if lemma in lex.quote_only and not _quote_before(text, cue, segs):
            continue
        content = _clamp(_content_of(tok, lemma, lex), para)
        if content is not None:
            content = strip_range(text, content)
        speaker = _clamp(_speaker_of(tok), para)
        if speaker is not None:
            speaker = strip_range(text, speaker)  # "a-t-il dit": the pronoun is "-il"
        if content is not None and speaker is not None and _inside(speaker, content):
            speaker = None
        if speaker is not None and not inside and any(_overlaps(speaker, sg) for sg in segs):
            speaker = None  # '"Meh," wrote a supporter': the quote is not its own speaker
        if content is None or speaker is None:
            # The parser missed the complement or the subject: fall back on the lexical rules.
            alt = _lexical_one(text, folded, srange, cue, segs, lex, lemma)
            if alt is not None and alt.inverted and not _quote_before(text, cue, segs):
                alt = None
            if alt is not None:
                content = content or alt.content
                passive = any(c.dep_ in ("auxpass", "aux:pass") for c in tok.children)
                if speaker is None and alt.speaker is not None and not passive:
                    # (a passive "was asked" names no speaker unless an agent "by X" does)
                    speaker = _last_words(text, alt.speaker, 12)
        if content is None and lemma in lex.needs_content and not _quote_before(text, cue, segs):
            continue
        if inside:
            content = None  # an incise reports its own quote, nothing inside it
        out.append(Cand(cue, speaker, content, srange))
    return out


def refusal_candidates(text: str, folded: str, sents: list[Range], lex: Lexicon) -> list[Cand]:
    """ "X declined to comment": a quote flagged as a refusal even when nothing else is said."""
    out: list[Cand] = []
    for s0, s1 in sents:
        for phrase in lex.declined:
            for i in find_phrase(folded, phrase, s0, s1):
                spk = strip_range(text, (s0, i))
                content = strip_range(text, (i, s1), " \t\n,;:.!?")
                if content is not None:
                    out.append(Cand((i, i + len(phrase)), spk, content, (s0, s1)))
    return out


def incise(text: str, cue: Range, seg: Range) -> bool:
    """« C'est une erreur, a-t-elle dit. Nous … »: a short reporting clause set inside the quote."""
    lead = text[seg[0] : cue[0]]
    cut = lead.rfind(",")
    if cut < 0 or len(_WORD.findall(lead[cut:])) > 2 or re.search(r"[.!?…]", lead[:cut]):
        return False  # only right after the opening clause of the quote
    m = re.search(r"[,.;!?…]", text[cue[1] : seg[1]])
    if m is None:
        return False
    tail = text[cue[1] : cue[1] + m.start()].strip()
    # Nothing after the verb, its inverted subject ("said Smith"), or "-il" ("dit-il").
    return not tail or tail[0] == "-" or (tail[0].isupper() and len(_WORD.findall(tail)) <= 2)


def _quote_before(text: str, cue: Range, segs: list[Range]) -> bool:
    """Does a quoted segment end just before the cue ('"…," said X')?"""
    return any(
        (0 <= cue[0] - b <= 12 and not _WORD.search(text[b : cue[0]].replace("a ", "")))
        or (0 <= cue[0] - b <= 12 and len(_WORD.findall(text[b : cue[0]])) <= 1)
        for _, b in segs
    )


def _headline(text: str, sent: Range) -> bool:
    """A title-case line: most words capitalised."""
    words = _WORD.findall(text, sent[0], sent[1])
    caps = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 4 and caps >= 0.75 * len(words)


def _last_words(text: str, r: Range, n: int) -> Range:
    words = list(_WORD.finditer(text, r[0], r[1]))
    return (words[-n].start(), r[1]) if len(words) > n else r


def _overlaps(a: Range, b: Range) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def _inside(a: Range, b: Range) -> bool:
    return b[0] <= a[0] and a[1] <= b[1]


# --- lexical finder (languages without a parser) ----------------------------------------------


def lexical_candidates(
    text: str, folded: str, sents: list[Range], segs: list[Range], lex: Lexicon
) -> list[Cand]:
    """Cue word forms with the speaker before them (or after, in an inverted clause)."""
    out: list[Cand] = []
    for sent in sents:
        s0, s1 = sent
        for verb in lex.verbs:
            for i in find_phrase(folded, verb, s0, s1):
                if any(a <= i < b for a, b in segs):
                    continue
                cand = _lexical_one(text, folded, sent, (i, i + len(verb)), segs, lex, verb)
                if cand is not None:
                    out.append(cand)
        out.extend(according_candidates(text, folded, sent, lex))
    return out


def _lexical_one(
    text: str, folded: str, sent: Range, cue: Range, segs: list[Range], lex: Lexicon, verb: str
) -> Cand | None:
    s0, s1 = sent
    floor = max([s0] + [b for a, b in segs if b <= cue[0]])
    before = text[floor : cue[0]].rstrip()
    inverted = not before or before[-1] in _INVERT_MARKS
    if not inverted:
        # "…", a déclaré X: a short auxiliary between the clause mark and the cue keeps it inverted.
        cut = max(before.rfind(m) for m in _INVERT_MARKS)
        if cut >= 0 and len(_WORD.findall(before[cut:])) <= 1 and cut + floor > s0:
            inverted = True
    if verb in lex.inverted_only and not inverted:
        return None
    if inverted:
        spk = strip_range(text, clause_after(text, cue[1], s1))
        if spk is not None:
            first = _WORD.match(folded, spk[0])
            if first and first.group() in lex.pronouns and first.group() not in lex.definite:
                spk = (spk[0], first.end())
        head = strip_range(text, (s0, cue[0]))
        return Cand(cue, spk, head, sent, inverted=True)
    spk = strip_range(text, (floor, cue[0]))
    rest = strip_range(text, (cue[1], s1), " \t\n,;:.!?")
    if rest is None:
        return Cand(cue, spk, None, sent)
    # Skip a short addressee ("сказав журналістам, що") to reach the complementiser.
    words = list(_WORD.finditer(folded, rest[0], rest[1]))
    for m in words[:6]:
        if m.group() in lex.that:
            return Cand(cue, spk, (m.start(), rest[1]), sent)
    nxt = text[cue[1] : rest[0]]
    if ":" in nxt or "," in nxt or any(a == rest[0] for a, _ in segs):
        return Cand(cue, spk, rest, sent)
    return Cand(cue, spk, None, sent)
