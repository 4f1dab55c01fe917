"""RSS and Atom feeds: each entry becomes a page, from its embedded content or its link."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import InputError
from ..model import RawPage
from .fetch import Fetcher


def iter_feed(
    data: bytes, where: str, fetch: Fetcher, max_items: int
) -> Iterator[RawPage | InputError]:
    """Pages of a feed: full content when the feed embeds it, otherwise the fetched link."""
    import feedparser

    try:
        parsed = feedparser.parse(data)
    except Exception as exc:  # feedparser trips over some malformed feeds (KeyError 'links')
        yield InputError(where, f"not a readable RSS/Atom feed ({type(exc).__name__}: {exc})")
        return
    if parsed.bozo and not parsed.entries:
        yield InputError(where, f"not a readable RSS/Atom feed ({parsed.bozo_exception})")
        return
    for n, entry in enumerate(parsed.entries[:max_items], 1):
        link = entry.get("link")
        hints = {"title": entry.get("title", "")}
        if entry.get("published"):
            hints["published"] = entry["published"]
        content = entry.get("content") or []
        body = content[0].get("value") if content else None
        if body and len(body) > 500:
            html = f"<html><head><title>{hints['title']}</title></head><body><article>{body}</article></body></html>"
            yield RawPage(data=html.encode("utf-8"), kind="html", source_path=where, url=link,
                          line=n, hints={k: v for k, v in hints.items() if v})  # fmt: skip
            continue
        if not link:
            yield InputError(f"{where}#{n}", "feed entry has neither content nor a link")
            continue
        try:
            resp = fetch.get(link)
        except InputError as exc:
            yield exc
            continue
        yield RawPage(data=resp.data, kind=resp.kind, source_path=where, url=resp.url,  # type: ignore[arg-type]
                      encoding=resp.encoding, hints={k: v for k, v in hints.items() if v})  # fmt: skip
