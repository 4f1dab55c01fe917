"""Who and where of an event: participant phrases from the parse, resolved to entities and states.

The event coder (:mod:`wiretrace.stages.events`) finds a trigger; this module turns the tokens
around it into :class:`~wiretrace.model.Participant` records. A participant is a noun phrase cut
from the dependency tree (relative clauses and coordinated phrases left out, conjuncts split into
separate participants), its pronouns replaced by an antecedent, and then resolved: to an entity of
``article.entities`` when a mention overlaps it, and to an ISO country through the state names of
Babel's CLDR data, per-language demonyms and metonyms ("le Kremlin" -> RU). Everything here is
shared by all languages; the words come from ``lang/<code>/events.toml``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import Article, Entity, Participant
from ..textutil import fold, lang_data

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

# Codes that CLDR lists as territories but that are unions or groupings, not states.
_NOT_STATES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK"})
# Dependencies whose subtrees are not part of a participant's name.
_CUT = frozenset(
    {"relcl", "acl", "acl:relcl", "advcl", "punct", "cc", "conj", "det", "parataxis", "npadvmod"}
)
_NAME_TYPES = frozenset({"PERSON", "PER", "ORG", "GPE", "LOC", "NORP"})


@dataclass(frozen=True)
class Lexicon:
    """The event words of one language, read once from ``lang/<code>/events.toml``."""

    lang: str
    verbs: dict[str, str]
    nouns: dict[str, str]
    words: dict[str, frozenset[str]]
    states: dict[str, str]  # folded state name, demonym or metonym -> ISO code ("" = no state)
    depth: str

    def has(self, role: str, word: str) -> bool:
        return word.lower() in self.words.get(role, frozenset())


@functools.cache
def lexicon(lang: str) -> Lexicon | None:
    """The lexicon for ``lang``, or None when the language ships no event data."""
    data: dict[str, Any] = lang_data(lang, "events")
    if not data:
        return None
    words = {k: frozenset(str(w).lower() for w in v) for k, v in data.get("words", {}).items()}
    states = dict(_cldr_states(lang))
    for table in ("demonyms", "metonyms"):
        states.update({fold(k): str(v) for k, v in data.get(table, {}).items()})
    return Lexicon(
        lang=lang,
        verbs={str(k).lower(): str(v) for k, v in data.get("verbs", {}).items()},
        nouns={str(k).lower(): str(v) for k, v in data.get("nouns", {}).items()},
        words=words,
        states=states,
        depth=str(data.get("meta", {}).get("depth", "deep")),
    )


def _cldr_states(lang: str) -> dict[str, str]:
    """Folded state names -> ISO codes in ``lang`` and English (CLDR data shipped with Babel)."""
    from babel import Locale

    out: dict[str, str] = {}
    for loc in ("en", lang):
        try:
            names = Locale.parse(loc).territories
        except (ValueError, LookupError):
            continue
        for code, name in names.items():
            if len(code) == 2 and code.isalpha():
                out[fold(name)] = "" if code in _NOT_STATES else code
    return out


def state_in(words: Sequence[str], lex: Lexicon) -> str | None:
    """The first state named by a run of up to three words (a name, demonym or metonym)."""
    folded = [fold(w) for w in words]
    for i in range(len(folded)):
        for n in (3, 2, 1):
            key = " ".join(folded[i : i + n])
            if i + n <= len(folded) and key in lex.states:
                code = lex.states[key]
                return code or None
            # Plural and feminine demonyms ("russes", "américaines", "Israelis").
            for suffix in ("s", "es", "e", "nes", "ne"):
                if n == 1 and key.endswith(suffix) and key[: -len(suffix)] in lex.states:
                    return lex.states[key[: -len(suffix)]] or None
    return None


def names_state(words: Sequence[str], lex: Lexicon) -> bool:
    """Whether the words name or qualify a state (used to pick the possessor of a proposal)."""
    return any(_state_key(w, lex) for w in words)


def _state_key(word: str, lex: Lexicon) -> bool:
    f = fold(word)
    return f in lex.states or any(
        f.endswith(s) and f[: -len(s)] in lex.states for s in ("s", "es", "e")
    )


def is_named(tok: Token, lex: Lexicon) -> bool:
    """A token that names an actor: proper noun, named entity or state word."""
    return tok.pos_ == "PROPN" or tok.ent_type_ in _NAME_TYPES or _state_key(tok.text, lex)


def phrase(head: Token) -> list[Token]:
    """The tokens of the noun phrase headed by ``head`` (conjuncts and clauses cut away)."""
    keep: list[Token] = [head]
    stack = [c for c in head.children if c.dep_ not in _CUT]
    while stack:
        tok = stack.pop()
        keep.append(tok)
        stack.extend(c for c in tok.children if c.dep_ not in _CUT or c.dep_ == "det")
    keep.sort(key=lambda t: t.i)
    # Leading determiners, prepositions and punctuation carry no name.
    while len(keep) > 1 and keep[0].pos_ in {"DET", "ADP", "PUNCT", "CCONJ"}:
        keep.pop(0)
    return keep


def conjuncts(head: Token) -> list[Token]:
    """``head`` and the heads coordinated with it ("Israel and the Palestinians")."""
    out = [head]
    for c in head.children:
        if c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN", "PRON", "ADJ", "X", "NUM"}:
            out.extend(conjuncts(c))
    return out


def antecedent(tok: Token, lex: Lexicon) -> Token | None:
    """What a pronoun stands for, within the sentence; None when nothing plausible precedes it."""
    low = tok.lower_
    if lex.has("relative", low) or "Rel" in tok.morph.get("PronType"):
        # "a resolution that aims ...": the noun the relative clause hangs on.
        node = tok.head
        while node.dep_ not in {"relcl", "acl:relcl", "acl"} and node.head.i != node.i:
            node = node.head
        return node.head if node.head.i != node.i else None
    if not lex.has("pronouns", low):
        return None
    # "Hungary said it will ...": the subject of the verb that reports the clause.
    node = tok.head
    while node.head.i != node.i:
        parent = node.head
        if node.dep_ in {"ccomp", "xcomp", "advcl", "conj"}:
            for c in parent.children:
                if c.dep_.startswith("nsubj") and c.i < tok.i and c.pos_ != "PRON":
                    return c
        node = parent
    for prev in reversed(list(tok.sent[: tok.i - tok.sent.start])):
        if is_named(prev, lex) and prev.dep_ not in {"compound", "amod", "flat", "flat:name"}:
            return prev
    return None


def _resolve_head(tok: Token, lex: Lexicon) -> Token:
    if tok.pos_ == "PRON" or lex.has("relative", tok.lower_):
        ante = antecedent(tok, lex)
        if ante is not None and ante.i != tok.i:
            return ante
    return tok


def _entity_at(start: int, end: int, entities: Iterable[Entity]) -> Entity | None:
    for ent in entities:
        for m in ent.mentions:
            if m.start < end and start < m.end:
                return ent
    return None


def participant(tokens: Sequence[Token], article: Article, lex: Lexicon) -> Participant:
    """Build a participant from phrase tokens: text, overlapping entity, and state if any."""
    doc = tokens[0].doc
    text = doc[tokens[0].i : tokens[-1].i + 1].text.strip()
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    ent = _entity_at(start, end, article.entities)
    country = ent.country if ent is not None else None
    if country is None:
        scope = list(tokens)
        head = min(tokens, key=lambda t: _depth(t))
        # A role in apposition says whose official a person is ("Bono, adviser of Washington").
        for c in head.children:
            if c.dep_ in {"appos", "nmod", "acl"}:
                scope.extend(c.subtree)
        country = state_in([t.text for t in scope], lex)
    return Participant(text=text, entity_id=ent.id if ent is not None else None, country=country)


def _depth(tok: Token) -> int:
    n = 0
    while tok.head.i != tok.i:
        tok, n = tok.head, n + 1
    return n


def participants(heads: Iterable[Token], article: Article, lex: Lexicon) -> list[Participant]:
    """Participants for phrase heads: pronouns resolved, conjuncts and demonym lists split."""
    out: list[Participant] = []
    seen: set[str] = set()
    for raw in heads:
        for head in conjuncts(_resolve_head(raw, lex)):
            for toks in _split_qualifiers(head, lex):
                p = participant(toks, article, lex)
                if p.text and fold(p.text) not in seen:
                    seen.add(fold(p.text))
                    out.append(p)
    return out


def _split_qualifiers(head: Token, lex: Lexicon) -> list[list[Token]]:
    """ "Hungarian and Romanian officials" -> one phrase per coordinated state adjective."""
    toks = phrase(head)
    quals = [c for c in head.children if c.dep_ == "amod" and _state_key(c.text, lex)]
    if len(quals) != 1:
        return [toks]
    extra = [c for c in quals[0].children if c.dep_ == "conj" and _state_key(c.text, lex)]
    if not extra:
        return [toks]
    out = [toks]
    for adj in extra:
        variant = [t for t in toks if t.i != quals[0].i] + [adj]
        out.append(sorted(variant, key=lambda t: t.i))
    return out


def places(
    sent: SpacySpan, article: Article, lex: Lexicon, near: Sequence[Token] = ()
) -> list[Participant]:
    """Locations of the sentence: place entities or named places after a place preposition.

    ``near`` adds the complements of the trigger ("the blockade of the Lachin corridor").
    """
    out: list[Participant] = []
    seen: set[str] = set()
    place_ents = [e for e in article.entities if e.type == "place"]
    candidates: list[Token] = []
    for tok in sent:
        if tok.pos_ != "PROPN" and tok.ent_type_ not in {"GPE", "LOC"}:
            continue
        if tok.dep_ in {"compound", "flat", "flat:name", "amod"}:
            continue
        case = [c for c in tok.children if c.dep_ in {"case"}] + (
            [tok.head] if tok.head.dep_ == "prep" or tok.dep_ == "pobj" else []
        )
        after_prep = any(lex.has("place_preps", c.lower_) for c in case)
        is_place = tok.ent_type_ in {"GPE", "LOC"} or (
            _entity_at(tok.idx, tok.idx + len(tok.text), place_ents) is not None
        )
        if is_place and (after_prep or any(tok in n.subtree for n in near)):
            candidates.append(tok)
    for tok in candidates:
        p = participant(phrase(tok), article, lex)
        if fold(p.text) not in seen:
            seen.add(fold(p.text))
            out.append(p)
    return out
