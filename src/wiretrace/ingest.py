"""Ingest: inputs -> pages -> clean articles -> understanding stages -> store, idempotently.

Articles already stored with the same stage versions are not analysed again, so a second run
over the same inputs only reads and hashes them and reports everything unchanged. Each batch is
written in one transaction: a failure or an interrupt never leaves a half-written article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from .errors import InputError
from .model import Article
from .pipeline import Pipeline
from .sources import SourceOptions, iter_pages
from .sources.fetch import Fetcher
from .stages.clean.extract import Options as ExtractOptions
from .stages.clean.extract import article_id, clean_page, finish
from .store.sqlite import SQLiteStore


@dataclass
class IngestOptions:
    on_error: Literal["skip", "stop"] = "skip"
    batch_size: int = 16
    analyze: bool = True
    sources: SourceOptions = field(default_factory=SourceOptions)
    extract: ExtractOptions = field(default_factory=ExtractOptions)


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

    @property
    def seen(self) -> int:
        return self.new + self.unchanged + self.updated + self.failed

    def summary(self) -> str:
        line = (f"{self.new} new, {self.unchanged} unchanged, {self.updated} updated, "
                f"{self.failed} failed")  # fmt: skip
        return line + (" (stopped at the first failure: --on-error stop)" if self.stopped else "")


class StopIngest(Exception):
    """Raised inside the run when --on-error stop meets a failure."""


def _split_where(where: str) -> tuple[str, int | None]:
    m = re.match(r"^(.*):(\d+)$", where)
    return (m.group(1), int(m.group(2))) if m else (where, None)


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
    if pipe is None and opts.analyze:
        from .analyze import default_pipeline

        pipe = default_pipeline()
    versions = pipe.versions() if pipe is not None else {}
    batch: list[Article] = []
    seen_ids: set[str] = set()

    def fail(err: InputError) -> None:
        report.failed += 1
        report.failures.append((err.where, err.problem))
        path, line = _split_where(err.where)
        store.record_failure(path, line, err.problem)
        if opts.on_error == "stop":
            raise StopIngest(str(err))

    def flush() -> None:
        if not batch:
            return
        done: Iterable[Article] = pipe(batch, batch_size=opts.batch_size) if pipe else batch
        statuses = store.upsert(list(done))
        for st in statuses:
            setattr(report, st, getattr(report, st) + 1)
        batch.clear()

    try:
        for item in iter_pages(inputs, opts.sources, fetcher):
            if isinstance(item, InputError):
                fail(item)
                if progress:
                    progress(report, item.where)
                continue
            try:
                clean, warnings = clean_page(item, opts.extract)
                art_id = article_id(clean)
                stored = store.stage_versions(art_id)
                unchanged = art_id in seen_ids or (stored is not None and _covers(stored, versions))
                # An unchanged page needs no language identification, attribution or stages.
                art = None if unchanged else finish(clean, item, opts.extract)
            except InputError as exc:
                fail(exc)
                continue
            except Exception as exc:  # an extractor bug must not kill a long run
                fail(InputError(item.where, f"could not be cleaned ({type(exc).__name__}: {exc})"))
                continue
            report.warnings.extend(warnings)
            report.ids.append(art_id)
            if art is None:
                report.unchanged += 1
            else:
                seen_ids.add(art.id)
                batch.append(art)
                if len(batch) >= opts.batch_size:
                    flush()
            if progress:
                progress(report, item.where)
        flush()
    except StopIngest:
        flush()
        report.stopped = True
    return report


def _covers(stored: dict[str, str], wanted: dict[str, str]) -> bool:
    return all(stored.get(k) == v for k, v in wanted.items())
