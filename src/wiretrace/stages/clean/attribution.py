"""Parse attribution lines ("Source: X citing Y and its sources") into a nearest-first chain.

The connectors ("en référence à", "з посиланням на", "unter Berufung auf") are per-language data
in ``lang/<code>/chrome.toml``; outlet names are normalised through the outlet registry so a
machine-translated name ("vérité européenne") lands on the outlet it names (Evropeiska Pravda).
Also derives the page's derivative signals (translated outlet name, stop-word hashtags).
"""

from __future__ import annotations

import functools
import re

from wiretrace.model import AttributionLink, Chrome, Derivative, Relation
from wiretrace.registry import OutletEntry, find_outlet, find_outlet_in
from wiretrace.stages.clean import chrome as ch
from wiretrace.textutil import fold, lang_data, languages_with, stop_words

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
    from wiretrace.registry import fold_aligned

    return fold_aligned(text)


_PARALLEL = re.compile(r"\s*(?:,|;|\s&\s|\s(?:and|et|und|y|e|і|и|та|oraz|i)\s)\s*")


def parse_attribution(line: str, page_language: str | None) -> tuple[AttributionLink, ...]:
    """Outlets named in an attribution line, nearest first.

    "A citing B citing C": A is where this page took the story from (``translates`` when A's
    language differs from the page's, else ``republishes``) and each later outlet is ``cites``.
    Sources listed side by side ("Reuters, AFP") are all kept, the later ones as ``cites``.
    Unnamed sources ("et ses sources", "з посиланням на джерела") and descriptions that name
    no outlet ("déclaration du président …") are not outlets and are left out of the chain.
    """
    splitter, own = _connectors()
    folded = _folded_aligned(line)
    bounds = [(m.start(), m.end()) for m in splitter.finditer(folded)]
    starts = [0, *[e for _, e in bounds]]
    ends = [*[b for b, _ in bounds], len(line)]
    links: list[AttributionLink] = []
    for level, (a, b) in enumerate(zip(starts, ends, strict=True)):
        text = line[a:b]
        for phrase in own:
            idx = fold(text).find(phrase)
            if idx >= 0:
                text = text[:idx]
        for part in _PARALLEL.split(text):
            name = _source_name(part)
            if name is None:
                continue
            entry, as_written = name
            relation: Relation = "cites"
            # Only a known publisher is "republished" or "translated"; an unknown name in a
            # Source line (an agency, a ministry, a central bank) is a cited source.
            if not links and level == 0 and entry is not None:
                lang = entry.language
                foreign = bool(lang and page_language and lang != page_language)
                relation = "translates" if foreign else "republishes"
            links.append(AttributionLink(entry.name if entry else as_written, as_written, relation))
    return tuple(_dedupe(links))


def _source_name(part: str) -> tuple[OutletEntry | None, str] | None:
    """(registry entry or None, name as written) for one source mention, or None to drop it."""
    text = part.strip(" \t,;:." + _QUOTES)
    if not text or fold(text) in ch.phrases().unnamed_sources:
        return None
    entry = find_outlet(text)
    if entry is not None:
        hits = find_outlet_in(text)
        inner = text[hits[0][1] : hits[0][2]] if hits else text
        return entry, inner.strip(_QUOTES + " ") if len(inner) < len(text) else text
    words = text.split()
    if not words:  # only separators Python counts as blanks ("\x1f"), found by the long fuzz run
        return None
    # An unknown outlet looks like a name: short and capitalised ("Gazette du Nord", "the
    # Harbour Daily"); a lower-case description ("déclaration du président …") is not one.
    if len(words) <= 5 and any(w[:1].isupper() for w in words) and not text[:1].islower():
        return None, text
    if len(words) <= 5 and words[0].lower() in ("the", "la", "le", "el", "der", "die", "das"):
        return None, text
    return None


def _dedupe(links: list[AttributionLink]) -> list[AttributionLink]:
    seen: set[str] = set()
    out: list[AttributionLink] = []
    for link in links:
        if fold(link.outlet) not in seen:
            seen.add(fold(link.outlet))
            out.append(link)
    return out


def title_attribution(title: str, page_language: str | None) -> tuple[AttributionLink, ...]:
    """An outlet named as a title prefix ("Politico: the West asked Moscow …") is cited."""
    head, sep, rest = title.partition(":")
    if not sep or len(head.split()) > 4 or len(rest.split()) < 3:
        return ()
    entry = find_outlet(head)
    if entry is None or fold(head.strip(_QUOTES + " ")) not in {fold(a) for a in entry.aliases}:
        return ()
    return (AttributionLink(entry.name, head.strip(), "cites"),)


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
    stops = stop_words(language)
    for c in chrome:
        if c.kind != "hashtags" or not stops:
            continue
        tags = [fold(t) for t in ch.hashtags(c.text)]
        bad = [t for t in tags if t in stops or len(t) <= 2]
        if tags and len(bad) >= 2 and len(bad) / len(tags) >= 0.2:
            signals.append(f"hashtags made of stop words: {', '.join('#' + t for t in bad[:6])}")
    return Derivative(is_derivative=bool(signals), signals=tuple(signals))
