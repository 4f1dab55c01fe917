"""Numbers in words and digits, per language: the lexicon, parsing and scale words.

Shared by figures (what a number counts) and dates (day numbers written in words), so neither
stage imports the other for it. The vocabulary is data in ``lang/<code>/figures.toml``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from wiretrace.textutil import fold, lang_data

# Currency symbols are the same in every language, so they are shared here rather than per language.
SYMBOLS: dict[str, str] = {
    "US$": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "₴": "UAH",
    "₽": "RUB",
    "¥": "JPY",
    "₹": "INR",
}
SYMBOL_RE = "|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True))
_APOS = "['’ʼ]"


def alternation(forms: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of word forms, longest first, tolerant of apostrophe/space variants."""
    parts = []
    for form in sorted({f for f in forms if f}, key=len, reverse=True):
        esc = re.escape(form).replace("'", _APOS).replace(r"\ ", r"\s+")
        parts.append(esc.replace("\\-", "[-‑–]?"))
    return "|".join(parts) if parts else "(?!x)x"


def lang_code(lang: str | None) -> str:
    """The primary subtag our data is filed under ("en-GB" -> "en"); "xx" when unknown."""
    return (lang or "xx").strip().lower().replace("_", "-").split("-")[0] or "xx"


def whole_word(alt: str) -> str:
    """Wrap an alternation so it only matches whole words (letters on neither side)."""
    return rf"(?<![^\W\d_])(?:{alt})(?![^\W\d_])"


@dataclass(frozen=True)
class NumberLexicon:
    """Compiled number vocabulary of one language."""

    words: dict[str, float]  # folded word -> value
    scales: dict[str, float]  # folded scale word -> multiplier
    digits: str  # regex of a written-in-digits number
    word_alt: str  # regex alternation of number words
    scale_alt: str
    thousands: tuple[str, ...]
    decimal: tuple[str, ...]
    data: dict[str, Any]
    word_re: re.Pattern[str]  # one number or scale word, as a whole word

    @property
    def number(self) -> str:
        """Regex of one number, in digits or in words ("100 000", "3.2", "vingt-quatre")."""
        w = whole_word(self.word_alt)
        return rf"(?:{self.digits}|{w}(?:[\s-]+{w})*)"


@functools.cache
def number_lexicon(lang: str) -> NumberLexicon:
    """The number vocabulary for ``lang`` (digits only, from lang/xx, when it has no data)."""
    data = lang_data(lang, "figures") or lang_data("xx", "figures")
    words = {fold(k): float(v) for k, v in data.get("numbers", {}).items()}
    scales = {fold(k).rstrip("."): float(v) for k, v in data.get("scales", {}).items()}
    thousands = tuple(data.get("thousands", [","]))
    decimal = tuple(data.get("decimal", ["."]))
    sep = "|".join(re.escape(s) for s in thousands)
    dec = "|".join(re.escape(s) for s in decimal)
    # Grouped thousands first ("100 000"), then plain digits with an optional decimal part.
    digits = (
        rf"(?<![\d.,])(?:\d{{1,3}}(?:(?:{sep})\d{{3}})+(?!\d)(?:(?:{dec})\d+)?"
        rf"|\d+(?:(?:{dec})\d+)?)"
    )
    word_forms = list(data.get("numbers", {}))
    scale_forms = list(data.get("scales", {}))
    return NumberLexicon(
        words=words,
        scales=scales,
        digits=digits,
        word_alt=alternation(word_forms),
        scale_alt=alternation(scale_forms),
        thousands=thousands,
        decimal=decimal,
        data=data,
        word_re=re.compile(
            whole_word(alternation(word_forms)) + "|" + whole_word(alternation(scale_forms)), re.I
        ),
    )


def parse_number(text: str, lang: str) -> float | None:
    """The value of a number written in digits or words in ``lang`` ("100 000" -> 100000.0)."""
    lex = number_lexicon(lang)
    raw = text.strip()
    if raw and raw[0].isdigit():
        return _parse_digits(raw, lex)
    total = 0.0
    current = 0.0
    seen = False
    if lex.word_re.sub("", raw).strip(" \u00a0-‑–"):
        return None  # something other than number words ("Einwohner" is not "ein")
    for token in lex.word_re.findall(raw):
        key = fold(token)
        if key in lex.scales:
            total += (current or 1.0) * lex.scales[key]
            current = 0.0
        elif key in lex.words:
            value = lex.words[key]
            # "deux cents", "three hundred": a hundred multiplies what came before it.
            current = current * value if value == 100 and current else current + value
        else:
            continue
        seen = True
    return total + current if seen else None


def _parse_digits(raw: str, lex: NumberLexicon) -> float | None:
    # A separator followed by exactly three digits groups thousands; anything else is a decimal.
    text = raw
    for dec in lex.decimal:
        m = re.search(rf"{re.escape(dec)}(\d+)$", text)
        if m and not (dec in lex.thousands and len(m.group(1)) == 3 and _grouped(text, dec)):
            whole = text[: m.start()]
            for sep in lex.thousands:
                whole = whole.replace(sep, "")
            try:
                return float(f"{whole}.{m.group(1)}")
            except ValueError:
                return None
    for sep in lex.thousands:
        text = text.replace(sep, "")
    try:
        return float(text)
    except ValueError:
        return None


def _grouped(text: str, sep: str) -> bool:
    """True when every ``sep`` in ``text`` splits off a group of exactly three digits."""
    head, *groups = text.split(sep)
    return 1 <= len(head) <= 3 and all(len(g) == 3 for g in groups)


def scale_at(text: str, pos: int, lang: str) -> tuple[float, int, str] | None:
    """A scale word right after ``pos`` ("mille", "million", "тис."): multiplier, end, word."""
    lex = number_lexicon(lang)
    m = _scale_re(lang).match(text, pos)
    if not m:
        return None
    end = m.end()
    if text[end : end + 1] == "." and len(m.group(1)) <= 4:
        end += 1  # the dot of an abbreviation ("тис.", "Mio."), not a full stop after "million"
    return lex.scales.get(fold(m.group(1)), 1.0), end, m.group(1)


@functools.cache
def _scale_re(lang: str) -> re.Pattern[str]:
    alt = number_lexicon(lang).scale_alt
    return re.compile(rf"[\s\u00a0\u202f]?({alt})(?![^\W\d_])", re.I)
