"""Shards of an ingest: inputs cut into groups of pages, and what decides a shard's outcome.

:func:`shard_key` names a shard by its pages' origins and bytes, the stages' versions and the
extraction options, so a resumed run knows a finished shard without reading it again;
:func:`covers` says whether an article's stored stage versions are the ones wanted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from .model import RawPage
from .sources import Item
from .stages.clean.extract import Options as ExtractOptions


def split_where(where: str) -> tuple[str, int | None]:
    m = re.match(r"^(.*):(\d+)$", where)
    return (m.group(1), int(m.group(2))) if m else (where, None)


def chain(head: list[list[Item]], rest: Iterator[list[Item]]) -> Iterator[list[Item]]:
    yield from head
    yield from rest


def shards(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    buf: list[Item] = []
    for item in items:
        buf.append(item)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def shard_key(items: list[Item], versions: dict[str, str], extract: ExtractOptions) -> str:
    """What a shard's outcome depends on: its pages' origins and bytes, the stages, the options."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((sorted(versions.items()), extract.languages, extract.min_body_chars)).encode())
    for item in items:
        h.update(item.where.encode("utf-8", "surrogatepass") + b"\0")
        if isinstance(item, RawPage):
            h.update(hashlib.blake2b(item.data, digest_size=16).digest())
            h.update(repr(sorted(item.hints.items())).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def covers(stored: dict[str, str], wanted: dict[str, str]) -> bool:
    return all(stored.get(k) == v for k, v in wanted.items())
