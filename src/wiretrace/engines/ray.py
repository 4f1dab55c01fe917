"""The Ray engine: the document stages on a Ray cluster, in actors that hold the models.

Each actor is one worker process with its own stage pipeline (models loaded once, on its first
task), asking for one CPU. Ray's ``ActorPool`` hands every task to an idle actor and gives the
results back as they finish; the driver (the ingest process) orders them and is the only writer
to the store. Ray is an optional dependency (``pip install wiretrace[ray]``), imported here only.

``address`` None starts a private local Ray with ``workers`` CPUs and no dashboard; otherwise it
is passed to ``ray.init`` (``auto`` for the cluster this machine belongs to, ``ray://HOST:10001``
for a remote one). Every node needs wiretrace installed, in the same version as the driver.
"""

from __future__ import annotations

from typing import Any

from ..pipeline import Pipeline
from . import work


class _StageWorker:
    """One actor: a process holding one stage pipeline."""

    def __init__(self, pipeline: Pipeline | None, analyze: bool) -> None:
        work.setup(pipeline, analyze)

    def run(self, tagged: tuple[int, work.Task]) -> tuple[int, Any]:
        tag, task = tagged
        return tag, work.run(task)


class RayEngine:
    """``workers`` actors on a Ray cluster (or a local Ray started for this run)."""

    def __init__(
        self,
        workers: int,
        pipeline: Pipeline | None,
        analyze: bool,
        address: str | None = None,
    ) -> None:
        try:
            import ray
            from ray.util.actor_pool import ActorPool
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError("--engine ray needs Ray: pip install 'wiretrace[ray]'") from exc
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            if address is None:
                ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
            else:
                ray.init(address=address, log_to_driver=False)
            self._started = True
        self.width = workers
        actor = ray.remote(num_cpus=1)(_StageWorker)
        self._actors: list[Any] = [actor.remote(pipeline, analyze) for _ in range(workers)]
        self._pool = ActorPool(self._actors)

    def submit(self, tag: int, task: work.Task) -> None:
        self._pool.submit(lambda a, v: a.run.remote(v), (tag, task))

    def next_done(self) -> tuple[int, Any]:
        tag, result = self._pool.get_next_unordered()
        return int(tag), result

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
        if self._started:
            self._ray.shutdown()
