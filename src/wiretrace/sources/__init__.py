"""Where pages come from: files, directories, JSONL, standard input, URLs, feeds, web archives.

:func:`iter_pages` turns the user's inputs into a stream of :class:`RawPage` objects or
:class:`InputError` values (one bad input never stops the others; the caller decides whether to
skip or stop). Nothing is interpreted here beyond what the container format says.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from ..model import RawPage
from .fetch import Fetcher, FetchOptions

HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_EXT = {".txt", ".text", ".md"}
JSONL_EXT = {".jsonl", ".ndjson"}
FEED_EXT = {".rss", ".atom", ".xml"}
WARC_EXT = {".warc", ".arc"}
SKIP_NAMES = {".DS_Store", "Thumbs.db"}


@dataclass
class SourceOptions:
    max_bytes: int = 50 * 1024 * 1024  # one page (file, JSONL line, URL body)
    max_feed_items: int = 200
    fetch: FetchOptions = field(default_factory=FetchOptions)


Item = RawPage | InputError


def iter_pages(
    inputs: list[str], options: SourceOptions | None = None, fetcher: Fetcher | None = None
) -> Iterator[Item]:
    """Every page found in ``inputs``, in order; problems come out as InputError items."""
    opts = options or SourceOptions()
    own = fetcher is None
    fetch = fetcher or Fetcher(opts.fetch)
    try:
        for spec in inputs:
            yield from _guarded(spec, _from_spec(spec, opts, fetch))
    finally:
        if own:
            fetch.close()


def _from_spec(spec: str, opts: SourceOptions, fetch: Fetcher) -> Iterator[Item]:
    if spec == "-":
        yield from _from_stream(sys.stdin.buffer, "<stdin>", opts)
    elif spec.startswith(("http://", "https://")):
        yield from _from_url(spec, fetch, opts)
    else:
        yield from _from_path(Path(spec), opts, fetch)


def _guarded(where: str, items: Iterator[Item]) -> Iterator[Item]:
    """The items of one input; a reader bug ends that input as a failure, not the whole run."""
    try:
        yield from items
    except Exception as exc:
        yield InputError(printable(where), f"could not be read ({type(exc).__name__}: {exc})")


def printable(name: str) -> str:
    """A name that can be printed and stored: undecodable bytes of a file name shown escaped."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _refusal(path: Path) -> str | None:
    """Why ``path`` must not be read, judged by its name and type before opening it."""
    if printable(str(path)) != str(path):
        return "file name is not valid UTF-8; rename the file to read it"
    try:
        st = path.stat()  # follows symlinks: a link to /dev/zero is judged as /dev/zero
    except OSError as exc:
        if path.is_symlink():
            return f"broken or looping symbolic link ({exc.strerror})"
        return "no such file or directory" if not os.path.lexists(path) else (
            f"cannot read: {exc.strerror}")  # fmt: skip
    if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
        return None
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode)
            else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")  # fmt: skip
    return f"{kind}, not a regular file; refused without reading"


def _from_path(path: Path, opts: SourceOptions, fetch: Fetcher) -> Iterator[Item]:
    refused = _refusal(path)
    if refused:
        yield InputError(printable(str(path)), refused)
        return
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith(".") or name in SKIP_NAMES:
                    continue
                file = Path(root) / name
                refused = _refusal(file)
                if refused:
                    yield InputError(printable(str(file)), refused)
                    continue
                yield from _guarded(str(file), _from_file(file, opts, fetch))
        return
    yield from _from_file(path, opts, fetch)


def _suffix(path: Path) -> str:
    s = path.suffixes
    if len(s) >= 2 and s[-1] == ".gz" and s[-2] == ".warc":
        return ".warc"
    return path.suffix.lower()


def _from_file(path: Path, opts: SourceOptions, fetch: Fetcher) -> Iterator[Item]:
    where = str(path)
    ext = _suffix(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield InputError(where, f"cannot read: {exc.strerror}")
        return
    if ext in JSONL_EXT:
        yield from _from_jsonl(path, opts)
        return
    if ext in WARC_EXT:
        from .warc import iter_warc

        yield from iter_warc(path, opts.max_bytes)
        return
    if size > opts.max_bytes:
        yield InputError(where, f"file is {_human(size)}, over the {_human(opts.max_bytes)} "
                                "per-page limit (raise --max-bytes if it really is one page)")  # fmt: skip
        return
    try:
        with path.open("rb") as fh:  # at most the cap, should the file grow meanwhile
            data = fh.read(opts.max_bytes + 1)
    except OSError as exc:
        yield InputError(where, f"cannot read: {exc.strerror}")
        return
    if len(data) > opts.max_bytes:
        yield InputError(where, f"file grew over the {_human(opts.max_bytes)} per-page limit")
        return
    if ext in FEED_EXT or (ext not in HTML_EXT | TEXT_EXT and _is_feed(data)):
        from .feeds import iter_feed

        yield from iter_feed(data, where, fetch, opts.max_feed_items)
        return
    kind = "html" if ext in HTML_EXT else "text" if ext in TEXT_EXT else _sniff(data)
    yield RawPage(data=data, kind=kind, source_path=where)  # type: ignore[arg-type]


def _from_jsonl(path: Path, opts: SourceOptions) -> Iterator[Item]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc.strerror}")
        return
    with fh:
        yield from _jsonl_lines(fh, str(path), opts)


def _jsonl_lines(fh: BinaryIO, where: str, opts: SourceOptions) -> Iterator[Item]:
    for n, raw in enumerate(_capped_lines(fh, opts.max_bytes), 1):
        if raw is None:
            yield InputError(f"{where}:{n}", f"line longer than {_human(opts.max_bytes)}; skipped")
            continue
        if not raw.strip():
            continue
        try:
            rec: Any = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
            yield InputError(f"{where}:{n}", f"malformed JSON line ({msg})")
            continue
        except RecursionError:
            yield InputError(f"{where}:{n}", "malformed JSON line (nested too deeply)")
            continue
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            yield InputError(f"{where}:{n}", f"malformed JSON line ({exc})")
            continue
        try:
            json.dumps(rec, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:  # "\ud800" escapes decode to strings no store can hold
            yield InputError(f"{where}:{n}", "a string holds a lone surrogate (not valid Unicode)")
            continue
        yield _record(rec, where, n)


def _capped_lines(fh: BinaryIO, cap: int) -> Iterator[bytes | None]:
    """Lines of a binary stream; an over-long line yields None instead of being held in memory."""
    while True:
        line = fh.readline(cap + 1)
        if not line:
            return
        if len(line) > cap and not line.endswith(b"\n"):
            while True:  # drain the rest of the long line without keeping it
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


def _record(rec: Any, where: str, n: int) -> Item:
    loc = f"{where}:{n}"
    if not isinstance(rec, dict):
        return InputError(loc, "a JSONL record must be an object with 'html' or 'text'")
    hints = {k: str(rec[k]) for k in ("title", "published", "outlet") if rec.get(k)}
    if isinstance(rec.get("authors"), list):
        hints["authors"] = ";".join(str(a) for a in rec["authors"])
    url = rec.get("url") if isinstance(rec.get("url"), str) else None
    for key, kind in (("html", "html"), ("text", "text")):
        val = rec.get(key)
        if isinstance(val, str) and val.strip():
            if kind == "text" and hints.get("title"):
                val = f"{hints['title']}\n\n{val}"
            return RawPage(data=val.encode("utf-8"), kind=kind, source_path=where, url=url,  # type: ignore[arg-type]
                           line=n, hints=hints)  # fmt: skip
    return InputError(loc, "record has neither a non-empty 'html' nor 'text' field")


def _from_stream(stream: BinaryIO, where: str, opts: SourceOptions) -> Iterator[Item]:
    data = stream.read(opts.max_bytes + 1)
    if len(data) > opts.max_bytes:
        yield InputError(where, f"standard input is over the {_human(opts.max_bytes)} limit")
        return
    first = data.lstrip()[:1]
    if first == b"{":
        import io

        yield from _jsonl_lines(io.BytesIO(data), where, opts)
        return
    yield RawPage(data=data, kind=_sniff(data), source_path=where)  # type: ignore[arg-type]


def _from_url(url: str, fetch: Fetcher, opts: SourceOptions) -> Iterator[Item]:
    try:
        resp = fetch.get(url)
    except InputError as exc:
        yield exc
        return
    ctype = resp.content_type.lower()
    if "rss" in ctype or "atom" in ctype or _is_feed(resp.data):
        from .feeds import iter_feed

        yield from iter_feed(resp.data, url, fetch, opts.max_feed_items)
        return
    yield RawPage(data=resp.data, kind=resp.kind, url=resp.url, encoding=resp.encoding)  # type: ignore[arg-type]


def _sniff(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    return "html" if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) else "text"


def _is_feed(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head)


def _human(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} bytes"
