"""Is a report a translation of an earlier one in another language?

Whole-document vectors cannot tell: two independent reports of one event sit as close together
as a text and its translation (on the demo corpus, independent reports reach a cosine of 0.89,
translations 0.81 to 0.87). What a translation keeps is the structure of its source, so two
signals look at structure:

* **paragraph alignment**: every paragraph's vector (multilingual USE, pooled from its
  sentences: :meth:`.embed._Memoised.joined`), then the best
  alignment that keeps reading order and uses each paragraph once, counting only pairs with a
  cosine of at least :data:`PARA_COSINE`; the summed cosine is divided by the longer text's
  paragraph count, so a translation scores near its mean paragraph cosine and a report that
  tells the story its own way scores low;
* **cue order**: the names (registry ids where the registry knows them, else transliterated
  keys), figures, months and weekdays of each text in reading order, compared as sequences.
  It works in every script, which matters because USE v3 was not trained on Ukrainian,
  Belarusian and several other languages, whose paragraph vectors are weak.

When USE covers both languages the two signals are averaged, otherwise cue order decides alone;
a score of :data:`TRANSLATED` or more, with a comparable length, makes a translation. On the
demo corpus the five translations score 0.62 to 0.76 and the 80 other cross-language pairs of
a story at most 0.48 (0.45 where USE covers both languages); the hand-written pair of
``tests/test_translation.py`` scores 0.65 against 0.15 for an independent report.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import OrderedDict
from difflib import SequenceMatcher

import numpy as np
import numpy.typing as npt

from ..textutil import fold
from .cues import _calendar_words, _number_value, at_sentence_start, name_key
from .embed import DIM

PARA_MIN_CHARS = 25  # shorter lines (datelines, captions) are not paragraphs
MAX_PARAS = 40  # bounded cost per article
PARA_COSINE = 0.6  # paragraphs this close can be a paragraph and its translation
TRANSLATED = 0.55  # score from which a text is taken as a translation
# Languages the multilingual USE v3 was trained on (its model card); others embed poorly.
USE_LANGUAGES = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
MIN_LENGTH_RATIO, MAX_LENGTH_RATIO = 0.6, 1.7  # characters, translation / source

_TOKEN = re.compile(r"\d[\d.,\u00a0\u202f ]*\d|\d|[^\W\d_][\w'’-]*", re.UNICODE)


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs (one per line), datelines and scraps left out."""
    out = [p.strip() for p in body.splitlines() if len(p.strip()) >= PARA_MIN_CHARS]
    return out[:MAX_PARAS]


# Paragraph vectors by body key, most recently used last; bounded, as bodies are large.
_VECTORS: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
_VECTORS_KEPT = 512
_fresh: dict[str, npt.NDArray[np.float32]] = {}  # computed here and not yet stored
# Vectors computed where the articles were analysed (a worker process), as float16 bytes by body
# key, waiting to be used here: bounded, as most are never asked for (see :func:`offer`).
_OFFERED: OrderedDict[str, bytes] = OrderedDict()
_OFFERED_KEPT = 4096


def body_key(body: str) -> str:
    """The key paragraph vectors are kept and stored under (a hash of the body)."""
    return hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest()


def _keep(key: str, vecs: npt.NDArray[np.float32]) -> None:
    _VECTORS[key] = vecs
    _VECTORS.move_to_end(key)
    while len(_VECTORS) > _VECTORS_KEPT:
        _VECTORS.popitem(last=False)


def remember(stored: dict[str, npt.NDArray[np.float32]]) -> None:
    """Make vectors read back from the store available, so they are not computed again."""
    for key, vecs in stored.items():
        _keep(key, vecs)


def offer(vectors: dict[str, bytes]) -> None:
    """Paragraph vectors computed where the articles were analysed (:func:`shipped`), so the
    process placing stories never embeds a paragraph the workers have read. One used is kept
    and stored as if computed here (:func:`take_fresh`); the others are forgotten, oldest
    first, once :data:`_OFFERED_KEPT` wait."""
    for key, blob in vectors.items():
        _OFFERED[key] = blob
        _OFFERED.move_to_end(key)
    while len(_OFFERED) > _OFFERED_KEPT:
        _OFFERED.popitem(last=False)


def shipped(body: str) -> tuple[str, bytes]:
    """The body's key and paragraph vectors as float16 bytes, for :func:`offer` in another
    process (computed as :func:`paragraph_vectors` does, nothing kept here)."""
    key = body_key(body)
    hit = _VECTORS.get(key)
    vecs = hit if hit is not None else _computed(body)
    return key, vecs.astype(np.float16).tobytes()


def take_fresh() -> dict[str, npt.NDArray[np.float32]]:
    """Vectors computed since the last call (for the caller to store), and forget the list."""
    out = dict(_fresh)
    _fresh.clear()
    return out


def paragraph_vectors(body: str) -> npt.NDArray[np.float32]:
    """Unit USE vectors of the body's paragraphs, computed once per body (a story compares each
    report often, and stored vectors are reused across runs through :func:`remember`), or
    taken from those a worker computed (:func:`offer`)."""
    key = body_key(body)
    hit = _VECTORS.get(key)
    if hit is not None:
        _VECTORS.move_to_end(key)
        return hit
    blob = _OFFERED.pop(key, None)
    if blob and len(blob) % (2 * DIM) == 0:
        vecs = np.frombuffer(blob, dtype=np.float16).reshape(-1, DIM).astype(np.float32)
    else:
        vecs = _computed(body)
    _keep(key, vecs)
    _fresh[key] = vecs
    return vecs


def _computed(body: str) -> npt.NDArray[np.float32]:
    """The body's paragraph vectors, embedded (mostly pooled from sentences already embedded),
    rounded to float16 as they are stored."""
    from .embed import _encoder, sentence_texts

    paras = paragraphs(body) or [body[:500] or " "]
    # Pooled from the sentences' token sums, as if each paragraph were embedded whole: the
    # sentences were mostly embedded already, by the event classifier and the story vectors.
    vecs = np.asarray(_encoder().joined([sentence_texts(p) or [p] for p in paras]), np.float32)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
    # Rounded as they are stored, so a story reads the same whether computed now or read back.
    out: npt.NDArray[np.float32] = vecs.astype(np.float16).astype(np.float32)
    return out


def alignment(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
    """Order-keeping alignment score in 0..1 of two texts' paragraph vectors."""
    sims = a @ b.T
    weights = np.where(sims >= PARA_COSINE, sims, 0.0)
    m, n = weights.shape
    best = np.zeros((m + 1, n + 1))
    for i in range(1, m + 1):
        row, prev = best[i], best[i - 1]
        for j in range(1, n + 1):
            row[j] = max(prev[j], row[j - 1], prev[j - 1] + weights[i - 1, j - 1])
    return float(best[m, n] / max(m, n, 1))


def paragraph_alignment(src_body: str, dst_body: str) -> float:
    """How well the paragraphs of two texts align in order (see :func:`alignment`)."""
    return alignment(paragraph_vectors(src_body), paragraph_vectors(dst_body))


@functools.lru_cache(maxsize=256)  # keyed by whole bodies: keep the cache small
def cue_sequence(text: str, lang: str | None = None) -> tuple[str, ...]:
    """Names, figures, months and weekdays of a text in reading order, the same in any language."""
    from ..registry.actors import find_actor

    months, weekdays = _calendar_words(lang or "en")
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        low = fold(tok)
        if low in months:
            out.append(f"m{months[low]}")
        elif low in weekdays:
            out.append(f"d{weekdays[low]}")
        elif tok[0].isdigit():
            value = _number_value(tok.strip())
            if len(value.replace(".", "")) >= 2:
                out.append("#" + value)
        elif tok[0].isupper():
            entry = find_actor(tok)
            if entry is not None:
                out.append("@" + entry.key)
            elif not at_sentence_start(text, m.start()):  # "The", "Le", "Der" are grammar
                out.append(name_key(tok))
    return tuple(out)


def cue_order(
    src_body: str, dst_body: str, src_lang: str | None = None, dst_lang: str | None = None
) -> float:
    """Similarity in 0..1 of the two texts' name-and-figure sequences."""
    a, b = cue_sequence(src_body, src_lang), cue_sequence(dst_body, dst_lang)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def translation_score(
    src_body: str, dst_body: str, src_lang: str | None, dst_lang: str | None
) -> tuple[float, str]:
    """Score in 0..1 that ``dst`` translates ``src``, and a note on how it was measured."""
    order = cue_order(src_body, dst_body, src_lang, dst_lang)
    if src_lang in USE_LANGUAGES and dst_lang in USE_LANGUAGES:
        aligned = paragraph_alignment(src_body, dst_body)
        return (order + aligned) / 2, f"cue order {order:.2f}, paragraph alignment {aligned:.2f}"
    return order, f"cue order {order:.2f}"


def comparable_length(src_body: str, dst_body: str) -> bool:
    """A translation keeps roughly its source's length (in characters)."""
    ratio = (len(dst_body) + 1) / (len(src_body) + 1)
    return MIN_LENGTH_RATIO <= ratio <= MAX_LENGTH_RATIO
