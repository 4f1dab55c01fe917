"""Speaker and content span repairs from word classes: a quoted name that speaks, where a
direct quote starts, and the subject inside a span that an adverbial opens or an addressee ends
("Після зустрічі з лікарями міністр", "очільник міста журналістам")."""

from __future__ import annotations

from wiretrace.stages.quotes.lexicon import WORD, Lexicon, Range, strip_range
from wiretrace.stages.quotes.morph import case_readings

OPEN_MARKS = "«“„‚‹‘\"'"


def subject_phrase(
    text: str, folded: str, s: int, e: int, lex: Lexicon, lead: bool
) -> tuple[int, int]:
    """The subject noun phrase inside ``[s, e)`` for languages with a case analyser.

    Before the cue (``lead`` False), a span opened by a preposition ("Після зустрічі з лікарями
    міністр") holds an adverbial first: the subject is what follows the last preposition, from
    its first word that can be nominative or is capitalised. After an inverted cue (``lead``), a
    lower-case word before any preposition that can be neither nominative nor genitive
    ("журналістам", "агентству") is an addressee: the subject ends before it.
    """
    words = list(WORD.finditer(text, s, e))
    if len(words) < 2:
        return s, e
    reads = [case_readings(m.group(), lex.lang) for m in words]
    if reads[0] is None:
        return s, e  # no analyser for the language
    if not lead and "PREP" in reads[0]:
        last = max(k for k, r in enumerate(reads) if r and "PREP" in r)
        for k in range(last + 1, len(words)):
            r = reads[k] or set()
            if "nomn" in r or words[k].group()[:1].isupper():
                return words[k].start(), e
        return s, e
    if lead:
        for k in range(1, len(words)):
            r = reads[k] or set()
            w = words[k].group()
            if "PREP" in r:
                break  # "джерело в уряді": a prepositional phrase belongs to the subject
            if w[:1].islower() and r and not r & {"nomn", "gent", "CONJ"}:
                return s, words[k - 1].end()
    return s, e


def dative_addressee(text: str, folded: str, s: int, e: int, lex: Lexicon) -> int:
    """ "sagte Franziska Brantner der „Süddeutschen Zeitung“", "dem Sender": where every noun is
    capitalised, an article after a two-word name that opens an outlet's name or a quoted title
    introduces the addressee; the subject ends before it."""
    if not lex.capitalised_nouns:
        return e
    words = list(WORD.finditer(folded, s, e))
    for k in range(2, len(words)):
        if words[k].group() not in lex.definite:
            continue
        if not (text[words[k - 1].start()].isupper() and text[words[k - 2].start()].isupper()):
            continue
        rest = text[words[k].end() : e].lstrip()
        outlet = any(w.group().startswith(lex.outlets) for w in words[k + 1 :])
        if rest[:1] in OPEN_MARKS or outlet:
            return words[k - 1].end()
    return e


def quoted_name(
    text: str, folded: str, cue: Range, segs: list[Range], lex: Lexicon
) -> Range | None:
    """ "« La vérité européenne » a raconté": a short quoted name just before the cue speaks."""
    for a, b in segs:
        gap = WORD.findall(folded, b, cue[0])
        if not 0 <= cue[0] - b <= 12 or not all(w in lex.function_words for w in gap):
            continue
        inner = strip_range(text, (a, b), " \t\n" + OPEN_MARKS + "»”’›")
        size = len(WORD.findall(text, inner[0], inner[1])) if inner else 0
        if inner is not None and 1 <= size <= 5 and text[inner[0]].isupper():
            return inner
    return None


def direct_start(text: str, folded: str, content: Range, segs: list[Range], lex: Lexicon) -> Range:
    """What was said starts after the complementiser ("a dit que …", "said that …"), which
    belongs to the reporting clause; a direct quote starts at its quotation mark."""
    first = WORD.match(folded, content[0])
    if first is None or first.group() not in lex.that:
        return content
    nxt = _skip_ws(text, first.end(), content[1])
    seg = next((sg for sg in segs if sg[0] == nxt), None)
    if seg is not None and seg[1] >= content[1] - 2:
        return (seg[0], max(seg[1], content[1]))
    if nxt < content[1] and (text[nxt].isalnum() or text[nxt] in "«“„\"'‘‹"):
        return (nxt, content[1])
    return content


def _skip_ws(text: str, i: int, end: int) -> int:
    while i < end and text[i] in " \t\u00a0":
        i += 1
    return i
