"""Auxiliary modes of an event and the intention rules that follow from them.

An event is ``negated`` (negation or a denying verb above it), ``hypothetical`` (modal,
conditional mood, "if/unless"), or ``future`` (future tense or auxiliary, "plans to", "ready
to"). As CAMEO and PLOVER code stated intentions, an announced cooperative act is AGREE, an
announced hostile one THREATEN, a refused cooperation REJECT; the aux mode stays on the event so
that nothing planned or denied counts as having happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wiretrace.stages.events.lexicon import Lexicon
from wiretrace.stages.events.syntax import Candidate, verb_code

if TYPE_CHECKING:
    from spacy.tokens import Token

# Intentions: cooperative deeds announced for later are AGREE; hostile ones are THREATEN.
COOPERATIVE = frozenset({"AID", "SUPPORT", "COOPERATE", "CONSULT", "CONCEDE", "RETREAT", "AGREE"})
HOSTILE = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"})
# Verbs that are events by being said: their mood does not make them intentions.
SPEECH_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "AGREE", "PROTEST"})


def aux_words(verb: Token) -> list[Token]:
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
        if node.dep_ == "pcomp" and node.head.dep_ == "prep":
            node = node.head.head  # "committed to opening": the adjective governs the verb
            continue
        if node.dep_ in {"xcomp", "conj", "acomp", "amod"} or (
            node.dep_ in {"ccomp", "advcl", "obl"} and node.head.pos_ in {"ADJ", "VERB"}
        ):
            node = node.head
            continue
        break
    return out


def aux_mode(cand: Candidate, lex: Lexicon) -> str | None:
    """negated | hypothetical | future from negation, modal, tense and control-verb cues."""
    words = aux_words(cand.clause)
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
        or any(lex.has("willing", w.lemma_) or lex.has("willing", w.lower_) for w in words)
    )
    return "future" if future else None


def obligation(verb: Token, lex: Lexicon) -> Token | None:
    """The reporting verb above a "must"/"doit" clause, which makes the clause a REQUEST.

    The modal may sit on a verb above ours: "the US must be ready to mediate".
    """
    node = verb
    for _ in range(3):
        has_must = any(
            c.dep_ in {"aux", "aux:tense"} and lex.has("obligation_aux", c.lemma_)
            for c in node.children
        ) or (node.dep_ == "xcomp" and lex.has("obligation_verbs", node.head.lemma_))
        if has_must:
            break
        if node.dep_ not in {"xcomp", "acomp"}:
            return None
        node = node.head
    else:
        return None
    if node.dep_ == "xcomp" and lex.has("obligation_verbs", node.head.lemma_):
        node = node.head
    if node.dep_ == "ccomp" and (
        lex.has("reporting", node.head.lemma_) or verb_code(node.head, lex) is not None
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
    for w in aux_words(cand.clause):
        for c in w.children:
            if any(lex.has("threat_conditional", m.lower_) for m in c.children):
                return True
    return False


def _intended(cand: Candidate, lex: Lexicon) -> bool:
    words = aux_words(cand.clause)
    return any(lex.has("future_aux", w.lower_) or lex.has("deny", w.lemma_) for w in words) or any(
        lex.has("hypothetical_aux", w.lower_) for w in words
    )


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


def contexts_for(typ: str, mode: str | None) -> tuple[str, ...]:
    ctx = list(CONTEXTS.get(typ, ()))
    for extra in MODE_CONTEXTS.get(mode or "", ()):
        if extra not in ctx:
            ctx.append(extra)
    return tuple(ctx)
