"""The quotes stage gives the same quotes whatever the process's string-hash seed.

Worker processes run with hash seeds of their own, so any dependence on set or dict iteration
order makes ``--workers N`` differ from one process. The texts (written here) put two reporting
verbs in one sentence, both able to claim the same content, in languages read by the lexical
finder, where the cue forms are a set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

TEXTS = [
    (
        "es",
        "«No habrá recortes en educación», dijo la ministra, que explicó que el plan sigue adelante. "
        "El alcalde aseguró y repitió después que las obras terminarán en marzo, según informó el "
        "ayuntamiento, que añadió que el presupuesto está cerrado.",
    ),
    (
        "de",
        "Der Sprecher sagte, der Minister habe erklärt, dass die Verhandlungen weitergehen. "
        "„Wir bleiben im Gespräch“, sagte sie und betonte, dass ein Abkommen möglich sei.",
    ),
    (
        "uk",
        "Міністр заявив журналістам і наголосив, що переговори тривають. «Ми не відступимо», "
        "– сказала вона, додавши, що рішення ухвалять до кінця тижня.",
    ),
    (
        "ru",
        "Губернатор сообщил и подчеркнул, что эвакуация завершена. «Угрозы больше нет», — сказал "
        "он, добавив, что жители могут вернуться домой.",
    ),
    (
        "pl",
        "Rzecznik powiedział i dodał, że rozmowy będą kontynuowane. „Nie ma zagrożenia”, "
        "powiedziała ministra, która zapewniła, że sytuacja jest pod kontrolą.",
    ),
]

_SCRIPT = """
import json, sys
from wiretrace.model import Article
from wiretrace.stages.quotes.stage import extract_quotes
out = []
for lang, text in json.load(sys.stdin):
    qs = extract_quotes(Article(id="h", title="", body=text, language=lang))
    out.append([[q.start, q.end, q.kind, q.cue, q.speaker.text, q.speaker.source_type] for q in qs])
print(json.dumps(out, ensure_ascii=False))
"""


def _run(seed: str) -> list[object]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        input=json.dumps(TEXTS),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=600,
    )
    out: list[object] = json.loads(done.stdout)
    return out


def test_quotes_do_not_depend_on_the_hash_seed() -> None:
    first = _run("1")
    assert any(first), "the texts should give quotes"
    for seed in ("2", "3"):
        assert _run(seed) == first, f"PYTHONHASHSEED={seed} gives other quotes than 1"
