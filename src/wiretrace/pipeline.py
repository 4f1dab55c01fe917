"""Document stages and the ordered pipeline that runs them.

A stage is a pure, batch-aware function of articles (``Iterable[Article] -> Iterator[Article]``,
like spaCy's ``nlp.pipe``) that declares what it requires and produces; :func:`build` checks the
order at build time so a mis-ordered pipeline fails before any article is read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from .errors import PipelineError
from .model import Analysis, Article

# What the cleaning step (ingest) already provides to every document stage.
BASE_FIELDS: frozenset[str] = frozenset(
    {"title", "body", "language", "published", "published_utc", "outlet", "attribution", "chrome"}
)


@dataclass(frozen=True)
class Stage:
    """A versioned document stage.

    ``fn`` maps one article to a new article (the stage's fields filled); ``batch`` may override
    it with a batch-aware implementation (e.g. one ``nlp.pipe`` call for the whole batch).
    """

    name: str
    version: str
    requires: tuple[str, ...]
    produces: tuple[str, ...]
    fn: Callable[[Article], Article]
    batch: Callable[[Sequence[Article]], list[Article]] | None = None
    parses: bool = False  # pre-parse each batch's bodies (one nlp.pipe call per language)

    def __call__(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Article]:
        buf: list[Article] = []
        for art in articles:
            buf.append(art)
            if len(buf) >= batch_size:
                yield from self._run(buf)
                buf = []
        if buf:
            yield from self._run(buf)

    def _run(self, buf: Sequence[Article]) -> list[Article]:
        if self.parses:
            from .nlp import preparse

            preparse((a.body, a.language) for a in buf)
        done = self.batch(buf) if self.batch is not None else [self.fn(a) for a in buf]
        return [_stamp(a, self) for a in done]


def _stamp(article: Article, stage: Stage) -> Article:
    stages = dict(article.analysis.stages)
    stages[stage.name] = stage.version
    return dataclasses.replace(
        article, analysis=Analysis(depth=article.analysis.depth, stages=stages)
    )


@dataclass(frozen=True)
class Pipeline:
    stages: tuple[Stage, ...]

    def __call__(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Article]:
        stream: Iterable[Article] = articles
        for stage in self.stages:
            stream = stage(stream, batch_size=batch_size)
        yield from stream

    def versions(self) -> dict[str, str]:
        return {s.name: s.version for s in self.stages}


def build(stages: Sequence[Stage]) -> Pipeline:
    """Order-check the stages: each one's requirements must be produced before it runs."""
    have = set(BASE_FIELDS)
    for stage in stages:
        missing = [r for r in stage.requires if r not in have]
        if missing:
            raise PipelineError(
                f"stage {stage.version} requires {', '.join(missing)}, which no earlier stage "
                f"produces; put a stage producing it before {stage.name}"
            )
        have.update(stage.produces)
    return Pipeline(tuple(stages))
