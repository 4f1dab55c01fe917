"""The shared pymorphy3 analyser: one dictionary load per language and process, every stage."""

from __future__ import annotations

import threading

import pymorphy3
import pytest

from wiretrace import nlp


def test_every_stage_reads_russian_and_ukrainian_through_one_analyser_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wiretrace.stages.entities.linking import lemmas
    from wiretrace.stages.events import agents, scope, stems
    from wiretrace.stages.quotes.morph import lemma

    loads: list[str] = []
    real = pymorphy3.MorphAnalyzer

    def counting(lang: str) -> object:
        loads.append(lang)
        return real(lang=lang)

    monkeypatch.setattr(nlp, "_analysers", {})
    monkeypatch.setattr(pymorphy3, "MorphAnalyzer", lambda lang: counting(lang))
    for lang, word in (("ru", "Переговоры"), ("uk", "Переговори")):
        stems.stem_of(lang, word.lower(), noun=True)
        agents._animate.__wrapped__(word, lang)
        scope._adjective(word, lang)
        lemma(word, lang)
        lemmas.__wrapped__(word, lang)
    assert sorted(loads) == ["ru", "uk"]


def test_threads_asking_at_once_share_one_load(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[str] = []
    real = pymorphy3.MorphAnalyzer
    monkeypatch.setattr(nlp, "_analysers", {})
    monkeypatch.setattr(
        pymorphy3, "MorphAnalyzer", lambda lang: loads.append(lang) or real(lang=lang)
    )
    got: list[object] = []
    threads = [
        threading.Thread(target=lambda: got.append(nlp.morph_analyser("ru"))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert loads == ["ru"] and len({id(a) for a in got}) == 1
