"""Discussion in a real browser (Debian's Chromium via Playwright) against a live server.

A contributor posts a note on a quote, a moderator approves it, a reader sees it under that
quote; a form sent without its CSRF token and posts over the rate limit are refused; script in
a comment stays text. Every browser request outside 127.0.0.1 is aborted and recorded, and the
server's sockets are guarded: both lists must stay empty.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from discussion_fixtures import CHROMIUM, PASSWORD, QUOTE_ID, chromium, live, make_db
from wiretrace.discuss.policy import Policy
from wiretrace.discuss.ratelimit import RateLimiter

SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
ARTICLE = "/article/art0000000000001/discussion"
HOSTILE = (
    'Quote is mistranslated <script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin"),
]


@pytest.fixture
def offsite(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Server-side guard: a socket connection outside loopback fails and is recorded."""
    attempts: list[Any] = []
    real = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = str(address[0]) if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and not (
            host.startswith("127.") or host == "::1"
        ):
            attempts.append(address)
            raise OSError(f"network disabled in this test: {address}")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield attempts


@pytest.fixture
def site(tmp_path: Path, offsite: list[Any]) -> Iterator[tuple[str, Any]]:
    from wiretrace.web.app import create_app

    app = create_app(make_db(tmp_path / "b.db"), base_url="http://127.0.0.1")
    app.state.discussion.policy = Policy(premoderate=True)
    app.state.discussion.user_limit = RateLimiter(3, 60.0)
    with live(app) as base:
        yield base, app
    assert offsite == []


@pytest.fixture
def browser() -> Iterator[Any]:
    yield from chromium()


class Person:
    """One browser context (own cookies) whose requests may only go to 127.0.0.1."""

    def __init__(self, browser: Any, base: str, blocked: list[str]) -> None:
        self.ctx = browser.new_context(viewport={"width": 1100, "height": 900})
        self.base = base

        def route(r: Any) -> None:
            if urlsplit(r.request.url).hostname == "127.0.0.1":
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        self.ctx.route("**/*", route)
        self.page = self.ctx.new_page()

    def go(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def login(self, name: str) -> None:
        self.go("/login")
        self.page.fill("input[name=name]", name)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form[action='/login'] button[type=submit]")
        self.page.wait_for_load_state()

    def post_on_quote(self, text: str) -> Any:
        self.go(ARTICLE)
        fact = self.page.locator(f"[data-fact-id='{QUOTE_ID}']")
        fact.locator("summary").first.click()
        fact.locator("textarea[name=body]").fill(text)
        with self.page.expect_navigation() as nav:
            fact.locator("button[type=submit]").click()
        return nav.value


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_note_on_a_quote_is_approved_and_read_anchored_and_inert(
    browser: Any, site: tuple[str, Any]
) -> None:
    base, app = site
    blocked: list[str] = []
    carol, mona, reader = (Person(browser, base, blocked) for _ in range(3))
    carol.login("carol")
    carol.post_on_quote(HOSTILE)
    held = app.state.discussion.db.held()
    assert [c.target_id for c in held] == [QUOTE_ID]
    reader.go(ARTICLE)
    assert reader.page.locator(f"[data-fact-id='{QUOTE_ID}'] .comment").count() == 0

    mona.login("mona")
    mona.go("/moderation")
    _shot(mona.page, "discussion-queue")
    with mona.page.expect_navigation():
        mona.page.locator(f"#held-{held[0].id} button[value=approve]").click()
    assert app.state.discussion.db.comment(held[0].id).status == "published"

    reader.go(ARTICLE)
    note = reader.page.locator(f"[data-fact-id='{QUOTE_ID}'] .comment .body")
    assert note.count() == 1
    assert note.inner_text() == HOSTILE  # shown as text, under the quote it is about
    assert "another round" in reader.page.locator(f"[data-fact-id='{QUOTE_ID}']").inner_text()
    assert reader.page.evaluate("window.__pwned") is None
    assert reader.page.locator(".comment script, .comment img").count() == 0
    _shot(reader.page, "discussion-reader")
    reader.go(f"/comment/{held[0].id}")
    assert reader.page.evaluate("window.__pwned") is None
    assert blocked == []


def test_post_without_csrf_token_is_refused(browser: Any, site: tuple[str, Any]) -> None:
    base, app = site
    blocked: list[str] = []
    carol = Person(browser, base, blocked)
    carol.login("carol")
    carol.go(ARTICLE)
    carol.page.evaluate("document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())")
    fact = carol.page.locator(f"[data-fact-id='{QUOTE_ID}']")
    fact.locator("summary").first.click()
    fact.locator("textarea[name=body]").fill("a note sent without the token")
    with carol.page.expect_navigation() as nav:
        fact.locator("button[type=submit]").click()
    assert nav.value.status == 403
    assert app.state.discussion.db.held() == []
    assert blocked == []


def test_posts_over_the_rate_limit_are_refused(browser: Any, site: tuple[str, Any]) -> None:
    base, app = site
    blocked: list[str] = []
    carol = Person(browser, base, blocked)
    carol.login("carol")
    statuses = [carol.post_on_quote(f"note {i}: the envoy spoke of a second round").status
                for i in range(4)]  # fmt: skip
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
    assert len(app.state.discussion.db.held()) == 3
    assert blocked == []
