"""JSON Schemas of every JSON response, for the OpenAPI document (and the test that checks
real responses against them). Objects allow more properties: fields may be added, never
renamed or dropped."""

from __future__ import annotations

from typing import Any

_S: dict[str, Any] = {"type": "string"}
_I: dict[str, Any] = {"type": "integer"}
_B: dict[str, Any] = {"type": "boolean"}
_OBJ: dict[str, Any] = {"type": "object"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """An object with these required (and optional) properties."""
    return {"type": "object", "required": sorted(required),
            "properties": {**required, **(optional or {})}}  # fmt: skip


def arr(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


_NS, _NI = nullable(_S), nullable(_I)
_COUNTS: dict[str, Any] = {"type": "object", "additionalProperties": _I}
FACETS = obj({"language": _COUNTS, "outlet": _COUNTS})
ARTICLE_ROW = obj({"id": _S, "title": _NS, "language": _NS, "published": _NS, "outlet": _NS},
                  {"url": _NS, "published_utc": _NS})  # fmt: skip
STORY_ROW = obj({"id": _S, "headline": _NS, "first_article": _NS, "articles": _I,
                 "languages": arr(_S), "outlets": arr(_S)}, {"first": _NS, "last": _NS})  # fmt: skip
HOME = obj({"filters": _OBJ, "articles": arr(ARTICLE_ROW), "facets": FACETS,
            "stories": arr(STORY_ROW)})  # fmt: skip
_STORY_REF = nullable(obj({"id": _S, "headline": _NS, "size": _I}))
HIT = obj({"id": _S, "title": _NS, "language": _NS, "published": _NS, "outlet": _NS,
           "snippet": _NS}, {"story": _STORY_REF, "score": {"type": "number"}})  # fmt: skip
SEARCH = obj({
    "filters": _OBJ, "total": _I, "total_exact": _B, "hits": arr(HIT),
    "groups": arr(obj({"story": _STORY_REF, "hits": arr(_S)})),
    "volume": arr(obj({"date": _S, "articles": _I})),
    "entity": nullable(obj({"ids": arr(_S), "aliases": arr(_S)})),
}, {"facets": _OBJ})  # fmt: skip
_SPAN = {"start": _NI, "end": _NI}
EVENT_ROW = obj({"article_id": _S, "idx": _I, "type": _S, "actors": _NS, "recipients": _NS,
                 "place": _NS, "date": _NS, "evidence_start": _NI, "evidence_end": _NI},
                {"sentence": _NS, "title": _NS, "language": _NS, "outlet": _NS})  # fmt: skip
EVENTS = obj({"filters": _OBJ, "total": _I, "total_exact": _B, "events": arr(EVENT_ROW),
              "facets": obj({"type": _COUNTS}, {"sampled": _I})})  # fmt: skip
HAPPENING = obj({"type": _S, "date": _NS, "reports": _I, "outlets": _I, "article_id": _S,
                 "anchor": _NS, "evidence": arr(obj({"article_id": _S}, _SPAN))})  # fmt: skip
QUOTE_ENTRY = obj({"content": _NS, "article_id": _S, "anchor": _NS, "repeated_by": _I,
                   "reports": arr(obj({"article_id": _S, "idx": _I, **_SPAN}))},
                  {**_SPAN, "evidence": nullable(_OBJ), "language": _NS, "outlet": _NS})  # fmt: skip
STORY = obj({
    "id": _S, "headline": _S, "headline_language": _NS, "reader_language": _S,
    "story": _OBJ, "first_report": _NS, "last_report": _NS,
    "summary": obj({}, {"first": obj({"article_id": _S, "outlet": _NS, "published": _NS}),
                        "reports": _I, "outlets": _I, "languages": _I,
                        "within_hours": _NI}),
    "happenings": obj({"key": arr(HAPPENING), "background": arr(HAPPENING)}),
    "speakers": arr(obj({"speaker": _NS, "source_type": _S, "quotes": arr(QUOTE_ENTRY)})),
    "languages": arr(_S), "countries": _COUNTS,
    "articles": arr(obj({"id": _S, "title": _NS, "language": _NS, "outlet": _NS,
                         "published": _NS, "published_utc": _NS})),
    "events": arr(_OBJ), "actors": arr(_OBJ),
    "quotes": {"type": "object", "additionalProperties": arr(obj({"article_id": _S}, _SPAN))},
    "provenance": obj({"method": _S, "edges": arr(_OBJ), "tree": arr(_OBJ)}),
    "tags": arr(obj({"tag": _S, "reports": _I})),
})  # fmt: skip
ENTITY = obj({"key": _S, "name": _NS, "aliases": arr(obj({"alias": _S})),
              "articles": arr(obj({"article_id": _S})), "quotes_about": arr(_OBJ),
              "events": arr(_OBJ)}, {"type": _NS, "countries": arr(_S), "roles": arr(_OBJ),
                                     "quotes_by": arr(_OBJ)})  # fmt: skip
ERROR = obj({"error": _S, "status": _I})
INGEST_REPORT = _OBJ
OPENAPI_DOC = obj({"openapi": _S, "info": _OBJ, "paths": _OBJ})

PAGE_SCHEMAS: dict[str, dict[str, Any]] = {
    "home": HOME, "search": SEARCH, "story": STORY, "entity": ENTITY, "events": EVENTS,
}  # fmt: skip
