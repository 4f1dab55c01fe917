"""Who and where of an event: participant phrases from the parse, resolved to entities and states.

The event coder (:mod:`wiretrace.stages.events.stage`) finds a trigger; this module turns the tokens
around it into :class:`~wiretrace.model.Participant` records. A participant is a noun phrase cut
from the dependency tree (relative clauses and coordinated phrases left out, conjuncts split into
separate participants), its pronouns replaced by an antecedent, and then resolved: to an entity of
``article.entities`` when a mention overlaps it, and to an ISO country through the state names of
Babel's CLDR data, per-language demonyms and metonyms ("le Kremlin" -> RU). Everything here is
shared by all languages; the words come from ``lang/<code>/events.toml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from wiretrace.model import Article, Entity, Participant
from wiretrace.stages.events.agents import acting, paragraph_antecedent
from wiretrace.stages.events.filters import rejection
from wiretrace.stages.events.lexicon import Lexicon
from wiretrace.textutil import fold

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

# Dependencies whose subtrees are not part of a participant's name.
_CUT = frozenset(
    {"relcl", "acl", "acl:relcl", "advcl", "punct", "cc", "conj", "det", "parataxis", "npadvmod"}
)
_BREAKS = frozenset({";", "(", ")", ":", "«", "»", '"'})
_NAME_DEPS = frozenset({"appos", "flat", "flat:name", "compound"})
_NAME_TYPES = frozenset({"PERSON", "PER", "ORG", "GPE", "LOC", "NORP"})
_CLAUSAL = frozenset({"PRON", "VERB", "AUX", "SCONJ", "ADP"})


_SUFFIXES = ("s", "es", "e", "nes", "ne")


def _lookup(words: Sequence[str], lex: Lexicon) -> str | None:
    """ISO code ("" for a non-state body) of a word run, or None when it names nothing.

    State names and metonyms must be capitalised ("la Réunion" the island, not "la réunion"
    the meeting); demonyms match in any case and with plural or feminine endings.
    """
    key = " ".join(fold(w) for w in words)
    if key in lex.demonyms:
        return lex.demonyms[key]
    if len(words) == 1:
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and key[: -len(suffix)] in lex.demonyms:
                return lex.demonyms[key[: -len(suffix)]]
    if key in lex.states and words[0][:1].isupper():
        return lex.states[key]
    return None


def state_in(words: Sequence[str], lex: Lexicon) -> str | None:
    """The first state named by a run of up to three words (a name, demonym or metonym)."""
    for i in range(len(words)):
        for n in (3, 2, 1):
            if i + n <= len(words):
                code = _lookup(words[i : i + n], lex)
                if code is not None:
                    return code or None
    return None


def names_state(words: Sequence[str], lex: Lexicon) -> bool:
    """Whether the words name or qualify a state (used to pick the possessor of a proposal)."""
    return any(_state_key(w, lex) for w in words)


def _state_key(word: str, lex: Lexicon) -> bool:
    return _lookup([word], lex) is not None


def _states(head: Token, lex: Lexicon) -> bool:
    return any(_state_key(t.text, lex) for t in [head, *head.children])


def is_named(tok: Token, lex: Lexicon) -> bool:
    """A token that names an actor: proper noun, named entity or state word."""
    return tok.pos_ == "PROPN" or tok.ent_type_ in _NAME_TYPES or _state_key(tok.text, lex)


def _trailing(tok: Token, lex: Lexicon | None) -> bool:
    """A modifier that says when, not who: "jeudi", "on Sunday", "last week"."""
    if tok.dep_ == "prep":
        objs = [c for c in tok.children if c.dep_ == "pobj"]
        return bool(objs) and all(_trailing(o, lex) for o in objs)
    if tok.text.isdigit() and len(tok.text) == 4 and tok.text[:2] in {"19", "20"}:
        return True  # a year, even when the parser glued it to a name
    if tok.dep_ in {"compound", "flat", "flat:name"}:
        return False
    return tok.ent_type_ in {"DATE", "TIME"} or (lex is not None and is_time(tok, lex))


def is_time(tok: Token, lex: Lexicon) -> bool:
    """Whether a word names a time (weekday, month, "nuit", "yesterday") in this language."""
    return lex.has("time_words", tok.lemma_) or lex.has("time_words", tok.lower_)


def phrase(head: Token, lex: Lexicon | None = None) -> list[Token]:
    """The tokens of the noun phrase headed by ``head`` (conjuncts, clauses and times cut)."""
    keep: list[Token] = [head]
    stack = [c for c in head.children if c.dep_ not in _CUT and not _trailing(c, lex)]
    while stack:
        tok = stack.pop()
        keep.append(tok)
        stack.extend(
            c
            for c in tok.children
            if (c.dep_ not in _CUT or c.dep_ == "det") and not _trailing(c, lex)
        )
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
    if lex.has("relative", low) or "Rel" in tok.morph.get("PronType", []):
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
        if node.dep_ in {"ccomp", "xcomp"} and lex.has("reporting", parent.lemma_):
            # The reporter may follow its quote: "« Nous avons frappé », a déclaré le ministre".
            for c in parent.children:
                if c.dep_.startswith("nsubj") and c.pos_ != "PRON":
                    return c
        node = parent
    if lex.has("first_person", low):
        # "We struck ...", said the ministry: the speaker, wherever the reporting verb sits.
        for verb in tok.sent:
            if verb.pos_ == "VERB" and lex.has("reporting", verb.lemma_):
                for c in verb.children:
                    if c.dep_.startswith("nsubj") and c.pos_ != "PRON":
                        return c
        return None
    return None


def _resolve_head(tok: Token, lex: Lexicon, article: Article) -> Token:
    if tok.pos_ == "PRON" or lex.has("relative", tok.lower_):
        ante = antecedent(tok, lex)
        if ante is None and lex.has("pronouns", tok.lower_):
            # The nearest earlier name of the paragraph that agrees in gender and number.
            ante = paragraph_antecedent(tok, article, lex.lang)
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
    kept = {t.i for t in tokens}
    gaps = [t for t in doc[tokens[0].i : tokens[-1].i + 1] if t.i not in kept]
    if all(t.is_punct and t.text not in _BREAKS for t in gaps):
        # Hyphens and apostrophes inside a name stay ("Nagorno-Karabakh").
        text = doc[tokens[0].i : tokens[-1].i + 1].text.strip()
    else:  # a split conjunct ("responsables européens"): its own words only
        text = " ".join(t.text for t in tokens)
    head = min(tokens, key=lambda t: _depth(t))
    # The head's own entity first: "dirigeants arméniens du Karabakh" are not Karabakh; a
    # title's name is the head's own too ("le président russe Vladimir Poutine").
    names = [head] + [
        c for c in head.children if c.pos_ == "PROPN" and c.dep_ in _NAME_DEPS and c.i in kept
    ]
    ent = next(
        (e for n in names if (e := _entity_at(n.idx, n.idx + len(n.text), article.entities))),
        None,
    )
    if ent is None and head.pos_ != "PROPN":
        own = [t for t in tokens if t.head.i == head.i and t.dep_ in {"amod", "compound"}]
        country = state_in([t.text for t in [head, *own]], lex)
        if country is not None:
            return Participant(text=text, country=country)
    if ent is None:
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        ent = _entity_at(start, end, article.entities)
    country = ent.country if ent is not None else None
    if country is None:
        scope = list(tokens)
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
    by_id = {e.id: e for e in article.entities}
    for raw in heads:
        for conj in conjuncts(_resolve_head(raw, lex, article)):
            if is_time(conj, lex) or conj.ent_type_ in {"DATE", "TIME"} or conj.pos_ in _CLAUSAL:
                continue  # a time, an unresolved pronoun, or a clause rather than a phrase
            head = acting(conj, article, lex.lang, lambda t: _states(t, lex))
            if head is None:
                continue  # "the decision", "last attempt": no one who can act
            for toks in _split_qualifiers(head, lex):
                p = participant(toks, article, lex)
                ent = by_id.get(p.entity_id or "")
                if rejection(p.text, lex.lang, article, ent) is not None:
                    continue
                if p.text and fold(p.text) not in seen:
                    seen.add(fold(p.text))
                    out.append(p)
    return out


def _split_qualifiers(head: Token, lex: Lexicon) -> list[list[Token]]:
    """ "Hungarian and Romanian officials" -> one phrase per coordinated state adjective."""
    toks = phrase(head, lex)
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


def _place_prep(tok: Token, lex: Lexicon) -> bool:
    """Whether a place preposition introduces ``tok`` or the noun phrase it sits in.

    "dans la région du Haut-Karabakh": the preposition is on "région", two steps up.
    """
    node = tok
    for _ in range(4):
        case = [c.lower_ for c in node.children if c.dep_ == "case"]
        if node.dep_ == "pobj":
            case.append(node.head.lower_)
        if any(lex.has("place_preps", c) for c in case):
            return True
        if node.dep_ not in {"nmod", "obl:arg", "pobj", "acl", "appos", "compound", "flat:name"}:
            return False
        node = node.head.head if node.dep_ == "pobj" else node.head
    return False


def _clause_of(tok: Token) -> int:
    """Index of the verb whose clause ``tok`` belongs to (the root if none)."""
    node = tok
    while node.head.i != node.i:
        node = node.head
        participle = node.dep_ in {"acl", "amod"} and "Part" in node.morph.get("VerbForm", [])
        if node.pos_ in {"VERB", "AUX"} and not participle:
            return int(node.i)
    return int(node.i)


def _name_span(tok: Token) -> list[Token]:
    """The named-entity span around ``tok`` if the tagger found one, else the token."""
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return list(ent)
    return [tok]


def places(
    sent: SpacySpan,
    article: Article,
    lex: Lexicon,
    clause: Token | None = None,
    near: Sequence[Token] = (),
) -> list[Participant]:
    """Locations of the sentence: named places after a place preposition, or under the trigger.

    With ``clause``, only places of that clause count (not those of a subordinate clause
    about something else); ``near`` adds the complements of a trigger noun ("the blockade of
    the Lachin corridor").
    """
    out: list[Participant] = []
    seen: set[str] = set()
    place_ents = [e for e in article.entities if e.type == "place"]
    inside = {t.i for n in near for t in n.subtree}
    for tok in sent:
        is_place = (tok.pos_ == "PROPN" and tok.ent_type_ in {"GPE", "LOC"}) or (
            tok.pos_ == "PROPN"
            and _entity_at(tok.idx, tok.idx + len(tok.text), place_ents) is not None
        )
        if not is_place or (
            tok.dep_ in {"compound", "flat", "flat:name", "amod"} and tok.i not in inside
        ):
            continue
        own = clause is None or _clause_of(tok) == clause.i
        if not ((own and _place_prep(tok, lex)) or tok.i in inside):
            continue
        p = participant(_name_span(tok), article, lex)
        if fold(p.text) not in seen:
            seen.add(fold(p.text))
            out.append(p)
    return out
