"""Writing through the web: the token-guarded ingest of an uploaded JSONL or HTML body.

The server stays read-only unless it was started with a write token; then one writer
connection, serialised by a lock, ingests uploads exactly as ``wiretrace ingest`` would.
"""

from __future__ import annotations

import hmac
import tempfile
import threading
from pathlib import Path
from typing import Any

from ..analyze import default_pipeline
from ..corpus import update_stories
from ..ingest import IngestOptions, ingest
from ..pipeline import Pipeline
from ..store import open_store

MAX_UPLOAD = 20 * 1024 * 1024
_SUFFIX = {
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "application/json": ".jsonl",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
}


def token_ok(header: str | None, token: str | None) -> bool:
    """True when ``header`` is ``Bearer <token>`` for the configured token (constant time)."""
    if not token or not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer ") :].strip().encode(), token.encode())


def suffix_for(content_type: str | None) -> str | None:
    """The input-file suffix the ingest sources expect for an upload's content type."""
    base = (content_type or "").split(";")[0].strip().lower()
    return _SUFFIX.get(base)


class Writer:
    """The single writer connection of a server started with a write token."""

    def __init__(self, db_path: Path, analyze: bool = True) -> None:
        self.db_path = db_path
        self.analyze = analyze
        self._lock = threading.Lock()
        self._pipeline: Pipeline | None = None

    def ingest_bytes(self, data: bytes, suffix: str) -> dict[str, Any]:
        """Ingest one uploaded body; returns the ingest report as JSON-ready data."""
        with self._lock, tempfile.TemporaryDirectory(prefix="wiretrace-upload-") as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(data)
            if self._pipeline is None and self.analyze:
                self._pipeline = default_pipeline()
            store = open_store(self.db_path)
            try:
                opts = IngestOptions(analyze=self.analyze, story_vectors=True, place_stories=True)
                with store.writer():  # a CLI ingest on the same file waits, and vice versa
                    report = ingest([str(path)], store, opts, pipeline=self._pipeline)
                    update_stories(store, units=report.units, into=report.stories)
            finally:
                store.close()
        return {
            "new": report.new,
            "unchanged": report.unchanged,
            "updated": report.updated,
            "failed": report.failed,
            "ids": report.ids,
            "failures": [{"where": Path(w).name, "problem": p} for w, p in report.failures],
        }
