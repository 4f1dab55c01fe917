"""German separable verbs for the basic coder and the importer of examples.

A separable verb's finite stem stands in second position and its particle closes the clause
("ließen ... frei", "trat ... zurück"); the lexicon keys such a verb ``stem+particle``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from wiretrace.textutil import fold

if TYPE_CHECKING:
    from spacy.tokens import Token


# Punctuation that ends the clause a separable verb's particle closes.
_PARTICLE_CLAUSE_ENDS = frozenset({",", ";", ":", "(", "—", "–"})


def closing_word(toks: Sequence[Token], k: int) -> str:
    """The folded last word of the clause of the word at ``k``: the last alphabetic word after
    it before a comma, semicolon, colon, bracket, dash or the sentence's end. Verb-second order
    puts a separable verb's particle there ("ließ ... frei", "trat ... zurück"); elsewhere the
    same word is a preposition ("nach", "an", "auf"). The coder (:func:`separable`) and the
    importer of examples (:mod:`.induce`) both look for the particle here."""
    last = ""
    for t in toks[k + 1 :]:
        if t.text in _PARTICLE_CLAUSE_ENDS or t.is_sent_start:
            break
        if t.is_alpha:
            last = fold(t.text)
    return last


def separable(toks: Sequence[Token], k: int, table: dict[str, str]) -> str | None:
    """The code of a separable verb whose finite stem stands at ``k`` and whose particle is the
    clause's :func:`closing_word`: keys ``stem+particle``."""
    seps = _separables(table)
    if not seps:
        return None
    w = fold(toks[k].text)
    closing = closing_word(toks, k)
    for (stem, particle), code in seps:
        if closing == particle and w.startswith(stem):
            return code
    return None


_SEPARABLES: dict[int, tuple[dict[str, str], int, list[tuple[tuple[str, str], str]]]] = {}


def _separables(table: dict[str, str]) -> list[tuple[tuple[str, str], str]]:
    """The table's ``stem+particle`` keys, folded (once per table, as the basic coder's stems)."""
    hit = _SEPARABLES.get(id(table))
    if hit is None or hit[0] is not table or hit[1] != len(table):
        out = []
        for key, code in table.items():
            stem, plus, particle = key.partition("+")
            if plus and stem and particle:
                out.append(((fold(stem), fold(particle)), code))
        hit = _SEPARABLES[id(table)] = (table, len(table), out)
    return hit[2]
