"""Reporting cues found from word forms: the lexical finder, "according to", refusals, incises.

The lexical finder serves languages without a deep parse (cue word forms, complementisers and
clause punctuation); the dependency finder in :mod:`.deep` reuses its rules for single cues the
parse misses. Everything reads the per-language lexicon ``lang/<code>/quotes.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice, pairwise

from wiretrace.stages.quotes.lexicon import WORD as _WORD
from wiretrace.stages.quotes.lexicon import (
    Cand,
    Lexicon,
    Range,
    clause_after,
    find_phrase,
    name_particles,
    strip_range,
)

_INVERT_MARKS = ",—–:”»“\"'"
# A speaker is a noun phrase of a few dozen words at most: a cue looks no further than this
# many characters back (or, inverted, ahead) for it, so each cue of a sentence costs bounded
# work however long the sentence is (1,200 cues in one sentence took 3.4 s when each looked
# back to the sentence start: quadratic in its length).
REACH = 1000
_SPACE = re.compile(r"\s")


def according_candidates(
    text: str, folded: str, sent: Range, lex: Lexicon, segs: Sequence[Range] = ()
) -> list[Cand]:
    """ "according to X", "selon X", "laut X": X is the speaker, the rest of the sentence the content."""
    out: list[Cand] = []
    s0, s1 = sent
    for phrase in lex.according:
        for i in find_phrase(folded, phrase, s0, s1):
            j = i + len(phrase)
            over = () if phrase in lex.according_clause else segs  # ("wie" ends at its verb)
            spk = strip_range(text, _clause_over_names(text, j, s1, over))
            if phrase in lex.according_after:  # "Der Behörde zufolge ist …": the source before
                spk = _phrase_before(text, s0, i)
            clause_end = j  # a "wie" clause's verb is no content: the content starts after it
            own = _pronoun_in(folded, i, j, lex)
            if own is not None:  # "по его словам", "за її словами": the pronoun is the source
                spk = own
            if phrase in lex.according_clause:
                end = re.search(r"[,;!?]|\.(?:\s|$)", text[j:s1])
                clause_end = j + end.start() if end else s1
                spk = _source_clause(text, s0, i, spk, clause_end)
            if spk is None:
                continue
            if own is None and phrase not in lex.according_after:
                spk = _according_speaker(text, folded, spk, s1, lex)
                spk = apposition(text, spk, s1)
            if len(_WORD.findall(text[spk[0] : spk[1]])) > 25:
                continue
            before = strip_range(text, (s0, i))
            after = strip_range(text, (max(spk[1], clause_end, j), s1), " \t\n,;:—–-.!?")
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
            if phrase in lex.according_after:
                content = after  # the source stands before "zufolge", what it says after
            if content is None:
                continue
            out.append(Cand((i, j), spk, content, sent, via_according=True))
    return out


def _pronoun_in(folded: str, i: int, j: int, lex: Lexicon) -> Range | None:
    """The third-person pronoun inside an "according" phrase, if it holds one."""
    table = lex.pronoun_table
    for m in _WORD.finditer(folded, i, j):
        if m.group() in table:
            return (m.start(), m.end())
    return None


def _phrase_before(text: str, s0: int, i: int) -> Range | None:
    """The phrase before a postposition, back to the clause mark before it."""
    lead = text[s0:i]
    cut = max(lead.rfind(ch) for ch in ",;:–—(")
    return strip_range(text, (s0 + cut + 1, i))


_APPOSED = re.compile(r"\s*,\s*((?:[^\W\d_][\w'’-]*\s+){0,4}[^\W\d_][\w'’-]*)\s*(?=[,;.!?]|$)")


def apposition(text: str, spk: Range, limit: int) -> Range:
    """ "dijo el presidente argentino, Javier Milei, en …", "según la ministra de Sanidad, Mónica
    García, …": a role phrase with no name of its own takes the name set beside it in commas
    (two to five words, the first and the last capitalised)."""
    if _CAP_RUN.search(text, spk[0], spk[1]):
        return spk
    m = _APPOSED.match(text, spk[1], limit)
    if m is None:
        return spk
    words = m.group(1).split()
    if len(words) < 2 or not words[0][:1].isupper() or not words[-1][:1].isupper():
        return spk
    return (spk[0], m.end(1))


_CAP_RUN = re.compile(r"\b[^\W\d_a-zà-ÿа-яіїєґ][\w'’-]*\s+[^\W\d_a-zà-ÿа-яіїєґ][\w'’-]*")


def _clause_over_names(text: str, pos: int, limit: int, segs: Sequence[Range]) -> Range:
    """The clause after ``pos``, read over short quoted names ("тренер «Спартака» Дмитрий
    Орлов", "видання «Економічна правда»"): only a quotation proper ends it."""
    r = clause_after(text, pos, limit)
    while r[1] < limit:
        seg = next((g for g in segs if g[0] == r[1] and not _words_over(text, *g, 3)), None)
        if seg is None:
            break
        r = (pos, clause_after(text, seg[1], limit)[1])
    return r


def _source_clause(
    text: str, s0: int, i: int, clause: Range | None, clause_end: int
) -> Range | None:
    """The source in a clause opened by "wie" ("wie die Polizei mitteilte"), or None.

    Such a clause is subordinate, so the comma rule sets it off (it opens the sentence or
    follows a comma or dash), and its verb ends it: in the languages that list these words
    nouns and names are capitalised, so the last word is then in lower case. A comparison ("so
    hoch wie nie seit Einführung des Euro") has neither. The source is the subject, without
    the verb ("wie die Zeitung „Le Matin“ unter Berufung auf … berichtete": the subject ends
    where ``clause``, the phrase after "wie", does).
    """
    lead = text[s0:i].rstrip()
    if clause is None or (lead and lead[-1] not in ',;:–—(«"“„'):
        return None
    whole = list(_WORD.finditer(text, clause[0], clause_end))
    if len(whole) < 2 or not whole[-1].group()[:1].islower():
        return None
    end = min(clause[1], whole[-1].start())
    return strip_range(text, (clause[0], end))


def _according_speaker(text: str, folded: str, spk: Range, limit: int, lex: Lexicon) -> Range:
    """Widen over a relative clause ("X, who asked not to be named,") or cut a run-on phrase."""
    nxt = _WORD.search(folded, spk[1], limit)
    if nxt and nxt.group() in lex.relatives and text[spk[1] : nxt.start()].strip() == ",":
        end = clause_after(text, nxt.end(), limit)[1]
        return (spk[0], end)
    words = list(_WORD.finditer(text, spk[0], spk[1]))
    if lex.capitalised_nouns and text[spk[1] : spk[1] + 1] != ",":
        # "Laut Brandt kostet das Programm …": the finite verb follows the source at once, the
        # first lower-case word after a capitalised one that no article or linking word is
        for prev, m in pairwise(words):
            w = m.group().lower()
            link = w in lex.connectors or w in lex.definite or w in lex.indefinite
            if prev.group()[:1].isupper() and m.group()[:1].islower() and not link:
                return (spk[0], prev.end())
    if len(words) > 8 and text[spk[1] : spk[1] + 1] != ",":
        # No comma after the source ("Laut einem Diplomaten fand …"): end at its first name/noun run.
        caps = [w for w in words if w.group()[0].isupper()]
        if caps:
            k = words.index(caps[0])
            while k + 1 < len(words) and words[k + 1].group()[0].isupper():
                k += 1
            return (spk[0], words[k].end())
        return (spk[0], words[3].end())
    return spk


def refusal_candidates(text: str, folded: str, sents: list[Range], lex: Lexicon) -> list[Cand]:
    """ "X declined to comment": a quote flagged as a refusal even when nothing else is said."""
    out: list[Cand] = []
    declined = [p for p in lex.declined if p in folded]  # (the others are in no sentence)
    for s0, s1 in sents:
        for phrase in declined:
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


def quote_before(text: str, cue: Range, segs: list[Range]) -> bool:
    """Does a quoted segment end just before the cue ('"…," said X')?"""
    return any(
        (0 <= cue[0] - b <= 12 and not _WORD.search(text[b : cue[0]].replace("a ", "")))
        or (0 <= cue[0] - b <= 12 and len(_WORD.findall(text[b : cue[0]])) <= 1)
        for _, b in segs
    )


def overlaps(a: Range, b: Range) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


# --- lexical finder (languages without a parser) ----------------------------------------------


def lexical_candidates(
    text: str, folded: str, sents: list[Range], segs: list[Range], lex: Lexicon
) -> list[Cand]:
    """Cue word forms with the speaker before them (or after, in an inverted clause)."""
    out: list[Cand] = []
    verbs = [v for v in lex.verbs if v in folded]  # (the others are in no sentence)
    for sent in sents:
        s0, s1 = sent
        found: list[Cand] = []
        for verb in verbs:
            for i in find_phrase(folded, verb, s0, s1):
                if any(a <= i < b for a, b in segs):
                    continue
                cand = lexical_one(text, folded, sent, (i, i + len(verb)), segs, lex, verb)
                if cand is not None:
                    found.append(cand)
        for i, stem in _split_verbs(folded, sent, lex):
            if not any(a <= i < b for a, b in segs):
                cand = lexical_one(text, folded, sent, (i, i + len(stem)), segs, lex, stem)
                if cand is not None:
                    found.append(cand)
        # In text order, never in the order of the verb set (string hashing varies between
        # processes): later steps keep the first of two cues that share a content.
        found.sort(key=lambda c: (c.cue[0], -c.cue[1]))
        out.extend(found)
        out.extend(according_candidates(text, folded, sent, lex, segs))
    return out


def _split_verbs(folded: str, sent: Range, lex: Lexicon) -> list[tuple[int, str]]:
    """ "fügte der Minister hinzu", "kündigte sie an": a separable verb whose particle stands at
    the end of its clause (the joined form "fügte hinzu" is an ordinary cue)."""
    out: list[tuple[int, str]] = []
    for phrase in lex.separable:
        stem, _, particle = phrase.partition(" ")
        for i in find_phrase(folded, stem, *sent):
            end = re.search(r"[,;:.!?«»„“”\"]|$", folded[i + len(stem) : sent[1]])
            stop = i + len(stem) + (end.start() if end else 0)
            words = _WORD.findall(folded, i + len(stem), stop)
            if len(words) >= 2 and words[-1] == particle:
                out.append((i, stem))
    return out


def lexical_one(
    text: str, folded: str, sent: Range, cue: Range, segs: list[Range], lex: Lexicon, verb: str
) -> Cand | None:
    s0, s1 = sent
    near = s0
    if cue[0] - REACH > s0:  # from a word start within reach
        gap = _SPACE.search(text, cue[0] - REACH, cue[0])
        near = gap.end() if gap else cue[0] - REACH
    # A short quoted name ("Співрозмовник "Європейської правди" в одній з делегацій") belongs to
    # the speaker phrase; only a quotation proper bounds it.
    floor = max([near] + [b for a, b in segs if near < b <= cue[0] and _words_over(text, a, b, 3)])
    before = text[floor : cue[0]].rstrip()
    inverted = not before or before[-1] in _INVERT_MARKS
    if not inverted:
        # "…", a déclaré X: a short auxiliary between the clause mark and the cue keeps it inverted.
        cut = max(before.rfind(m) for m in _INVERT_MARKS)
        # (not when the mark closes a quoted name: "« La vérité européenne » a raconté")
        name = any(b == floor + cut + 1 and len(_WORD.findall(text, a, b)) <= 3 for a, b in segs)
        # (nor when that word is a relative pronoun: "General Motors, que asegura …" is a
        # relative clause whose subject is before the comma, not an inverted one)
        between = [w.lower() for w in _WORD.findall(before[cut:])]
        relative = bool(between) and (between[0] in lex.relatives or between[0] in lex.that)
        if cut >= 0 and len(between) <= 1 and cut + floor > s0 and not name and not relative:
            inverted = True
    if inverted and len(_WORD.findall(before)) >= 2 and _opens_complement(folded, cue, s1, lex):
        # "El presidente del sindicato, Shawn Fain, dijo que …": an inverted reporting clause
        # follows what it reports and never opens a complement clause of its own, so the comma
        # before the cue closes an apposition and the subject stands before the cue.
        inverted = False
    if inverted and _apposition_before(before):
        # "La ministra de Trabajo, Julia Campos, defendió …": a name set off by commas right
        # before the cue is an apposition to its subject, not the end of reported words
        inverted = False
    punct_next = re.match(r"\s*[,:]", text[cue[1] : cue[1] + 3]) is not None
    if inverted and punct_next and not lex.pro_drop:
        # "Der Chef der Lufthansa, Carsten Spohr, sagte, das …": an inverted cue has its subject
        # after it; punctuation there means the subject came first
        inverted = False
    if verb in lex.inverted_only:
        clause = " " in verb and punct_next and not inverted  # "Aus Kreisen hieß es, …"
        if not clause and (not inverted or not _subject_follows(text, folded, cue, lex)):
            return None
    if inverted:
        limit = min(s1, cue[1] + REACH)
        spk = strip_range(text, _clause_over_names(text, cue[1], limit, segs))
        spk = _drop_particle(folded, spk, lex)
        if spk is not None:
            spk = apposition(text, spk, limit)
            first = _WORD.match(folded, spk[0])
            # ("él" folds to the article "el": the accent tells the pronoun)
            accent = (
                first is not None and text[first.start() : first.end()].lower() != first.group()
            )
            pron = first is not None and first.group() in lex.pronouns
            if first and pron and (first.group() not in lex.definite or accent):
                spk = (spk[0], first.end())
        head = strip_range(text, (s0, cue[0]))
        return Cand(cue, spk, head, sent, inverted=True)
    spk = strip_range(text, (floor, cue[0]))
    rest = strip_range(text, (cue[1], s1), " \t\n,;:.!?")
    if rest is None:
        return Cand(cue, spk, None, sent)
    # Skip a short addressee ("сказав журналістам, що") to reach the complementiser.
    for m in islice(_WORD.finditer(folded, rest[0], rest[1]), 6):
        if m.group() in lex.that:
            return Cand(cue, spk, (m.start(), rest[1]), sent)
        if m.group() in lex.verbs:
            break  # "яка заявляє про збитки, повідомила, що": the later verb reports the clause
    nxt = text[cue[1] : rest[0]]
    if ":" in nxt or "," in nxt or any(a == rest[0] for a, _ in segs):
        return Cand(cue, spk, rest, sent)
    return Cand(cue, spk, None, sent)


_NAME_SET_OFF = re.compile(r",\s*[^\W\d_][\w'’-]*(?:\s+(?:[^\W\d_][\w'’-]*)){1,3}\s*,$")


def _apposition_before(before: str) -> bool:
    """Does ``before`` end in ", Capitalised Name," after a phrase of its own?"""
    m = _NAME_SET_OFF.search(before)
    if m is None or not before[: m.start()].strip():
        return False
    words = before[m.start() : m.end()].strip(" ,").split()
    return all(w[:1].isupper() or w in name_particles() for w in words)


def _drop_particle(folded: str, spk: Range | None, lex: Lexicon) -> Range | None:
    """ "fügte der Minister hinzu": a separable verb's particle ends the clause, not the subject."""
    if spk is None:
        return None
    words = list(_WORD.finditer(folded, spk[0], spk[1]))
    if len(words) >= 2 and words[-1].group() in lex.particles:
        return (spk[0], words[-2].end())
    return spk


def _subject_follows(text: str, folded: str, cue: Range, lex: Lexicon) -> bool:
    """ "…, so der Sprecher": a one-word inverted cue that is also an adverb ("so") reports speech
    only when its subject follows it at once (a name, a determiner or a pronoun); before an
    adjective or adverb it is a degree word ("so hoch wie nie seit Einführung des Euro")."""
    if " " in text[cue[0] : cue[1]].strip():
        return True  # "hieß es": a clause of its own, its source may follow in a phrase
    m = _WORD.match(folded, cue[1] + len(text[cue[1] :]) - len(text[cue[1] :].lstrip(" ")))
    if m is None:
        return True
    w = m.group()
    return (
        text[m.start()].isupper() or w in lex.definite or w in lex.indefinite or w in lex.pronouns
    )


def _opens_complement(folded: str, cue: Range, limit: int, lex: Lexicon) -> bool:
    """Does a complementiser ("que", "что", "dass") follow the cue within a few words?"""
    for m in islice(_WORD.finditer(folded, cue[1], limit), 6):
        gap = folded[cue[1] : m.start()]
        if gap.count(",") > 1 or any(ch in gap for ch in ".;:!?"):
            return False
        if m.group() in lex.that:
            return True
    return False


def _words_over(text: str, a: int, b: int, n: int) -> bool:
    """Whether ``text[a:b]`` holds more than ``n`` words (reading at most n + 1 of them)."""
    return sum(1 for _ in islice(_WORD.finditer(text, a, b), n + 1)) > n
