"""Local engines: tasks in this process (one worker), or in a pool of worker processes.

The pool (:mod:`.pool`) starts its workers with ``forkserver`` (``spawn`` where that is
missing), never by forking a process that has loaded models: each worker builds its own
pipeline once when it starts, and its models load on its first task in their language. The
fork server preloads the task modules, so each worker starts with the imports done but no
model loaded.
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


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["wiretrace.engines.work", "wiretrace.engines.pool"])
        return ctx
    return multiprocessing.get_context("spawn")
