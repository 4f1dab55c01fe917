"""Outlet identities on pages: built once, then kept up to date from new articles only."""

from __future__ import annotations

from wiretrace.model import Article, Outlet
from wiretrace.store import open_store
from wiretrace.web import outlets


def _art(aid: str, outlet: Outlet, second: int) -> Article:
    return Article(id=aid, title=f"Talks {aid}", body="Envoys met in Ankara.", language="en",
                   outlet=outlet, published=f"2023-09-10T10:00:{second:02d}")  # fmt: skip


def test_identities_follow_new_articles_as_a_full_rebuild_would(any_db: str) -> None:
    store = open_store(any_db)
    try:
        site = Outlet("Agencia Meridiana", domain="agenciameridiana.es")
        bare = Outlet("agenciameridiana.es", domain="agenciameridiana.es")
        store.upsert([_art("a1", bare, 1), _art("a2", bare, 2)])
        first = outlets.identities(store.conn)
        assert first.name("agenciameridiana.es") == "agenciameridiana.es"
        # New articles (in the same second as the last read or later) are read incrementally:
        # the site name now shows for the bare domain too.
        store.upsert([_art("a3", site, 3), _art("a4", site, 4), _art("a5", site, 5)])
        ids = outlets.identities(store.conn)
        assert ids.name("agenciameridiana.es") == "Agencia Meridiana"
        assert sorted(ids.names_of("Agencia Meridiana")) == ["Agencia Meridiana",
                                                              "agenciameridiana.es"]  # fmt: skip
        key = next(iter(k for k in outlets._cache if outlets._cache[k].ids is ids))
        counts = dict(outlets._cache[key].counts)
        assert outlets.identities(store.conn) is ids  # nothing new: the same object, no rebuild
        outlets._cache.pop(key)
        rebuilt = outlets.identities(store.conn)
        assert dict(outlets._cache[key].counts) == counts
        assert rebuilt.display == ids.display and rebuilt.aliases == ids.aliases
    finally:
        store.close()
