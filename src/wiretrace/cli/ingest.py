"""``wiretrace ingest``: read inputs into the store, with a progress bar and a summary."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .base import EXIT_SOME_FAILED, cli, cli_store, db_option


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option(
    "--on-error",
    type=click.Choice(["skip", "stop"]),
    default="skip",
    show_default=True,
    help="On a bad input: record it and go on, or stop after recording it.",
)
@click.option(
    "--max-bytes",
    type=int,
    default=50 * 1024 * 1024,
    show_default=True,
    help="Largest page (file, JSONL line or download) accepted.",
)
@click.option(
    "--no-analyze", is_flag=True, help="Only clean and store; skip the understanding stages."
)
@click.option("--no-stories", is_flag=True, help="Do not place the new articles into stories.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes running the document stages (default: the machine's cores).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where the document stages run: local processes, or a Ray cluster (wiretrace[ray]); "
    "with ray, finished shards are recorded and a rerun skips them.",
)
@click.option(
    "--ray-address",
    default=None,
    help="Ray cluster to join (e.g. auto, ray://HOST:10001); default: a local Ray.",
)
def ingest(inputs: tuple[str, ...], db: Path | None, on_error: str, max_bytes: int,
           no_analyze: bool, no_stories: bool, quiet: bool, workers: int | None, engine: str,
           ray_address: str | None) -> None:  # fmt: skip
    """Read files, directories, JSONL, '-' (stdin), URLs or feeds into the store.

    
    Exit status: 0 every input was read; 1 stopped (--on-error stop) or could not run;
    3 the run finished but some inputs failed (see `wiretrace failures`).
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ..engines import default_workers
    from ..ingest import IngestOptions, IngestReport
    from ..ingest import ingest as run_ingest
    from ..sources import SourceOptions
    from ..sources.fetch import FetchOptions

    opts = IngestOptions(
        on_error=on_error,  # type: ignore[arg-type]
        analyze=not no_analyze,
        sources=SourceOptions(max_bytes=max_bytes, fetch=FetchOptions(max_bytes=max_bytes)),
        workers=workers or default_workers(),
        engine=engine,  # type: ignore[arg-type]
        ray_address=ray_address,
        resume=engine == "ray",
        story_vectors=not no_stories,
        place_stories=not no_stories,  # each shard placed as it is written (SQLite)
    )
    err = Console(stderr=True)
    store = cli_store(db)
    stories = None
    try:
        with (
            store.writer(on_wait=lambda msg: err.print(msg, highlight=False)),
            Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed} pages"),
                TimeElapsedColumn(),
                console=err,
                disable=quiet or not err.is_terminal,
            ) as bar,
        ):
            task = bar.add_task("ingesting", total=None)

            def tick(rep: IngestReport, where: str) -> None:
                bar.update(
                    task, completed=rep.seen, description=f"ingesting {Path(where).name[:40]}"
                )

            report = run_ingest(list(inputs), store, opts, progress=tick)
            if not no_stories and report.ids:
                from ..corpus import update_stories

                task2 = bar.add_task("placing articles into stories", total=None)
                # What the run did not place (PostgreSQL: everything, in the same order), then
                # the records of the stories that changed.
                stories = update_stories(
                    store,
                    units=report.units,
                    into=report.stories,
                    progress=lambda n, total: bar.update(task2, completed=n, total=total),
                )
    finally:
        store.close()
    for where, problem in report.failures:
        err.print(f"[red]failed[/red] {where}: {problem}", markup=True, highlight=False)
    for w in report.warnings:
        err.print(f"[yellow]warning[/yellow] {w}", markup=True, highlight=False)
    click.echo(report.summary())
    if stories is not None:
        click.echo(stories.summary())
    if report.ids and len(set(report.ids)) <= 20:
        click.echo("ids: " + " ".join(dict.fromkeys(report.ids)))
    if report.stopped:
        sys.exit(1)
    if report.failures:
        sys.exit(EXIT_SOME_FAILED)
