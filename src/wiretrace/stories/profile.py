"""What the story layer keeps of an article: vectors, a MinHash signature and evidence cues.

A :class:`Profile` is computed once per article (the embedding is the costly part, so profiles are
built in batches) and is all that similarity, candidate retrieval and provenance look at; it is
small enough to persist next to the story tables and to keep in memory for recent articles.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..model import Article
from ..textutil import fold
from . import cues as cues_mod
from .cues import Cues
from .embed import Vector, embed_documents

NUM_PERM = 64  # MinHash permutations: 16 LSH bands of 4 rows
SHINGLE = 3  # words per shingle
_SEED = 1

_WORDS = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Profile:
    """The comparable summary of one article."""

    id: str
    language: str | None
    published: str | None
    outlet: str | None
    length: int  # words in the body, for "no added content" checks
    head: Vector  # title alone: the one line that survives cookie walls and paywalls
    lead: Vector  # title plus the first sentences
    mean: Vector  # title, lead and body chunks averaged
    minhash: npt.NDArray[np.uint64]
    cues: Cues


def shingles(text: str) -> set[str]:
    """Overlapping word 3-grams of the folded text (near-duplicate detection)."""
    words = _WORDS.findall(fold(text))
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def minhash(text: str) -> npt.NDArray[np.uint64]:
    """MinHash signature (datasketch) of the text's shingles."""
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, seed=_SEED)
    mh.update_batch([s.encode("utf-8") for s in shingles(text)])
    return np.asarray(mh.hashvalues, dtype=np.uint64)


def jaccard(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> float:
    """Estimated Jaccard similarity of two shingle sets from their MinHash signatures."""
    return float(np.mean(a == b))


def _title_and_body(article: Article) -> tuple[str, str]:
    """Title and body; a body-only text (eval pairs) uses its first line as title."""
    if article.title.strip():
        return article.title, article.body
    first, _, rest = article.body.strip().partition("\n")
    if rest and len(first) <= 200:
        return first, rest
    return "", article.body


def build(articles: Sequence[Article]) -> list[Profile]:
    """Profiles of several articles, embedding them in one batch."""
    pairs = [_title_and_body(a) for a in articles]
    lead, mean = embed_documents(pairs)
    heads, _ = embed_documents([(t or b[:120], "") for t, b in pairs])
    out: list[Profile] = []
    for i, art in enumerate(articles):
        title, body = pairs[i]
        out.append(
            Profile(
                id=art.id,
                language=art.language,
                published=art.published_utc or art.published,
                outlet=art.outlet.name if art.outlet else None,
                length=len(_WORDS.findall(body)),
                head=heads[i],
                lead=lead[i],
                mean=mean[i],
                minhash=minhash(f"{title}\n{body}"),
                cues=cues_mod.article_cues(art),
            )
        )
    return out


def to_record(p: Profile) -> dict[str, object]:
    """A JSON-able record of a profile, vectors stored as float16 to halve the space."""
    c = p.cues
    return {
        "id": p.id,
        "language": p.language,
        "published": p.published,
        "outlet": p.outlet,
        "length": p.length,
        "cues": {
            "names": dict(c.name_counts),
            "numbers": sorted(c.numbers),
            "years": sorted(c.years),
            "days": sorted(c.days),
            "weekdays": sorted(c.weekdays),
            "times": sorted(c.times),
        },
    }


def vectors_blob(p: Profile) -> bytes:
    """Head, lead and mean vectors plus the MinHash signature as one binary blob."""
    vecs = np.concatenate([p.head, p.lead, p.mean]).astype(np.float16)
    return vecs.tobytes() + p.minhash.astype(np.uint64).tobytes()


def from_record(record: dict[str, object], blob: bytes) -> Profile:
    """Inverse of :func:`to_record` plus :func:`vectors_blob`."""
    dim = 512
    vecs = np.frombuffer(blob[: 3 * dim * 2], dtype=np.float16).astype(np.float32)
    mh = np.frombuffer(blob[3 * dim * 2 :], dtype=np.uint64).copy()
    raw = record["cues"]
    assert isinstance(raw, dict)
    names: dict[str, int] = raw["names"]
    cues = Cues(
        names=frozenset(names),
        numbers=frozenset(raw["numbers"]),
        years=frozenset(raw["years"]),
        days=frozenset(raw["days"]),
        weekdays=frozenset(raw["weekdays"]),
        times=frozenset(raw["times"]),
        name_counts=tuple(sorted(names.items())),
    )
    length = record["length"]
    return Profile(
        id=str(record["id"]),
        language=record["language"] if isinstance(record["language"], str) else None,
        published=record["published"] if isinstance(record["published"], str) else None,
        outlet=record["outlet"] if isinstance(record["outlet"], str) else None,
        length=length if isinstance(length, int) else 0,
        head=vecs[:dim],
        lead=vecs[dim : 2 * dim],
        mean=vecs[2 * dim :],
        minhash=mh,
        cues=cues,
    )


def dumps(p: Profile) -> str:
    """The profile's JSON part as a string (SQLite TEXT column)."""
    return json.dumps(to_record(p), ensure_ascii=False, sort_keys=True)
