"""A word before a person's name that belongs to the phrase before it, not to the name.

Russian and Ukrainian put the complement of a title between the title and the name, in the
genitive and with a capital when it is a name: "президентка Молдови Мая Санду", "мер Львова
Андрій Садовий", "жителька Куп'янська Дар'я Коваль". A capitalised-run reader (or a tagger)
then takes "Молдови Мая Санду" for one person. The grammar of personal names says where the
name starts: a person is named "given [patronymic] surname" or, surname first, "surname given
[patronymic]". So a word before a given name is part of the name only as that name's own given
name (a second one) or as a surname-first surname, which agrees with the given name in gender
and case and is followed by nothing but a patronymic. A leading word that can be neither is cut
off when something says it is no name word: the registry knows it as a place and the text
inflects it ("Молдови" for "Молдова"), or the dictionary knows it and the next word is a given
name. The place keeps its own mention (the registry's, from the gazetteer).
"""

from __future__ import annotations

import dataclasses
import re

from wiretrace.model import Role
from wiretrace.nlp import MORPH_LANGS, NAME_CASES, dictionary_spelling, morph_analyser
from wiretrace.stages.entities import frames, linking
from wiretrace.stages.entities.mentions import Mention
from wiretrace.textutil import fold, name_word_pattern

Reading = tuple[str, str]  # (gender, case); a word that is no name may be neuter


def _readings(word: str, lang: str, grammeme: str | None) -> set[Reading] | None:
    """Singular (gender, case) readings of a word, only those with ``grammeme`` when given
    ("Name": a given name, "Surn", "Patr"); None when the dictionary does not know the word."""
    morph = morph_analyser(lang)
    word = dictionary_spelling(word)
    if not morph.word_is_known(word.lower()):
        return None
    out: set[Reading] = set()
    for p in morph.parse(word):
        grams = set(p.tag.grammemes)
        if "plur" in grams or (grammeme is not None and grammeme not in grams):
            continue
        gender = str(p.tag.gender)  # ("ms-f": an indeclinable surname, either; None: no gender)
        genders = ("masc", "femn") if gender in ("ms-f", "None") else (gender,)
        out |= {(g, c) for g in genders for c in NAME_CASES & grams}
    return out


def _agrees(word: str, nxt: str, lang: str, grammeme: str) -> bool:
    """Can ``word``, read as ``grammeme``, stand in one gender and case with the next word?"""
    mine = _readings(word, lang, grammeme)
    if not mine:
        return False
    theirs = _readings(nxt, lang, None)
    return theirs is None or bool(mine & theirs)  # an unknown next word could agree


def not_in_name(word: str, rest: list[str], lang: str) -> bool:
    """Whether ``word`` cannot be a word of the person named by ``rest`` (the words after it)."""
    nxt = rest[0]
    if _agrees(word, nxt, lang, "Name"):
        return False  # a given name of its own ("Софії Ротару", "Анна Марія")
    surname_first_shape = len(rest) == 1 or (
        len(rest) == 2 and bool(_readings(rest[1], lang, "Patr"))
    )
    return not (surname_first_shape and _agrees(word, nxt, lang, "Surn"))


def split(others: list[Mention], gaz: list[Mention], body: str, lang: str | None) -> list[Mention]:
    """Person mentions (or untyped ones) with a leading place or complement cut off."""
    if lang not in MORPH_LANGS:
        return others
    places = {g.start: g for g in gaz if g.label == "place" and g.entry is not None}
    word_re = name_word_pattern(lang)
    out: list[Mention] = []
    for m in others:
        words = list(word_re.finditer(body, m.start, m.end))
        cut = _cut(m, words, places, lang) if m.label in (None, "person") else None
        if cut is None:
            out.append(m)
            continue
        lead_end, rest_start = cut
        if m.start not in places:  # the registry's mention stands for a registry place
            lemmas, _ = linking.lemmas(body[m.start : lead_end], lang)
            out.append(Mention(m.start, lead_end, body[m.start : lead_end], None, lemmas=lemmas))
        text = body[rest_start : m.end]
        lemmas, _ = linking.lemmas(text, lang)
        out.append(dataclasses.replace(m, start=rest_start, text=text, lemmas=lemmas, lead=m.start))
    return out


def noun_frame(
    body: str, m: Mention, lang: str | None, pos: dict[int, str]
) -> tuple[frames.FrameType, Role | None] | None:
    """The noun frame of a mention (:func:`frames.noun_frame`); for a name cut from its
    complement, the noun before the complement, whose role takes it in ("мера Львова")."""
    if m.lead is None:
        return frames.noun_frame(body, m.start, m.end, lang, pos)
    found = frames.noun_frame(body, m.lead, m.end, lang, pos)
    if found is None or found[1] is None:
        return found
    end = len(body[: m.start].rstrip())
    return found[0], Role(body[found[1].start : end], found[1].start, end)


def _cut(
    m: Mention, words: list[re.Match[str]], places: dict[int, Mention], lang: str
) -> tuple[int, int] | None:
    """(end of the leading word or place, start of the name) when the mention should be cut."""
    if len(words) < 2 or not words[1].group(0)[:1].isupper():
        return None
    g = places.get(m.start)
    if g is not None and g.end < m.end:
        rest = [w for w in words if w.start() >= g.end]
        inflected = all(fold(g.text) != fold(v) for v in g.variants)
        lead = " ".join(w.group(0) for w in words if w.start() < g.end)
        if rest and inflected and not_in_name(lead.split()[-1], [w.group(0) for w in rest], lang):
            return g.end, rest[0].start()
        return None
    first, after = words[0].group(0), [w.group(0) for w in words[1:]]
    if len(after) < 2 or not _readings(first, lang, None) or not _readings(after[0], lang, "Name"):
        return None
    if not_in_name(first, after, lang):
        return words[0].end(), words[1].start()
    return None
