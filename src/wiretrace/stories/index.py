"""Incremental story clustering: each added article joins the best-matching story or opens one.

Adding an article costs bounded work whatever the size of the corpus: candidates come from
posting lists (MinHash LSH bands for near-copies, random-hyperplane buckets of the lead vector
for the same topic in any language, probed in the exact bucket and its nearest neighbours, and
rare names, including registry ids that are the same in every language), each list capped to its
most recent articles; candidates outside a time window are dropped and at most
``max_candidates`` are scored. Nothing already assigned is ever revisited, so adding an article
never changes the story of another one.

Memory is bounded the same way: profiles older than ``retain_days`` (or beyond ``max_live``)
leave memory together with their postings. With a SQLite connection every add is written
through (see :mod:`.schema`), :meth:`StoryIndex.load` rebuilds the live part of the index, and
a report that arrives late (a backfill, an archive read out of order) still finds the reports
of its story that have left memory: while such reports may lie within its time window, its keys
are also looked up on disk, where at most ``disk_candidates`` profiles are read back.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from ..model import Article
from ..textutil import stable_id
from . import schema
from .compare import CorpusStats, features, name_vector, same_story_logit
from .indexing import IndexOptions, Live, bucket, instant, one_blas_thread, seconds_of, sigmoid
from .profile import Profile, build, dumps, from_record, vectors_blob

__all__ = ["IndexOptions", "StoryIndex", "one_blas_thread"]


class StoryIndex:
    """Assigns articles to stories incrementally; in memory, or written through to SQLite."""

    def __init__(
        self, options: IndexOptions | None = None, conn: sqlite3.Connection | None = None
    ) -> None:
        self.options = options or IndexOptions()
        self.conn = conn
        self.stats = CorpusStats()
        self.story: dict[str, str] = {}  # article id -> story id
        self.members: dict[str, list[str]] = defaultdict(list)
        self.seq = 0
        self.merged: list[tuple[str, str]] = []  # (folded story, story it went into), in order
        self.langs: dict[str, set[str]] = defaultdict(set)  # story id -> languages of its reports
        self.last_candidates = 0  # retrieved before the cap, for the bench and tests
        self.last_scored = 0
        self.last_from_disk = 0  # candidates read back from SQLite (evicted from memory)
        # Profiles dropped from memory: the insertion number up to which all have gone (0: none),
        # and the latest publication instant among them (undated ones make every late lookup
        # worthwhile).
        self._evicted_seq = 0
        self._evicted_latest: float | None = None
        self._evicted_undated = False
        self._live = Live()
        self._newest: float | None = None  # latest publication instant seen, in seconds
        rng = np.random.default_rng(20231004)
        o = self.options
        self._planes = rng.standard_normal((o.hash_tables * o.hash_bits, 512)).astype(np.float32)
        if conn is not None:
            schema.migrate(conn)

    # ----- public API -----
    def add(self, article: Article) -> str:
        """Assign one article to a story and return the story id."""
        return self.add_profile(build([article])[0])

    def add_many(self, articles: Iterable[Article], batch: int = 32,
                 known: Mapping[str, Any] | None = None) -> list[str]:  # fmt: skip
        """Add articles in order, embedding them in batches (same result as one by one);
        ``known``: document vectors computed at analysis (:func:`.profile.document_vectors`)."""
        out: list[str] = []
        chunk: list[Article] = []
        for art in articles:
            chunk.append(art)
            if len(chunk) >= batch:
                out.extend(self.add_profile(p) for p in build(chunk, known))
                chunk = []
        if chunk:
            out.extend(self.add_profile(p) for p in build(chunk, known))
        return out

    def add_profile(self, p: Profile) -> str:
        """Assign a profiled article; re-adding a known article returns its story unchanged."""
        with one_blas_thread():
            return self._add_profile(p)

    def _add_profile(self, p: Profile) -> str:
        if p.id in self.story:
            return self.story[p.id]
        keys = self._keys(p)
        story_id, score = self._decide(p, self._query_keys(p, keys))
        self.seq += 1
        self.story[p.id] = story_id
        self.members[story_id].append(p.id)
        self.langs[story_id].add(p.language or "?")
        evicted = self._insert(p, keys)
        df_updates = [(k, n) for k in self.stats.df for n in getattr(p.cues, k)]
        self.stats.add(p)
        self._evict_old(p)
        if self.conn is not None:
            schema.save_article(
                self.conn, article_id=p.id, story_id=story_id, seq=self.seq, score=score,
                profile_json=dumps(p), vectors=vectors_blob(p), published=p.published,
                keys=keys, df_updates=df_updates, evicted=evicted,
            )  # fmt: skip
        return story_id

    def place(self, p: Profile, story_id: str) -> list[tuple[str, int]]:
        """Record an article whose story is already known (bulk import, benchmarks, restores).

        It becomes a candidate for later articles exactly as if :meth:`add_profile` had put it
        there, without being scored itself. Nothing is written: returns the (key, insertion
        number) postings its arrival pushed out of capped lists, for a bulk writer to delete.
        """
        if p.id in self.story:
            return []
        self.seq += 1
        self.story[p.id] = story_id
        self.members[story_id].append(p.id)
        self.langs[story_id].add(p.language or "?")
        evicted = self._insert(p, self._keys(p))
        self.stats.add(p)
        self._evict_old(p)
        return evicted

    def warm(self, profiles: Iterable[Profile]) -> None:
        """Count the cues of a batch of texts in the idf statistics without assigning them.

        A fresh index knows no document frequencies, so its first articles weigh every name
        alike; warming it with a backlog (or, in the eval, the file's own texts, as a TF-IDF
        baseline fits its vocabulary) gives rare names their weight from the start.
        """
        for p in profiles:
            self.stats.add(p)

    def stories(self) -> dict[str, list[str]]:
        """Story id -> article ids, in the order they were added."""
        return {k: list(v) for k, v in self.members.items()}

    @classmethod
    def load(cls, conn: sqlite3.Connection, options: IndexOptions | None = None) -> StoryIndex:
        """Rebuild an index from its tables: story placements, df counts and the live window.

        Only the ``max_live`` most recently added profiles and their postings are read into
        memory (those beyond are the ones :meth:`_evict_old` would drop at once), so loading a
        store of a million articles does not hold a million profiles and forty million postings;
        the others stay on disk, found by late reports as usual. Their latest publication
        instant is read from their profiles one row at a time.
        """
        idx = cls(options, conn=None)
        schema.migrate(conn)
        since = max(0, schema.last_seq(conn) - idx.options.max_live)
        state = schema.load_state(conn, since_seq=since)
        idx.seq = state["seq"]
        for kind, key, n in state["df"]:
            idx.stats.df.setdefault(kind, Counter())[key] = n
        for art_id, story_id in schema.load_placements(conn):
            idx.story[art_id] = story_id
            idx.members[story_id].append(art_id)
        idx.stats.docs = len(idx.story)
        for art_id, story_id, seq_, prof, blob in schema.load_articles(conn, since):
            p = from_record(json.loads(prof), blob)
            idx.langs[story_id].add(p.language or "?")
            idx._live.profiles[art_id] = p
            idx._live.seqs[art_id] = seq_
            sec = seconds_of(p)
            if sec is not None:
                idx._live.when[art_id] = sec
        if since:
            idx._evicted_seq = since
            for story_id, prof in schema.load_profiles_up_to(conn, since):
                record = json.loads(prof)
                idx.langs[story_id].add(record.get("language") or "?")
                sec = instant(record.get("published"))
                if sec is None:
                    idx._evicted_undated = True
                elif idx._evicted_latest is None or sec > idx._evicted_latest:
                    idx._evicted_latest = sec
        for key, seq_, art_id in state["postings"]:
            if art_id in idx._live.profiles:
                idx._live.postings.setdefault(key, []).append((seq_, art_id))
                idx._live.keys.setdefault(art_id, []).append(key)
        newest = next(reversed(idx._live.profiles.values()), None)
        if newest is not None:
            idx._evict_old(newest)
        idx.conn = conn
        return idx

    # ----- retrieval -----
    def _keys(self, p: Profile) -> list[str]:
        o = self.options
        rows = len(p.minhash) // o.lsh_bands
        keys = []
        for b in range(o.lsh_bands):
            band = p.minhash[b * rows : (b + 1) * rows].tobytes()
            keys.append(f"m{b}:{hashlib.blake2b(band, digest_size=8).hexdigest()}")
        bits = (self._planes @ p.lead > 0).reshape(o.hash_tables, o.hash_bits)
        keys.extend(bucket(t, row) for t, row in enumerate(bits))
        keys.extend(f"n:{n}" for n in self._rare_names(p)[: o.names_per_article])
        return keys

    def _rare_names(self, p: Profile) -> list[str]:
        """The article's names, rarest first, without those in too many documents."""
        docs, df = max(self.stats.docs, 1), self.stats.df["names"]
        share = self.options.common_name_share
        return [n for _, n in sorted((df[n], n) for n in p.cues.names
                                     if docs < 100 or df[n] / docs <= share)]  # fmt: skip

    def _query_keys(self, p: Profile, keys: list[str]) -> list[str]:
        """Keys to look up for a new article: its own keys, nearby buckets and known names."""
        o = self.options
        out = list(keys)
        if o.probes:
            margins = (self._planes @ p.lead).reshape(o.hash_tables, o.hash_bits)
            for t, row in enumerate(margins):
                bits = [bool(x > 0) for x in row]
                for j in np.argsort(np.abs(row), kind="stable")[: o.probes]:
                    out.append(bucket(t, [b != (i == j) for i, b in enumerate(bits)]))
        if o.names_per_query:
            known = [k for n in self._rare_names(p) if (k := f"n:{n}") in self._live.postings]
            out.extend(known[: o.names_per_query])
        return list(dict.fromkeys(out))

    def _candidates(self, p: Profile, keys: list[str]) -> list[Profile]:
        hits: Counter[str] = Counter()
        for key in keys:
            for _seq, art_id in self._live.postings.get(key, ()):
                hits[art_id] += 1
        self.last_candidates = len(hits)
        when = seconds_of(p)
        window = self.options.window_days * 86400.0
        live = self._live
        pool: list[Profile] = []
        shared: list[int] = []
        for art_id, n in hits.items():
            c = live.profiles.get(art_id)
            if c is None:
                continue
            cw = live.when.get(art_id)
            if when is not None and cw is not None and abs(when - cw) > window:
                continue
            pool.append(c)
            shared.append(n)
        self.last_from_disk = 0
        if self.conn is not None and self._may_be_on_disk(when, window):
            for c, n in self._from_disk(p, keys, set(hits)):
                pool.append(c)
                shared.append(n)
        out = pool
        if len(pool) > self.options.max_candidates:
            # One matrix product ranks the pool: lead-vector cosine, plus a little for every
            # index key shared, so near copies and rare-name matches stay in.
            rank = np.stack([c.lead for c in pool]) @ p.lead + 0.02 * np.asarray(shared)
            keep = np.argsort(-rank, kind="stable")[: self.options.max_candidates]
            out = [pool[i] for i in keep]
        self.last_scored = len(out)
        return out

    def _may_be_on_disk(self, when: float | None, window: float) -> bool:
        """Could an article dropped from memory lie within the time window of this one?"""
        if not self._evicted_seq:
            return False
        if when is None or self._evicted_undated or self._evicted_latest is None:
            return True
        return when - self._evicted_latest <= window

    def _from_disk(self, p: Profile, keys: list[str], seen: set[str]) -> list[tuple[Profile, int]]:
        """Candidates among articles dropped from memory, read back from SQLite.

        A report that arrives late (a backfill, an archive ingested out of order) may belong to
        a story whose reports have left memory. Their postings and profiles are still stored:
        the same keys are looked up there, among articles that left memory only (each key capped
        to its ``posting_cap`` most recent), and the ``disk_candidates`` articles sharing most
        keys are read back.
        """
        assert self.conn is not None
        o = self.options
        # Names the corpus has seen but no live article is filed under: the keys most likely
        # to lead to a story's reports that have left memory.
        df, docs = self.stats.df["names"], max(self.stats.docs, 1)
        seen_names = sorted(
            (df[n], n) for n in p.cues.names if df[n] and df[n] / docs <= o.common_name_share
        )
        extra = [f"n:{n}" for _, n in seen_names[: o.names_per_query]]
        hits: Counter[str] = Counter()
        for key in dict.fromkeys([*keys, *extra]):
            for art_id in schema.postings_up_to(self.conn, key, self._evicted_seq, o.posting_cap):
                if art_id not in seen and art_id not in self._live.profiles and art_id != p.id:
                    hits[art_id] += 1
        if not hits:
            return []
        # Rank like the in-memory pool (lead cosine plus a little per shared key) from the
        # vectors alone, then parse the profiles of the best few only.
        wanted = [a for a, _ in hits.most_common(o.max_candidates)]
        blobs = schema.stored_vectors(self.conn, wanted)
        if not blobs:
            return []
        dim = len(p.lead)
        leads = np.stack(
            [np.frombuffer(b[dim * 2 : dim * 4], dtype=np.float16) for _, b in blobs]
        ).astype(np.float32)
        rank = leads @ p.lead + 0.02 * np.asarray([hits[a] for a, _ in blobs])
        best = [blobs[i][0] for i in np.argsort(-rank, kind="stable")[: o.disk_candidates]]
        stored = schema.stored_profiles(self.conn, best)
        when = seconds_of(p)
        out: list[tuple[Profile, int]] = []
        for art_id, prof, blob in stored:
            if art_id not in self.story:
                continue
            c = from_record(json.loads(prof), blob)
            cw = seconds_of(c)
            if when is not None and cw is not None and abs(when - cw) > o.window_days * 86400.0:
                continue
            out.append((c, hits[art_id]))
        self.last_from_disk = len(out)
        return out

    def _decide(self, p: Profile, keys: list[str]) -> tuple[str, float | None]:
        """The story a new article joins (best mean-and-max probability) or a new story id."""
        by_story: dict[str, list[float]] = defaultdict(list)
        w, st, mine = self.options.weights, self.stats, name_vector(p, self.stats)
        for c in self._candidates(p, keys):
            by_story[self.story[c.id]].append(same_story_logit(features(p, c, st, mine), w))
        best, best_score, best_key = None, -1.0, (-1.0, -math.inf)
        above: list[str] = []
        for sid, logits in by_story.items():
            probs = [sigmoid(z) for z in logits]
            # Mean over the story's closest candidate members guards against one chance
            # match; the max keeps a story reachable through its closest report. Probabilities
            # saturate at 1, so ties are broken on the mean logit, not on arrival order.
            top = sorted(probs, reverse=True)[: self.options.support or None]
            s = (sum(top) / len(top) + top[0]) / 2
            key = (round(s, 6), sum(logits) / len(logits))
            if s >= self.options.bridge:
                above.append(sid)
            if key > best_key:
                best, best_score, best_key = sid, s, key
        if best is not None and best_score >= self.options.threshold:
            # A report that belongs, confidently, to several stories shows they are one story
            # told in different languages or at different times: fold the others into the best.
            for other in above:
                if other != best and not self.langs[other] & self.langs[best]:
                    self._merge(best, other)
            return best, best_score
        return "s" + stable_id(p.id), None

    def _merge(self, keep: str, drop: str) -> None:
        moved = self.members.pop(drop, [])
        for art_id in moved:
            self.story[art_id] = keep
        self.members[keep].extend(moved)
        self.langs[keep] |= self.langs.pop(drop, set())
        self.merged.append((drop, keep))
        if self.conn is not None:
            schema.merge_stories(self.conn, keep, drop)

    # ----- bookkeeping -----
    def _insert(self, p: Profile, keys: list[str]) -> list[tuple[str, int]]:
        evicted: list[tuple[str, int]] = []
        live = self._live
        live.profiles[p.id] = p
        live.seqs[p.id] = self.seq
        live.keys[p.id] = keys
        sec = seconds_of(p)
        if sec is not None:
            live.when[p.id] = sec
        for key in keys:
            q = live.postings.setdefault(key, [])
            q.append((self.seq, p.id))
            if len(q) > self.options.posting_cap:
                seq, old = q.pop(0)
                evicted.append((key, seq))
                if old in live.keys:
                    live.keys[old] = [k for k in live.keys[old] if k != key]
        return evicted

    def _evict_old(self, newest: Profile) -> None:
        """Drop profiles from memory: older than ``retain_days`` before the newest, or over max_live."""
        live = self._live
        now = seconds_of(newest)
        if now is not None and (self._newest is None or now > self._newest):
            self._newest = now
        retain = self.options.retain_days
        while live.profiles:
            art_id = next(iter(live.profiles))
            ow = live.when.get(art_id)
            too_old = (
                retain is not None
                and self._newest is not None
                and ow is not None
                and self._newest - ow > retain * 86400.0
            )
            if not too_old and len(live.profiles) <= self.options.max_live:
                break
            live.profiles.popitem(last=False)
            sec = live.when.pop(art_id, None)
            # Eviction follows insertion order: everything up to this number has left memory.
            self._evicted_seq = max(self._evicted_seq, live.seqs.pop(art_id, 0))
            if sec is None:
                self._evicted_undated = True
            elif self._evicted_latest is None or sec > self._evicted_latest:
                self._evicted_latest = sec
            for key in live.keys.pop(art_id, []):
                q = live.postings.get(key)
                if q is None:
                    continue
                live.postings[key] = [x for x in q if x[1] != art_id]
                if not live.postings[key]:
                    del live.postings[key]
