"""Local engines: tasks in this process (one worker), or in a pool of worker processes.

The pool (:mod:`.pool`) starts its workers with ``forkserver`` (``spawn`` where that is
missing), never by forking the calling process (a writer with a store open, perhaps threads):
each worker builds its own pipeline once when it starts, and a language's models load on its
first task in that language. The fork server preloads the task modules and, for a pool that
analyses, what every language needs (:mod:`.preload`: spaCy, the sentence encoder, the
language detector, the registries), so workers share one copy of those instead of each loading its own. The
fork server is started once per process, by its first pool: a later pool gets what it loaded.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from typing import Any

from ..pipeline import Pipeline
from . import work


class InlineEngine:
    """Runs each task in the calling process when its result is asked for, in submit order."""

    width = 1

    def __init__(self, pipeline: Pipeline | None, analyze: bool) -> None:
        self._pipeline = pipeline
        self._analyze = analyze
        self._queue: deque[tuple[int, work.Task]] = deque()

    def submit(self, tag: int, task: work.Task) -> None:
        self._queue.append((tag, task))

    def next_done(self) -> tuple[int, Any]:
        tag, task = self._queue.popleft()
        if self._analyze and self._pipeline is None and isinstance(task, work.AnalyzeTask):
            from ..analyze import default_pipeline  # built on the first analysis, not before

            self._pipeline = default_pipeline()
        return tag, work.run_with(task, self._pipeline if self._analyze else None)

    def close(self) -> None:
        self._queue.clear()


def _context(analyze: bool = False) -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        modules = ["wiretrace.engines.work", "wiretrace.engines.pool"]
        ctx.set_forkserver_preload(modules + ["wiretrace.engines.preload"] * analyze)
        return ctx
    return multiprocessing.get_context("spawn")
