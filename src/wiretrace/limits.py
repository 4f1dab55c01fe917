"""Analysis under limits: bounded text, time and memory per input, one bad input isolated.

The document stages get at most ``max_chars`` characters of a body (spaCy refuses texts over a
million characters, and parse time and memory grow with length); the stored body stays whole
and every fact found in the analysed part keeps its offsets, since the part is a prefix. A
batch is analysed together; if it fails or runs over its time or memory, its articles are
analysed one by one, so only the input at fault becomes a failure and the rest of the batch
is stored.

Memory is bounded as address space: while one batch or one input is cleaned or analysed, the
process's ``RLIMIT_AS`` soft limit is its size when the work began plus ``memory`` bytes, so an
input that would take more gets a ``MemoryError`` (recorded as its failure) instead of taking
the machine's memory from every other process; the limit is lifted after each piece of work.
It applies in whichever process runs the work (this one with one worker, each worker process
otherwise), in its main thread only, like the time limit.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .model import Article

# A long feature story is 30-60k characters; 200k holds a whole report with room to spare.
MAX_ANALYSED_CHARS = 200_000
# Seconds of analysis per input (a batch gets this times its size before being split).
TIME_PER_INPUT = 120.0
# Address space the work on one input may add. Loading the language models of all eight
# languages adds 0.95 GB and analysing a 200,000-character body 25 MB more, so 2 GiB leaves
# room for a first batch that loads every model; with a worker per core (2 here) the worst
# case stays far under the machine's memory.
MEMORY_PER_INPUT = 2 * 1024**3


@dataclass(frozen=True)
class Limits:
    max_chars: int = MAX_ANALYSED_CHARS
    seconds: float = TIME_PER_INPUT
    memory: int = MEMORY_PER_INPUT  # bytes of address space over the process's size; 0: none


class TimeLimit(BaseException):
    """Raised inside the analysis when its time is up (a BaseException: stages catching
    ``Exception`` to skip a bad sentence must not swallow it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (main thread only; elsewhere no limit applies)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise TimeLimit()

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def address_space() -> int | None:
    """This process's address space in bytes (None where /proc is not there to tell)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            pages = int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def memory_limit(extra: int) -> Iterator[None]:
    """Let the block add at most ``extra`` bytes of address space (allocations past it raise
    ``MemoryError``); main thread only, since the limit holds for the whole process."""
    now = address_space()
    if extra <= 0 or now is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = now + extra
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield  # a tighter limit is already set (an outer block, or the user's ulimit -v)
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _mib(n: int) -> str:
    return f"{n / 1024**2:,.0f} MiB"


def bounded(article: Article, max_chars: int) -> tuple[Article, str | None]:
    """The article to analyse: its body cut to ``max_chars`` (at a paragraph or sentence end
    when one is near), and a warning when it was cut."""
    body = article.body
    if len(body) <= max_chars:
        return article, None
    cut = max_chars
    for sep in ("\n\n", ". ", "\n", " "):
        at = body.rfind(sep, max_chars // 2, max_chars)
        if at > 0:
            cut = at + len(sep.rstrip(" "))
            break
    warning = (
        f"body of {len(body):,} characters; analysed the first {cut:,} only "
        f"(limit {max_chars:,}), the whole body is stored"
    )
    return dataclasses.replace(article, body=body[:cut]), warning


Analyse = Callable[[Sequence[Article]], list[Article]]


def analyse_isolated(
    analyse: Analyse, batch: Sequence[Article], limits: Limits
) -> tuple[list[Article], list[tuple[Article, str]], list[tuple[Article, str]]]:
    """Analyse ``batch``; returns (analysed articles, (article, warning), (article, failure)).

    Analysed articles carry their whole stored body again. An article whose analysis raises,
    runs over ``limits.seconds`` or needs more than ``limits.memory`` is a failure with the
    reason; the others are analysed. The batch as a whole gets the time of all its articles but
    the memory of one (the machine has no more to give); past either, it is done one by one.
    """
    parts = [bounded(a, limits.max_chars) for a in batch]
    warnings = [(a, w) for a, (_, w) in zip(batch, parts, strict=True) if w]
    cut = [p for p, _ in parts]
    done: list[Article] | None
    try:
        with time_limit(limits.seconds * len(cut)), memory_limit(limits.memory):
            done = analyse(cut)
    except (Exception, TimeLimit):
        done = None  # some input is at fault: analyse them one by one to find which
    if done is not None:
        return _restore(batch, done), warnings, []
    ok: list[Article] = []
    failed: list[tuple[Article, str]] = []
    for whole, part in zip(batch, cut, strict=True):
        try:
            with time_limit(limits.seconds), memory_limit(limits.memory):
                ok.extend(_restore([whole], analyse([part])))
        except TimeLimit:
            failed.append((whole, f"analysis took over {limits.seconds:g} s; skipped"))
        except MemoryError:
            what = f" (limit {_mib(limits.memory)} per input)" if limits.memory > 0 else ""
            failed.append((whole, f"analysis ran out of memory{what}; skipped"))
        except Exception as exc:
            failed.append((whole, f"could not be analysed ({type(exc).__name__}: {exc})"))
    return ok, warnings, failed


def _restore(originals: Sequence[Article], done: Sequence[Article]) -> list[Article]:
    """Analysed articles with the whole bodies they were cut from."""
    bodies = {a.id: a.body for a in originals}
    return [dataclasses.replace(a, body=bodies.get(a.id, a.body)) for a in done]
