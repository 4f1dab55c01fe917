"""PLOVER source and target of a trigger: who acted (actor) and on whom (recipient).

Subject -> actor and passive agent -> actor; the recipient is the closest actor-like complement
found breadth-first ("against/on/to X", the object, the subject of a complement clause), a
named phrase beating a common noun; "with X" partners of meetings and talks are actors too,
following the PLOVER rule that parties meeting on neutral ground are all actors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from wiretrace.stages.events.lexicon import Lexicon, is_country
from wiretrace.stages.events.participants import names_state
from wiretrace.stages.events.syntax import (
    NOT_ACTOR_ENTS,
    OBJ,
    SUBJ,
    Candidate,
    agent_of,
    case_word,
    named_phrase,
    prep_objects,
    subjects,
    target_of,
)
from wiretrace.textutil import fold

if TYPE_CHECKING:
    from spacy.tokens import Token

_COMPLEMENT = frozenset(
    {
        "dobj",
        "obj",
        "dative",
        "iobj",
        "prep",
        "pobj",
        "obl",
        "obl:arg",
        "obl:mod",
        "nmod",
        "xcomp",
        "attr",
        "pcomp",
        "acomp",
        "compound",
        "poss",
        "nmod:poss",
        "amod",
    }
)


_PLACE_TARGETS = frozenset(
    {"CONSULT", "CONCEDE", "RETREAT", "COERCE", "SANCTION", "AID", "MOBILIZE", "PROTEST"}
)
# Protests name their target in a purpose clause ("began a strike to demand the resignation
# of X", "rioted, calling for the removal of X").
_PURPOSE_TARGETS = frozenset({"PROTEST"})
_TOPIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
_DEEPER = frozenset({"xcomp", "dobj", "obj", "obl", "obl:arg", "nmod", "pobj", "dative", "iobj"})


def _recipient(
    holders: Sequence[Token], skip: set[int], lex: Lexicon, typ: str
) -> tuple[list[Token], list[Token]]:
    """Closest actor-like complement of the trigger (recipient) and its "with" partners.

    Breadth-first over complements: a named phrase (state, proper noun, entity) wins over a
    common noun, a closer one over a deeper one, and a place after "in"/"à" counts one step
    further, since it is more often where than whom. A common noun is kept only as a direct
    object or after a recipient preposition ("deported 168 Liberians", "aid to refugees"). The
    subject of a complement clause is a complement too ("allowed X to run", "urged X to").
    """
    best: tuple[int, int, int, Token] | None = None
    partners: list[Token] = []
    frontier = [(h, 0) for h in holders]
    seen = set(skip)
    while frontier:
        node, depth = frontier.pop(0)
        for c in node.children:
            clause_subj = c.dep_ in SUBJ and node.dep_ in {"xcomp", "ccomp"} and depth > 0
            if c.i in seen or depth >= 4:
                continue
            seen.add(c.i)
            if c.dep_ in {"ccomp", "xcomp"} or (c.dep_ == "advcl" and typ in _PURPOSE_TARGETS):
                frontier.append((c, depth + 1))
            if c.dep_ not in _COMPLEMENT and not clause_subj:
                continue
            if c.dep_ == "prep":
                frontier.append((c, depth))
                continue
            if c.pos_ in {"NOUN", "PROPN", "PRON"} and c.ent_type_ not in NOT_ACTOR_ENTS:
                prep = case_word(c)
                if lex.has("with_preps", prep) and depth == 0:
                    partners.append(c)
                    continue
                if lex.has("agent_preps", prep) or (prep and lex.has("skip_preps", prep)):
                    continue
                if depth == 0 and typ in _TOPIC_TYPES and lex.has("topic_preps", prep):
                    continue  # "talks on the pullback": what was discussed, not with whom
                place = lex.has("place_preps", prep)
                if place and depth == 0 and typ not in _PLACE_TARGETS:
                    continue
                named = named_phrase(c, lex)
                direct = depth == 0 and (
                    c.dep_ in OBJ or (lex.has("recipient_preps", prep) and not place)
                )
                if named or direct or (clause_subj and depth <= 1):
                    target = target_of(c, lex)
                    cost = depth + (1 if place else 0)
                    key = (0 if named else 1, cost, c.i, target)
                    if best is None or key[:3] < best[:3]:
                        best = key
            if c.dep_ in _DEEPER and c.dep_ != "xcomp":
                frontier.append((c, depth + 1))
    return ([best[3]] if best is not None else []), partners


def _doer_modifier(tok: Token, lex: Lexicon) -> bool:
    """A modifier naming who did it ("Russian invasion", "Hamas attack"), not where ("the Paris
    attacks": a city names the place)."""
    if tok.ent_type_ in {"ORG", "PERSON", "PER", "NORP"} or is_country(tok.text, lex):
        return True
    if fold(tok.text) in lex.demonyms:  # "US mediation", "Russian invasion"
        return True
    if tok.ent_type_ in {"GPE", "LOC", "FAC"}:
        return False
    return names_state([tok.text], lex) or named_phrase(tok, lex)


def nominal_roles(noun: Token, verb: Token, lex: Lexicon) -> tuple[list[Token], list[Token]]:
    """Roles of an event noun: "l'invasion de l'Ukraine par la Russie", "Serbia's suppression".

    The doer is the noun's agent ("by/par X"), possessor or state adjective, else the subject of
    the clause it is the object of; the target is its "of/de X" or "against/on X" complement.
    """
    actors: list[Token] = []
    recips: list[Token] = []
    for c in noun.children:
        if c.dep_ in {"poss", "nmod:poss"} or (
            c.dep_ in {"amod", "compound"} and _doer_modifier(c, lex)
        ):
            actors.append(c)
    for prep, obj in prep_objects(noun, lex):
        if lex.has("agent_preps", prep):
            actors = [obj]
        elif obj.ent_type_ in NOT_ACTOR_ENTS:
            continue
        elif (
            (lex.has("recipient_preps", prep) or lex.has("source_preps", prep) or prep == "of")
            and not recips
            and named_phrase(obj, lex)
        ):
            recips.append(obj)
    if not actors and noun.dep_ not in SUBJ:
        actors = [s for s in subjects(verb, lex)[0] if s.i != noun.i]
    return actors, recips


def roles(cand: Candidate, lex: Lexicon) -> tuple[list[Token], list[Token]]:
    """Actor and recipient phrase heads of a candidate (PLOVER's source and target)."""
    verb, trig = cand.clause, cand.trigger
    if trig.i != verb.i and (cand.nominal or trig.dep_ in SUBJ):
        return nominal_roles(trig, verb, lex)
    subj, passive = subjects(verb, lex)
    actors: list[Token] = []
    recips: list[Token] = []
    if passive:
        actors = agent_of(verb, lex)
        recips = list(subj)
    else:
        actors = subj
    holders = [verb] if trig.i == verb.i else [trig, verb]
    # Coordinated verbs share their objects ("donated and delivered goods to X").
    holders += [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    if verb.dep_ == "conj":
        holders.append(verb.head)
    skip = {t.i for s in subj for t in s.subtree} | {trig.i}
    found, partners = _recipient(holders, skip, lex, cand.type)
    if cand.type in {"REQUEST", "ACCUSE"} and not recips:
        for c in verb.children:
            if c.dep_ == "ccomp":
                recips.extend(s for s in c.children if s.dep_ in SUBJ)
    if not recips:
        recips = found
    symmetric = lex.has("symmetric", verb.lemma_) or trig.i != verb.i
    if partners:
        if symmetric and cand.type in {"CONSULT", "AGREE", "COOPERATE", "ASSAULT", "REJECT"}:
            actors = actors + partners
        elif not recips:
            recips = partners
    # Parties to a meeting are all actors; "meet demands" is no meeting of parties.
    meeting = lex.has("symmetric", verb.lemma_) and cand.type in {"CONSULT", "COOPERATE"}
    if meeting and all(named_phrase(r, lex) for r in recips):
        actors = actors + recips
        recips = []
    return actors, recips
