"""Re-reading inputs already stored costs cleaning and a lookup: no model, stage or story work."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from wiretrace import nlp
from wiretrace.corpus import update_stories
from wiretrace.ingest import ingest
from wiretrace.pipeline import Pipeline, Stage
from wiretrace.stages.clean import language
from wiretrace.store import open_store
from wiretrace.stories import embed


def _refuse(what: str):  # type: ignore[no-untyped-def]
    def refuse(*_a: object, **_k: object) -> object:
        raise AssertionError(f"{what} was used for an input that is already stored")

    return refuse


def test_an_unchanged_page_loads_no_model_and_places_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = str(FIXTURES / "en_page.html")
    tag = Stage("mark", "mark.v1", ("body",), ("tags",), lambda a: a)
    store = open_store(db_path)
    first = ingest([page], store, pipeline=Pipeline((tag,)))
    assert first.new == 1
    update_stories(store, first.ids)

    # Counted, not refused: cleaning takes a failed identification for "identify it later".
    identified: list[object] = []
    monkeypatch.setattr(language, "detect", lambda *a, **_k: identified.append(a) or "en")
    monkeypatch.setattr(nlp, "pipeline", _refuse("a spaCy pipeline"))
    monkeypatch.setattr(embed, "_encoder", _refuse("the USE encoder"))
    monkeypatch.setattr(Stage, "_run", _refuse("a document stage"))
    again = ingest([page], store, pipeline=Pipeline((tag,)))
    assert (again.new, again.unchanged) == (0, 1)
    assert again.ids == first.ids
    assert identified == []  # its language is identified only when a page is new
    report = update_stories(store, again.ids)
    assert report.added == 0 and report.touched == []
    store.close()
