"""The entities stage: who and what an article names, with roles, countries and canonical ids.

Mentions (see :mod:`wiretrace.stages.entities.mentions`) are linked to the actor/outlet registries,
grouped into one :class:`~wiretrace.model.Entity` per real-world actor per article, typed by
registry first and by majority vote of the mentions otherwise, and given a ``canonical_id``
that is the same in every article and language: the registry key ("person:vladimir-putin",
"country:RU", "outlet:politico"), or for unregistered names "name:<hash>" of a transliterated,
spelling-insensitive key, so that "Тойво Клаар" and "Toivo Klaar" still meet.
"""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from wiretrace.model import Analysis, Article, Entity, EntityType, Role, Span
from wiretrace.nlp import Depth, Parsed, parse_many
from wiretrace.pipeline import Stage
from wiretrace.registry import OutletEntry
from wiretrace.registry.actors import ActorEntry, find_actor, name_key, name_words
from wiretrace.stages.entities import coordination, leading, linking, mentions, places
from wiretrace.stages.entities.mentions import Mention
from wiretrace.stages.entities.roles import country_from_roles, roles_for
from wiretrace.textutil import fold, lang_data, stable_id

__all__ = ["STAGE_ENTITIES", "VERSION", "analyse", "canonical_of", "resolve_entity"]

VERSION = "entities.v8"


@dataclass
class _Group:
    key: str
    entry: ActorEntry | OutletEntry | None
    mentions: list[Mention] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    listed: EntityType | None = None  # the type of the list the name stands in


def resolve_entity(name: str, lang: str | None = None) -> ActorEntry | OutletEntry | None:
    """The registry entry a name refers to, in any language or inflection, or None.

    For quotes and events: "Путіна", "Poutine" and "Putin" give the same entry, whose ``key``
    is the canonical id the entities stage uses.
    """
    if not name or not name.strip():
        return None
    return linking.resolve(name, lang)


def canonical_of(entry: ActorEntry | OutletEntry) -> str:
    """The canonical id of a registry entry (outlet keys are prefixed with "outlet:")."""
    return f"outlet:{entry.key}" if isinstance(entry, OutletEntry) else entry.key


def _link(m: Mention, lang: str | None) -> Mention:
    """Attach a registry entry to an unlinked mention when its name (or lemma) is known."""
    if m.entry is not None:
        # Registry hits already carry the registry spelling for display; no lemmas needed.
        return m
    lemmas = m.lemmas
    if not lemmas:
        lemmas, kind = linking.lemmas(m.text, lang)
        if m.label is None and kind is not None:
            m = dataclasses.replace(m, label=kind)
    if not lemmas and m.entry is None:
        m = dataclasses.replace(m, variants=_unsuffixed(m.text, lang))
    entry = find_actor(m.text, lemmas)
    # A transliteration-key hit on a one-word name could be a different bearer of a common
    # name; only accept it when the mention's own type does not contradict the registry.
    # A registry place is a place whatever a statistical tagger says ("Rotterdam" is never a
    # person): place names in the registry are unambiguous by construction.
    if entry is not None and m.label not in (None, "other", entry.type) and entry.type != "place":
        entry = None
    if entry is not None and entry.type == "place" and m.label not in (None, "place"):
        m = dataclasses.replace(m, label="place")
    if entry is not None:
        # The registry spelling closest to the text gives the display name ("Unia Europejska"
        # for "Unii Europejskiej").
        key = name_key(m.text)
        same = tuple(a for a in entry.aliases if name_key(a) == key)[:1]
        m = dataclasses.replace(m, variants=same + m.variants)
    return dataclasses.replace(m, entry=entry, lemmas=lemmas)


def _unsuffixed(text: str, lang: str | None) -> tuple[str, ...]:
    """Forms of a name without a short case ending, for languages without a morphology
    dictionary ("Washingtons" -> "Washington"); used to pick a registry-known display form."""
    n = linking.inflection(lang).max_suffix
    return tuple(text[:-k] for k in range(1, n + 1) if len(text) - k >= 3)


def _display(m: Mention) -> str:
    """The mention's name in dictionary form; for registry entries, a form the registry knows."""
    if m.entry is not None:
        known = _alias_words(m.entry)
        for cand in (m.text, *m.variants, *m.lemmas):
            # (an alias in another script is a transliteration the scan matched through, as
            # "Kiev" for "Києва": not this text's spelling; the registry name stands instead)
            if name_words(cand) in known and _script(cand) == _script(m.text):
                return cand
        if not m.lemmas:
            # an inflected spelling the registry does not list ("Nikolem Paszynianem"): its
            # registry name, never the case form
            return m.entry.name
    return m.lemmas[0] if m.lemmas else m.text


@functools.lru_cache(maxsize=4096)
def _alias_words(entry: ActorEntry | OutletEntry) -> frozenset[tuple[str, ...]]:
    """Folded word tuples of an entry's aliases (a country has CLDR's names), once per entry."""
    return frozenset(name_words(a) for a in entry.aliases)


@functools.cache
def _surname_endings() -> tuple[str, ...]:
    raw = lang_data("xx", "entities").get("names", {}).get("slavic_surname_endings", [])
    return tuple(str(e) for e in raw)


def _slavic_name(m: Mention) -> bool:
    """A given name and a Ukrainian or Russian surname in Latin letters ("Olena Zelenska",
    "Sergei Lavrov"): two or three capitalised words, the last with a surname ending."""
    words = m.text.split()
    if not 2 <= len(words) <= 3 or _script(m.text) != "latin":
        return False
    if not all(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in words):
        return False
    return fold(words[-1]).endswith(_surname_endings())


def _script(text: str) -> str:
    """ "cyrillic", "greek" or "latin": the script of a name's first letter."""
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "LATIN")
            return name.split()[0].lower()
    return ""


def _group(ms: list[Mention]) -> list[_Group]:
    groups: dict[str, _Group] = {}
    for m in ms:
        key = canonical_of(m.entry) if m.entry is not None else "?" + name_key(_display(m))
        groups.setdefault(key, _Group(key, m.entry)).mentions.append(m)
    # A shorter form of a fuller unregistered person name ("Jerry Ortiz" inside
    # "Luis Gerardo Jerry Ortiz") is the same person.
    people = [g for g in groups.values() if g.entry is None and _type_of(g) == "person"]
    for g in sorted(people, key=lambda g: len(g.key)):
        words = g.key[1:].split()
        if len(words) < 2:
            continue
        wider = [
            h
            for h in people
            if h is not g and h.key in groups and _contains_in_order(h.key[1:].split(), words)
        ]
        if len(wider) == 1:
            wider[0].mentions.extend(g.mentions)
            del groups[g.key]
    # Surname (or last word) of a fuller name in the same article: "Klaar" -> "Toivo Klaar".
    unlinked = [g for g in groups.values() if g.entry is None]
    for g in unlinked:
        words = g.key[1:].split()
        if len(words) != 1:
            continue
        fuller = [
            h
            for h in groups.values()
            if h is not g
            and len(_key_words(h)) > 1
            and _key_words(h)[-1] == words[0]
            and _type_of(h) in ("person", None)
        ]
        if len(fuller) == 1:
            fuller[0].mentions.extend(g.mentions)
            del groups[g.key]
    return list(groups.values())


def _contains_in_order(longer: list[str], shorter: list[str]) -> bool:
    if len(longer) <= len(shorter):
        return False
    it = iter(longer)
    return all(w in it for w in shorter)


def _key_words(g: _Group) -> list[str]:
    if g.entry is not None:
        return name_key(g.entry.name).split()
    return g.key[1:].split()


def _type_of(g: _Group) -> EntityType | None:
    if isinstance(g.entry, OutletEntry):
        return "outlet"
    if g.entry is not None:
        return g.entry.type
    if g.listed is not None:
        return g.listed
    votes = Counter(m.label for m in g.mentions if m.label is not None)
    if _place_shaped(g, votes):
        return "place"
    if g.roles:
        return "person"
    if votes and votes.most_common(1)[0][0] != "place" and all(map(_slavic_name, g.mentions)):
        return "person"  # "Olena Zelenska", taken for an organisation by an English model
    if votes:
        return votes.most_common(1)[0][0]
    # News names a person in full once, then by surname: a full name whose last word also
    # stands alone in the article is a person ("Handré Pollard ... Pollard").
    lengths = {len(m.text.split()) for m in g.mentions}
    if 1 in lengths and any(2 <= n <= 3 for n in lengths):
        return "person"
    return None


def _place_shaped(g: _Group, votes: Counter[EntityType]) -> bool:
    if g.roles or not g.mentions or g.entry is not None or votes.get("place"):
        return False  # a tagger's place stands, unless a title makes it a person
    return places.group_is_place(
        [(m.text, m.locative) for m in g.mentions], "organisation" in votes
    )


@functools.cache
def _country_name(code: str, lang: str | None) -> str | None:
    from babel import Locale

    try:
        name = Locale.parse(lang or "en").territories.get(code)
    except (ValueError, LookupError):
        return None
    return str(name) if name else None


def _name(g: _Group, etype: EntityType | None, lang: str | None) -> str:
    if isinstance(g.entry, OutletEntry):
        return g.entry.name
    if g.entry is not None and g.key.startswith("country:"):
        local = _country_name(g.key.split(":", 1)[1], lang)
        seen = {fold(_display(m)) for m in g.mentions}
        if local and (fold(local) in seen or lang not in (None, "en")):
            return local
    names = Counter(_display(m) for m in g.mentions)
    # Fullest form wins ("Vladimir Poutine" over "Poutine"), then the most frequent.
    return max(names, key=lambda n: (len(n.split()), names[n], len(n)))


def analyse(article: Article, parsed: Parsed, ner: list[linking.NerSpan] | None = None) -> Article:
    """Fill ``article.entities`` (and ``analysis.depth``) from an already parsed body.

    ``ner`` carries spans from a non-spaCy NER engine computed for the whole batch.
    """
    body, lang = article.body, article.language
    found = mentions.gazetteer(body, lang)
    depth: Depth
    if mentions.uses_ner(lang, parsed):
        other = mentions.statistical(parsed, body, lang, ner)
        depth = "deep"
    else:
        other = mentions.candidates(parsed, body, lang)
        depth = "basic"
    other = leading.split(other, found, body, lang)  # "Молдови Мая Санду": the place apart
    pos = _pos_by_offset(parsed) if parsed.depth == "deep" else {}
    merged = [_link(m, lang) for m in mentions.merge(found, other)]
    framed = {m.start: leading.noun_frame(body, m, lang, pos) for m in merged}
    merged = [mentions.placed(mentions.framed(m, framed[m.start]), body, lang) for m in merged]
    groups = _group(merged)
    sents = [(s.start, s.end) for s in parsed.sentences]
    by_start = {m.start: m for m in merged}
    found_roles: list[tuple[_Group, Mention, list[Role]]] = []
    for g in groups:
        votes = Counter(m.label for m in g.mentions if m.label is not None)
        if (_type_of(g) not in ("person", None) and g.entry is not None) or _place_shaped(g, votes):
            continue
        for m in g.mentions:
            sent = next(((a, b) for a, b in sents if a <= m.start < b), (0, len(body)))
            nxt = _next_mention(body, m, by_start)
            followed = nxt is not None and nxt.label in ("person", None)
            rs = roles_for(body, m.start, m.end, sent, lang, pos, followed)
            frame = framed.get(m.start)
            if not rs and m.label == "person" and frame is not None and frame[1] is not None:
                rs = [frame[1]]  # "die Ärztin Julia Sommer": the noun is her role
            found_roles.append((g, m, rs))
    for g, m, rs in found_roles:
        # A name inside someone else's title is its possessor ("Putin's special
        # representative", "спецпредставника Путіна"), not a holder of that title.
        inside = any(
            r.start <= m.start and m.end <= r.end
            for _, n, others in found_roles
            if n is not m
            for r in others
        )
        if not inside:
            g.roles.extend(rs)
    _in_lists(body, groups, lang)
    entities = [e for e in (_entity(article, g, lang) for g in groups) if e is not None]
    entities.sort(key=lambda e: e.mentions[0].start if e.mentions else 0)
    return dataclasses.replace(
        article,
        entities=tuple(entities),
        analysis=Analysis(depth=depth, stages=dict(article.analysis.stages)),
    )


def _pos_by_offset(parsed: Parsed) -> dict[int, str]:
    """Token start offset -> coarse part of speech ("NOUN"), read from the doc's arrays."""
    from spacy.attrs import IDX, POS
    from spacy.parts_of_speech import NAMES

    table = parsed.doc.to_array([IDX, POS]).tolist()
    return {idx: NAMES[pos] for idx, pos in table}


def _in_lists(body: str, groups: list[_Group], lang: str | None) -> None:
    """Names of one list are of one kind (see :mod:`coordination`): a name typed only by a
    guess (no registry entry, no title, no toponym shape) takes its list's kind when at least
    half its mentions stand in such lists ("Missouri, Ford's plant" is no list of places)."""
    members = []
    for g in groups:
        votes = Counter(m.label for m in g.mentions if m.label is not None)
        sure = g.entry is not None or bool(g.roles) or _place_shaped(g, votes)
        kind = _type_of(g)
        members += [coordination.Member(m.start, m.end, kind, sure) for m in g.mentions]
    types = coordination.retype(body, members, lang)
    for g in groups:
        listed = Counter(types[m.start] for m in g.mentions if m.start in types)
        if listed and 2 * max(listed.values()) >= len(g.mentions):
            g.listed = listed.most_common(1)[0][0]  # (half its mentions or more: not "Ford")


def _next_mention(body: str, m: Mention, by_start: dict[int, Mention]) -> Mention | None:
    i = m.end
    while i < len(body) and body[i] in " \u00a0":
        i += 1
    return by_start.get(i) if i > m.end else None


def _entity(article: Article, g: _Group, lang: str | None) -> Entity | None:
    etype = _type_of(g) or "other"
    name = _name(g, etype, lang)
    lone = etype == "other" and len(g.mentions) == 1 and not g.roles and g.entry is None
    if lone and len(name.split()) == 1:
        # A lone capitalised word nobody could classify is more often noise than a name.
        return None
    roles = tuple(dict.fromkeys(g.roles))
    country = getattr(g.entry, "country", None) if g.entry is not None else None
    if country is None and etype == "person":
        country = country_from_roles(list(roles), lang)
    # Unregistered names: a hash of the spelling-insensitive key, without the type, so that a
    # name typed differently by two language paths still links.
    canonical = canonical_of(g.entry) if g.entry is not None else f"name:{stable_id(g.key[1:])}"
    surfaces = tuple(dict.fromkeys(m.text for m in g.mentions if m.text != name))
    return Entity(
        id=stable_id(article.id, canonical),
        name=name,
        type=etype,
        country=country,
        roles=roles,
        mentions=tuple(Span(m.text, m.start, m.end) for m in g.mentions),
        canonical_id=canonical,
        aliases=surfaces,
        stage=VERSION,
    )


def _run_batch(articles: Sequence[Article]) -> list[Article]:
    """Parse each language's bodies in one ``nlp.pipe`` batch, then analyse article by article."""
    parsed: dict[int, Parsed] = {}
    ner: dict[int, list[linking.NerSpan]] = {}
    by_lang: dict[str | None, list[int]] = {}
    for i, a in enumerate(articles):
        by_lang.setdefault(a.language, []).append(i)
    for lang, idx in by_lang.items():
        bodies = [articles[i].body for i in idx]
        for i, p in zip(idx, parse_many(bodies, lang), strict=True):
            parsed[i] = p
        if parsed[idx[0]].depth != "deep":
            for i, spans in zip(idx, mentions.external_ner(bodies, lang), strict=True):
                ner[i] = spans
    return [analyse(a, parsed[i], ner.get(i)) for i, a in enumerate(articles)]


def _run_one(article: Article) -> Article:
    return _run_batch([article])[0]


STAGE_ENTITIES = Stage(
    name="entities",
    version=VERSION,
    requires=("body", "language"),
    produces=("entities",),
    fn=_run_one,
    batch=_run_batch,
)
