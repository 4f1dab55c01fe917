"""Claims of responsibility: the claim reports an act, it is not one.

"The group claimed responsibility for the bombing", "a revendiqué l'attentat", "взяла на себя
ответственность за теракт": the bombing is an act someone did, told elsewhere (the claim names
it with a definite noun, as a thing already known); the claim is a statement about who did it,
as a reporting verb is. PLOVER has no category for claiming an act, and ACLED files claims apart
from the acts they claim. So the noun an act is claimed through (under ``responsibility_nouns``,
or the object of a ``claim_verbs`` verb) triggers no event of the sentence; a verb elsewhere in
it still does ("..., and vowed more attacks").

Deep languages read the dependency tree; basic ones a claim word standing within
:data:`WINDOW` words before the event noun.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from wiretrace.stages.events.hazards import folded_words
from wiretrace.stages.events.lexicon import Lexicon
from wiretrace.textutil import fold

if TYPE_CHECKING:
    from spacy.tokens import Token

# Words between a basic language's claim word and the noun it claims ("ответственность за
# вчерашний теракт", "la autoría del atentado").
WINDOW = 4
_OBJECTS = frozenset({"dobj", "obj"})


def _claim_word(tok: Token, lex: Lexicon) -> bool:
    return fold(tok.lemma_) in folded_words(lex, "responsibility_nouns")


def claimed(tok: Token, lex: Lexicon) -> bool:
    """Whether the noun ``tok`` names an act its sentence claims (deep languages): under a
    responsibility noun, or the object of a claim verb."""
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return False
    if tok.dep_ in _OBJECTS and fold(tok.head.lemma_) in folded_words(lex, "claim_verbs"):
        return True
    for node in tok.ancestors:
        if _claim_word(node, lex):
            return True
        if node.pos_ == "VERB":
            return False
    return False


def claims_clause(verb: Token, lex: Lexicon) -> bool:
    """Whether a clause verb claims an act: a claim verb, or one whose object is a
    responsibility noun ("took responsibility"); its clause tells no event by itself."""
    if fold(verb.lemma_) in folded_words(lex, "claim_verbs"):
        return True
    return any(c.dep_ in _OBJECTS and _claim_word(c, lex) for c in verb.children)


def basic_claimed(words: Sequence[str], at: int, lex: Lexicon) -> bool:
    """Whether the event noun at ``at`` among a basic sentence's ``words`` is claimed: a claim
    word (responsibility noun or claim verb, a stem: a word's start) stands within
    :data:`WINDOW` words before it."""
    before = words[max(0, at - WINDOW) : max(0, at)]
    stems = folded_words(lex, "responsibility_nouns") | folded_words(lex, "claim_verbs")
    return any(fold(w).startswith(s) for w in before for s in stems)
