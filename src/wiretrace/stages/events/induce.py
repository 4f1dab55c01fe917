"""Import codebook examples written outside the coder's work, and the trigger entries they induce.

    python -m wiretrace.stages.events.induce EXAMPLES.jsonl [--source TEXT] [--unseen TEST.jsonl]

``EXAMPLES.jsonl`` holds one sentence a line (``id``, ``lang``, ``text``, ``type`` or ``NONE``,
``trigger``: the word of the text that tells the event, ``actor_text``, ``recipient_text``),
written from the PLOVER codebook by someone who saw neither the coder nor any eval data. It
becomes ``examples_external.tsv`` (rows as in ``examples.tsv``: language, type, sentence), which
:mod:`.train` reads beside our own examples. Each example's trigger also becomes a lexicon entry
with the example's type where the lexicon lacks its key: the lemma of a deep language (the parse's
lemma; verbs under ``[verbs]``, nouns under ``[nouns]``), or the stem of a basic one (the word's
common start with its pymorphy3 lemma in ru/uk, the word less one inflectional ending in de/es;
German separable verbs as ``finite+particle``). Entries go between marker lines at the end of
their table, each naming its example; a rerun replaces them, so the same input gives the same
files. A key already coded with another type, or a new stem that would also read another
example's trigger with another type, is a conflict: printed, never written (the lexicon keeps
what the codebook decided). Reporting, light and control words are never entries, nor words
too general to tell an event by themselves (:data:`.generic.GENERIC`). An example that paraphrases a
sentence of a test set named with ``--unseen`` (half its words or more shared) is left out.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wiretrace.nlp import parse
from wiretrace.stages.events.basic import _compound, _match
from wiretrace.stages.events.classifier import CLASSES, NONE
from wiretrace.stages.events.generic import CUE_LISTS as _CUE_LISTS
from wiretrace.stages.events.generic import is_generic
from wiretrace.stages.events.lexblock import strip_blocks, write_blocks
from wiretrace.stages.events.lexicon import Lexicon, lexicon
from wiretrace.stages.events.separable import closing_word, separable
from wiretrace.stages.events.stems import stem_of
from wiretrace.stages.events.syntax import noun_entry, verb_entry
from wiretrace.stages.events.train import EXTERNAL
from wiretrace.textutil import fold

# German particles that close a clause of a separable verb ("ließen ... frei").
_PARTICLES = frozenset([
    "ab", "an", "auf", "aus", "bei", "bereit", "ein", "fest", "fort", "frei", "los", "mit",
    "nach", "vor", "weg", "zu", "zurück", "zusammen",
])  # fmt: skip


@dataclass(frozen=True)
class Example:
    id: str
    lang: str
    text: str
    type: str
    trigger: str


@dataclass(frozen=True)
class Induced:
    """What one example's trigger gives: a new entry, nothing (present), or why not."""

    example: Example
    table: str  # "verbs" | "nouns" | ""
    key: str
    status: str  # "new" | "present" | "conflict" | "skipped"
    note: str = ""


# An example this close to a sentence of a test set (shared words / all words) paraphrases it:
# it is not imported, so the test set stays unseen.
NEAR = 0.5


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", fold(text)))


def near_any(text: str, others: Sequence[set[str]]) -> bool:
    """Whether ``text`` shares at least :data:`NEAR` of its and another text's words."""
    mine = _words(text)
    return any(len(mine & o) >= NEAR * max(1, len(mine | o)) for o in others)


def unseen(examples: Sequence[Example], tests: Sequence[Path]) -> list[Example]:
    """The examples that paraphrase no sentence of the ``tests`` files (JSONL, ``text``)."""
    others = [
        _words(str(json.loads(line)["text"]))
        for path in tests
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [e for e in examples if not near_any(e.text, others)]


def read_examples(path: Path) -> list[Example]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec: dict[str, Any] = json.loads(line)
        typ = str(rec["type"])
        if typ not in CLASSES:
            raise ValueError(f"{path}:{n}: unknown type {typ!r}")
        text = " ".join(str(rec["text"]).split())
        out.append(
            Example(str(rec["id"]), str(rec["lang"]), text, typ, str(rec.get("trigger") or ""))
        )
    return sorted(out, key=lambda e: e.id)


def _type_of(code: str) -> str:
    return code.partition("/")[0]


def _generic(ex: Example, table: str, key: str) -> bool:
    return is_generic(ex.lang, table, key)


def _judge(ex: Example, table: str, key: str, found: str | None) -> Induced:
    if found is None and _generic(ex, table, key):
        return Induced(ex, table, key, "skipped", "too general a word")
    if found is None:
        return Induced(ex, table, key, "new")
    if _type_of(found) == ex.type:
        return Induced(ex, table, key, "present", found)
    return Induced(ex, table, key, "conflict", f"lexicon: {found}")


# Dependents the coder joins to a verb in a two-word key ("call off", "meet demand").
_VERB_KEY_DEPS = frozenset({"prt", "compound:prt", "prep", "obl", "obl:arg", "dobj", "obj"})
_PARTICLE_DEPS = frozenset({"prt", "compound:prt", "prep"})
_NOT_KEY_WORDS = frozenset({"PRON", "DET", "PUNCT", "AUX", "PART", "CCONJ", "SCONJ", "NUM"})


def _span(ex: Example, doc: Any) -> list[Any]:
    """The tokens of the example's trigger phrase (a verbatim part of its text)."""
    at = ex.text.find(ex.trigger)
    if at < 0:
        at = ex.text.lower().find(ex.trigger.lower())
    if at < 0:
        return []
    end = at + len(ex.trigger)
    return [t for t in doc if t.idx < end and t.idx + len(t) > at and not t.is_punct]


def _phrase_key(head: Any, span: Sequence[Any], verb: bool, lex: Lexicon) -> str:
    """Head plus the first other word of the trigger phrase that depends on it, as the coder
    looks two-word keys up (a particle first); "" when the phrase is one word."""
    cue = any(lex.has(c, head.lemma_.lower()) for c in _CUE_LISTS)
    kids = sorted(
        (c for c in span if c.head.i == head.i and c.i != head.i),
        key=lambda c: (c.dep_ not in {"prt", "compound:prt"}, c.i),
    )
    for c in kids:
        if c.pos_ in _NOT_KEY_WORDS or (verb and c.dep_ not in _VERB_KEY_DEPS):
            continue
        if c.pos_ == "ADP" and (
            not verb or (c.dep_ == "prep" and cue) or c.dep_ not in _PARTICLE_DEPS
        ):
            continue  # "took to the streets": "take to" would code any taking to
        pair = (head.lemma_.lower(), c.lemma_.lower())
        return " ".join(pair if verb or c.i > head.i else pair[::-1])
    return ""


def _deep(ex: Example, lex: Lexicon) -> Induced:
    span = _span(ex, parse(ex.text, ex.lang).doc)
    inside = {t.i for t in span}
    heads = [t for t in span if t.head.i not in inside or t.head.i == t.i]
    if not heads:
        return Induced(ex, "", "", "skipped", "trigger not a token of the text")
    tok = heads[0]
    lemma = tok.lemma_.lower()
    verb = tok.pos_ == "VERB" or (tok.pos_ == "NOUN" and tok.dep_ == "ROOT")
    if not verb and tok.pos_ not in {"NOUN", "PROPN"}:
        return Induced(ex, "", lemma, "skipped", f"trigger tagged {tok.pos_}")
    found = verb_entry(tok, lex) if verb else None
    table = "verbs" if found is not None or tok.pos_ == "VERB" else "nouns"
    found = found or (noun_entry(tok, lex) if table == "nouns" else None)
    if found is not None and _type_of(found[1]) == ex.type:
        return _judge(ex, table, found[0].partition(":")[2], found[1])
    key = _phrase_key(tok, span, table == "verbs", lex)
    table_keys = lex.verbs if table == "verbs" else lex.nouns
    if key and key not in table_keys:
        if _generic(ex, table, key):
            return Induced(ex, table, key, "skipped", "too general a phrase")
        note = f"(lexicon: {found[1]})" if found else ""
        return Induced(ex, table, key, "new", note)
    if found is not None:
        return _judge(ex, table, found[0].partition(":")[2], found[1])
    if table == "verbs" and any(lex.has(cue, lemma) for cue in _CUE_LISTS):
        return Induced(ex, "", lemma, "skipped", "a cue word, not a trigger")
    return _judge(ex, table, lemma, None)


def _basic(ex: Example, lex: Lexicon) -> Induced:
    """A basic language's trigger: the first word of the phrase the lexicon already reads,
    else the first that gives a stem (ru/uk: a verb or a noun)."""
    toks = [t for s in parse(ex.text, ex.lang).doc.sents for t in s]
    words = {fold(w) for w in ex.trigger.split()}
    at = [k for k, t in enumerate(toks) if fold(t.text) in words and t.is_alpha]
    if not at:
        return Induced(ex, "", "", "skipped", "trigger not a token of the text")
    options = [_basic_word(ex, toks, k, lex) for k in at]
    for found, table, key in options:
        if found is not None:
            return _judge(ex, table, key, found)
    for _, table, key in options:
        if table:
            if any(fold(r).startswith(fold(key)) for r in lex.words.get("reporting", ())):
                return Induced(ex, "", key, "skipped", "the stem reads a reporting word")
            return _judge(ex, table, key, None)
    return Induced(ex, "", toks[at[0]].text.lower(), "skipped", "no stem of 5 letters")


def _basic_word(
    ex: Example, toks: Sequence[Any], k: int, lex: Lexicon
) -> tuple[str | None, str, str]:
    """(the code the lexicon reads the word at ``k`` with, table, key for it)."""
    word = toks[k].text
    found = (
        separable(toks, k, lex.verbs)
        or _match(word, lex.verbs)
        or _match(word, lex.nouns)
        or _compound(word, lex)
    )
    dets = lex.words.get("determiners", frozenset())
    after_det = k > 0 and fold(toks[k - 1].text) in dets
    noun = after_det or (lex.nouns_capitalized and word[:1].isupper() and k > 0)
    if ex.lang == "de" and not noun and (closing := _closing_particle(toks, k)):
        return found, "verbs", f"{word.lower()}+{closing}"
    table, key = stem_of(ex.lang, word, noun) or ("", word.lower())
    return found, table, key


def _closing_particle(toks: Sequence[Any], k: int) -> str:
    """The particle closing the clause of the verb at ``k``, if it is one ("ließ ... frei"):
    the clause's last word as the coder finds it (:func:`.separable.closing_word`)."""
    last = closing_word(toks, k)
    return last if last in _PARTICLES else ""


def judge(ex: Example, lex: Lexicon) -> Induced:
    """An event example's trigger against ``lex``: a new entry, present, a conflict, or why
    it gives none."""
    return _deep(ex, lex) if lex.depth != "basic" else _basic(ex, lex)


def induce(examples: Sequence[Example]) -> list[Induced]:
    """Each event example's trigger judged against its language's shipped lexicon."""
    out = []
    for ex in examples:
        lex = lexicon(ex.lang)
        if ex.type == NONE or not ex.trigger.strip() or lex is None:
            continue
        out.append(judge(ex, lex))
    return _cross_checked(out, examples)


def _cross_checked(found: list[Induced], examples: Sequence[Example]) -> list[Induced]:
    """New keys that two examples give different types, or (basic stems) that would read another
    example's trigger with another type, become conflicts."""
    types: dict[tuple[str, str, str], set[str]] = {}
    for i in found:
        if i.status == "new":
            types.setdefault((i.example.lang, i.table, i.key), set()).add(i.example.type)
    out = []
    for i in found:
        if i.status != "new":
            out.append(i)
            continue
        ex = i.example
        clash = types[(ex.lang, i.table, i.key)] - {ex.type}
        if i.table and "+" not in i.key and _is_basic(ex.lang):
            stem = fold(i.key)
            clash |= {
                o.type
                for o in examples
                if o.lang == ex.lang and o.type not in {ex.type, NONE} and o.trigger
                and fold(o.trigger.split()[0]).startswith(stem)
            }  # fmt: skip
        if clash:
            i = Induced(ex, i.table, i.key, "conflict", f"also {', '.join(sorted(clash))}")
        out.append(i)
    return out


def _is_basic(lang: str) -> bool:
    lex = lexicon(lang)
    return lex is not None and lex.depth == "basic"


def write_examples(examples: Sequence[Example], source: str, path: Path = EXTERNAL) -> None:
    lines = [f"# {source}"] + [f"{e.lang}\t{e.type}\t{e.text}" for e in examples]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_entries(induced: Sequence[Induced], source: str) -> dict[str, int]:
    """Write each language's new entries at the end of its ``[verbs]`` and ``[nouns]`` tables
    (after :func:`.lexblock.strip_blocks`); returns the count by language."""
    counts: dict[str, int] = {}
    for lang in sorted({i.example.lang for i in induced}):
        tables: dict[str, list[tuple[str, str, str]]] = {}
        for table in ("verbs", "nouns"):
            seen: dict[str, Induced] = {}
            for i in induced:
                if i.status == "new" and i.example.lang == lang and i.table == table:
                    seen.setdefault(i.key, i)
            tables[table] = [(k, i.example.type, i.example.id) for k, i in sorted(seen.items())]
            counts[lang] = counts.get(lang, 0) + len(seen)
        write_blocks(lang, tables, source)
    return counts


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("examples", type=Path)
    parser.add_argument(
        "--source",
        default="sentences by an engineer blind to the coder and to every eval set",
        help="who wrote the examples (the first line of examples_external.tsv)",
    )
    parser.add_argument(
        "--unseen",
        type=Path,
        action="append",
        default=[],
        help="a test set (JSONL) whose near paraphrases are not imported; repeatable",
    )
    args = parser.parse_args(argv)
    every = read_examples(args.examples)
    examples = unseen(every, args.unseen)
    print(f"{len(every) - len(examples)} examples paraphrase a test sentence: left out")
    strip_blocks(sorted({e.lang for e in examples}))
    write_examples(examples, f"{args.examples.name}: {args.source}")
    induced = induce(examples)
    counts = write_entries(induced, args.source)
    for i in induced:
        if i.status in {"conflict", "skipped"}:
            ex = i.example
            print(f"{i.status}\t{ex.id}\t{ex.lang}\t{ex.type}\t{ex.trigger}\t{i.key}\t{i.note}")
    by_status = Counter(i.status for i in induced)
    print(f"{len(examples)} examples; triggers {dict(by_status)}; entries written {counts}")


if __name__ == "__main__":
    main()
