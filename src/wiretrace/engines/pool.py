"""Worker processes with one task queue each, a shard's analysis split among them by language.

A worker loads a language's models on its first article in that language, and a load is dear
(CPU s per process, measured in session 6 at load 2: the French spaCy pipeline 5.3, natasha 0.7,
the English pipeline 0.5; most other languages under 0.1). A pool that hands each shard whole
to whichever worker is free makes every worker load every language of a mixed corpus: with
two workers, a second copy of each load, both at the start of the run. Here each analysis task
is split by language, and each language's articles go to the worker where they cost least:
its queued work (an estimate in CPU seconds) plus, where it has not loaded the language yet,
the load. So a language stays with one worker until the other's queue is lighter by more than
its load, and the worker that loads French meanwhile is not also loading Russian. A language
with many articles in a shard (``2 * PART`` or more) is cut into pieces placed one by one, so
workers that have it loaded share it and finish together. Cleaning needs no model: a clean task
goes to the worker with the lightest queue, and a worker takes it before the analysis queued
there (:class:`_Inbox`). What every language needs (spaCy, the sentence encoder) is loaded once
in the fork server the workers are forked from (:mod:`.preload`).

A shard's parts come back separately; its result is handed back once all have, merged in the
order of its pages: the same articles as one worker's (``tests/test_engines.py``).
"""

from __future__ import annotations

import heapq
import pickle
import queue
import threading
from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import Any

from ..pipeline import Pipeline
from ..stages.clean.extract import article_id
from . import work

ARTICLE_SECONDS = 0.05  # analysing one article (English bench articles: 0.8 s a shard of 16)
PAGE_SECONDS = 0.003  # cleaning one page
# A language's first article in a worker: its models' load (measured, see the module doc; the
# Russian and Ukrainian dictionaries and natasha, the English pipeline with its imports).
LOAD_SECONDS: dict[str | None, float] = {"fr": 5.5, "en": 1.0, "ru": 1.0, "uk": 1.0}
OTHER_LOAD_SECONDS = 0.2
POLL_SECONDS = 0.5  # how often a wait checks that every worker is alive
# Fewest articles of one language a shard's analysis is cut into for different workers: a
# shard's 16 English articles go to both workers when both are free (the last shards of a run
# finish together instead of one worker analysing 16 while the other waits), while a handful
# stays together (one batch of the parse and the encoder).
PART = 8


def _load(lang: str | None) -> float:
    return LOAD_SECONDS.get(lang, OTHER_LOAD_SECONDS)


def serve(index: int, inbox: Any, done: Any, pipeline: Pipeline | None, analyze: bool) -> None:
    """A worker's loop: tasks from its own queue, cleaning before analysis (see
    :class:`_Inbox`), results (pickled here, so a result that does not pickle becomes an error
    instead of a result lost on the way) to the shared one."""
    work.setup(pipeline, analyze)
    tasks = _Inbox(inbox)
    while True:
        try:
            item = tasks.get()
        except KeyboardInterrupt:
            return
        if item is None:
            return
        part, task = item
        try:
            result: Any = work.run(task)
        except KeyboardInterrupt:
            return
        except BaseException as exc:
            result = exc
        try:
            blob = pickle.dumps(result)
        except Exception as exc:
            blob = pickle.dumps(RuntimeError(f"{type(result).__name__}: {result} ({exc})"))
        done.put((index, part, blob))


class _Inbox:
    """A worker's queued tasks, cleaning first: a thread moves each task off the process queue
    as it arrives, and :meth:`get` hands out the oldest clean task before any analysis.

    The writer judges shards in input order, and a shard's analysis is sent only once it is
    judged, so a clean task waiting behind a queue of analysis would keep every later shard
    from being analysed, on every worker (seen on the English bench: one worker idle for
    0.9 s while its partner worked through two analyses before the clean task queued behind
    them). A clean task costs a few milliseconds a page."""

    def __init__(self, source: Any) -> None:
        self._source = source
        self._items: list[tuple[int, int, Any]] = []  # (rank, arrival, item): a heap
        self._arrived = 0
        self._ready = threading.Condition()
        threading.Thread(target=self._receive, name="inbox", daemon=True).start()

    def _receive(self) -> None:
        while True:
            try:
                item = self._source.get()
            except (EOFError, OSError, ValueError):
                item = None  # the writer is gone: stop after what has arrived
            # the end after every task already queued; cleaning before analysis
            rank = 2 if item is None else 0 if isinstance(item[1], work.CleanTask) else 1
            with self._ready:
                heapq.heappush(self._items, (rank, self._arrived, item))
                self._arrived += 1
                self._ready.notify()
            if item is None:
                return

    def get(self) -> Any:
        with self._ready:
            while not self._items:
                self._ready.wait()
            return heapq.heappop(self._items)[2]


@dataclass
class _Split:
    """One submitted task and the parts it was cut into (part id: its result, once back)."""

    tag: int
    task: work.Task
    parts: dict[int, Any] = field(default_factory=dict)
    waiting: int = 0


class PoolEngine:
    """``workers`` processes, each holding one pipeline; results come back as tasks finish."""

    def __init__(self, workers: int, pipeline: Pipeline | None, analyze: bool) -> None:
        from .local import _context

        ctx: Any = _context(analyze)
        self.width = workers
        self._done: Any = ctx.Queue()
        self._inboxes: list[Any] = [ctx.Queue() for _ in range(workers)]
        self._procs: list[Any] = []
        for i, inbox in enumerate(self._inboxes):
            proc = ctx.Process(
                target=serve, args=(i, inbox, self._done, pipeline, analyze), daemon=True
            )
            proc.start()
            self._procs.append(proc)
        self._queued = [0.0] * workers  # estimated CPU s of work queued on each worker
        self._loaded: list[set[str | None]] = [set() for _ in range(workers)]
        self._parts: dict[int, tuple[int, float, _Split]] = {}  # part: worker, estimate, split
        self._next = 0

    def submit(self, tag: int, task: work.Task) -> None:
        split = _Split(tag, task)
        if isinstance(task, work.AnalyzeTask) and len(task.languages) == len(task.pages) > 1:
            for w, (rows, cost) in self._route(task.languages).items():
                part = task if len(rows) == len(task.pages) else _subset(task, rows)
                self._send(w, part, cost, split)
        else:
            w = min(range(self.width), key=lambda k: (self._queued[k], k))
            each = PAGE_SECONDS if isinstance(task, work.CleanTask) else ARTICLE_SECONDS
            cost = len(task.pages) * each
            self._queued[w] += cost
            self._send(w, task, cost, split)

    def _route(self, languages: tuple[str | None, ...]) -> dict[int, tuple[list[int], float]]:
        """Each language's pages to the worker where they cost least (queue plus any load),
        a language with at least ``2 * PART`` pages in pieces of ``PART`` or more, each placed
        on its own; per worker, its pages in input order and the estimate added to its queue."""
        groups: dict[str | None, list[int]] = {}
        for i, lang in enumerate(languages):
            groups.setdefault(lang, []).append(i)
        plan: dict[int, tuple[list[int], float]] = {}
        # The dearest groups first: they decide where the lighter ones fit.
        for lang, rows in sorted(
            groups.items(), key=lambda g: (-(len(g[1]) * ARTICLE_SECONDS + _load(g[0])), g[1][0])
        ):
            for piece in _pieces(rows, self.width):
                costs = [
                    len(piece) * ARTICLE_SECONDS + (0.0 if lang in self._loaded[w] else _load(lang))
                    for w in range(self.width)
                ]
                w = min(range(self.width), key=lambda k: (self._queued[k] + costs[k], k))
                self._queued[w] += costs[w]
                self._loaded[w].add(lang)
                have, cost = plan.get(w, ([], 0.0))
                plan[w] = (have + piece, cost + costs[w])
        return {w: (sorted(rows), cost) for w, (rows, cost) in plan.items()}

    def _send(self, worker: int, task: work.Task, cost: float, split: _Split) -> None:
        """Queue a part on a worker (its estimate already added to the worker's queue)."""
        part = self._next
        self._next += 1
        self._parts[part] = (worker, cost, split)
        split.waiting += 1
        self._inboxes[worker].put((part, task))

    def next_done(self) -> tuple[int, Any]:
        while True:
            try:
                _, part, blob = self._done.get(timeout=POLL_SECONDS)
            except queue.Empty:
                dead = [p.pid for p in self._procs if p.exitcode is not None]
                if dead:
                    from concurrent.futures.process import BrokenProcessPool

                    problem = f"worker process(es) {dead} ended unexpectedly"
                    raise BrokenProcessPool(problem) from None
                continue
            worker, cost, split = self._parts.pop(part)
            self._queued[worker] = max(0.0, self._queued[worker] - cost)
            result = pickle.loads(blob)
            if isinstance(result, BaseException):
                raise result
            split.parts[part] = result
            split.waiting -= 1
            if split.waiting == 0:
                results = [split.parts[k] for k in sorted(split.parts)]
                if len(results) == 1:
                    return split.tag, results[0]
                assert isinstance(split.task, work.AnalyzeTask)
                return split.tag, _merge(split.task, results)

    def close(self) -> None:
        busy = bool(self._parts)  # a run that failed: what is left is not wanted
        for inbox in self._inboxes:
            with suppress(Exception):
                inbox.put(None)
        for proc in self._procs:
            if busy:
                proc.terminate()
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
                proc.join()
        for q in (*self._inboxes, self._done):
            q.cancel_join_thread()
            q.close()
        self._parts.clear()


def _pieces(rows: list[int], width: int) -> list[list[int]]:
    """``rows`` cut into at most ``width`` runs of at least ``PART`` rows, as even as can be."""
    count = max(1, min(width, len(rows) // PART))
    size, extra = divmod(len(rows), count)
    out, first = [], 0
    for k in range(count):
        last = first + size + (k < extra)
        out.append(rows[first:last])
        first = last
    return out


def _subset(task: work.AnalyzeTask, rows: list[int]) -> work.AnalyzeTask:
    return replace(
        task,
        pages=tuple(task.pages[i] for i in rows),
        languages=tuple(task.languages[i] for i in rows),
    )


def _merge(task: work.AnalyzeTask, parts: list[work.Analyzed]) -> work.Analyzed:
    """The parts' results as one: articles, failures and warnings in the order of the pages."""
    end = len(task.pages)
    order = {article_id(clean): i for i, (clean, _) in enumerate(task.pages)}
    where = {page.where: i for i, (_, page) in enumerate(task.pages)}
    out = work.Analyzed(
        sorted((a for p in parts for a in p.articles), key=lambda a: order.get(a.id, end)),
        sorted((f for p in parts for f in p.failures), key=lambda f: where.get(f[0], end)),
        sorted(
            (w for p in parts for w in p.warnings),
            key=lambda w: where.get(w.partition(": ")[0], end),
        ),
    )
    for p in parts:
        out.vectors.update(p.vectors)
        out.paragraphs.update(p.paragraphs)
    return out
