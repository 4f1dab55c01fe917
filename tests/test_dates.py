"""Dates: resolution against publication, per-language patterns and the guards against noise."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiretrace.model import Article
from wiretrace.stages.dates import STAGE_DATES, extract_dates

SHARED = Path(__file__).parents[1] / ".." / "shared"
PUB = "2023-10-04T11:35:21"


def _values(text: str, lang: str, published: str | None = PUB) -> dict[str, tuple[str, str]]:
    return {d.text: (d.value, d.granularity) for d in extract_dates(text, lang, published)}


def _seed_body() -> str:
    page = SHARED / "seeds" / "000_2df298d6ec244cd0.txt"
    if not page.is_file():
        pytest.skip("../shared is not available")
    paras = [p.strip() for p in page.read_text(encoding="utf-8").split("\n\n")]
    first = next(i for i, p in enumerate(paras) if p.startswith("De hauts"))
    last = next(i for i, p in enumerate(paras) if p.startswith("Découvrez"))
    return "\n\n".join(p for p in paras[first : last + 1] if not p.startswith("Source:"))


def test_dates_reference_page_resolves_days_month_and_durations() -> None:
    body = _seed_body()
    art = Article(id="seed", title="", body=body, language="fr", published=PUB)
    out = next(iter(STAGE_DATES([art])))
    by_value = {d.value: d for d in out.dates}
    assert by_value["2023-09-17"].granularity == "day"
    assert by_value["2023-09-17"].text.endswith("17 septembre")
    assert by_value["2023-09-19"].granularity == "day"
    assert by_value["2022-02"].granularity == "month"
    assert by_value["P9M"].granularity == "duration"
    assert by_value["P9M"].text == "neuf mois"
    assert by_value["PT24H"].text == "24 heures"
    for d in out.dates:
        assert body[d.start : d.end] == d.text
        assert d.evidence is not None and d.evidence.stage == "dates.v1"
        assert d.evidence.start <= d.start < d.end <= d.evidence.end
    # No date may fall after publication on this page: nothing in it is about the future.
    assert all(d.value[:10] <= "2023-10-04" for d in out.dates if d.granularity != "duration")
    assert out.analysis.stages["dates"] == "dates.v1"
