"""The default document pipeline: which understanding stages run, in which order."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterable, Iterator

from . import nlp
from .model import Analysis, Article
from .pipeline import Pipeline, Stage, build

# (module, attribute) of each document stage, in run order; build() checks requires/produces.
STAGES: tuple[tuple[str, str], ...] = (
    ("wiretrace.stages.entities.stage", "STAGE_ENTITIES"),
    ("wiretrace.stages.facts.dates", "STAGE_DATES"),
    ("wiretrace.stages.facts.figures", "STAGE_FIGURES"),
    ("wiretrace.stages.quotes.stage", "STAGE_QUOTES"),
    ("wiretrace.stages.events.stage", "STAGE_EVENTS"),
    ("wiretrace.stages.facts.tags", "STAGE_TAGS"),
)


def _set_depth(article: Article) -> Article:
    depth = nlp.depth_for(article.language)
    return dataclasses.replace(
        article, analysis=Analysis(depth=depth, stages=dict(article.analysis.stages))
    )


DEPTH = Stage("depth", "depth.v1", ("language",), ("analysis",), _set_depth)


def default_pipeline() -> Pipeline:
    """Every document stage, order-checked."""
    stages = [DEPTH]
    for module, attr in STAGES:
        stages.append(getattr(importlib.import_module(module), attr))
    return build(stages)


def analyze(articles: Iterable[Article], pipeline: Pipeline | None = None) -> Iterator[Article]:
    """Run the understanding stages over cleaned articles, batch by batch."""
    yield from (pipeline or default_pipeline())(articles)
