"""Event coding for languages without a parser: trigger stems plus the nearest names around them.

Basic languages (uk, ru, de, es, ...) have a tokenizer and sentence splitter only. The lexicon is
the same format as for deep languages, but its keys are word stems matched at the start of a
folded word ("наступ" matches "наступ", "наступали", "наступу"), so one entry covers the
inflections. The actor is the nearest name (a capitalised word run or a state word) to the left of
the trigger and the recipient the nearest one to its right, which is how these languages mostly
order subject, verb and object in news prose. Negation, modal and future words are read from the
few words before the trigger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wiretrace.model import Article, Event, Evidence, Participant
from wiretrace.nlp import parse
from wiretrace.stages.events.modes import contexts_for
from wiretrace.stages.events.participants import Lexicon, state_in
from wiretrace.textutil import fold, lang_data

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

# How many words before the trigger may carry its negation or modality.
CUE_WINDOW = 3
MIN_STEM = 4


def _match(word: str, table: dict[str, str]) -> str | None:
    w = fold(word)
    if w in table:
        return table[w]
    for key, code in table.items():
        if len(key) >= MIN_STEM and " " not in key and w.startswith(fold(key)):
            return code
    return None


_STEM_CACHE: dict[tuple[str, str], str | None] = {}


def _stem_state(word: str, lex: Lexicon) -> str | None:
    """Cached :func:`_find_stem_state` (it scans the state table)."""
    key = (lex.lang, word)
    if key not in _STEM_CACHE:
        if len(_STEM_CACHE) > 50_000:
            _STEM_CACHE.clear()
        _STEM_CACHE[key] = _find_stem_state(word, lex)
    return _STEM_CACHE[key]


def _find_stem_state(word: str, lex: Lexicon) -> str | None:
    """ISO code of an inflected state word: "Україну" -> UA, "российские" -> RU.

    Demonym keys are stems (any ending); state names match when they differ from the word only
    in the last two letters, which is how case endings change them.
    """
    code = state_in([word], lex)
    if code is not None:
        return code
    w = fold(word)
    if len(w) < MIN_STEM:
        return None
    for key, iso in lex.demonyms.items():
        if len(key) >= MIN_STEM and w.startswith(key):
            return iso or None
    if word[:1].isupper():
        for key, iso in lex.states.items():
            stem = key[:-1] if len(key) > MIN_STEM else key
            if w.startswith(stem) and len(w) - len(stem) <= 2 and " " not in key:
                return iso or None
    return None


def _is_name(tok: Token, lex: Lexicon) -> bool:
    if _stem_state(tok.text, lex) is not None:
        return True
    return tok.text[:1].isupper() and tok.i != tok.sent.start and tok.is_alpha


def _name_run(sent: SpacySpan, i: int, lex: Lexicon) -> list[Token]:
    toks = list(sent)
    lo = hi = i
    while lo > 0 and toks[lo - 1].text[:1].isupper() and toks[lo - 1].is_alpha:
        lo -= 1
    while hi + 1 < len(toks) and toks[hi + 1].text[:1].isupper() and toks[hi + 1].is_alpha:
        hi += 1
    return toks[lo : hi + 1]


def _participant(run: list[Token], lex: Lexicon) -> Participant:
    text = "".join(t.text_with_ws for t in run).strip()
    country = next((c for t in run if (c := _stem_state(t.text, lex)) is not None), None)
    return Participant(text=text, country=country)


def _aux(sent: SpacySpan, k: int, lex: Lexicon) -> str | None:
    toks = list(sent)
    before = [fold(t.text) for t in toks[max(0, k - CUE_WINDOW) : k]]
    # Verb-second languages put the negation after the verb ("griff ... nicht an").
    reach = int(lang_data(lex.lang, "events").get("meta", {}).get("negation_after", 0))
    for t in toks[k + 1 : k + 1 + reach]:
        if t.is_punct:
            break
        before.append(fold(t.text))
    words = lex.words
    if any(w in words.get("negation", frozenset()) for w in before):
        return "negated"
    if any(w in words.get("conditional", frozenset()) for w in (fold(t.text) for t in sent)):
        return "hypothetical"
    if any(w in words.get("hypothetical_aux", frozenset()) for w in before):
        return "hypothetical"
    if any(w in words.get("future_aux", frozenset()) for w in before):
        return "future"
    return None


def _sentence(sent: SpacySpan, lex: Lexicon) -> Event | None:
    toks = list(sent)
    for k, tok in enumerate(toks):
        if not tok.is_alpha or fold(tok.text) in lex.words.get("reporting", frozenset()):
            continue
        code = _match(tok.text, lex.verbs) or _match(tok.text, lex.nouns)
        if code is None:
            continue
        typ, _, mode = code.partition("/")
        left = next((j for j in range(k - 1, -1, -1) if _is_name(toks[j], lex)), None)
        right = next((j for j in range(k + 1, len(toks)) if _is_name(toks[j], lex)), None)
        actors = [_participant(_name_run(sent, left, lex), lex)] if left is not None else []
        recips = [_participant(_name_run(sent, right, lex), lex)] if right is not None else []

        return Event(
            type=typ,
            mode=mode or None,
            context=contexts_for(typ, mode or None),
            aux=_aux(sent, k, lex),
            actors=tuple(actors),
            recipients=tuple(recips),
            trigger=tok.text,
            evidence=Evidence(sent.start_char, sent.end_char, "events.v1"),
        )
    return None


def basic_events(article: Article, lex: Lexicon) -> list[Event]:
    """One event per sentence at most, from the first trigger stem found."""
    doc = parse(article.body, article.language).doc
    return [ev for sent in doc.sents if (ev := _sentence(sent, lex)) is not None]
