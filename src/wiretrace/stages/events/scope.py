"""Where an event happened when its clause does not say: a place its sentence names.

Participants read without a parse (the nearest name runs of :mod:`.basic`) are settled first by
what their words are: a town or region after a place preposition ("у Брюсселі", "в Стамбуле",
"en Estambul") says where, not who; an adjective cut from its noun is no one, unless it names
a state ("російську блокаду"); a leading preposition is not part of a name ("В
Госдепартаменте"); the event's own trigger word is never its participant ("Блокада
Лачинського коридора"); a subject pronoun before the trigger with no actor read ("Она
подписала …") stands for the nearest earlier person of its paragraph that agrees with it.
Russian and Ukrainian words are read by pymorphy3. A place after a
place preposition is also preferred as the event's place over other places of its sentence
("Делегации России … в Стамбуле": Russia is whose, Istanbul where).

The parse reads places off the event's own clause ("met in Istanbul"); languages without a
parser, and clauses whose place sits elsewhere in the sentence ("In Kherson, shelling killed
..."), get the place entities of the event's sentence that are not already its actors or
recipients. Nothing outside the sentence is taken, so no place is invented.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any

from wiretrace.model import Article, Entity, Event, Participant
from wiretrace.nlp import MORPH_LANGS, depth_for, morph_analyser
from wiretrace.textutil import fold, lang_data

_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def sentence_places(article: Article, start: int, end: int) -> list[tuple[int, Participant]]:
    """(offset, place) for each place entity mentioned between ``start`` and ``end``."""
    out: list[tuple[int, Participant]] = []
    for ent in article.entities:
        if ent.type != "place":
            continue
        for m in ent.mentions:
            if start <= m.start and m.end <= end:
                out.append((m.start, Participant(m.text, entity_id=ent.id, country=ent.country)))
                break
    return sorted(out, key=lambda p: p[0])


def with_place(ev: Event, article: Article) -> Event:
    """The event, its participants settled (:func:`settle`), with the places of its sentence
    when it has none of its own."""
    ev = settle(ev, article)
    if ev.where or ev.evidence is None:
        return ev
    taken = {p.entity_id for p in (*ev.actors, *ev.recipients) if p.entity_id}
    names = {fold(p.text) for p in (*ev.actors, *ev.recipients)}
    where: list[Participant] = []
    found = sentence_places(article, ev.evidence.start, ev.evidence.end)
    # A place after a place preposition ("in Vilnius", "в Стамбуле") says where; other places
    # of the sentence count only when none does ("Делегации России": whose, not where).
    preps = _place_preps(article.language or "")
    located = [(i, p) for i, p in found if _prep_before(article.body, i, preps)]
    for _, place in located or found:
        name = fold(place.text)
        if place.entity_id in taken or any(name in n or n in name for n in names):
            continue
        if all(fold(w.text) != name for w in where):
            where.append(place)
    return dataclasses.replace(ev, where=tuple(where)) if where else ev


def _prep_before(body: str, pos: int, preps: frozenset[str]) -> bool:
    before = _WORD.findall(body[max(0, pos - 20) : pos])
    return bool(before) and fold(before[-1]) in preps


def settle(ev: Event, article: Article) -> Event:
    """The event with participants that are someone, for languages read without a parse."""
    lang = article.language or ""
    if ev.evidence is None or depth_for(lang) == "deep":
        return ev
    sent = article.body[ev.evidence.start : ev.evidence.end]

    def kept(parts: tuple[Participant, ...]) -> tuple[Participant, ...]:
        out = [_settled(p, ev, sent, article, lang) for p in parts]
        return tuple(dict.fromkeys(p for p in out if p is not None))

    actors = kept(ev.actors)
    if not actors:
        who = _pronoun_actor(ev, article, lang)
        actors = (who,) if who is not None else ()
    return dataclasses.replace(ev, actors=actors, recipients=kept(ev.recipients))


def _pronoun_actor(ev: Event, article: Article, lang: str) -> Participant | None:
    """ "Він провів переговори …": a subject pronoun right before the trigger stands for the
    nearest earlier person of its paragraph whose gender and number agree (pymorphy3 for
    Russian and Ukrainian names; other languages agree on the pronoun's number only)."""
    from wiretrace.stages.quotes.lexicon import lexicon
    from wiretrace.stages.quotes.morph import compatible, phrase_features

    assert ev.evidence is not None
    body, s0 = article.body, ev.evidence.start
    at = body.find(ev.trigger or "\0", s0, ev.evidence.end)
    if at < 0:
        return None
    clause = re.split(r"[,;:–—(«»\"“”]", body[s0:at])[-1]
    before = _WORD.findall(clause)
    lex = lexicon(lang)
    table = lex.pronoun_table
    near = [w for w in before[-3:] if fold(w) in table]
    if not near:
        return None
    feats = frozenset(table[fold(near[-1])])
    if "p" in feats and "s" not in feats:
        return None  # "вони", "они": a group, not one named person
    floor = body.rfind("\n", 0, s0) + 1
    best: tuple[int, Entity] | None = None
    for ent in article.entities:
        if ent.type != "person":
            continue
        for m in ent.mentions:
            if floor <= m.start and m.end <= at - len(clause) + clause.find(near[-1]):
                own = phrase_features(body, (m.start, m.end), lex, person=True)
                if compatible(feats, own) and (best is None or m.start > best[0]):
                    best = (m.start, ent)
    if best is None:
        return None
    return Participant(best[1].name, entity_id=best[1].id, country=best[1].country)


def _settled(
    p: Participant, ev: Event, sent: str, article: Article, lang: str
) -> Participant | None:
    words = _WORD.findall(p.text)
    if not words:
        return None
    stops = _stop_words(lang)
    lead = fold(words[0])
    located = lead in _place_preps(lang) or _after_place_prep(p.text, sent, lang)
    article_word = lead in _definite(lang)  # "La Habana", "La Iglesia": part of the name
    if len(words) > 1 and lead in stops and not article_word and not _acronym(words[0]):
        words = words[1:]  # "В Госдепартаменте", "Через російську"
        p = dataclasses.replace(p, text=p.text[p.text.index(words[0]) :])
    if ev.trigger and any(fold(w).startswith(fold(ev.trigger)[:5]) for w in words):
        return None  # "Блокада Лачинського коридору" names the event, not who took part
    ent = next((e for e in article.entities if e.id == p.entity_id), None)
    if located and _local_place(p, ent, words, lang):
        return None
    # "Лачинського", "Первые" (an adjective cut from its noun), "Keine": no one. A state
    # adjective ("Російські [війська]") keeps its state; a plural adjective standing as a
    # subject is a noun for people ("Неизвестные", "Невідомі").
    alone = len(words) == 1 and not p.country and not p.entity_id
    if alone and (_adjective(words[0], lang) or fold(words[0]) in stops):
        return None
    return p


def _after_place_prep(text: str, sent: str, lang: str) -> bool:
    i = sent.find(text)
    before = _WORD.findall(sent[:i]) if i > 0 else []
    return bool(before) and fold(before[-1]) in _place_preps(lang)


def _local_place(p: Participant, ent: Entity | None, words: list[str], lang: str) -> bool:
    """A town or region, not a state: a place entity without a country of its own name, or a
    word pymorphy3 reads as a place name in the locative case."""
    if ent is not None:
        return ent.type == "place" and not (ent.canonical_id or "").startswith("country:")
    if lang in MORPH_LANGS:
        parses = morph_analyser(lang).parse(words[-1])
        return any(
            {"Geox", "loct"} <= _grams(q.tag) or {"Geox", "loc2"} <= _grams(q.tag) for q in parses
        )
    return False


def _adjective(word: str, lang: str) -> bool:
    """An adjective or ordinal cut from its noun ("Лачинського", "Первые"), read by pymorphy3;
    not a plural nominative adjective, which stands for people ("Неизвестные напали")."""
    if lang not in MORPH_LANGS:
        return False
    first = morph_analyser(lang).parse(word)[0]
    grams = _grams(first.tag)
    if {"nomn", "plur"} <= grams and first.tag.POS in {"ADJF", "PRTF"} and "Anum" not in grams:
        return False
    return first.tag.POS in {"ADJF", "ADJS", "PRTF", "NUMR"} or "Anum" in grams


def _acronym(word: str) -> bool:
    return word.isupper() and len(word) > 1


@functools.cache
def _definite(lang: str) -> frozenset[str]:
    from wiretrace.stages.quotes.lexicon import lexicon

    return lexicon(lang).definite


def _grams(tag: Any) -> set[str]:
    """A pymorphy3 tag's grammemes as strings (the dictionaries differ in what they know, and
    asking a tag about a grammeme its dictionary lacks raises)."""
    return set(str(tag).replace(" ", ",").split(","))


@functools.cache
def _place_preps(lang: str) -> frozenset[str]:
    return frozenset(fold(str(w)) for w in lang_data(lang, "agents").get("place_preps", []))


@functools.cache
def _stop_words(lang: str) -> frozenset[str]:
    from wiretrace.stages.quotes.lexicon import lexicon

    return lexicon(lang).function_words
