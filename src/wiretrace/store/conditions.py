"""SQL conditions on ``articles a`` shared by CLI search, the web pages and both backends.

An entity filter matches an article through every canonical id the name may refer to (actor
and outlet registries, stored aliases and mentions), so "Putin", "Poutine" and "Путін" find the
same articles; the date filters are range comparisons the publication-time index serves.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..textutil import fold
from .base import SearchQuery


def registry_keys(name: str) -> list[str]:
    """Registry keys ``name`` names: an actor ("Putin", "Poutine", "Путін"), or an outlet whose
    name or alias it is exactly."""
    from ..registry import find_outlet
    from ..registry.actors import find_actor

    keys: list[str] = []
    actor = find_actor(name)
    if actor is not None:
        keys.append(actor.key)
    outlet = find_outlet(name)
    if outlet is not None and fold(name) in {fold(a) for a in (outlet.name, *outlet.aliases)}:
        keys.append(f"outlet:{outlet.key}")
    return keys


class Conditions:
    """Mixed into the stores: needs only their ``conn`` (placeholders ``?``, translated by the
    PostgreSQL store's connection)."""

    conn: sqlite3.Connection

    def entity_canonicals(self, name: str) -> list[str]:
        """Canonical ids ``name`` may refer to, in any language, spelling or script.

        The actor and outlet registries map "Putin", "Poutine" and "Путін" to one key; names
        not in a registry are matched through every alias and mention stored for them.
        """
        keys = registry_keys(name)
        f = fold(name)
        rows = self.conn.execute(
            "SELECT DISTINCT canonical_id FROM entity_aliases WHERE folded = ? "
            "UNION SELECT DISTINCT coalesce(canonical_id, folded) FROM entities WHERE folded = ?",
            (f, f),
        ).fetchall()
        stored = [
            k
            for k in keys
            if self.conn.execute(
                "SELECT 1 FROM entities WHERE canonical_id = ? LIMIT 1", (k,)
            ).fetchone()
        ]
        return list(dict.fromkeys([*stored, *(r[0] for r in rows if r[0])]))

    def entity_condition(self, name: str) -> tuple[str, list[str]]:
        """SQL condition on ``articles a`` (and its arguments): articles mentioning ``name``."""
        canon = self.entity_canonicals(name) or [fold(name)]
        marks = ",".join("?" * len(canon))
        cond = (
            f"a.id IN (SELECT article_id FROM entities WHERE canonical_id IN ({marks}) "
            f"OR folded IN ({marks}))"
        )
        return cond, canon + canon

    def article_conditions(
        self,
        *,
        entity: str | None = None,
        language: str | None = None,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> tuple[list[str], list[Any]]:
        """SQL conditions on ``articles a`` shared by CLI search and the web pages."""
        conds: list[str] = []
        args: list[Any] = []
        if entity:
            cond, cargs = self.entity_condition(entity)
            conds.append(cond)
            args += cargs
        if language:
            conds.append("a.language = ?")
            args.append(language)
        if outlet:
            conds.append("a.outlet = ?")
            args.append(outlet)
        # Plain range comparisons on the stated publication time, so its index serves them;
        # "~" sorts after every character of a timestamp, making the upper bound inclusive.
        if date_from:
            conds.append("a.published >= ?")
            args.append(date_from)
        if date_to:
            conds.append("a.published < ?")
            args.append(date_to + "~")
        return conds, args

    def query_conditions(self, query: SearchQuery) -> tuple[list[str], list[Any]]:
        """WHERE conditions (and their arguments) of a search's filters other than its text."""
        conds, args = self.article_conditions(
            entity=query.entity,
            language=query.language,
            outlet=query.outlet,
            date_from=query.date_from,
            date_to=query.date_to,
        )
        if query.source_type:
            conds.append("a.id IN (SELECT article_id FROM quotes WHERE source_type = ?)")
            args.append(query.source_type)
        if query.event_type:
            conds.append("a.id IN (SELECT article_id FROM events WHERE type = ?)")
            args.append(query.event_type.upper())
        return conds, args
