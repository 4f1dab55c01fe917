"""Name mentions in an article body, from whichever analysis the language affords.

Deep languages give statistical NER spans (spaCy for fr/en, natasha for ru); every language
gets the registry gazetteer; basic languages add capitalised-sequence candidates filtered by
stop words. Gazetteer matches win over overlapping NER spans, which is what fixes the known
NER confusions in a general way: an outlet is never a place, a registry place is never a
person, whatever the model guessed.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wiretrace.model import EntityType, Role
from wiretrace.nlp import Parsed
from wiretrace.registry import OutletEntry
from wiretrace.registry.actors import ActorEntry, find_actor
from wiretrace.stages.entities import frames, linking, places, roles
from wiretrace.textutil import fold, lang_data, nouns_capitalised

# NER labels (spaCy fr/en, natasha) -> entity type; labels not listed are not entities.
_LABELS: dict[str, EntityType] = {
    "PER": "person",
    "PERSON": "person",
    "LOC": "place",
    "GPE": "place",
    "FAC": "place",
    "ORG": "organisation",
    "MISC": "other",
    "EVENT": "other",
    "PRODUCT": "other",
    "WORK_OF_ART": "other",
    "LAW": "other",
}
_WORD = re.compile(r"\w+(?:['’]\w+)?")
_WIDER_THAN_PLACE = ("person", "organisation")
# Elided articles and prepositions glued to a name ("l’Azerbaïdjan", "d’Arménie").
_ELISION = re.compile(r"^(?:[lLdDjJ]|qu|Qu)['’]")


@dataclass(frozen=True)
class Mention:
    """One name occurrence: body span, guessed type, registry entry and lemma candidates."""

    start: int
    end: int
    text: str
    label: EntityType | None
    entry: ActorEntry | OutletEntry | None = None
    lemmas: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()  # other spellings (e.g. the registry alias), for display
    locative: bool = False  # right after a preposition of place ("in Al Haouz province")
    lead: int | None = None  # start of a complement cut off before the name (leading.split)


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    """Drop elided articles, surrounding punctuation and spaces from a span."""
    m = _ELISION.match(body[start:end])
    if m:
        start += m.end()
    while start < end and not body[start].isalnum():
        start += 1
    while end > start and not (body[end - 1].isalnum() or body[end - 1] == "."):
        end -= 1
    return start, end


def gazetteer(body: str, lang: str | None) -> list[Mention]:
    """Registry names, and hyphen-linked toponyms ("Rostov-on-Don"), which win over NER."""
    out = [Mention(s, e, body[s:e], "place") for s, e in places.linked_toponyms(body)]
    taken = [(m.start, m.end) for m in out]
    for hit in linking.scan(body, lang):
        s, e = _trim(body, hit.start, hit.end)
        if e <= s:
            continue
        if any(a < e and s < b for a, b in taken):
            continue
        label: EntityType = "outlet" if isinstance(hit.entry, OutletEntry) else hit.entry.type
        out.append(Mention(s, e, body[s:e], label, hit.entry, variants=(hit.alias,)))
    out.sort(key=lambda m: m.start)
    return out


def statistical(
    parsed: Parsed, body: str, lang: str | None, ner: list[linking.NerSpan] | None = None
) -> list[Mention]:
    """NER mentions: spaCy entities on deep pipelines, else ``ner`` spans (natasha for ru).

    ``ner`` is computed for a whole batch by :func:`external_ner`; when absent it is computed
    here for this one text.
    """
    spans: list[tuple[int, int, str]] = []
    if parsed.depth == "deep":
        spans = [(e.start_char, e.end_char, e.label_) for e in parsed.doc.ents]
    elif _ner_engine(lang) is not None:
        found = ner if ner is not None else external_ner([body], lang)[0]
        spans = [(s.start, s.end, s.label) for s in found]
    # A tagger's span across a comma is a list, not a name ("Kharkiv, Izium" ORG).
    spans = [
        (start + p.start(), start + p.end(), label)
        for start, end, label in spans
        for p in re.finditer(r"[^,]+", body[start:end])
    ]
    out = []
    for start, end, label in spans:
        etype = _LABELS.get(label)
        if etype is None:
            continue
        s, e = _trim(body, start, end)
        if e - s < 2 or not body[s].isupper() or _is_demonym(body[s:e], lang):
            continue
        if frames.people(body, s, e, lang):
            continue
        if _is_title_word(body, s, e, lang):
            continue
        out.append(Mention(s, e, body[s:e], etype))
    return out


def _is_title_word(body: str, start: int, end: int, lang: str | None) -> bool:
    """A lone title ("Sheriff", "Judge") or abbreviation ("Det.", "Atty.") is not a name."""
    text = body[start:end]
    if " " in text:
        return False
    if roles.lexicon(lang).is_head(fold(text)):
        return True
    return len(text) <= 4 and body[end : end + 1] == "." and not text.isupper()


@functools.cache
def _demonym_stems(lang: str | None) -> tuple[str, ...]:
    data: dict[str, Any] = lang_data(lang, "entities").get("demonyms", {}) if lang else {}
    return tuple(fold(k) for k in data)


def _is_demonym(text: str, lang: str | None) -> bool:
    """ "les Russes", "the Americans": peoples, which NER often tags as places."""
    word = fold(text)
    if " " in word:
        return False
    return any(
        word.startswith(stem) and len(word) - len(stem) <= 3 for stem in _demonym_stems(lang)
    )


@functools.cache
def _ner_engine(lang: str | None) -> str | None:
    if not lang:
        return None
    value = lang_data(lang, "entities").get("inflection", {}).get("ner")
    return str(value) if value else None


def external_ner(texts: Sequence[str], lang: str | None) -> list[list[linking.NerSpan]]:
    """NER from an engine named in the language data (``[inflection] ner``), batched."""
    if _ner_engine(lang) == "natasha":
        return linking.natasha_spans(texts)
    return [[] for _ in texts]


def uses_ner(lang: str | None, parsed: Parsed) -> bool:
    return parsed.depth == "deep" or _ner_engine(lang) is not None


def candidates(parsed: Parsed, body: str, lang: str | None) -> list[Mention]:
    """Capitalised word sequences that may be names (basic depth), minus stop words.

    Sentence-initial single words are dropped (capitalised by position, not by being a name)
    unless morphology says they are names; where every noun is capitalised (German), a single
    word only survives when morphology or a longer name in the article backs it.
    """
    data: dict[str, Any] = lang_data(lang, "entities").get("candidates", {}) if lang else {}
    particles = {fold(p) for p in data.get("particles", [])}
    nouns_capital = nouns_capitalised(lang)
    stops = roles.stop_words(lang)
    starts = {s.start_char for s in parsed.doc.sents}
    words = list(_WORD.finditer(body))
    seqs: list[list[re.Match[str]]] = []
    cur: list[re.Match[str]] = []
    for m in words:
        w = m.group(0)
        joined = cur and body[cur[-1].end() : m.start()] in (" ", "-", "\u00a0")
        if w[:1].isupper() and fold(w) not in stops:
            if cur and not joined:
                seqs.append(cur)
                cur = []
            cur.append(m)
        elif cur and joined and fold(w) in particles:
            cur.append(m)
        elif cur:
            seqs.append(cur)
            cur = []
    if cur:
        seqs.append(cur)
    seqs = [part for seq in seqs for part in _split_acronym(seq)]
    out: list[Mention] = []
    lex = roles.lexicon(lang)
    lower_words = {m.group(0) for m in words if m.group(0)[:1].islower()}
    for seq in seqs:
        # A sentence-initial word that the article also writes in lower case is a common
        # word capitalised by position ("Fuentes del Ministerio" -> "Ministerio").
        # So is one the dictionary knows only as a common word ("Заяву Юлії Свириденко").
        if (
            len(seq) > 1
            and _sentence_initial(body, seq[0].start(), starts)
            and (
                seq[0].group(0).lower() in lower_words or linking.common_word(seq[0].group(0), lang)
            )
        ):
            seq = seq[1:]
        while seq and fold(seq[-1].group(0)) in particles:
            seq = seq[:-1]
        if nouns_capital and any(fold(w.group(0)) in particles for w in seq):
            # "Normalisierung der Beziehungen": where nouns are capitalised, nouns joined by an
            # article are a phrase, not a name (names with particles come from the registry);
            # what follows the last particle may still be one ("Angaben der Ärztin Eva Lorenz").
            last = max(i for i, w in enumerate(seq) if fold(w.group(0)) in particles)
            seq = seq[last + 1 :]
            if len(seq) < 2:
                continue
        if nouns_capital and len(seq) >= 3 and frames.leading_noun(body, seq, lang):
            seq = seq[-2:]  # "der Detroiter Bäcker Klaus Winter": the noun is a role
        forced = frames.category(seq[0].group(0), lang) if nouns_capital and seq else None
        if forced is not None and len(seq) >= 2:
            seq = seq[1:]  # "Provinz Hamadan", "Gewerkschaft Nord Metall"
        else:
            forced = None
        # A capitalised title opening a sentence is not part of the name ("Радник Алексі ...").
        while seq and forced is None and lex.is_head(fold(seq[0].group(0))):
            seq = seq[1:]
        while seq and fold(seq[-1].group(0)) in particles:
            seq = seq[:-1]
        if not seq:
            continue
        s, e = seq[0].start(), seq[-1].end()
        text = body[s:e]
        lemmas, kind = linking.lemmas(text, lang)
        initial = _sentence_initial(body, s, starts)
        acronym = text.isupper() and len(text) >= 2
        # A registered person's surname is a name wherever it stands ("Paszynian wrócił …").
        known = len(seq) == 1 and _registered_person(text)
        if (
            len(seq) == 1
            and not (acronym or known or forced)
            and kind is None
            and (initial or nouns_capital)
        ):
            continue
        lone = nouns_capital and initial and kind is None and not (known or acronym)
        if forced is None and lone:
            continue
        label: EntityType | None = forced or kind
        out.append(Mention(s, e, text, label, None, lemmas))
    return out


def _registered_person(word: str) -> bool:
    entry = find_actor(word)
    return entry is not None and entry.type == "person"


def _split_acronym(seq: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """ "señaló a AM Andrés Villalba": an acronym is a whole name (an agency, party or outlet);
    a given name and surname after it start a name of their own."""
    for k in range(len(seq) - 2):
        w = seq[k].group(0)
        rest = seq[k + 1 :]
        if w.isupper() and len(w) >= 2 and all(not r.group(0).isupper() for r in rest):
            return [seq[: k + 1], rest]
    return [seq]


def _sentence_initial(body: str, start: int, starts: set[int]) -> bool:
    i = start
    while i > 0 and not body[i - 1].isalnum() and body[i - 1] not in ".!?\n":
        i -= 1
    return i == 0 or i in starts or body[i - 1] in ".!?\n"


def merge(gaz: list[Mention], other: list[Mention]) -> list[Mention]:
    """Gazetteer mentions plus the others that do not overlap them, in body order.

    A longer statistical span that swallows a registry place keeps its own reading when it is
    clearly a larger name ("Université de Kyiv"); otherwise the registry wins.
    """
    kept = list(gaz)
    for m in other:
        inside = [g for g in gaz if g.start < m.end and m.start < g.end]
        if not inside:
            kept.append(m)
            continue
        if len(inside) == 1:
            g = inside[0]
            longer = m.start <= g.start and g.end <= m.end and (m.end - m.start) > (g.end - g.start)
            extra = len(_WORD.findall(m.text)) - len(_WORD.findall(g.text))
            # A place name inside a longer person or organisation name is part of that name
            # ("Chad Johnson", "Banque centrale de Russie"), not a mention of the place.
            if longer and extra >= 1 and g.label == "place" and m.label in _WIDER_THAN_PLACE:
                kept.remove(g)
                kept.append(m)
    kept.sort(key=lambda m: (m.start, -m.end))
    out: list[Mention] = []
    last_end = -1
    for m in kept:
        if m.start >= last_end:
            out.append(m)
            last_end = m.end
    return out


def framed(m: Mention, frame: tuple[frames.FrameType, Role | None] | None) -> Mention:
    """A mention typed by the noun that introduces it, unless the registry or a tagger's
    non-person, non-organisation reading (a place, an event) says otherwise."""
    if frame is None or m.entry is not None or m.label not in (None, "person", "organisation"):
        return m
    return dataclasses.replace(m, label=frame[0])


def placed(m: Mention, body: str, lang: str | None) -> Mention:
    if m.entry is not None or m.label == "place":
        return m
    if frames.place_frame(body, m.start, m.end, lang):
        return dataclasses.replace(m, label="place")  # "Лачинському коридору"
    if m.label not in (None, "person", "other"):
        return m
    return dataclasses.replace(m, locative=frames.after_locative(body, m.start, m.end, lang))
