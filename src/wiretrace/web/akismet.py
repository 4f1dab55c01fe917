"""An Akismet-compatible endpoint (API 1.1), so an existing Akismet plugin can use this server.

Form-encoded POSTs to ``/1.1/verify-key``, ``/1.1/comment-check``, ``/1.1/submit-spam`` and
``/1.1/submit-ham``, answered as Akismet answers them: ``valid``/``invalid``, ``true``/``false``
(with ``X-akismet-pro-tip: discard`` for blatant spam), ``invalid`` plus
``X-akismet-debug-help`` for a bad key, and the fixed thank-you line for submissions. Keys are
the API keys an admin creates (``wiretrace user key``). A submission is kept as a moderation
decision and learnt at once, so the next near-identical comment scores differently.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from .discussion import Discussion, Refused, read_form

THANKS = "Thanks for making the web a better place."
MAX_CONTENT = 64 * 1024


def _text(body: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(body, status_code=status, headers=headers)


def _invalid() -> Response:
    return _text("invalid", headers={"X-akismet-debug-help": "API key not valid for this server"})


async def _form(request: Request) -> dict[str, str] | Response:
    try:
        return await read_form(request)
    except Refused as exc:
        return _text(str(exc), exc.status)


async def verify_key(request: Request) -> Response:
    form = await _form(request)
    if isinstance(form, Response):
        return form
    d: Discussion = request.app.state.discussion
    ok = d.db.key_valid(form.get("key")) and bool(form.get("blog"))
    return _text("valid") if ok else _invalid()


def _checked(request: Request, form: dict[str, str]) -> Response | None:
    """An error response when the key or a required field is missing, else None."""
    d: Discussion = request.app.state.discussion
    if not d.db.key_valid(form.get("api_key")):
        return _invalid()
    for name in ("blog", "user_ip"):
        if not form.get(name):
            return _text(f"Missing required field: {name}.",
                         headers={"X-akismet-debug-help": f"Missing required field: {name}."})  # fmt: skip
    return None


async def _checked_form(request: Request) -> dict[str, str] | Response:
    """The request's form when it is readable and carries a valid key and the required fields."""
    form = await _form(request)
    if isinstance(form, Response):
        return form
    error = _checked(request, form)
    return form if error is None else error


async def comment_check(request: Request) -> Response:
    form = await _checked_form(request)
    if isinstance(form, Response):
        return form
    d: Discussion = request.app.state.discussion
    content = form.get("comment_content", "")[:MAX_CONTENT]
    score, _ = d.scorer.score(content)
    if score < d.scorer.model.threshold:
        return _text("false")
    headers = {"X-akismet-pro-tip": "discard"} if score >= d.policy.spam_above else None
    return _text("true", headers=headers)


def _submit(label: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        form = await _checked_form(request)
        if isinstance(form, Response):
            return form
        content = form.get("comment_content", "")[:MAX_CONTENT]
        if content.strip():
            d: Discussion = request.app.state.discussion
            d.db.record_label(content, label, "akismet", form.get("blog", "?"))
            d.scorer.learn(content, label == "spam")
        return _text(THANKS)

    return endpoint


def routes() -> list[Route]:
    return [
        Route("/1.1/verify-key", verify_key, methods=["POST"], name="akismet_verify_key"),
        Route("/1.1/comment-check", comment_check, methods=["POST"], name="akismet_check"),
        Route("/1.1/submit-spam", _submit("spam"), methods=["POST"], name="akismet_spam"),
        Route("/1.1/submit-ham", _submit("ham"), methods=["POST"], name="akismet_ham"),
    ]
