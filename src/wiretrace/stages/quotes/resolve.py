"""Pronoun speakers resolved to the nearest compatible antecedent earlier in the text.

"« … », a-t-il ajouté", "– написав він", "she said": the speaker is whoever the pronoun refers
to. Antecedents are earlier speakers and earlier mentions of person entities (outside quoted
content), searched backwards from the pronoun within its paragraph and the two before it; the
first one whose gender and number agree with the pronoun (:mod:`.morph`) is taken. A named
antecedent gives the quote its name and entity; an unnamed one ("un diplomate européen") passes
on its source type and role, and the pronoun stays as written.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass

from wiretrace.model import Article
from wiretrace.nlp import MORPH_LANGS
from wiretrace.stages.quotes.lexicon import WORD, Cand, Lexicon, Range, lfold
from wiretrace.stages.quotes.morph import (
    common_noun,
    compatible,
    lemma,
    phrase_features,
    pronoun_features,
    role_features,
    verb_features,
)
from wiretrace.stages.quotes.sources import SpeakerInfo

_PARAGRAPHS_BACK = 2  # a pronoun reaches back over at most this many paragraph breaks


@dataclass(frozen=True)
class Resolved:
    """A quote's speaker after resolution: the name to print and what is known about it."""

    info: SpeakerInfo
    name: str | None = None  # the antecedent's name when the pronoun was resolved to one
    named: Range | None = None  # where that name is written


@dataclass(frozen=True)
class _Ante:
    start: int
    end: int
    name: str
    info: SpeakerInfo
    named: bool
    title: frozenset[str] = frozenset()  # lemmas of the role words that introduced it
    # gender and number when known from elsewhere: a resolved pronoun keeps its own ("она")
    feats: frozenset[str] | None = None
    at: Range | None = None  # where the name is written, when this mention is a pronoun for it

    @property
    def named_at(self) -> Range | None:
        if not self.named:
            return None
        return self.at or (self.start, self.end)


def third_person(f: str, lex: Lexicon) -> bool:
    """Is the folded speaker a third-person pronoun that needs an antecedent?"""
    table = lex.pronoun_table
    return f in table or f.lstrip("-") in table


def resolve(
    article: Article, cands: list[Cand], infos: list[SpeakerInfo], lex: Lexicon
) -> list[Resolved]:
    """One :class:`Resolved` per candidate; pronoun speakers get their antecedent."""
    text = article.body
    contents = [c.content for c in cands if c.content is not None]
    antes = _entity_antecedents(article, contents, lex)
    names = {e.id: e.name for e in article.entities if e.type == "person"}
    out: list[Resolved] = []
    for c, info in zip(cands, infos, strict=True):
        if c.speaker is None:
            # "«…», añadió.", "— додала.": a pro-drop language leaves the subject in the verb
            zero = zero_subject(text, c, lex)
            ante = _nearest_named(text, c.cue, zero, antes, lex) if zero is not None else None
            if ante is None or not ante.named:
                out.append(Resolved(info))
                continue
            out.append(Resolved(_inherit(ante, info), ante.name, ante.named_at))
            continue
        if c.antecedent is not None:
            raw = text[c.antecedent[0] : c.antecedent[1]]
            named = info.source_type == "named"
            out.append(Resolved(info, names.get(info.entity_id or "", raw) if named else raw))
            antes.append(_Ante(*c.antecedent, out[-1].name or raw, info, named, _lemmas(raw, lex)))
            continue
        raw = text[c.speaker[0] : c.speaker[1]]
        f = lfold(raw)
        role_noun = _role_noun(raw, lex)
        feats = pronoun_features(text, c.speaker, lex) if role_noun is None else frozenset()
        if not third_person(f, lex) and role_noun is None:
            out.append(Resolved(info))
            if info.source_type != "unknown":
                named = info.source_type == "named"
                name = names.get(info.entity_id or "", raw) if named else raw
                antes.append(
                    _Ante(c.speaker[0], c.speaker[1], name, info, named, _lemmas(raw, lex))
                )
            continue
        if role_noun is not None:
            # "за словами міністра", "the minister said": the named person introduced with that role
            ante = _same_role(c.speaker, role_noun, antes)
            if ante is None and any(f == a or f.endswith(" " + a) for a in lex.anaphors):
                # "the official", "l'interlocuteur": the nearest earlier person-like source
                ante = _nearest(text, c.speaker, frozenset(), antes, lex)
            if ante is None and info.source_type in ("unknown", "named"):
                # "очільник міста", "der Bürgermeister", "la alcaldesa": a definite role noun
                # refers back to the nearest named person its gender and number agree with
                ante = _nearest_named(
                    text, c.speaker, role_features(text, c.speaker, lex), antes, lex
                )
            if ante is None:
                out.append(Resolved(info))
                continue
        else:
            ante = _nearest(text, c.speaker, feats, antes, lex)
        if ante is None:
            # no compatible antecedent: whatever the typing inherited blindly does not hold
            out.append(Resolved(SpeakerInfo(via=info.via, person=info.person, key=f)))
            continue
        inherited = _inherit(ante, info)
        res = Resolved(inherited, ante.name if ante.named else None, ante.named_at)
        out.append(res)
        # the pronoun now stands for its antecedent, for the next pronoun too, with the gender
        # the pronoun shows ("— заявила она": a later "он" is someone else)
        own = feats if role_noun is None and set(feats) & set("mfn") else ante.feats
        antes.append(
            _Ante(*c.speaker, ante.name, inherited, ante.named, ante.title, own, ante.named_at)
        )
    return out


def _entity_antecedents(article: Article, contents: list[Range], lex: Lexicon) -> list[_Ante]:
    """Person mentions outside quoted content: "Президент Володимир Зеленський привітав …"."""
    out: list[_Ante] = []
    for ent in article.entities:
        if ent.type != "person":
            continue
        info = SpeakerInfo("named", ent.id, ent.roles[0].text if ent.roles else None, (), True)
        for m in ent.mentions:
            if any(a <= m.start < b for a, b in contents):
                continue
            title = _title_words(article.body, m.start, lex)
            feats = _title_features(article.body, m.start, title, lex)
            out.append(_Ante(m.start, m.end, ent.name, info, True, _lemmas(title, lex), feats))
    return out


def _title_words(text: str, pos: int, lex: Lexicon) -> str:
    """The title right before a name ("Міністр закордонних справ", "Union president"): the
    words up to the nearest function word, punctuation or capitalised sentence end."""
    lead = re.split(r"[.!?…,;:()«»\"“”]", text[max(0, pos - 60) : pos])[-1]
    words = lead.split()
    keep: list[str] = []
    for w in reversed(words):
        if lfold(w) in lex.function_words:
            break
        keep.insert(0, w)
    return " ".join(keep)


def _inherit(ante: _Ante, info: SpeakerInfo) -> SpeakerInfo:
    return dataclasses.replace(
        ante.info, via=info.via or ante.info.via, key=ante.info.key or lfold(ante.name)
    )


def _title_features(text: str, pos: int, title: str, lex: Lexicon) -> frozenset[str] | None:
    """The gender a name's title shows where morphology of the name says nothing: its article
    ("la periodista Ana Ruiz", "al seleccionador Luis …") or a feminine ending ("Kapitänin")."""
    if lex.lang in MORPH_LANGS or not title:
        return None  # names carry their gender there (pymorphy3)
    start = text.rfind(title, 0, pos)
    before = WORD.findall(text, max(0, start - 12), start) if start >= 0 else []
    table = lex.determiner_table
    if before and lfold(before[-1]) in table:
        return frozenset(table[lfold(before[-1])])
    last = lfold(title.split()[-1])
    if len(last) >= 6 and last.endswith(lex.feminine_suffixes):
        return frozenset("fs")
    return None


def _role_noun(raw: str, lex: Lexicon) -> str | None:
    """The role lemma of a speaker that is only a role ("міністра", "the minister", "глава
    государства", "der Bürgermeister", "la jueza"), else None.

    One to three words after an optional definite article, no name among them: a capital is
    allowed on the first word only where it says nothing (it opens the phrase, or the language
    capitalises every noun and an article stands before it).
    """
    words = WORD.findall(raw)
    det = bool(words) and lfold(words[0]) in lex.definite
    words = words[1:] if det else words
    if not 1 <= len(words) <= 3:
        return None
    nouns_cap = det and lex.capitalised_nouns
    caps = [w[:1].isupper() and not w.isupper() for w in words]
    if any(caps[1:]) and not nouns_cap:
        return None
    if any(a and b for a, b in itertools.pairwise(caps)):
        return None  # "die Ministerin Petra Lange": two capitalised words in a row are a name
    if words[0][:1].isupper() and not (nouns_cap or raw.startswith(words[0])):
        return None
    if words[0][:1].isupper() and not nouns_cap and not common_noun(words[0], lex.lang):
        return None
    head = lfold(words[0])
    if head in lex.function_words or head in lex.pronouns:
        return None
    if any(head == b or head.startswith(b) for b in lex.bodies):
        return None  # "the union", "у відомстві": an institution, not a person's role
    return lemma(words[0], lex.lang)


def zero_subject(text: str, c: Cand, lex: Lexicon) -> frozenset[str] | None:
    """Gender and number of the unexpressed subject of a reporting verb with no speaker
    ("«…», añadió", "– додала вона" without "вона"), or None: the language states its
    subjects, the cue is no verb, or the verb is plural (an indefinite "сообщили")."""
    if not lex.pro_drop or c.cue[1] <= c.cue[0] or c.via_according:
        return None
    feats = verb_features(text[c.cue[0] : c.cue[1]], lex)
    return None if "p" in feats else feats | frozenset("s")


def _nearest_named(
    text: str, spk: Range, feats: frozenset[str], antes: list[_Ante], lex: Lexicon
) -> _Ante | None:
    if "p" in feats and "s" not in feats:
        return None  # "the ministers": no one person
    return _nearest(text, spk, feats, [a for a in antes if a.named], lex)


def _same_role(spk: Range, role: str, antes: list[_Ante]) -> _Ante | None:
    before = [a for a in antes if a.end <= spk[0] and a.named and role in a.title]
    return max(before, key=lambda a: a.start) if before else None


def _lemmas(raw: str, lex: Lexicon) -> frozenset[str]:
    """Dictionary forms of the lowercase words (pymorphy3 for ru/uk, a 5-letter stem elsewhere)."""
    out = set()
    for w in WORD.findall(raw):
        if (w[:1].isupper() and not raw.startswith(w)) or lfold(w) in lex.function_words:
            continue
        out.add(lemma(w, lex.lang))
    return frozenset(out)


def _nearest(
    text: str, spk: Range, feats: frozenset[str], antes: list[_Ante], lex: Lexicon
) -> _Ante | None:
    floor = _window_start(text, spk[0])
    before = sorted(
        (a for a in antes if floor <= a.start and a.end <= spk[0]),
        key=lambda a: a.start,
        reverse=True,
    )
    plural = "p" in feats and "s" not in feats
    ok = [a for a in before if _agrees(text, a, feats, plural, lex)]
    if not ok:
        return None
    # Of the mentions in the nearest sentence, the first: the subject comes before objects and
    # obliques ("Kolisi … a soulevé le trophée … célébrée par Nelson Mandela. Selon lui, …").
    sent = _sentence_start(text, ok[0].start)
    return min((a for a in ok if a.start >= sent), key=lambda a: a.start)


def _sentence_start(text: str, pos: int) -> int:
    ends = [m.end() for m in re.finditer(r"[.!?…]\s+|\n", text[:pos])]
    return ends[-1] if ends else 0


def _agrees(text: str, a: _Ante, feats: frozenset[str], plural: bool, lex: Lexicon) -> bool:
    if plural and a.named:
        return False  # "they" never stands for one named person
    if not plural and not a.info.person:
        return False  # "he", "він" refer to people, not to ministries or documents
    person = a.named and a.info.source_type == "named"
    own = a.feats if a.feats is not None else phrase_features(text, (a.start, a.end), lex, person)
    return compatible(feats, own)


def _window_start(text: str, pos: int) -> int:
    """Start of the paragraph ``_PARAGRAPHS_BACK`` paragraphs before the one holding ``pos``."""
    breaks = [m.end() for m in re.finditer(r"\n\s*", text[:pos])]
    return breaks[-1 - _PARAGRAPHS_BACK] if len(breaks) > _PARAGRAPHS_BACK else 0
