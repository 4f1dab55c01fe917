"""A common noun that introduces a name: "die Ärztin Julia Sommer", "el vecino Jorge Medina",
"the farmer Owen Pritchard", "медсестра Оксана Мельник", "the carrier British Airways".

News introduces people who hold no title by the noun for what they are. The frame is a
determiner, a common noun and a name of two or three capitalised words; the noun types the name
(a person noun makes it a person and is its role; an organisation noun makes it an organisation).
Which nouns are person nouns is told by the language's means:

* deep pipelines (en, fr): spaCy tags the word a common noun and it carries an agent or person
  suffix of the language (``[frames] person_suffixes``);
* German and Spanish (basic depth): the suffix class alone, German nouns capitalised, Spanish in
  lower case; only inside this frame, never for a lone capitalised word (where "-er" would take
  surnames such as Müller or Weber for nouns);
* Ukrainian and Russian: pymorphy3 says the word is an animate common noun (no determiner:
  these languages have none).

Organisation nouns that carry an agent suffix ("carrier", "Hersteller", "fabricante") are listed
(``[frames] org_nouns``) and type the name as an organisation.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Literal

from wiretrace.model import Role
from wiretrace.nlp import NAME_GRAMMEMES, PERSON_GRAMMEMES, dictionary_spelling, morph_analyser
from wiretrace.stages.entities import linking
from wiretrace.textutil import fold, lang_data, nouns_capitalised

FrameType = Literal["person", "organisation"]
_WORD = re.compile(r"\w+(?:['’]\w+)?")
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*")
_ELIDED = re.compile(r"^(?:l|d)['’]", re.IGNORECASE)


@dataclass(frozen=True)
class _Frames:
    determiners: frozenset[str]
    suffixes: tuple[str, ...]
    org_nouns: frozenset[str]
    capitalised: bool  # nouns are capitalised (German)
    animate: bool  # person nouns are told by morphology (pymorphy3 "anim")
    locative: frozenset[str]  # prepositions of place ("in", "near")
    locative_cases: dict[str, frozenset[str]]  # the cases they govern ("під": ablt)
    institutions: frozenset[str]  # "Офіс", "Альянс": capitalised heads of organisation names
    place_nouns: tuple[str, ...]  # "province", "Provinz", "район": the name is a place
    category_org: tuple[str, ...]  # "Gewerkschaft", "Partei": the name is an organisation
    peoples: tuple[str, ...]  # endings of peoples after a plural article ("les Écossais")
    plural: frozenset[str]  # plural articles ("les", "des")
    place_of: frozenset[str]  # "the village of X", "la provincia de X"
    place_suffixes: tuple[str, ...]  # "a Skopje-based analyst"


@functools.cache
def _frames(lang: str | None) -> _Frames:
    data: dict[str, Any] = lang_data(lang, "entities").get("frames", {}) if lang else {}
    cases: dict[str, list[str]] = data.get("locative_cases", {})
    return _Frames(
        determiners=frozenset(fold(w) for w in data.get("determiners", [])),
        suffixes=tuple(fold(s) for s in data.get("person_suffixes", [])),
        org_nouns=frozenset(fold(w) for w in data.get("org_nouns", [])),
        capitalised=nouns_capitalised(lang),
        animate=bool(data.get("animate", False)),
        locative=frozenset(fold(w) for w in [*data.get("locative", []), *cases]),
        locative_cases={fold(k): frozenset(v) for k, v in cases.items()},
        institutions=frozenset(fold(w) for w in data.get("institutions", [])),
        place_nouns=tuple(fold(w) for w in data.get("place_nouns", [])),
        category_org=tuple(fold(w) for w in data.get("category_org", [])),
        peoples=tuple(fold(w) for w in data.get("people_endings", [])),
        plural=frozenset(fold(w) for w in data.get("plural_articles", [])),
        place_of=frozenset(fold(w) for w in data.get("place_of", [])),
        place_suffixes=tuple(str(w) for w in data.get("place_suffixes", [])),
    )


def name_shaped(text: str, lo: int = 2, hi: int = 3) -> bool:
    """``lo`` to ``hi`` capitalised words, none in capitals only ("Julia Sommer")."""
    words = text.split()
    return lo <= len(words) <= hi and all(
        _NAME_WORD.fullmatch(w) is not None and w[:1].isupper() and not w.isupper() for w in words
    )


def _previous_word(body: str, end: int) -> re.Match[str] | None:
    """The word ending right before ``end`` after one space, with no punctuation between."""
    i = end
    while i > 0 and body[i - 1] in " \u00a0":
        i -= 1
    if i == end or end - i > 2:
        return None
    found = None
    for m in _WORD.finditer(body, max(0, i - 40), i):
        found = m
    return found if found is not None and found.end() == i else None


def _person_noun(word: str, start: int, lang: str | None, pos: dict[int, str]) -> bool:
    fr = _frames(lang)
    folded = fold(word)
    if fr.animate:
        return _animate_noun(word, lang)
    if not fr.suffixes or len(folded) < 4 or folded in fr.org_nouns:
        return False
    if fr.capitalised != word[:1].isupper():
        return False
    if (pos and pos.get(start) != "NOUN") or category(word, lang) is not None:
        return False  # (a place or organisation noun: "la région Toïvo Klaar")
    # German weak nouns take -en/-n outside the nominative ("den Patienten", "dem Bauern")
    forms = (folded, folded[:-2], folded[:-1]) if fr.capitalised else (folded,)
    return any(f.endswith(s) and len(f) > len(s) + 1 for f in forms for s in fr.suffixes)


def _animate_noun(word: str, lang: str | None) -> bool:
    readings = linking.known_readings(word, lang)
    if not readings:
        return False
    top = set(readings[0].tag.grammemes)
    # singular: "жители" (residents) is no one's role
    if "plur" in top or not {"NOUN", "anim"} <= top:
        return False
    return not any(NAME_GRAMMEMES & set(p.tag.grammemes) for p in readings)


def _determined(body: str, noun: re.Match[str], lang: str | None) -> bool:
    """Whether a determiner stands before the noun ("die Ärztin", "l'infirmière")."""
    fr = _frames(lang)
    if fr.animate:
        return True
    prev = _previous_word(body, noun.start())
    return prev is not None and fold(prev.group(0)) in fr.determiners


def noun_frame(
    body: str, start: int, end: int, lang: str | None, pos: dict[int, str]
) -> tuple[FrameType, Role | None] | None:
    """The type a common noun right before the name ``body[start:end]`` gives it, and the noun
    as the person's role; None outside the frame."""
    fr = _frames(lang)
    if not (fr.suffixes or fr.animate):
        return None
    noun = _previous_word(body, start)
    if noun is None:
        return None
    word = noun.group(0)
    elided = _ELIDED.match(word)
    n_start = noun.start() + (elided.end() if elided else 0)
    word = body[n_start : noun.end()]
    first = noun
    while not elided and not _determined(body, first, lang):
        prev = _previous_word(body, first.start())
        if prev is None or not _modifier(prev, lang, pos) or noun.start() - prev.start() > 40:
            return None
        first = prev
    if fold(word) in fr.org_nouns and fr.capitalised == word[:1].isupper():
        return ("organisation", None) if name_shaped(body[start:end], 1, 4) else None
    if not name_shaped(body[start:end]) or not _person_noun(word, n_start, lang, pos):
        return None
    r_start = n_start if first is noun else first.start()
    return "person", Role(body[r_start : noun.end()], r_start, noun.end())


def _modifier(word: re.Match[str], lang: str | None, pos: dict[int, str]) -> bool:
    """A word between the determiner and the noun: an adjective or number on deep pipelines
    ("the retired farmer"), in German a lower-case adjective or a place adjective in "-er"
    ("die junge Ärztin", "der Frankfurter Ökonom")."""
    if pos:
        return pos.get(word.start()) in {"ADJ", "NUM"}
    text = word.group(0)
    if not _frames(lang).capitalised:
        return False
    return text[:1].islower() or fold(text).endswith("er")


def leading_noun(body: str, seq: list[re.Match[str]], lang: str | None) -> bool:
    """German: a capitalised run ends in a person noun and a two-word name, after a determiner
    and capitalised place adjectives ("der Detroiter Bäcker Klaus Winter" -> "Klaus Winter")."""
    fr = _frames(lang)
    noun = seq[-3]
    if not fr.capitalised or not name_shaped(body[seq[-2].start() : seq[-1].end()]):
        return False
    if not all(fold(m.group(0)).endswith("er") for m in seq[:-3]):
        return False
    return _determined(body, seq[0], lang) and _person_noun(noun.group(0), noun.start(), lang, {})


def after_locative(body: str, start: int, end: int, lang: str | None) -> bool:
    """Whether a preposition of place stands right before ``start`` ("in Kalbajar"); where the
    language inflects (``[frames.locative_cases]``), the name must also stand in a case that
    preposition gives a place ("під Бахмутом", "в Ізюмі", "біля Вовчанська")."""
    prev = _previous_word(body, start)
    if prev is not None and _frames(lang).locative_cases:
        prev = _coordinated(body, prev, lang)
    if prev is None or fold(prev.group(0)) not in _frames(lang).locative:
        return False
    cases = _frames(lang).locative_cases.get(fold(prev.group(0)))
    dictionary = linking.inflection(lang).morph
    if cases is None or dictionary is None:
        return True
    words = body[start:end].split()
    if body[start:end].isupper() or _lemma(words[-1], lang) in _frames(lang).institutions:
        return False  # "в НАТО", "в Офісі президента": an organisation
    return _place_in_case(words, cases, dictionary)


def _coordinated(body: str, prev: re.Match[str], lang: str | None) -> re.Match[str]:
    """The preposition that governs a second conjunct too: for "у Новоросійську та Бєлгороді",
    the "у" before the first name, when one capitalised word stands between it and "та"."""
    conjunctions = {fold(w) for w in _conjunctions(lang)}
    if fold(prev.group(0)) not in conjunctions:
        return prev
    first = _previous_word(body, prev.start())
    if first is None or not first.group(0)[:1].isupper():
        return prev
    before = _previous_word(body, first.start())
    return before if before is not None else prev


@functools.cache
def _conjunctions(lang: str | None) -> tuple[str, ...]:
    data: dict[str, Any] = lang_data(lang, "entities").get("frames", {}) if lang else {}
    return tuple(str(w) for w in data.get("conjunctions", []))


# Cases in which a name after a preposition of place is hardly ever a person's ("в Ізюмі", "під
# Бахмутом"); in the genitive it may be ("у Петренка", "до Коваленка"), so there a reading as
# a surname or given name in that case rules the place out.
_PLACE_ONLY_CASES = frozenset({"loct", "loc2", "ablt"})


def _place_in_case(words: list[str], cases: frozenset[str], dictionary: str) -> bool:
    """The last word reads as an inanimate noun (or a dictionary place) in one of ``cases``, and
    no word is a given name or patronymic."""
    morph = morph_analyser(dictionary)
    if not words:
        return False
    for w in words:
        if any(
            {"Name", "Patr"} & set(p.tag.grammemes) for p in morph.parse(dictionary_spelling(w))
        ):
            return False
    parses = [set(p.tag.grammemes) for p in morph.parse(dictionary_spelling(words[-1]))]
    for case in cases:
        person = any(case in g and g & PERSON_GRAMMEMES for g in parses)
        for g in parses:
            if case not in g or "NOUN" not in g:
                continue
            if "Geox" in g or (
                "inan" in g
                and "Fixd" not in g  # an indeclinable word shows no case ("у Міноборони")
                and not g & PERSON_GRAMMEMES
                and (case in _PLACE_ONLY_CASES or not person)
            ):
                return True
    return False


@functools.lru_cache(maxsize=8192)  # asked for each mention of a group, several times
def _lemma(word: str, lang: str | None) -> str:
    dictionary = linking.inflection(lang).morph
    if dictionary is None:
        return fold(word)
    return fold(morph_analyser(dictionary).parse(dictionary_spelling(word))[0].normal_form)


def _category(word: str, nouns: tuple[str, ...], lang: str | None) -> bool:
    """A category noun, also closing a German compound ("Provinzhauptstadt") or inflected
    ("Autobauers", "районі": by its dictionary form where morphology is known)."""
    w = _lemma(word, lang)
    compound = _frames(lang).capitalised
    return any(w == n or (compound and w.rstrip("sn").endswith(n)) for n in nouns)


def category(word: str, lang: str | None) -> FrameType | Literal["place"] | None:
    """The type a category noun gives the name next to it ("Provinz Hamadan" -> place)."""
    fr = _frames(lang)
    if _category(word, fr.place_nouns, lang):
        return "place"
    if _category(word, fr.category_org, lang):
        return "organisation"
    return None


def place_frame(body: str, start: int, end: int, lang: str | None) -> bool:
    """ "Лачинському коридору", "Kerman province" (a place noun after the name) or "la
    provincia de Kermán" (a place noun and "de" before it)."""
    fr = _frames(lang)
    if not fr.place_nouns:
        return False
    if fr.place_suffixes and body.startswith(fr.place_suffixes, end):
        return True
    nxt = _WORD.match(body, end + 1) if body[end : end + 1] == " " else None
    if nxt is not None and nxt.group(0).islower() and _category(nxt.group(0), fr.place_nouns, lang):
        return True
    prev = _previous_word(body, start)
    if prev is not None and fold(prev.group(0)) in fr.place_of:
        noun = _previous_word(body, prev.start())
        return noun is not None and _category(noun.group(0), fr.place_nouns, lang)
    elided = _ELIDED.match(body[max(0, start - 2) : start + 1])
    if elided and start >= 2 and body[start - 2].lower() == "d" and "d" in fr.place_of:
        noun = _previous_word(body, start - 2)
        return noun is not None and _category(noun.group(0), fr.place_nouns, lang)
    return False


def people(body: str, start: int, end: int, lang: str | None) -> bool:
    """ "les Écossais", "des Sud-Africains": a people, written like a place name."""
    fr = _frames(lang)
    text = fold(body[start:end])
    if not fr.peoples or " " in text or not text.endswith(fr.peoples):
        return False
    prev = _previous_word(body, start)
    return prev is not None and fold(prev.group(0)) in fr.plural
