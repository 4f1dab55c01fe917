"""Stories: one story across outlets and languages, its provenance chain and its merged events.

``StoryIndex`` clusters articles incrementally; ``similarity`` compares two articles;
``provenance.edges_for`` and ``merge.merge_events`` describe the reports of one story.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .compare import similarity
    from .index import IndexOptions, StoryIndex

__all__ = ["IndexOptions", "StoryIndex", "similarity"]


def __getattr__(name: str) -> Any:
    """Import the index and comparison on first use: the store imports :mod:`.schema` (for its
    migrations) on every start, and should not pay for numpy and the story index then."""
    if name == "similarity":
        from .compare import similarity

        return similarity
    if name in ("IndexOptions", "StoryIndex"):
        from . import index

        return getattr(index, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
