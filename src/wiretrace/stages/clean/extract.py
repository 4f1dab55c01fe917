"""Turn a RawPage into an Article: decode bytes safely, clean HTML or text dumps, add metadata.

HTML goes through trafilatura (main text, title, authors, site name, canonical URL) and htmldate
(publication date with time and offset where the page states them); plain-text dumps through
:mod:`.dump`. Both then share the label, attribution, language and derivative steps, so an HTML
page with a "Джерело:" line gets the same treatment as a text dump.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from wiretrace.errors import InputError
from wiretrace.model import Article, Chrome, Outlet, RawPage
from wiretrace.registry import find_outlet, find_outlet_in
from wiretrace.stages.clean import attribution as attr
from wiretrace.stages.clean import language
from wiretrace.stages.clean.dump import CleanPage, clean_dump
from wiretrace.textutil import stable_id

EXTRACT_VERSION = "extract.v1"

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip-compressed data (decompress it first)"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3", "an SQLite database"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(frozen=True)
class Options:
    """Settings of the cleaning step (one typed object rather than many keyword arguments)."""

    languages: tuple[str, ...] = language.DEFAULT_LANGUAGES
    min_body_chars: int = 40
    warnings: list[str] = field(default_factory=list, compare=False)


def decode(page: RawPage) -> tuple[str, list[str]]:
    """Text of a page and any warnings; raises InputError for empty or binary input.

    Order: BOM, strict UTF-8, the declared charset, then detection. A page that is UTF-8 except
    for a few lines in a legacy encoding (a common CMS accident) is repaired line by line.
    """
    data = page.data
    if not data or not data.strip():
        raise InputError(page.where, "empty input: nothing to read")
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise InputError(page.where, f"binary input: this is {what}, not HTML or text")
    head = data[:8192]
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), []
    if head.count(b"\x00") > len(head) // 100:
        raise InputError(page.where, "binary input: NUL bytes found, this is not HTML or text")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    declared = page.encoding
    if declared is None and page.kind == "html":
        m = _META_CHARSET.search(head)
        declared = m.group(1).decode("ascii", "replace") if m else None
    if declared and declared.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return data.decode(declared), []
        except (LookupError, UnicodeDecodeError):
            pass
    return _repair_mixed(page, data)


def _repair_mixed(page: RawPage, data: bytes) -> tuple[str, list[str]]:
    from charset_normalizer import from_bytes

    lines = data.split(b"\n")
    bad = 0
    for ln in lines:
        try:
            ln.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
    if bad and bad < len(lines) * 0.5:
        legacy = from_bytes(b"\n".join(x for x in lines if not _is_utf8(x))).best()
        enc = legacy.encoding if legacy else "cp1252"
        text = "\n".join(
            x.decode("utf-8") if _is_utf8(x) else x.decode(enc, "replace") for x in lines
        )
        return text, [f"{page.where}: mixed encodings: {bad} line(s) decoded as {enc}"]
    best = from_bytes(data).best()
    if best is None:
        raise InputError(page.where, "binary input: no text encoding fits these bytes")
    return str(best), [f"{page.where}: not UTF-8; decoded as {best.encoding}"]


def _is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Inline formatting tags: they change how text looks, never which text is the article.
_INLINE = re.compile(
    r"</?(?:b|i|em|strong|u|s|span|font|small|big|mark|sup|sub|abbr|strike|tt)(?:\s[^<>]*)?>",
    re.IGNORECASE,
)
MAX_INLINE_TAGS = 2000


def flatten_inline(html: str) -> str:
    """The page without its inline formatting tags when it has more than MAX_INLINE_TAGS.

    trafilatura's extraction time grows with the square of the inline elements of a paragraph
    (64k ``<b>`` tags: about a minute); a real article has a few hundred at most, so pages over
    the limit (tag soup, mutated or hostile pages) lose these tags, in linear time, first.
    """
    if sum(1 for _ in islice(_INLINE.finditer(html), MAX_INLINE_TAGS + 1)) <= MAX_INLINE_TAGS:
        return html
    return _INLINE.sub("", html)


def clean_html(html: str, page: RawPage) -> CleanPage:
    """Main text and metadata of an HTML page via trafilatura and htmldate."""
    import htmldate
    import trafilatura

    html = flatten_inline(html)
    doc: Any
    try:
        doc = trafilatura.bare_extraction(
            html, url=page.url, with_metadata=True, include_comments=False, include_tables=False
        )
    except (RecursionError, ValueError, TypeError) as exc:
        raise InputError(page.where, f"HTML could not be parsed ({type(exc).__name__})") from exc
    if doc is None or not (doc.text or "").strip():
        raise InputError(page.where, "no article text found (empty, truncated or not an article)")
    title = (doc.title or "").strip()
    lines = [ln.strip() for ln in doc.text.split("\n") if ln.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    # Re-run the dump cleaner over trafilatura's paragraphs: it recognises lead-in labels,
    # attribution lines and left-over chrome the same way for both kinds of input.
    inner = clean_dump("\n\n".join([title or "-", *lines]))
    try:
        published = htmldate.find_date(
            html, url=page.url, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S%z"
        )
    except (ValueError, TypeError):
        published = None
    published = _iso_offset(published) if published else doc.date
    if published and published.endswith("T00:00:00"):
        published = published[:10]
    authors = tuple(
        a.strip() for a in re.split(r";|\band\b|\bet\b|,", doc.author or "") if a.strip()
    )
    return CleanPage(
        title=title or inner.title,
        body=inner.body,
        chrome=inner.chrome,
        published=published or inner.published,
        published_utc=inner.published_utc,
        attribution_line=inner.attribution_line,
        related=inner.related,
        authors=authors,
        outlet_name=doc.sitename,
        outlet_domain=doc.hostname,
        url=doc.url or page.url,
    )


def _iso_offset(value: str) -> str:
    """htmldate's %z (+0200) as ISO 8601 (+02:00)."""
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)([+-]\d\d)(\d\d)$", value)
    return f"{m.group(1)}{m.group(2)}:{m.group(3)}" if m else value


def _hinted(clean: CleanPage, hints: dict[str, str]) -> CleanPage:
    """Fill gaps from metadata the container gave (JSONL fields, feed entries)."""
    from dataclasses import replace

    return replace(
        clean,
        title=clean.title or hints.get("title", ""),
        published=clean.published or hints.get("published"),
        outlet_name=clean.outlet_name or hints.get("outlet"),
        authors=clean.authors or tuple(a for a in hints.get("authors", "").split(";") if a),
    )


def to_article(page: RawPage, options: Options | None = None) -> tuple[Article, list[str]]:
    """Clean one page into an Article; returns warnings beside it. Raises InputError."""
    clean, warnings = clean_page(page, options)
    return finish(clean, page, options), warnings


def clean_page(page: RawPage, options: Options | None = None) -> tuple[CleanPage, list[str]]:
    """Decode and clean one page (title, body, chrome, metadata); raises InputError.

    This is enough to know the article's id (:func:`article_id`), so a page already stored
    needs nothing more: language identification and attribution are in :func:`finish`.
    """
    opts = options or Options()
    text, warnings = decode(page)
    if page.kind == "html" or (page.kind != "text" and _looks_like_html(text)):
        clean = clean_html(text, page)
    else:
        clean = clean_dump(text)
    clean = _hinted(clean, page.hints)
    if len(clean.body) < opts.min_body_chars:
        raise InputError(page.where, f"no article body found (only {len(clean.body)} characters)")
    return clean, warnings


def article_id(clean: CleanPage) -> str:
    """The id the article of a cleaned page gets: a hash of its title and body."""
    return stable_id(clean.title, clean.body)


def page_language(clean: CleanPage, options: Options | None = None) -> str | None:
    """The language of a cleaned page (ISO 639-1; None when it has no letters to judge)."""
    return language.detect(f"{clean.title}\n{clean.body}", (options or Options()).languages)


def finish(
    clean: CleanPage, page: RawPage, options: Options | None = None, lang: str | None = ""
) -> Article:
    """The Article of a cleaned page: language, attribution chain, outlet, derivative signs.
    ``lang``: the page's language when already identified (:func:`page_language`); by default
    it is identified here."""
    opts = options or Options()
    if lang == "":
        lang = page_language(clean, opts)
    chain = attr.parse_attribution(clean.attribution_line, lang) if clean.attribution_line else ()
    if not chain:
        chain = attr.title_attribution(clean.title, lang)
    outlet = _outlet(clean, page)
    return Article(
        id=article_id(clean),
        title=clean.title,
        body=clean.body,
        language=lang,
        url=clean.url or page.url,
        source_path=page.source_path,
        published=clean.published,
        published_utc=clean.published_utc,
        outlet=outlet,
        authors=clean.authors,
        chrome=clean.chrome,
        attribution=chain,
        related=clean.related,
        derivative=attr.derivative_signals(chain, clean.chrome, lang),
    )


def _outlet(clean: CleanPage, page: RawPage) -> Outlet | None:
    domain = clean.outlet_domain
    if not domain and (clean.url or page.url):
        host = re.sub(r"^[a-z]+://", "", (clean.url or page.url or "").lower()).split("/")[0]
        domain = host.removeprefix("www.") or None
    for probe in (clean.outlet_name, domain):
        entry = find_outlet(probe) if probe else None
        if entry is not None:
            return Outlet(name=entry.name, domain=entry.domain or domain)
    if clean.outlet_name or domain:
        return Outlet(name=clean.outlet_name or domain or "", domain=domain)
    return _outlet_from_chrome(clean.chrome)


_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d\s*[-–]?\s*(?:(?:19|20)\d\d)?)?\s*(.+)", re.I
)


def _outlet_from_chrome(chrome: tuple[Chrome, ...]) -> Outlet | None:
    """A page that names no outlet in its metadata often does in its furniture.

    Reprint notices ("… with a link to «Європейська правда»") and copyright lines
    ("© 2023 Courrier de l'Europe") name the publisher; registry outlets are matched anywhere
    in furniture lines, unknown names only after a copyright sign.
    """
    for c in chrome:
        if c.kind == "other" and (hits := find_outlet_in(c.text)):
            entry = hits[0][0]
            return Outlet(name=entry.name, domain=entry.domain)
    for c in chrome:
        m = _COPYRIGHT.search(c.text)
        if m:
            name = m.group(1).split(".")[0].split("|")[0].strip(" ,;-–")
            if 0 < len(name.split()) <= 5:
                known = find_outlet(name)
                return Outlet(name=known.name, domain=known.domain) if known else Outlet(name)
    return None


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)
