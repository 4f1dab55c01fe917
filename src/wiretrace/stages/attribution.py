"""Parse attribution lines ("Source: X citing Y and its sources") into a nearest-first chain.

The connectors ("en référence à", "з посиланням на", "unter Berufung auf") are per-language data
in ``lang/<code>/chrome.toml``; outlet names are normalised through the outlet registry so a
machine-translated name ("vérité européenne") lands on the outlet it names (Evropeiska Pravda).
Also derives the page's derivative signals (translated outlet name, stop-word hashtags).
"""

from __future__ import annotations

import functools
import re

from ..model import AttributionLink, Chrome, Derivative, Relation
from ..registry import OutletEntry, find_outlet
from ..textutil import fold, lang_data, languages_with
from . import chrome as ch

_QUOTES = "\"'«»“”„‟‹›‚‘’"
_LATIN = re.compile(r"[a-zA-Z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@functools.cache
def _connectors() -> tuple[re.Pattern[str], tuple[str, ...]]:
    citing: set[str] = set()
    own: set[str] = set()
    for lang in languages_with("chrome"):
        data = lang_data(lang, "chrome")
        citing.update(fold(c) for c in data.get("citing", []))
        own.update(fold(c) for c in data.get("own_sources", []))
    alt = "|".join(re.escape(c) for c in sorted(citing, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alt})(?!\w)"), tuple(sorted(own, key=len, reverse=True))


def _folded_aligned(text: str) -> str:
    from ..registry import fold_aligned

    return fold_aligned(text)


def parse_attribution(line: str, page_language: str | None) -> tuple[AttributionLink, ...]:
    """Outlets named in an attribution line, nearest first.

    The first outlet is the one this page took the story from: ``translates`` when its language
    differs from the page's, else ``republishes``; each further outlet is cited by the one before.
    """
    splitter, own = _connectors()
    folded = _folded_aligned(line)
    cuts = [0, *[m.start() for m in splitter.finditer(folded)], len(line)]
    ends = [m.end() for m in splitter.finditer(folded)]
    segments = [line[cuts[0] : cuts[1]]]
    segments += [line[e : cuts[i + 2]] for i, e in enumerate(ends)]

    links: list[AttributionLink] = []
    for n, raw in enumerate(segments):
        text = raw
        for phrase in own:
            idx = fold(text).find(phrase)
            if idx >= 0:
                text = text[:idx]
        text = text.strip(" \t,;:." + _QUOTES)
        if not text:
            continue
        entry = find_outlet(text)
        name = entry.name if entry else text
        relation: Relation
        if n == 0 or not links:
            relation = (
                "translates"
                if entry and entry.language and page_language and entry.language != page_language
                else "republishes"
            )
        else:
            relation = "cites"
        links.append(AttributionLink(outlet=name, as_written=text, relation=relation))
    return tuple(links)


def is_translated_name(as_written: str, entry: OutletEntry) -> bool:
    """True when an outlet name was translated word for word rather than kept or transliterated.

    "vérité européenne" for Європейська правда shares no stem with the outlet's own name and is
    in another script than the outlet's language: the mark of machine translation.
    """
    written = fold(as_written)
    if not written or written == fold(entry.name):
        return False
    stems = {t for t in re.split(r"\W+", fold(entry.name)) if len(t) >= 4}
    if any(s in written for s in stems):
        return False
    native_cyrillic = any(_CYRILLIC.search(a) for a in entry.aliases) and entry.language in {
        "uk", "ru", "be", "bg", "sr", "mk", "kk",
    }  # fmt: skip
    if native_cyrillic and _CYRILLIC.search(as_written):
        return False
    return bool(_LATIN.search(as_written) or _CYRILLIC.search(as_written))


def _stop_words(lang: str | None) -> frozenset[str]:
    if not lang:
        return frozenset()
    try:
        import importlib

        mod = importlib.import_module(f"spacy.lang.{lang}.stop_words")
        return frozenset(fold(w) for w in mod.STOP_WORDS)
    except ImportError:
        return frozenset()


def derivative_signals(
    attribution: tuple[AttributionLink, ...], chrome: tuple[Chrome, ...], language: str | None
) -> Derivative:
    """Signs that a page re-publishes someone else's reporting rather than reporting itself."""
    signals: list[str] = []
    for link in attribution[:1]:
        if link.relation in ("translates", "republishes"):
            signals.append(f"{link.relation} {link.outlet}")
        entry = find_outlet(link.as_written)
        if entry and is_translated_name(link.as_written, entry):
            signals.append(f"machine-translated outlet name: {link.as_written!r} for {entry.name}")
    stops = _stop_words(language)
    for c in chrome:
        if c.kind != "hashtags" or not stops:
            continue
        tags = [fold(t) for t in ch.hashtags(c.text)]
        bad = [t for t in tags if t in stops or len(t) <= 2]
        if tags and len(bad) >= 2 and len(bad) / len(tags) >= 0.2:
            signals.append(f"hashtags made of stop words: {', '.join('#' + t for t in bad[:6])}")
    return Derivative(is_derivative=bool(signals), signals=tuple(signals))
