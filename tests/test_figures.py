"""Figures: values, units, counted nouns and hedges across languages, and what is not a figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wiretrace.model import Article, Figure
from wiretrace.stages.figures import STAGE_FIGURES, extract_figures, parse_number
from wiretrace.textutil import fold

SHARED = Path(__file__).parents[1] / ".." / "shared"


def _seed_body() -> str:
    page = SHARED / "seeds" / "000_2df298d6ec244cd0.txt"
    if not page.is_file():
        pytest.skip("../shared is not available")
    paras = [p.strip() for p in page.read_text(encoding="utf-8").split("\n\n")]
    first = next(i for i, p in enumerate(paras) if p.startswith("De hauts"))
    last = next(i for i, p in enumerate(paras) if p.startswith("Découvrez"))
    return "\n\n".join(p for p in paras[first : last + 1] if not p.startswith("Source:"))


def _matches(fig: Figure, want: dict[str, object]) -> bool:
    if fig.value != want["value"]:
        return False
    for flag in ("approx", "at_least", "unit"):
        if flag in want and getattr(fig, flag) != want[flag]:
            return False
    about = fold(fig.about or "")
    options = [fold(str(a)) for a in want.get("about_any", [])]  # type: ignore[attr-defined]
    return not options or any(a and (a in about or about in a) for a in options)


def test_figures_reference_page_matches_seed_analysis() -> None:
    body = _seed_body()
    spec = json.loads((SHARED / "spec" / "seed-analysis.json").read_text(encoding="utf-8"))
    art = Article(id="seed", title="", body=body, language="fr", published="2023-10-04")
    figures = next(iter(STAGE_FIGURES([art]))).figures
    for want in spec["figures"]:
        assert any(_matches(f, want) for f in figures), want
    for f in figures:
        assert body[f.start : f.end] == f.text
        assert f.evidence is not None and f.evidence.stage == "figures.v1"
    # The 2020 of "l'article de 2020" is a year, not a count.
    assert not any(f.value == 2020 for f in figures)
