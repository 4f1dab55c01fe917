"""Clean plain-text page dumps: title, body, chrome, visible timestamp, epoch, lead-in labels.

A dump is what a browser "save as text" or a scraper leaves: the headline, the article paragraphs
and, scattered before and after them, the page furniture. No library handles these, so this is the
one hand-written extractor. Chrome goes to ``chrome`` and never to ``body``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from wiretrace.model import Chrome
from wiretrace.stages.clean import chrome as ch
from wiretrace.textutil import fold, lang_data, languages_with


@dataclass(frozen=True)
class CleanPage:
    """What cleaning found on one page, before attribution and language are worked out."""

    title: str
    body: str
    chrome: tuple[Chrome, ...] = ()
    published: str | None = None
    published_utc: str | None = None
    attribution_line: str | None = None  # the text after a "Source:" label, as written
    authors: tuple[str, ...] = ()
    outlet_name: str | None = None
    outlet_domain: str | None = None
    url: str | None = None
    related: tuple[str, ...] = ()  # titles of other articles the page points readers to
    hints: dict[str, str] = field(default_factory=dict)


# Sentence end, optionally followed by an agency sign-off (". AM", ". (AFP)", ". – dpa").
_SENTENCE_END = re.compile(r"[.!?…»”\")](?:\s*[–—-]?\s*\(?[A-ZÀ-ÖØ-ÞА-ЯЁЇІЄҐ]{1,6}\)?)?\s*$")


_QUOTED = re.compile(r"[“«\"„]\s*([^”»\"“]{3,200}?)\s*[”»\"“]")


@functools.cache
def _related_phrases() -> re.Pattern[str]:
    phrases: set[str] = set()
    for lang in languages_with("chrome"):
        phrases.update(fold(p) for p in lang_data(lang, "chrome").get("related", []))
    alt = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alt})(?!\w)")


def related_titles(paragraph: str) -> list[str]:
    """Titles of articles a paragraph points to ("dans un article “Troisième Karabakh”").

    The title is the quoted text after a "related" phrase, or, unquoted, the rest of the
    sentence after the phrase and an optional year ("dans l'article de 2020 Le Karabakh, …").
    """
    from wiretrace.registry import fold_aligned

    if not _related_phrases().search(fold(paragraph)):
        return []
    m = _related_phrases().search(fold_aligned(paragraph))
    if not m:
        return []
    rest = paragraph[m.end() :]
    q = _QUOTED.search(rest[:80] + rest[80:300])
    if q and q.start() < 40:
        return [q.group(1).strip()]
    rest = re.sub(r"^\s*(?:de|of|von|del|з|от|з)?\s*(?:19|20)\d\d\s*", "", rest).strip()
    rest = rest.rstrip(".!? ")
    return [rest] if 3 <= len(rest.split()) <= 30 else []


def _paragraphs(text: str) -> list[str]:
    """Logical lines: blank lines separate paragraphs, single newlines inside them are kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]
    return [ln for ln in lines if ln]


# Scripts written without spaces between words: a space count says nothing about their length.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff]"
)
# Roughly two characters of Chinese, Japanese or Thai carry what one spaced word does.
_CHARS_PER_WORD = 2
# Ends of sentences in scripts with their own full stops (Chinese, Japanese, Devanagari...).
_WIDE_END = re.compile(r"[。！？」』）।]\s*$")
_SOCIAL = re.compile(r"(?:^|[\s(])@\w{2,}|pic\.twitter\.com|\b(?:twitter|x)\.com/\w", re.I)
_COPYRIGHT_LINE = re.compile(r"^\s*(?:©|\(c\)\s|copyright\b)", re.I)


def word_count(line: str) -> int:
    """Words in a line, counting runs of unspaced scripts (Chinese, Japanese, Thai) by length."""
    unspaced = len(_UNSPACED.findall(line))
    if not unspaced:
        return len(line.split())
    spaced = len(_UNSPACED.sub(" ", line).split())
    return spaced + -(-unspaced // _CHARS_PER_WORD)


def _ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line) or _WIDE_END.search(line))


def _is_prose(line: str) -> bool:
    """A paragraph of running text, as opposed to a short furniture line."""
    words = word_count(line)
    return words >= 25 or (words >= 8 and _ends_sentence(line))


def _kept_tail(lines: list[str], kinds: list[str | None], start: int) -> set[int]:
    """Which unclassified lines after the last prose paragraph are article text.

    Shortness alone does not make a line furniture: an article may end with a list (tour dates,
    results), a hard-wrapped paragraph whose last line is short, or an embedded post's credit.
    Kept are lines of a run that ends a sentence and reads as prose once joined (a wrapped
    paragraph), list items that start or end with a number (dates, scores, times), and lines
    carrying a social handle or post link, with the post text just before such a credit. Dropped are the rest: menus, share links, related
    headlines and copyright lines, which neither end a sentence nor carry such details.
    """
    keep: set[int] = set()
    run: list[int] = []
    for i in range(start, len(lines) + 1):
        if i < len(lines) and kinds[i] is None and not _ends_sentence(lines[i]):
            run.append(i)
            continue
        if i < len(lines) and kinds[i] is None:
            run.append(i)
            if len(run) > 1 and _is_prose(" ".join(lines[j] for j in run)):
                keep.update(run)
        run = []  # a chrome line, a sentence end or the page end closes the run
    for i in range(start, len(lines)):
        line = lines[i]
        if _COPYRIGHT_LINE.match(line):
            keep.discard(i)
            continue
        tokens = line.split()
        if _SOCIAL.search(line):
            keep.add(i)
            if i > start and kinds[i - 1] is None:  # the embedded post the credit line signs
                keep.add(i - 1)
        elif any(any(c.isdigit() for c in t) for t in (*tokens[:2], *tokens[-2:])):
            keep.add(i)
    return keep


def _first_sentence(line: str) -> str:
    """The first sentence of a paragraph, used as a title when a text has no separate one."""
    m = re.search(r"[.!?…。！？](?=\s|$)|[。！？]", line)
    head = line[: m.end()] if m else line
    if word_count(head) > 40 or len(head) > 300:
        head = " ".join(head.split()[:20]) if " " in head else head[:60]
    return head.strip()


def clean_dump(text: str) -> CleanPage:
    """Split a plain-text page dump into title, body paragraphs and chrome."""
    lines = _paragraphs(text)
    kinds = [ch.classify(ln) for ln in lines]
    labels = ch.phrases()

    chrome: list[Chrome] = []
    published: str | None = None
    published_utc: str | None = None
    attribution: str | None = None
    title = ""
    body: list[str] = []

    # The tail: everything after the last prose paragraph that is followed only by chrome or by
    # short unrecognised lines is furniture (footers, "related" widgets, widget captions).
    last_prose = max(
        (i for i, ln in enumerate(lines) if kinds[i] is None and _is_prose(ln)), default=-1
    )

    texts = [
        i
        for i, ln in enumerate(lines)
        if kinds[i] is None and ch.split_label(ln, labels.source_labels) is None
    ]
    # A text that is one running paragraph (dataset exports, one-line JSONL records) has no
    # headline line: its first sentence names it and the whole paragraph is the body.
    one_paragraph = (
        len(texts) == 1 and _is_prose(lines[texts[0]]) and word_count(lines[texts[0]]) >= 25
    )
    if one_paragraph:
        title = _first_sentence(lines[texts[0]])
    tail_text = _kept_tail(lines, kinds, last_prose + 1) if last_prose >= 0 else set()

    for i, line in enumerate(lines):
        kind = kinds[i]
        if kind == "epoch":
            published_utc = published_utc or ch.epoch_of(line)
        elif kind == "timestamp":
            published = published or ch.timestamp_of(line)
        if kind is not None:
            chrome.append(Chrome(kind, line))  # type: ignore[arg-type]
            continue
        src = ch.split_label(line, labels.source_labels)
        if src is not None:
            chrome.append(Chrome("label", line))
            attribution = attribution or src[1]
            continue
        if not title:
            title = line
            continue
        if i > last_prose and not _is_prose(line) and i not in tail_text:
            chrome.append(Chrome("other", line))
            continue
        detail = ch.split_label(line, labels.detail_labels)
        if detail is not None and detail[1]:
            chrome.append(Chrome("label", detail[0]))
            line = detail[1]
        body.append(line)

    return CleanPage(
        title=title,
        body="\n\n".join(body),
        related=tuple(t for para in body for t in related_titles(para)),
        chrome=tuple(chrome),
        published=published,
        published_utc=published_utc,
        attribution_line=attribution,
    )
