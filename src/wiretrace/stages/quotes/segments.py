"""Quoted segments in every quotation-mark convention, and sentences that never split them.

Marks: « », “ ”, " ", „ “, ‚ ‘, ‹ ›, '' '', and dash dialogue lines; a quote may run over
paragraphs when the next paragraph opens again (English style).
"""

from __future__ import annotations

import dataclasses
import re

from wiretrace.stages.quotes.lexicon import Range, strip_range

# Opening mark -> marks that may close it. Straight quotes close themselves.
_PAIRS: dict[str, str] = {
    "“": '”"“',
    "«": "»",
    "„": "“”",
    "‚": "‘’",
    "‹": "›",
    "‘": "’",
    '"': '"”',
    "”": "”",  # some outlets open with a closing mark
}
_OPEN_OK = " \t\n([{—–-:/\u00a0"
# A character that can open a segment: an opening mark, or the first of a pair of apostrophes.
_MARK = re.compile("[" + re.escape("".join(_PAIRS) + "'") + "]")
_DASHES = "—–―-"
_SENT_END = re.compile(r"[.!?…]+[\"”»’')\]]*(?=\s)|\n")
# "Mr.", "Sen.", "U.S.", "G." before a period do not end a sentence.
_ABBREV = re.compile(r"(?:\b[A-ZА-Я]|\.[A-Z])\.$")
MIN_WORDS = 4  # shorter quoted phrases are names, titles or scare quotes unless reported


@dataclasses.dataclass(frozen=True)
class Segment:
    """A stretch of quoted words (marks included) or a dialogue line after a dash."""

    start: int
    end: int
    dialogue: bool = False


def _closes(text: str, i: int) -> bool:
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return not nxt.isalnum()


def quote_segments(text: str) -> list[Segment]:
    """Quoted stretches of ``text`` in every quotation-mark convention, in order."""
    out: list[Segment] = []
    i, n = 0, len(text)
    while i < n:
        mark = _MARK.search(text, i)  # (any other character is passed over below)
        if mark is None:
            break
        i = mark.start()
        c = text[i]
        if c == "'" and text.startswith("''", i) and (i == 0 or text[i - 1] in _OPEN_OK):
            end = text.find("''", i + 2)
            par = text.find("\n", i)
            if end > 0 and (par < 0 or end < par):
                out.append(Segment(i, end + 2))
                i = end + 2
                continue
        closers = _PAIRS.get(c)
        if closers is None or (i > 0 and text[i - 1] not in _OPEN_OK):
            i += 1
            continue
        close = _find_close(text, i, c, closers)
        if close is None:
            i += 1
            continue
        out.append(Segment(i, close))
        i = close
    return out + _dialogue_segments(text, out)


def _find_close(text: str, i: int, opener: str, closers: str) -> int | None:
    """End (exclusive) of the segment opened at ``i``; a quote may run over paragraphs."""
    j = i + 1
    while j < len(text):
        ch = text[j]
        if ch in closers and j > i + 1 and _closes(text, j):
            return j + 1
        if ch == "\n":
            k = j
            while k < len(text) and text[k] in "\n \t":
                k += 1
            # English style: an unclosed quote continues when the next paragraph opens again.
            if k < len(text) and text[k] == opener and k > j:
                j = k + 1
                continue
            end = j
            while end > i + 1 and text[end - 1] in " \t":
                end -= 1
            return end if end - i > 12 and opener not in "'‘‚" else None
        j += 1
    return None


def _dialogue_segments(text: str, marked: list[Segment]) -> list[Segment]:
    """Lines opening with a dash: the words up to the dash before the reporting clause."""
    out: list[Segment] = []
    for m in re.finditer(r"(?m)^[ \t]*([—–―]|-(?= ))[ \t]*", text):
        start = m.end()
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        if any(s.start <= start < s.end for s in marked):
            continue
        # Spanish writes "—No —dijo él—", Russian "— Нет, — сказал он": a dash after a blank
        # switches between the quote and the reporting clause.
        # Spanish closes the incise with a dash on its last word: "—dijo Carlos Cuerpo—. Lo …"
        pos = start
        switches = re.finditer(r"\s[—–―]\s?|(?<=\w)[—–―](?=[\s.,;:])", text[start:line_end])
        for k, m2 in enumerate([*switches, None]):
            stop = start + m2.start() if m2 else line_end
            if k % 2 == 0 and text[pos:stop].strip():
                out.append(Segment(pos, pos + len(text[pos:stop].rstrip(" ,")), dialogue=True))
            if m2:
                pos = start + m2.end()
                while pos < line_end and text[pos] in " .,;:":
                    pos += 1
    return out


def sentences(text: str, segs: list[Segment], abbrevs: frozenset[str] = frozenset()) -> list[Range]:
    """Sentence spans that never end inside a quoted segment nor after an abbreviation."""
    out: list[Range] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if any(s.start < m.start() < s.end - 1 for s in segs if not s.dialogue):
            continue
        if _ABBREV.search(text, max(0, m.start() - 5), m.start() + 1):
            continue
        prev = re.search(r"(\w+)\.$", text[max(0, m.start() - 8) : m.start() + 1])
        if prev and prev.group(1).lower() in abbrevs:
            continue
        end = m.end()
        r = strip_range(text, (start, end), " \t\n")
        if r:
            out.append(r)
        start = end
    r = strip_range(text, (start, len(text)), " \t\n")
    if r:
        out.append(r)
    return out
