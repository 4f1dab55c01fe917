"""The OpenAPI 3.1 description of the JSON API, built from the same page table as the routes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from .api_schemas import ERROR, OPENAPI_DOC, PAGE_SCHEMAS

FILTERS: dict[str, str] = {
    "language": "ISO 639-1 code of the article language",
    "outlet": "outlet name (its site name or domain: both select the outlet)",
    "entity": "entity name or alias in any language",
    "from": "earliest date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "to": "latest date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "limit": "page size",
    "offset": "rows to skip",
}
EVENT_FILTERS: dict[str, str] = {
    "type": "PLOVER event type, e.g. CONSULT",
    "actor": "actor or recipient: any name of the entity, in any language",
    "place": "place: any name of the entity, in any language",
}
PAGE_PARAMS: dict[str, dict[str, str]] = {
    "home": FILTERS,
    "search": {
        "q": "full-text query (terms are ANDed; a trailing * is a prefix; a known "
        "entity's name also matches its names in every language)",
        "sort": "relevance (default), newest or oldest",
        **FILTERS,
    },
    "story": {"lang": "reader's language for the headline (default: Accept-Language)"},
    "events": {**EVENT_FILTERS, **FILTERS},
}


def _nullable(kind: str) -> dict[str, Any]:
    return {"type": [kind, "null"]}


_LIST = {"type": "array", "items": {"type": "object"}}
# The article record of shared/spec/article-json.md (contract version 1; more fields may come).
ARTICLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "title", "body", "entities", "quotes", "events"],
    "properties": {
        "id": {"type": "string"},
        "url": _nullable("string"),
        "source_path": _nullable("string"),
        "title": {"type": "string"},
        "language": _nullable("string"),
        "published": _nullable("string"),
        "published_utc": _nullable("string"),
        "outlet": {"type": ["object", "null"]},
        "authors": {"type": "array", "items": {"type": "string"}},
        "body": {"type": "string"},
        "chrome": _LIST,
        "attribution": _LIST,
        "derivative": {"type": "object"},
        "entities": _LIST,
        "dates": _LIST,
        "figures": _LIST,
        "quotes": _LIST,
        "events": _LIST,
        "tags": {"type": "array", "items": {"type": "string"}},
        "analysis": {"type": "object"},
    },
}


class PageLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def summary(self) -> str: ...


def _param(name: str, description: str, where: str = "query") -> dict[str, Any]:
    kind = "integer" if name in ("limit", "offset") else "string"
    return {"name": name, "in": where, "required": where == "path", "description": description,
            "schema": {"type": kind}}  # fmt: skip


def _ok(description: str, media: str = "application/json",
        schema: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    body = schema or ({"type": "string"} if media != "application/json" else {"type": "object"})
    return {"description": description, "content": {media: {"schema": body}}}


def _err(description: str) -> dict[str, Any]:
    return _ok(description, schema={"$ref": "#/components/schemas/Error"})


def json_path(path: str) -> str:
    """The JSON twin's path of a page path (``/`` has ``/index.json``)."""
    path = path.replace("{key:path}", "{key}")
    return "/index.json" if path == "/" else path + ".json"


def openapi(pages: Iterable[PageLike], write: bool = False) -> dict[str, Any]:
    """The OpenAPI document; ``write`` only changes the ingest endpoint's description."""
    paths: dict[str, Any] = {}
    for page in pages:
        path = json_path(page.path)
        params = [_param(k, v) for k, v in PAGE_PARAMS.get(page.name, {}).items()]
        for name in ("id", "key"):
            if "{" + name + "}" in path:
                params.insert(0, _param(name, f"{page.name} {name}", "path"))
        ref = {"$ref": f"#/components/schemas/{page.name.capitalize()}"}
        responses: dict[str, Any] = {"200": _ok(page.summary, schema=ref)}
        if any(p["in"] == "path" for p in params):
            responses["404"] = _err("not found")
        if params:
            responses["400"] = _err("a parameter could not be used")
        responses["500"] = _err("the page could not be built")
        paths[path] = {"get": {"operationId": page.name, "summary": page.summary,
                               "parameters": params, "responses": responses}}  # fmt: skip
    event_params = [_param(k, v) for k, v in PAGE_PARAMS["events"].items()]
    for kind, media in (("csv", "text/csv"), ("jsonl", "application/x-ndjson")):
        paths[f"/events.{kind}"] = {"get": {
            "operationId": f"events_{kind}", "summary": f"All selected events as {kind.upper()}",
            "parameters": event_params,
            "responses": {"200": _ok("download", media), "400": _err("a parameter could not be used")},
        }}  # fmt: skip
    paths["/openapi.json"] = {"get": {"operationId": "openapi", "summary": "This document",
                                      "responses": {"200": _ok("OpenAPI 3.1", schema={
                                          "$ref": "#/components/schemas/OpenAPI"})}}}  # fmt: skip
    paths["/api/ingest"] = {"post": {
        "operationId": "ingest",
        "summary": "Ingest a JSONL, HTML or text body" + ("" if write else " (disabled: read-only)"),
        "security": [{"bearer": []}],
        "requestBody": {"required": True, "content": {
            m: {"schema": {"type": "string"}}
            for m in ("application/x-ndjson", "text/html", "text/plain")}},
        "responses": {"200": _ok("ingest report"), "403": _err("no or wrong token"),
                      "413": _err("body too large"), "415": _err("unsupported content type")},
    }}  # fmt: skip
    from .discussion_api import discussion_paths

    paths.update(discussion_paths())
    return {
        "openapi": "3.1.0",
        "info": {"title": "wiretrace", "version": "1",
                 "description": "Read-only JSON twins of every wiretrace page."},
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": {"Article": ARTICLE_SCHEMA, "Error": ERROR, "OpenAPI": OPENAPI_DOC,
                                   **{k.capitalize(): v for k, v in PAGE_SCHEMAS.items()}}},
    }  # fmt: skip
