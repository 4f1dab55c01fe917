"""Gender and number of a speaker phrase or pronoun, so a pronoun only takes a compatible antecedent.

Features are a small set of letters: "m", "f", "n" (gender) and "s", "p" (number); an empty set
means unknown and agrees with anything. Deep languages read spaCy's morphology of the parse;
Russian and Ukrainian read pymorphy3 (nominative readings, names and surnames first); other
languages know only their pronouns, from ``pronoun_features`` in ``lang/<code>/quotes.toml``.
"""

from __future__ import annotations

from typing import Any

from wiretrace.nlp import (
    MORPH_LANGS,
    NAME_GRAMMEMES,
    depth_for,
    morph_analyser,
    name_gender,
    parse,
)
from wiretrace.stages.quotes.lexicon import WORD, Lexicon, Range, lfold

_GENDER = {"Masc": "m", "Fem": "f", "Neut": "n", "masc": "m", "femn": "f", "neut": "n"}
_NUMBER = {"Sing": "s", "Plur": "p", "sing": "s", "plur": "p"}


def compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """Do two feature sets agree (each dimension unknown on one side, or shared)?"""
    for dim in ("mfn", "sp"):
        x, y = {c for c in a if c in dim}, {c for c in b if c in dim}
        if x and y and not x & y:
            return False
    return True


def pronoun_features(text: str, span: Range, lex: Lexicon) -> frozenset[str]:
    """Gender and number of the pronoun at ``span`` (morphology first, the lexicon as fallback)."""
    word = lfold(text[span[0] : span[1]]).lstrip("-").removeprefix("t-")
    if lex.lang in MORPH_LANGS:
        for p in morph_analyser(lex.lang).parse(word):
            if p.tag.POS == "NPRO":
                return _pymorphy_feats(p.tag)
    elif depth_for(lex.lang) == "deep":
        feats = _spacy_feats(text, span, lex.lang, head_only=True)
        if feats:
            return feats
    table = lex.pronoun_table
    return frozenset(table.get(word, "") or table.get(lfold(word), ""))


def phrase_features(text: str, span: Range, lex: Lexicon, person: bool) -> frozenset[str]:
    """Gender and number of a speaker phrase or a name ("Christine Lagarde", "дипломатичні джерела")."""
    if lex.lang in MORPH_LANGS:
        return _phrase_pymorphy(text[span[0] : span[1]], person)
    if depth_for(lex.lang) == "deep":
        return _spacy_feats(text, span, lex.lang, head_only=False) | (
            frozenset("s") if person else frozenset()
        )
    return frozenset("s") if person else frozenset()


def role_features(text: str, span: Range, lex: Lexicon) -> frozenset[str]:
    """Gender and number of a role noun phrase: its article where it has one ("die Ministerin",
    "la jueza"), else the morphology of its head."""
    words = WORD.findall(text, span[0], span[1])
    table = lex.determiner_table
    if words and lfold(words[0]) in table:
        return frozenset(table[lfold(words[0])])
    return phrase_features(text, span, lex, False)


def verb_features(verb: str, lex: Lexicon) -> frozenset[str]:
    """Gender and number a reporting verb form shows of its subject ("додала": f s; "заявили":
    p; "añadió": s; "dijeron": p), from pymorphy3 or the lexicon's plural endings."""
    words = WORD.findall(verb)
    if not words:
        return frozenset()
    if lex.lang in MORPH_LANGS:
        for p in morph_analyser(lex.lang).parse(words[0].lower()):
            if p.tag.POS == "VERB":
                return _pymorphy_feats(p.tag)
        return frozenset()
    w = lfold(words[0])
    return frozenset("p") if any(w.endswith(e) for e in lex.plural_verb_endings) else frozenset()


def case_readings(word: str, lang: str) -> set[str] | None:
    """The cases and parts of speech a word form may have ("лікарями": ablt, NOUN), or None when
    the language has no analyser here."""
    if lang not in MORPH_LANGS:
        return None
    out: set[str] = set()
    for p in morph_analyser(lang).parse(word.lower()):
        out.add(str(p.tag.POS))
        if p.tag.case:
            out.add(str(p.tag.case))
    return out


def common_noun(word: str, lang: str) -> bool:
    """Is a capitalised word a common noun (a sentence opening "Глава"), not a name? Without
    an analyser for the language, no."""
    if lang not in MORPH_LANGS:
        return False
    tags = [p.tag for p in morph_analyser(lang).parse(word.lower())]
    return bool(tags) and tags[0].POS == "NOUN" and not NAME_GRAMMEMES & set(tags[0].grammemes)


def has_verb_form(words: list[str], lang: str) -> bool | None:
    """Is one of the words a verb form (pymorphy3), or None when the language has no analyser?"""
    if lang not in MORPH_LANGS:
        return None
    verbal = {"VERB", "INFN", "GRND", "PRTF", "PRTS"}
    morph = morph_analyser(lang)
    return any(morph.parse(w.lower())[0].tag.POS in verbal for w in words)


def lemma(word: str, lang: str) -> str:
    """A word's dictionary form (pymorphy3 for ru/uk), else its folded 5-letter stem."""
    if lang in MORPH_LANGS:
        return str(morph_analyser(lang).parse(word.lower())[0].normal_form)
    return lfold(word)[:5]


def _pymorphy_feats(tag: Any) -> frozenset[str]:
    out = set()
    if tag.gender in _GENDER:
        out.add(_GENDER[tag.gender])
    if tag.number in _NUMBER:
        out.add(_NUMBER[tag.number])
    elif tag.POS == "NPRO" and "plur" in tag:
        out.add("p")
    elif tag.POS == "NPRO" and tag.gender in _GENDER:
        out.add("s")  # a gendered personal pronoun ("він") is singular
    return frozenset(out)


def _phrase_pymorphy(raw: str, person: bool) -> frozenset[str]:
    """A name's gender from its first or family name; a common noun phrase from its head noun."""
    lang = "uk" if any(c in raw for c in "іїєґІЇЄҐ") else "ru"
    morph = morph_analyser(lang)
    words = WORD.findall(raw)
    gender = name_gender(words, lang)
    if gender:
        return frozenset({_GENDER[gender], "s"})
    if person:
        return frozenset("s")
    for w in words:
        nouns = [p for p in morph.parse(w) if p.tag.POS == "NOUN" and "nomn" in p.tag]
        if nouns:
            return _pymorphy_feats(nouns[0].tag)
    return frozenset()


def _spacy_feats(text: str, span: Range, lang: str, head_only: bool) -> frozenset[str]:
    """Number from the phrase head; gender from a first name, else the determiner, else the head.

    Epicene role nouns ("la ministre") get a default gender from the tagger, while a first name
    or an article agreeing with the person is reliable.
    """
    toks = parse(text, lang).tokens_from(span[0], span[1])
    if not toks:
        return frozenset()
    heads = [t for t in toks if not span[0] <= t.head.idx < span[1] or t.head.i == t.i]
    head = heads[0] if heads else toks[0]
    numbers = {_NUMBER[n] for n in head.morph.get("Number", []) if n in _NUMBER}
    # only the head and its own dependents: not "l'UE" inside "un représentant de l'UE"
    near = [head, *[t for t in toks if t.head.i == head.i and t.dep_ not in ("nmod", "prep")]]
    order = (
        [head]
        if head_only
        else [t for t in near if t.pos_ == "PROPN"] + [t for t in near if t.pos_ == "DET"] + [head]
    )
    genders: set[str] = set()
    for tok in order:
        genders = {_GENDER[g] for g in tok.morph.get("Gender", []) if g in _GENDER}
        if genders:
            break
    return frozenset((genders if len(genders) == 1 else set()) | numbers)
