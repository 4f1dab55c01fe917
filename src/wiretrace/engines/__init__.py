"""Engines: where the document stages run — in this process, in worker processes, or on Ray.

Ingest cuts its inputs into shards and hands each shard's work to an engine as tasks
(:mod:`wiretrace.engines.work`): clean a shard's pages, then analyse the articles that turned
out new. The engine only runs tasks; the calling process stays the one writer to the store and
places articles into stories once they are stored. Every engine runs the same task code, so a
shard gives the same articles on each (``tests/test_engines.py``). Heavy engines are imported
lazily: the core installs without Ray.
"""

from __future__ import annotations

import os
from typing import Any, Literal, Protocol

from ..pipeline import Pipeline
from .work import Task

EngineName = Literal["local", "ray"]


class Engine(Protocol):
    """Runs tasks somewhere and hands their results back, tagged, in completion order."""

    width: int  # how many tasks it runs at once

    def submit(self, tag: int, task: Task) -> None: ...

    def next_done(self) -> tuple[int, Any]:
        """Block until some submitted task is done; its tag and result (or raise its error)."""
        ...

    def close(self) -> None: ...


def default_workers() -> int:
    """The machine's cores (the CPUs this process may run on)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def make_engine(
    name: EngineName,
    workers: int,
    pipeline: Pipeline | None,
    analyze: bool,
    ray_address: str | None = None,
) -> Engine:
    """The engine ``name`` with ``workers`` task slots, each holding its own stage pipeline."""
    if name == "ray":
        from .ray import RayEngine

        return RayEngine(workers, pipeline, analyze, address=ray_address)
    from .local import InlineEngine
    from .pool import PoolEngine

    if workers <= 1:
        return InlineEngine(pipeline, analyze)
    return PoolEngine(workers, pipeline, analyze)
