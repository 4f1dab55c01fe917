"""The discussion and Akismet operations in the OpenAPI description (see openapi.py)."""

from __future__ import annotations

from typing import Any

_FORM = "application/x-www-form-urlencoded"


def _ok(description: str, media: str = "application/json") -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": {"type": "object"}}}}


def _text(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"text/plain": {"schema": {"type": "string"}}}}


def _form(fields: dict[str, str], required: list[str]) -> dict[str, Any]:
    props = {k: {"type": "string", "description": v} for k, v in fields.items()}
    return {"required": True, "content": {_FORM: {"schema": {
        "type": "object", "properties": props, "required": required}}}}  # fmt: skip


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


_AKISMET = {
    "api_key": "an API key made with `wiretrace user key`",
    "blog": "the site's front page URL",
    "user_ip": "IP of the commenter",
    "comment_content": "the comment text",
    "comment_author": "the commenter's name",
    "comment_type": "comment, reply, forum-post, ...",
    "permalink": "URL of the commented page",
}


def discussion_paths() -> dict[str, Any]:
    """Paths of the discussion JSON twins, the form actions and the Akismet 1.1 endpoints."""
    paths: dict[str, Any] = {}
    for kind in ("article", "story"):
        paths[f"/{kind}/{{id}}/discussion.json"] = {"get": {
            "operationId": f"{kind}_discussion", "parameters": [_path("id")],
            "summary": f"Comments on a {kind}" + (" and on each of its facts (quotes, events, "
                       "figures, entity mentions), anchored by fact id and sentence span"
                       if kind == "article" else ""),
            "responses": {"200": _ok("threads"), "404": _ok("no such " + kind)}}}  # fmt: skip
    paths["/comment/{cid}.json"] = {"get": {
        "operationId": "comment", "summary": "One comment (its permalink)",
        "parameters": [_path("cid")],
        "responses": {"200": _ok("the comment"), "404": _ok("no such comment")}}}  # fmt: skip
    paths["/moderation.json"] = {"get": {
        "operationId": "moderation_queue", "summary": "Held comments and recent decisions "
        "(moderators, signed-in session)",
        "responses": {"200": _ok("queue"), "403": _ok("moderators only")}}}  # fmt: skip
    refused = {
        "400": _ok("bad form"),
        "403": _ok("no CSRF token or not allowed"),
        "413": _ok("form too large"),
        "429": _ok("over the rate limit"),
    }
    paths["/comments"] = {"post": {
        "operationId": "post_comment", "summary": "Post a comment (signed-in contributor, "
        "CSRF token of the session); held or published by the spam score and site policy",
        "requestBody": _form({"csrf": "the form's CSRF token", "target_kind":
                              "story|article|quote|event|figure|mention", "target_id": "its id",
                              "parent_id": "comment answered", "body": "plain text",
                              "website": "honeypot: leave empty"},
                             ["csrf", "target_kind", "target_id", "body"]),
        "responses": {"201": _ok("posted"), "303": _ok("posted: see the thread"),
                      "404": _ok("no such target"), **refused}}}  # fmt: skip
    paths["/moderation/{cid}"] = {"post": {
        "operationId": "moderate", "summary": "approve | spam | ham a comment (moderators)",
        "parameters": [_path("cid")],
        "requestBody": _form({"csrf": "CSRF token", "decision": "approve|spam|ham"},
                             ["csrf", "decision"]),
        "responses": {"303": _ok("decided"), "404": _ok("no such comment"), **refused}}}  # fmt: skip
    paths["/1.1/verify-key"] = {"post": {
        "operationId": "akismet_verify_key", "summary": "Akismet: is this key valid",
        "requestBody": _form({"key": _AKISMET["api_key"], "blog": _AKISMET["blog"]},
                             ["key", "blog"]),
        "responses": {"200": _text("valid | invalid")}}}  # fmt: skip
    for op, summary, answer in (
        ("comment-check", "Akismet: is this comment spam", "true | false | invalid"),
        ("submit-spam", "Akismet: this comment was spam (learnt at once)", "thanks"),
        ("submit-ham", "Akismet: this comment was not spam (learnt at once)", "thanks"),
    ):
        paths[f"/1.1/{op}"] = {"post": {
            "operationId": "akismet_" + op.replace("-", "_"), "summary": summary,
            "requestBody": _form(_AKISMET, ["api_key", "blog", "user_ip"]),
            "responses": {"200": _text(answer), "413": _text("form too large")}}}  # fmt: skip
    return paths
