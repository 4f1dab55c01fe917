"""Event-coding accuracy on the ``events`` JSONL format, so event figures mean the same everywhere.

Each record is one text with gold PLOVER events (``type``, ``actor_text``, ``recipient_text``). The
text is run through :func:`wiretrace.stages.events.stage.extract_events` and scored as follows.

* **type accuracy** = share of gold events for which a predicted event of the same type exists in
  the same text. Matching is greedy in gold order and one-to-one: a prediction matches at most one
  gold event; among same-type predictions the one whose actor overlaps best is taken first.
* **precision** = matched predictions / ``n_pred`` (every predicted event counts, whatever its
  auxiliary mode, since the gold marks stated intentions and refusals as events too).
* **actor (recipient) match** = among type-matched gold events, the share whose predicted actor
  (recipient) text *overlaps* the gold text. Overlap is defined on accent- and case-folded text
  (:func:`wiretrace.textutil.fold`): the two strings overlap when one contains the other, or when
  they share a content token, a token being a run of letters or digits of two or more characters
  that is not a function word (articles, prepositions, conjunctions of English and French). When a
  side has several participants their texts are compared pairwise and any overlap counts; a gold
  ``null`` (or empty) actor or recipient matches only an empty prediction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..model import Article, Event
from ..textutil import fold

_TOKEN = re.compile(r"[^\W_]{2,}")
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "an",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "its",
        "his",
        "her",
        "their",
        "de",
        "la",
        "le",
        "les",
        "des",
        "du",
        "et",
        "en",
        "au",
        "aux",
        "un",
        "une",
        "sur",
        "par",
        "pour",
        "avec",
        "dans",
    ]
)


def content_tokens(text: str) -> set[str]:
    """Folded content tokens of ``text`` (the unit of the overlap test)."""
    return {t for t in _TOKEN.findall(fold(text)) if t not in _FUNCTION_WORDS}


def overlaps(predicted: Sequence[str], gold: str | None) -> bool:
    """Whether predicted participant texts overlap the gold text (see the module docstring)."""
    gold_parts = [g for g in (gold or "").split(";") if g.strip()]
    preds = [p for p in predicted if p.strip()]
    if not gold_parts:
        return not preds
    for g in gold_parts:
        fg = fold(g.replace("...", " "))
        tg = content_tokens(g)
        for p in preds:
            fp = fold(p)
            if fg and fp and (fg in fp or fp in fg):
                return True
            if tg & content_tokens(p):
                return True
    return False


def _texts(parts: Sequence[Any]) -> list[str]:
    return [p.text for p in parts]


def score_record(gold: Sequence[dict[str, Any]], pred: Sequence[Event]) -> dict[str, int]:
    """Counts for one text: gold, predicted, type-matched, actor-matched, recipient-matched."""
    free = list(range(len(pred)))
    matched = actor_ok = recip_ok = 0
    for g in gold:
        same = [i for i in free if pred[i].type == g.get("type")]
        if not same:
            continue
        best = max(same, key=lambda i: overlaps(_texts(pred[i].actors), g.get("actor_text")))
        free.remove(best)
        matched += 1
        actor_ok += overlaps(_texts(pred[best].actors), g.get("actor_text"))
        recip_ok += overlaps(_texts(pred[best].recipients), g.get("recipient_text"))
    return {
        "n_gold": len(gold),
        "n_pred": len(pred),
        "matched": matched,
        "actor": actor_ok,
        "recipient": recip_ok,
    }


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def evaluate(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Score the event coder on ``records`` of the events format; returns the issue's keys."""
    from ..stages.events.stage import extract_events

    totals = {"n_gold": 0, "n_pred": 0, "matched": 0, "actor": 0, "recipient": 0}
    for n, rec in enumerate(records):
        article = Article(
            id=str(rec.get("id", n)),
            title="",
            body=str(rec.get("text", "")),
            language=rec.get("lang") or "en",
        )
        counts = score_record(rec.get("events") or [], extract_events(article))
        for key, val in counts.items():
            totals[key] += val
    return {
        "type_accuracy": _ratio(totals["matched"], totals["n_gold"]),
        "precision": _ratio(totals["matched"], totals["n_pred"]),
        "actor_match": _ratio(totals["actor"], totals["matched"]),
        "recipient_match": _ratio(totals["recipient"], totals["matched"]),
        "n_gold": totals["n_gold"],
        "n_pred": totals["n_pred"],
        "n_matched": totals["matched"],
        "n_records": len(records),
    }
