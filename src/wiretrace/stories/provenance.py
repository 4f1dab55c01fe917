"""Who copied, translated, reworded or cited whom among the reports of one story.

Edges run from the earlier report to the later one (``published_utc``, else ``published``, else
the given order). Content relations come from the profiles: ``copy`` (near-identical shingles,
same language), ``translation`` (other language: the page's attribution line says it translates
that outlet, or the structure of the source survives, see :mod:`.translation`) and ``rewrite``
(same language, close vectors and shared names, reworded). Each later report keeps its single
most likely content source. ``citation`` edges come from attribution links and from phrases
that name an outlet next to a citing word ("selon Politico", "за даними Politico", "Politico
reported"): per-language words are data (``lang/<code>/chrome.toml`` ``citing`` and
``lang/<code>/citations.toml`` ``reporting``), outlet names come from the outlet registry and
the story's own outlets.

The story's original source is the outlet most cited by its reports (it may be absent from the
corpus), else the outlet of the earliest report.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Article, Evidence
from ..registry import find_outlet, find_outlet_in, fold_aligned
from ..stages.clean.attribution import derivative_signals as page_signals
from ..textutil import fold, lang_data, languages_with
from .profile import Profile, build, jaccard
from .translation import TRANSLATED, comparable_length, translation_score

STAGE = "provenance.v1"
COPY_JACCARD = 0.6  # shingle overlap of near-identical texts (templates, tracking lines aside)
REWRITE_JACCARD = 0.08
REWRITE_COSINE = 0.75
_SENTENCE = re.compile(r"[^.!?…\n]+(?:[.!?…]+|$)", re.UNICODE)
CITE_WINDOW = 40  # characters between a citing word and the outlet name
MAX_SOURCES = 12  # earlier reports, closest first, checked as a report's content source


@dataclass(frozen=True)
class Edge:
    """One provenance edge between two reports of a story (or from a cited outlet)."""

    src: str  # article id, or "outlet:<name>" for a cited outlet absent from the corpus
    dst: str
    relation: str  # copy | translation | rewrite | citation
    confidence: float
    evidence: Evidence
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """The edge as in the story JSON record."""
        return {
            "from": self.src,
            "to": self.dst,
            "relation": self.relation,
            "confidence": round(self.confidence, 3),
            "evidence": {"start": self.evidence.start, "end": self.evidence.end,
                         "stage": self.evidence.stage, "note": self.note},
        }  # fmt: skip


@dataclass(frozen=True)
class StoryProvenance:
    """The provenance summary of a story."""

    edges: tuple[Edge, ...]
    earliest: str | None  # article id of the earliest report
    original_source: str | None  # outlet name
    derivative: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _sentence_span(body: str, pos: int) -> tuple[int, int]:
    """The sentence of ``body`` containing ``pos`` (whole body if none is found)."""
    for m in _SENTENCE.finditer(body):
        if m.end() > pos:
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            return start, m.end()
    return 0, len(body)


def _first_sentence(body: str) -> tuple[int, int]:
    return _sentence_span(body, 0) if body else (0, 0)


@functools.cache
def canonical_outlet(name: str) -> str:
    """The registry's name for an outlet ("Європейська правда" -> "Evropeiska Pravda")."""
    entry = find_outlet(name)
    return entry.name if entry is not None else name


def _outlet_key(name: str | None) -> str:
    return fold(canonical_outlet(name)) if name else ""


def _when(a: Article) -> str:
    return a.published_utc or a.published or ""


@functools.cache
def _citing_pattern() -> re.Pattern[str]:
    words: set[str] = set()
    for lang in set(languages_with("chrome")) | set(languages_with("citations")):
        words.update(fold(w) for w in lang_data(lang, "chrome").get("citing", []))
        words.update(fold(w) for w in lang_data(lang, "citations").get("reporting", []))
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)
    return re.compile(rf"(?<!\w)(?:{alt})(?!\w)")


def _outlet_mentions(text: str, extra: Sequence[str]) -> list[tuple[str, int, int]]:
    """(canonical outlet name, start, end) of outlet names in ``text``."""
    hits: list[tuple[str, int, int]] = []
    hits.extend((e.name, s, t) for e, s, t in find_outlet_in(text))
    folded = fold_aligned(text)
    for name in extra:
        key = fold(name)
        if len(key) < 3:
            continue
        for m in re.finditer(rf"(?<!\w){re.escape(key)}(?!\w)", folded):
            hits.append((name, m.start(), m.end()))
    return hits


def cited_outlets(article: Article, known: Sequence[str] = ()) -> list[tuple[str, Evidence]]:
    """Outlets the article presents as its source, with the sentence that says so.

    Sources from the attribution line (outside the body) get the empty span ``(0, 0)``.
    """
    out: list[tuple[str, Evidence]] = []
    seen: set[str] = set()
    for link in article.attribution:
        name = canonical_outlet(link.outlet)
        if fold(name) not in seen:
            seen.add(fold(name))
            out.append((name, Evidence(0, 0, STAGE)))
    body = article.body
    folded = fold_aligned(body)
    cues = [(m.start(), m.end()) for m in _citing_pattern().finditer(folded)]
    own = _outlet_key(article.outlet.name) if article.outlet else None
    for raw, s, e in _outlet_mentions(body, known):
        name = canonical_outlet(raw)
        if fold(name) in seen or fold(name) == own:
            continue
        near = any((0 <= s - ce <= CITE_WINDOW) or (0 <= cs - e <= CITE_WINDOW) for cs, ce in cues)
        if near:
            seen.add(fold(name))
            a, b = _sentence_span(body, s)
            out.append((name, Evidence(a, b, STAGE)))
    return out


def _says_translated(src: Article, dst: Article, absent: frozenset[str]) -> bool:
    """Does ``dst``'s attribution line say it translates or re-publishes ``src``?

    Either it names ``src``'s outlet, or ``src``'s outlet is unknown (a text dump) and the
    named outlet, which no report of the story carries, is a registered outlet publishing in
    ``src``'s language ("traduit de la vérité européenne" and a Ukrainian report of unknown
    outlet).
    """
    for link in dst.attribution:
        if link.relation not in ("translates", "republishes"):
            continue
        if src.outlet is not None:
            if _outlet_key(link.outlet) == _outlet_key(src.outlet.name):
                return True
            continue
        key = _outlet_key(link.outlet)
        if key in absent and _outlet_language(link.outlet) == (src.language or "?"):
            return True
    return False


def _outlet_language(name: str) -> str | None:
    entry = find_outlet(name)
    return entry.language if entry is not None else None


def _content_edge(
    src: Article, dst: Article, ps: Profile, pd: Profile, absent: frozenset[str] = frozenset()
) -> tuple[str, float, str] | None:
    """The content relation of an earlier report ``src`` to a later ``dst``, if any.

    ``absent``: outlet keys named in the story's attribution lines that no report carries.
    """
    same_lang = (src.language or "") == (dst.language or "")
    jac = jaccard(ps.minhash, pd.minhash)
    cos = float(ps.mean @ pd.mean)
    if same_lang and jac >= COPY_JACCARD:
        return "copy", min(1.0, 0.5 + jac / 2), f"shingle overlap {jac:.2f}"
    if not same_lang:
        if cos < 0.5 or not comparable_length(src.body, dst.body):
            return None
        score, how = translation_score(src.body, dst.body, src.language, dst.language)
        if score < TRANSLATED:
            # Even when the attribution line names a foreign source: "Джерело: Politico" over a
            # Ukrainian write-up of a Politico story is a citation, not a translation.
            return None
        if _says_translated(src, dst, absent):
            return "translation", 0.95, f"attribution line names it; {how}"
        return "translation", min(0.9, 0.3 + score), how
    names = len(ps.cues.names & pd.cues.names) / max(1, min(len(ps.cues.names), len(pd.cues.names)))
    if cos >= REWRITE_COSINE and (jac >= REWRITE_JACCARD or names >= 0.5):
        return "rewrite", min(0.9, cos * 0.7 + jac), f"vector cosine {cos:.2f}, shingles {jac:.2f}"
    return None


_RANK = {"copy": 3, "translation": 2, "rewrite": 1}


def edges_for(articles: Sequence[Article], profiles: Sequence[Profile] | None = None) -> list[Edge]:
    """Provenance edges among the reports of one story, earlier to later."""
    return list(describe(articles, profiles).edges)


def describe(
    articles: Sequence[Article], profiles: Sequence[Profile] | None = None
) -> StoryProvenance:
    """Edges, earliest report, original source and derivative signals of one story."""
    if not articles:
        return StoryProvenance((), None, None)
    profs = list(profiles) if profiles is not None else build(list(articles))
    order = sorted(range(len(articles)), key=lambda i: (_when(articles[i]) or "~", i))
    arts = [articles[i] for i in order]
    prof = [profs[i] for i in order]
    outlets = [a.outlet.name for a in arts if a.outlet]
    by_outlet: dict[str, int] = {}
    for i, a in enumerate(arts):
        if a.outlet:
            by_outlet.setdefault(_outlet_key(a.outlet.name), i)
    edges: list[Edge] = []
    cited: Counter[str] = Counter()
    parent: dict[int, tuple[int, str]] = {}
    cites = [cited_outlets(a, outlets) for a in arts]
    carried = {_outlet_key(a.outlet.name) for a in arts if a.outlet}
    absent = frozenset(
        k for a in arts for link in a.attribution if (k := _outlet_key(link.outlet)) not in carried
    )
    for j, dst in enumerate(arts):
        best: tuple[int, float, int, str, str] | None = None
        # A report's content source is among the earlier reports closest to it: comparing
        # with those alone bounds the work on big stories (translation checks embed paragraphs).
        earlier = sorted(range(j), key=lambda i: -float(prof[i].mean @ prof[j].mean))
        related: dict[int, tuple[int, float, int, str, str]] = {}
        for i in sorted(earlier[:MAX_SOURCES]):
            rel = _content_edge(arts[i], dst, prof[i], prof[j], absent)
            if rel is None:
                continue
            key = (_RANK[rel[0]], rel[1], i, rel[0], rel[2])
            related[i] = key
            if best is None or key[:2] > best[:2]:
                best = key
        # A verbatim copy says nothing its original does not: when the closest source copies
        # an earlier report that this one also derives from, the original is the source.
        while best is not None and best[3] == "rewrite":
            up = parent.get(best[2])
            if up is None or up[1] != "copy" or up[0] not in related:
                break
            best = related[up[0]]
        inherited: set[str] = set()
        if best is not None:
            _, conf, i, relation, note = best
            parent[j] = (i, relation)
            s0, s1 = _first_sentence(dst.body)
            edges.append(Edge(arts[i].id, dst.id, relation, conf, Evidence(s0, s1, STAGE), note))
            if relation in ("copy", "translation"):
                # A copy or translation repeats its source's citations; they are the source's
                # edges ("Politico -> Ukrainian report -> French translation"), not its own.
                inherited = {fold(name) for name, _ in cites[i]}
                if _says_translated(arts[i], dst, absent):
                    # The outlet its attribution line names is that source, already an edge.
                    inherited |= {
                        fold(canonical_outlet(link.outlet))
                        for link in dst.attribution
                        if link.relation in ("translates", "republishes")
                    }
        for name, ev in cites[j]:
            cited[name] += 1
            if fold(name) in inherited:
                continue
            # An empty span marks a source named by the page's attribution line, which the
            # cleaner keeps out of the body; say so rather than point at no sentence.
            why = f"names {name}" + (" in its attribution line" if ev.end == 0 else "")
            src = by_outlet.get(_outlet_key(name))
            if src is not None and src != j and _when(arts[src]) <= (_when(dst) or "~"):
                edges.append(Edge(arts[src].id, dst.id, "citation", 0.9, ev, why))
            elif src is None:
                edges.append(Edge(f"outlet:{name}", dst.id, "citation", 0.8, ev, why))
    earliest = arts[0].id
    first_outlet = arts[0].outlet
    original = (
        cited.most_common(1)[0][0]
        if cited
        else (canonical_outlet(first_outlet.name) if first_outlet else None)
    )
    derivative = {a.id: derivative_signals(a, j, arts, prof, parent) for j, a in enumerate(arts)}
    return StoryProvenance(tuple(edges), earliest, original, derivative)


def derivative_signals(
    article: Article,
    j: int,
    arts: Sequence[Article],
    prof: Sequence[Profile],
    parent: dict[int, tuple[int, str]],
) -> tuple[str, ...]:
    """Signs that a report re-publishes another: page signals plus "no added content"."""
    signals: list[str] = list(article.derivative.signals)
    for s in page_signals(article.attribution, article.chrome, article.language).signals:
        if s not in signals:
            signals.append(s)
    if j in parent:
        i, relation = parent[j]
        if relation in ("copy", "translation"):
            new_figures = prof[j].cues.numbers - prof[i].cues.numbers
            # Translations run longer in some languages than others, copies do not.
            room = 1.6 if relation == "translation" else 1.1
            if len(article.body) <= len(arts[i].body) * room and len(new_figures) <= 1:
                signals.append(f"no added content relative to {arts[i].id} ({relation})")
    return tuple(signals)
