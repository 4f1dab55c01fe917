"""What the fork server loads once for every analysis worker it forks (imported there only).

Each worker of a local pool is forked from multiprocessing's fork server, which imports this
module first when the pool analyses. Everything loaded here is then in every worker from its
first instruction, and shared between them copy-on-write instead of loaded again by each:

* spaCy itself (the import alone is 0.7 s of CPU) and the stage modules;
* the sentence encoder's weights (0.5 s: the event classifier embeds in every language);
* the language detector over the default languages (0.2 s; every clean task identifies);
* the actor and outlet registries with their lookup indexes, and Russian morphology (which
  reads one-word Latin names for places in every language): a worker's first English article
  0.67-0.70 -> 0.51-0.53 s of CPU.

Measured on the English bench run with two workers (``bench/bench_workers.py --stories
--langs en``, three runs): the workers' CPU 27.0-30.4 -> 24.7-25.3 s, and 1.5 s in the fork
server. What belongs to one language (a spaCy pipeline, a morphological dictionary) still
loads in the worker its articles are routed to, as the pool knows the languages only once
pages are cleaned.

Nothing here may stop the fork server: it imports preload modules catching only ImportError,
so every failure is caught here, and a worker then loads what it needs itself, as before.
Survivors are frozen out of the garbage collector's walks (``allocator.settle``), which also
keeps the workers' collections from writing to (and so copying) the shared pages.
"""

from __future__ import annotations

from contextlib import suppress

LOADED: list[str] = []  # what loaded, in order (for tests and for a look in a debugger)


def _warm() -> None:
    from .. import allocator

    allocator.tune()
    steps = (
        ("spacy", lambda: __import__("spacy")),
        ("stages", _stages),
        ("encoder", _encoder),
        ("detector", _detector),
        ("registries", _registries),
    )
    for name, step in steps:
        try:
            step()
        except Exception:  # never the fork server's end: the worker loads it itself
            continue
        LOADED.append(name)
    allocator.loaded()
    allocator.settle()


def _stages() -> None:
    from ..analyze import default_pipeline

    default_pipeline()


def _encoder() -> None:
    from ..stories.embed import _encoder as encoder

    encoder()


def _registries() -> None:
    from .. import nlp
    from ..registry import outlets
    from ..registry.actors import name_starts

    name_starts()
    outlets()
    nlp.morph_analyser("ru")


def _detector() -> None:
    from ..stages.clean.language import detect

    detect("Warm the detector of the default languages.")


with suppress(Exception):  # see the module doc: the fork server must start whatever happens
    _warm()
