"""Accuracy harness: ``wiretrace eval TASK --data FILE.jsonl``.

Each task lives in its own module exposing ``evaluate(records) -> dict`` over the JSONL format of
``shared/eval/README.md``; this module reads the file and dispatches, so every task is run the same
way and any file of the task's format (dev, test, other splits) is accepted unchanged.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError

TASKS: dict[str, str] = {
    "quotes": "wiretrace.eval.quotes",
    "events": "wiretrace.eval.events",
    "pairs": "wiretrace.eval.pairs",
    "clusters": "wiretrace.eval.clusters",
    "spam": "wiretrace.eval.spam",
}


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Records of a JSONL file; a malformed line raises an error naming the file and line."""
    p = Path(path)
    try:
        fh = p.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(p), f"cannot open: {exc.strerror}") from exc
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{p}:{n}", f"malformed JSON ({exc.msg})") from exc
            if not isinstance(rec, dict):
                raise InputError(f"{p}:{n}", "a record must be a JSON object")
            yield rec


def run(task: str, path: str | Path, limit: int | None = None, **options: Any) -> dict[str, Any]:
    """Evaluate ``task`` on the records of ``path`` and return its metrics.

    ``options`` go to the task's ``evaluate`` (events takes ``cv=k`` for k-fold figures).
    """
    if task not in TASKS:
        raise InputError(task, f"unknown eval task; choose one of {', '.join(TASKS)}")
    module = importlib.import_module(TASKS[task])
    records = list(read_jsonl(path))
    if limit is not None:
        records = records[:limit]
    result: dict[str, Any] = module.evaluate(records, **options)
    return result
