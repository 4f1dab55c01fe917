"""One exception tree for wiretrace; every message says what went wrong and what to do next."""

from __future__ import annotations


class WiretraceError(Exception):
    """Base class of every error wiretrace raises on purpose."""


class InputError(WiretraceError):
    """One input (file, line, URL) could not be turned into an article.

    ``where`` names the input (path[:line] or URL); the message names the problem.
    """

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class FetchError(InputError):
    """A URL could not be fetched (unreachable, refused by robots.txt, too large, bad status)."""


class PipelineError(WiretraceError):
    """The stages were put together in an order that cannot work."""


class StoreError(WiretraceError):
    """The store could not be opened or written."""


class NotFound(WiretraceError):
    """An id that the store does not hold."""
