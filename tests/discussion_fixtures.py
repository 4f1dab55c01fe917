"""A store with one article that has a quote, users of each role, and a live server helper."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from wiretrace.model import Article, Evidence, Outlet, Quote, Speaker

PASSWORD = "correct horse battery"
BODY = (
    'Negotiators met in Vienna on Tuesday. The envoy said "we will need another round" '
    "after six hours of talks.\n\nThe ministry put the number of delegates at 40."
)


def article() -> Article:
    q = "we will need another round"
    start = BODY.index(q)
    return Article(
        id="art0000000000001",
        title="Vienna talks end without a deal",
        body=BODY,
        language="en",
        published="2024-03-12T10:00:00+00:00",
        outlet=Outlet("Test Wire"),
        quotes=(Quote(q, start, start + len(q), "direct", Speaker("the envoy", "named", None),
                      evidence=Evidence(BODY.index("The envoy"), BODY.index("talks.") + 6)),),
    )  # fmt: skip


QUOTE_ID = "art0000000000001/quote/0"


def make_db(path: Any) -> Any:
    from wiretrace.discuss.db import DiscussionDB
    from wiretrace.store import open_store

    store = open_store(path)
    store.upsert([article()])
    store.close()
    db = DiscussionDB.open(path)
    db.add_user("carol", PASSWORD, "contributor")
    db.add_user("mona", PASSWORD, "moderator")
    db.add_user("rita", PASSWORD, "reader")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live(app: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 in a thread for the duration of the block."""
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


CHROMIUM = Path("/usr/bin/chromium")  # Debian's Chromium, never a browser a test tool downloads
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def chromium() -> Iterator[Any]:
    """A headless Chromium through Playwright, for a fixture to yield from."""
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
