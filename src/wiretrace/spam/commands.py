"""``wiretrace train spam``: refit the spam model in one deterministic command."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli.base import DB, cli_store


@click.group()
def train() -> None:
    """Retrain a model from bundled data, labelled files and moderation decisions."""


@train.command(name="spam")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Extra labelled JSONL (text + label spam|ham), e.g. the YouTube Spam Collection.",
)
@click.option(
    "--db",
    type=DB,
    default=None,
    help="Add this deployment's moderation decisions (an SQLite file or a postgresql:// URL of "
    "an existing store); the model is written beside an SQLite file.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Model file to write (default: <db>.spam.npz, or the packaged model without --db).",
)
@click.option("--no-bundled", is_flag=True, help="Leave out the comments shipped with wiretrace.")
def train_spam(data: tuple[str, ...], db: Path | str | None, out: Path | None,
               no_bundled: bool) -> None:  # fmt: skip
    """Fit the spam filter; the same inputs always give the same model file."""
    from .model import SHIPPED
    from .train import bundled, deployment_model_path, fit_with_threshold, from_decisions, from_file

    examples = [] if no_bundled else bundled()
    for path in data:
        examples += from_file(path)
    if db is not None:
        # An existing store only: a mistyped path or a missing PostgreSQL database is an error,
        # never a new empty store (the URL once went through click.Path, which made a file).
        if isinstance(db, Path) and not db.exists():
            raise click.ClickException(f"{db}: no such database")
        store = cli_store(db)
        try:
            examples += from_decisions(store.conn)
        finally:
            store.close()
    target = out or (deployment_model_path(db) if db is not None else SHIPPED)
    click.echo(f"training on {len(examples)} examples ...", err=True)
    try:
        model = fit_with_threshold(examples)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    model.save(target)
    click.echo(f"wrote {target}: {model.meta['examples']} examples "
               f"({model.meta['spam']} spam), threshold {model.threshold}")  # fmt: skip
