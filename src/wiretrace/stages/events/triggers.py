"""Rule triggers: the event words of a sentence, the clause that carries each, and its rank.

The lexicon (``lang/<code>/events.toml``) names trigger verbs and event nouns; these rules find
them in a dependency parse, skip reporting and control verbs, attach an event noun to its light
verb ("held talks"), and rank clauses so that the main assertion comes first. The trained
classifier (:mod:`.classifier`) reads their output as one feature among others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wiretrace.stages.events.claims import claimed
from wiretrace.stages.events.lexicon import Lexicon
from wiretrace.stages.events.modes import HOSTILE, obligation
from wiretrace.stages.events.roles import nominal_roles
from wiretrace.stages.events.syntax import (
    OBJ,
    SUBJ,
    Candidate,
    named_phrase,
    noun_code,
    noun_entry,
    parse_code,
    prep_objects,
    verb_code,
    verb_entry,
)

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token


def is_light(lemma: str, lex: Lexicon) -> bool:
    """A light verb, whose object noun names the event ("impose a blockade"), also with a
    prefix that only repeats or undoes it (``light_prefixes``: "reimpose", "relaunch")."""
    if lex.has("light", lemma):
        return True
    low = lemma.lower()
    prefixes = lex.words.get("light_prefixes", frozenset())
    return any(low.startswith(p) and lex.has("light", low[len(p) :]) for p in prefixes)


def _rank(verb: Token, lex: Lexicon) -> float:
    """How far a clause is from the main assertion; reporting and control verbs are free."""
    rank = 0.0
    node = verb
    while node.head.i != node.i:
        dep, parent = node.dep_, node.head
        if (
            dep == "conj"
            or (dep in {"ccomp", "xcomp", "obj", "dobj"} and lex.has("reporting", parent.lemma_))
            or (
                dep in {"xcomp", "ccomp", "obl", "advcl"}
                # "continued their strike to demand ...": the object, not the purpose, is news
                and not any(c.dep_ in OBJ for c in parent.children)
                and (
                    lex.has("transparent", parent.lemma_)
                    or lex.has("future_verbs", parent.lemma_)
                    or lex.has("willing", parent.lemma_)
                    or lex.has("deny", parent.lemma_)
                )
            )
        ):
            pass
        elif dep in {"relcl", "acl", "acl:relcl", "advcl", "csubj"}:
            rank += 2
        else:
            rank += 1
        node = parent
    return rank


def _light_head(noun: Token, lex: Lexicon) -> Token | None:
    """The verb that carries an event noun ("held talks", "a eu lieu"), or None."""
    head = noun.head
    if noun.dep_ in OBJ and head.pos_ in {"VERB", "AUX"} and is_light(head.lemma_, lex):
        return head
    # "n'a pas lancé d'offensive": a partitive object the parser files as an oblique.
    bare = not any(c.dep_ == "case" for c in noun.children)
    if noun.dep_.startswith("obl") and bare and is_light(head.lemma_, lex):
        return head
    if noun.dep_ in {"pobj", "nmod"} and _case_word_of(noun) in {"of", "de", "d'", "d’"}:
        # "launched ten days of war games", "une série de frappes": the measure is not the event
        measure = head.head if noun.dep_ == "pobj" else head
        verb = measure.head
        if measure.dep_ in OBJ and verb.pos_ == "VERB" and is_light(verb.lemma_, lex):
            return verb
    if noun.dep_ in {"pobj", "obl", "obl:arg"} and head.dep_ == "prep":
        verb = head.head  # "engaged in talks" / "in an attack"
        if verb.pos_ == "VERB" and is_light(verb.lemma_, lex):
            return verb
    if noun.dep_ in SUBJ and head.pos_ in {"VERB", "AUX"} and is_light(head.lemma_, lex):
        return head
    return None


def _case_word_of(tok: Token) -> str:
    if tok.dep_ == "pobj":
        return str(tok.head.lower_)
    return next((str(c.lower_) for c in tok.children if c.dep_ == "case"), "")


def _verb_above(tok: Token) -> Token | None:
    node = tok
    while node.head.i != node.i:
        node = node.head
        if node.pos_ == "VERB":
            return node
    return None


def _stands_alone(noun: Token, lex: Lexicon) -> bool:
    """An event noun that tells an event by itself: a subject ("the meeting took place") or one
    naming its own doer ("Russia's invasion", "l'invasion ... par", "talks with Khovaev")."""
    if noun.dep_ in SUBJ:
        return True
    for c in noun.children:
        if c.dep_ in {"poss", "nmod:poss"} or (c.dep_ == "amod" and named_phrase(c, lex)):
            return True
    return any(
        lex.has("agent_preps", p) or lex.has("with_preps", p) for p, _ in prep_objects(noun, lex)
    )


def _event_object(verb: Token, lex: Lexicon) -> bool:
    """A light verb whose object is an event noun ("opened investigations", "signed a truce")."""
    if any(c.dep_ in {"prt", "compound:prt"} for c in verb.children):
        return False  # "called off a strike": the phrasal verb is the event
    return is_light(verb.lemma_, lex) and any(
        c.dep_ in OBJ and noun_code(c, lex) is not None for c in verb.children
    )


def _talked_about(tok: Token, lex: Lexicon, seen: dict[int, bool] | None = None) -> bool:
    """A word inside the topic of talk ("argued about whether the raid had been a mistake",
    "débattu sur l'attaque"): the talk is what happened, not the event it is about.

    ``seen`` memoises, per token index of one doc, whether a head has a topic preposition
    among its children (the tokens of a sentence share their ancestors)."""
    for node in [tok, *tok.ancestors]:
        if node.dep_ == "prep" and lex.has("topic_preps", node.lemma_):
            return True
        if node is not tok and _topic_case(node, lex, {} if seen is None else seen):
            return True
    return False


def _topic_case(node: Token, lex: Lexicon, seen: dict[int, bool]) -> bool:
    found = seen.get(node.i)
    if found is None:
        found = seen[node.i] = any(
            c.dep_ == "case" and lex.has("topic_preps", c.lemma_) for c in node.children
        )
    return found


def _sexually(verb: Token, lex: Lexicon) -> bool:
    """A verb done "sexually" ("sexually abused", "agressées sexuellement"): sexual assault,
    CAMEO 1821, which PLOVER codes ASSAULT (mode ``sexual``) whatever the verb. Not when what
    the verb acts on is a disease ("the virus is sexually transmitted"): no one's act."""
    kids = list(verb.children)
    if any(c.dep_ in SUBJ + OBJ and lex.has("hazard_agents", c.lemma_) for c in kids):
        return False
    return any(c.dep_ == "advmod" and lex.has("sexual_adverbs", c.lemma_) for c in kids)


_TRIGGER_POS = frozenset({"VERB", "NOUN", "PROPN"})


def candidates(sent: SpacySpan, lex: Lexicon) -> list[Candidate]:
    """Every trigger of a sentence with its clause verb and rank (lower = more central)."""
    out: list[Candidate] = []
    seen: dict[int, bool] = {}
    for tok in sent:
        if tok.pos_ not in _TRIGGER_POS:
            continue  # only verbs and nouns are triggers
        cand = _candidate(tok, lex)
        # A word inside the topic of talk or an act claimed is none: asked of the few words
        # that would be triggers (the tests walk up the tree; the lexicon's are lookups).
        if cand is not None and not _talked_about(tok, lex, seen) and not claimed(tok, lex):
            out.append(cand)
    return out


def _candidate(tok: Token, lex: Lexicon) -> Candidate | None:
    """The trigger a verb or noun is, with its clause verb and rank, or None."""
    if (
        tok.pos_ == "VERB"
        and tok.dep_ in {"amod", "acl"}
        and "Part" in tok.morph.get("VerbForm", [])
    ):
        return None  # "the curfew imposed in Sudan", "république non reconnue": background
    if tok.pos_ == "VERB" or (tok.pos_ == "NOUN" and tok.dep_ == "ROOT"):
        found = verb_entry(tok, lex)
        if found is not None and any(
            c.dep_ == "xcomp" and lex.has("no_event_complements", c.lemma_) for c in tok.children
        ):
            return None  # "declined to comment" is a statement, not a rejection
        if found is not None and not _event_object(tok, lex):
            typ, mode = parse_code(found[1])
            return Candidate(tok, tok, typ, mode, _rank(tok, lex), False, found[0])
        if found is None and obligation(tok, lex) is not None:
            return Candidate(tok, tok, "REQUEST", None, _rank(tok, lex), False)
        if found is None and tok.pos_ == "VERB" and _sexually(tok, lex):
            return Candidate(tok, tok, "ASSAULT", "sexual", _rank(tok, lex), False)
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return None
    found = noun_entry(tok, lex)
    if found is None:
        return None
    entry, (typ, mode) = found[0], parse_code(found[1])
    if tok.dep_ == "ROOT" and any(c.dep_ in SUBJ for c in tok.children):
        # A verb the tagger took for a noun ("La Turquie menace de ..."): a clause.
        return Candidate(tok, tok, typ, mode, 0.0, False, entry)
    verb = _light_head(tok, lex)
    if verb is not None and (verb_code(verb, lex) is None or _event_object(verb, lex)):
        return Candidate(tok, verb, typ, mode, _rank(verb, lex) + 0.25, False, entry)
    if _stands_alone(tok, lex):
        clause = _verb_above(tok) or tok
        return Candidate(tok, clause, typ, mode, _rank(tok, lex) + 3, True, entry)
    return None


def pick(cands: list[Candidate]) -> list[Candidate]:
    """The main clause's event, plus coordinated main clauses carrying another event."""
    if not cands:
        return []
    best = min(cands, key=lambda c: (c.rank, c.nominal, c.trigger.i))
    chosen = [best]
    for c in sorted(cands, key=lambda c: c.trigger.i):
        if c is best or c.nominal or c.type == best.type:
            continue
        if c.rank <= best.rank and c.clause.i != best.clause.i and c.clause.dep_ == "conj":
            chosen.append(c)
    return chosen


def is_envoy(verb: Token, lex: Lexicon) -> bool:
    """Sending a person ("sent its representative to the meeting") is taking part, not aid."""
    objects = [c for c in verb.children if c.dep_ in OBJ]
    objects += [a for o in objects for a in o.children if a.dep_ == "appos"]
    return any(lex.has("envoys", o.lemma_) or o.ent_type_ in {"PERSON", "PER"} for o in objects)


def presupposed(sent: SpacySpan, lex: Lexicon, done: set[int]) -> list[Candidate]:
    """Ongoing events that a sentence asks to end: "to end the blockade" implies a blockade.

    The one who is to end it is the one keeping it up, so the ending verb's subject is its actor.
    """
    out: list[Candidate] = []
    for tok in sent:
        if tok.pos_ != "VERB":
            continue
        keys = {tok.lemma_.lower()} | {
            f"{tok.lemma_.lower()} {c.lemma_.lower()}" for c in tok.children if c.dep_ in OBJ
        }
        if not any(lex.has("reversal", k) for k in keys):
            continue
        own_subject = any(c.dep_ in SUBJ for c in tok.children)
        reported = tok.dep_ == "ccomp" and lex.has("reporting", tok.head.lemma_)
        irrealis = not reported and (
            tok.dep_ in {"advcl", "ccomp", "acl", "xcomp"} or "Sub" in tok.morph.get("Mood", [])
        )
        if not (own_subject and irrealis):
            continue  # an ending that happened is itself the news (RETREAT), not the state
        for c in tok.children:
            if c.dep_ not in OBJ and c.dep_ not in {"obl", "obl:mod", "nmod"}:
                continue
            code = noun_code(c, lex) if c.pos_ == "NOUN" else None
            if code is None or c.i in done:
                continue
            typ, mode = parse_code(code)
            if typ in HOSTILE:
                out.append(Candidate(c, tok, typ, mode, 0.0, False))
    return out


def through_event_noun(head: Token, lex: Lexicon) -> Token:
    """An event noun is not a participant: "agreed to US mediation" -> "US"."""
    if head.pos_ != "NOUN" or noun_code(head, lex) is None:
        return head
    actors, recips = nominal_roles(head, head, lex)
    found = recips or [a for a in actors if a.i != head.i]
    return found[0] if found else head


def doers(head: Token, lex: Lexicon) -> list[Token]:
    """An event noun as subject stands for its doer: "the Hamas attack killed ..." -> Hamas."""
    if head.pos_ != "NOUN" or noun_code(head, lex) is None:
        return [head]
    return [a for a in nominal_roles(head, head, lex)[0] if a.i != head.i]
