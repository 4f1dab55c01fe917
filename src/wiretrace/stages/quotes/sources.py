"""Who a speaker is: source type, entity, role, carried-over pronouns and the attribution chain.

A speaker span as written ("un haut diplomate proche des discussions", "he", "the same official",
"Politico") is typed as named, anonymous, institutional, outlet, document or unknown from the
language's lexicon and the article's entities; pronouns and anaphoric descriptions inherit the
type, entity and role of the previous compatible speaker, so "il a ajouté" after "un représentant
de l'UE" stays institutional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wiretrace.model import Article, Entity, SourceType
from wiretrace.stages.quotes.lexicon import Cand, Lexicon, find_phrase, fold_same_length, lfold

_NAME = re.compile(r"\b[A-ZÀ-ÖØ-ÞА-ЯІЇЄҐ][\w’'-]+(?:\s+[A-ZÀ-ÖØ-ÞА-ЯІЇЄҐ][\w’'-]+)+")
_CAP = re.compile(r"\b[A-ZÀ-ÖØ-ÞА-ЯІЇЄҐ][\w’'-]+")
_PERSONLIKE: frozenset[str] = frozenset({"named", "anonymous"})


@dataclass(frozen=True)
class SpeakerInfo:
    """What is known about one quote's speaker beyond its span."""

    source_type: SourceType = "unknown"
    entity_id: str | None = None
    role: str | None = None
    via: tuple[str, ...] = ()
    person: bool = False  # may a personal pronoun refer to it?
    key: str = ""  # folded speaker text, for anaphora


def _has(folded: str, phrases: tuple[str, ...] | frozenset[str]) -> bool:
    """Phrase at a word start; long entries may take an inflectional ending ("источника")."""
    for p in phrases:
        if p not in folded:
            continue  # (both tests below need the phrase itself in the text: one C search)
        if find_phrase(folded, p):
            return True
        if len(p) >= 4 and re.search(r"(?<!\w)" + re.escape(p) + r"\w{1,3}(?!\w)", folded):
            return True
    return False


def _entity_at(article: Article, span: tuple[int, int]) -> Entity | None:
    """The entity the speaker phrase names; a person in it wins over the body it belongs to
    ("речниця Єврокомісії Анна Пізонеро" is Pisonero, "Politico" in "in a comment to" is not)."""
    hits = [
        ent
        for ent in article.entities
        if any(min(m.end, span[1]) > max(m.start, span[0]) for m in ent.mentions)
    ]
    persons = [
        e for e in hits if any(abs(m.end - span[1]) <= 1 or m.start == span[0] for m in e.mentions)
    ]
    others = [e for e in hits if e.type != "person"]
    best = persons or others
    return best[0] if best else None


def _ends_in_name(raw: str, ent: Entity, span: tuple[int, int]) -> bool:
    """Does the phrase end in two capitalised words outside the body's own mention?"""
    tail = raw.split()[-2:]
    if len(tail) < 2 or not all(w[:1].isupper() for w in tail):
        return False
    name_start = span[0] + raw.rfind(tail[0])
    return not any(m.start <= name_start < m.end for m in ent.mentions)


def _strip_det(words: list[str], lex: Lexicon) -> list[str]:
    while words and (words[0] in lex.definite or words[0] in lex.indefinite):
        words = words[1:]
    return words


def _person_name(raw: str, lex: Lexicon) -> bool:
    """Two capitalised words in a row that are not a body ("Louis Bono", not "Département d'État")."""
    for m in _NAME.finditer(raw):
        before = raw[: m.start()].split()
        if before and lfold(before[-1]) in lex.connectors:
            continue  # "a spokesman of the Foreign Office", "Sprecher des Auswärtigen Amtes"
        words = [lfold(w) for w in m.group().split()]
        skip = set(lex.spokesperson) | lex.anonymous_nouns | lex.definite | lex.indefinite
        while words and words[0] in skip:
            words = words[1:]  # a title before the name: "Spokeswoman Haley Morris"
        if len(words) >= 2 and not any(w in lex.bodies or w in lex.outlets for w in words):
            return True
    return False


def _role(raw: str, stype: SourceType, ent: Entity | None, lex: Lexicon) -> str | None:
    if ent is not None and ent.roles:
        return ent.roles[0].text
    parts = [p.strip() for p in re.split(r",\s*", raw) if p.strip()]
    if stype == "named" and len(parts) > 1:
        described = [p for p in parts if not _NAME.fullmatch(p) and not _CAP.fullmatch(p)]
        return described[0] if described else None
    if stype == "named" and parts:
        # "Spokeswoman Haley Morris", "former governor Jeb Bush": the words before the name.
        words = parts[0].split()
        k = 0
        while k < len(words) - 1 and (
            words[k][:1].islower() or _has(lfold(words[k]), lex.spokesperson)
        ):
            k += 1
        lead = [w for w in words[:k] if lfold(w) not in lex.definite | lex.indefinite]
        return " ".join(lead) or None
    if stype in ("institutional", "anonymous") and parts:
        words = parts[0].split()
        while words and (lfold(words[0]) in lex.definite or lfold(words[0]) in lex.indefinite):
            words = words[1:]
        if words and lfold(words[0]) in lex.definite:
            words = words[1:]
        return " ".join(words) or None
    return None


def classify(
    raw: str,
    context: str,
    ent: Entity | None,
    lex: Lexicon,
    outlets: tuple[str, ...],
    initial: bool = False,
) -> SourceType:
    """The source type of one speaker phrase (``context``: its sentence outside the content;
    ``initial``: the phrase opens its sentence, so its first capital says nothing)."""
    f = lfold(raw)
    words = f.split()
    if ent is not None and ent.type not in ("person", "organisation", "outlet"):
        # a place or other name inside the phrase ("Ukraine's foreign ministry") does not
        # type the speaker; the phrase's own words do
        placed, ent = True, None
    else:
        placed = False
    if ent is not None and ent.type == "person":
        return "named"  # a named person in the attribution clause wins over "sources" nearby
    if _has(lfold(context), lex.anonymity):
        return "anonymous"
    if ent is not None:
        return {"person": "named", "organisation": "institutional", "outlet": "outlet"}.get(
            ent.type, "unknown"
        )  # type: ignore[return-value]
    if _has(f, lex.outlets) or any(o and o in f for o in outlets):
        return "outlet"
    if _has(f, lex.spokesperson):
        return "named" if _person_name(raw, lex) else "institutional"
    if _person_name(raw, lex):
        return "named"
    head = _strip_det(words, lex)
    if head and _has(" ".join(head[:2]), lex.documents):
        return "document"
    if _has(f, lex.anonymous_nouns) and not _CAP.search(
        raw.split(" ", 1)[-1] if len(words) > 1 else ""
    ):
        return "anonymous"
    if _has(f, lex.bodies):
        return "institutional"
    if _has(f, lex.anonymous_nouns):
        return "anonymous"
    caps = raw.split(" ", 1)[1] if initial and " " in raw else ("" if initial else raw)
    if _CAP.search(caps) and f not in lex.pronouns and not placed:
        return "named"  # ("Leaders said": a sentence-initial capital names no one)
    return "unknown"


def _antecedent(f: str, lex: Lexicon, history: list[SpeakerInfo]) -> SpeakerInfo | None:
    """The earlier speaker a pronoun or a definite description refers back to."""
    words = f.split()
    # also a possessive ("його" of "за його словами"), singular ones for a person
    own = lex.pronoun_table.get(f) if f not in lex.pronouns else None
    if own is not None or f in lex.pronouns or (len(words) == 1 and words[0] in lex.pronouns):
        need_person = f in lex.person_pronouns or (own is not None and "p" not in own)
        for info in reversed(history):
            if info.source_type == "unknown":
                continue
            if need_person and not info.person:
                continue
            return info
        return None
    anaphoric = any(f.endswith(a) or f == a for a in lex.anaphors)
    if words and (words[0] in lex.definite or anaphoric):
        content = [w for w in _strip_det(words, lex) if w not in lex.same]
        for info in reversed(history):
            if content and all(w in info.key.split() for w in content[:2]):
                return info
        if anaphoric and history:
            return history[-1]
    return None


def _via(article: Article, stype: SourceType, f: str, lex: Lexicon) -> tuple[str, ...]:
    """Attribution outlets the quote reached us through, minus the outlet that is its speaker."""
    chain = list(article.attribution)
    if not chain:
        return ()
    if stype == "outlet":
        for k, link in enumerate(chain):
            names = {lfold(link.outlet), lfold(link.as_written)}
            if any(n and (n in f or f in n) for n in names):
                return tuple(x.outlet for x in chain[:k])
        # A generic "the newspaper" names the origin of the chain, the farthest link.
        return tuple(x.outlet for x in chain[:-1])
    return tuple(x.outlet for x in chain)


def type_speakers(article: Article, cands: list[Cand], lex: Lexicon) -> list[SpeakerInfo]:
    """One :class:`SpeakerInfo` per candidate, in text order, resolving anaphora as it goes."""
    text = article.body
    outlets = tuple(
        n for link in article.attribution for n in (lfold(link.outlet), lfold(link.as_written)) if n
    )
    history: list[SpeakerInfo] = []
    out: list[SpeakerInfo] = []
    for c in cands:
        if c.speaker is None:
            out.append(SpeakerInfo(via=_via(article, "unknown", "", lex)))
            continue
        span = c.antecedent or c.speaker
        raw = text[span[0] : span[1]]
        f = lfold(raw)
        ante = _antecedent(f, lex, history)
        if ante is not None:
            info = SpeakerInfo(
                ante.source_type, ante.entity_id, ante.role, ante.via, ante.person, ante.key
            )
            out.append(info)
            history.append(info)
            continue
        ent = _entity_at(article, span)
        if (
            ent is not None
            and ent.type != "person"
            and _ends_in_name(raw, ent, span)
            and _has(f, lex.spokesperson)
        ):
            ent = None  # "речниця Єврокомісії Анна Пізонеро": the person, not her institution
        s0, s1 = c.sent
        context = text[s0:s1]
        if c.content is not None:
            context = text[s0 : max(s0, c.content[0])] + " " + text[min(s1, c.content[1]) : s1]
        # A sentence-initial capital names no one, unless the word was a name before ("Fain")
        initial = not text[s0 : span[0]].strip(" \t\n\"'«“„—–-") and raw not in text[: span[0]]
        stype = classify(raw, context, ent, lex, outlets, initial)
        person = stype in _PERSONLIKE or _has(f, lex.spokesperson)
        info = SpeakerInfo(
            source_type=stype,
            entity_id=ent.id if ent else None,
            role=_role(raw, stype, ent, lex),
            via=_via(article, stype, f, lex),
            person=person,
            key=f,
        )
        out.append(info)
        history.append(info)
    return out


__all__ = ["SpeakerInfo", "classify", "fold_same_length", "type_speakers"]
