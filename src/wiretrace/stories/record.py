"""The story record (``wiretrace story ID --json``): articles, provenance and merged events.

One function builds the JSON object from a story's articles, so the CLI, the web page and the
JSON API show the same thing; :func:`save_story` stores the derived parts (edges, events) in the
story tables of :mod:`.schema` so pages need not recompute them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from ..model import Article
from . import schema, translation
from .embed import DIM
from .merge import merge_events
from .profile import Profile, build, from_record
from .provenance import describe

STAGE = "stories.v1"
PARAGRAPHS = "use-paragraphs"  # kind of stored vectors: USE vectors of body paragraphs


def story_json(
    story_id: str, articles: Sequence[Article], profiles: Sequence[Profile] | None = None
) -> dict[str, Any]:
    """The public record of one story (see ``shared/spec/article-json.md``, story records)."""
    prov = describe(articles, profiles)
    events = merge_events(articles)
    ordered = sorted(articles, key=lambda a: (a.published_utc or a.published or "~", a.id))
    return {
        "id": story_id,
        "stage": STAGE,
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "language": a.language,
                "outlet": a.outlet.name if a.outlet else None,
                "published": a.published,
                "published_utc": a.published_utc,
                "derivative": list(prov.derivative.get(a.id, ())),
            }
            for a in ordered
        ],
        "earliest": prov.earliest,
        "original_source": prov.original_source,
        "edges": [e.to_json() for e in prov.edges],
        "events": [e.to_json() for e in events],
        "languages": sorted({a.language for a in articles if a.language}),
    }


def stored_profiles(conn: sqlite3.Connection, articles: Sequence[Article]) -> list[Profile]:
    """The profiles saved when the articles were placed (no embedding is computed again);
    articles never placed get theirs built now."""
    import json

    ids = [a.id for a in articles]
    found: dict[str, Profile] = {}
    for start in range(0, len(ids), 500):
        for art_id, prof, blob in schema.stored_profiles(conn, ids[start : start + 500]):
            if len(blob) < 3 * DIM * 2:  # head, lead and mean vectors as float16
                continue
            try:
                found[art_id] = from_record(json.loads(prof), blob)
            except (KeyError, ValueError, TypeError, AssertionError):
                continue  # a placeholder or damaged row: build this one again
    missing = [a for a in articles if a.id not in found]
    if missing:
        found.update((p.id, p) for p in build(missing))
    return [found[i] for i in ids]


def _load_vectors(conn: sqlite3.Connection, articles: Sequence[Article]) -> None:
    """Make the reports' stored paragraph vectors available to the translation check."""
    keys = [translation.body_key(a.body) for a in articles]
    translation.remember(schema.stored_text_vectors(conn, PARAGRAPHS, keys))


def save_story(
    conn: sqlite3.Connection,
    story_id: str,
    articles: Sequence[Article],
    profiles: Sequence[Profile] | None = None,
) -> dict[str, Any]:
    """Compute a story's record from stored profiles and vectors, store it with its edges and
    events, and return it."""
    if profiles is None:
        profiles = stored_profiles(conn, articles)
    _load_vectors(conn, articles)
    rec = story_json(story_id, articles, profiles)
    schema.save_text_vectors(conn, PARAGRAPHS, translation.take_fresh())
    schema.save_details(
        conn, story_id, rec["edges"], ((e["id"], e["type"], e) for e in rec["events"]), rec
    )
    return rec


def load_story(
    conn: sqlite3.Connection, story_id: str, articles: Sequence[Article]
) -> dict[str, Any]:
    """A story's saved record, or (a database from before saved records) one computed from
    its stored profiles and vectors without writing anything."""
    rec = schema.stored_record(conn, story_id)
    if rec is not None:
        return rec
    profiles = stored_profiles(conn, articles)
    _load_vectors(conn, articles)
    translation.take_fresh()
    return story_json(story_id, articles, profiles)
