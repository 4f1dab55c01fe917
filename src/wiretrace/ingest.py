"""Ingest: inputs -> pages -> clean articles -> understanding stages -> store, idempotently.

Articles already stored with the same stage versions are not analysed again, so a second run
over the same inputs only reads and hashes them and reports everything unchanged. Each batch is
written in one transaction: a failure or an interrupt never leaves a half-written article.

Inputs are cut into shards of ``shard_size`` pages. An engine (:mod:`wiretrace.engines`: this
process, worker processes, or a Ray cluster) cleans each shard and then analyses the articles
of it that turned out new; this process decides what is new, writes every shard, in input order,
and is the only writer. With ``resume`` a finished shard is recorded in the store, so a rerun
of an interrupted run skips it without reading it through the stages again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from typing import Literal

from .corpus import StoriesReport, StoryPlacer
from .engines import Engine, EngineName, make_engine
from .engines.work import Analyzed, AnalyzeTask, Cleaned, CleanTask
from .errors import InputError, StoreError
from .limits import Limits
from .model import Article, RawPage
from .pipeline import Pipeline
from .shards import chain, covers, shard_key, shards, split_where
from .sources import Item, SourceOptions, iter_pages
from .sources.fetch import Fetcher
from .stages.clean.dump import CleanPage
from .stages.clean.extract import Options as ExtractOptions
from .store.sqlite import SQLiteStore


@dataclass
class IngestOptions:
    on_error: Literal["skip", "stop"] = "skip"
    batch_size: int = 16
    analyze: bool = True
    sources: SourceOptions = field(default_factory=SourceOptions)
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    workers: int = 1  # document-stage processes (the CLI defaults to the machine's cores)
    engine: EngineName = "local"
    ray_address: str | None = None
    shard_size: int = 16  # pages per shard: one clean task, then one analysis batch
    resume: bool = False  # record finished shards and skip them on a rerun
    limits: Limits = field(default_factory=Limits)  # characters and seconds per input
    # Stories will be placed after this run: embed each article's document vectors where it is
    # analysed (the worker's memo holds its sentence vectors) and store them until placement.
    story_vectors: bool = False
    # Place each shard's articles into stories as soon as the shard is written, while the engine
    # analyses the next ones (SQLite; on PostgreSQL placement takes the corpus-wide story lock,
    # so it waits for the run's end). Each shard's articles go oldest first, shards in input
    # order, on one worker or many; the stories a shard changed get their records saved then
    # (a story saved earlier in the run only once it has doubled in size: the others wait).
    # The caller then runs ``corpus.update_stories(store, units=report.units,
    # into=report.stories)``: it places what is left in the same order (nothing, unless
    # placement failed or the store is PostgreSQL) and saves the records still to save.
    place_stories: bool = False


@dataclass
class IngestReport:
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    stopped: bool = False
    shards_run: int = 0
    shards_skipped: int = 0  # finished in an earlier run (``resume``)
    units: list[list[str]] = field(default_factory=list)  # each written shard's article ids
    stories: StoriesReport = field(default_factory=StoriesReport)  # placed during the run

    @property
    def seen(self) -> int:
        return self.new + self.unchanged + self.updated + self.failed

    def summary(self) -> str:
        line = (f"{self.new} new, {self.unchanged} unchanged, {self.updated} updated, "
                f"{self.failed} failed")  # fmt: skip
        if self.shards_skipped:
            line += f" ({self.shards_skipped} shard(s) finished earlier, skipped)"
        return line + (" (stopped at the first failure: --on-error stop)" if self.stopped else "")


class StopIngest(Exception):
    """Raised inside the run when --on-error stop meets a failure."""


@dataclass
class _Shard:
    """One shard on its way through: read -> cleaned -> analysed -> written."""

    items: list[Item]
    key: str | None = None
    done_ids: list[str] | None = None  # finished in an earlier run
    cleaned: list[Cleaned] | None = None
    new: list[tuple[CleanPage, RawPage]] | None = None  # judged new: sent to analysis
    langs: list[str | None] = field(default_factory=list)  # their languages (as cleaned)
    analyzed: Analyzed | None = None
    ids: list[str] = field(default_factory=list)
    failed: bool = False


def ingest(
    inputs: list[str],
    store: SQLiteStore,
    options: IngestOptions | None = None,
    progress: Callable[[IngestReport, str], None] | None = None,
    fetcher: Fetcher | None = None,
    pipeline: Pipeline | None = None,
) -> IngestReport:
    """Read every input into the store; returns counts of new / unchanged / updated / failed."""
    opts = options or IngestOptions()
    report = IngestReport()
    pipe = pipeline
    stage_versions: dict[str, str] | None = None

    def versions() -> dict[str, str]:
        """The stages' versions (what decides whether a stored article is up to date). With
        worker processes, this process builds its pipeline only for them, on the first page
        judged: by then the workers are starting and cleaning, so the imports overlap."""
        nonlocal pipe, stage_versions
        if stage_versions is None:
            if pipe is None and opts.analyze:
                from .analyze import default_pipeline

                pipe = default_pipeline()
            stage_versions = pipe.versions() if pipe is not None else {}
        return stage_versions

    pending = shards(iter_pages(inputs, opts.sources, fetcher), opts.shard_size)
    head = [s for _, s in zip(range(2), pending, strict=False)]
    # Fewer pages than two shards: starting workers would cost more than it saves.
    workers = opts.workers if len(head) > 1 or opts.engine != "local" else 1
    engine: Engine | None = None

    def get_engine() -> Engine:
        nonlocal engine
        if engine is None:
            if workers <= 1:
                versions()  # builds the pipeline this process runs
            here = pipe if workers <= 1 else pipeline  # workers build the default pipeline
            engine = make_engine(opts.engine, workers, here, opts.analyze, opts.ray_address)
        return engine

    run = _Run(store, opts, report, versions, get_engine, workers, progress)
    try:
        # Placing stories during the run writes story tables: hold the writer lock throughout.
        with store.writer() if run.placer is not None else nullcontext():
            run.drive(chain(head, pending))
        if run.placer is not None:
            run.placer.tally()
    finally:
        if engine is not None:
            engine.close()
    return report


class _Run:
    """The writer's side of one ingest: shards in input order, tasks to the engine."""

    def __init__(
        self,
        store: SQLiteStore,
        opts: IngestOptions,
        report: IngestReport,
        versions: Callable[[], dict[str, str]],
        engine: Callable[[], Engine],
        width: int,
        progress: Callable[[IngestReport, str], None] | None,
    ) -> None:
        self.store, self.opts, self.report, self._versions = store, opts, report, versions
        self.engine, self.width, self.progress = engine, width, progress
        self.seen_ids: set[str] = set()
        self.shards: dict[int, _Shard] = {}
        self.running = 0
        self.stop = False  # --on-error stop met a failure: read and judge nothing more
        self.placer: StoryPlacer | None = None
        if opts.place_stories and getattr(store, "story_lock", None) is None:
            self.placer = StoryPlacer(store, report.stories)

    def drive(self, shards: Iterator[list[Item]]) -> None:
        """Keep every engine slot busy while judging and writing shards strictly in order."""
        read = judged = written = 0
        more = True
        while True:
            window = 2 * self.width
            while more and not self.stop and read - written < 2 * window and self.running < window:
                items = next(shards, None)
                if items is None:
                    more = False
                    break
                self.shards[read] = self._start(read, items)
                read += 1
            while not self.stop and judged < read and self.shards[judged].cleaned is not None:
                try:
                    self._judge(judged, self.shards[judged])
                except StopIngest:
                    self.stop = True
                judged += 1
            while written < judged and self.shards[written].analyzed is not None:
                self._place(self._write(self.shards.pop(written)))
                written += 1
            if written == (judged if self.stop else read) and (self.stop or not more):
                break
            if self.running:
                tag, result = self.engine().next_done()
                self.running -= 1
                self._take(tag, result)
        self.report.stopped = self.stop

    def _submit(self, tag: int, task: CleanTask | AnalyzeTask) -> None:
        self.engine().submit(tag, task)
        self.running += 1

    def _take(self, tag: int, result: object) -> None:
        shard = self.shards.get(tag // 2)
        if shard is None:  # a shard past a stop: its result is not wanted
            return
        if tag % 2 == 0:
            shard.cleaned = result  # type: ignore[assignment]
        else:
            shard.analyzed = result  # type: ignore[assignment]

    def _start(self, index: int, items: list[Item]) -> _Shard:
        shard = _Shard(items)
        pages = tuple(i for i in items if isinstance(i, RawPage))
        if self.opts.resume:
            shard.key = shard_key(items, self._versions(), self.opts.extract)
            shard.done_ids = self.store.finished_shard(shard.key)
        if shard.done_ids is not None or not pages:
            shard.cleaned = []
        else:
            # One process routes nothing by language: identified only for the new pages.
            self._submit(2 * index, CleanTask(pages, self.opts.extract, identify=self.width > 1))
        return shard

    def _judge(self, index: int, shard: _Shard) -> None:
        """Report every page of the shard and send its new articles to analysis."""
        rep = self.report
        if shard.done_ids is not None:
            rep.shards_skipped += 1
            rep.unchanged += len(shard.items)
            rep.ids.extend(shard.done_ids)
            shard.new, shard.analyzed = [], Analyzed([])
            if self.progress and shard.items:
                self.progress(rep, shard.items[-1].where)
            return
        cleaned = iter(shard.cleaned or [])
        shard.new = []
        try:
            for item in shard.items:
                outcome = next(cleaned) if isinstance(item, RawPage) else None
                if isinstance(item, InputError):
                    self._fail(shard, item)
                elif outcome is not None and outcome.clean is None:
                    where, problem = outcome.failure or (item.where, "could not be cleaned")
                    self._fail(shard, InputError(where, problem))
                elif outcome is not None:
                    self._accept(shard, item, outcome)
                if self.progress:
                    self.progress(rep, item.where)
        finally:  # on a stop, what was judged before the failure is still analysed and written
            rep.shards_run += 1
            if shard.new:
                batch = AnalyzeTask(tuple(shard.new), self.opts.extract, self.opts.batch_size,
                                    self.opts.limits, self.opts.story_vectors,
                                    tuple(shard.langs))  # fmt: skip
                self._submit(2 * index + 1, batch)
            else:
                shard.analyzed = Analyzed([])

    def _accept(self, shard: _Shard, page: RawPage, outcome: Cleaned) -> None:
        assert outcome.clean is not None and shard.new is not None
        art_id = outcome.id
        self.report.warnings.extend(outcome.warnings)
        self.report.ids.append(art_id)
        shard.ids.append(art_id)
        stored = self.store.stage_versions(art_id)
        same = (
            stored is not None
            and covers(stored, self._versions())
            # the same text under a new URL or publication time is an update, not unchanged
            and self.store.metadata_matches(
                art_id, outcome.clean.url or page.url, outcome.clean.published
            )
        )
        if art_id in self.seen_ids or same:
            # An unchanged page needs no attribution or stages (only its language was
            # identified, with its cleaning: about 1.4 ms of CPU a page).
            self.report.unchanged += 1
        else:
            self.seen_ids.add(art_id)
            shard.new.append((outcome.clean, page))
            shard.langs.append(outcome.language)

    def _fail(self, shard: _Shard, err: InputError) -> None:
        shard.failed = True
        self.report.failed += 1
        self.report.failures.append((err.where, err.problem))
        path, line = split_where(err.where)
        self.store.record_failure(path, line, err.problem)
        if self.opts.on_error == "stop":
            raise StopIngest(str(err))

    def _place(self, unit: list[str]) -> None:
        """Place a written shard's articles into stories while the engine works on."""
        self.report.units.append(unit)
        if self.placer is None or not unit:
            return
        try:
            if self.placer.place(unit):
                self.placer.refresh(grown=True)  # the records of the stories it changed
        except StoreError:
            raise
        except Exception as exc:  # the articles are stored: placement after the run retries
            failed, self.placer = self.placer, None
            with suppress(Exception):
                failed.tally()  # what it placed before (its index is dropped, never reused)
            problem = f"{type(exc).__name__}: {exc}"
            self.report.warnings.append(f"stories placed after the run ({problem})")

    def _write(self, shard: _Shard) -> list[str]:
        """Store a shard's analysed articles; its article ids (for story placement)."""
        if shard.done_ids is not None:
            return list(shard.done_ids)
        done = shard.analyzed or Analyzed([])
        self.report.warnings.extend(done.warnings)
        broken: list[tuple[Article, str]] = []
        statuses = _store_isolated(self.store, done.articles, broken)
        for st in statuses:
            setattr(self.report, st, getattr(self.report, st) + 1)
        if done.vectors:
            from .stories.profile import save_pending

            bad = {a.id for a, _ in broken}
            try:
                save_pending(
                    self.store.conn, {k: v for k, v in done.vectors.items() if k not in bad}
                )
            except Exception as exc:  # an optimisation: placement embeds what is not stored
                self.report.warnings.append(
                    f"story vectors not stored ({exc}); placement embeds them"
                )
        if done.paragraphs:  # the workers' paragraph vectors, for the translation checks
            from .stories.translation import offer

            offer(done.paragraphs)
        failures = list(done.failures)
        for art, problem in broken:
            self.report.ids[:] = [i for i in self.report.ids if i != art.id]
            failures.append((art.source_path or art.url or art.id, problem))
        for where, problem in failures:
            try:
                self._fail(shard, InputError(where, problem))
            except StopIngest:
                self.stop = True
        if shard.key is not None and shard.done_ids is None and not shard.failed:
            self.store.finish_shard(shard.key, shard.ids)
        gone = {a.id for a, _ in broken}
        return [i for i in dict.fromkeys(shard.ids) if i not in gone]


def _store_isolated(
    store: SQLiteStore, articles: list[Article], broken: list[tuple[Article, str]]
) -> list[str]:
    """Upsert a batch in one transaction; if an article holds a value the store refuses, store
    the others one by one and add it to ``broken``. Faults of the store itself (disk full,
    read-only, damaged) raise StoreError and end the run: no later write could succeed."""
    try:
        return list(store.upsert(articles))
    except StoreError:
        raise
    except Exception as exc:
        if len(articles) == 1:
            broken.append((articles[0], f"could not be stored ({type(exc).__name__}: {exc})"))
            return []
    out: list[str] = []
    for art in articles:
        out.extend(_store_isolated(store, [art], broken))
    return out
