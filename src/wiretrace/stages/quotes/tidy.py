"""Speaker and content spans made well-formed: a speaker is a noun phrase, a direct quote starts
at its quotation mark.

The finders cut spans by clause punctuation and word order, which leaves classes of debris that
grammar rules out: a relative clause after the speaker ("Politico, which first reported"), an
adverbial or addressee before or after it ("dijo este domingo el ministro", "señaló a esta agencia
Lucía Ferrer", "у коментарі Politico"), a speaker that is only a function word (the auxiliary
"a" of "a raconté"), and the "reported" words of an anonymity clause ("who asked not to be
named") taken for a quote. Word classes come from the language lexicon and spaCy's stop words.
"""

from __future__ import annotations

import re

from wiretrace.model import Article
from wiretrace.nlp import depth_for, parse
from wiretrace.stages.facts.datewords import date_spans
from wiretrace.stages.quotes.lexicon import (
    WORD,
    Cand,
    Lexicon,
    Range,
    find_phrase,
    lfold,
    strip_range,
)
from wiretrace.stages.quotes.morph import has_verb_form
from wiretrace.stages.quotes.spans import OPEN_MARKS as _OPEN_MARKS
from wiretrace.stages.quotes.spans import (
    dative_addressee,
    direct_start,
    quoted_name,
    subject_phrase,
)

_MAX_ANON_CONTENT = 10  # words: an anonymity clause reports a condition, not a statement


def tidy(
    article: Article, folded: str, cands: list[Cand], segs: list[Range], lex: Lexicon
) -> list[Cand]:
    """Drop anonymity clauses taken for quotes; clean every speaker span and direct content."""
    text = article.body
    persons = [(m.start, m.end) for e in article.entities if e.type == "person" for m in e.mentions]
    out: list[Cand] = []
    for c in cands:
        if _anonymity_clause(text, folded, c, lex):
            continue
        rel = _relative(text, folded, c.speaker, lex) if c.speaker is not None else None
        if rel is not None:
            # "Politico, which first reported": the relative pronoun is the speaker as written
            # (its clause's subject), and the phrase it stands for is who spoke.
            c.speaker, ante = rel
            c.antecedent = speaker_span(text, folded, ante, lex, persons, False) if ante else None
        elif c.speaker is not None:
            lead = c.speaker[0] >= c.cue[1] or c.via_according
            c.speaker = speaker_span(text, folded, c.speaker, lex, persons, lead)
            if c.speaker is not None and c.via_according:
                c.speaker = _cut_according(text, folded, c.speaker, lex)
        if c.speaker is None or _function_only(text, folded, c.speaker, lex):
            # (a quoted name speaks, never the quote's own words: "«Nadie perderá…», añadió")
            own = c.content or (0, 0)
            names = [g for g in segs if not (own[0] <= g[0] and g[1] <= own[1])]
            c.speaker = quoted_name(text, folded, c.cue, names, lex)
        if c.content is not None:
            c.content = direct_start(text, folded, c.content, segs, lex)
        out.append(c)
    return out


def _anonymity_clause(text: str, folded: str, c: Cand, lex: Lexicon) -> bool:
    """ "…, who asked not to be named": the cue reports the source's condition, not a quote."""
    if c.content is None or c.via_according:
        return False
    lo, hi = min(c.cue[0], c.content[0]), max(c.cue[1], c.content[1])
    if len(WORD.findall(text, c.content[0], c.content[1])) > _MAX_ANON_CONTENT:
        return False
    for phrase in lex.anonymity:
        if " " not in phrase:
            continue
        for i in find_phrase(folded, phrase, lo, hi):
            if c.content[0] <= i + len(phrase) and i < c.content[1]:
                return True
    return False


def speaker_span(
    text: str, folded: str, spk: Range, lex: Lexicon, persons: list[Range], lead: bool = True
) -> Range | None:
    """The noun phrase naming the speaker inside a raw speaker span, or None.

    ``lead``: the span follows its cue (an inverted clause, "according to X"), where adverbials
    and addressees may stand before the subject; before the cue a leading word is a determiner.
    """
    s, e = spk
    e = _cut_at_clause(folded, s, e, lex)
    stripped_prep = False
    basic = depth_for(lex.lang) != "deep"
    if lead:
        s, stripped_prep = _strip_lead(text, folded, s, e, lex)
        e = _cut_adverbial(text, folded, s, e, lex) if basic else e
    else:
        s = _strip_openers(text, folded, s, e, lex)
        s = _pronoun_subject(text, folded, s, e, lex) if basic else s
    s, e = subject_phrase(text, folded, s, e, lex, lead) if basic else (s, e)
    e = dative_addressee(text, folded, s, e, lex) if lead else e
    e = _strip_trail(text, folded, s, e, lex)
    if stripped_prep:
        # "señaló a esta agencia Lucía Ferrer": the addressee goes before the inverted subject.
        inside = [p for p in persons if s <= p[0] and p[1] <= e]
        if inside:
            s = _title_start(text, folded, s, inside[-1][0], lex)
        else:
            # "señaló a AM Andrés Villalba": an acronym addressee (agencies go by their
            # initials), then the capitalised name of the speaker
            w = list(WORD.finditer(text, s, e))
            if len(w) >= 3 and w[0].group().isupper() and w[1].group().istitle():
                s = w[1].start()
    e = _cut_addressee(text, folded, s, e, lex)
    span = strip_range(text, (s, e), " \t\n,;:—–-.!?()")
    if span is not None and text[span[0]] in _OPEN_MARKS:
        # a quoted name as the whole speaker: the name without its marks
        inner = strip_range(text, span, " \t\n" + _OPEN_MARKS + "»”’›")
        if inner is not None and e - inner[1] <= 2:
            span = inner
    return span


def _relative(
    text: str, folded: str, spk: Range, lex: Lexicon
) -> tuple[Range, Range | None] | None:
    """(speaker, antecedent) when the speaker span runs into ", who/which …".

    ", which Mr. Clarke said": the relative clause has its own subject, which is the speaker;
    "Politico, which said": the relative pronoun is, standing for the phrase before it.
    """
    s, e = spk
    words = list(WORD.finditer(folded, s, e))
    for k, m in enumerate(words):
        w = m.group()
        if w not in lex.relatives or w in lex.definite:
            continue
        if k > 0 and text[words[k - 1].end() : m.start()].strip() != ",":
            continue  # a restrictive relative ("voters who") stays part of its phrase
        after = words[k + 1 :]
        if after:
            tail = (after[0].start(), after[-1].end())
            if _has_verb(text, tail, lex):
                # "Politico, which first reported the talks": a complete relative clause
                # describes the speaker, who is the phrase before it
                return (s, words[k - 1].end()) if k > 0 else spk, None
            if len(after) <= 6:
                return tail, None  # ", which Mr. Clarke": the relative clause's own subject
            continue
        if k > 0:
            return (m.start(), m.end()), (s, words[k - 1].end())
        return (m.start(), m.end()), _left_phrase(text, s)
    return None


def _has_verb(text: str, r: Range, lex: Lexicon) -> bool:
    """Does the stretch hold a verb (the parse's, or a cue form of the lexicon)?"""
    if depth_for(lex.lang) == "deep":
        doc = parse(text, lex.lang).doc
        return any(t.pos_ in ("VERB", "AUX") for t in doc if r[0] <= t.idx < r[1])
    words = WORD.findall(text[r[0] : r[1]])
    if has_verb_form(words, lex.lang) is not None:
        return bool(has_verb_form(words, lex.lang))
    # without a tagger, assume a clause: the relative pronoun then speaks for its antecedent
    return True


def _left_phrase(text: str, pos: int) -> Range | None:
    """The phrase before ", which" when the span holds only the pronoun."""
    head = text[:pos].rstrip()
    if not head.endswith(","):
        return None
    end = len(head) - 1
    start = max(head.rfind(ch, 0, end) for ch in ",;:.!?\n(") + 1
    r = strip_range(text, (start, end))
    if r is None or len(WORD.findall(text, r[0], r[1])) > 8:
        return None
    return r


def _cut_at_clause(folded: str, s: int, e: int, lex: Lexicon) -> int:
    """A speaker never runs into a complement clause or a refusal ("… відмовився коментувати")."""
    words = list(WORD.finditer(folded, s, e))
    forms = lex.verbs if depth_for(lex.lang) != "deep" else frozenset()  # (lemmas when deep)
    for k, m in enumerate(words):
        w = m.group()
        if k == 0 or w in lex.definite:
            continue
        if (w in lex.that or w in lex.relatives) and k < len(words) - 1:
            return m.start()  # (a relative ending the span, "voters who", is kept)
        if w in forms:
            return m.start()  # "Гутерреш назвав …, але застеріг": a second verb ends the subject
    for phrase in lex.declined:
        hits = [i for i in find_phrase(folded, phrase, s, e) if i > s]
        if hits:
            e = min(e, hits[0])
    return e


def _strip_lead(text: str, folded: str, s: int, e: int, lex: Lexicon) -> tuple[int, bool]:
    """Skip leading dates ("este domingo") and prepositions; say whether a preposition went."""
    dates = [(a + s, b + s) for a, b, _ in date_spans(text[s:e], lex.lang)]
    prep = False
    while s < e:
        date = next((d for d in dates if d[0] <= s < d[1]), None)
        if date is not None:
            s = date[1]
            s = _skip_blank(text, s, e)
            continue
        m = WORD.match(folded, s)
        if m is None:
            s = _skip_blank(text, s + 1, e)
            continue
        w = m.group()
        outlet = any(_is_outlet(w, o) for o in lex.outlets)
        if outlet and not text[s].isupper() and WORD.search(folded, m.end(), e):
            prep = True  # "розповів виданню високопоставлений дипломат": the addressee first
            s = _skip_blank(text, m.end(), e)
            continue
        keep = w in lex.definite or w in lex.indefinite or w in lex.pronouns
        keep = keep or any(w == p for p, _ in lex.pronoun_features)  # "по его словам"
        if keep or w not in lex.function_words or text[s].isupper():
            break
        prep = prep or w not in lex.that
        s = _skip_blank(text, m.end(), e)
    return s, prep


def _cut_adverbial(text: str, folded: str, s: int, e: int, lex: Lexicon) -> int:
    """ "— сказал глава агентства после встречи с инженерами": after an inverted subject, a
    preposition followed only by lower-case words opens an adverbial (when, where, how), not
    a part of the name; linking words ("de", "del") and names after it keep the phrase."""
    words = list(WORD.finditer(folded, s, e))
    for k in range(2, len(words) - 1):
        w = words[k].group()
        if w not in lex.function_words or w in lex.connectors or w in lex.definite:
            continue
        if w in lex.pronouns or w in lex.relatives or w in lex.that:
            continue
        # (where every noun is capitalised, a capital after the preposition names no one)
        if lex.capitalised_nouns or all(not text[m.start()].isupper() for m in words[k + 1 :]):
            return words[k - 1].end()
    return e


def _pronoun_subject(text: str, folded: str, s: int, e: int, lex: Lexicon) -> int:
    """ "Позже он уточнил", "Він також додав": a personal pronoun is a whole subject; adverbs
    before it are not part of the speaker (a partitive "uno de ellos" stays whole)."""
    words = list(WORD.finditer(folded, s, e))
    if not 2 <= len(words) <= 3 or words[-1].group() not in lex.pronouns:
        return s
    if words[-1].group() in lex.relatives or words[-1].group() in lex.definite:
        return s
    names = [m for m in words[1:-1] if text[m.start()].isupper() or m.group() in lex.connectors]
    return s if names else words[-1].start()


def _strip_openers(text: str, folded: str, s: int, e: int, lex: Lexicon) -> int:
    """ "Wie diese Zeitung … erfuhr": a complementiser or "as" opening the clause is not the source."""
    openers = lex.that | lex.relatives | {a for a in lex.according if " " not in a}
    m = WORD.match(folded, s)
    if m is not None and m.group() in openers and m.end() < e and m.group() not in lex.definite:
        return _skip_blank(text, m.end(), e)
    return s


def _strip_trail(text: str, folded: str, s: int, e: int, lex: Lexicon) -> int:
    """A noun phrase never ends in an auxiliary or preposition ("« La vérité européenne » a")."""
    keep = lex.pronouns | lex.person_pronouns | lex.relatives | lex.that
    deep = depth_for(lex.lang) == "deep"
    parsed = parse(text, lex.lang) if deep else None
    while True:
        words = list(WORD.finditer(folded, s, e))
        last = words[-1] if len(words) >= 2 else None
        if last is None or last.group() not in lex.function_words or last.group() in keep:
            return e
        tok = parsed.token_at(last.start()) if parsed is not None else None
        if parsed is not None and (tok is None or tok.pos_ not in _FUNCTION_POS):
            return e  # "a third": a numeral or noun that happens to be a stop word
        if text[last.start()].isupper():
            return e  # "del Departamento de Estado": a capitalised word belongs to a name
        e = words[-2].end()
        while e < len(text) and text[e] in '»”’›"':
            e += 1


def _skip_blank(text: str, s: int, e: int) -> int:
    while s < e and not text[s].isalnum():
        s += 1
    return s


def _title_start(text: str, folded: str, s: int, name: int, lex: Lexicon) -> int:
    """Start of "la coordinadora Lucía Ferrer"-like title words right before a name, else the name."""
    words = list(WORD.finditer(folded, s, name))
    start = name
    for m in reversed(words):
        if m.group() in lex.function_words or text[m.start()].isupper():
            break
        if any(m.group().startswith(t) for t in lex.spokesperson + tuple(lex.anonymous_nouns)):
            start = m.start()
            continue
        break
    return start


def _cut_addressee(text: str, folded: str, s: int, e: int, lex: Lexicon) -> int:
    """ "Le représentant de l'UE dans un commentaire à Politico": end before the medium/outlet."""
    words = list(WORD.finditer(folded, s, e))
    # One backward pass: the first outlet word after k, and a capitalised content word before it
    outlet_at, blocked, cut = -1, False, e
    for k in range(len(words) - 1, 0, -1):
        m = words[k]
        w = m.group()
        if w in lex.function_words and w not in lex.definite and outlet_at >= 0 and not blocked:
            cut = m.start()  # the earliest such word wins, as the forward scan would find it
        if w.startswith(lex.outlets):
            outlet_at, blocked = k, False
        elif w not in lex.function_words and _capitalised(text, m):
            blocked = True
    return cut


def _cut_according(text: str, folded: str, spk: Range, lex: Lexicon) -> Range:
    """ "laut der armenischen Regierung haben mehr als …": the source ends before the verb.

    With no comma after the source, the first function word that follows a content word and
    cannot continue a noun phrase (not an article nor a linking preposition) starts the clause.
    """
    if re.match(r"\s*(?:[,;:!?)]|\.(?:\s|$)|$)", text[spk[1] :]):
        return spk  # the source phrase ends at clause punctuation: nothing ran on
    content_seen = False
    for m in WORD.finditer(folded, spk[0], spk[1]):
        w = m.group()
        if w not in lex.function_words:
            content_seen = True
            continue
        link = w in lex.connectors or w in lex.definite or w in lex.indefinite
        if content_seen and not link and w not in lex.pronouns:
            cut = strip_range(text, (spk[0], m.start()))
            return cut or spk
    return spk


def _capitalised(text: str, m: re.Match[str]) -> bool:
    """A capital in the word, after an elided article too ("l'UE")."""
    return any(ch.isupper() for ch in text[m.start() : m.end()])


def _is_outlet(word: str, outlet: str) -> bool:
    """The word names an outlet or an outlet noun, inflected ("газете", "виданню") or not."""
    return word == outlet or (len(outlet) >= 5 and word.startswith(outlet[:-1]))


_FUNCTION_POS = frozenset({"AUX", "ADP", "DET", "CCONJ", "SCONJ", "PART", "PUNCT", "SPACE"})


def _function_only(text: str, folded: str, spk: Range, lex: Lexicon) -> bool:
    """Only function words (the auxiliary "a" of "a raconté"), and no pronoun that can name a
    speaker (personal and relative pronouns stand for one)."""
    words = WORD.findall(folded, spk[0], spk[1])
    if not words or not lex.function_words:
        return not words
    if depth_for(lex.lang) == "deep":
        toks = parse(text, lex.lang).tokens_over(spk[0], spk[1])
        if any(lfold(t.text).lstrip("-t") in lex.pronouns for t in toks):
            return False  # "a-t-il": the tagger may not see the pronoun
        return bool(toks) and all(t.pos_ in _FUNCTION_POS for t in toks)
    keep = lex.person_pronouns | lex.pronouns | lex.indefinite | (lex.relatives - lex.definite)
    keep |= {w for w, _ in lex.pronoun_features}  # "по его словам": a possessive names one
    return all(w in lex.function_words and w not in keep for w in words)
