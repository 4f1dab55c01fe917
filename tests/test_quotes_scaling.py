"""Speaker search is linear in the length of a sentence (issue 13: no step quadratic).

Each shape is timed at n and 4n in the same test, in CPU seconds of this process (the best of
two runs each): a linear step takes about 4 times as long, a quadratic one 16 times. Before the
fix a 2,000-word speaker phrase took 97 s (each function word rescanned the words after it)
and a sentence of 1,200 cues 3.4 s (each cue looked back to the sentence start).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from wiretrace.model import Article
from wiretrace.stages.quotes.stage import extract_quotes

SHAPES: dict[str, tuple[str, int, Callable[[int], str]]] = {
    # a long noun phrase before the cue: the speaker span itself is long
    "en_long_speaker": ("en", 120, lambda n: "The " + "very " * n + "senior minister said that "
                        "talks would go on."),
    "uk_long_speaker": ("uk", 2000, lambda n: "Дуже " * n + "високий міністр заявив, що "
                        "переговори тривають."),
    # many cues in one sentence, parsed (en, fr) and read by the lexical rules (uk, de)
    "en_many_cues": ("en", 100, lambda n: "Officials said that " + "the minister said that " * n
                     + "talks would go on."),
    "uk_many_cues": ("uk", 1000, lambda n: "Посадовці заявили, що " + "міністр заявив, що " * n
                     + "переговори тривають."),
    "de_many_cues": ("de", 1000, lambda n: "Beamte sagten, dass " + "der Minister sagte, dass "
                     * n + "die Gespräche weitergehen."),
    "uk_run_on": ("uk", 1000, lambda n: "міністр заявив " * n + "переговори тривають."),
    # a title-case line: each capitalised word asked whether its sentence is a headline
    "en_title_case": ("en", 300, lambda n: "The " + "Great Minister " * n + "Says Talks Go On."),
    "en_according": ("en", 100, lambda n: "Talks go on, according to " + "the minister and " * n
                     + "his aides."),
}  # fmt: skip


def _cpu(text: str, lang: str) -> float:
    best = float("inf")
    for _ in range(2):
        art = Article(id="x", title="Talks", body=text, language=lang)
        t0 = time.process_time()
        extract_quotes(art)
        best = min(best, time.process_time() - t0)
    return best


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_speaker_search_time_grows_linearly_with_the_sentence(shape: str) -> None:
    lang, n, make = SHAPES[shape]
    extract_quotes(Article(id="w", title="Talks", body=make(2), language=lang))  # load models
    small, large = _cpu(make(n), lang), _cpu(make(4 * n), lang)
    ratio = large / max(small, 1e-6)
    # 4x the text: ~4x the time when linear, ~16x when quadratic; generous for timer noise.
    assert ratio < 9, f"{shape}: {small:.3f} s at n={n}, {large:.3f} s at 4n (x{ratio:.1f})"
