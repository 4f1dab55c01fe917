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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..registry import find_outlet

_DOMAIN = re.compile(r"^(?:[\w-]+\.)+[a-z]{2,}$", re.I)
_lock = threading.Lock()
_cache: dict[str, _Cached] = {}


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


@dataclass
class _Cached:
    """A store's identities, the counts they were built from, and how far they have read."""

    stamp: tuple[str | None, int]  # the newest ingested_at read, and how many articles had it
    at_stamp: set[str]  # the ids ingested at exactly that time, all counted
    counts: Counter[tuple[str, str | None]]
    ids: Identities


def has_column(conn: sqlite3.Connection, table: str, column: str) -> bool:
    """Whether a column is there: a store opened read-only may predate the migration adding
    it (PostgreSQL stores are migrated when a server starts, so have it)."""
    if not isinstance(conn, sqlite3.Connection):
        return True
    return any(r[1] == column for r in conn.execute(f"PRAGMA table_info({table})"))


def _columns(conn: sqlite3.Connection) -> str:
    """The outlet name and domain: the stored domain (migration 0006, an index holds both)
    rather than every article record parsed."""
    if has_column(conn, "articles", "outlet_domain"):
        return "outlet, outlet_domain"
    return "outlet, json_extract(record, '$.outlet.domain')"


def corpus_stamp(conn: sqlite3.Connection) -> tuple[str | None, int]:
    """Where the corpus stands: its newest ingest time and how many articles carry it (two
    lookups on the ``ingested_at`` index), so articles added within one second show too."""
    row = conn.execute(
        "SELECT ingested_at, count(*) FROM articles WHERE ingested_at = "
        "(SELECT max(ingested_at) FROM articles) GROUP BY 1"
    ).fetchone()
    return (row[0], int(row[1])) if row else (None, 0)


def identities(conn: sqlite3.Connection) -> Identities:
    """The identities of the outlets in a store, kept up to date as articles arrive.

    Built from every article once; after that only the articles ingested since are read (range
    lookups on the ``ingested_at`` index), so a page never re-reads a large corpus because an
    ingest is writing. Counts only choose a display name among one domain's names: a
    re-ingested article counts again, and a removed one is not subtracted until the server
    restarts.
    """
    key = str(conn.execute("PRAGMA database_list").fetchone()[2])
    now = corpus_stamp(conn)
    newest = now[0]
    with _lock:
        hit = _cache.get(key)
    if hit is not None and hit.stamp == now:
        return hit.ids
    counts: Counter[tuple[str, str | None]] = Counter()
    stamp, seen = None, set()
    last = hit.stamp[0] if hit is not None else None
    if hit is not None and last is not None and newest is not None and newest >= last:
        counts, stamp, seen = Counter(hit.counts), last, hit.at_stamp
    if newest is None:
        return _keep(key, _Cached(now, set(), counts, Identities()))
    cols = _columns(conn)

    def each(sql: str, args: tuple[str, ...]) -> Iterator[tuple[str, str, str | None]]:
        for aid, name, domain in conn.execute(f"SELECT id, {cols} FROM articles {sql}", args):
            if name:
                yield aid, name, domain

    # Of the second read last time, the articles not yet counted; then those in between, by
    # outlet; then the newest second, one by one, so the next look knows which it counted.
    if stamp is not None and stamp < newest:
        for aid, name, domain in each("WHERE ingested_at = ?", (stamp,)):
            if aid not in seen:
                counts[(name, domain)] += 1
    between = "ingested_at > ? AND ingested_at < ?" if stamp is not None else "ingested_at < ?"
    for name, domain, n in conn.execute(
        f"SELECT {cols}, count(*) FROM articles WHERE {between} AND outlet IS NOT NULL "
        "AND outlet <> '' GROUP BY 1, 2",
        (stamp, newest) if stamp is not None else (newest,),
    ):
        counts[(name, domain)] += n
    at_newest: set[str] = set(seen) if stamp == newest else set()
    for aid, name, domain in each("WHERE ingested_at = ?", (newest,)):
        if aid not in at_newest:
            at_newest.add(aid)
            counts[(name, domain)] += 1
    rows = sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
    ids = build([(name, domain, n) for (name, domain), n in rows])
    return _keep(key, _Cached(now, at_newest, counts, ids))


def _keep(key: str, entry: _Cached) -> Identities:
    with _lock:
        _cache[key] = entry
    return entry.ids


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
