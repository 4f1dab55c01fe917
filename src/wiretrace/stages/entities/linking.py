"""Finding and linking name mentions: registry gazetteer, morphology and Russian NER.

Three sources of mentions feed the entities stage, all language-neutral code driven by data in
``lang/<code>/entities.toml``:

* a gazetteer over the actor and outlet registries, matched word by word on folded text and
  tolerant of inflection (alias stem plus a short ending: "Путіна", "Стамбулі", "Putins");
* pymorphy3 lemmas and name/place tags for inflecting languages (dictionaries "uk", "ru");
* natasha's slovnet NER for Russian, whose weights ship inside the wheel (no download).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any, Literal

from wiretrace.nlp import NAME_GRAMMEMES, dictionary_spelling, morph_analyser, name_gender
from wiretrace.registry import OutletEntry, fold_aligned, outlets
from wiretrace.registry.actors import ActorEntry, actors, find_actor, name_words
from wiretrace.textutil import fold, lang_data, name_word_pattern

Kind = Literal["actor", "outlet"]
_lock = threading.Lock()


@dataclass(frozen=True)
class Hit:
    """A gazetteer match: body span and the registry entry it names."""

    start: int
    end: int
    entry: ActorEntry | OutletEntry
    alias: str = ""  # the registry spelling that matched, in the text's language and script


@dataclass(frozen=True)
class Inflection:
    """How names inflect in a language: endings to strip from aliases, suffix length allowed."""

    strip: frozenset[str]
    max_strip: int
    max_suffix: int
    morph: str | None


@functools.cache
def inflection(lang: str | None) -> Inflection:
    data: dict[str, Any] = lang_data(lang, "entities").get("inflection", {}) if lang else {}
    return Inflection(
        strip=frozenset(data.get("strip", [])),
        max_strip=int(data.get("max_strip", 1)),
        max_suffix=int(data.get("max_suffix", 0)),
        morph=data.get("morph"),
    )


def _stem(word: str, infl: Inflection) -> str:
    """Alias word minus inflectional endings; short words are kept whole to avoid collisions."""
    if not infl.strip or len(word) <= 4:
        return word
    n = 0
    while n < infl.max_strip and len(word) > 4 and word[-1] in infl.strip:
        word = word[:-1]
        n += 1
    return word


def _word_variants(word: str, infl: Inflection, stems: frozenset[str]) -> tuple[str, ...]:
    """Stems a text word may carry: itself and itself minus up to ``max_suffix`` characters.

    Ordered, least stripped first: when two variants both name registry aliases, the one
    closest to the text wins, whatever the process's string-hash seed (a set here made
    "Одесса" come out as "Одеса" in some processes and not in others).
    """
    out: dict[str, None] = {word: None} if word in stems else {}
    for k in range(0, infl.max_suffix + 1):
        base = word[: len(word) - k] if k else word
        if len(base) < 3:
            break
        st = _stem(base, infl)
        if (st in stems and len(st) >= 4) or (k == 0 and st in stems):
            out[st] = None
    return tuple(out)


@dataclass(frozen=True)
class _Gazetteer:
    index: dict[tuple[str, ...], tuple[ActorEntry | OutletEntry, bool, bool, str]]
    stems: frozenset[str]
    max_len: int
    infl: Inflection
    word: re.Pattern[str]  # one word of a name in the language (apostrophes: see textutil)
    # folded word -> its _word_variants, filled as words are met (news repeats its words)
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def word_variants(self, word: str) -> tuple[str, ...]:
        found = self.variants.get(word)
        if found is None:
            if len(self.variants) >= _VARIANTS_KEPT:
                self.variants.clear()  # a long-running process meets words without end
            found = self.variants[word] = _word_variants(word, self.infl, self.stems)
        return found


_VARIANTS_KEPT = 100_000


@functools.cache
def _gazetteer(lang: str | None) -> _Gazetteer:
    infl = inflection(lang)
    word = name_word_pattern(lang)
    index: dict[tuple[str, ...], tuple[ActorEntry | OutletEntry, bool, bool, str]] = {}
    entries: list[tuple[ActorEntry | OutletEntry, tuple[str, ...]]] = []
    # Outlets first: a name that is both an outlet and something else is the outlet
    # ("Politico" is never a place).
    entries.extend((o, o.aliases) for o in outlets())
    entries.extend((a, a.aliases) for a in actors())
    for entry, aliases in entries:
        for alias in aliases:
            # Same per-character folding as the scanned text, so "ß" and the like agree.
            words = tuple(word.findall(fold_aligned(alias)))
            if not words:
                continue
            key = tuple(_stem(w, infl) for w in words)
            # Capitalised aliases need a capital in the text; acronyms need all capitals.
            cap = alias[:1].isupper()
            upper = alias.isupper() and len(alias.replace(".", "")) <= 4
            index.setdefault(key, (entry, cap, upper, alias))
    stems = frozenset(w for key in index for w in key)
    return _Gazetteer(index, stems, max((len(k) for k in index), default=1), infl, word)


def scan(text: str, lang: str | None) -> list[Hit]:
    """Registry names occurring in ``text``, longest match first, non-overlapping, in order."""
    gaz = _gazetteer(lang)
    folded = fold_aligned(text)
    words = [(m.start(), m.end()) for m in gaz.word.finditer(folded)]
    variants = [gaz.word_variants(folded[s:e]) for s, e in words]
    # gap[i]: the first word at or after i with no variant (no name runs across it)
    gap = [len(words)] * (len(words) + 1)
    for j in range(len(words) - 1, -1, -1):
        gap[j] = j if not variants[j] else gap[j + 1]
    hits: list[Hit] = []
    i = 0
    while i < len(words):
        found = None
        for n in range(min(gaz.max_len, gap[i] - i), 0, -1):
            for key in product(*variants[i : i + n]):  # first word's variants outermost
                got = gaz.index.get(key)
                if got is None:
                    continue
                start, end = words[i][0], words[i + n - 1][1]
                if _case_ok(text[start:end], got[1], got[2]) and _joined(text, words, i, n):
                    if _other_given_name(text, words, i, n, got[0], gaz.infl):
                        continue
                    found = Hit(start, end, got[0], got[3])
                    break
            if found:
                hits.append(found)
                i += n
                break
        else:
            i += 1
    return hits


def _other_given_name(
    text: str, words: list[tuple[int, int]], i: int, n: int, entry: object, infl: Inflection
) -> bool:
    """ "Олена Зеленська", "Юлия Путина": a registered person's surname right after a given name
    that is not theirs is someone else of that family (morphology tells given names)."""
    if n != 1 or i == 0 or infl.morph is None or not isinstance(entry, ActorEntry):
        return False
    if entry.type != "person" or not _joined(text, words, i - 1, 2):
        return False
    prev = text[words[i - 1][0] : words[i - 1][1]]
    if not prev[:1].isupper():
        return False
    given = {fold(a.split()[0]) for a in entry.aliases if len(a.split()) > 1}
    parses = morph_analyser(infl.morph).parse(dictionary_spelling(prev))
    names = [p for p in parses if "Name" in p.tag.grammemes]
    return bool(names) and not any(
        fold(p.normal_form) in given or fold(prev) in given for p in names
    )


def _joined(text: str, words: list[tuple[int, int]], i: int, n: int) -> bool:
    """Words of one name are separated by spaces, hyphens or apostrophes, not by punctuation."""
    for k in range(i, i + n - 1):
        gap = text[words[k][1] : words[k + 1][0]]
        if len(gap) > 2 or any(c not in " -'’\u00a0." for c in gap):
            return False
    return True


def _case_ok(surface: str, cap: bool, upper: bool) -> bool:
    if upper:
        letters = [c for c in surface if c.isalpha()]
        return bool(letters) and all(c.isupper() for c in letters)
    return not cap or surface[:1].isupper()


# ---------------------------------------------------------------------------- morphology


MorphType = Literal["person", "place", "organisation"]


@functools.lru_cache(maxsize=8192)
def lemmas(text: str, lang: str | None) -> tuple[tuple[str, ...], MorphType | None]:
    """Dictionary forms of a (possibly inflected) name and the name class morphology suggests.

    Returns candidate lemmas, best first ("Путіна" -> ("Путін",)), and "person"/"place"/
    "organisation" when the analyser tags the words as such. Capitalisation is restored.
    """
    dictionary = inflection(lang).morph
    if dictionary is None:
        return (), None
    morph = morph_analyser(dictionary)
    # one word each, with an apostrophe ("Дар'я", "Куп’янську"), spelt as the dictionary does
    words = [dictionary_spelling(w) for w in name_word_pattern(lang).findall(text)]
    if not words:
        return (), None
    best: list[str] = []
    nominative: list[str] = []
    shortest: list[str] = []
    kind: MorphType | None = None
    gender = name_gender(words, dictionary)
    for word in words:
        parses = morph.parse(word)
        named = [p for p in parses if NAME_GRAMMEMES & set(p.tag.grammemes)]
        if gender is not None:
            # "Эльвира Набиуллина": the surname agrees with the first name's gender
            named = [p for p in named if gender in p.tag.grammemes] or named
        pick = named[0] if named else parses[0]
        grams = set(pick.tag.grammemes)
        if kind is None and named:
            if grams & {"Name", "Surn", "Patr"}:
                kind = "person"
            elif "Geox" in grams:
                kind = "place"
            elif "Orgn" in grams:
                kind = "organisation"
        lemma = pick.normal_form
        if gender is not None and not named and "inan" in grams:
            # in a person's name, an unknown surname read as a thing ("Токаев" as a plural of
            # "токай") keeps its written form
            lemma = word.lower()
        if gender == "femn" and "Surn" in grams:
            # pymorphy3's normal form of a woman's surname is the man's ("Набиуллин")
            nom = pick.inflect({"nomn", "sing"})
            lemma = nom.word if nom is not None else word.lower()
        # Guesses for unknown names sometimes add letters ("Виртанен" -> "виртанена"); a
        # dictionary form of a name only ever strips or swaps an ending.
        trusted = bool(named) or morph.word_is_known(word.lower())
        if len(lemma) > len(word) or not trusted:
            lemma = word.lower()
        best.append(_recase(lemma, word))
        forms = [p.normal_form for p in (named or parses[:1]) if len(p.normal_form) <= len(word)]
        forms = forms if trusted else []
        shortest.append(_recase(min(forms, key=len), word) if forms else word)
        top_is_nominative = "nomn" in parses[0].tag.grammemes
        nominative.append(word if top_is_nominative else _recase(lemma, word))
    joined = (" ".join(nominative), " ".join(best), " ".join(shortest))
    # the dictionary's apostrophe back to the one the text writes ("Дар’я")
    mark = next((c for c in text if c in "’ʼ"), "'")
    out = tuple(dict.fromkeys(j.replace("'", mark) for j in joined))
    return out, kind


def known_readings(word: str, lang: str | None) -> list[Any] | None:
    """pymorphy3's readings of a word its language's dictionary knows, or None when the word is
    unknown there or the language has no analyser."""
    dictionary = inflection(lang).morph
    if dictionary is None:
        return None
    morph = morph_analyser(dictionary)
    word = dictionary_spelling(word)
    if not morph.word_is_known(word.lower()):
        return None
    return list(morph.parse(word))


def common_word(word: str, lang: str | None) -> bool:
    """A word the dictionary knows only as a common word, never as a name ("Заяву")."""
    readings = known_readings(word, lang)
    named = NAME_GRAMMEMES | {"Abbr"}
    return readings is not None and not any(named & set(p.tag.grammemes) for p in readings)


def _recase(lemma: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return lemma.upper()
    if like[:1].isupper():
        return lemma[:1].upper() + lemma[1:]
    return lemma


# ---------------------------------------------------------------------------- natasha NER


@functools.cache
def _natasha() -> tuple[Any, Any, Any]:
    from natasha import MorphVocab, NewsEmbedding, NewsNERTagger, Segmenter

    with _lock:
        emb = NewsEmbedding()
        return Segmenter(), NewsNERTagger(emb), MorphVocab()


@dataclass(frozen=True)
class NerSpan:
    """A statistical NER mention: body offsets, label and (when known) normal form."""

    start: int
    end: int
    label: str
    normal: str | None = None


def natasha_spans(texts: Sequence[str]) -> list[list[NerSpan]]:
    """Russian NER with natasha's bundled slovnet model (PER, LOC, ORG), one batch per call.

    Batching matters: slovnet's per-call cost dominates short texts (about ten times faster
    over a batch than text by text).
    """
    _, tagger, _ = _natasha()
    return [
        [NerSpan(s.start, s.stop, s.type) for s in markup.spans] for markup in tagger.map(texts)
    ]


def resolve(name: str, lang: str | None = None) -> ActorEntry | OutletEntry | None:
    """The registry entry a name refers to (outlets first), lemmatising inflected names."""
    from wiretrace.registry import find_outlet

    hits = scan(name, lang)
    if len(hits) == 1 and hits[0].end - hits[0].start >= len(name.strip()) - 3:
        return hits[0].entry
    outlet = find_outlet(name)
    if outlet is not None and name_words(name) and fold_aligned(name).strip():
        exact = {w for a in outlet.aliases for w in [name_words(a)]}
        if name_words(name) in exact:
            return outlet
    cands, _ = lemmas(name, lang)
    return find_actor(name, cands)
