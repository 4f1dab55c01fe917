"""Scoring one text's predicted events against its gold events (the rules in :mod:`.events`'s
docstring): greedy one-to-one matching by type, actor and recipient overlap on folded text, and
the figures of a whole file (by type, by language, false alarms on records with no event).
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


def _article(n: int, rec: dict[str, Any]) -> Article:
    return Article(
        id=str(rec.get("id", n)),
        title="",
        body=str(rec.get("text", "")),
        language=rec.get("lang") or "en",
    )


def _breakdown(
    records: Sequence[dict[str, Any]], predicted: Sequence[Sequence[Event]]
) -> dict[str, Any]:
    """Type accuracy by gold type and by language, and false alarms on records with no event."""
    by_type: dict[str, list[int]] = {}
    by_lang: dict[str, list[int]] = {}
    empty = alarms = 0
    for rec, pred in zip(records, predicted, strict=True):
        gold = rec.get("events") or []
        if not gold:
            empty += 1
            alarms += bool(pred)
        lang = by_lang.setdefault(str(rec.get("lang") or "en"), [0, 0])
        for typ in sorted({str(g.get("type")) for g in gold}):
            same = [g for g in gold if g.get("type") == typ]
            hit = score_record(same, pred)["matched"]
            row = by_type.setdefault(typ, [0, 0])
            row[0] += len(same)
            row[1] += hit
            lang[0] += len(same)
            lang[1] += hit
    return {
        "by_type": {t: {"gold": g, "matched": m} for t, (g, m) in sorted(by_type.items())},
        "by_lang": {t: {"gold": g, "matched": m} for t, (g, m) in sorted(by_lang.items())},
        "no_event_records": empty,
        "false_alarm_records": alarms,
    }


def _scored(
    records: Sequence[dict[str, Any]], predicted: Sequence[Sequence[Event]]
) -> dict[str, Any]:
    """The issue's figures of ``predicted`` (one event list per record) against the gold.

    Records converted from CASE 2021 snippets are scored apart (:mod:`.events_case`): alone in
    the file, their figures are the result; beside PLOVER records, they go under ``case2021``.
    """
    case = [i for i, rec in enumerate(records) if "label" in rec]
    plover = [i for i in range(len(records)) if "label" not in records[i]]
    out: dict[str, Any] = {}
    if case:
        from .events_case import case_figures

        out = case_figures(
            [records[i] for i in case],
            [predicted[i] for i in case],
            [score_record(records[i]["events"], predicted[i])["matched"] for i in case],
        )
        if not plover:
            return {"format": "case2021", **out}
    totals = {"n_gold": 0, "n_pred": 0, "matched": 0, "actor": 0, "recipient": 0}
    for i in plover:
        _add(totals, score_record(records[i].get("events") or [], predicted[i]))
    recs, preds = [records[i] for i in plover], [predicted[i] for i in plover]
    figures = {**_metrics(totals, len(recs)), **_breakdown(recs, preds)}
    return {**figures, "case2021": out} if case else figures


def _metrics(totals: dict[str, int], n_records: int) -> dict[str, Any]:
    return {
        "type_accuracy": _ratio(totals["matched"], totals["n_gold"]),
        "precision": _ratio(totals["matched"], totals["n_pred"]),
        "actor_match": _ratio(totals["actor"], totals["matched"]),
        "recipient_match": _ratio(totals["recipient"], totals["matched"]),
        "n_gold": totals["n_gold"],
        "n_pred": totals["n_pred"],
        "n_matched": totals["matched"],
        "n_records": n_records,
    }


def _add(totals: dict[str, int], counts: dict[str, int]) -> None:
    for key, val in counts.items():
        totals[key] = totals.get(key, 0) + val
