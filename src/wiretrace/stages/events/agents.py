"""Who can be an event participant, and whom a pronoun participant stands for.

An actor or recipient is an entity, a state, or a noun phrase for people, organisations,
countries, groups or their officials. A phrase headed by a common noun qualifies by what the
noun denotes: a person by office, trade or condition ("the minister", "protesters"), a body
("the government", "police"), a force or a group; a partitive head counts through its
complement ("thousands of protesters"). Abstract and inanimate heads ("the decision", "last
attempt", "the war", "a 40% pay rise", "two tremors") are no actors. The nouns are per-language
data (``lang/<code>/agents.toml``, lemmas); Russian and Ukrainian nouns are also read for
animacy by pymorphy3.

A third-person pronoun the sentence does not resolve ("He said he had signed ...") stands for
the nearest earlier name of its paragraph that agrees with it: a person for "he/she/il/elle",
in gender where both sides carry it; an organisation, state or a coordination for "they/ils".
A pronoun with no such antecedent stays unresolved and is no participant.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wiretrace.model import Article, Entity
from wiretrace.nlp import MORPH_LANGS, morph_analyser
from wiretrace.textutil import fold, lang_data

if TYPE_CHECKING:
    from spacy.tokens import Token

_PERSON_ENTS = frozenset({"PERSON", "PER"})
_GROUP_ENTS = frozenset({"ORG", "GPE", "NORP", "LOC"})
# Dependencies of a partitive head's complement: "thousands of protesters", "des centaines de
# manifestants" (the English parse hangs it on the preposition, the French one directly).
_OF_DEPS = frozenset({"prep", "nmod", "pobj"})


@dataclass(frozen=True)
class Agents:
    """One language's agentive nouns and partitive heads, folded."""

    nouns: frozenset[str]
    partitive: frozenset[str]
    endings: tuple[str, ...]


@functools.cache
def agents(lang: str) -> Agents | None:
    """The agent lexicon of ``lang``, or None when the language ships none (no check then)."""
    data = lang_data(lang, "agents")
    if not data:
        return None
    return Agents(
        nouns=frozenset(fold(str(w)) for w in data.get("nouns", [])),
        partitive=frozenset(fold(str(w)) for w in data.get("partitive", [])),
        endings=tuple(fold(str(w)) for w in data.get("endings", [])),
    )


@functools.cache
def _animate(word: str, lang: str) -> bool:
    """Whether pymorphy3 reads ``word`` as an animate noun (ru, uk)."""
    parses = morph_analyser(lang).parse(word.lower())
    nouns = [p for p in parses if p.tag.POS == "NOUN"]
    return bool(nouns) and "anim" in nouns[0].tag


def agentive(word: str, lemma: str, lang: str) -> bool:
    """Whether a common noun denotes someone who can act, in ``lang``."""
    lex = agents(lang)
    if lex is not None:
        base = fold(lemma)
        if base in lex.nouns or fold(word) in lex.nouns:
            return True
        if len(base) >= 7 and base.endswith(lex.endings):
            return True  # "fundamentalist", "nationaliste": endings that only make persons
    return lang in MORPH_LANGS and _animate(word, lang)


# Where a name sits inside a phrase about something: its owner ("President Reagan's policy
# statement"), its doer ("admission by Moscow", "war crimes by extremists") or a name that
# qualifies it ("U.N. helicopters", "the newspaper La Prensa").
_OWNER_DEPS = ("poss", "nmod:poss")
_NAME_DEPS = ("compound", "appos", "flat", "flat:name", "nmod")


def named_part(head: Token, article: Article, lang: str) -> Token | None:
    """The head of the name or agent inside a phrase whose own head cannot act, or None."""
    kids = list(head.children)
    owners = [c for c in kids if c.dep_ in _OWNER_DEPS and named(c, article)]
    doers = [
        o
        for c in kids
        if c.dep_ in {"prep", "agent"} and fold(c.lower_) in {"by", "par"}
        for o in c.children
        if o.dep_ == "pobj" and (named(o, article) or agentive(o.text, o.lemma_, lang))
    ]
    names = [c for c in kids if c.dep_ in _NAME_DEPS and c.pos_ == "PROPN" and named(c, article)]
    found = owners + doers + names
    return found[0] if found else None


def _own_entity(tok: Token, entities: tuple[Entity, ...]) -> Entity | None:
    a, b = tok.idx, tok.idx + len(tok.text)
    for ent in entities:
        if any(m.start < b and a < m.end for m in ent.mentions):
            return ent
    return None


def named(tok: Token, article: Article) -> bool:
    """A token that is a name: proper noun, a named-entity token or a mention of an entity."""
    return (
        tok.pos_ == "PROPN"
        or tok.ent_type_ in _PERSON_ENTS | _GROUP_ENTS
        or _own_entity(tok, article.entities) is not None
    )


def acting(
    head: Token, article: Article, lang: str, states: Callable[[Token], bool]
) -> Token | None:
    """``head`` when its phrase may be a participant; else the name or doer inside it
    ("President Reagan's policy statement" -> Reagan); None when no one there can act.

    ``states(tok)``: the token or its own modifiers name a state ("Russian", "the Kremlin").
    """
    if can_act(head, article, lang, states(head)):
        return head
    inner = named_part(head, article, lang)
    if inner is not None and can_act(inner, article, lang, states(inner)):
        return inner
    return None


def can_act(head: Token, article: Article, lang: str, state: bool) -> bool:
    """Whether the phrase headed by ``head`` may be an actor or recipient.

    ``state``: the head or its own modifiers name a state ("Russian", "the Kremlin"). Languages
    with no agent lexicon are not checked for agentive nouns.
    """
    if agents(lang) is None or state or named(head, article):
        return True
    if head.pos_ not in {"NOUN", "ADJ", "NUM", "PRON", "DET", "X"}:
        return True  # the caller keeps only noun-like heads; anything else is not judged here
    if agentive(head.text, head.lemma_, lang):
        return True
    lex = agents(lang)
    assert lex is not None
    if fold(head.lemma_) in lex.partitive or fold(head.text) in lex.partitive or head.pos_ == "NUM":
        for c in head.children:
            if c.dep_ not in _OF_DEPS:
                continue
            for obj in [c, *(g for g in c.children if g.dep_ == "pobj")]:
                if obj.pos_ in {"NOUN", "PROPN"} and (
                    named(obj, article) or agentive(obj.text, obj.lemma_, lang)
                ):
                    return True
    return False


# --- pronouns ---------------------------------------------------------------------------------


def _features(tok: Token) -> tuple[str, str]:
    """(gender, number) from the token's morphology: "Masc"/"Fem"/"Neut"/"" and "Sing"/"Plur"/""."""
    gender = next(iter(tok.morph.get("Gender", [])), "")
    number = next(iter(tok.morph.get("Number", [])), "")
    return gender, number


def _paragraph_start(tok: Token) -> int:
    """Index of the first token of ``tok``'s paragraph (after the last line break before it)."""
    doc = tok.doc
    i = tok.i
    while i > 0 and "\n" not in doc[i - 1].text_with_ws:
        i -= 1
    return i


def _name_head(tok: Token) -> Token:
    """The head of a name's tokens ("Nikol" -> "Pashinyan" in a flat or compound name)."""
    while tok.dep_ in {"compound", "flat", "flat:name"} and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _is_person(tok: Token, article: Article) -> bool:
    ent = _own_entity(tok, article.entities)
    if ent is not None:
        return ent.type == "person"
    return tok.ent_type_ in _PERSON_ENTS


def _agrees(pron: Token, cand: Token, article: Article, plural: bool) -> bool:
    """Whether a named candidate may be what the pronoun refers to."""
    gender, _ = _features(pron)
    c_gender, c_number = _features(cand)
    person = _is_person(cand, article)
    coordinated = any(c.dep_ == "conj" for c in cand.children) or cand.dep_ == "conj"
    if plural:
        # "they"/"ils": a coordination ("Armenia and Azerbaijan") or a body or state, never one
        # person.
        return coordinated or (not person and c_number != "Sing") or c_number == "Plur"
    if coordinated and cand.dep_ != "conj":
        return False
    if pron.lower_ in {"it", "its"}:
        return not person
    english_person = pron.lower_ in {"he", "she", "him", "her", "his"}
    if english_person and not person:
        return False
    if gender and c_gender and gender != c_gender:
        return False
    return c_number != "Plur"


@functools.cache
def _place_preps(lang: str) -> frozenset[str]:
    words = lang_data(lang, "events").get("words", {})
    return frozenset(fold(str(w)) for w in words.get("place_preps", []))


def _is_subject(tok: Token) -> bool:
    """A subject, or a name in apposition to one ("La présidente ..., Ursula von der Leyen")."""
    if tok.dep_ in {"appos", "conj"} and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_.startswith("nsubj")


def _where(tok: Token, lang: str) -> bool:
    """Whether a place preposition introduces the token ("in Warsaw", "à Kiev")."""
    preps = _place_preps(lang)
    case = [c.lower_ for c in tok.children if c.dep_ == "case"]
    if tok.dep_ == "pobj":
        case.append(tok.head.lower_)
    return any(fold(c) in preps for c in case)


def paragraph_antecedent(pron: Token, article: Article, lang: str) -> Token | None:
    """The earlier name in ``pron``'s paragraph that agrees with it, or None.

    Subjects come first, the nearest of them (a pronoun most often continues the topic the
    previous clause was about); then the nearest other name. Places after a place preposition
    ("arrived in Warsaw") are where someone was, never whom a pronoun stands for.
    """
    found = [h for h in _agreeing(pron, article) if not _where(h, lang)]
    subjects = [h for h in found if _is_subject(h)]
    best = subjects[0] if subjects else (found[0] if found else None)
    if best is not None:
        while best.dep_ == "conj" and best.head.i != best.i:
            best = best.head  # "Armenia and Azerbaijan ... they": the first member heads it
    return best


def _agreeing(pron: Token, article: Article) -> list[Token]:
    """Name heads before ``pron`` in its paragraph that agree with it, nearest first."""
    _, number = _features(pron)
    plural = number == "Plur" or pron.lower_ in {"they", "them", "their"}
    lo = _paragraph_start(pron)
    seen: set[int] = set()
    out: list[Token] = []
    for i in range(pron.i - 1, lo - 1, -1):
        cand = pron.doc[i]
        if not named(cand, article) or cand.pos_ in {"ADP", "DET", "PUNCT", "VERB", "AUX"}:
            continue
        head = _name_head(cand)
        if head.i in seen or head.i >= pron.i:
            continue
        seen.add(head.i)
        if head.dep_ in {"amod", "poss"} and not plural:
            continue  # "Russia's", "the Russian": a qualifier, not who is referred to
        if _agrees(pron, head, article, plural):
            out.append(head)
    return out
