"""One identity per outlet on every page: a name and its bare domain are the same outlet.

Pages name their publisher inconsistently: one article of Agencia Meridiana carries the site
name in its metadata, another only its address, so the store holds "Agencia Meridiana" and
"agenciameridiana.es" for one outlet. Reading pages, each stored outlet name is mapped to one
display name: the registry's name when the registry knows the outlet, else the most common
real name (not a domain) stored with the same domain. The aliases are kept, so filters on any of
them select the whole outlet. The registry also gives country and type, for coverage by country.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..registry import find_outlet

_DOMAIN = re.compile(r"^(?:[\w-]+\.)+[a-z]{2,}$", re.I)
_lock = threading.Lock()
_cache: dict[str, tuple[tuple[Any, ...], Identities]] = {}


@dataclass
class Identities:
    """Stored outlet names mapped to display names, and each display name's aliases."""

    display: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    info: dict[str, dict[str, Any]] = field(default_factory=dict)

    def name(self, stored: str | None) -> str | None:
        return self.display.get(stored, stored) if stored else stored

    def names_of(self, shown: str) -> list[str]:
        """Every stored name of the outlet shown as (or stored as) ``shown``."""
        return self.aliases.get(self.name(shown) or shown, [shown])


# Two-letter top-level domains sold worldwide, which say nothing of where an outlet is.
_GENERIC_CC = {"eu", "io", "co", "tv", "me", "ai", "fm", "ly", "cc", "ws", "to", "is", "am", "gg"}


def country_of_domain(domain: str | None) -> str | None:
    """The country a country-code domain names (``agenciameridiana.es`` → ES), if it does."""
    tld = (domain or "").lower().rsplit(".", 1)[-1]
    if len(tld) != 2 or not tld.isalpha() or tld in _GENERIC_CC:
        return None
    return "GB" if tld == "uk" else tld.upper()


def country(ids: Identities, shown: str | None) -> str | None:
    """An outlet's country: the registry's, else its domain's country code."""
    info = ids.info.get(shown or "") or {}
    return info.get("country") or country_of_domain(info.get("domain"))


def _is_domain(name: str) -> bool:
    return bool(_DOMAIN.match(name.strip()))


def build(rows: list[tuple[str, str | None, int]]) -> Identities:
    """Identities from (stored outlet name, domain, article count) rows."""
    by_domain: dict[str, Counter[str]] = {}
    for name, domain, n in rows:
        key = (domain or (name if _is_domain(name) else "")).lower().removeprefix("www.")
        if key:
            by_domain.setdefault(key, Counter())[name] += n
    ids = Identities()
    for name, domain, _n in rows:
        entry = find_outlet(name) if not _is_domain(name) else None
        key = (domain or (name if _is_domain(name) else "")).lower().removeprefix("www.")
        if entry is None and key:
            entry = find_outlet(key)
        shown = name
        if entry is not None:
            shown = entry.name
        elif key:
            real = [(c, x) for x, c in by_domain[key].items() if not _is_domain(x)]
            if real:
                shown = max(real)[1]
        ids.display[name] = shown
        ids.aliases.setdefault(shown, [])
        if name not in ids.aliases[shown]:
            ids.aliases[shown].append(name)
        if entry is not None:
            ids.info[shown] = {"country": entry.country, "type": entry.type,
                               "domain": entry.domain, "key": entry.key}  # fmt: skip
        elif key:
            ids.info.setdefault(shown, {"country": None, "type": None, "domain": key,
                                        "key": None})  # fmt: skip
    return ids


def identities(conn: sqlite3.Connection) -> Identities:
    """The identities of the outlets in a store, recomputed when its articles change."""
    # Two index lookups (count over the smallest index, max over articles_ingested).
    stamp = tuple(conn.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT max(ingested_at) FROM articles)"
    ).fetchone())  # fmt: skip
    path = str(conn.execute("PRAGMA database_list").fetchone()[2])
    with _lock:
        hit = _cache.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    rows = conn.execute(
        "SELECT outlet, json_extract(record, '$.outlet.domain'), count(*) FROM articles "
        "WHERE outlet IS NOT NULL AND outlet <> '' GROUP BY 1, 2"
    ).fetchall()
    ids = build([(r[0], r[1], r[2]) for r in rows])
    with _lock:
        _cache[path] = (stamp, ids)
    return ids


def apply(data: Any, ids: Identities) -> Any:
    """``data`` with every stored outlet name replaced by its display name, facets merged,
    and no server file path (``source_path`` is nulled)."""
    if isinstance(data, list):
        return [apply(x, ids) for x in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for k, v in data.items():
        if k == "source_path":
            out[k] = None  # a path on the server (or an upload's temp file) is not for readers
        elif k == "outlet" and isinstance(v, str):
            out[k] = ids.name(v)
        elif k == "outlet" and isinstance(v, dict) and isinstance(v.get("name"), str):
            out[k] = {**v, "name": ids.name(v["name"])}
        elif k == "outlets" and isinstance(v, list) and all(isinstance(x, str) for x in v):
            out[k] = sorted({ids.name(x) or x for x in v})
        elif k == "facets" and isinstance(v, dict) and isinstance(v.get("outlet"), dict):
            merged: Counter[str] = Counter()
            for name, n in v["outlet"].items():
                if name != "?":
                    merged[ids.name(name) or name] += n
            langs = {x: n for x, n in (v.get("language") or {}).items() if x != "?"}
            out[k] = {**apply(v, ids), "outlet": dict(merged.most_common()), "language": langs}
        else:
            out[k] = apply(v, ids)
    return out
