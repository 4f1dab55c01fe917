"""Class rules for three CAMEO sub-codes whose PLOVER type the verb alone does not give.

The types are those of PLOVER's CAMEO conversion table (CAMEO2PLOVER, 2021).

* **Violent repression** (CAMEO 175, "use tactics of violent repression"): force used on
  protesters, by tear gas, water cannon, batons, rubber bullets or live fire, or breaking up
  their rally, is **ASSAULT** (mode ``repress``), as PLOVER's CAMEO conversion table (2021)
  codes 175, not the protest it meets:
  a repression verb (``repression_verbs``: disperse, break up, beat, fire, ...) or a means of
  crowd control (``repression_means``: tear gas, water cannon, baton, ...) with protesters or
  their gathering (``protest_participants``) on the receiving side, and security forces
  (``security_forces``) or no one named as the doers (deep languages; basic ones: protesters
  not opening the sentence).
* **Seizing weapons** (CAMEO 171, "seize or damage property"): seizing, finding, defusing or
  dismantling weapons, explosives or a cache (``seizure_verbs`` with ``weapon_nouns``) is
  **COERCE** (mode ``seize``).
* **Taking territory by force** (CAMEO 19x, fight): seizing, capturing, overrunning or retaking
  a town, a base or control of an area (``territory_verbs`` with ``territory_nouns`` or a place
  name) is **ASSAULT** (mode ``seize``). Occupying territory (CAMEO 192) stays COERCE, as the
  team's table codes it: "occupy" is no territory verb.

They re-code only a reading the rules coded as a physical act or as no event (``RECODED``): a
threat to disperse a rally is still a threat. The words are each language's ``[words]`` lists
of ``lang/<code>/events.toml``, written from the sub-codes' definitions; deep languages compare
lemmas over the clause's dependency tree, basic ones stems over the sentence (a stem matches a
word's start; in compounding languages, anywhere in it: "Tränengas", "Waffenlager").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from wiretrace.stages.events.hazards import folded_words
from wiretrace.stages.events.lexicon import Lexicon
from wiretrace.stages.events.syntax import prep_objects
from wiretrace.textutil import fold

if TYPE_CHECKING:
    from spacy.tokens import Token

# Rule types a class rule may re-code: physical acts, and sentences with no trigger.
RECODED = frozenset({"NONE", "ASSAULT", "COERCE", "PROTEST", "MOBILIZE"})
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_OBJECTS = frozenset({"dobj", "obj", "nsubjpass", "nsubj:pass", "attr"})


def _has(lex: Lexicon, role: str, word: str) -> bool:
    return fold(word) in folded_words(lex, role)


def _lemma_in(tok: Token, lex: Lexicon, role: str) -> bool:
    return _has(lex, role, tok.lemma_) or _has(lex, role, tok.text)


def _place(tok: Token, lex: Lexicon) -> bool:
    """A place: a town, base or area noun, or a place name."""
    if tok.ent_type_ in PLACE_ENTS or _lemma_in(tok, lex, "territory_nouns"):
        return True
    # "control of the airport", "le contrôle de la ville": the place the control is over.
    if _lemma_in(tok, lex, "control_nouns"):
        under = [g for c in tok.children for g in ([c] if c.dep_ != "prep" else c.children)]
        return any(g.dep_ not in {"det", "amod", "case"} and _place(g, lex) for g in under)
    return False


def deep_subcode(
    clause: Token, trigger: Token, actors: Sequence[Token], lex: Lexicon
) -> tuple[str, str] | None:
    """The (type, mode) a class rule gives a deep reading, or None."""
    doers = {t.i for a in actors for t in a.subtree}
    side = [t for t in clause.subtree if t.i not in doers and t.i != clause.i]
    verbs = [clause] if trigger.i == clause.i else [clause, trigger]
    nouns = [t for t in side if t.pos_ in {"NOUN", "PROPN"}]
    protesters = [t for t in nouns if _lemma_in(t, lex, "protest_participants")]
    # Doers named, none of them security forces: an attack on protesters, not repression.
    repressor = not actors or any(
        _lemma_in(t, lex, "security_forces") for a in actors for t in a.subtree
    )
    if protesters and repressor:
        forceful = any(_lemma_in(v, lex, "repression_verbs") for v in verbs)
        if forceful or any(_lemma_in(t, lex, "repression_means") for t in side):
            return "ASSAULT", "repress"
    objects = [t for v in verbs for t in v.children if t.dep_ in _OBJECTS]
    # "s'emparer de la ville", "took weapons from the depot": prepositional objects too.
    # Not where it happened ("took a decision in the capital").
    objects += [o for v in verbs for p, o in prep_objects(v, lex) if not lex.has("place_preps", p)]
    taken = [t for o in objects for t in o.subtree]
    seizing = any(_lemma_in(v, lex, "seizure_verbs") for v in verbs)
    if seizing and any(_lemma_in(t, lex, "weapon_nouns") for t in taken):
        return "COERCE", "seize"
    taking = any(_lemma_in(v, lex, "territory_verbs") for v in verbs)
    if taking and any(_place(o, lex) for o in objects):
        return "ASSAULT", "seize"
    return None


def _stem_in(word: str, stems: frozenset[str], compounds: bool) -> bool:
    w = fold(word)
    return any(w.startswith(s) or (compounds and len(s) >= 5 and s in w) for s in stems)


def basic_subcode(words: Sequence[str], lex: Lexicon) -> tuple[str, str] | None:
    """The (type, mode) a class rule gives a basic reading of a sentence's ``words``, or None.
    Protesters who open the sentence are its doers, not the ones repressed."""

    def has(role: str, among: Sequence[str] = words) -> bool:
        table = folded_words(lex, role)
        return bool(table) and any(_stem_in(w, table, lex.compounds) for w in among)

    repressed = has("protest_participants") and not has("protest_participants", words[:1])
    if repressed and (has("repression_verbs") or has("repression_means")):
        return "ASSAULT", "repress"
    if has("seizure_verbs") and has("weapon_nouns"):
        return "COERCE", "seize"
    if has("territory_verbs") and (has("territory_nouns") or has("control_nouns")):
        return "ASSAULT", "seize"
    return None
