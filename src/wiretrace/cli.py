"""The ``wiretrace`` command: thin adapters that parse arguments, call one core function, print."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .cli_print import print_article, print_story, quote_line
from .errors import WiretraceError
from .store import SearchQuery, checks, default_db, is_url, open_store
from .store.sqlite import SQLiteStore
from .story_lookup import resolve_story_id, story_quotes


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


def _store(db: Path | str | None, readonly: bool = False) -> SQLiteStore:
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


def _dump(obj: Any) -> None:
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

    from .engines import default_workers
    from .ingest import IngestOptions, IngestReport
    from .ingest import ingest as run_ingest
    from .sources import SourceOptions
    from .sources.fetch import FetchOptions

    opts = IngestOptions(
        on_error=on_error,  # type: ignore[arg-type]
        analyze=not no_analyze,
        sources=SourceOptions(max_bytes=max_bytes, fetch=FetchOptions(max_bytes=max_bytes)),
        workers=workers or default_workers(),
        engine=engine,  # type: ignore[arg-type]
        ray_address=ray_address,
        resume=engine == "ray",
    )
    err = Console(stderr=True)
    store = _store(db)
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
                from .corpus import update_stories

                task2 = bar.add_task("placing articles into stories", total=None)
                stories = update_stories(
                    store,
                    report.ids,
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


@cli.command()
@click.argument("article_id")
@db_option
@click.option(
    "--json", "as_json", is_flag=True, help="Print the article record (JSON contract v1)."
)
def show(article_id: str, db: Path | None, as_json: bool) -> None:
    """Show one article (ids may be abbreviated)."""
    store = _store(db, readonly=True)
    full = store.resolve_id(article_id)
    if full is None:
        raise click.ClickException(f"no article with id {article_id!r} (see `wiretrace list`)")
    record = store.get_json(full)
    assert record is not None
    if as_json:
        _dump(record)
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
    store = _store(db, readonly=True)
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
    store = _store(db, readonly=True)
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
    store = _store(db, readonly=True)
    data = store.stats()
    if as_json:
        _dump(data)
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
    store = _store(db, readonly=True)
    found = store.failures(limit)
    for f in found:
        line = f":{f['line']}" if f["line"] else ""
        click.echo(f"{f['at']}  {f['input']}{line}: {f['reason']}")
    if not found:
        click.echo("no failures recorded")


@cli.command()
@db_option
@click.option("--repair", is_flag=True, help="Rebuild what can be derived, then check again.")
def doctor(db: Path | None, repair: bool) -> None:
    """Check a store: schema, integrity, full-text index and stories in step with the articles."""
    from .doctor import check
    from .doctor import repair as fix

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
def eval_(task: str, data: str, limit: int | None, as_json: bool, cv: int | None) -> None:
    """Measure accuracy on gold data: quotes, events, pairs, clusters or spam."""
    from .eval import run

    if cv is not None and task != "events":
        raise click.UsageError("--cv is only implemented for events")
    result = run(task, data, limit=limit, **({"cv": cv} if cv else {}))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    for k, v in result.items():
        click.echo(f"{k:>18}: {v:.4f}" if isinstance(v, float) else f"{k:>18}: {v}")


F = TypeVar("F", bound=Callable[..., Any])


def _options(*opts: Any) -> Callable[[F], F]:
    """Stack several click options into one decorator."""

    def wrap(f: F) -> F:
        for o in reversed(opts):
            f = o(f)
        return f

    return wrap


_common_filters = _options(
    click.option("--about", help="Full-text query the article must match (e.g. Karabakh)."),
    click.option("--language", help="Article language (ISO 639-1)."),
    click.option("--limit", default=1000, show_default=True),
    db_option,
)
_event_filters = _options(
    click.option("--type", "event_type", help="PLOVER event type, e.g. CONSULT."),
    click.option("--actor", help="Actor text, ISO country code or entity id."),
    click.option("--recipient", help="Recipient text, ISO country code or entity id."),
    click.option("--place", help="Place text or ISO country code."),
    click.option("--from", "date_from", help="Event date on or after (ISO)."),
    click.option("--to", "date_to", help="Event date on or before (ISO)."),
    click.option(
        "--all",
        "include_unrealised",
        is_flag=True,
        help="Include negated, hypothetical and future events.",
    ),
)
_quote_filters = _options(
    click.option(
        "--source-type",
        type=click.Choice(["named", "anonymous", "institutional", "outlet", "document", "unknown"]),
    ),
    click.option("--declined", is_flag=True, default=None, help="Only refusals to comment."),
    click.option("--speaker", help="Speaker text contains."),
)


def _flt(kw: dict[str, Any]) -> Any:
    from .store.facts import FactFilter

    return FactFilter(**{k: v for k, v in kw.items() if k != "db"})


@cli.command()
@_common_filters
@_event_filters
@click.option(
    "--merged",
    is_flag=True,
    help="One row per happening: the story events (merged across the reports of a story) "
    "that the matching report events belong to, with the reports that tell each.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def events(as_json: bool, merged: bool, **kw: Any) -> None:
    """Events found in the stored articles, filtered by type, actor, place and date range."""
    from .store.facts import events as query

    store = _store(kw["db"], readonly=True)
    found = query(store.conn, _flt(kw))
    if merged:
        _print_merged(store, found, as_json)
        return
    for ev in found:
        if as_json:
            click.echo(json.dumps(ev, ensure_ascii=False))
            continue
        date = (ev.get("date") or {}).get("value") or "?"
        actors = "; ".join(p["text"] for p in ev.get("actors", []))
        rec = "; ".join(p["text"] for p in ev.get("recipients", []))
        where = "; ".join(p["text"] for p in ev.get("where", []))
        aux = f" [{ev['aux']}]" if ev.get("aux") else ""
        click.echo(f"{date:10}  {ev['type']:9}{aux}  {actors} -> {rec or '-'}  @ {where or '-'}"
                   f"  ({ev['article_id'][:8]})")  # fmt: skip


def _print_merged(store: Any, found: list[dict[str, Any]], as_json: bool) -> None:
    from .corpus import merged_events

    happenings = merged_events(store, found)
    for ev in happenings:
        if as_json:
            click.echo(json.dumps(ev, ensure_ascii=False))
            continue
        date = (ev.get("date") or {}).get("value") or "?"
        actors = "; ".join(p["text"] for p in ev.get("actors", [])[:3])
        reports = ev.get("reports", [])
        langs = ",".join(sorted({r["language"] for r in reports if r.get("language")}))
        click.echo(f"{date:10}  {ev['type']:9}  {actors or '-'}  [{len(reports)} report(s): "
                   f"{langs or '?'}]  (story {ev['story_id']})")  # fmt: skip
    click.echo(
        f"{len(happenings)} event(s) told by {len(found)} matching report event(s)", err=True
    )


@cli.command()
@_common_filters
@_quote_filters
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def quotes(as_json: bool, **kw: Any) -> None:
    """Quotes with speaker and source type, e.g. --source-type anonymous --about Karabakh."""
    from .store.facts import quotes as query

    for q in query(_store(kw["db"], readonly=True).conn, _flt(kw)):
        if as_json:
            click.echo(json.dumps(q, ensure_ascii=False))
            continue
        sp = q["speaker"]
        flag = " DECLINED" if q.get("declined") else ""
        click.echo(f"[{sp['source_type']}{flag}] {sp.get('text') or '?'}: {q['content'][:110]}"
                   f"  ({q['article_id'][:8]})")  # fmt: skip


@cli.group()
def export() -> None:
    """Export tables of facts."""


@export.command(name="events")
@_common_filters
@_event_filters
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True
)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: standard output).")  # fmt: skip
def export_events(fmt: str, output: Any, **kw: Any) -> None:
    """One row per event with its evidence sentence, as CSV or JSON Lines."""
    from .export import export_events as run

    n = run(_store(kw["db"], readonly=True), output, fmt, _flt(kw))
    click.echo(f"{n} events", err=True)


@cli.command()
@db_option
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def stories(db: Path | None, limit: int, as_json: bool) -> None:
    """Stories across outlets and languages, largest first."""
    from .corpus import list_stories

    for st in list_stories(_store(db, readonly=True), limit=limit):
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
    from .corpus import story_record

    store = _store(db, readonly=True)
    rec = story_record(store, resolve_story_id(store, story_id))
    if as_json:
        _dump(rec)
        return
    from .web.outlets import apply, identities

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


@cli.command("copy")
@click.argument("src", type=DB)
@click.argument("dst", type=DB)
def copy_cmd(src: Path | str, dst: Path | str) -> None:
    """Copy a whole corpus from SRC to the empty DST (SQLite file or postgresql:// URL)."""
    from .store.copy import copy_corpus

    source = _store(src, readonly=True)
    target = _store(dst)
    try:
        counts = copy_corpus(source, target)
    finally:
        source.close()
        target.close()
    click.echo(", ".join(f"{table} {n}" for table, n in counts.items() if n))


def _register_web() -> None:
    from .web.commands import demo, serve

    cli.add_command(serve)
    cli.add_command(demo)
    from .discuss.commands import user
    from .spam.commands import train

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
