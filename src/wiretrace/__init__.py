"""wiretrace: a self-hosted news intelligence engine.

Turns piles of news pages in any language into de-duplicated, provenance-traced records of what
happened, who said what on whose authority, and who reported it first.
"""

from .model import Article, Entity, Event, Figure, Quote, RawPage, TimeExpr

__all__ = ["Article", "Entity", "Event", "Figure", "Quote", "RawPage", "TimeExpr", "__version__"]
__version__ = "0.1.0"
