"""Discussion over HTTP: sign-in, CSRF, posting on a fact, moderation, limits, escaping, audit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from discussion_fixtures import PASSWORD, QUOTE_ID, make_db
from wiretrace.discuss.policy import Policy
from wiretrace.web.app import create_app


@pytest.fixture
def app(tmp_path: Path) -> Any:
    application = create_app(make_db(tmp_path / "d.db"), base_url="http://testserver")
    application.state.discussion.policy = Policy(premoderate=True)
    return application


def _csrf(client: TestClient, url: str = "/login") -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', client.get(url).text)
    assert m, url
    return m.group(1)


def _login(client: TestClient, name: str) -> None:
    r = client.post("/login", data={"csrf": _csrf(client), "name": name, "password": PASSWORD},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text


def _post(client: TestClient, body: str, target: str = QUOTE_ID, kind: str = "quote",
          **extra: str) -> Any:  # fmt: skip
    csrf = _csrf(client)
    data = {"csrf": csrf, "target_kind": kind, "target_id": target, "body": body, **extra}
    return client.post("/comments", data=data, follow_redirects=False)


def test_note_on_a_quote_is_held_then_approved_and_anchored(app: Any) -> None:
    carol, mona, anon = TestClient(app), TestClient(app), TestClient(app)
    _login(carol, "carol")
    r = _post(carol, "The quote is mistranslated: 'another round' was 'a further session'.")
    assert r.status_code == 303
    cid = int(r.headers["location"].rsplit("comment-", 1)[1])
    assert anon.get(f"/comment/{cid}.json").status_code == 404  # held: not public yet
    _login(mona, "mona")
    queue = mona.get("/moderation.json").json()
    assert [c["id"] for c in queue["held"]] == [cid]
    csrf = _csrf(mona, "/moderation")
    assert mona.post(f"/moderation/{cid}", data={"csrf": csrf, "decision": "approve"},
                     follow_redirects=False).status_code == 303  # fmt: skip
    data = anon.get("/article/art0000000000001/discussion.json").json()
    fact = next(f for f in data["facts"] if f["id"] == QUOTE_ID)
    assert [c["id"] for c in fact["comments"]] == [cid]
    assert fact["comments"][0]["target"]["span"] == fact["span"]
    assert "another round" in fact["sentence"]
    assert mona.get("/moderation.json").json()["decisions"][0]["decision"] == "approve"


def test_post_without_csrf_token_is_refused(app: Any) -> None:
    carol = TestClient(app)
    _login(carol, "carol")
    r = carol.post("/comments", data={"target_kind": "quote", "target_id": QUOTE_ID,
                                      "body": "no token"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 403
    assert (
        carol.get("/article/art0000000000001/discussion.json").json()["facts"][0]["comments"] == []
    )


def test_readers_and_strangers_cannot_post(app: Any) -> None:
    rita, anon = TestClient(app), TestClient(app)
    _login(rita, "rita")
    assert _post(rita, "a reader's note").status_code == 403
    assert _post(anon, "a stranger's note").status_code == 403


def test_rate_limit_per_user(app: Any) -> None:
    carol = TestClient(app)
    _login(carol, "carol")
    codes = [_post(carol, f"note number {i} on the envoy's wording").status_code for i in range(7)]
    assert codes[:5] == [303] * 5 and codes[5:] == [429, 429]


def test_honeypot_and_length_limits(app: Any) -> None:
    carol = TestClient(app)
    _login(carol, "carol")
    assert _post(carol, "filled by a bot", website="http://x.example").status_code == 400
    assert _post(carol, "x" * 5001).status_code == 400
    big = {"csrf": "x", "body": "y" * 40000}
    assert carol.post("/comments", data=big).status_code == 413


def test_script_in_a_comment_is_escaped(app: Any) -> None:
    carol = TestClient(app)
    _login(carol, "carol")
    app.state.discussion.policy = Policy()  # publish by score
    r = _post(
        carol, "<script>alert(1)</script> the figure is disputed", "art0000000000001", "article"
    )
    cid = int(r.headers["location"].rsplit("comment-", 1)[1])
    page = TestClient(app).get(f"/comment/{cid}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_edit_and_soft_delete_keep_the_audit_trail(app: Any) -> None:
    app.state.discussion.policy = Policy()
    carol, mona = TestClient(app), TestClient(app)
    _login(carol, "carol")
    cid = int(_post(carol, "first wording of my note").headers["location"].rsplit("-", 1)[1])
    csrf = _csrf(carol, f"/comment/{cid}")
    carol.post(f"/comment/{cid}/edit", data={"csrf": csrf, "body": "second wording"})
    carol.post(f"/comment/{cid}/delete", data={"csrf": csrf})
    public = TestClient(app).get(f"/comment/{cid}.json").json()
    assert public["deleted_at"] and public["body"] is None
    _login(mona, "mona")
    audit = mona.get(f"/comment/{cid}.json").json()
    assert [r["body"] for r in audit["revisions"]] == ["first wording of my note"]
    db = app.state.discussion.db
    assert db.comment(cid).body == "second wording"  # kept for audit


def test_spam_is_kept_out_by_score(app: Any) -> None:
    app.state.discussion.policy = Policy()
    carol = TestClient(app)
    _login(carol, "carol")
    r = _post(carol, "EARN MONEY FROM HOME, subscribe to my channel, free gift cards "
                     "http://cash.example.biz http://gifts.example.biz", "art0000000000001",
              "article")  # fmt: skip
    cid = int(r.headers["location"].rsplit("-", 1)[1])
    assert app.state.discussion.db.comment(cid).status in ("held", "spam")
    assert TestClient(app).get(f"/comment/{cid}.json").status_code == 404
    assert [c.id for c in app.state.discussion.db.held()] == [cid]  # a moderator still sees it


def test_discussion_routes_are_in_openapi(app: Any) -> None:
    paths = TestClient(app).get("/openapi.json").json()["paths"]
    for p in (
        "/article/{id}/discussion.json",
        "/comment/{cid}.json",
        "/comments",
        "/1.1/comment-check",
        "/1.1/submit-spam",
        "/1.1/submit-ham",
        "/1.1/verify-key",
    ):
        assert p in paths


def test_session_cookie_is_signed_httponly_samesite(app: Any) -> None:
    r = TestClient(app).get("/login")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_a_moderators_spam_decision_changes_the_next_near_identical_score(app: Any) -> None:
    carol, mona = TestClient(app), TestClient(app)
    _login(carol, "carol")
    text = "Weekly tulip bulb auction: results at the Tulipbulbs desk, ask for the list"
    scorer = app.state.discussion.scorer
    before = scorer.score(text + " today")[0]
    cid = int(
        _post(carol, text, "art0000000000001", "article").headers["location"].rsplit("-", 1)[1]
    )
    _login(mona, "mona")
    csrf = _csrf(mona, "/moderation")
    mona.post(f"/moderation/{cid}", data={"csrf": csrf, "decision": "spam"})
    assert app.state.discussion.db.comment(cid).status == "spam"
    after = scorer.score(text + " today")[0]
    assert before < 0.5 < 0.9 <= after
    labels = app.state.discussion.db.labelled()
    assert labels == [(text, "spam")]  # kept for the next `wiretrace train spam --db`


def test_notes_on_a_story_have_their_own_thread(tmp_path: Path) -> None:
    from wiretrace.corpus import update_stories
    from wiretrace.store import open_store

    path = make_db(tmp_path / "s.db")
    store = open_store(path)
    update_stories(store)
    story_id = store.conn.execute("SELECT story_id FROM story_articles").fetchone()[0]
    store.close()
    application = create_app(path, base_url="http://testserver")
    carol = TestClient(application)
    _login(carol, "carol")
    r = _post(carol, "Two more outlets ran this story on Wednesday.", story_id, "story")
    assert r.status_code == 303 and "/story/" in r.headers["location"]
    data = TestClient(application).get(f"/story/{story_id}/discussion.json").json()
    assert [c["body"] for c in data["comments"]] == [
        "Two more outlets ran this story on Wednesday."
    ]
    assert TestClient(application).get("/story/nope/discussion.json").status_code == 404


def test_odd_comment_ids_are_not_found(app: Any) -> None:
    client = TestClient(app, raise_server_exceptions=False)
    for path in ("/comment/abc", "/comment/0.json", "/comment/12345678901234567890123.json"):
        assert client.get(path).status_code == 404, path
    assert client.post("/comment/abc/edit", data={}).status_code == 404
    assert client.post("/moderation/99999999999999999999999", data={}).status_code == 403


def test_discussion_runs_on_postgresql(pg_url: str) -> None:
    """The same flow on the PostgreSQL store: migrations, ids, the queue, decisions, audit."""
    application = create_app(make_db(pg_url), base_url="http://testserver")
    application.state.discussion.policy = Policy(premoderate=True)
    carol, mona = TestClient(application), TestClient(application)
    _login(carol, "carol")
    cid = int(_post(carol, "The envoy's words were 'one more round'.").headers["location"]
              .rsplit("-", 1)[1])  # fmt: skip
    _login(mona, "mona")
    assert [c["id"] for c in mona.get("/moderation.json").json()["held"]] == [cid]
    mona.post(
        f"/moderation/{cid}", data={"csrf": _csrf(mona, "/moderation"), "decision": "approve"}
    )
    data = TestClient(application).get("/article/art0000000000001/discussion.json").json()
    assert [c["id"] for c in data["facts"][0]["comments"]] == [cid]
    csrf = _csrf(carol, f"/comment/{cid}")
    carol.post(f"/comment/{cid}/edit", data={"csrf": csrf, "body": "edited on PostgreSQL"})
    assert [r["body"] for r in mona.get(f"/comment/{cid}.json").json()["revisions"]] == [
        "The envoy's words were 'one more round'."
    ]
    assert application.state.discussion.db.labelled() == [
        ("The envoy's words were 'one more round'.", "ham")
    ]


def test_session_cookie_is_secure_behind_https(tmp_path: Path) -> None:
    application = create_app(make_db(tmp_path / "h.db"), base_url="https://testserver")
    r = TestClient(application, base_url="https://testserver").get("/login")
    assert "secure" in r.headers["set-cookie"].lower()
