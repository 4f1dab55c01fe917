"""Exports: the event table (one row per event with its evidence) as CSV or JSON Lines."""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from .store.facts import EVENT_COLUMNS, FactFilter, event_row, events
from .store.sqlite import SQLiteStore

# A spreadsheet reads a cell starting with one of these as a formula (or strips it first).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """``value`` safe for a spreadsheet: text that would start a formula gets a leading "'"."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_events(store: SQLiteStore, out: TextIO, fmt: str, flt: FactFilter) -> int:
    """Write matching events to ``out``; returns how many rows were written."""
    rows = events(store.conn, flt)
    bodies: dict[str, str] = {}
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(EVENT_COLUMNS))
        writer.writeheader()
    for ev in rows:
        if ev["article_id"] not in bodies:
            rec = store.get_json(ev["article_id"]) or {}
            bodies[ev["article_id"]] = rec.get("body", "")
        row = event_row(ev, bodies[ev["article_id"]])
        if writer is not None:
            writer.writerow({k: csv_cell(v) for k, v in row.items()})
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)
