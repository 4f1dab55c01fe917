"""What the story layer keeps of an article: vectors, a MinHash signature and evidence cues.

A :class:`Profile` is computed once per article (the embedding is the costly part, so profiles are
built in batches) and is all that similarity, candidate retrieval and provenance look at; it is
small enough to persist next to the story tables and to keep in memory for recent articles.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..model import Article
from ..store.conn import transaction
from ..textutil import fold
from . import cues as cues_mod
from .cues import Cues
from .embed import DIM, Vector, embed_documents

NUM_PERM = 64  # MinHash permutations: 16 LSH bands of 4 rows
SHINGLE = 3  # words per shingle
_SEED = 1

_WORDS = re.compile(r"\w+", re.UNICODE)
# ``text_vectors`` rows of this kind hold an analysed article's (head, lead, mean) vectors as
# float32, keyed by article id, from its analysis until its placement into a story.
PENDING = "document"


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
    """Estimated Jaccard similarity of two shingle sets from their MinHash signatures (the
    share of equal slots: ``np.mean`` of the comparison, at a fifth of its overhead)."""
    if not len(a):
        return float(np.mean(a == b))
    return int(np.count_nonzero(a == b)) / len(a)


def _title_and_body(article: Article) -> tuple[str, str]:
    """Title and body; a body-only text (eval pairs) uses its first line as title."""
    if article.title.strip():
        return article.title, article.body
    first, _, rest = article.body.strip().partition("\n")
    if rest and len(first) <= 200:
        return first, rest
    return "", article.body


def document_vectors(articles: Sequence[Article]) -> list[npt.NDArray[np.float32]]:
    """Each article's (head, lead, mean) unit vectors as one (3, DIM) array, in one batch.

    Computed where the article is analysed (the event classifier's sentence vectors are still in
    that process's memo), stored until placement (:func:`save_pending`), so the process placing
    stories embeds nothing it is given.
    """
    head, lead, mean = embed_documents([_title_and_body(a) for a in articles])
    return [np.stack([head[i], lead[i], mean[i]]) for i in range(len(articles))]


def build(
    articles: Sequence[Article], known: Mapping[str, npt.NDArray[np.float32]] | None = None
) -> list[Profile]:
    """Profiles of several articles, embedding in one batch those ``known`` has no vectors for."""
    known = known or {}
    missing = [a for a in articles if a.id not in known]
    fresh = (
        dict(zip((a.id for a in missing), document_vectors(missing), strict=True))
        if missing
        else {}
    )
    out: list[Profile] = []
    for art in articles:
        title, body = _title_and_body(art)
        vec = known.get(art.id)
        if vec is None:
            vec = fresh[art.id]
        out.append(
            Profile(
                id=art.id,
                language=art.language,
                published=art.published_utc or art.published,
                outlet=art.outlet.name if art.outlet else None,
                length=len(_WORDS.findall(body)),
                head=vec[0],
                lead=vec[1],
                mean=vec[2],
                minhash=minhash(f"{title}\n{body}"),
                cues=cues_mod.article_cues(art),
            )
        )
    return out


def save_pending(conn: sqlite3.Connection, vectors: Mapping[str, bytes]) -> None:
    """Store analysed articles' document vectors (float32 bytes of a (3, DIM) array) until they
    are placed; a re-analysed article's replace its old ones."""
    if not vectors:
        return
    with transaction(conn):
        conn.executemany(
            "INSERT INTO text_vectors (text_key, kind, rows, vectors) VALUES (?, ?, 3, ?) "
            "ON CONFLICT (text_key, kind) DO UPDATE SET rows = excluded.rows, "
            "vectors = excluded.vectors",
            [(key, PENDING, blob) for key, blob in vectors.items()],
        )


def take_pending(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Vector]:
    """The stored document vectors of these articles, deleted from the table (inside the
    caller's transaction, which also places the articles)."""
    out: dict[str, Vector] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        where = f"kind = ? AND text_key IN ({marks})"
        for key, n, blob in conn.execute(
            f"SELECT text_key, rows, vectors FROM text_vectors WHERE {where}", (PENDING, *chunk)
        ).fetchall():
            if n == 3 and len(blob) == 3 * DIM * 4:
                out[key] = np.frombuffer(bytes(blob), dtype=np.float32).reshape(3, DIM)
        conn.execute(f"DELETE FROM text_vectors WHERE {where}", (PENDING, *chunk))
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
