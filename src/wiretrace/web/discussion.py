"""Discussion pages and actions: sign-in, comments on stories, articles and facts, moderation.

Every form carries a CSRF token bound to the signed session cookie (Starlette's
SessionMiddleware: itsdangerous-signed, HttpOnly, SameSite=Strict); a POST without the token is
refused. Posting needs a contributor, deciding a moderator. Bodies are size-limited before
parsing, a hidden honeypot field catches form-filling bots, and posts are rate-limited per
user and per IP. Comments are plain text rendered through Jinja2 autoescaping.
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..discuss import anchors
from ..discuss.accounts import User
from ..discuss.db import Comment, DiscussionDB
from ..discuss.policy import Policy, Scorer
from ..discuss.ratelimit import RateLimiter
from . import story_queries

MAX_FORM = 32 * 1024  # bytes of a form body
MAX_COMMENT = 5000  # characters of a comment
HONEYPOT = "website"


@dataclass
class Discussion:
    """What the discussion routes share: the database, the scorer, the policy and the limits."""

    db: DiscussionDB
    scorer: Scorer
    policy: Policy = field(default_factory=Policy)
    user_limit: RateLimiter = field(default_factory=lambda: RateLimiter(5, 60.0))
    ip_limit: RateLimiter = field(default_factory=lambda: RateLimiter(20, 60.0))


def install(app: Starlette, db_path: str | Path, policy: Policy | None = None,
            secret: str | None = None, https_only: bool = False) -> Discussion:  # fmt: skip
    """Attach the discussion state and the signed-session middleware to ``app``."""
    db = DiscussionDB.open(db_path)
    premoderate = os.environ.get("WIRETRACE_PREMODERATE", "") == "1"
    disc = Discussion(db, Scorer.for_db(db_path, db.labelled()),
                      policy or Policy(premoderate=premoderate))  # fmt: skip
    app.state.discussion = disc
    key = secret or os.environ.get("WIRETRACE_SECRET_KEY") or secrets.token_hex(32)
    # Behind https the cookie is also Secure, so it never travels over plain http.
    https_only = https_only or str(getattr(app.state, "base_url", "")).startswith("https://")
    app.add_middleware(SessionMiddleware, secret_key=key, session_cookie="wiretrace_session",
                       max_age=14 * 24 * 3600, same_site="strict", https_only=https_only)  # fmt: skip
    return disc


# -- helpers ------------------------------------------------------------------------------------


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _disc(request: Request) -> Discussion:
    d: Discussion = request.app.state.discussion
    return d


def current_user(request: Request) -> User | None:
    uid = request.session.get("uid")
    return _disc(request).db.user(int(uid)) if isinstance(uid, int) else None


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def read_form(request: Request) -> dict[str, str]:
    """The url-encoded form, refused over :data:`MAX_FORM` bytes (checked while reading)."""
    if int(request.headers.get("content-length") or 0) > MAX_FORM:
        raise Refused(413, f"form over {MAX_FORM} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            raise Refused(413, f"form over {MAX_FORM} bytes")
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=50)
    except (UnicodeDecodeError, ValueError) as exc:
        raise Refused(400, f"unreadable form ({exc})") from exc
    return {k: v[0] for k, v in parsed.items()}


def check_csrf(request: Request, form: dict[str, str]) -> None:
    expected = request.session.get("csrf")
    sent = form.get("csrf", "")
    if not isinstance(expected, str) or not hmac.compare_digest(expected, sent):
        raise Refused(403, "missing or wrong CSRF token: reload the page and send the form again")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _page(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    env = request.app.state.env
    html = env.get_template(template).render(
        request=request, user=current_user(request), csrf=csrf_token(request), **ctx
    )
    return HTMLResponse(html, status_code=status)


def _refusal(request: Request, exc: Refused) -> Response:
    if _wants_json(request) or request.url.path.endswith(".json"):
        return JSONResponse({"error": str(exc), "status": exc.status}, status_code=exc.status)
    env = request.app.state.env
    html = env.get_template("error.html").render(request=request, status=exc.status,
                                                 message=str(exc))  # fmt: skip
    return HTMLResponse(html, status_code=exc.status)


def _record(request: Request, article_id: str) -> dict[str, Any] | None:
    with request.app.state.pool.store() as store:
        rec: dict[str, Any] | None = store.get_json(article_id)
        return rec


def _story_exists(request: Request, story_id: str) -> bool:
    with request.app.state.pool.store() as store:
        return story_queries.story(store, story_id) is not None


def thread(comments: list[Comment], user: User | None) -> list[dict[str, Any]]:
    """Visible comments as nested threads (a reply under its parent), oldest first."""
    shown = [c for c in comments if c.visible_to(user)]
    ids = {c.id for c in shown}
    nodes: dict[int, dict[str, Any]] = {
        c.id: {"comment": c, "json": c.to_json(), "replies": []} for c in shown
    }
    roots: list[dict[str, Any]] = []
    for c in shown:
        parent = nodes.get(c.parent_id) if c.parent_id in ids and c.parent_id else None
        (parent["replies"] if parent else roots).append(nodes[c.id])
    return roots


def _plain(node: dict[str, Any]) -> dict[str, Any]:
    return {**node["json"], "replies": [_plain(r) for r in node["replies"]]}


# -- pages --------------------------------------------------------------------------------------


def discussion_data(request: Request, kind: str, target_id: str) -> dict[str, Any] | None:
    """A story's or an article's discussion: its own thread and, for an article, each fact's."""
    d = _disc(request)
    user = current_user(request)
    if kind == "story":
        if not _story_exists(request, target_id):
            return None
        return {"target": {"kind": "story", "id": target_id}, "facts": [],
                "comments": thread(d.db.for_target("story", target_id), user)}  # fmt: skip
    record = _record(request, target_id)
    if record is None:
        return None
    comments = d.db.for_article(target_id)
    facts = []
    for a in anchors.facts(record):
        on = [c for c in comments if c.target_id == a.id]
        facts.append({"kind": a.kind, "id": a.id, "label": a.label,
                      "span": {"start": a.span[0], "end": a.span[1]} if a.span else None,
                      "sentence": record["body"][a.span[0] : a.span[1]] if a.span else None,
                      "comments": thread(on, user)})  # fmt: skip
    own = [c for c in comments if c.target_kind == "article"]
    return {"target": {"kind": "article", "id": target_id, "title": record.get("title")},
            "facts": facts, "comments": thread(own, user)}  # fmt: skip


def _as_json(data: dict[str, Any]) -> dict[str, Any]:
    out = {**data, "comments": [_plain(n) for n in data["comments"]]}
    out["facts"] = [{**f, "comments": [_plain(n) for n in f["comments"]]} for f in data["facts"]]
    return out


def _discussion_endpoint(kind: str, as_json: bool) -> Any:
    async def endpoint(request: Request) -> Response:
        target = request.path_params["id"]
        data = await run_in_threadpool(discussion_data, request, kind, target)
        if data is None:
            return _refusal(request, Refused(404, f"no such {kind}"))
        if as_json:
            return JSONResponse(_as_json(data))
        return _page(request, "discussion.html", data=data)

    return endpoint


async def comment_page(request: Request) -> Response:
    as_json = request.path_params["cid"].endswith(".json")
    try:
        cid = int(request.path_params["cid"].removesuffix(".json"))
    except ValueError:
        return _refusal(request, Refused(404, "no such comment"))
    d = _disc(request)
    user = current_user(request)
    c = d.db.comment(cid)
    if c is None or not c.visible_to(user):
        return _refusal(request, Refused(404, "no such comment"))
    data = c.to_json()
    data["thread_url"] = _thread_url(c)
    if user and user.can_moderate():
        data["revisions"] = d.db.revisions(cid)
    if as_json:
        return JSONResponse(data)
    return _page(request, "comment.html", comment=c, data=data)


def _thread_url(c: Comment) -> str:
    if c.target_kind == "story":
        return f"/story/{quote(c.target_id, safe='')}/discussion#comment-{c.id}"
    return f"/article/{quote(c.article_id or '', safe='')}/discussion#comment-{c.id}"


# -- actions ------------------------------------------------------------------------------------


async def login_page(request: Request) -> Response:
    return _page(request, "login.html", message=None)


async def login(request: Request) -> Response:
    try:
        form = await read_form(request)
        check_csrf(request, form)
    except Refused as exc:
        return _refusal(request, exc)
    d = _disc(request)
    if not d.ip_limit.allow("login:" + client_ip(request)):
        return _refusal(request, Refused(429, "too many attempts; wait a minute"))
    user = await run_in_threadpool(
        d.db.authenticate, form.get("name", ""), form.get("password", "")
    )
    if user is None:
        return _page(request, "login.html", status=401, message="wrong name or password")
    request.session.clear()  # a new session on sign-in: nothing from before carries over
    request.session["uid"] = user.id
    request.session["csrf"] = secrets.token_urlsafe(32)
    target = form.get("next") or "/"
    return RedirectResponse(target if target.startswith("/") and not target.startswith("//")
                            else "/", status_code=303)  # fmt: skip


async def logout(request: Request) -> Response:
    try:
        check_csrf(request, await read_form(request))
    except Refused as exc:
        return _refusal(request, exc)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


async def post_comment(request: Request) -> Response:
    try:
        form = await read_form(request)
        check_csrf(request, form)
        cid = await run_in_threadpool(_post, request, form)
    except Refused as exc:
        return _refusal(request, exc)
    d = _disc(request)
    c = d.db.comment(cid)
    assert c is not None
    if _wants_json(request):
        return JSONResponse(c.to_json(), status_code=201)
    return RedirectResponse(_thread_url(c), status_code=303)


def _post(request: Request, form: dict[str, str]) -> int:
    d = _disc(request)
    user = current_user(request)
    if user is None or not user.can_post():
        raise Refused(403, "sign in as a contributor to comment")
    if form.get(HONEYPOT):
        raise Refused(400, "this form was filled in by a robot")
    body = form.get("body", "").strip()
    if not body or len(body) > MAX_COMMENT:
        raise Refused(400, f"a comment needs 1 to {MAX_COMMENT} characters")
    ip = client_ip(request)
    if not d.user_limit.allow(f"user:{user.id}") or not d.ip_limit.allow(f"ip:{ip}"):
        raise Refused(429, "too many comments; wait a minute before posting again")
    kind, target = form.get("target_kind", ""), form.get("target_id", "")
    anchor = anchors.resolve(kind, target, lambda a: _record(request, a),
                             lambda s: _story_exists(request, s))  # fmt: skip
    if anchor is None:
        raise Refused(404, f"nothing to comment on at {kind} {target}")
    parent_id = int(form["parent_id"]) if form.get("parent_id", "").isdigit() else None
    if parent_id is not None:
        parent = d.db.comment(parent_id)
        if parent is None or parent.target_id != anchor.id or parent.status != "published":
            raise Refused(400, "a reply must answer a published comment on the same target")
    since = (datetime.fromisoformat(_now()) - d.policy.repeat_window).isoformat(timespec="seconds")
    verdict = d.scorer.verdict(body, d.policy, user.created_at, d.db.recent_bodies(user.id, since))
    return d.db.add_comment(target_kind=anchor.kind, target_id=anchor.id,
                            article_id=anchor.article_id, span=anchor.span, author=user,
                            body=body, status=verdict.status, score=round(verdict.score, 4),
                            ip=ip, parent_id=parent_id)  # fmt: skip


def _now() -> str:
    from ..discuss.db import now

    return now()


async def edit_comment(request: Request) -> Response:
    return await _own_action(request, "edit")


async def delete_comment(request: Request) -> Response:
    return await _own_action(request, "delete")


async def _own_action(request: Request, action: str) -> Response:
    try:
        form = await read_form(request)
        check_csrf(request, form)
        user = current_user(request)
        if user is None:
            raise Refused(403, "sign in first")
        cid = int(request.path_params["cid"])
        d = _disc(request)
        if action == "edit":
            body = form.get("body", "").strip()
            if not body or len(body) > MAX_COMMENT:
                raise Refused(400, f"a comment needs 1 to {MAX_COMMENT} characters")
            d.db.edit(cid, user, body)
        else:
            d.db.delete(cid, user)
    except PermissionError as exc:
        return _refusal(request, Refused(403, str(exc)))
    except Refused as exc:
        return _refusal(request, exc)
    return RedirectResponse(f"/comment/{cid}", status_code=303)


def queue_data(request: Request) -> dict[str, Any]:
    d = _disc(request)
    held = d.db.held()
    return {"held": [c.to_json() for c in held], "decisions": d.db.decisions(50)}


async def queue_page(request: Request) -> Response:
    user = current_user(request)
    as_json = request.url.path.endswith(".json")
    if user is None or not user.can_moderate():
        return _refusal(request, Refused(403, "moderators only"))
    data = queue_data(request)
    if as_json:
        return JSONResponse(data)
    return _page(request, "moderation.html", data=data)


async def decide(request: Request) -> Response:
    try:
        form = await read_form(request)
        check_csrf(request, form)
        user = current_user(request)
        if user is None or not user.can_moderate():
            raise Refused(403, "moderators only")
        d = _disc(request)
        c = d.db.decide(int(request.path_params["cid"]), user, form.get("decision", ""))
        d.scorer.learn(c.body, form["decision"] == "spam")
    except PermissionError as exc:
        return _refusal(request, Refused(400, str(exc)))
    except LookupError as exc:
        return _refusal(request, Refused(404, str(exc)))
    except Refused as exc:
        return _refusal(request, exc)
    return RedirectResponse("/moderation", status_code=303)


def routes() -> list[Route]:
    """The discussion routes, each HTML page with its ``.json`` twin."""
    return [
        Route("/login", login_page, methods=["GET"], name="login_page"),
        Route("/login", login, methods=["POST"], name="login"),
        Route("/logout", logout, methods=["POST"], name="logout"),
        Route("/article/{id}/discussion.json", _discussion_endpoint("article", True),
              name="article_discussion_json"),
        Route("/article/{id}/discussion", _discussion_endpoint("article", False),
              name="article_discussion"),
        Route("/story/{id}/discussion.json", _discussion_endpoint("story", True),
              name="story_discussion_json"),
        Route("/story/{id}/discussion", _discussion_endpoint("story", False),
              name="story_discussion"),
        Route("/comments", post_comment, methods=["POST"], name="post_comment"),
        Route("/comment/{cid}", comment_page, name="comment"),
        Route("/comment/{cid:int}/edit", edit_comment, methods=["POST"], name="edit_comment"),
        Route("/comment/{cid:int}/delete", delete_comment, methods=["POST"], name="delete_comment"),
        Route("/moderation.json", queue_page, name="moderation_json"),
        Route("/moderation", queue_page, name="moderation"),
        Route("/moderation/{cid:int}", decide, methods=["POST"], name="decide"),
    ]  # fmt: skip
