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
from . import schema
from .merge import merge_events
from .profile import Profile
from .provenance import describe

STAGE = "stories.v1"


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


def save_story(
    conn: sqlite3.Connection,
    story_id: str,
    articles: Sequence[Article],
    profiles: Sequence[Profile] | None = None,
) -> dict[str, Any]:
    """Compute a story's record, store its edges and events, and return the record."""
    rec = story_json(story_id, articles, profiles)
    schema.save_details(
        conn, story_id, rec["edges"], ((e["id"], e["type"], e) for e in rec["events"])
    )
    return rec
