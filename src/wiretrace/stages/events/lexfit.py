"""The trigger lexicon as something fitted: which entries a fit may use, and reading with them.

Every trigger entry of ``lang/<code>/events.toml`` is evidence-checked like a weight. An entry
*codes* a training text when the rules read that text through it with the entry's own type and
that type is one of the text's gold types. A fit on some training texts (our own examples plus
some gold records) may use an entry that codes one of them; an entry whose only such texts are
held out is dropped for that fit, since it was written by looking at them. Entries that code no
text at all (no example, no record) are kept: no data chose them. So a cross-validation fold
reads its held-out records with the lexicon its four training folds support, exactly as the
classifier's weights come from those folds; the shipped coder uses every entry.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Sequence
from contextlib import AbstractContextManager

from wiretrace.stages.events.lexicon import Lexicon, lexicon
from wiretrace.stages.events.reading import Reading


def entry_type(entry: str) -> str | None:
    """The PLOVER type an entry ("en:v:reject") codes, from the shipped lexicon."""
    lang, _, rest = entry.partition(":")
    table, _, key = rest.partition(":")
    lex = lexicon(lang)
    if lex is None:
        return None
    code = (lex.verbs if table == "v" else lex.nouns).get(key)
    return code.partition("/")[0] if code else None


def coded_by(readings: Sequence[Reading], gold: Collection[str]) -> set[str]:
    """Entries through which the rules read a text with one of its gold types."""
    return {
        p.entry
        for r in readings
        for p in r.proposals
        if p.entry and p.type in gold and entry_type(p.entry) == p.type
    }


def held_out_only(train: Iterable[set[str]], held: Iterable[set[str]]) -> frozenset[str]:
    """Entries that code some held-out text and no training text: the ones a fit must drop."""
    seen: set[str] = set()
    for s in train:
        seen |= s
    out: set[str] = set()
    for s in held:
        out |= s - seen
    return frozenset(out)


def without(lang: str, dropped: Collection[str]) -> Lexicon | None:
    """The shipped lexicon of ``lang`` minus the ``dropped`` entries (None: unchanged)."""
    lex = lexicon(lang)
    mine = {e.split(":", 1)[1] for e in dropped if e.startswith(f"{lang}:")}
    if lex is None or not mine:
        return None
    return dataclasses.replace(
        lex,
        verbs={k: v for k, v in lex.verbs.items() if f"v:{k}" not in mine},
        nouns={k: v for k, v in lex.nouns.items() if f"n:{k}" not in mine},
    )


# Parses kept while a cross-validation re-reads its texts with each fold's lexicon (our
# examples and the dev records are about 620 texts; the memo keeps 256 by default).
KEEP_PARSES = 2048


def parses_kept(n: int = KEEP_PARSES) -> AbstractContextManager[None]:
    """Keep at least ``n`` parses memoised inside the block, so re-reading does not re-parse."""
    from wiretrace import nlp

    return nlp.parses_kept(n)
