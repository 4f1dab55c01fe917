"""The Akismet-compatible endpoint, driven by the ``akismet`` client from PyPI over loopback.

The client always addresses Akismet's own host; it takes an httpx client, so it is handed one
whose transport sends every request to our server on 127.0.0.1 and refuses any other
destination. Sockets are guarded too: a connection to a non-loopback address fails the test.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import akismet
import httpx
import pytest

from discussion_fixtures import live, make_db
from wiretrace.web.app import create_app

HAM = "The ministry's figure of 40 delegates differs from the agency's count of 35."
SPAM = "EARN MONEY FROM HOME, subscribe to my channel for free gift cards http://cash.example.biz"
# Scored as ham by the shipped model (no link, no promotion cue), spam by the moderators.
CAMPAIGN = "Quarterly tulip bulb auction results are in, ask the Tulipbulbs desk for the full list"
VARIANT = "Quarterly tulip bulb auction results are in!! ask the Tulipbulbs desk for the full list"


class Loopback(httpx.BaseTransport):
    """Sends every request to ``base`` (our server) and records where it was addressed."""

    def __init__(self, base: str) -> None:
        self.target = httpx.URL(base)
        self.inner = httpx.HTTPTransport()
        self.addressed: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.addressed.append(str(request.url.host))
        request.url = request.url.copy_with(scheme="http", host=self.target.host,
                                            port=self.target.port)  # fmt: skip
        request.headers["host"] = f"{self.target.host}:{self.target.port}"
        return self.inner.handle_request(request)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Any socket connection to an address outside 127.0.0.0/8 fails and is recorded."""
    attempts: list[Any] = []
    real = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and not (
            str(host).startswith("127.") or host in ("::1", "localhost")
        ):
            attempts.append(address)
            raise OSError(f"network disabled in this test: {address}")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield attempts
    assert attempts == [], f"tried to leave the machine: {attempts}"


@pytest.fixture
def server(tmp_path: Path, no_network: list[Any]) -> Iterator[tuple[str, str, Any]]:
    app = create_app(make_db(tmp_path / "ak.db"), base_url="http://127.0.0.1")
    key = app.state.discussion.db.add_api_key("blog.example")
    with live(app) as base:
        yield base, key, app


def _client(base: str, key: str) -> tuple[akismet.SyncClient, Loopback]:
    transport = Loopback(base)
    http = httpx.Client(transport=transport, timeout=10.0)
    config = akismet.Config(key=key, url="http://blog.example/")
    return akismet.SyncClient.validated_client(config=config, http_client=http), transport


def test_client_round_trips_check_and_submissions(server: tuple[str, str, Any]) -> None:
    base, key, app = server
    client, transport = _client(base, key)
    assert client.comment_check(user_ip="192.0.2.7", comment_content=HAM,
                                comment_author="Ann") == akismet.CheckResponse.HAM  # fmt: skip
    assert client.comment_check(user_ip="192.0.2.8", comment_content=SPAM) in (
        akismet.CheckResponse.SPAM, akismet.CheckResponse.DISCARD)  # fmt: skip
    assert client.submit_ham(user_ip="192.0.2.7", comment_content=HAM) is True
    assert client.submit_spam(user_ip="192.0.2.8", comment_content=SPAM) is True
    kept = {(d["decision"], d["source"]) for d in app.state.discussion.db.decisions()}
    assert kept == {("submit-ham", "akismet"), ("submit-spam", "akismet")}
    assert set(transport.addressed) == {"rest.akismet.com"}  # and all of it went to loopback


def test_a_spam_submission_changes_the_next_near_identical_score(
    server: tuple[str, str, Any],
) -> None:
    base, key, app = server
    client, _ = _client(base, key)
    before = app.state.discussion.scorer.score(VARIANT)[0]
    assert client.comment_check(user_ip="198.51.100.1", comment_content=VARIANT) == (
        akismet.CheckResponse.HAM)  # fmt: skip
    assert client.submit_spam(user_ip="198.51.100.1", comment_content=CAMPAIGN)
    after = app.state.discussion.scorer.score(VARIANT)[0]
    assert after > before and after >= 0.9
    assert client.comment_check(user_ip="198.51.100.2", comment_content=VARIANT) != (
        akismet.CheckResponse.HAM)  # fmt: skip
    unrelated = "The delegates will meet again in Geneva next month."
    assert client.comment_check(user_ip="198.51.100.3", comment_content=unrelated) == (
        akismet.CheckResponse.HAM)  # fmt: skip


def test_unknown_key_is_refused(server: tuple[str, str, Any]) -> None:
    base, _, _ = server
    with pytest.raises(akismet.APIKeyError):
        _client(base, "wt_not-a-key")
    r = httpx.post(base + "/1.1/comment-check", data={"api_key": "nope", "blog": "x",
                                                      "user_ip": "1.2.3.4"})  # fmt: skip
    assert r.text == "invalid" and "x-akismet-debug-help" in r.headers


def test_blatant_spam_gets_the_discard_tip(server: tuple[str, str, Any]) -> None:
    base, key, _ = server
    client, _ = _client(base, key)
    client.submit_spam(user_ip="203.0.113.9", comment_content=SPAM)
    assert client.comment_check(user_ip="203.0.113.9", comment_content=SPAM + " ") == (
        akismet.CheckResponse.DISCARD)  # fmt: skip
