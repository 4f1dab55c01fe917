"""The templates' environment: autoescaping, URL builders and display filters for every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request

from . import times

HERE = Path(__file__).parent


def environment() -> Environment:
    """The Jinja environment every page renders with (autoescaping on, URL helpers)."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["entity_url"] = lambda key: "/entity/" + quote(str(key), safe="")
    env.globals["article_url"] = lambda aid: "/article/" + quote(str(aid), safe="")
    env.globals["story_url"] = lambda sid: "/story/" + quote(str(sid), safe="")
    env.globals["with_params"] = _with_params
    # A JSON twin link carries the page's whole query string (filters, offset, sort, lang).
    env.globals["query_string"] = lambda r: ("?" + r.url.query) if r.url.query else ""
    env.globals["gap_after"] = lambda a, b: times.gap(times.hours_between(a, b))
    env.filters["when"] = times.display
    env.filters["iso"] = times.machine
    env.filters["unquote"] = lambda t: str(t or "").strip().strip("\"'“”«»„‘’").strip()
    env.globals["http_url"] = _http_url
    return env


def _http_url(url: str | None) -> str | None:
    """``url`` if it is a plain http(s) link; anything else (javascript:, data:) is not linked."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def _with_params(request: Request, **changes: Any) -> str:
    """The current URL's query string with some parameters changed (None removes one)."""
    params = dict(request.query_params)
    if "offset" not in changes:  # a changed filter starts again from the first page
        params.pop("offset", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"
