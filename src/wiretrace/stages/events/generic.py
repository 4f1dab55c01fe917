"""Words too general to tell an event by themselves, and the cue lists that are never triggers.

Shared by the importer of outside examples (:mod:`.induce`: such a word never becomes an entry)
and the reading of nominalisations (:mod:`.derive`: such a noun is never read through its verb).
"""

from __future__ import annotations

import functools

# Words the deep coder treats as cues, never as triggers.
CUE_LISTS = ("reporting", "light", "transparent", "future_verbs", "deny", "no_event_complements")

# Keys whose common senses in news are not the example's type (motion, possession, talk,
# reporting, sport, finance, accidents: "left", "returned", "spoke", "beat", "release",
# "March", "rappeler", "приня", "взрыв"), decided on reading the induced list once, before
# any figure was measured: an example does not make them events by themselves.
# events.v7 adds (on reading the 296 English entries the CAMEO and ACLED-style examples induce,
# once, before measuring): words with a common sense outside the type ("work", "let", "stay",
# "travel", "commit", "require", "hit", "drop", "explode", "burn", "engage", "intercept",
# "scrap", "face", "show", "appeal", "audit", "lifting"), the police's force and the
# looting around a protest, which the writers filed under PROTEST or COERCE but which name
# shooting or plunder in most news ("fire at", "use round", "fire gas", "loot truck",
# "ransack"), and particle verbs whose particle does not make the event ("set up", "go on",
# "put on", "place on", "pick up", "break up", "come under", "turn back", "set off").
GENERIC = {
    "en": {
        "verbs": "acknowledge, admit, apply, beat, bow, breach, buss, deposit, fire, gather, "
        "go with, hint, join, leave, pull, push, reaffirm, receive, restore, return, settle, "
        "speak, step, treat, "
        "brush, burn, campaign, caution, commit, defuse, drop, empty, engage, escort, explode, "
        "fast, hit, insist, intercept, intervene, let, rap, ransack, reclaim, remove, require, "
        "scrap, shelter, stay, throw, travel, undertake, volunteer, work, "
        "announce plan, break up, come under, commit crime, fire at, fire bullet, fire gas, "
        "fire round, go on, hold in, launch project, launch strike, lay down, loot truck, "
        "mobilise lawmaker, pick up, place on, put on, rally opposition, release gas, "
        "send group, set off, set office, set up, speak up, stand up, tie up, turn back, "
        "use round, use spray, withdraw unit",
        "nouns": "approval, deadline, demand, departure, march, penalty, release, shelter, "
        "appeal, audit, broker, cyberattack, de, face, fire drill, joint statement, lifting, "
        "roadblock, show, tip off",
    },
    "fr": {"verbs": "quitter, rappeler", "nouns": "prêt"},
    "es": {"verbs": "elevó", "nouns": "operación"},
    "ru": {"verbs": "оцени, приня", "nouns": "взрыв, защит"},
    "uk": {"verbs": "блоку, навча, поверну, посили", "nouns": "операц"},
}


def is_generic(lang: str, table: str, key: str) -> bool:
    """Whether ``key`` is listed too general a word of ``table`` ("verbs", "nouns") in ``lang``."""
    return key in _generic_words(lang, table)


@functools.cache
def _generic_words(lang: str, table: str) -> frozenset[str]:
    """The words of one list of :data:`GENERIC`, split once (every noun the coder reads asks)."""
    return frozenset(w.strip() for w in GENERIC.get(lang, {}).get(table, "").split(","))
