"""What every ``wiretrace`` command shares: the ``--db`` option, opening the store, the group."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import click

from ..errors import WiretraceError
from ..store import checks, default_db, is_url, open_store
from ..store.sqlite import SQLiteStore


class DbLocation(click.ParamType):  # type: ignore[type-arg]
    """A ``--db`` value: an SQLite file path, or a ``postgresql://`` URL kept as text."""

    name = "db"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Path | str:  # fmt: skip
        if isinstance(value, Path) or is_url(value):
            return value  # type: ignore[no-any-return]
        return Path(value)


DB = DbLocation()
db_option = click.option(
    "--db",
    type=DB,
    default=None,
    help="SQLite database file or postgresql:// URL (default: $WIRETRACE_DB or ./wiretrace.db).",
)


# Exit status of ``ingest`` when it ran to the end but some inputs could not be read.
EXIT_SOME_FAILED = 3


def db_path(db: Path | str | None) -> Path | str:
    """The database a command works on: its own ``--db``, else the group's, else the default."""
    if db is not None:
        return db
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root().params.get("db") if ctx is not None else None
    return DB.convert(root, None, None) if root else default_db()


def cli_store(db: Path | str | None, readonly: bool = False) -> SQLiteStore:
    location = db_path(db)
    if isinstance(location, str):  # PostgreSQL: the server says whether it exists
        return open_store(location, readonly=readonly)
    path = location
    if readonly and not path.exists():
        raise click.ClickException(f"{path}: no such database; run `wiretrace ingest` first")
    if not readonly and not path.parent.exists():
        # A mistyped --db must not leave a trail of new directories behind.
        raise click.ClickException(f"{path}: directory {path.parent} does not exist")
    store = open_store(path, readonly=readonly)
    try:
        store.conn.execute("SELECT count(*) FROM articles").fetchone()
        if readonly:  # writers check in open_store; a damaged page must not pass for data
            checks.check_whole(store.conn, path)
    except WiretraceError:
        store.close()
        raise
    except sqlite3.DatabaseError as exc:
        store.close()
        raise click.ClickException(
            f"{path}: not a wiretrace database ({exc}); pass another --db path"
        ) from exc
    return store


def dump_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


class _Group(click.Group):
    """Turns wiretrace's own errors into one clear line and exit status 1, for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WiretraceError as exc:
            raise click.ClickException(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise click.ClickException(f"database error: {exc}") from exc


@click.group(cls=_Group)
@click.version_option(package_name="wiretrace")
@click.option(
    "--db",
    type=DB,
    default=None,
    help="SQLite database or postgresql:// URL for every command (default: $WIRETRACE_DB or ./wiretrace.db); "
    "a subcommand's own --db wins.",
)
def cli(db: Path | None) -> None:
    """wiretrace: de-duplicated, provenance-traced news, every fact linked to its sentence."""
