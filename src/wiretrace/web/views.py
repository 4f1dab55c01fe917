"""What an HTML page adds to its query's data: highlighted text, charts, share links, meta tags.

These are pure presentation of the data the JSON twin returns; they never query facts of
their own except the story membership an article page links to.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request

from ..store.sqlite import SQLiteStore
from . import story_queries
from .chart import coverage_svg
from .highlight import highlight, marks_from_record, snippet_html
from .queries import HIT_CLOSE, HIT_OPEN, entity_key
from .sentences import Sentences, evidence_spans, fact_anchor

SITE = "wiretrace"


def share_links(url: str, title: str) -> list[dict[str, str]]:
    """Plain share links (no script, no tracking pixel) for the usual networks and e-mail."""
    u, t = quote(url, safe=""), quote(title, safe="")
    return [
        {"name": "Facebook", "href": f"https://www.facebook.com/sharer/sharer.php?u={u}"},
        {"name": "X / Twitter", "href": f"https://twitter.com/intent/tweet?url={u}&text={t}"},
        {"name": "LinkedIn", "href": f"https://www.linkedin.com/sharing/share-offsite/?url={u}"},
        {"name": "Pinterest",
         "href": f"https://pinterest.com/pin/create/button/?url={u}&description={t}"},
        {"name": "E-mail", "href": "mailto:?" + urlencode({"subject": title, "body": url},
                                                          quote_via=quote)},
    ]  # fmt: skip


def meta_tags(url: str, title: str, description: str, published: str | None = None,
              kind: str = "article") -> list[dict[str, str]]:  # fmt: skip
    """Open Graph and Twitter-card tags so a shared link renders as a card."""
    desc = " ".join(description.split())[:200]
    tags = [
        {"property": "og:site_name", "content": SITE},
        {"property": "og:type", "content": kind},
        {"property": "og:title", "content": title},
        {"property": "og:description", "content": desc},
        {"property": "og:url", "content": url},
        {"name": "twitter:card", "content": "summary"},
        {"name": "twitter:title", "content": title},
        {"name": "twitter:description", "content": desc},
    ]
    if published:
        tags.append({"property": "article:published_time", "content": published})
    return tags


def context(
    page: str, data: dict[str, Any], store: SQLiteStore, request: Request
) -> dict[str, Any]:
    """Extra template variables for ``page`` derived from its query ``data``."""
    # The configured public address, never the Host header a client sent.
    url = request.app.state.base_url + request.url.path
    if page == "article":
        return _article(data, store, url)
    if page == "story":
        return _story(data, url)
    if page == "search":
        points = [
            (v["date"], "articles") for v in data.get("volume") or [] for _ in range(v["articles"])
        ]
        by_id = {h["id"]: (h, snippet_html(h.get("snippet") or "", HIT_OPEN, HIT_CLOSE))
                 for h in data["hits"]}  # fmt: skip
        return {
            "snippets": [by_id[h["id"]][1] for h in data["hits"]],
            "grouped": [
                {"story": g["story"], "hits": [by_id[i] for i in g["hits"]]}
                for g in data.get("groups") or []
            ],
            "volume_chart": coverage_svg(points, "Matching articles over time") if points else None,
        }
    return {}


def _article(record: dict[str, Any], store: SQLiteStore, url: str) -> dict[str, Any]:
    entities = sorted(
        ({"key": entity_key(e.get("canonical_id"), e.get("name") or ""), "name": e.get("name"),
          "type": e.get("type"), "country": e.get("country"),
          "roles": [r.get("text") for r in e.get("roles") or []],
          "mentions": len(e.get("mentions") or [])} for e in record.get("entities") or []),
        key=lambda e: (-e["mentions"], str(e["name"])),
    )  # fmt: skip
    title = record.get("title") or "(untitled)"
    body = record.get("body") or ""
    sents = Sentences(body, evidence_spans(record))
    by_key = {e["key"]: e for e in entities}
    for e in record.get("entities") or []:
        item = by_key[entity_key(e.get("canonical_id"), e.get("name") or "")]
        item.setdefault("anchor", fact_anchor(e, sents))

    def anchors(key: str) -> list[str | None]:
        return [fact_anchor(f, sents) for f in record.get(key) or []]

    return {
        "body_html": highlight(body, marks_from_record(record), sents.spans, sents.extra),
        "anchors": {k: anchors(k) for k in ("quotes", "events", "dates", "figures")},
        "entities": entities,
        "stories": story_queries.stories_of_article(store, record["id"]),
        "share": share_links(url, title),
        "meta": meta_tags(url, title, record.get("body") or "", record.get("published")),
        "title": title,
    }


def _story(data: dict[str, Any], url: str) -> dict[str, Any]:
    arts = data["articles"]
    points = [(a.get("published_utc") or a.get("published"), a) for a in arts]
    by_lang = coverage_svg(((t, a.get("language") or "unknown") for t, a in points),
                           "Reports over time by language")  # fmt: skip
    by_outlet = coverage_svg(((t, a.get("outlet") or "unknown outlet") for t, a in points),
                             "Reports over time by outlet")  # fmt: skip
    headline = data.get("headline") or "(story)"
    outlets = sorted({a.get("outlet") or "?" for a in arts})
    desc = f"{len(arts)} reports in {', '.join(data['languages'])} from {', '.join(outlets)}"
    return {
        "chart_language": by_lang,
        "chart_outlet": by_outlet,
        "share": share_links(url, headline),
        "meta": meta_tags(url, headline, desc, data.get("first_report")),
        "title": headline,
    }
