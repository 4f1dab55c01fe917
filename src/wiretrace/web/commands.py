"""The ``serve`` and ``demo`` commands: thin click adapters around :func:`create_app`.

``demo`` makes a fresh clone show something at once: it ingests the bundled demo corpus into the
default database (``./wiretrace.db`` or ``$WIRETRACE_DB``, so every other command finds it with
no flag; only if that database has no article yet), groups the articles into stories, then
serves the result.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..store.sqlite import SQLiteStore


def demo_corpus() -> Path:
    """The directory of demo articles shipped inside the package."""
    return Path(__file__).resolve().parents[1] / "demo" / "corpus"


def _serve(db: Path | str, host: str, port: int, write_token: str | None, base_url: str | None = None,
           allowed_hosts: tuple[str, ...] = ()) -> None:  # fmt: skip
    import uvicorn

    from .app import LOCAL_HOSTS, create_app

    if host not in LOCAL_HOSTS and write_token is None:
        click.echo(f"serving read-only on {host}:{port}", err=True)
    base = base_url or f"http://{'localhost' if host in LOCAL_HOSTS else host}:{port}"
    app = create_app(db, write_token=write_token, base_url=base,
                     allowed_hosts=list(allowed_hosts) or None)  # fmt: skip
    uvicorn.run(app, host=host, port=port, log_level="info")


def build_demo(db: Path, echo: Callable[[str], None] = click.echo) -> dict[str, Any]:
    """Ingest the demo corpus into ``db`` if it has no article, then place it into stories."""
    from ..corpus import update_stories
    from ..ingest import IngestOptions, ingest

    store = SQLiteStore(db)
    try:
        count = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        if count == 0:
            echo(f"ingesting the demo corpus into {db} (first run: loads the language models)")
            echo(ingest([str(demo_corpus())], store, IngestOptions(story_vectors=True)).summary())
        echo(update_stories(store).summary())
        stats = store.stats()
        stats["stories"] = store.conn.execute("SELECT count(*) FROM stories").fetchone()[0]
        return stats
    finally:
        store.close()


db_option = click.option(
    "--db",
    default=None,
    help="SQLite database file or postgresql:// URL (default: the group's --db, $WIRETRACE_DB "
    "or ./wiretrace.db).",
)
host_option = click.option("--host", default="127.0.0.1", show_default=True)
port_option = click.option("--port", type=int, default=8000, show_default=True)
token_option = click.option(
    "--write-token",
    envvar="WIRETRACE_WRITE_TOKEN",
    default=None,
    help="Enable POST /api/ingest for requests bearing this token (default: read-only).",
)

base_url_option = click.option(
    "--base-url",
    envvar="WIRETRACE_BASE_URL",
    default=None,
    help="Public address for absolute links (share links, og:url); default http://HOST:PORT.",
)
allowed_host_option = click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    help="Host name clients may use (repeatable); default: the base URL's host and localhost.",
)


def _sqlite_only(location: Path | str) -> Path:
    """The demo builds an SQLite file (``wiretrace copy`` moves it to PostgreSQL)."""
    if isinstance(location, str):
        raise click.ClickException(
            "the demo builds an SQLite file; build it, then `wiretrace copy FILE.db URL`"
        )
    return location


@click.command()
@db_option
@host_option
@port_option
@token_option
@base_url_option
@allowed_host_option
def serve(db: str | None, host: str, port: int, write_token: str | None, base_url: str | None,
          allowed_hosts: tuple[str, ...]) -> None:  # fmt: skip
    """Serve the web app and JSON API over a store (read-only unless given a write token)."""
    from ..cli.base import DB, cli_store, db_path

    location = db_path(DB.convert(db, None, None) if db else None)
    if isinstance(location, Path) and not location.exists():
        raise click.ClickException(f"{location}: no such database; run `wiretrace ingest` first")
    cli_store(
        location, readonly=True
    ).close()  # a foreign or damaged file: one line, before serving
    _serve(location, host, port, write_token, base_url, allowed_hosts)


@click.command()
@db_option
@host_option
@port_option
@click.option("--no-serve", is_flag=True, help="Only build the demo database.")
def demo(db: str | None, host: str, port: int, no_serve: bool) -> None:
    """Ingest the bundled demo corpus into the default database (first run only), build its
    stories and serve it; `wiretrace stories` and the rest then find it with no flag."""
    from ..cli.base import DB, db_path

    path = _sqlite_only(db_path(DB.convert(db, None, None) if db else None))
    if not path.parent.exists():
        raise click.ClickException(f"{path}: directory {path.parent} does not exist")
    stats = build_demo(path)
    click.echo(
        f"{path}: {stats['articles']} articles, {stats['stories']} stories, "
        f"{stats['quotes']} quotes, {stats['events']} events"
    )
    if not no_serve:
        click.echo(f"open http://{host}:{port}/", err=True)
        _serve(path, host, port, None)


if __name__ == "__main__":  # pragma: no cover - ``python -m wiretrace.web.commands``
    sys.exit(click.Group(commands={"serve": serve, "demo": demo})())
