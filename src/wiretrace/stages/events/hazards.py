"""No actor, no event: a natural hazard or an accident is nobody's act.

The PLOVER codebook codes what a person, group, organisation or state does to another; an
earthquake, a flood, a fire, a landslide, a crash or an outbreak is not such an actor ("An
earthquake killed 30", "Floods destroyed hundreds of homes", "A blast at a chemical plant injured
14"). When the only agent of a sentence's trigger is such a thing, the sentence tells no event:
the rules' reading is flagged and :func:`wiretrace.stages.events.stage.decide` codes nothing from
it, whatever the verb ("kill", "destroy") would have coded.

The words are each language's ``[words]`` lists of ``lang/<code>/events.toml``, written from the
class (natural hazards, fires and explosions, collapses, crashes and derailments, outbreaks of
disease): ``hazard_agents``, and ``hazard_exceptions``, words that make the same noun someone's
weapon or act ("a bomb blast", "artillery fire", "a fire set by rebels"). Deep languages compare
lemmas; basic ones compare stems, a word matching a stem followed by at most
:data:`MAX_ENDING` letters of inflection (in compounding languages, at the word's end too:
"Waldbrand", "Gasexplosion").
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from wiretrace.stages.events.lexicon import Lexicon
from wiretrace.stages.events.syntax import prep_objects
from wiretrace.textutil import fold

if TYPE_CHECKING:
    from spacy.tokens import Token

# Letters of inflection a basic language's word may add to a listed stem ("пожар" + "ами").
MAX_ENDING = 3


@functools.cache
def _folded(lang: str, role: str, lex_words: frozenset[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in lex_words)


def folded_words(lex: Lexicon, role: str) -> frozenset[str]:
    """The folded words of one ``[words]`` list of the lexicon (folded once per list)."""
    return _folded(lex.lang, role, lex.words.get(role, frozenset()))


def stem_match(word: str, stems: frozenset[str], compounds: bool = False) -> bool:
    """Whether the folded ``word`` is one of ``stems`` with at most :data:`MAX_ENDING` letters
    after it, at its start (or, with ``compounds``, as its last part)."""
    w = fold(word)
    for s in stems:
        if w.startswith(s) and len(w) - len(s) <= MAX_ENDING:
            return True
        if compounds and len(s) >= 4:
            at = w.rfind(s)
            if at > 0 and len(w) - at - len(s) <= MAX_ENDING:
                return True
    return False


def _excepted(words: Sequence[str], lex: Lexicon) -> bool:
    """Whether a word makes the hazard someone's weapon or act ("bomb", "artillery")."""
    # Weapons are the same class as the weapons the sub-code rules know (``weapon_nouns``).
    exceptions = folded_words(lex, "hazard_exceptions") | folded_words(lex, "weapon_nouns")
    folded = [fold(w) for w in words]
    if lex.depth != "basic":
        return any(w in exceptions for w in folded)
    return any(e in w for w in folded for e in exceptions)


def _hazard_head(tok: Token, lex: Lexicon) -> bool:
    """A noun phrase head naming a hazard or an accident, with no weapon or agent under it."""
    hazards = folded_words(lex, "hazard_agents")
    if fold(tok.lemma_) not in hazards and fold(tok.text) not in hazards:
        return False
    under = [t for t in tok.subtree if t.i != tok.i]
    if any(lex.has("agent_preps", t.lower_) for t in under):
        return False  # "a fire set by rebels": an agent stands behind it
    return not _excepted([t.lemma_ for t in under] + [t.text for t in under], lex)


def _antecedent(tok: Token, lex: Lexicon) -> Token:
    """The noun a relative pronoun stands for ("mudslides that killed": "mudslides")."""
    if lex.has("relative", tok.lower_) and tok.head.dep_ in {"relcl", "acl:relcl"}:
        return tok.head.head
    return tok


def _accident_verb(verb: Token, lex: Lexicon) -> bool:
    """A verb that tells an accident happening to its subject ("the bus plunged", "a cylinder
    exploded"): listed in ``hazard_verbs`` and used without an object."""
    return lex.has("hazard_verbs", verb.lemma_) and not any(
        c.dep_ in {"dobj", "obj"} for c in verb.children
    )


def _accident_subject(tok: Token, lex: Lexicon) -> bool:
    """The subject of an accident verb, with no weapon in it ("a car bomb exploded" is no
    accident)."""
    if tok.dep_ not in {"nsubj", "nsubj:pass"} or not _accident_verb(tok.head, lex):
        return False
    return not _excepted([t.lemma_ for t in tok.subtree] + [t.text for t in tok.subtree], lex)


def deep_hazard(actors: Sequence[Token], clause: Token, trigger: Token, lex: Lexicon) -> bool:
    """Whether a deep reading's only agent is a hazard: every actor head is one (a relative
    pronoun standing for its noun) or the subject of an accident verb ("a bus plunged into a
    ravine, killing 14"); or there is no actor and the clause says the harm came in or from
    one ("were killed in a landslide") or while one happened ("when a cylinder exploded")."""
    if actors:
        heads = [_antecedent(a, lex) for a in actors]
        return all(_hazard_head(a, lex) or _accident_subject(a, lex) for a in heads)
    holders = {clause.i: clause, trigger.i: trigger}
    # Coordinated verbs share the circumstance ("were killed and five injured when ...").
    holders.update({c.i: c for c in clause.children if c.dep_ == "conj" and c.pos_ == "VERB"})
    if any(_hazard_head(obj, lex) for h in holders.values() for _, obj in prep_objects(h, lex)):
        return True
    return any(
        c.dep_ == "advcl"
        and _accident_verb(c, lex)
        and not _excepted([t.lemma_ for t in c.subtree], lex)
        for h in holders.values()
        for c in h.children
    )


def basic_hazard(before: Sequence[str], actors: Sequence[str], lex: Lexicon) -> bool:
    """Whether a basic reading's only agent is a hazard: a hazard word stands before the
    trigger (where these languages put the subject, or the "in a fire" of a passive), no
    exception word does, and every actor the reading found is itself a hazard phrase."""
    hazards = folded_words(lex, "hazard_agents")
    if not hazards or not any(stem_match(w, hazards, lex.compounds) for w in before):
        return False
    if _excepted(before, lex):
        return False
    return all(any(stem_match(w, hazards, lex.compounds) for w in a.split()) for a in actors)
