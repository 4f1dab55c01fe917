"""Stems of a basic language's words, as its lexicon keys them (matched at a word's start).

In ru/uk a word's stem is its common start with its pymorphy3 lemma (an event noun also loses
the lemma's own case ending), and pymorphy3's part of speech says whether it is a verb or a
noun; in de/es, with no lemmatiser shipped, the word loses its longest inflectional ending that
leaves :data:`MIN_INDUCED_STEM` letters, and the caller says whether it is a noun.
"""

from __future__ import annotations

from wiretrace.nlp import MORPH_LANGS, morph_analyser
from wiretrace.textutil import fold

# The shortest stem a basic language gets from an example (the coder reads stems of 4 letters
# and more; one letter more keeps an induced stem from reading unrelated words).
MIN_INDUCED_STEM = 5
# Inflectional endings a basic language's word loses to become a stem, longest first.
_ENDINGS = {
    "es": (
        "ieron", "aron", "iendo", "ando", "aban", "ados", "adas", "idos", "idas", "ado", "ada",
        "ido", "ida", "ió", "ó", "an", "en", "ar", "er", "ir", "os", "as", "es", "a", "e", "o", "s",
    ),
    "de": ("ungen", "test", "ten", "te", "en", "et", "er", "es", "t", "e", "n", "s"),
}  # fmt: skip
_LEMMA_VERB = frozenset({"VERB", "INFN", "PRTF", "PRTS", "GRND"})


def _common_start(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def stem_of(lang: str, word: str, noun: bool) -> tuple[str, str] | None:
    """(table, stem) of a basic language's trigger word, or None when no safe stem exists."""
    low = word.lower()
    if lang in MORPH_LANGS:
        best = morph_analyser(lang).parse(low)[0]
        pos = str(best.tag.POS)
        table = "verbs" if pos in _LEMMA_VERB else "nouns" if pos == "NOUN" else ""
        stem = _common_start(low, str(best.normal_form).lower())
        if table == "nouns":  # the lemma's own ending changes with case: "атака", "атаку"
            stem = stem.rstrip("аяоеьиыйуюіїє")
        return (table, stem) if table and len(fold(stem)) >= MIN_INDUCED_STEM else None
    for end in _ENDINGS.get(lang, ()):
        if low.endswith(end) and len(fold(low[: -len(end)])) >= MIN_INDUCED_STEM:
            return ("nouns" if noun else "verbs", low[: -len(end)])
    return ("nouns" if noun else "verbs", low) if len(fold(low)) >= MIN_INDUCED_STEM else None
