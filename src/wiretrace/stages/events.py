"""PLOVER event coding: who did what to whom, where and when, one shared coder for all languages.

For each sentence the coder looks up trigger lemmas (verbs, and event nouns used with a light verb
such as "launch an offensive") in ``lang/<code>/events.toml``, keeps the trigger of the main
clause (reporting verbs such as "said" are not events but let their clause through), and reads
actors and recipients off the dependency parse: subject -> actor, object or "against/on/to X" ->
recipient, passive agent -> actor, all parties of a meeting -> actors. The auxiliary mode (future,
hypothetical, negated, historical) comes from modal, tense and negation cues. As CAMEO/PLOVER code
them, a stated intention to cooperate is AGREE and a stated intention to harm is THREATEN; the
event keeps ``aux`` so that nothing planned or denied is counted as having happened.

Languages without a parser (``depth = "basic"``) use the same lexicon format, matched on word
stems, with the nearest named words to the left and right as actor and recipient
(:mod:`wiretrace.stages.events_basic`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import Article, Event, Evidence, Participant
from ..nlp import parse_many
from ..pipeline import Stage
from .actors import Lexicon, is_named, lexicon, names_state, participants, places
from .event_time import attach_dates, merge_anaphoric

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

VERSION = "events.v1"

# PLOVER's default contexts per type; lexicon modes refine the type, not the context.
CONTEXTS: dict[str, tuple[str, ...]] = {
    "AGREE": ("diplomatic",),
    "CONSULT": ("diplomatic",),
    "SUPPORT": ("diplomatic",),
    "CONCEDE": ("political",),
    "COOPERATE": ("diplomatic",),
    "AID": ("human_security",),
    "RETREAT": ("military",),
    "REQUEST": ("diplomatic",),
    "ACCUSE": ("political",),
    "REJECT": ("diplomatic",),
    "THREATEN": ("political",),
    "PROTEST": ("political",),
    "SANCTION": ("economic",),
    "MOBILIZE": ("military",),
    "COERCE": ("human_security",),
    "ASSAULT": ("military",),
}
MODE_CONTEXTS: dict[str, tuple[str, ...]] = {
    "deport": ("migration",),
    "restrict": ("territory", "human_security"),
    "heavy-weapons": ("military",),
    "withdraw": ("military", "territory"),
    "surrender": ("military",),
    "cyber": ("cyber",),
    "arrest": ("legal",),
    "investigate": ("legal",),
}
# Intentions: cooperative deeds announced for later are AGREE; hostile ones are THREATEN.
COOPERATIVE = frozenset({"AID", "SUPPORT", "COOPERATE", "CONSULT", "CONCEDE", "RETREAT", "AGREE"})
HOSTILE = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"})
# Verbs that are events by being said: their mood does not make them intentions.
SPEECH_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "AGREE", "PROTEST"})
_SUBJ = ("nsubj", "nsubj:pass", "nsubjpass", "csubj", "expl:subj")
_PASSIVE_SUBJ = ("nsubj:pass", "nsubjpass")
_OBJ = ("dobj", "obj", "dative", "iobj", "obl:arg")


@dataclasses.dataclass
class Candidate:
    """A trigger found in a sentence, with the clause verb that carries it."""

    trigger: Token
    clause: Token  # the verb whose arguments are the participants
    type: str
    mode: str | None
    rank: float
    nominal: bool


def _parse_code(code: str) -> tuple[str, str | None]:
    typ, _, mode = code.partition("/")
    return typ, mode or None


def _verb_code(tok: Token, lex: Lexicon) -> str | None:
    lemma = tok.lemma_.lower()
    kids = sorted(tok.children, key=lambda c: (c.dep_ not in {"prt", "compound:prt"}, c.i))
    for c in kids:
        if c.dep_ in {"expl:comp", "expl:pv", "expl", "obj"} and c.lower_ in {"se", "s'", "s’"}:
            key = f"se {lemma}"
            if key in lex.verbs:
                return lex.verbs[key]
        if c.dep_ in {"prt", "compound:prt", "prep", "obl", "obl:arg"} or c.dep_ in _OBJ:
            if any(g.ent_type_ in {"DATE", "TIME"} for g in c.subtree):
                continue
            key = f"{lemma} {c.lemma_.lower()}"
            if key in lex.verbs:
                return lex.verbs[key]
    if lex.has("reporting", lemma):
        return None
    return lex.verbs.get(lemma)


def _noun_code(tok: Token, lex: Lexicon) -> str | None:
    lemma = tok.lemma_.lower()
    for c in tok.children:
        for key in (f"{c.lemma_.lower()} {lemma}", f"{lemma} {c.lemma_.lower()}"):
            if key in lex.nouns:
                return lex.nouns[key]
        if c.dep_ in {"prep", "nmod"}:
            for g in c.children:
                key = f"{lemma} {c.lemma_.lower()} {g.lemma_.lower()}"
                if key in lex.nouns:
                    return lex.nouns[key]
    return lex.nouns.get(lemma) or lex.nouns.get(tok.lower_)


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
    if noun.dep_ in _OBJ and head.pos_ in {"VERB", "AUX"} and lex.has("light", head.lemma_):
        return head
    # "n'a pas lancé d'offensive": a partitive object the parser files as an oblique.
    bare = not any(c.dep_ == "case" for c in noun.children)
    if noun.dep_.startswith("obl") and bare and lex.has("light", head.lemma_):
        return head
    if noun.dep_ in {"pobj", "obl", "obl:arg"} and head.dep_ == "prep":
        verb = head.head  # "engaged in talks" / "in an attack"
        if verb.pos_ == "VERB" and lex.has("light", verb.lemma_):
            return verb
    if noun.dep_ in _SUBJ and head.pos_ in {"VERB", "AUX"} and lex.has("light", head.lemma_):
        return head
    return None


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
    if noun.dep_ in _SUBJ:
        return True
    for c in noun.children:
        if c.dep_ in {"poss", "nmod:poss"} or (c.dep_ == "amod" and _named_phrase(c, lex)):
            return True
    return any(
        lex.has("agent_preps", p) or lex.has("with_preps", p) for p, _ in _prep_objects(noun, lex)
    )


def _event_object(verb: Token, lex: Lexicon) -> bool:
    """A light verb whose object is an event noun ("opened investigations", "signed a truce")."""
    if any(c.dep_ in {"prt", "compound:prt"} for c in verb.children):
        return False  # "called off a strike": the phrasal verb is the event
    return lex.has("light", verb.lemma_) and any(
        c.dep_ in _OBJ and _noun_code(c, lex) is not None for c in verb.children
    )


def candidates(sent: SpacySpan, lex: Lexicon) -> list[Candidate]:
    """Every trigger of a sentence with its clause verb and rank (lower = more central)."""
    out: list[Candidate] = []
    for tok in sent:
        if (
            tok.pos_ == "VERB"
            and tok.dep_ in {"amod", "acl"}
            and "Part" in tok.morph.get("VerbForm", [])
        ):
            continue  # "the curfew imposed in Sudan", "république non reconnue": background
        if tok.pos_ == "VERB" or (tok.pos_ == "NOUN" and tok.dep_ == "ROOT"):
            code = _verb_code(tok, lex)
            if code is not None and any(
                c.dep_ == "xcomp" and lex.has("no_event_complements", c.lemma_)
                for c in tok.children
            ):
                continue  # "declined to comment" is a statement, not a rejection
            if code is not None and not _event_object(tok, lex):
                typ, mode = _parse_code(code)
                out.append(Candidate(tok, tok, typ, mode, _rank(tok, lex), False))
                continue
            if code is None and _obligation(tok, lex) is not None:
                out.append(Candidate(tok, tok, "REQUEST", None, _rank(tok, lex), False))
                continue
        if tok.pos_ in {"NOUN", "PROPN"}:
            code = _noun_code(tok, lex)
            if code is None:
                continue
            typ, mode = _parse_code(code)
            verb = _light_head(tok, lex)
            if verb is not None and (_verb_code(verb, lex) is None or _event_object(verb, lex)):
                out.append(Candidate(tok, verb, typ, mode, _rank(verb, lex) + 0.25, False))
            elif _stands_alone(tok, lex):
                clause = _verb_above(tok) or tok
                out.append(Candidate(tok, clause, typ, mode, _rank(tok, lex) + 3, True))
    return out


def _subjects(verb: Token, lex: Lexicon) -> tuple[list[Token], bool]:
    """Subject heads of a clause (climbing control and coordination); True if passive."""
    node = verb
    for _ in range(6):
        subj = [c for c in node.children if c.dep_ in _SUBJ]
        if subj:
            # A subject borrowed from a control verb ("were forced to surrender") is the doer.
            passive = node.i == verb.i and (
                any(c.dep_ in _PASSIVE_SUBJ for c in subj)
                or any(c.dep_ in {"auxpass", "aux:pass"} for c in node.children)
            )
            return subj, passive
        if node.dep_ in {"xcomp", "conj", "advcl", "ccomp", "acl", "acomp", "amod"} and (
            node.head.i != node.i
        ):
            if node.dep_ == "acl" and node.head.pos_ in {"NOUN", "PROPN"}:
                return [node.head], False
            node = node.head
            continue
        break
    return [], False


def _agent(verb: Token, lex: Lexicon) -> list[Token]:
    for c in verb.children:
        if c.dep_ == "agent" or (
            c.dep_ in {"obl:agent", "obl"} and _has_case(c, "agent_preps", lex)
        ):
            return [g for g in c.children if g.dep_ == "pobj"] or ([c] if c.dep_ != "agent" else [])
    return []


def _has_case(tok: Token, role: str, lex: Lexicon) -> bool:
    return any(c.dep_ == "case" and lex.has(role, c.lower_) for c in tok.children)


def _prep_objects(tok: Token, lex: Lexicon) -> list[tuple[str, Token]]:
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


def _target(obj: Token, lex: Lexicon) -> Token:
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
    for prep, pobj in _prep_objects(obj, lex):
        source = lex.has("source_preps", prep) or prep in {"of", "de", "du", "des", "d'"}
        if source and any(is_named(t, lex) or t.pos_ in {"NOUN", "PROPN"} for t in pobj.subtree):
            return pobj
    return obj


# Complement dependencies a recipient may be found under, English- and UD-style trees.
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
_NOT_ACTOR_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})


def _case_word(tok: Token) -> str:
    """The preposition introducing ``tok``: its ``prep`` head (English) or ``case`` child (UD)."""
    if tok.dep_ == "pobj":
        return tok.head.lower_
    case = [c.lower_ for c in tok.children if c.dep_ == "case"]
    return case[0] if case else ""


_NAME_PARTS = frozenset(
    {"compound", "amod", "poss", "nmod:poss", "appos", "flat", "flat:name", "nmod", "nummod"}
)


def _named_phrase(tok: Token, lex: Lexicon) -> bool:
    """Whether a noun or one of its name-bearing modifiers names an actor ("Afghan civilians")."""
    if tok.ent_type_ in _NOT_ACTOR_ENTS:
        return False
    if is_named(tok, lex):
        return True
    return any(
        is_named(c, lex) and (c.dep_ != "nmod" or not _case_word(c) or c.pos_ == "PROPN")
        for c in tok.children
        if c.dep_ in _NAME_PARTS
    )


# Event types whose target may be a place ("visited Amman", "eased measures in Montenegro");
# for the others a place after "in" is where the event happened, not whom it was aimed at.
_PLACE_TARGETS = frozenset(
    {"CONSULT", "CONCEDE", "RETREAT", "COERCE", "SANCTION", "AID", "MOBILIZE", "PROTEST"}
)
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
            clause_subj = c.dep_ in _SUBJ and node.dep_ in {"xcomp", "ccomp"} and depth > 0
            if c.i in seen or depth >= 4:
                continue
            seen.add(c.i)
            if c.dep_ in {"ccomp", "xcomp"}:
                frontier.append((c, depth + 1))
            if c.dep_ not in _COMPLEMENT and not clause_subj:
                continue
            if c.dep_ == "prep":
                frontier.append((c, depth))
                continue
            if c.pos_ in {"NOUN", "PROPN", "PRON"} and c.ent_type_ not in _NOT_ACTOR_ENTS:
                prep = _case_word(c)
                if lex.has("with_preps", prep) and depth == 0:
                    partners.append(c)
                    continue
                if lex.has("agent_preps", prep) or (prep and lex.has("skip_preps", prep)):
                    continue
                place = lex.has("place_preps", prep)
                if place and depth == 0 and typ not in _PLACE_TARGETS:
                    continue
                named = _named_phrase(c, lex)
                direct = depth == 0 and (
                    c.dep_ in _OBJ or (lex.has("recipient_preps", prep) and not place)
                )
                if named or direct or (clause_subj and depth <= 1):
                    target = _target(c, lex)
                    cost = depth + (1 if place else 0)
                    key = (0 if named else 1, cost, c.i, target)
                    if best is None or key[:3] < best[:3]:
                        best = key
            if c.dep_ in _DEEPER and c.dep_ != "xcomp":
                frontier.append((c, depth + 1))
    return ([best[3]] if best is not None else []), partners


def _nominal_roles(noun: Token, verb: Token, lex: Lexicon) -> tuple[list[Token], list[Token]]:
    """Roles of an event noun: "l'invasion de l'Ukraine par la Russie", "Serbia's suppression".

    The doer is the noun's agent ("by/par X"), possessor or state adjective, else the subject of
    the clause it is the object of; the target is its "of/de X" or "against/on X" complement.
    """
    actors: list[Token] = []
    recips: list[Token] = []
    for c in noun.children:
        if c.dep_ in {"poss", "nmod:poss"} or (
            c.dep_ in {"amod", "compound"} and _named_phrase(c, lex)
        ):
            actors.append(c)
    for prep, obj in _prep_objects(noun, lex):
        if lex.has("agent_preps", prep):
            actors = [obj]
        elif obj.ent_type_ in _NOT_ACTOR_ENTS:
            continue
        elif (
            (lex.has("recipient_preps", prep) or lex.has("source_preps", prep))
            and not recips
            and _named_phrase(obj, lex)
        ):
            recips.append(obj)
    if not actors and noun.dep_ not in _SUBJ:
        actors = [s for s in _subjects(verb, lex)[0] if s.i != noun.i]
    return actors, recips


def roles(cand: Candidate, lex: Lexicon) -> tuple[list[Token], list[Token]]:
    """Actor and recipient phrase heads of a candidate (PLOVER's source and target)."""
    verb, trig = cand.clause, cand.trigger
    if trig.i != verb.i and (cand.nominal or trig.dep_ in _SUBJ):
        return _nominal_roles(trig, verb, lex)
    subj, passive = _subjects(verb, lex)
    actors: list[Token] = []
    recips: list[Token] = []
    if passive:
        actors = _agent(verb, lex)
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
                recips.extend(s for s in c.children if s.dep_ in _SUBJ)
    if not recips:
        recips = found
    symmetric = lex.has("symmetric", verb.lemma_) or trig.i != verb.i
    if partners:
        if symmetric and cand.type in {"CONSULT", "AGREE", "COOPERATE", "ASSAULT", "REJECT"}:
            actors = actors + partners
        elif not recips:
            recips = partners
    if lex.has("symmetric", verb.lemma_) and cand.type in {"CONSULT", "COOPERATE"}:
        # Parties to a meeting are all actors; "meet demands" is no meeting of parties.
        if all(_named_phrase(r, lex) for r in recips):
            actors = actors + recips
            recips = []
    return actors, recips


def _aux_words(verb: Token) -> list[Token]:
    """Auxiliaries, negations and markers of a clause and of the control verbs above it."""
    out: list[Token] = []
    node = verb
    for _ in range(4):
        out.extend(
            c
            for c in node.children
            if c.dep_ in {"aux", "aux:tense", "neg", "advmod", "mark", "aux:pass", "auxpass"}
        )
        out.append(node)
        if node.dep_ in {"xcomp", "conj", "acomp", "amod"} or (
            node.dep_ in {"ccomp", "advcl", "obl"} and node.head.pos_ in {"ADJ", "VERB"}
        ):
            node = node.head
            continue
        break
    return out


def aux_mode(cand: Candidate, lex: Lexicon) -> str | None:
    """negated | hypothetical | future from negation, modal, tense and control-verb cues."""
    words = _aux_words(cand.clause)
    lemmas = {w.lemma_.lower() for w in words} | {w.lower_ for w in words}
    if any(lex.has("negation", w) for w in lemmas) or any(
        lex.has("deny", w.lemma_) for w in words[1:] if w.pos_ == "VERB"
    ):
        return "negated"
    conditional = any(
        c.dep_ in {"advcl"} and any(lex.has("conditional", m.lower_) for m in c.children)
        for w in words
        for c in w.children
    ) or any(lex.has("conditional", w.lower_) for w in words)
    moods = {m for w in words for m in w.morph.get("Mood", [])}
    if conditional or any(lex.has("hypothetical_aux", w) for w in lemmas) or "Cnd" in moods:
        return "hypothetical"
    tenses = {t for w in words if w.pos_ in {"VERB", "AUX"} for t in w.morph.get("Tense", [])}
    future = (
        any(lex.has("future_aux", w) for w in lemmas)
        or "Fut" in tenses
        or any(lex.has("future_verbs", w.lemma_) for w in words[1:])
        or any(lex.has("willing", w.lemma_) for w in words)
    )
    return "future" if future else None


def _obligation(verb: Token, lex: Lexicon) -> Token | None:
    """The reporting verb above a "must"/"doit" clause, which makes the clause a REQUEST."""
    has_must = any(
        c.dep_ in {"aux", "aux:tense"} and lex.has("obligation_aux", c.lemma_)
        for c in verb.children
    ) or (verb.dep_ == "xcomp" and lex.has("obligation_verbs", verb.head.lemma_))
    if not has_must:
        return None
    node = verb if verb.dep_ != "xcomp" else verb.head
    if node.dep_ == "ccomp" and (
        lex.has("reporting", node.head.lemma_) or _verb_code(node.head, lex) is not None
    ):
        return node.head
    return None


def code(cand: Candidate, lex: Lexicon) -> tuple[str, str | None, str | None]:
    """Final (type, mode, aux): intentions become AGREE/THREATEN, refused cooperation REJECT."""
    aux = aux_mode(cand, lex)
    typ, mode = cand.type, cand.mode
    if aux == "negated" and (typ == "AGREE" or (typ in COOPERATIVE and _intended(cand, lex))):
        return "REJECT", typ.lower(), aux
    if typ in SPEECH_TYPES:
        return typ, mode, aux
    if aux == "hypothetical" and _threat_condition(cand, lex):
        return "THREATEN", typ.lower(), aux
    if aux in {"future", "hypothetical"}:
        if typ in COOPERATIVE:
            return "AGREE", typ.lower(), aux
        if typ in HOSTILE:
            return "THREATEN", typ.lower(), aux
    return typ, mode, aux


def _threat_condition(cand: Candidate, lex: Lexicon) -> bool:
    """ "... unless X does Y": an announced act made conditional on the other side is a threat."""
    for w in _aux_words(cand.clause):
        for c in w.children:
            if any(lex.has("threat_conditional", m.lower_) for m in c.children):
                return True
    return False


def _intended(cand: Candidate, lex: Lexicon) -> bool:
    words = _aux_words(cand.clause)
    return any(lex.has("future_aux", w.lower_) or lex.has("deny", w.lemma_) for w in words) or any(
        lex.has("hypothetical_aux", w.lower_) for w in words
    )


def _pick(cands: list[Candidate]) -> list[Candidate]:
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


def _is_envoy(verb: Token, lex: Lexicon) -> bool:
    """Sending a person ("sent its representative to the meeting") is taking part, not aid."""
    objects = [c for c in verb.children if c.dep_ in _OBJ]
    objects += [a for o in objects for a in o.children if a.dep_ == "appos"]
    return any(lex.has("envoys", o.lemma_) or o.ent_type_ in {"PERSON", "PER"} for o in objects)


def _presupposed(sent: SpacySpan, lex: Lexicon, done: set[int]) -> list[Candidate]:
    """Ongoing events that a sentence asks to end: "to end the blockade" implies a blockade.

    The one who is to end it is the one keeping it up, so the ending verb's subject is its actor.
    """
    out: list[Candidate] = []
    for tok in sent:
        if tok.pos_ != "VERB":
            continue
        keys = {tok.lemma_.lower()} | {
            f"{tok.lemma_.lower()} {c.lemma_.lower()}" for c in tok.children if c.dep_ in _OBJ
        }
        if not any(lex.has("reversal", k) for k in keys):
            continue
        own_subject = any(c.dep_ in _SUBJ for c in tok.children)
        irrealis = tok.dep_ in {"advcl", "ccomp", "acl", "xcomp"} or "Sub" in tok.morph.get(
            "Mood", []
        )
        if not (own_subject and irrealis):
            continue  # an ending that happened is itself the news (RETREAT), not the state
        for c in tok.children:
            if c.dep_ not in _OBJ and c.dep_ not in {"obl", "obl:mod", "nmod"}:
                continue
            code = _noun_code(c, lex) if c.pos_ == "NOUN" else None
            if code is None or c.i in done:
                continue
            typ, mode = _parse_code(code)
            if typ in HOSTILE:
                out.append(Candidate(c, tok, typ, mode, 0.0, False))
    return out


def _through_event_noun(head: Token, lex: Lexicon) -> Token:
    """An event noun is not a participant: "agreed to US mediation" -> "US"."""
    if head.pos_ != "NOUN" or _noun_code(head, lex) is None:
        return head
    actors, recips = _nominal_roles(head, head, lex)
    found = recips or [a for a in actors if a.i != head.i]
    return found[0] if found else head


def _event(
    cand: Candidate,
    typ: str,
    mode: str | None,
    aux: str | None,
    heads: tuple[list[Token], list[Token]],
    sent: SpacySpan,
    article: Article,
    lex: Lexicon,
) -> Event:
    actor_heads, recip_heads = heads
    recip_heads = [_through_event_noun(h, lex) for h in recip_heads]
    recip_heads = [h for h in recip_heads if h.pos_ != "NOUN" or _noun_code(h, lex) is None]
    actors = participants(actor_heads, article, lex)
    texts = {a.text for a in actors}
    recips = [p for p in participants(recip_heads, article, lex) if p.text not in texts]
    near = [cand.trigger] if cand.trigger.pos_ == "NOUN" else []
    return Event(
        type=typ,
        mode=mode,
        context=_contexts(typ, cand.mode),
        aux=aux,
        actors=tuple(actors),
        recipients=tuple(recips),
        where=tuple(places(sent, article, lex, cand.clause, near)),
        trigger=cand.trigger.text,
        evidence=Evidence(sent.start_char, sent.end_char, VERSION),
    )


def sentence_events(sent: SpacySpan, article: Article, lex: Lexicon) -> list[Event]:
    """Events of one parsed sentence (deep languages)."""
    out: list[Event] = []
    chosen = _pick(candidates(sent, lex))
    for cand in chosen:
        typ, mode, aux = code(cand, lex)
        heads = roles(cand, lex)
        reporter = _obligation(cand.clause, lex)
        if reporter is not None:
            typ, mode, aux = "REQUEST", cand.type.lower(), None
            heads = (_subjects(reporter, lex)[0], heads[0])
        if typ == "AID" and _is_envoy(cand.clause, lex):
            typ, mode = "CONSULT", "envoy"
        out.append(_event(cand, typ, mode, aux, heads, sent, article, lex))
    for cand in _presupposed(sent, lex, {c.trigger.i for c in chosen}):
        subj = [s for s in _subjects(cand.clause, lex)[0]]
        heads = (subj, _nominal_roles(cand.trigger, cand.clause, lex)[1])
        out.append(_event(cand, cand.type, cand.mode, None, heads, sent, article, lex))
    return out


def _contexts(typ: str, mode: str | None) -> tuple[str, ...]:
    ctx = list(CONTEXTS.get(typ, ()))
    for extra in MODE_CONTEXTS.get(mode or "", ()):
        if extra not in ctx:
            ctx.append(extra)
    return tuple(ctx)


def extract_events(article: Article) -> list[Event]:
    """PLOVER events of an article, each with its sentence span as evidence."""
    lang = article.language or ""
    lex = lexicon(lang)
    if lex is None or not article.body.strip():
        return []
    if lex.depth == "basic":
        from .events_basic import basic_events

        events = basic_events(article, lex)
    else:
        events = []
        spans = paragraphs(article.body)
        parsed = parse_many([article.body[a:b] for a, b in spans], lang)
        for (start, end), doc in zip(spans, parsed, strict=True):
            para = _paragraph(article, start, end)
            for sent in doc.doc.sents:
                events.extend(_shift(e, start) for e in sentence_events(sent, para, lex))
    return attach_dates(merge_anaphoric(events, article), article)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def paragraphs(body: str) -> list[tuple[int, int]]:
    """Spans of the body's paragraphs: a sentence never runs across a blank line, which the
    statistical sentence splitter does not always see ("Source: ...\n\nDétails: ...")."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in [*_BLANK_LINE.finditer(body), None]:
        end = m.start() if m is not None else len(body)
        if body[pos:end].strip():
            out.append((pos, end))
        if m is not None:
            pos = m.end()
    return out


def _paragraph(article: Article, start: int, end: int) -> Article:
    """The article seen through one paragraph: its text, and the entity mentions inside it."""
    entities = []
    for ent in article.entities:
        spans = tuple(
            dataclasses.replace(m, start=m.start - start, end=m.end - start)
            for m in ent.mentions
            if start <= m.start and m.end <= end
        )
        if spans:
            entities.append(dataclasses.replace(ent, mentions=spans))
    return dataclasses.replace(article, body=article.body[start:end], entities=tuple(entities))


def _shift(ev: Event, offset: int) -> Event:
    if ev.evidence is None or not offset:
        return ev
    ev_span = ev.evidence
    return dataclasses.replace(
        ev, evidence=Evidence(ev_span.start + offset, ev_span.end + offset, ev_span.stage)
    )


def _run(article: Article) -> Article:
    return dataclasses.replace(article, events=tuple(extract_events(article)))


STAGE_EVENTS = Stage(
    name="events",
    version=VERSION,
    requires=("body", "language", "entities", "dates"),
    produces=("events",),
    fn=_run,
)

__all__ = ["STAGE_EVENTS", "VERSION", "Participant", "extract_events"]
