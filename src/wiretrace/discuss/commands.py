"""``wiretrace user``: create accounts, change roles, make Akismet-compatible API keys."""

from __future__ import annotations

from pathlib import Path

import click

from .accounts import ROLES

_DB = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                   help="Database (default: $WIRETRACE_DB or ./wiretrace.db).")  # fmt: skip


def _open(db: Path | None) -> object:
    from ..store import default_db_path
    from .db import DiscussionDB

    return DiscussionDB.open(db or default_db_path())


@click.group()
def user() -> None:
    """Accounts for discussion: readers, contributors, moderators; API keys."""


@user.command(name="add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="contributor", show_default=True)
@click.password_option(help="Asked for when not given (or set WIRETRACE_PASSWORD).",
                       envvar="WIRETRACE_PASSWORD")  # fmt: skip
@_DB
def add(name: str, role: str, password: str, db: Path | None) -> None:
    """Create a local account (password stored as an Argon2id hash)."""
    from .db import DiscussionDB

    store = _open(db)
    assert isinstance(store, DiscussionDB)
    try:
        u = store.add_user(name, password, role)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"user {u.name} ({u.role}) created")


@user.command(name="role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@_DB
def role(name: str, role: str, db: Path | None) -> None:
    """Change an account's role."""
    from .db import DiscussionDB

    store = _open(db)
    assert isinstance(store, DiscussionDB)
    if store.user_by_name(name) is None:
        raise click.ClickException(f"no user {name!r}")
    store.set_role(name, role)
    click.echo(f"user {name} is now {role}")


@user.command(name="key")
@click.argument("label")
@_DB
def key(label: str, db: Path | None) -> None:
    """Make an API key for the Akismet-compatible endpoint; it is shown once, stored hashed."""
    from .db import DiscussionDB

    store = _open(db)
    assert isinstance(store, DiscussionDB)
    click.echo(store.add_api_key(label))
