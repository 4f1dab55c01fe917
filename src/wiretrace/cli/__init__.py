"""The ``wiretrace`` command: thin adapters that parse arguments, call one core function, print.

``base`` holds the group, the ``--db`` option and store opening; each other module registers
its commands on the group: ``ingest``, ``read`` (show, list, search, stats, failures, stories,
story), ``facts`` (events, quotes, export) and ``admin`` (doctor, eval, copy). The web, demo,
discussion and spam commands live beside their code and are added here.
"""

from __future__ import annotations

import sys

import click

from ..errors import WiretraceError
from . import admin, facts, ingest, read  # noqa: F401  (each registers its commands)
from .base import DB, EXIT_SOME_FAILED, cli, cli_store, db_option, db_path

__all__ = ["DB", "EXIT_SOME_FAILED", "cli", "cli_store", "db_option", "db_path", "main"]


def _register_web() -> None:
    from ..web.commands import demo, serve

    cli.add_command(serve)
    cli.add_command(demo)
    from ..discuss.commands import user
    from ..spam.commands import train

    cli.add_command(train)
    cli.add_command(user)


_register_web()


def main() -> None:
    """Entry point: turn wiretrace errors into one clear line and exit status 1."""
    try:
        cli(standalone_mode=True)
    except WiretraceError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
