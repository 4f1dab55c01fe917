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
(:mod:`wiretrace.stages.events.basic`).

Modules: ``events`` (triggers, clause choice, the stage), ``event_syntax`` (tree helpers),
``event_roles`` (actor/recipient), ``modes`` (aux modes, intentions), ``actors`` (participants,
states, places), ``event_time`` (dates, re-mentions), ``events_basic`` (parser-less languages).
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from wiretrace.model import Article, Event, Evidence
from wiretrace.nlp import parse
from wiretrace.pipeline import Stage
from wiretrace.stages.events.modes import HOSTILE, code, contexts_for, obligation
from wiretrace.stages.events.participants import Lexicon, lexicon, participants, places
from wiretrace.stages.events.roles import nominal_roles, roles
from wiretrace.stages.events.syntax import (
    OBJ,
    SUBJ,
    Candidate,
    named_phrase,
    noun_code,
    parse_code,
    prep_objects,
    subjects,
    verb_code,
)
from wiretrace.stages.events.timing import attach_dates, merge_anaphoric

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

VERSION = "events.v1"


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
    if noun.dep_ in OBJ and head.pos_ in {"VERB", "AUX"} and lex.has("light", head.lemma_):
        return head
    # "n'a pas lancé d'offensive": a partitive object the parser files as an oblique.
    bare = not any(c.dep_ == "case" for c in noun.children)
    if noun.dep_.startswith("obl") and bare and lex.has("light", head.lemma_):
        return head
    if noun.dep_ in {"pobj", "nmod"} and _case_word_of(noun) in {"of", "de", "d'", "d’"}:
        # "launched ten days of war games", "une série de frappes": the measure is not the event
        measure = head.head if noun.dep_ == "pobj" else head
        verb = measure.head
        if measure.dep_ in OBJ and verb.pos_ == "VERB" and lex.has("light", verb.lemma_):
            return verb
    if noun.dep_ in {"pobj", "obl", "obl:arg"} and head.dep_ == "prep":
        verb = head.head  # "engaged in talks" / "in an attack"
        if verb.pos_ == "VERB" and lex.has("light", verb.lemma_):
            return verb
    if noun.dep_ in SUBJ and head.pos_ in {"VERB", "AUX"} and lex.has("light", head.lemma_):
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
    return lex.has("light", verb.lemma_) and any(
        c.dep_ in OBJ and noun_code(c, lex) is not None for c in verb.children
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
            code = verb_code(tok, lex)
            if code is not None and any(
                c.dep_ == "xcomp" and lex.has("no_event_complements", c.lemma_)
                for c in tok.children
            ):
                continue  # "declined to comment" is a statement, not a rejection
            if code is not None and not _event_object(tok, lex):
                typ, mode = parse_code(code)
                out.append(Candidate(tok, tok, typ, mode, _rank(tok, lex), False))
                continue
            if code is None and obligation(tok, lex) is not None:
                out.append(Candidate(tok, tok, "REQUEST", None, _rank(tok, lex), False))
                continue
        if tok.pos_ in {"NOUN", "PROPN"}:
            code = noun_code(tok, lex)
            if code is None:
                continue
            typ, mode = parse_code(code)
            if tok.dep_ == "ROOT" and any(c.dep_ in SUBJ for c in tok.children):
                # A verb the tagger took for a noun ("La Turquie menace de ..."): a clause.
                out.append(Candidate(tok, tok, typ, mode, 0.0, False))
                continue
            verb = _light_head(tok, lex)
            if verb is not None and (verb_code(verb, lex) is None or _event_object(verb, lex)):
                out.append(Candidate(tok, verb, typ, mode, _rank(verb, lex) + 0.25, False))
            elif _stands_alone(tok, lex):
                clause = _verb_above(tok) or tok
                out.append(Candidate(tok, clause, typ, mode, _rank(tok, lex) + 3, True))
    return out


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
    objects = [c for c in verb.children if c.dep_ in OBJ]
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


def _through_event_noun(head: Token, lex: Lexicon) -> Token:
    """An event noun is not a participant: "agreed to US mediation" -> "US"."""
    if head.pos_ != "NOUN" or noun_code(head, lex) is None:
        return head
    actors, recips = nominal_roles(head, head, lex)
    found = recips or [a for a in actors if a.i != head.i]
    return found[0] if found else head


def _doers(head: Token, lex: Lexicon) -> list[Token]:
    """An event noun as subject stands for its doer: "the Hamas attack killed ..." -> Hamas."""
    if head.pos_ != "NOUN" or noun_code(head, lex) is None:
        return [head]
    return [a for a in nominal_roles(head, head, lex)[0] if a.i != head.i]


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
    actor_heads = [a for h in actor_heads for a in _doers(h, lex)]
    recip_heads = [_through_event_noun(h, lex) for h in recip_heads]
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
        context=contexts_for(typ, cand.mode),
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
        reporter = obligation(cand.clause, lex)
        if reporter is not None:
            typ, mode, aux = "REQUEST", cand.type.lower(), None
            heads = (subjects(reporter, lex)[0], heads[0])
        if typ == "AID" and _is_envoy(cand.clause, lex):
            typ, mode = "CONSULT", "envoy"
        out.append(_event(cand, typ, mode, aux, heads, sent, article, lex))
    for cand in _presupposed(sent, lex, {c.trigger.i for c in chosen}):
        subj = [s for s in subjects(cand.clause, lex)[0]]
        heads = (subj, nominal_roles(cand.trigger, cand.clause, lex)[1])
        out.append(_event(cand, cand.type, cand.mode, None, heads, sent, article, lex))
    return out


def extract_events(article: Article) -> list[Event]:
    """PLOVER events of an article, each with its sentence span as evidence."""
    lang = article.language or ""
    lex = lexicon(lang)
    if lex is None or not article.body.strip():
        return []
    if lex.depth == "basic":
        from wiretrace.stages.events.basic import basic_events

        events = basic_events(article, lex)
    else:
        # The article's one parse, shared with the other stages (a line break always ends a
        # sentence there, so no sentence runs across paragraphs).
        events = []
        for sent in parse(article.body, lang).doc.sents:
            trimmed = _trimmed(sent)
            if trimmed is not None:
                events.extend(sentence_events(trimmed, article, lex))
    return attach_dates(merge_anaphoric(events, article), article)


def _trimmed(sent: SpacySpan) -> SpacySpan | None:
    """The sentence without the line-break tokens it ends (or starts) with; None if blank."""
    start, end = 0, len(sent)
    while start < end and sent[start].is_space:
        start += 1
    while end > start and sent[end - 1].is_space:
        end -= 1
    return sent[start:end] if end > start else None


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


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


def _run(article: Article) -> Article:
    return dataclasses.replace(article, events=tuple(extract_events(article)))


STAGE_EVENTS = Stage(
    name="events",
    version=VERSION,
    requires=("body", "language", "entities", "dates"),
    produces=("events",),
    fn=_run,
)

__all__ = ["STAGE_EVENTS", "VERSION", "extract_events", "paragraphs", "sentence_events"]
