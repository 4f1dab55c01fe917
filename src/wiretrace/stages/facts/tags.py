"""The tags stage: a short list of meaningful tags from entities and topics.

Pages often carry their own hashtags made of title words ("#les #des #ont"); these say nothing.
Tags here are the actors that matter in the article (places, organisations and people that are
mentioned repeatedly, or named in the title or the lead) plus topics detected from per-language
keyword lists (``lang/<code>/tags.toml``). Tags are in the article's language, because entity
names are taken from the text, and never stop words.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wiretrace.model import Article, Entity
from wiretrace.pipeline import Stage
from wiretrace.registry import fold_aligned
from wiretrace.stages.entities import linking
from wiretrace.textutil import fold, lang_data, stop_words

__all__ = ["STAGE_TAGS", "VERSION", "tag_article"]

VERSION = "tags.v1"

MAX_ENTITY_TAGS = 10
MAX_TOPIC_TAGS = 6
_TITLE_WEIGHT = 3.0
_LEAD_WEIGHT = 1.5
_ENTITY_THRESHOLD = 2.0
_TOPIC_THRESHOLD = 2.0
_LEAD_CHARS = 400
# Entity types that make tags; outlets are sources of the story, not what it is about.
_TAGGABLE = {"place": 1.0, "organisation": 1.0, "person": 1.0, "other": 0.5}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Topic:
    """A topic: its label and one regex over folded text matching any of its keywords.

    Keywords are word prefixes ("negociat" matches "négociations"); a keyword of several words
    matches them in sequence and, being more specific, counts double.
    """

    label: str
    single: re.Pattern[str] | None
    phrase: re.Pattern[str] | None


def _alternation(keywords: Sequence[tuple[str, ...]], compound: bool) -> re.Pattern[str] | None:
    if not keywords:
        return None
    alts = sorted((r"\w*\s+".join(re.escape(w) for w in kw) for kw in keywords), key=len)
    if not compound:
        # A keyword starts a word: no word character stands before its first letter. Said just
        # after that letter ("t(?<!\w\w)alks"), the pattern starts with the letters themselves,
        # which the regex engine skips to; a leading (?<!\w) had it try every position.
        alts = [f"{a[0]}(?<!\\w\\w){a[1:]}" for a in alts]
    return re.compile(rf"(?:{'|'.join(reversed(alts))})\w*")


@functools.cache
def topics(lang: str | None) -> tuple[Topic, ...]:
    """The language's topics, compiled (keywords may match inside compounds where flagged)."""
    data: dict[str, Any] = lang_data(lang, "tags") if lang else {}
    compound = bool(data.get("compound", False))
    out = []
    for spec in data.get("topics", {}).values():
        kws: list[tuple[str, ...]] = [tuple(_WORD.findall(fold(k))) for k in spec["keywords"]]
        single = [k for k in kws if len(k) == 1]
        phrase = [k for k in kws if len(k) > 1]
        out.append(
            Topic(
                str(spec["label"]),
                _alternation(single, compound),
                _alternation(phrase, compound),
            )
        )
    return tuple(out)


def acceptable(tag: str, lang: str | None) -> bool:
    """A tag is never a stop word and never shorter than 3 letters (2 for acronyms: "UE")."""
    letters = [c for c in tag if c.isalnum()]
    if not letters:
        return False
    folded = fold(tag)
    if folded in stop_words(lang):
        return False
    if tag.isupper():
        return len(letters) >= 2
    return len(letters) >= 3


def _words(text: str) -> str:
    """The folded words of ``text`` between single spaces, with a space at either end."""
    return f" {' '.join(_WORD.findall(fold_aligned(text)))} "


def _in_text(entity: Entity, folded: str, hits: set[str]) -> bool:
    """Whether the entity is named in a text (``folded``: its :func:`_words`)."""
    if entity.canonical_id in hits:
        return True
    names = {entity.name, *entity.aliases}
    return any(_words(n) in folded for n in names if n)


def _entity_scores(article: Article) -> list[tuple[float, int, Entity]]:
    lang = article.language
    lead = _lead(article.body)
    title_hits = {_canonical(h.entry) for h in linking.scan(article.title, lang)}
    lead_end = len(lead)
    title = _words(article.title) if article.title else ""
    scored = []
    for ent in article.entities:
        weight = _TAGGABLE.get(ent.type)
        if weight is None:
            continue
        score = weight * len(ent.mentions)
        if article.title and _in_text(ent, title, title_hits):
            score += _TITLE_WEIGHT
        if any(m.start < lead_end for m in ent.mentions):
            score += _LEAD_WEIGHT
        first = ent.mentions[0].start if ent.mentions else len(article.body)
        scored.append((score, first, ent))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return scored


def _lead(body: str) -> str:
    """The first sentence of the first paragraph: where a news story says what it is about."""
    para = body.lstrip().split("\n", 1)[0][:_LEAD_CHARS]
    m = re.search(r"[.!?](?:\s|$)", para)
    return para[: m.end()] if m else para


def _canonical(entry: Any) -> str:
    from wiretrace.stages.entities.stage import canonical_of

    return canonical_of(entry)


def _topic_scores(article: Article) -> list[tuple[float, str]]:
    body, title = fold(article.body), fold(article.title)
    out = []
    for topic in topics(article.language):
        score = _count(topic, body) + _TITLE_WEIGHT * _count(topic, title)
        if score >= _TOPIC_THRESHOLD:
            out.append((score, topic.label))
    out.sort(key=lambda t: -t[0])
    return out


def _count(topic: Topic, text: str) -> int:
    n = 0
    if topic.phrase is not None:
        n += 2 * len(topic.phrase.findall(text))
    if topic.single is not None:
        n += len(topic.single.findall(text))
    return n


def tag_article(article: Article) -> tuple[str, ...]:
    """The article's tags: top entities by salience, then topics, de-duplicated."""
    lang = article.language
    tags: list[str] = []
    seen: set[str] = set()
    for score, _, ent in _entity_scores(article):
        if len(tags) >= MAX_ENTITY_TAGS or score < _ENTITY_THRESHOLD:
            break
        _add(tags, seen, ent.name, lang)
    for n, (_, label) in enumerate(_topic_scores(article)):
        if n >= MAX_TOPIC_TAGS:
            break
        _add(tags, seen, label, lang)
    return tuple(tags)


def _add(tags: list[str], seen: set[str], tag: str, lang: str | None) -> None:
    key = fold(tag)
    if key in seen or not acceptable(tag, lang):
        return
    seen.add(key)
    tags.append(tag)


def _run_batch(articles: Sequence[Article]) -> list[Article]:
    return [dataclasses.replace(a, tags=tag_article(a)) for a in articles]


def _run_one(article: Article) -> Article:
    return dataclasses.replace(article, tags=tag_article(article))


STAGE_TAGS = Stage(
    name="tags",
    version=VERSION,
    requires=("entities",),
    produces=("tags",),
    fn=_run_one,
    batch=_run_batch,
)
