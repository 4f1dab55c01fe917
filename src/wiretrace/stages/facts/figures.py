"""Figures: numbers with what they count and how hedged ("plus de 100 000 personnes").

Numbers, scale words ("mille", "тисяч"), hedges ("environ", "more than"), currencies and digit
separators are per-language data in ``lang/<code>/figures.toml``; time units ("mois", "hours")
come from ``lang/<code>/dates.toml``. The code is shared: it finds a number, widens it with the
words around it, then names the counted noun (``about``): the noun after the number, or, for a
duration, the noun it qualifies ("blocus de neuf mois"). Years, dates, ordinals, times, phone
numbers and identifiers ("COVID-19") are not figures.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wiretrace.model import Article, Evidence, Figure
from wiretrace.pipeline import Stage
from wiretrace.stages.facts.numbers import (
    SYMBOL_RE,
    SYMBOLS,
    alternation,
    lang_code,
    number_lexicon,
    parse_number,
    scale_at,
    whole_word,
)
from wiretrace.textutil import fold, lang_data, nouns_capitalised

if TYPE_CHECKING:
    from wiretrace.nlp import Parsed

STAGE_VERSION = "figures.v1"


@dataclass(frozen=True)
class _Context:
    """The compiled patterns that look around a number in one language."""

    number: re.Pattern[str]
    hedges: tuple[tuple[str, re.Pattern[str]], ...]  # (flag, pattern ending at the number)
    at_least_after: re.Pattern[str]
    after: re.Pattern[str]  # currency, percent or time unit right after the number
    ordinal: re.Pattern[str]
    right_word: re.Pattern[str]
    left_word: re.Pattern[str]
    units: dict[str, str]
    currencies: dict[str, str]
    not_about: frozenset[str]
    numbers: frozenset[str]  # number, scale and percent words: never a counted noun
    capitalized_nouns: bool  # German: a counted noun is written with a capital
    morph: Any  # a pymorphy3 analyser for languages that ask for one (uk, ru), else None
    approx_scales: frozenset[str]


@functools.cache
def _context(lang: str) -> _Context:
    lex = number_lexicon(lang)
    data = lex.data
    units_data: dict[str, str] = lang_data(lang, "dates").get("units", {})
    hedges = data.get("hedges", {})
    currencies: dict[str, str] = data.get("currencies", {})
    pct = data.get("percent", {}).get("words", ["%"])
    links = alternation(data.get("links", []))
    links_re = rf"(?:(?:{links})(?:(?<=['’ʼ])|(?![^\W\d_])))"
    word = r"(?P<w>[^\W\d_][\w'’ʼ-]*)"
    link = rf"(?:(?:{links})(?:(?<=['’ʼ])|(?![^\W\d_]))[ \t\u00a0\u202f]*)"
    hedge_pats = []
    for flag in ("approx", "at_least", "at_most"):
        forms = hedges.get(flag, [])
        if forms:
            pat = rf"(?<![^\W\d_])(?:{alternation(forms)})[\s\u00a0]*$"
            hedge_pats.append((flag, re.compile(pat, re.I)))
    after = (
        rf"[\s\u00a0\u202f]?(?:(?P<sym>{SYMBOL_RE})|(?P<pct>{whole_word(alternation(pct))})"
        rf"|(?:{links_re}[\s\u00a0]*)?(?P<cur>{whole_word(alternation(list(currencies)))})"
        rf"|[-\s\u00a0](?P<unit>{whole_word(alternation(list(units_data)))}))"
    )
    return _Context(
        number=re.compile(lex.number, re.I),
        hedges=tuple(hedge_pats),
        at_least_after=re.compile(
            rf"[\s\u00a0]+(?:{alternation(hedges.get('at_least_after', []))})(?![^\W\d_])", re.I
        ),
        after=re.compile(after, re.I),
        ordinal=re.compile(
            rf"(?:{alternation(data.get('ordinal_suffixes', []))})(?![^\W\d_])", re.I
        ),
        right_word=re.compile(rf"[ \t\u00a0\u202f]+{link}?{word}", re.I),
        left_word=re.compile(rf"{word}[ \t\u00a0\u202f]+{link}$", re.I),
        units={fold(k): v for k, v in units_data.items()},
        currencies={fold(k): v for k, v in currencies.items()},
        not_about=frozenset(fold(w) for w in data.get("not_about", [])) | _calendar_words(lang),
        numbers=frozenset(lex.words) | frozenset(lex.scales) | frozenset(fold(w) for w in pct),
        capitalized_nouns=nouns_capitalised(lang),
        morph=_morph(lang),
        approx_scales=frozenset(fold(w) for w in hedges.get("approx_scales", [])),
    )


def _calendar_words(lang: str) -> frozenset[str]:
    """Month and weekday names of ``lang``: "2 nov" is a date, not two of something."""
    data = lang_data(lang, "dates")
    keys = ("months", "month_abbreviations", "weekdays", "weekday_abbreviations")
    return frozenset(fold(f) for k in keys for group in data.get(k, []) for f in group)


def _rejected(text: str, start: int, end: int, ctx: _Context) -> bool:
    """Numbers that are identifiers, ordinals, times, phone numbers or parts of bigger tokens."""
    before = text[max(0, start - 2) : start]
    if before[-1:] and (before[-1].isalpha() or before[-1] in "+#/:_№"):
        return True
    if before[-1:] in ("-", "‑") and before[:1].isalnum():
        return True  # "COVID-19", "F-16"
    after = text[end : end + 2]
    if re.match(r"[.,:/\-]\d", after):
        return True  # a time, a date or a version the number regex did not take whole
    raw = text[start:end]
    if raw.isdigit() and len(raw) >= 9:
        return True  # epochs, phone numbers, ids
    return bool(raw[:1].isdigit() and ctx.ordinal.match(text, end))


def _tokens(text: str, lang: str) -> Parsed | None:
    """The parse whose tokens are looked up by character offset, for languages with a deep
    pipeline (else None). Its token offsets are kept once per parse, shared with the dates and
    quotes stages: no walk over the doc per article."""
    from wiretrace.nlp import depth_for, parse

    if depth_for(lang) != "deep":
        return None
    return parse(text, lang)


# pymorphy3 tags that play the part of an adjective before a counted noun ("5 нових заводів").
_MORPH_ADJ = frozenset({"ADJF", "ADJS", "PRTF", "PRTS"})


@functools.cache
def _morph(lang: str) -> Any | None:
    """The pymorphy3 analyser for a language whose figures.toml asks for it, loaded once."""
    if number_lexicon(lang).data.get("morphology") != "pymorphy3":
        return None
    from wiretrace.nlp import morph_analyser

    try:
        return morph_analyser(lang)
    except (ImportError, ValueError, OSError):
        return None  # without the dictionaries the word-shape rules still apply


def _pos(word: str, start: int, ctx: _Context, toks: Parsed | None) -> str | None:
    """Coarse part of speech of ``word``: from the deep parse, else from morphology, else None."""
    if toks is not None:
        tok = toks.token_at(start)
        return str(tok.pos_) if tok is not None else "X"
    if ctx.morph is not None:
        tag = str(ctx.morph.parse(word)[0].tag.POS)
        return "NOUN" if tag == "NOUN" else "ADJ" if tag in _MORPH_ADJ else "X"
    return None


def _is_noun(
    word: str, start: int, ctx: _Context, toks: Parsed | None, proper: bool = False
) -> bool:
    """Whether ``word`` can be what a number counts: a common noun (or a proper one if asked)."""
    key = fold(word)
    if key in ctx.not_about or key in ctx.units or key in ctx.numbers:
        return False
    if any(ch.isdigit() for ch in word):
        return False  # "to-25" in "73-to-25" is a score, not a noun
    pos = _pos(word, start, ctx, toks)
    if pos is None:
        return len(word) > 1 and (word[0].isupper() or not ctx.capitalized_nouns)
    return pos in (("NOUN", "PROPN") if proper else ("NOUN",))


def _head_about(start: int, end: int, ctx: _Context, toks: Parsed) -> tuple[str, int] | None:
    """The noun the number modifies in the dependency parse ("50,000 GM workers" -> workers)."""
    inside = toks.tokens_from(start, end)
    if not inside:
        return None
    tok = inside[-1]
    for _ in range(3):  # climb "100" -> "mille" -> noun through number and scale words
        if tok.dep_ == "nummod" or tok.head.pos_ != "NUM" or tok.head.i == tok.i:
            break
        tok = tok.head
    head = tok.head
    if tok.dep_ != "nummod" or head.i <= tok.i or head.idx - end > 40:
        return None
    if not _is_noun(head.text, head.idx, ctx, toks, proper=True):
        return None
    return head.text, head.idx + len(head.text)


def _right_about(
    text: str, end: int, ctx: _Context, toks: Parsed | None, lang: str
) -> tuple[str, int] | None:
    m = ctx.right_word.match(text, end)
    if not m:
        return None
    word, w_start = m.group("w"), m.start("w")
    if parse_number(word, lang) is not None:
        return None
    if _pos(word, w_start, ctx, toks) == "ADJ":
        # "three days of national mourning": step over one adjective to the noun.
        nxt = _NEXT_WORD.match(text, m.end())
        if nxt and _is_noun(nxt.group("w"), nxt.start("w"), ctx, toks):
            return nxt.group("w"), nxt.end()
    linked = m.group("w") != m.group(0).strip()
    if toks is None and linked and word[:1].isupper() and not ctx.capitalized_nouns:
        return None  # "quattro di Handré": after "of", a name is not what is counted
    if _is_noun(word, w_start, ctx, toks):
        return word, m.end()
    return None


_NEXT_WORD = re.compile(r"[ \t\u00a0\u202f]+(?P<w>[^\W\d_][\w'’ʼ-]*)")


def _left_about(text: str, start: int, ctx: _Context, toks: Parsed | None) -> str | None:
    m = ctx.left_word.search(text[max(0, start - 60) : start])
    if not m:
        return None
    offset = max(0, start - 60) + m.start("w")
    word = m.group("w")
    return word if _is_noun(word, offset, ctx, toks) else None


def extract_figures(text: str, lang: str) -> list[Figure]:
    """Every counted number in ``text`` with its value, unit, counted noun and hedge."""
    from wiretrace.nlp import parse
    from wiretrace.stages.facts.dates import date_spans

    lang = lang_code(lang)
    ctx = _context(lang)
    blocked = [(s, e) for s, e, kind in date_spans(text, lang) if kind not in _DURATION_KINDS]
    toks = _tokens(text, lang)
    parsed = parse(text, lang)
    out: list[Figure] = []
    last_end = -1
    for m in ctx.number.finditer(text):
        start, end = m.span()
        if start < last_end or _rejected(text, start, end, ctx):
            continue
        if any(s <= start < e for s, e in blocked):
            continue
        fig = _figure_at(text, start, end, lang, ctx, toks)
        if fig is None:
            continue
        sent = parsed.sentence_at(fig.start)
        ev = Evidence(sent.start, sent.end, STAGE_VERSION) if sent else None
        out.append(dataclasses.replace(fig, evidence=ev))
        last_end = fig.end
    return out


# Date kinds whose numbers still count something ("depuis neuf mois": nine months).
_DURATION_KINDS = frozenset({"duration", "since"})


def _figure_at(
    text: str, start: int, end: int, lang: str, ctx: _Context, toks: Parsed | None
) -> Figure | None:
    raw = text[start:end]
    value = parse_number(raw, lang)
    if value is None:
        return None
    words = not raw[0].isdigit()
    approx = False
    scaled = False
    cursor = end
    glued = text[cursor : cursor + 1]
    if glued.isalpha() and scale_at(text, cursor, lang) is None:
        return None  # "11.11pm", "3G", "19e": a time, a code or an ordinal, not a count
    while (scale := scale_at(text, cursor, lang)) is not None:
        value *= scale[0]
        cursor = scale[1]
        scaled = True
        approx = approx or fold(scale[2]) in ctx.approx_scales
    unit: str | None = None
    first = start
    sym = re.search(rf"(?:{SYMBOL_RE})[\s\u00a0]?$", text[max(0, start - 4) : start])
    if sym:
        unit = SYMBOLS[sym.group(0).strip()]
        first = start - len(sym.group(0))
    time_unit = False
    after = ctx.after.match(text, cursor)
    if after and unit is None:
        if after.group("sym"):
            unit = SYMBOLS[after.group("sym")]
        elif after.group("pct"):
            unit = "percent"
        elif after.group("cur"):
            unit = ctx.currencies.get(fold(after.group("cur")))
        elif after.group("unit"):
            unit = ctx.units.get(fold(after.group("unit")))
            time_unit = True
        cursor = after.end()
    flags = {"approx": approx, "at_least": False, "at_most": False}
    window = text[max(0, first - 40) : first]
    for flag, pat in ctx.hedges:
        hm = pat.search(window)
        if hm:
            flags[flag] = True
            first = max(0, first - 40) + hm.start()
            break
    tail = ctx.at_least_after.match(text, cursor)
    if tail:
        flags["at_least"] = True
    about: str | None = None
    end_at = cursor
    if time_unit:
        about = _left_about(text, first, ctx, toks)
    elif toks is not None and unit is None:
        head = _head_about(start, cursor, ctx, toks)
        if head is not None:
            about, end_at = head
    if about is None:
        right = _right_about(text, cursor, ctx, toks, lang)
        if right is not None:
            about, end_at = right
    if tail:
        end_at = max(end_at, tail.end())
    if unit is None and about is None:
        return None  # a bare number says nothing about what it counts
    year_like = raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2100
    if year_like and not (unit or scaled or any(flags.values())):
        return None  # "the 2016 race", "1984 run": a bare four-digit year-like number is a year
    if words and value == 1 and not (unit or scaled):
        return None  # "un", "one", "ein" are articles far more often than counts
    value = round(value, 6)
    number: float | int = int(value) if float(value).is_integer() else value
    return Figure(
        text=text[first:end_at],
        start=first,
        end=end_at,
        value=number,
        unit=unit,
        about=about,
        approx=flags["approx"],
        at_least=flags["at_least"],
        at_most=flags["at_most"],
    )


def _stage_fn(article: Article) -> Article:
    lang = article.language or "xx"
    figures = extract_figures(article.body, lang)
    return dataclasses.replace(article, figures=tuple(figures))


STAGE_FIGURES = Stage(
    name="figures",
    version=STAGE_VERSION,
    requires=("body", "language"),
    produces=("figures",),
    fn=_stage_fn,
    parses=True,
)

__all__ = [
    "STAGE_FIGURES",
    "extract_figures",
    "number_lexicon",
    "parse_number",
]
