"""Recognise page chrome in plain-text lines: share buttons, comment boxes, hashtags, timestamps.

The phrase lists are per-language data (``lang/<code>/chrome.toml``). Pages mix languages in their
chrome (a French article under an English "Leave a Comment"), so every line is matched against the
union of all languages' phrases; matching is case- and accent-insensitive on whole lines or line
prefixes, never on words inside running text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wiretrace.textutil import fold, lang_data, languages_with

# Epochs we accept as publication instants: 2000-01-01 .. 2100-01-01.
_EPOCH_MIN, _EPOCH_MAX = 946_684_800, 4_102_444_800
_EPOCH = re.compile(r"^\s*(\d{10})(\d{3})?\s*$")
_HASHTAG = re.compile(r"#[\w’'-]+", re.UNICODE)
# Numeric timestamps: 2023-10-04 11:35:21, 2023-10-04T11:35, 04.10.2023 11:35, 04/10/2023.
_TS_ISO = re.compile(
    r"^\s*(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?\s*$"
)
_TS_DMY = re.compile(
    r"^\s*(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})"
    r"(?:,?\s+(?:à\s+|um\s+|o\s+|в\s+)?(?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2}))?)?\s*$"
)

# Chinese, Japanese and Korean dates: 2024年3月18日 09:30, 2024년 3월 18일 09:30.
_TS_CJK = re.compile(
    r"^\s*(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]"
    r"(?:\s*(?P<H>\d{1,2})[:時시]\s*(?P<M>\d{2})分?(?::(?P<S>\d{2}))?)?\s*$"
)


@dataclass(frozen=True)
class Phrases:
    """All chrome phrases, folded, grouped by chrome kind."""

    share: frozenset[str]
    comments: tuple[str, ...]
    anti_spam: tuple[str, ...]
    navigation: frozenset[str]
    source_labels: tuple[str, ...]
    detail_labels: tuple[str, ...]
    published_labels: tuple[str, ...]
    unnamed_sources: frozenset[str]
    legal: tuple[str, ...]
    tag_labels: tuple[str, ...]


@functools.cache
def phrases() -> Phrases:
    def union(key: str) -> list[str]:
        out: list[str] = []
        for lang in languages_with("chrome"):
            out.extend(fold(p) for p in lang_data(lang, "chrome").get(key, []))
        return sorted(set(out), key=len, reverse=True)

    return Phrases(
        share=frozenset(union("share")),
        comments=tuple(union("comments")),
        anti_spam=tuple(union("anti_spam")),
        navigation=frozenset(union("navigation")),
        source_labels=tuple(union("source_labels")),
        detail_labels=tuple(union("detail_labels")),
        published_labels=tuple(union("published_labels")),
        unnamed_sources=frozenset(union("unnamed_sources")),
        legal=tuple(union("legal")),
        tag_labels=tuple(union("tag_labels")),
    )


def _bare(line: str) -> str:
    return fold(line).strip(' \t.:|•·-–—>»«"“”')


def epoch_of(line: str) -> str | None:
    """ISO UTC instant of a line that is only a unix epoch (seconds or milliseconds), else None."""
    m = _EPOCH.match(line)
    if not m:
        return None
    secs = int(m.group(1))
    if not _EPOCH_MIN <= secs < _EPOCH_MAX:
        return None
    return datetime.fromtimestamp(secs, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def timestamp_of(line: str) -> str | None:
    """ISO local date-time of a line that is only a timestamp, else None.

    A leading publication label ("Publié le", "Veröffentlicht am") is allowed. Numeric forms are
    parsed here; worded forms ("4 octobre 2023 à 11h35") through dateparser, only for short lines
    that contain a four-digit year so running text is never mistaken.
    """
    if len(line) > 120:  # a timestamp line, even labelled, is short
        return None
    folded = fold(line[:40])
    for label in phrases().published_labels:
        if folded.startswith(label) and len(line) > len(label):
            line = line[len(label) :].lstrip(" :")
            break
    for rx in (_TS_ISO, _TS_DMY, _TS_CJK):
        m = rx.match(line)
        if m:
            try:
                dt = datetime(
                    int(m["y"]), int(m["m"]), int(m["d"]),
                    int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0),
                )  # fmt: skip
            except ValueError:
                return None
            iso = dt.strftime("%Y-%m-%dT%H:%M:%S") if m["H"] else dt.strftime("%Y-%m-%d")
            tz = m.groupdict().get("tz")
            if tz:
                iso += "+00:00" if tz == "Z" else (tz if ":" in tz else f"{tz[:3]}:{tz[3:]}")
            return iso
    words = line.split()
    if (
        2 <= len(words) <= 7
        and re.search(r"\b(19|20)\d{2}\b", line)
        and not line.rstrip().endswith(".")
    ):
        return _worded_timestamp(line)
    return None


@functools.cache
def _date_parser() -> Any:
    """One dateparser parser for all lines: ``dateparser.parse`` with languages builds a new
    one per call, and with it every locale's patterns (150 ms of CPU a line)."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=list(languages_with("chrome")),
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
    )


def _worded_timestamp(line: str) -> str | None:
    cleaned = re.sub(r"\b(à|um|o|в|a las|at)\b", " ", line)
    dt = _date_parser().get_date_data(cleaned)["date_obj"]
    if dt is None:
        return None
    iso: str
    iso = dt.strftime("%Y-%m-%dT%H:%M:%S") if dt.hour or dt.minute else dt.strftime("%Y-%m-%d")
    return iso


def is_hashtag_line(line: str) -> bool:
    tokens = line.split()
    if not tokens:
        return False
    tags = sum(1 for t in tokens if _HASHTAG.fullmatch(t.strip(",;")))
    return tags >= 2 and tags / len(tokens) >= 0.8


def hashtags(line: str) -> list[str]:
    return [t.lstrip("#") for t in _HASHTAG.findall(line)]


def classify(line: str) -> str | None:
    """Chrome kind of a whole line (share, comments, anti-spam, navigation, ...) or None."""
    if not line.strip():
        return None
    if epoch_of(line):
        return "epoch"
    if is_hashtag_line(line) or _tag_list(line):
        return "hashtags"
    if timestamp_of(line):
        return "timestamp"
    if len(line) > 300 or line.count(" ") > 30:  # running text, not a furniture line
        return None
    p = phrases()
    bare = _bare(line)
    if bare in p.share or _all_share_words(_after_label(line, p.share), p.share):
        return "share"
    folded = fold(line)
    if any(folded.startswith(c) for c in p.anti_spam) or "akismet" in folded:
        return "anti-spam"
    if re.search(r"\b(anti-?spam|spam)\b", folded) and len(line.split()) <= 25:
        return "anti-spam"
    short = len(line.split()) <= 30
    if any(bare == c or (folded.startswith(c) and short) for c in p.comments):
        return "comments"
    if short and any(folded.startswith(c) or folded.startswith("© " + c) for c in p.legal):
        return "other"
    if bare in p.navigation or _breadcrumb(line):
        return "navigation"
    return None


def _tag_list(line: str) -> bool:
    """ "Теги: Польша, выборы, Туск" — a labelled, comma-separated list of short tags."""
    split = split_label(line, phrases().tag_labels)
    if split is None or not split[1]:
        return False
    items = [x.strip() for x in split[1].split(",")]
    return all(0 < len(x.split()) <= 4 for x in items)


def _after_label(line: str, share: frozenset[str]) -> str:
    """ "Partager : Facebook | Twitter" -> "Facebook | Twitter" when the label is a share word."""
    head, sep, rest = line.partition(":")
    return rest if sep and fold(head).strip() in share else line


def _all_share_words(line: str, share: frozenset[str]) -> bool:
    parts = [fold(x).strip() for x in re.split(r"[|•·,/]|\s{2,}", line) if x.strip()]
    return len(parts) >= 2 and all(x in share for x in parts)


def _breadcrumb(line: str) -> bool:
    parts = [x.strip() for x in re.split(r"\s[>›»/|·•]\s", line)]
    return len(parts) >= 3 and all(0 < len(x.split()) <= 3 for x in parts)


def split_label(line: str, labels: tuple[str, ...]) -> tuple[str, str] | None:
    """Split a lead-in label ("Source:", "Джерело:") from the rest of the line.

    Returns (label as written, rest) or None when the line does not start with one of ``labels``.
    """
    m = re.match(r"^\s*([^\W\d_][\w '’-]{0,30}?)\s*:\s*(.*)$", line, re.UNICODE | re.DOTALL)
    if not m:
        return None
    if fold(m.group(1)) in labels:
        return m.group(1) + ":", m.group(2).strip()
    return None
