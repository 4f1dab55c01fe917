"""Marked blocks of induced entries in a language's ``events.toml``, written and replaced whole.

:mod:`.induce` writes the trigger entries that outside examples give between a ``BEGIN`` and an
``END`` comment line at the end of the ``[verbs]`` and ``[nouns]`` tables, each entry naming its
example; a rerun strips the blocks first, so the same input gives the same files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

BEGIN = "# >>> induced from examples_external.tsv"
END = "# <<< induced from examples_external.tsv"
_BLOCK = re.compile(rf"\n*{re.escape(BEGIN)}.*?{re.escape(END)}[^\n]*\n", re.S)


def toml_path(lang: str) -> Path:
    return Path(str(resources.files("wiretrace.lang").joinpath(lang, "events.toml")))


def without_blocks(text: str) -> str:
    return _BLOCK.sub("\n", text)


def strip_blocks(langs: Sequence[str]) -> None:
    """Remove the blocks a previous run wrote, so examples are judged against the lexicon as the
    codebook work left it (call before any lexicon is read)."""
    for lang in langs:
        path = toml_path(lang)
        if path.is_file():
            path.write_text(without_blocks(path.read_text(encoding="utf-8")), encoding="utf-8")


def write_blocks(lang: str, tables: dict[str, list[tuple[str, str, str]]], source: str) -> None:
    """Add to ``lang``'s events.toml one block per table of ``(key, type, example id)``."""
    path = toml_path(lang)
    text = path.read_text(encoding="utf-8")
    for table, rows in tables.items():
        if not rows:
            continue
        body = [BEGIN, f"# ({source})"]
        body += [
            f"{json.dumps(k, ensure_ascii=False)} = {json.dumps(t)}  # {ex}" for k, t, ex in rows
        ]
        body.append(END)
        text = insert_at_end_of(text, table, "\n".join(body))
    path.write_text(text, encoding="utf-8")


def insert_at_end_of(text: str, table: str, block: str) -> str:
    """``text`` (a TOML file) with ``block`` added as the last lines of ``[table]``."""
    padded = "\n" + text
    start = padded.index(f"\n[{table}]\n")
    nxt = padded.find("\n[", start + 1)
    nxt = len(padded) if nxt < 0 else nxt
    head, tail = padded[:nxt].rstrip("\n"), padded[nxt:]
    return f"{head}\n{block}\n{tail}"[1:]
