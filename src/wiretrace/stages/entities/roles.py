"""Roles and titles of people, read from the words around a name.

News names people with their function: in apposition after the name ("Igor Khovaev,
représentant spécial de Poutine pour ..."), before it as a pre-modifier ("the EU's special
representative Toivo Klaar", "le vice-ministre russe des Affaires étrangères Mikhaïl Galuzine"),
or as an apposition closing a clause ("son représentant dans la région, Toivo Klaar"). The
patterns are shared; the words that head a title are language data (``[roles]`` in
``lang/<code>/entities.toml``). On deep pipelines the part-of-speech tags stop a pre-modifier at
a verb; elsewhere the walk is bounded by punctuation and length.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from wiretrace.model import Role
from wiretrace.nlp import MORPH_LANGS, dictionary_spelling, morph_analyser
from wiretrace.registry import fold_aligned
from wiretrace.stages.entities import frames, linking
from wiretrace.textutil import fold, lang_data
from wiretrace.textutil import stop_words as spacy_stop_words

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# Punctuation that closes an apposition or separates clauses.
_STOP = '.;:!?()[]«»“”"\n'
_MAX_APPOSITION_WORDS = 16
_MAX_PREMOD_WORDS = 7
_BLOCKING_POS = frozenset({"VERB", "AUX", "PRON", "SCONJ"})
_MAX_ENDING = 4  # letters an inflected title may add to its head ("представником")
# pymorphy3's classes that end a noun phrase at basic depth: a finite verb, infinitive, gerund or
# short participle ("повідомив", "пошкоджено"), a conjunction or preposition that is no joiner of
# a title ("що", "про"), a pronoun. Full participles stay: they modify ("виконуючий обов'язки").
_MORPH_BLOCKING = {
    "VERB": "VERB",
    "INFN": "VERB",
    "GRND": "VERB",
    "PRTS": "VERB",
    "CONJ": "SCONJ",
    "PREP": "ADP",
    "NPRO": "PRON",
}


@dataclass(frozen=True)
class RoleLexicon:
    heads: tuple[str, ...]
    compound: bool
    joiners: frozenset[str]

    @functools.cached_property
    def _heads_of(self) -> dict[str, bool]:
        return {}  # folded word -> is_head, filled as words are met (each walks every head)

    def is_head(self, folded_word: str) -> bool:
        """Whether a word is (an inflected form of) a title head: the head plus a short
        ending, the head alone when it is short ("re", "мер"), or inside a compound."""
        memo = self._heads_of
        found = memo.get(folded_word)
        if found is None:
            if len(memo) >= _HEADS_KEPT:
                memo.clear()  # a long-running process meets words without end
            found = memo[folded_word] = self._is_head(folded_word)
        return found

    def _is_head(self, folded_word: str) -> bool:
        w = folded_word.replace("’", "'")
        if self.compound and "-" in w:
            w = w.rsplit("-", 1)[1]  # "Grünen-Chefin": the title is the last part
        if w.startswith("ex") and len(w) > 6 and self.is_head(w[2:].lstrip("-")):
            return True  # a former holder: "exministro", "ex-ministre"
        for h in self.heads:
            if " " in h:
                continue
            if len(h) <= 3:
                if w == h:
                    return True
            elif (w.startswith(h) and len(w) - len(h) <= _MAX_ENDING) or (
                self.compound and len(h) >= 6 and h in w
            ):
                return True
        return False


_HEADS_KEPT = 100_000


@functools.cache
def lexicon(lang: str | None) -> RoleLexicon:
    data: dict[str, Any] = lang_data(lang, "entities").get("roles", {}) if lang else {}
    return RoleLexicon(
        heads=tuple(data.get("heads", [])),
        compound=bool(data.get("compound", False)),
        joiners=frozenset(data.get("joiners", [])),
    )


@functools.cache
def stop_words(lang: str | None) -> frozenset[str]:
    """Folded stop words: spaCy's list for the language plus ``[candidates] stop``."""
    words: set[str] = set(spacy_stop_words(lang))
    data: dict[str, Any] = lang_data(lang, "entities").get("candidates", {}) if lang else {}
    words.update(fold(w) for w in data.get("stop", []))
    return frozenset(words)


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    folded: str
    pos: str | None


def _words(
    text: str, lo: int, hi: int, pos: dict[int, str], lang: str | None = None
) -> list[_Word]:
    """Words of ``text[lo:hi]``; without a parse (``pos`` empty), a language with a morphology
    dictionary tags the words that end a noun phrase (:data:`_MORPH_BLOCKING`)."""
    folded = fold_aligned(text[lo:hi])
    tag = not pos and lang in MORPH_LANGS
    return [
        _Word(
            lo + m.start(),
            lo + m.end(),
            m.group(0),
            _morph_pos(text[lo + m.start() : lo + m.end()], lang)
            if tag and lang
            else pos.get(lo + m.start()),
        )
        for m in _WORD.finditer(folded)
    ]


@functools.lru_cache(maxsize=16384)
def _adjective(word: str, lang: str) -> bool:
    """Whether the word's first dictionary reading is an adjective or a full participle (not
    "Раніше", an adverb first)."""
    parses = morph_analyser(lang).parse(dictionary_spelling(word.lower()))
    return bool(parses) and str(parses[0].tag.POS) in ("ADJF", "PRTF")


@functools.lru_cache(maxsize=16384)
def _morph_pos(word: str, lang: str) -> str | None:
    """A blocking tag for a word whose first dictionary reading is a verb form, a conjunction, a
    preposition or a pronoun; None for a title word, a joiner or anything else."""
    lex = lexicon(lang)
    low = word.lower()
    if lex.is_head(fold(low)) or fold(low) in lex.joiners:
        return None
    parses = morph_analyser(lang).parse(dictionary_spelling(low))
    if not parses or not morph_analyser(lang).word_is_known(dictionary_spelling(low)):
        return None
    return _MORPH_BLOCKING.get(str(parses[0].tag.POS))


def roles_for(
    body: str,
    start: int,
    end: int,
    sentence: tuple[int, int],
    lang: str | None,
    pos: dict[int, str],
    followed_by_name: bool = False,
) -> list[Role]:
    """Roles attached to the person mention ``body[start:end]`` inside ``sentence``.

    ``pos`` maps token start offsets to coarse POS tags (empty at basic depth).
    ``followed_by_name`` is set when another person name follows directly, in which case a
    title before this mention belongs to that next name ("спецпредставник Путіна Ігор Ховаєв").
    """
    lex = lexicon(lang)
    if not lex.heads:
        return []
    out: list[Role] = []
    after = _after(body, end, sentence[1], lex, pos, lang)
    if after is not None:
        out.append(after)
    if not followed_by_name:
        one = " " not in body[start:end]
        before = _premodifier(body, start, sentence[0], lex, pos, lang, one)
        if before is not None:
            out.append(before)
        elif after is None:
            closing = _closing_apposition(body, start, end, sentence, lex, pos, lang)
            if closing is not None:
                out.append(closing)
    return out


def _role(body: str, s: int, e: int) -> Role:
    text = body[s:e].strip(" ,")
    s = body.index(text, s) if text else s
    return Role(text, s, s + len(text))


def _after(
    body: str, end: int, sent_end: int, lex: RoleLexicon, pos: dict[int, str], lang: str | None
) -> Role | None:
    """Apposition after the name: ", <title ...>" up to the next comma or clause end."""
    m = re.match(r"\s*,\s*", body[end:sent_end])
    if m is None:
        return None
    lo = end + m.end()
    hi = lo
    while hi < sent_end and body[hi] not in _STOP and body[hi] != ",":
        hi += 1
    words = _words(body, lo, hi, pos, lang)[:_MAX_APPOSITION_WORDS]
    if not words:
        return None
    # The title head must open the apposition, after at most a determiner or possessive
    # ("son représentant") or a possessor's name ("Vladimir Putin's special representative").
    first = next((i for i, w in enumerate(words[:5]) if lex.is_head(w.folded)), None)
    if first is None or any(w.pos in _BLOCKING_POS for w in words[:first]):
        return None
    if first >= 2 and not all(
        body[w.start].isupper() or w.folded == "s" or w.pos in {"ADJ", "DET"} for w in words[:first]
    ):
        return None
    stop = len(words)
    for i, w in enumerate(words[first + 1 :], first + 1):
        if w.pos in {"VERB", "AUX"}:
            stop = i
            break
    # Keep the modifiers before the head ("Washington's senior adviser"), not a determiner.
    lead = 0
    while lead < first and (
        words[lead].pos in {"DET", "PRON"} or words[lead].folded in lex.joiners
    ):
        lead += 1
    return _role(body, words[lead].start, words[stop - 1].end)


def _premodifier(
    body: str,
    start: int,
    sent_start: int,
    lex: RoleLexicon,
    pos: dict[int, str],
    lang: str | None,
    one_word: bool = False,
) -> Role | None:
    """Title directly before the name: "<title ...> Name" with no punctuation in between."""
    lo = start
    while lo > sent_start and body[lo - 1] not in _STOP and body[lo - 1] != ",":
        lo -= 1
    words = _words(body, lo, start, pos, lang)[-_MAX_PREMOD_WORDS:]
    if not words or words[-1].folded in lex.joiners:
        return None
    if words[-1].pos == "ADP" or (not pos and words[-1].folded in stop_words(lang)):
        # "a supplier from Baden-Württemberg", "une ONG présente à Hérat": a title never ends
        # in a preposition or function word, the name is its complement.
        return None
    if frames.category(body[words[-1].start : words[-1].end], lang) is not None and one_word:
        return None  # "Bürgermeister der Gemeinde Altkirch": the name is the Gemeinde's
    head = None
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if w.pos in _BLOCKING_POS or (not pos and w.pos == "ADP"):
            break  # (a preposition outside a title governs what follows: "про обстріл Ізюма")
        if lex.is_head(w.folded):
            head = i
    if head is None:
        return None
    first = _modifiers_before(body, words, head, lang)
    return _role(body, words[first].start, words[-1].end)


def _modifiers_before(body: str, words: list[_Word], head: int, lang: str | None) -> int:
    """Index of the first modifier of a title head ("special representative", "EU's")."""
    first = head
    while first > 0:
        prev = words[first - 1]
        capitalised = body[prev.start].isupper() and prev.folded not in stop_words(lang)
        modifier = prev.pos in {"ADJ", "PROPN"} or (prev.pos is None and capitalised)
        if lang in MORPH_LANGS and not prev.pos:
            # Ukrainian and Russian put a name that qualifies a title after it ("мер Львова");
            # before it stand adjectives only ("Харківський губернатор", not "в Новошахтинске
            # губернатор").
            modifier = _adjective(body[prev.start : prev.end], lang)
        if modifier or (prev.folded == "s" and first > 1):
            first -= 1
        else:
            break
    return first


def _closing_apposition(
    body: str,
    start: int,
    end: int,
    sentence: tuple[int, int],
    lex: RoleLexicon,
    pos: dict[int, str],
    lang: str | None,
) -> Role | None:
    """A title phrase, a comma, then the name closing the clause ("<title ...>, Name.")."""
    tail = body[end : sentence[1]].lstrip()
    if tail and tail[0] not in ".;:!?" and not _closes_parenthetical(tail, lex):
        # Only a name closing its clause or a parenthetical ("the minister, Sergei Lavrov,
        # said"); "…, Taroudant, Chichaoua et …" is a list, not a title.
        return None
    m = re.search(r",\s*$", body[sentence[0] : start])
    if m is None:
        return None
    comma = sentence[0] + m.start()
    lo = comma
    while lo > sentence[0] and body[lo - 1] not in _STOP and body[lo - 1] != ",":
        lo -= 1
    words = _words(body, lo, comma, pos, lang)
    heads = [i for i, w in enumerate(words) if lex.is_head(w.folded)]
    if not heads:
        return None
    head = heads[-1]
    if any(w.pos in {"VERB", "AUX"} for w in words[head + 1 :]):
        return None
    if len(words) - head > _MAX_PREMOD_WORDS:
        return None
    first = _modifiers_before(body, words, head, lang)
    return _role(body, words[first].start, words[-1].end)


def _closes_parenthetical(tail: str, lex: RoleLexicon) -> bool:
    """ ", said …": a comma, then a lower-case word that does not continue a list."""
    m = re.match(r",\s*(\w+)", tail)
    if m is None:
        return False
    word = m.group(1)
    return word[:1].islower() and fold(word) not in lex.joiners


@functools.cache
def _demonyms(lang: str | None) -> dict[str, str]:
    data: dict[str, Any] = lang_data(lang, "entities").get("demonyms", {}) if lang else {}
    return {fold(k): str(v) for k, v in data.items()}


def country_from_roles(roles: list[Role], lang: str | None) -> str | None:
    """Country implied by a title: a demonym ("russe") or a place/actor named in it."""
    dem = _demonyms(lang)
    for role in roles:
        for word in fold(role.text).replace("-", " ").split():
            for stem, code in dem.items():
                if word.startswith(stem):
                    return code
        for hit in linking.scan(role.text, lang):
            country = getattr(hit.entry, "country", None)
            if country:
                return str(country)
    return None
