"""Store care and measurement: doctor, eval and copy."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..store import open_store
from .base import DB, cli, cli_store, db_option, db_path


@cli.command()
@db_option
@click.option("--repair", is_flag=True, help="Rebuild what can be derived, then check again.")
def doctor(db: Path | None, repair: bool) -> None:
    """Check a store: schema, integrity, full-text index and stories in step with the articles."""
    from ..doctor import check
    from ..doctor import repair as fix

    path = Path(db_path(db))
    if not path.exists():
        raise click.ClickException(f"{path}: no such database")
    store = open_store(path, readonly=not repair)
    try:
        rep = fix(store) if repair else check(store)
    finally:
        store.close()
    for line in rep.repaired:
        click.echo(f"repaired: {line}")
    for line in rep.notes:
        click.echo(line)
    for line in rep.problems:
        click.echo(f"PROBLEM {line}")
    click.echo("store is consistent" if rep.clean else f"{len(rep.problems)} problem(s) found")
    if not rep.clean:
        sys.exit(1)


@cli.command(name="eval")
@click.argument("task", type=click.Choice(["quotes", "events", "pairs", "clusters", "spam"]))
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A JSONL file in the task's format (../shared/eval/README.md).",
)
@click.option("--limit", type=int, default=None, help="Only the first N records.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object with the metrics.")
@click.option(
    "--cv",
    type=click.IntRange(min=2),
    default=None,
    help="events: k-fold cross-validation (folds by record id), in-sample figures beside.",
)
@click.option(
    "--cv-by",
    type=click.Choice(["id", "source"]),
    default="id",
    show_default=True,
    help="events: folds by a hash of the record id (--cv k), or one fold per writer (the "
    "record's source, else its id's prefix), fitting without that writer's own examples.",
)
@click.option(
    "--train-on",
    type=click.Choice(["shipped", "examples"]),
    default="shipped",
    show_default=True,
    help="events: score the shipped model, or one fitted on our own examples only (held out).",
)
def eval_(
    task: str,
    data: str,
    limit: int | None,
    as_json: bool,
    cv: int | None,
    cv_by: str,
    train_on: str,
) -> None:
    """Measure accuracy on gold data: quotes, events, pairs, clusters or spam."""
    from ..eval import run

    if cv is not None and task != "events":
        raise click.UsageError("--cv is only implemented for events")
    if train_on != "shipped" and task != "events":
        raise click.UsageError("--train-on is only implemented for events")
    if cv_by != "id" and task != "events":
        raise click.UsageError("--cv-by is only implemented for events")
    if (cv is not None or cv_by != "id") and train_on != "shipped":
        raise click.UsageError("--cv fits its own classifiers; it does not take --train-on")
    if cv is not None and cv_by == "source":
        raise click.UsageError("--cv-by source makes one fold per writer; drop --cv")
    options: dict[str, object] = {"cv": cv} if cv else {}
    if cv_by != "id":
        options["cv_by"] = cv_by
    if train_on != "shipped":
        options["train_on"] = train_on
    result = run(task, data, limit=limit, **options)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    for k, v in result.items():
        click.echo(f"{k:>18}: {v:.4f}" if isinstance(v, float) else f"{k:>18}: {v}")


@cli.command("copy")
@click.argument("src", type=DB)
@click.argument("dst", type=DB)
def copy_cmd(src: Path | str, dst: Path | str) -> None:
    """Copy a whole corpus from SRC to the empty DST (SQLite file or postgresql:// URL)."""
    from ..store.copy import copy_corpus

    source = cli_store(src, readonly=True)
    target = cli_store(dst)
    try:
        counts = copy_corpus(source, target)
    finally:
        source.close()
        target.close()
    click.echo(", ".join(f"{table} {n}" for table, n in counts.items() if n))
