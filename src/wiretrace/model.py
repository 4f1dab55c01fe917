"""Frozen data records that flow through wiretrace, mirroring the article JSON contract.

Every derived fact carries a span into ``Article.body`` (Python ``str`` indices, end-exclusive)
and, through :class:`Evidence`, the stage version that produced it. ``to_json`` renders the public
contract of ``shared/spec/article-json.md``; ``article_from_json`` reads it back.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal

SourceType = Literal["named", "anonymous", "institutional", "outlet", "document", "unknown"]
QuoteKind = Literal["direct", "indirect", "mixed"]
EntityType = Literal["person", "organisation", "place", "outlet", "other"]
Granularity = Literal["day", "month", "year", "interval", "duration"]
ChromeKind = Literal[
    "hashtags",
    "share",
    "comments",
    "anti-spam",
    "timestamp",
    "epoch",
    "label",
    "navigation",
    "other",
]
Relation = Literal["republishes", "translates", "cites"]
EdgeRelation = Literal["copy", "translation", "rewrite", "citation"]


@dataclass(frozen=True)
class Span:
    """A character range in an article body."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Evidence:
    """Where a fact came from: the sentence span in the body and the stage version."""

    start: int
    end: int
    stage: str = ""


@dataclass(frozen=True)
class RawPage:
    """Bytes (or already-decoded text) plus where they came from; nothing interpreted yet."""

    data: bytes
    kind: Literal["html", "text", "feed", "warc"]
    source_path: str | None = None
    url: str | None = None
    line: int | None = None
    encoding: str | None = None
    # Metadata a container (JSONL record, feed entry) already gave us.
    hints: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """Human-readable origin for error messages: file[:line] or URL."""
        base = self.source_path or self.url or "<stdin>"
        return f"{base}:{self.line}" if self.line is not None else base


@dataclass(frozen=True)
class Outlet:
    name: str
    domain: str | None = None


@dataclass(frozen=True)
class Chrome:
    kind: ChromeKind
    text: str


@dataclass(frozen=True)
class AttributionLink:
    """One step of "this page <- A <- B", nearest first."""

    outlet: str
    as_written: str
    relation: Relation


@dataclass(frozen=True)
class Derivative:
    is_derivative: bool = False
    signals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Role:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: EntityType
    country: str | None = None
    roles: tuple[Role, ...] = ()
    mentions: tuple[Span, ...] = ()
    canonical_id: str | None = None  # cross-article identity (registry key or folded name)
    aliases: tuple[str, ...] = ()
    stage: str = ""


@dataclass(frozen=True)
class TimeExpr:
    text: str
    start: int
    end: int
    value: str  # ISO date, month, year, or "start/end" interval, or ISO 8601 duration
    granularity: Granularity
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Figure:
    text: str
    start: int
    end: int
    value: float | int
    unit: str | None = None
    about: str | None = None
    approx: bool = False
    at_least: bool = False
    at_most: bool = False
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Speaker:
    text: str | None  # who spoke: a pronoun is replaced by the name it refers to
    source_type: SourceType = "unknown"
    entity_id: str | None = None
    role: str | None = None
    start: int | None = None  # the words naming the speaker in the quote's sentence
    end: int | None = None
    as_written: str | None = None  # those words, when they differ from ``text`` ("il", "він")
    # where the person a pronoun or role noun stands for is named ("он" -> "Антон Силуанов")
    named_start: int | None = None
    named_end: int | None = None


@dataclass(frozen=True)
class Quote:
    content: str
    start: int
    end: int
    kind: QuoteKind
    speaker: Speaker
    cue: str | None = None
    declined: bool = False
    evidence: Evidence | None = None
    via: tuple[str, ...] = ()  # attribution chain the quote reached us through, nearest first


@dataclass(frozen=True)
class Participant:
    text: str
    entity_id: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class EventDate:
    text: str
    value: str
    granularity: Granularity


@dataclass(frozen=True)
class Event:
    type: str
    mode: str | None = None
    context: tuple[str, ...] = ()
    aux: str | None = None  # historical | future | hypothetical | negated
    actors: tuple[Participant, ...] = ()
    recipients: tuple[Participant, ...] = ()
    where: tuple[Participant, ...] = ()
    date: EventDate | None = None
    trigger: str | None = None
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Analysis:
    depth: Literal["deep", "basic", "none"] = "none"
    stages: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Article:
    """One cleaned news article and everything derived from it."""

    id: str
    title: str
    body: str
    language: str | None = None
    url: str | None = None
    source_path: str | None = None
    published: str | None = None
    published_utc: str | None = None
    outlet: Outlet | None = None
    authors: tuple[str, ...] = ()
    chrome: tuple[Chrome, ...] = ()
    attribution: tuple[AttributionLink, ...] = ()
    derivative: Derivative = Derivative()
    related: tuple[str, ...] = ()  # titles of articles the page points readers to
    entities: tuple[Entity, ...] = ()
    dates: tuple[TimeExpr, ...] = ()
    figures: tuple[Figure, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    tags: tuple[str, ...] = ()
    analysis: Analysis = Analysis()


@functools.cache
def _field_names(cls: Any) -> tuple[str, ...] | None:
    """A dataclass's field names in declaration order, None for any other class: looked up
    per class, not derived again by ``fields()`` for each of the thousands of objects of an
    article record."""
    return tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None


_LEAVES = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    if isinstance(value, _LEAVES):
        return value
    kind: type = type(value)
    names = _field_names(kind)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def to_json(article: Article) -> dict[str, Any]:
    """The public JSON record of an article (contract version 1 plus additive fields)."""
    out = _plain(article)
    assert isinstance(out, dict)
    return out


def _tuple(cls: Any, items: list[dict[str, Any]] | None) -> tuple[Any, ...]:
    return tuple(_build(cls, i) for i in (items or []))


# The nested records of each class that are rebuilt as dataclasses.
_NESTED: dict[str, dict[str, Any]] = {
    "Entity": {"roles": Role, "mentions": Span},
    "Quote": {"speaker": Speaker, "evidence": Evidence},
    "Event": {
        "actors": Participant,
        "recipients": Participant,
        "where": Participant,
        "date": EventDate,
        "evidence": Evidence,
    },
    "TimeExpr": {"evidence": Evidence},
    "Figure": {"evidence": Evidence},
}


def _build(cls: Any, data: dict[str, Any]) -> Any:
    nested = _NESTED.get(cls.__name__, {})
    names = _field_names(cls) or ()
    kwargs: dict[str, Any] = {}
    for key, val in data.items():
        if key not in names:
            continue
        sub = nested.get(key)
        if sub is not None and isinstance(val, list):
            kwargs[key] = _tuple(sub, val)
        elif sub is not None and isinstance(val, dict):
            kwargs[key] = _build(sub, val)
        elif isinstance(val, list):
            kwargs[key] = tuple(val)
        else:
            kwargs[key] = val
    return cls(**kwargs)


def article_from_json(data: dict[str, Any]) -> Article:
    """Rebuild an :class:`Article` from its JSON record (inverse of :func:`to_json`)."""
    d = dict(data)
    d["outlet"] = Outlet(**d["outlet"]) if d.get("outlet") else None
    d["chrome"] = _tuple(Chrome, d.get("chrome"))
    d["attribution"] = _tuple(AttributionLink, d.get("attribution"))
    der = d.get("derivative") or {}
    d["derivative"] = Derivative(
        is_derivative=bool(der.get("is_derivative")), signals=tuple(der.get("signals", ()))
    )
    d["entities"] = _tuple(Entity, d.get("entities"))
    d["dates"] = _tuple(TimeExpr, d.get("dates"))
    d["figures"] = _tuple(Figure, d.get("figures"))
    d["quotes"] = _tuple(Quote, d.get("quotes"))
    d["events"] = _tuple(Event, d.get("events"))
    ana = d.get("analysis") or {}
    d["analysis"] = Analysis(depth=ana.get("depth", "none"), stages=dict(ana.get("stages", {})))
    return _build(Article, d)  # type: ignore[no-any-return]
