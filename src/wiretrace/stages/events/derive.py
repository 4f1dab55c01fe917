"""Event nouns read through the verb they are made from: "invasion" is the act of "invade".

A nominalisation names the act of its verb, and CAMEO and PLOVER code the act whatever part of
speech tells it ("Russia's invasion of Ukraine" as "Russia invaded Ukraine"). So a noun the
lexicon lacks is read as the entry of its verb when one of its language's derivational suffixes
(``[words] nominal_suffixes`` of ``lang/<code>/events.toml``, written ``"suffix>ending"``: the
noun's suffix and what ends its verb instead) leads to a verb the lexicon codes: "invasion" ->
"invade", "suspension" -> "suspend", "condamnation" -> "condamner", "suspensión" ->
"suspender". The noun is then an event noun like any other: it tells an event only as a light
verb's object ("announced a suspension of flights") or standing alone (a subject, or naming its
doer), and the entry it counts under is the verb's (``v:invade``), which a cross-validation
fold keeps or drops like every entry (:mod:`.lexfit`).

A suffix that leads to two verbs of different types decides nothing. Nouns too general to tell
an event (:data:`.generic.GENERIC`: "approval", "departure") and verbs that are cues (reporting,
light, control) are never read so.
"""

from __future__ import annotations

import functools

from wiretrace.stages.events.generic import CUE_LISTS, GENERIC, is_generic
from wiretrace.stages.events.lexicon import Lexicon
from wiretrace.textutil import fold

# The shortest part of the noun before its suffix: "ration", "nation" are no nominalisations.
MIN_BASE = 3


def verb_forms(noun: str, lex: Lexicon) -> list[str]:
    """The verbs ``noun`` may be made from, by the language's suffix rules (in rule order)."""
    low = noun.lower()
    out: list[str] = []
    for suffix, ending in _rules(lex.words.get("nominal_suffixes", frozenset())):
        if suffix and low.endswith(suffix) and len(low) - len(suffix) >= MIN_BASE:
            form = low[: len(low) - len(suffix)] + ending
            if form not in out:
                out.append(form)
    return out


@functools.lru_cache(maxsize=64)  # one list per lexicon
def _rules(rules: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(suffix, ending) of each ``"suffix>ending"`` rule, in rule order (read once per list)."""
    return tuple((rule.partition(">")[0], rule.partition(">")[2]) for rule in sorted(rules))


def one_type(found: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The one entry found, or None when none or several of different types."""
    types = {code.partition("/")[0] for _, code in found}
    return found[0] if len(types) == 1 else None


# id of a lexicon -> (the lexicon, noun lemma -> its derived entry): the reading of a lemma
# depends on the lexicon alone, and the coder asks it of every noun it reads, again and again.
_MEMO: dict[int, tuple[Lexicon, dict[str, tuple[str, str] | None]]] = {}
MEMO_LEXICONS = 8  # lexicons remembered (a cross-validation reads one per fold)
MEMO_LEMMAS = 65536  # lemmas remembered per lexicon


def derived_entry(lemma: str, lex: Lexicon) -> tuple[str, str] | None:
    """The verb entry (``v:<verb>``, code) a noun lemma of a deep language derives from."""
    hit = _MEMO.get(id(lex))
    if hit is None or hit[0] is not lex:
        if len(_MEMO) >= MEMO_LEXICONS:
            _MEMO.clear()
        hit = _MEMO[id(lex)] = (lex, {})
    memo = hit[1]
    if lemma in memo:
        return memo[lemma]
    if len(memo) >= MEMO_LEMMAS:
        memo.clear()
    found = memo[lemma] = _derived_entry(lemma, lex)
    return found


def _derived_entry(lemma: str, lex: Lexicon) -> tuple[str, str] | None:
    if is_generic(lex.lang, "nouns", lemma):
        return None
    found = [
        (f"v:{verb}", lex.verbs[verb])
        for verb in verb_forms(lemma, lex)
        if verb in lex.verbs and not any(lex.has(cue, verb) for cue in CUE_LISTS)
    ]
    return one_type(found)


def stem_forms(word: str, lex: Lexicon) -> list[str]:
    """The verbs a noun of a basic language may be made from ("suspensión" -> "suspender", which
    the stem "suspend" then reads), none for a noun too general to tell an event."""
    low = fold(word)
    generic = GENERIC.get(lex.lang, {}).get("nouns", "").split(",")
    if any(g.strip() and low.startswith(fold(g.strip())) for g in generic):
        return []
    return [f for f in verb_forms(low, lex) if not lex.has("reporting", f)]
