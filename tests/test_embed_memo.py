"""One embedding per text per process: the vector memo every USE caller goes through, and
document vectors built from sentences the event classifier has usually embedded already."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from wiretrace.stories import embed


class _Counting:
    """A stand-in encoder that records what it is asked to embed (a vector per text)."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.asked.extend(texts)
        out = np.zeros((len(texts), embed.DIM), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, hash(t) % embed.DIM] = 1.0
        return out


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Counting]:
    model = _Counting()
    memoised = embed._Memoised(model)
    monkeypatch.setattr(embed, "_encoder", lambda: memoised)
    embed.clear_memo()
    yield model
    embed.clear_memo()


def test_sentences_split_at_line_breaks_and_sentence_ends_not_abbreviations() -> None:
    body = (
        "The U.S. Bank branch closed on Dec. 31 at noon. Police came!\n"
        "M. Dupont a parlé. « Non », a-t-il dit.\n\n"
        "Smith, J. said it was over. 3 people were hurt."
    )
    assert embed.sentences(body) == [
        "The U.S. Bank branch closed on Dec. 31 at noon.",
        "Police came!",
        "M. Dupont a parlé.",
        "« Non », a-t-il dit.",
        "Smith, J. said it was over.",
        "3 people were hurt.",
    ]


def test_a_text_is_embedded_once_per_process(counting: _Counting) -> None:
    first = embed._encoder().encode(["Troops crossed the river.", "Talks resumed."])
    again = embed._encoder().encode(["Talks resumed.", "Talks resumed.", "A new sentence."])
    assert counting.asked == ["Troops crossed the river.", "Talks resumed.", "A new sentence."]
    assert np.array_equal(again[0], first[1]) and np.array_equal(again[1], first[1])


def test_document_vectors_reuse_sentence_vectors(counting: _Counting) -> None:
    lead_text = "Troops crossed the river on Monday, the ministry said in a statement. " * 6
    later = ["Talks resumed in Geneva on Tuesday.", "The ceasefire held through the night."]
    body = lead_text.strip() + "\n" + " ".join(later)
    embed._encoder().encode([later[1]])  # the event classifier read this sentence already
    counting.asked.clear()
    lead, mean = embed.embed_documents([("Ceasefire holds", body)])
    # Title and lead as one text (as ever), the rest of the sentence the lead cut, then only
    # the later sentence not embedded before.
    assert counting.asked[0].startswith("Ceasefire holds. Troops crossed the river")
    assert counting.asked[1:] == ["said in a statement.", later[0]]
    assert lead.shape == mean.shape == (1, embed.DIM)
    assert np.isclose(np.linalg.norm(mean[0]), 1.0) and np.isclose(np.linalg.norm(lead[0]), 1.0)
    assert not np.allclose(lead, mean)


def test_document_vectors_cover_a_bounded_prefix(counting: _Counting) -> None:
    sentence = "The council met again today to discuss the budget for next year."
    body = " ".join([sentence.replace("again", f"again ({i})") for i in range(200)])
    embed.embed_documents([("Budget", body)])
    embedded = sum(len(t) for t in counting.asked)
    assert embedded < embed.BODY_CHARS + 2 * len(sentence)


def test_placement_runs_blas_on_the_calling_thread_only() -> None:
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from wiretrace.stories.index import one_blas_thread

    def blas_threads() -> list[int]:
        return [
            int(info["num_threads"])
            for info in threadpoolctl.threadpool_info()
            if info.get("user_api") == "blas"
        ]

    if not blas_threads():
        pytest.skip("numpy has no BLAS thread pool here")
    with one_blas_thread():
        assert set(blas_threads()) == {1}
