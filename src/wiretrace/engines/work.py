"""The tasks an engine runs, and the per-process state they run with (one model load each).

A task is plain data that pickles: a shard's raw pages to clean (enough to know each article's
id and language), or the cleaned pages the writer found new, to finish (attribution) and
analyse. An unchanged page thus costs only its cleaning. :func:`setup` runs once in each worker
process (a pool worker's start, a Ray actor's constructor) and keeps that process's stage
pipeline; the language models behind it load on first use and stay loaded for every later task
of the process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import allocator
from ..errors import InputError
from ..limits import Limits, TimeLimit, analyse_isolated, memory_limit, time_limit
from ..model import Article, RawPage
from ..pipeline import Pipeline
from ..stages.clean.dump import CleanPage
from ..stages.clean.extract import Options as ExtractOptions
from ..stages.clean.extract import article_id, clean_page, finish, page_language


@dataclass(frozen=True)
class CleanTask:
    pages: tuple[RawPage, ...]
    options: ExtractOptions = field(default_factory=ExtractOptions)
    # Identify each page's language now (for a pool routing analysis by language); otherwise
    # it is identified when a new page is finished, and an unchanged page never needs it.
    identify: bool = True


@dataclass(frozen=True)
class AnalyzeTask:
    pages: tuple[tuple[CleanPage, RawPage], ...]
    options: ExtractOptions = field(default_factory=ExtractOptions)
    batch_size: int = 16
    limits: Limits = field(default_factory=Limits)
    vectors: bool = False  # also each article's story document vectors (stories are placed)
    languages: tuple[str | None, ...] = ()  # each page's language, identified when cleaned


Task = CleanTask | AnalyzeTask


@dataclass(frozen=True)
class Cleaned:
    """One page's cleaning: the clean page, its article id and warnings, or the problem."""

    clean: CleanPage | None
    id: str = ""
    warnings: tuple[str, ...] = ()
    failure: tuple[str, str] | None = None  # (where, what)
    # identified here, so the engine can route the analysis by it ("": not identified)
    language: str | None = ""


@dataclass(frozen=True)
class Analyzed:
    """A batch's analysed articles, and the pages that could not be finished (where, what)."""

    articles: list[Article]
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    vectors: dict[str, bytes] = field(default_factory=dict)  # article id: (3, DIM) float32
    # body key: the body's paragraph vectors, (paragraphs, DIM) float16 (translation checks)
    paragraphs: dict[str, bytes] = field(default_factory=dict)


_state: dict[str, Pipeline | None] = {}


def setup(pipeline: Pipeline | None, analyze: bool) -> None:
    """Build this process's stage pipeline (the default one unless given)."""
    if analyze and pipeline is None:
        from ..analyze import default_pipeline

        pipeline = default_pipeline()
    _state["pipeline"] = pipeline if analyze else None


def run(task: Task) -> list[Cleaned] | Analyzed:
    """Run one task with this process's pipeline (see :func:`setup`)."""
    return run_with(task, _state.get("pipeline"))


def run_with(task: Task, pipeline: Pipeline | None) -> list[Cleaned] | Analyzed:
    """Run one task: clean its pages, or finish its clean pages and run ``pipeline``."""
    if isinstance(task, CleanTask):
        return [clean_one(p, task.options, task.identify) for p in task.pages]
    done = Analyzed([])
    where: dict[str, str] = {}
    langs = task.languages if len(task.languages) == len(task.pages) else ("",) * len(task.pages)
    for (clean, page), lang in zip(task.pages, langs, strict=True):
        try:
            done.articles.append(finish(clean, page, task.options, lang))
            where.setdefault(done.articles[-1].id, page.where)
        except Exception as exc:  # a bug in one page must not kill a long run
            problem = f"could not be cleaned ({type(exc).__name__}: {exc})"
            done.failures.append((page.where, problem))
    if pipeline is not None:
        # Bounded text and time per article; one article at fault fails alone (limits.py).
        ok, warned, broken = analyse_isolated(
            lambda arts: list(pipeline(arts, batch_size=task.batch_size)),
            done.articles,
            task.limits,
        )
        done.articles[:] = ok
        done.warnings.extend(f"{where.get(a.id, a.id)}: {w}" for a, w in warned)
        done.failures.extend((where.get(a.id, a.id), why) for a, why in broken)
        if task.vectors and done.articles:
            done.vectors.update(_document_vectors(done.articles))
            done.paragraphs.update(_paragraph_vectors(done.articles))
        # Models loaded for this batch: out of every later garbage collection (allocator.py).
        allocator.settle()
    return done


def _document_vectors(articles: list[Article]) -> dict[str, bytes]:
    """The articles' story document vectors, embedded here while the event classifier's
    sentence vectors are in this process's memo, so the process placing stories (the writer)
    embeds nothing. On any fault, none: placement then embeds them itself."""
    from ..stories.profile import document_vectors

    try:
        vecs = document_vectors(articles)
    except Exception:  # never lose an analysed batch over an optimisation
        return {}
    return {a.id: v.astype("float32").tobytes() for a, v in zip(articles, vecs, strict=True)}


def _paragraph_vectors(articles: list[Article]) -> dict[str, bytes]:
    """The paragraph vectors a translation check would embed for these articles (languages the
    encoder knows), computed here from the sentences the memo holds, so the writer does not
    load the encoder to embed them again. On any fault, none: the writer embeds what it needs."""
    from ..stories.translation import USE_LANGUAGES, shipped

    try:
        return dict(shipped(a.body) for a in articles if a.language in USE_LANGUAGES)
    except Exception:  # never lose an analysed batch over an optimisation
        return {}


def clean_one(page: RawPage, options: ExtractOptions, identify: bool = True) -> Cleaned:
    """Clean one page; a bad page or an extractor bug becomes a failure, never an exception.
    ``identify``: also identify its language (else left to :func:`finish`)."""
    limits = Limits()
    try:
        # tag soup or a mutated page must not hang the run, nor take the machine's memory
        with time_limit(limits.seconds), memory_limit(limits.memory):
            clean, warnings = clean_page(page, options)
    except InputError as exc:
        return Cleaned(None, failure=(exc.where, exc.problem))
    except TimeLimit:
        return Cleaned(None, failure=(page.where, f"cleaning took over {limits.seconds:g} s"))
    except MemoryError:
        problem = f"cleaning needed over {limits.memory / 1024**2:,.0f} MiB of memory"
        return Cleaned(None, failure=(page.where, problem))
    except Exception as exc:  # an extractor bug must not kill a long run
        problem = f"could not be cleaned ({type(exc).__name__}: {exc})"
        return Cleaned(None, failure=(page.where, problem))
    if not identify:
        return Cleaned(clean, article_id(clean), tuple(warnings))
    try:
        lang = page_language(clean, options)
    except Exception:  # identified again (and failed alone) when the page is finished
        return Cleaned(clean, article_id(clean), tuple(warnings))
    return Cleaned(clean, article_id(clean), tuple(warnings), language=lang)
