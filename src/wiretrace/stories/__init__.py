"""Stories: one story across outlets and languages, its provenance chain and its merged events.

``StoryIndex`` clusters articles incrementally; ``similarity`` compares two articles;
``provenance.edges_for`` and ``merge.merge_events`` describe the reports of one story.
"""

from __future__ import annotations

from .compare import similarity
from .index import IndexOptions, StoryIndex

__all__ = ["IndexOptions", "StoryIndex", "similarity"]
