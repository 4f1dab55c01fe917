"""The dependency-tree reading shared by the event coder: triggers, subjects, objects, names.

Small, language-neutral helpers over spaCy trees in both English (``prep``/``pobj``) and
Universal Dependencies (``case``/``obl``) styles, so that the French and English coders are the
same code. Words come from ``lang/<code>/events.toml`` through :class:`~.actors.Lexicon`.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from wiretrace.stages.events.derive import derived_entry
from wiretrace.stages.events.lexicon import Lexicon
from wiretrace.stages.events.participants import is_named, names_state

if TYPE_CHECKING:
    from spacy.tokens import Token

SUBJ = ("nsubj", "nsubj:pass", "nsubjpass", "csubj", "expl:subj")
PASSIVE_SUBJ = ("nsubj:pass", "nsubjpass")
OBJ = ("dobj", "obj", "dative", "iobj", "obl:arg")


@dataclasses.dataclass
class Candidate:
    """A trigger found in a sentence, with the clause verb that carries it."""

    trigger: Token
    clause: Token  # the verb whose arguments are the participants
    type: str
    mode: str | None
    rank: float
    nominal: bool
    entry: str = ""  # the lexicon entry that coded it ("v:reject", "n:hunger strike"), if any


def parse_code(code: str) -> tuple[str, str | None]:
    typ, _, mode = code.partition("/")
    return typ, mode or None


def verb_code(tok: Token, lex: Lexicon) -> str | None:
    found = verb_entry(tok, lex)
    return found[1] if found is not None else None


def _is_time(dep: Token) -> bool:
    """Whether a verb's dependent is a time ("on Friday", "this week"), not what it acts on:
    the dependent's own head word decides (a preposition's: its object), so an object that a
    time only modifies ("a day-old blockade", "the truce agreed last week") is still one."""
    head = dep
    if dep.dep_ == "prep":
        head = next((g for g in dep.children if g.dep_ == "pobj"), dep)
    return head.ent_type_ in {"DATE", "TIME"}


def verb_entry(tok: Token, lex: Lexicon) -> tuple[str, str] | None:
    """The ``[verbs]`` key (prefixed ``v:``) that codes a verb, with its code; None if none."""
    lemma = tok.lemma_.lower()
    kids = sorted(tok.children, key=lambda c: (c.dep_ not in {"prt", "compound:prt"}, c.i))
    for c in kids:
        if c.dep_ in {"expl:comp", "expl:pv", "expl", "obj"} and c.lower_ in {"se", "s'", "s’"}:
            key = f"se {lemma}"
            if key in lex.verbs:
                return f"v:{key}", lex.verbs[key]
        if c.dep_ in {"prt", "compound:prt", "prep", "obl", "obl:arg"} or c.dep_ in OBJ:
            if _is_time(c):
                continue
            key = f"{lemma} {c.lemma_.lower()}"
            if key in lex.verbs:
                return f"v:{key}", lex.verbs[key]
    if lex.has("reporting", lemma) or lemma not in lex.verbs:
        return None
    return f"v:{lemma}", lex.verbs[lemma]


def noun_code(tok: Token, lex: Lexicon) -> str | None:
    found = noun_entry(tok, lex)
    return found[1] if found is not None else None


def noun_entry(tok: Token, lex: Lexicon) -> tuple[str, str] | None:
    """The ``[nouns]`` key (prefixed ``n:``) that codes an event noun, with its code."""
    lemma = tok.lemma_.lower()
    heads, tails = lex.noun_key_parts
    # Most nouns begin or end no key of several words: their children are not read.
    for c in tok.children if lemma in heads or lemma in tails else ():
        for key in (f"{c.lemma_.lower()} {lemma}", f"{lemma} {c.lemma_.lower()}"):
            if key in lex.nouns:
                return f"n:{key}", lex.nouns[key]
        if c.dep_ in {"prep", "nmod"}:
            for g in c.children:
                key = f"{lemma} {c.lemma_.lower()} {g.lemma_.lower()}"
                if key in lex.nouns:
                    return f"n:{key}", lex.nouns[key]
    for key in (lemma, tok.lower_):
        if lex.nouns.get(key):
            return f"n:{key}", lex.nouns[key]
    # "invasion", "suspension": the act of a verb the lexicon codes (derive.py).
    return derived_entry(lemma, lex) if tok.pos_ == "NOUN" else None


def subjects(verb: Token, lex: Lexicon) -> tuple[list[Token], bool]:
    """Subject heads of a clause (climbing control and coordination); True if passive."""
    node = verb
    for _ in range(6):
        subj = [c for c in node.children if c.dep_ in SUBJ]
        if subj:
            # A subject borrowed from a control verb ("were forced to surrender") is the doer.
            passive = node.i == verb.i and (
                any(c.dep_ in PASSIVE_SUBJ for c in subj)
                or any(c.dep_ in {"auxpass", "aux:pass"} for c in node.children)
            )
            return subj, passive
        if node.dep_ in {
            "xcomp",
            "conj",
            "advcl",
            "ccomp",
            "acl",
            "acomp",
            "amod",
            "pcomp",
            "prep",
        } and (node.head.i != node.i):
            if node.dep_ == "acl" and node.head.pos_ in {"NOUN", "PROPN"}:
                return [node.head], False
            node = node.head
            continue
        break
    return [], False


def agent_of(verb: Token, lex: Lexicon) -> list[Token]:
    for c in verb.children:
        if c.dep_ == "agent" or (
            c.dep_ in {"obl:agent", "obl"} and has_case(c, "agent_preps", lex)
        ):
            return [g for g in c.children if g.dep_ == "pobj"] or ([c] if c.dep_ != "agent" else [])
    return []


def has_case(tok: Token, role: str, lex: Lexicon) -> bool:
    return any(c.dep_ == "case" and lex.has(role, c.lower_) for c in tok.children)


def prep_objects(tok: Token, lex: Lexicon) -> list[tuple[str, Token]]:
    """(preposition, object) pairs hanging on ``tok``, for English- and UD-style trees."""
    out: list[tuple[str, Token]] = []
    for c in tok.children:
        if c.dep_ == "prep":
            out.extend((c.lower_, g) for g in c.children if g.dep_ == "pobj")
        elif c.dep_ in {"obl", "obl:arg", "obl:mod", "nmod"}:
            case = [g.lower_ for g in c.children if g.dep_ == "case"]
            if case:
                out.append((case[0], c))
    return out


def target_of(obj: Token, lex: Lexicon) -> Token:
    """The actor behind an object noun: "rejected a U.S. request" -> "U.S."."""
    if is_named(obj, lex) or obj.pos_ == "PRON":
        return obj
    if not lex.has("communication_nouns", obj.lemma_):
        return obj
    for c in obj.children:
        if c.dep_ in {"poss", "compound", "amod", "nmod:poss"} and names_state([c.text], lex):
            return c
        if c.dep_ in {"poss", "nmod:poss"} and is_named(c, lex):
            return c
    for prep, pobj in prep_objects(obj, lex):
        source = lex.has("source_preps", prep) or prep in {"of", "de", "du", "des", "d'"}
        if source and any(is_named(t, lex) or t.pos_ in {"NOUN", "PROPN"} for t in pobj.subtree):
            return pobj
    return obj


# Complement dependencies a recipient may be found under, English- and UD-style trees.


NOT_ACTOR_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})


def case_word(tok: Token) -> str:
    """The preposition introducing ``tok``: its ``prep`` head (English) or ``case`` child (UD)."""
    if tok.dep_ == "pobj":
        return tok.head.lower_
    case = [c.lower_ for c in tok.children if c.dep_ == "case"]
    return case[0] if case else ""


_NAME_PARTS = frozenset(
    {"compound", "amod", "poss", "nmod:poss", "appos", "flat", "flat:name", "nmod", "nummod"}
)


def named_phrase(tok: Token, lex: Lexicon) -> bool:
    """Whether a noun or one of its name-bearing modifiers names an actor ("Afghan civilians")."""
    if tok.ent_type_ in NOT_ACTOR_ENTS:
        return False
    if is_named(tok, lex):
        return True
    return any(
        is_named(c, lex)
        and (c.dep_ != "nmod" or case_word(c) in {"", "de", "du", "des", "d'", "d’", "of"})
        for c in tok.children
        if c.dep_ in _NAME_PARTS
    )


# Event types whose target may be a place ("visited Amman", "eased measures in Montenegro");
# for the others a place after "in" is where the event happened, not whom it was aimed at.
