"""Read commands: show, list, search, stats, failures, stories and story."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..cli_print import print_article, print_story, quote_line
from ..store import SearchQuery
from ..story_lookup import resolve_story_id, story_quotes
from .base import cli, cli_store, db_option, dump_json


@cli.command()
@click.argument("article_id")
@db_option
@click.option(
    "--json", "as_json", is_flag=True, help="Print the article record (JSON contract v1)."
)
def show(article_id: str, db: Path | None, as_json: bool) -> None:
    """Show one article (ids may be abbreviated)."""
    store = cli_store(db, readonly=True)
    full = store.resolve_id(article_id)
    if full is None:
        raise click.ClickException(f"no article with id {article_id!r} (see `wiretrace list`)")
    record = store.get_json(full)
    assert record is not None
    if as_json:
        dump_json(record)
        return
    print_article(record, click.echo)


@cli.command(name="list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0)
@click.option("--language", default=None)
def list_(db: Path | None, as_json: bool, limit: int, offset: int, language: str | None) -> None:
    """List stored articles, newest first."""
    store = cli_store(db, readonly=True)
    for row in store.list(limit=limit, offset=offset, language=language):
        if as_json:
            click.echo(json.dumps(row.to_json(), ensure_ascii=False))
        else:
            click.echo(
                f"{row.id}  {row.language or '??'}  {(row.published or '')[:10]:10}  {row.title[:90]}"
            )


@cli.command()
@click.argument("query", required=False)
@db_option
@click.option("--entity", help="Articles mentioning this entity, in any language or spelling.")
@click.option("--language")
@click.option("--outlet")
@click.option("--source-type", type=click.Choice(["named", "anonymous", "institutional", "outlet", "document", "unknown"]),
              help="Articles with a quote from this kind of source.")  # fmt: skip
@click.option("--event-type", help="Articles with an event of this PLOVER type.")
@click.option("--from", "date_from", help="Published on or after (ISO date).")
@click.option("--to", "date_to", help="Published on or before (ISO date).")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def search(query: str | None, db: Path | None, entity: str | None, language: str | None,
           outlet: str | None, source_type: str | None, event_type: str | None,
           date_from: str | None, date_to: str | None, limit: int, as_json: bool) -> None:  # fmt: skip
    """Full-text search over titles and bodies, with entity and fact filters."""
    if not any([query, entity, language, outlet, source_type, event_type, date_from, date_to]):
        raise click.UsageError("give a QUERY or at least one filter (--entity, --language, ...)")
    store = cli_store(db, readonly=True)
    hits = store.search(SearchQuery(text=query, entity=entity, language=language, outlet=outlet,
                                    source_type=source_type, event_type=event_type,
                                    date_from=date_from, date_to=date_to, limit=limit))  # fmt: skip
    for h in hits:
        if as_json:
            click.echo(json.dumps({**h.row.to_json(), "snippet": h.snippet}, ensure_ascii=False))
        else:
            click.echo(f"{h.row.id}  {h.row.language or '??'}  {h.row.title[:80]}")
            if h.snippet:
                click.echo(f"    {h.snippet}")
    if not hits and not as_json:
        click.echo("no matches")


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True)
def stats(db: Path | None, as_json: bool) -> None:
    """Counts: articles by language and outlet, entities, quotes, events, failures."""
    store = cli_store(db, readonly=True)
    data = store.stats()
    if as_json:
        dump_json(data)
        return
    for k, v in data.items():
        if isinstance(v, dict):
            click.echo(f"{k}: " + ", ".join(f"{a} {b}" for a, b in v.items()))
        else:
            click.echo(f"{k}: {v}")


@cli.command()
@db_option
@click.option("--limit", default=50, show_default=True)
def failures(db: Path | None, limit: int) -> None:
    """Inputs that could not be ingested, with file, line and reason."""
    store = cli_store(db, readonly=True)
    found = store.failures(limit)
    for f in found:
        line = f":{f['line']}" if f["line"] else ""
        click.echo(f"{f['at']}  {f['input']}{line}: {f['reason']}")
    if not found:
        click.echo("no failures recorded")


@cli.command()
@db_option
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def stories(db: Path | None, limit: int, as_json: bool) -> None:
    """Stories across outlets and languages, largest first."""
    from ..corpus import list_stories

    for st in list_stories(cli_store(db, readonly=True), limit=limit):
        if as_json:
            click.echo(json.dumps(st, ensure_ascii=False))
        else:
            langs = ",".join(st["languages"])
            click.echo(f"{st['id']}  {st['size']:3} reports  {langs:14}  {st['title'] or ''}"[:140])


@cli.command()
@click.argument("story_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the story record.")
def story(story_id: str, db: Path | None, as_json: bool) -> None:
    """One story: its reports, who reported first, provenance edges and merged events."""
    from ..corpus import story_record

    store = cli_store(db, readonly=True)
    rec = story_record(store, resolve_story_id(store, story_id))
    if as_json:
        dump_json(rec)
        return
    from ..web.outlets import apply, identities

    names = identities(store.conn)  # one name per outlet: a site named by its domain is merged
    print_story(apply(rec, names), click.echo)
    records = [apply(r, names) for r in (store.get_json(a["id"]) for a in rec["articles"]) if r]
    quotes = story_quotes(records, rec["edges"])
    if quotes:
        click.echo(f"\nquotes ({len(quotes)}):")
    for q in quotes:
        n = len(q["reports"])
        again = f"  [repeated by {n} reports]" if n > 1 else ""
        click.echo(f"  - {quote_line(q)}{again}")
