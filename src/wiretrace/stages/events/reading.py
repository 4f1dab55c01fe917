"""One sentence read by the rules: its proposed events, the signals the classifier sees, and how
to build an event of whatever type the classifier settles on.

The rule coder (:mod:`.triggers`, :mod:`.roles`, :mod:`.modes`) proposes typed events with their
participants; a sentence where it finds no trigger still gets a reading from its main verb, so
that the classifier can code an event the lexicon does not know, with participants read off the
same clause. Events the sentence presupposes ("to end the blockade") stay a rule layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wiretrace.model import Article, Event, Evidence
from wiretrace.stages.events.claims import claims_clause
from wiretrace.stages.events.hazards import deep_hazard
from wiretrace.stages.events.lexicon import Lexicon
from wiretrace.stages.events.modes import (
    COOPERATIVE,
    HOSTILE,
    aux_mode,
    code,
    contexts_for,
    obligation,
)
from wiretrace.stages.events.participants import participants, places
from wiretrace.stages.events.roles import nominal_roles, roles
from wiretrace.stages.events.subcodes import RECODED, RULED, deep_subcode
from wiretrace.stages.events.syntax import SUBJ, Candidate, noun_code, prep_objects, subjects
from wiretrace.stages.events.triggers import (
    candidates,
    doers,
    is_envoy,
    pick,
    presupposed,
    through_event_noun,
)

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

VERSION = "events.v10"

Builder = Callable[[str, str | None, str | None], Event]


@dataclass
class Proposal:
    """A rule-coded event: type, mode and aux mode, and how to build it under any type."""

    type: str  # "NONE" for a main-clause reading without a trigger
    mode: str | None
    aux: str | None
    build: Builder
    entry: str = ""  # the lexicon entry of its trigger ("v:reject"), "" when none or unknown


@dataclass
class Reading:
    """What the rules make of one sentence; ``start``/``end`` are offsets in the article body."""

    text: str
    start: int
    end: int
    proposals: list[Proposal]
    presupposed: list[Proposal] = field(default_factory=list)
    signals: tuple[str, ...] = ()
    # The main reading's only agent is a natural hazard or an accident (:mod:`.hazards`): no
    # actor, so no event is coded from the reading.
    hazard: bool = False


def final_type(typ: str, rule: Proposal) -> tuple[str, str | None]:
    """The classifier's type under the clause's aux mode, as CAMEO/PLOVER code intentions.

    An announced or possible cooperative act is AGREE and a hostile one THREATEN; refusing to
    agree is REJECT. When the classifier agrees with the rules, their mode is kept.
    """
    if typ == rule.type:
        return typ, rule.mode
    if rule.aux == "negated" and typ == "AGREE":
        return "REJECT", "agree"
    if rule.aux in {"future", "hypothetical"}:
        if typ in COOPERATIVE and typ != "AGREE":
            return "AGREE", typ.lower()
        if typ in HOSTILE:
            return "THREATEN", typ.lower()
    return typ, None


def _entry(cand: Candidate, lex: Lexicon) -> str:
    """The lexicon entry of a candidate with its language ("en:v:reject"), or ""."""
    return f"{lex.lang}:{cand.entry}" if cand.entry else ""


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
    actor_heads = [a for h in actor_heads for a in doers(h, lex)]
    recip_heads = [through_event_noun(h, lex) for h in recip_heads]
    recip_heads = [h for h in recip_heads if h.pos_ != "NOUN" or noun_code(h, lex) is None]
    actors = participants(actor_heads, article, lex)
    texts = {a.text for a in actors}
    recips = [p for p in participants(recip_heads, article, lex) if p.text not in texts]
    partner = any(lex.has("with_preps", p) for p, _ in prep_objects(cand.clause, lex))
    if typ == "REJECT" and cand.type != "REJECT" and partner and len(actors) > 1 and not recips:
        # "will not negotiate with Hamas": the other party of a refused meeting is its target.
        actors, recips = actors[:1], actors[1:]
    near = [cand.trigger] if cand.trigger.i != cand.clause.i else []
    return Event(
        type=typ,
        mode=mode,
        context=contexts_for(typ, mode),
        aux=aux,
        actors=tuple(actors),
        recipients=tuple(recips),
        where=tuple(places(sent, article, lex, cand.clause, near)),
        trigger=cand.trigger.text,
        evidence=Evidence(sent.start_char, sent.end_char, VERSION),
    )


def _builder(
    cand: Candidate,
    heads: tuple[list[Token], list[Token]],
    sent: SpacySpan,
    article: Article,
    lex: Lexicon,
) -> Builder:
    def build(typ: str, mode: str | None, aux: str | None) -> Event:
        return _event(cand, typ, mode, aux, heads, sent, article, lex)

    return build


def _main_clause(sent: SpacySpan, lex: Lexicon) -> Candidate | None:
    """The main verb as a trigger-less candidate; a reporting verb hands over to its clause."""
    root = sent.root
    for c in root.children:
        if lex.has("reporting", root.lemma_) and c.dep_ in {"ccomp", "parataxis"}:
            root = c
            break
    if root.pos_ != "VERB" or lex.has("reporting", root.lemma_) or claims_clause(root, lex):
        return None  # a claim of responsibility is about an act, not one (:mod:`.claims`)
    if not any(c.dep_ in SUBJ for c in root.children):
        return None  # no doer in the clause: nothing to code an event between
    return Candidate(root, root, "NONE", None, 0.0, False)


def _signals(cand: Candidate, prop: Proposal, heads: tuple[list[Token], list[Token]]) -> list[str]:
    """Symbolic features of the main reading: rule type, aux mode, participant slots filled."""
    # Trigger and clause lemmas were tried as signals: they let the model memorise single
    # training sentences (in-sample far above cross-validated) and carry across no language.
    out = [f"rule:{prop.type}", f"aux:{prop.aux}"]
    if cand.nominal:
        out.append("nominal")
    out += [f"adep:{h.dep_}" for h in heads[0][:1]]
    out += [f"rdep:{h.dep_}" for h in heads[1][:1]]
    return out


def reported(sent: SpacySpan, cand: Candidate, lex: Lexicon) -> bool:
    """Whether a reporting verb other than the event's own tells who said it ("..., a
    spokesman announced"): the attribution is no part of the event, and the classifier is told
    so rather than left to read the sentence vector's reporting register as "no event"."""
    own = {cand.clause.i, cand.trigger.i}
    return any(t.pos_ == "VERB" and t.i not in own and lex.has("reporting", t.lemma_) for t in sent)


def read_sentence(sent: SpacySpan, article: Article, lex: Lexicon, offset: int) -> Reading:
    """The rules' reading of one parsed sentence (deep languages)."""
    proposals: list[Proposal] = []
    first: tuple[Candidate, tuple[list[Token], list[Token]]] | None = None
    chosen = pick(candidates(sent, lex))
    for cand in chosen:
        typ, mode, aux = code(cand, lex)
        heads = roles(cand, lex)
        reporter = obligation(cand.clause, lex)
        if reporter is not None:
            typ, mode, aux = "REQUEST", cand.type.lower(), None
            heads = (subjects(reporter, lex)[0], heads[0])
        if typ == "AID" and is_envoy(cand.clause, lex):
            typ, mode = "CONSULT", "envoy"
        build = _builder(cand, heads, sent, article, lex)
        proposals.append(Proposal(typ, mode, aux, build, _entry(cand, lex)))
        first = first or (cand, heads)
    if first is None:
        main = _main_clause(sent, lex)
        if main is not None:
            heads = roles(main, lex)
            aux = aux_mode(main, lex)
            proposals.append(Proposal("NONE", None, aux, _builder(main, heads, sent, article, lex)))
            first = (main, heads)
    extra: list[Proposal] = []
    for cand in presupposed(sent, lex, {c.trigger.i for c in chosen}):
        heads = (
            list(subjects(cand.clause, lex)[0]),
            nominal_roles(cand.trigger, cand.clause, lex)[1],
        )
        extra.append(
            Proposal(cand.type, cand.mode, None, _builder(cand, heads, sent, article, lex))
        )
    signals: tuple[str, ...] = ()
    hazard = False
    if first is not None:
        cand, heads = first
        rule = proposals[0]
        sub = (
            deep_subcode(cand.clause, cand.trigger, heads[0], lex) if rule.type in RECODED else None
        )
        if sub is not None and sub != (rule.type, rule.mode):
            proposals[0] = Proposal(sub[0], sub[1], rule.aux, rule.build)
        told = rule if (sub is not None and sub in RULED) else proposals[0]
        signals = tuple(_signals(cand, told, heads))
        if subjects(cand.clause, lex)[1]:
            signals += ("passive",)
        if reported(sent, cand, lex):
            signals += ("reported",)
        hazard = deep_hazard(heads[0], cand.clause, cand.trigger, lex)
        if hazard:
            signals += ("agent:hazard",)
    return Reading(
        text=sent.text,
        start=sent.start_char + offset,
        end=sent.end_char + offset,
        proposals=proposals,
        presupposed=extra,
        signals=signals,
        hazard=hazard,
    )
