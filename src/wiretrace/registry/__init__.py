"""Registries of known outlets and actors, loaded from TOML data beside this module.

Outlet and actor names arrive in many scripts and spellings (machine-translated outlet names,
inflected or transliterated person names). The registries map all of them to one canonical entry
so that stages agree on identity across articles and languages. Matching is accent/case folded.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from wiretrace.textutil import CharTable, fold

__all__ = [
    "OutletEntry",
    "find_outlet",
    "find_outlet_in",
    "fold_aligned",
    "outlets",
]

# Punctuation and quote marks that wrap names in attribution lines ("“vérité européenne”").
_WRAPPERS = " \t\n\"'«»“”„‟‹›()[]{}:;,.!?-–—"
# Leading articles a name may carry in running text but not in the registry.
_ARTICLES = ("the ", "la ", "le ", "les ", "l'", "el ", "der ", "die ", "das ", "il ")


@dataclass(frozen=True)
class OutletEntry:
    """One news outlet: canonical name, home domain, country, language and known aliases."""

    key: str
    name: str
    domain: str | None
    country: str | None
    language: str | None
    aliases: tuple[str, ...]
    type: str | None = None  # agency | newspaper | broadcaster | magazine | online


@functools.cache
def _fold_char(c: str) -> str:
    f = fold(c)
    if len(f) == 1:
        return f
    if c.isspace():
        return " "
    low = c.lower()
    return low if len(low) == 1 else c


_ALIGNED = CharTable(_fold_char)  # filled as characters are first met


def fold_aligned(text: str) -> str:
    """Like :func:`fold`, character by character, so offsets in the result index ``text``."""
    return text.translate(_ALIGNED)


def _load_toml(name: str) -> dict[str, object]:
    text = resources.files("wiretrace.registry").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _strip_name(text: str) -> str:
    """Folded form of a name with wrapping punctuation and a leading article removed."""
    key = fold(text).strip(_WRAPPERS)
    for art in _ARTICLES:
        if key.startswith(art) and len(key) > len(art) + 1:
            key = key[len(art) :]
            break
    return key.strip(_WRAPPERS)


@functools.cache
def outlets() -> tuple[OutletEntry, ...]:
    """All registered outlets, in file order."""
    raw = _load_toml("outlets.toml").get("outlet", [])
    assert isinstance(raw, list)
    out: list[OutletEntry] = []
    for item in raw:
        names = [item["name"], *item.get("aliases", [])]
        out.append(
            OutletEntry(
                key=item["key"],
                name=item["name"],
                domain=item.get("domain"),
                country=item.get("country"),
                language=item.get("language"),
                aliases=tuple(dict.fromkeys(names)),
                type=item.get("type"),
            )
        )
    return tuple(out)


@functools.cache
def _outlet_index() -> dict[str, OutletEntry]:
    index: dict[str, OutletEntry] = {}
    for entry in outlets():
        index.setdefault(_strip_name(entry.key), entry)
        if entry.domain:
            index.setdefault(fold(entry.domain), entry)
        for alias in entry.aliases:
            index.setdefault(_strip_name(alias), entry)
    return index


def _is_short_code(alias: str) -> bool:
    """Short all-caps aliases ("AP", "FT", "RT") are only trusted when written in capitals."""
    return len(alias) <= 3


@functools.cache
def _outlet_scanner() -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """Two regexes: folded long aliases, and case-sensitive short codes."""
    long_names: set[str] = set()
    codes: set[str] = set()
    for entry in outlets():
        for alias in entry.aliases:
            if _is_short_code(alias):
                codes.add(alias)
            else:
                long_names.add(_strip_name(alias))
    alt = "|".join(re.escape(n) for n in sorted(long_names, key=len, reverse=True))
    long_re = re.compile(rf"(?<!\w)(?:{alt})(?!\w)")
    code_re = None
    if codes:
        calt = "|".join(re.escape(c) for c in sorted(codes, key=len, reverse=True))
        code_re = re.compile(rf"(?<!\w)(?:{calt})(?!\w)")
    return long_re, code_re


def find_outlet(text: str) -> OutletEntry | None:
    """The outlet a name refers to ("vérité européenne", "POLITICO", "Політико"), or None.

    Tries an exact folded alias match first; failing that, the longest alias that occurs in the
    text as whole words (so "“vérité européenne” en référence à" still resolves).
    """
    if not text or not text.strip():
        return None
    exact = _outlet_index().get(_strip_name(text))
    if exact is not None:
        return exact
    if fold(text).startswith(("http", "www.")) or "." in text.strip(_WRAPPERS):
        host = re.sub(r"^[a-z]+://", "", fold(text.strip())).split("/")[0]
        host = host.removeprefix("www.")
        for entry in outlets():
            if entry.domain and (host == entry.domain or host.endswith("." + entry.domain)):
                return entry
    hits = find_outlet_in(text)
    return hits[0][0] if hits else None


def find_outlet_in(text: str) -> list[tuple[OutletEntry, int, int]]:
    """Every outlet alias occurring in ``text``: (entry, start, end), longest names first.

    Offsets index ``text`` itself: folding is done character by character to keep them aligned.
    """
    folded = fold_aligned(text)
    long_re, code_re = _outlet_scanner()
    index = _outlet_index()
    hits: list[tuple[OutletEntry, int, int]] = []
    for m in long_re.finditer(folded):
        entry = index.get(m.group(0))
        if entry is not None:
            hits.append((entry, m.start(), m.end()))
    if code_re is not None:
        for m in code_re.finditer(text):
            entry = index.get(_strip_name(m.group(0)))
            if entry is not None:
                hits.append((entry, m.start(), m.end()))
    hits.sort(key=lambda h: (-(h[2] - h[1]), h[1]))
    return hits
