"""Fact commands: events, quotes and ``export``, with their shared filters."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from .base import cli, cli_store, db_option

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
    from ..store.facts import FactFilter

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
    from ..store.facts import events as query

    store = cli_store(kw["db"], readonly=True)
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
    from ..corpus import merged_events

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
    from ..store.facts import quotes as query

    for q in query(cli_store(kw["db"], readonly=True).conn, _flt(kw)):
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
    from ..export import export_events as run

    n = run(cli_store(kw["db"], readonly=True), output, fmt, _flt(kw))
    click.echo(f"{n} events", err=True)
