"""The quotation lexicon of one language, text folding that keeps offsets, and the candidate type.

Every finder reads ``lang/<code>/quotes.toml`` through :func:`lexicon`; nothing in the code names
a language. :class:`Cand` is what the finders produce and the stage assembles.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from wiretrace.textutil import CharTable, lang_data, nouns_capitalised

Range = tuple[int, int]

# Clause punctuation that ends a speaker phrase or separates an inverted reporting clause.
_CLAUSE_END = re.compile(r"[,;:.!?\n()\[\]«»“”„\"]")
WORD = re.compile(r"\w+(?:['’-]\w+)*")


@dataclass(frozen=True)
class Lexicon:
    """One language's quotation lexicon, folded for matching."""

    lang: str
    verbs: frozenset[str]
    needs_content: frozenset[str]
    object_verbs: frozenset[str]
    inverted_only: frozenset[str]
    quote_only: frozenset[str]
    according: tuple[str, ...]
    that: frozenset[str]
    declined: tuple[str, ...]
    pronouns: frozenset[str]
    person_pronouns: frozenset[str]
    anaphors: tuple[str, ...]
    definite: frozenset[str]
    same: frozenset[str]
    anonymity: tuple[str, ...]
    anonymous_nouns: frozenset[str]
    indefinite: frozenset[str]
    spokesperson: tuple[str, ...]
    bodies: tuple[str, ...]
    outlets: tuple[str, ...]
    documents: tuple[str, ...]
    abbreviations: frozenset[str]
    connectors: frozenset[str]
    relatives: frozenset[str] = frozenset()
    function_words: frozenset[str] = frozenset()
    # "according" words that open a verb-final clause ("wie die Polizei mitteilte"): a source
    # only when a verb ends that clause, not in a comparison ("so hoch wie nie seit …").
    according_clause: frozenset[str] = frozenset()
    # Third-person pronoun -> the genders and numbers it may take ("m", "f", "n"; "s", "p"),
    # for languages without a morphological analyser here.
    pronoun_features: tuple[tuple[str, str], ...] = ()
    # Article -> gender and number it shows of its noun ("die" f, "la" f s), for role nouns.
    determiner_features: tuple[tuple[str, str], ...] = ()
    # The language leaves pronoun subjects out ("«…», añadió"): a cue with no speaker has one.
    pro_drop: bool = False
    # Every noun is capitalised (German; lang/<code>/language.toml): a capital after an article
    # names no one.
    capitalised_nouns: bool = False
    # Endings of plural reporting verb forms, for languages without an analyser here.
    plural_verb_endings: tuple[str, ...] = ()
    # "according" words set after their source ("der Behörde zufolge").
    according_after: frozenset[str] = frozenset()
    # Separable verbs, "verb particle": the particle may close the clause ("fügte er hinzu").
    separable: tuple[str, ...] = ()
    # Endings that make a title noun feminine ("Ministerin"), for a name's gender.
    feminine_suffixes: tuple[str, ...] = ()

    @functools.cached_property
    def particles(self) -> frozenset[str]:
        return frozenset(p.partition(" ")[2] for p in self.separable)

    # The two feature tables as mappings, built once per lexicon (one lexicon per language).
    # Memos of the quote stage's token scan (stages.quotes.deep), keyed by spaCy string hash:
    # what a word form is (cue verb, capitalised, a colon), whether a lemma is a cue verb.
    @functools.cached_property
    def form_kinds(self) -> dict[int, int]:
        return {}

    @functools.cached_property
    def lemma_cues(self) -> dict[int, bool]:
        return {}

    @functools.cached_property
    def pronoun_table(self) -> Mapping[str, str]:
        return dict(self.pronoun_features)

    @functools.cached_property
    def determiner_table(self) -> Mapping[str, str]:
        return dict(self.determiner_features)


@functools.cache
def name_particles() -> frozenset[str]:
    """Lower-case particles inside a person's name in any language ("de", "da"), as written
    (``[names] particles`` of ``lang/xx/entities.toml``)."""
    names = lang_data("xx", "entities").get("names", {})
    return frozenset(str(p) for p in names.get("particles", []))


def _words(data: dict[str, object], key: str) -> tuple[str, ...]:
    raw = data.get(key, [])
    return tuple(lfold(str(w)) for w in raw) if isinstance(raw, list) else ()


@functools.cache
def lexicon(lang: str | None) -> Lexicon:
    """The folded lexicon of ``lang`` (English when the language ships none)."""
    code = lang or "en"
    data = lang_data(code, "quotes") or lang_data("en", "quotes")
    cues = data.get("cues", {})
    spk = data.get("speakers", {})
    assert isinstance(cues, dict) and isinstance(spk, dict)
    return Lexicon(
        lang=code,
        verbs=frozenset(_words(cues, "verbs")),
        needs_content=frozenset(_words(cues, "needs_content")),
        object_verbs=frozenset(_words(cues, "object_verbs")),
        inverted_only=frozenset(_words(cues, "inverted_only")),
        quote_only=frozenset(_words(cues, "quote_only")),
        according=tuple(sorted(_words(cues, "according"), key=len, reverse=True)),
        that=frozenset(_words(cues, "that")),
        declined=_words(cues, "declined"),
        pronouns=frozenset(_words(spk, "pronouns")),
        person_pronouns=frozenset(_words(spk, "person_pronouns")),
        anaphors=_words(spk, "anaphors"),
        definite=frozenset(_words(spk, "definite")),
        same=frozenset(_words(spk, "same")),
        anonymity=_words(spk, "anonymity"),
        anonymous_nouns=frozenset(_words(spk, "anonymous_nouns")),
        indefinite=frozenset(_words(spk, "indefinite")),
        spokesperson=_words(spk, "spokesperson"),
        bodies=_words(spk, "bodies"),
        outlets=_words(spk, "outlets"),
        documents=_words(spk, "documents"),
        abbreviations=frozenset(w.rstrip(".") for w in _words(data, "abbreviations")),
        connectors=frozenset(_words(spk, "connectors")),
        relatives=frozenset(_words(spk, "relatives")),
        function_words=_stop_words(code),
        according_clause=frozenset(_words(cues, "according_clause")),
        pronoun_features=_table(spk, "pronoun_features"),
        determiner_features=_table(spk, "determiner_features"),
        pro_drop=bool(spk.get("pro_drop", False)),
        capitalised_nouns=nouns_capitalised(code),
        plural_verb_endings=_words(cues, "plural_verb_endings"),
        according_after=frozenset(_words(cues, "according_after")),
        separable=_words(cues, "separable"),
        feminine_suffixes=_words(spk, "feminine_suffixes"),
    )


def _table(data: dict[str, object], key: str) -> tuple[tuple[str, str], ...]:
    raw = data.get(key, {})
    return tuple((lfold(k), str(v)) for k, v in raw.items()) if isinstance(raw, dict) else ()


def _stop_words(code: str) -> frozenset[str]:
    """spaCy's stop-word list of the language (no model needed), folded; empty when it has none."""
    import spacy.util

    try:
        words = spacy.util.get_lang_class(code).Defaults.stop_words
    except (ImportError, KeyError):
        return frozenset()
    return frozenset(lfold(w) for w in words)


@functools.cache
def _fold_char(c: str) -> str:
    if c in "’ʼ‘`´":
        return "'"
    base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    low = (base or c).lower()
    return low[0] if low else c


@functools.lru_cache(maxsize=16384)
def lfold(text: str) -> str:
    """Lexicon folding: the same per-character folding as the text, blanks collapsed.

    Memoised: the quote stage folds every token's text and lemma, mostly the same few words.
    """
    return " ".join(fold_same_length(text).split())


def fold_same_length(text: str) -> str:
    """Fold case, accents and apostrophes character by character, so offsets stay valid."""
    if text.isascii():  # most text of most pages: one C call instead of one per character
        return text.lower().replace("`", "'")
    return text.translate(_SAME_LENGTH)


_SAME_LENGTH = CharTable(_fold_char)  # filled as characters are first met


def find_phrase(folded: str, phrase: str, start: int = 0, end: int | None = None) -> list[int]:
    """Start offsets of ``phrase`` in ``folded`` on word boundaries."""
    stop = len(folded) if end is None else end
    out: list[int] = []
    i = folded.find(phrase, start, stop)
    while i >= 0:
        before = folded[i - 1] if i > 0 else " "
        j = i + len(phrase)
        after = folded[j] if j < len(folded) else " "
        ok_before = not before.isalnum() or not phrase[:1].isalnum()
        ok_after = not after.isalnum() or not phrase[-1:].isalnum()
        if ok_before and ok_after and j <= stop:
            out.append(i)
        i = folded.find(phrase, i + 1, stop)
    return out


@dataclass
class Cand:
    """A reporting event found in the text: cue, speaker and (maybe not yet) content."""

    cue: Range
    speaker: Range | None
    content: Range | None
    sent: Range
    via_according: bool = False
    inverted: bool = False
    segs: list[Range] = field(default_factory=list)
    # when the speaker is a relative pronoun ("Jeb Bush, who said"): the phrase it stands for
    antecedent: Range | None = None


def strip_range(text: str, r: Range, chars: str = " \t\n,;:—–-") -> Range | None:
    """``r`` without surrounding blanks and clause punctuation, or None when nothing is left."""
    s, e = r
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return (s, e) if e > s else None


def clause_after(text: str, pos: int, limit: int) -> Range:
    """From ``pos`` to the next clause punctuation (bounded by ``limit``)."""
    m = _CLAUSE_END.search(text, pos, limit)
    return (pos, m.start() if m else limit)
