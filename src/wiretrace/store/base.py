"""The storage interface stages and adapters use; SQLite implements it, PostgreSQL can later.

Stages never see SQL: they get and put :class:`Article` records and read facts through these
methods, so a different backend only has to implement this protocol.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ..model import Article

UpsertStatus = Literal["new", "unchanged", "updated"]


@dataclass(frozen=True)
class ArticleRow:
    """One line of a listing: enough to show and link an article."""

    id: str
    title: str
    language: str | None
    published: str | None
    url: str | None
    outlet: str | None
    source_path: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "language": self.language,
            "published": self.published,
            "url": self.url,
            "outlet": self.outlet,
            "source_path": self.source_path,
        }


@dataclass(frozen=True)
class SearchHit:
    row: ArticleRow
    snippet: str
    score: float


@dataclass(frozen=True)
class SearchQuery:
    """Full-text and fact filters; every field optional, all given ones must hold."""

    text: str | None = None
    entity: str | None = None
    language: str | None = None
    outlet: str | None = None
    source_type: str | None = None
    event_type: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    limit: int = 20
    offset: int = 0


class Store(Protocol):
    def stage_versions(self, article_id: str) -> dict[str, str] | None: ...

    def upsert(self, articles: Sequence[Article]) -> builtins.list[UpsertStatus]: ...

    def get(self, article_id: str) -> Article | None: ...

    def resolve_id(self, prefix: str) -> str | None: ...

    def list(
        self, limit: int = 50, offset: int = 0, language: str | None = None
    ) -> builtins.list[ArticleRow]: ...

    def iter_articles(self) -> Iterable[Article]: ...

    def search(self, query: SearchQuery) -> builtins.list[SearchHit]: ...

    def record_failure(self, where: str, line: int | None, reason: str) -> None: ...

    def stats(self) -> dict[str, Any]: ...

    def close(self) -> None: ...
