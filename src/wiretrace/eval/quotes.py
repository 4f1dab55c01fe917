"""Quote-extraction accuracy, scored the way the Gender Gap Tracker scores it so figures compare.

A predicted quote matches a gold quote when the share of the gold content span's characters that
the predicted content span covers exceeds a threshold (0.3 and 0.8); matching is greedy and
one-to-one. Speaker accuracy is the share of matched pairs (at 0.3) whose predicted speaker span
overlaps the gold one, a gold ``null`` speaker counting as right when nothing was predicted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Quote

THRESHOLDS: tuple[float, ...] = (0.3, 0.8)

Range = tuple[int, int]


@dataclass(frozen=True)
class Pred:
    """One predicted quote as character ranges of the record text (speaker may be absent)."""

    content: Range
    speaker: Range | None
    # where the person a pronoun or role-noun speaker stands for is named: gold sets that mark
    # the named person ("сказал он" -> Антон Силуанов) and sets that mark the pronoun both count
    named: Range | None = None


def coverage(gold: Range, pred: Range) -> float:
    """Share of the gold range's characters that the predicted range covers."""
    size = gold[1] - gold[0]
    if size <= 0:
        return 0.0
    inter = min(gold[1], pred[1]) - max(gold[0], pred[0])
    return max(0, inter) / size


def speaker_right(gold: Range | None, pred: Range | None, named: Range | None = None) -> bool:
    """Does the predicted speaker agree with the gold one (overlap, or both absent)?

    ``named``: the mention a pronoun or role-noun speaker was resolved to, which agrees too.
    """
    if gold is None:
        return pred is None and named is None
    return any(r is not None and min(gold[1], r[1]) > max(gold[0], r[0]) for r in (pred, named))


def match(
    golds: Sequence[Range], preds: Sequence[Range], threshold: float
) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (gold index, pred index), best coverage first.

    Taking the highest-coverage pairs first keeps a long prediction from being spent on a gold
    quote it barely touches when another gold quote needs it more.
    """
    cands: list[tuple[float, int, int]] = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            cov = coverage(g, p)
            if cov > threshold:
                cands.append((cov, gi, pi))
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def _prf(matched: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = matched / n_pred if n_pred else 0.0
    r = matched / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _range(value: Any) -> Range | None:
    if value is None:
        return None
    return (int(value[0]), int(value[1]))


def predict(text: str, lang: str) -> list[Pred]:
    """Run the extractor on a bare text (no publication date) and keep the scored spans.

    Entities are found first, as the pipeline does: pronouns and role nouns resolve to the
    persons they name.
    """
    from ..model import Article
    from ..stages.entities.stage import STAGE_ENTITIES
    from ..stages.quotes.stage import extract_quotes

    article = STAGE_ENTITIES.fn(Article(id="eval", title="", body=text, language=lang))
    return [pred_of(q) for q in extract_quotes(article)]


def pred_of(quote: Quote) -> Pred:
    """The scored spans of one extracted quote."""
    sp = quote.speaker
    spk = (sp.start, sp.end) if sp.start is not None and sp.end is not None else None
    named = (
        (sp.named_start, sp.named_end)
        if sp.named_start is not None and sp.named_end is not None
        else None
    )
    return Pred((quote.start, quote.end), spk, named)


def score(records: Sequence[dict[str, Any]], preds: Sequence[Sequence[Pred]]) -> dict[str, Any]:
    """Metrics for given predictions, one list per record (kept apart from the extractor for tests)."""
    n_gold = sum(len(r.get("quotes") or []) for r in records)
    n_pred = sum(len(p) for p in preds)
    out: dict[str, Any] = {}
    spk_ok = spk_n = 0
    for th in THRESHOLDS:
        matched = 0
        for rec, pr in zip(records, preds, strict=True):
            gq = rec.get("quotes") or []
            golds = [_range(q["content"]) or (0, 0) for q in gq]
            pairs = match(golds, [p.content for p in pr], th)
            matched += len(pairs)
            if th == THRESHOLDS[0]:
                for gi, pi in pairs:
                    spk_n += 1
                    gold = _range(gq[gi].get("speaker"))
                    spk_ok += speaker_right(gold, pr[pi].speaker, pr[pi].named)
        p, r, f = _prf(matched, n_pred, n_gold)
        out[f"p_{th}"] = round(p, 4)
        out[f"r_{th}"] = round(r, 4)
        out[f"f1_{th}"] = round(f, 4)
    out["speaker_accuracy"] = round(spk_ok / spk_n, 4) if spk_n else 0.0
    out["n_gold"] = n_gold
    out["n_pred"] = n_pred
    return out


def evaluate(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Run the quote extractor on every record (in the record's language) and score it."""
    preds = [predict(str(r["text"]), str(r.get("lang") or "en")) for r in records]
    return score(records, preds)
