"""Event coding for languages without a parser: trigger stems plus the nearest names around them.

Basic languages (uk, ru, de, es, ...) have a tokenizer and sentence splitter only. The lexicon is
the same format as for deep languages, but its keys are word stems matched at the start of a
folded word ("наступ" matches "наступ", "наступали", "наступу"), so one entry covers the
inflections. The actor is the nearest name (a capitalised word run or a state word) to the left of
the trigger and the recipient the nearest one to its right, which is how these languages mostly
order subject, verb and object in news prose; when no name stands before the trigger, the
sentence's opening noun phrase (its subject in these languages' news prose: "Die Polizei ging",
"Hombres armados atacaron", "Власти задержали") is the actor. Negation, modal and future words are
read from the few words before the trigger. German separable verbs are a stem plus the particle
that closes the clause ("ließen ... frei"), and its compounds end in their event noun
("Drohnenangriffe"). A verb stem on the subject (the first word, a word after a determiner, a
capitalised German word) is an agent noun ("Die Entführer drohten"), so the predicate after it
is the trigger. A sentence without a trigger stem still gets a
reading at its first verb-like word, coded ``NONE``, so the classifier decides whether it tells an
event; the lexicon is one signal among others, not a gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wiretrace.model import Article, Event, Evidence, Participant
from wiretrace.nlp import parse
from wiretrace.stages.events.claims import basic_claimed
from wiretrace.stages.events.derive import one_type, stem_forms
from wiretrace.stages.events.filters import rejection
from wiretrace.stages.events.hazards import basic_hazard
from wiretrace.stages.events.lexicon import Lexicon
from wiretrace.stages.events.modes import contexts_for
from wiretrace.stages.events.participants import state_in
from wiretrace.stages.events.reading import VERSION, Proposal, Reading
from wiretrace.stages.events.separable import separable
from wiretrace.stages.events.subcodes import RECODED, RULED, basic_subcode
from wiretrace.textutil import fold

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

# How many words before the trigger may carry its negation or modality.
CUE_WINDOW = 3
MIN_STEM = 4


def _match(word: str, table: dict[str, str]) -> str | None:
    """The code of ``word``'s key in ``table``, else of the first stem (in table order) that
    the folded word starts with."""
    w = fold(word)
    if w in table:
        return table[w]
    # The stems the word starts with are its prefixes: look those up, not every stem in turn
    # (the first stem in table order is the one of lowest rank).
    first = _stem_entry(table)[3]
    best: tuple[int, str] | None = None
    for n in range(len(w) + 1):
        hit = first.get(w[:n])
        if hit is not None and (best is None or hit[0] < best[0]):
            best = hit
    return best[1] if best is not None else None


# id of a lexicon table -> (the table, its size, its folded single-word keys of MIN_STEM letters
# or more with their codes in table order, each stem's first rank and code): folding every key
# again for every word was most of this coder's time. A table that changes size is refolded.
_Stems = tuple[dict[str, str], int, list[tuple[str, str]], dict[str, tuple[int, str]]]
_STEMS: dict[int, _Stems] = {}


def _stem_entry(table: dict[str, str]) -> _Stems:
    hit = _STEMS.get(id(table))
    if hit is None or hit[0] is not table or hit[1] != len(table):
        keys = [k for k in table if len(k) >= MIN_STEM and " " not in k and "+" not in k]
        stems = [(fold(k), table[k]) for k in keys]
        first: dict[str, tuple[int, str]] = {}
        for rank, (stem, code) in enumerate(stems):
            first.setdefault(stem, (rank, code))
        hit = _STEMS[id(table)] = (table, len(table), stems, first)
    return hit


def _stems(table: dict[str, str]) -> list[tuple[str, str]]:
    return _stem_entry(table)[2]


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


def _is_name(tok: Token, lex: Lexicon, entity_tokens: set[int]) -> bool:
    """A token that may start a participant: a state word, an entity mention, or (where only
    names are capitalised) a capitalised word inside the sentence."""
    if _stem_state(tok.text, lex) is not None or tok.i in entity_tokens:
        return True
    if fold(tok.text) in lex.words.get("determiners", frozenset()):
        return False  # "Unos 12.700 trabajadores": a capitalised article names no one
    if lex.nouns_capitalized:
        return False  # German capitalises every noun: "Montag", "Seiten" name no one
    return tok.text[:1].isupper() and tok.i != tok.sent.start and tok.is_alpha


def _entity_tokens(sent: SpacySpan, article: Article) -> set[int]:
    """Tokens of the sentence inside a person, organisation or place mention."""
    spans = [
        (m.start, m.end)
        for e in article.entities
        if e.type in {"person", "organisation", "place"}
        for m in e.mentions
    ]
    return {t.i for t in sent if any(a <= t.idx < b for a, b in spans)}


# Punctuation that closes a clause: a participant is not looked for beyond it.
_CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "—", "–", "«", "»", '"'})


def _nearest(
    sent: SpacySpan, order: range, lex: Lexicon, article: Article, names: set[int]
) -> tuple[Participant, int] | None:
    """The first name run in ``order`` within the trigger's clause that may be a participant
    (dates, reporting phrases and outlets skipped), with the index of its far end."""
    toks = list(sent)
    places = lex.words.get("place_preps", frozenset())
    for j in order:
        if toks[j].text in _CLAUSE_BREAKS:
            return None
        if not _is_name(toks[j], lex, names):
            continue
        run = _name_run(sent, j, lex)
        if lex.nouns_capitalized:
            run = [t for t in run if t.i in names or _stem_state(t.text, lex) is not None]
        before = run[0].i - sent.start - 1
        if order.step < 0 and before >= 0 and fold(toks[before].text) in places:
            continue  # "trabajadores en Estados Unidos iniciaron": a place, not the subject
        p = _participant(run, lex)
        start, end = run[0].idx, run[-1].idx + len(run[-1].text)
        ent = next(
            (e for e in article.entities for m in e.mentions if m.start < end and start < m.end),
            None,
        )
        if rejection(p.text, lex.lang, article, ent) is None:
            if ent is not None:
                p = Participant(p.text, entity_id=ent.id, country=p.country or ent.country)
            far = run[-1].i if order.step > 0 else run[0].i
            return p, far - sent.start
    return None


# The longest opening phrase taken as a subject: a determiner, a noun and two modifiers.
MAX_OPENING = 4


def _opening(sent: SpacySpan, k: int, lex: Lexicon, article: Article) -> Participant | None:
    """The words before a trigger near the sentence start as its subject ("Die Polizei",
    "Hombres armados", "Власти"), without leading determiners; None when they are not a plain
    phrase (punctuation, digits, a reporting or time word) or say no one."""
    toks = list(sent)[:k]
    if not toks or len(toks) > MAX_OPENING or not all(t.is_alpha for t in toks):
        return None
    dets = lex.words.get("determiners", frozenset())
    while toks and fold(toks[0].text) in dets:
        toks = toks[1:]
    if not toks or any(fold(t.text) in dets for t in toks):
        return None
    p = _participant(toks, lex)
    return p if rejection(p.text, lex.lang, article, None) is None else None


def _roles(
    sent: SpacySpan, k: int, noun: bool, lex: Lexicon, article: Article, names: set[int]
) -> tuple[list[Participant], list[Participant]]:
    """Actor left of the trigger and recipient right of it, within its clause. An event noun
    with no one before it takes the name right after it as its doer ("вторгнення Росії в
    Україну": genitive doer, then the target)."""
    n = len(sent)
    left = _nearest(sent, range(k - 1, -1, -1), lex, article, names)
    right = _nearest(sent, range(k + 1, n), lex, article, names)
    if left is None and not noun and (opening := _opening(sent, k, lex, article)) is not None:
        left = (opening, 0)
    if left is None and noun and right is not None:
        after = _nearest(sent, range(right[1] + 1, n), lex, article, names)
        return [right[0]], ([after[0]] if after is not None else [])
    actors = [left[0]] if left is not None else []
    recips = [right[0]] if right is not None and (left is None or right[0] != left[0]) else []
    return actors, recips


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
    for t in toks[k + 1 : k + 1 + lex.negation_after]:
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


def _sexually(toks: list[Token], k: int, lex: Lexicon) -> str | None:
    """A word next to the adverb "sexually" ("sexuell missbraucht", "abusaron sexualmente"):
    sexual assault (CAMEO 1821), ASSAULT whatever the verb. The adverb's own form only, not
    the adjective's ("sexuelle Orientierung")."""
    adverbs = lex.words.get("sexual_adverbs", frozenset())
    near = [toks[j] for j in (k - 1, k + 1) if 0 <= j < len(toks)]
    sexual = any(fold(t.text) in adverbs for t in near) and fold(toks[k].text) not in adverbs
    return "ASSAULT/sexual" if sexual and toks[k].text[:1].islower() else None


def _derived(word: str, lex: Lexicon) -> str | None:
    """The code of the verb a noun is made from ("suspensión" -> "suspender": derive.py)."""
    found = [(f, c) for f in stem_forms(word, lex) if (c := _match(f, lex.verbs)) is not None]
    hit = one_type(found)
    return hit[1] if hit is not None else None


# The shortest noun stem looked for inside a compound.
MIN_HEAD = 5


def _compound(word: str, lex: Lexicon) -> str | None:
    """An event noun as the head of a compound, where the language writes compounds as one
    word ("Drohnenangriffe", "Warnstreik", "Staatsbesuch"): the stem stands after the word's
    first letters, and its inflection may follow it."""
    if not lex.compounds:
        return None
    w = fold(word)
    for stem, code in _stems(lex.nouns):
        if len(stem) >= MIN_HEAD and stem in w[3:]:
            return code
    return None


def _trigger(toks: list[Token], lex: Lexicon, names: set[int]) -> tuple[int, str, bool] | None:
    """Index and code of the clause's trigger, and whether it is a noun: the first verb stem
    that can be a predicate, else the first event noun; failing both, the first lower-case word
    after the first name (where a verb stands in subject-verb-object prose), coded ``NONE`` so
    that the classifier decides what, if anything, happened (read as a verb).

    A verb stem on the sentence's first word ("Похитители угрожают"), after a determiner ("Los
    secuestradores amenazaron") or, where every noun is capitalised, on a capitalised word ("Die
    Entführer drohten") is an agent noun, the subject: it counts as a noun, so the predicate
    after it is the trigger, and when there is none the agent noun is read as the noun it is.
    This is the one place that decides verb or noun."""
    first_word = next((k for k, t in enumerate(toks) if t.is_alpha), -1)
    nouns: list[tuple[int, str]] = []
    for k, tok in enumerate(toks):
        if not tok.is_alpha:
            continue
        # A separable verb may share its stem with a reporting verb ("sagte ... ab").
        code = separable(toks, k, lex.verbs)
        if code is None and fold(tok.text) in lex.words.get("reporting", frozenset()):
            continue
        code = code or _match(tok.text, lex.verbs) or _sexually(toks, k, lex)
        after_det = k > 0 and fold(toks[k - 1].text) in lex.words.get("determiners", frozenset())
        agentive = (
            k == first_word or after_det or (lex.nouns_capitalized and tok.text[:1].isupper())
        )
        if code is not None and not agentive:
            return k, code, False
        if nouns:  # only the first event noun is used: no need to look for others
            continue
        noun = code or _match(tok.text, lex.nouns) or _compound(tok.text, lex)
        noun = noun or _derived(tok.text, lex)
        if noun is not None:
            nouns.append((k, noun))
    if nouns:
        return (*nouns[0], True)
    # The first name, or else the sentence's first word (its subject in news prose).
    first = next((j for j, t in enumerate(toks) if _is_name(t, lex, names)), 0)
    dets = lex.words.get("determiners", frozenset())
    for k in range(first + 1, len(toks)):
        tok = toks[k]
        verb_like = tok.is_alpha and tok.text[:1].islower() and not _is_name(tok, lex, names)
        after_det = fold(toks[k - 1].text) in dets  # "la policía": the noun of a determiner
        plain = fold(tok.text) not in dets | lex.words.get("reporting", frozenset())
        if verb_like and not after_det and plain:
            return k, "NONE", False
    return None


def _sentence(sent: SpacySpan, lex: Lexicon, article: Article) -> Reading | None:
    toks = list(sent)
    names = _entity_tokens(sent, article)
    found = _trigger(toks, lex, names)
    if found is not None:
        k, code, noun = found
        tok = toks[k]
        typ, _, mode = code.partition("/")
        alpha = [t.text for t in toks if t.is_alpha]
        at = sum(t.is_alpha for t in toks[:k]) if tok.is_alpha else -1
        if noun and basic_claimed(alpha, at, lex):
            return None  # the act a claim of responsibility names (:mod:`.claims`)
        sub = basic_subcode(alpha, lex, at) if typ in RECODED else None
        told = typ  # the type the classifier is told (:data:`.subcodes.RULED`)
        if sub is not None:
            typ, mode = sub
            told = told if sub in RULED else typ
        actors, recips = _roles(sent, k, noun, lex, article, names)
        aux = _aux(sent, k, lex)

        def build(
            typ: str,
            mode: str | None,
            aux: str | None,
            tok: Token = tok,
            actors: list[Participant] = actors,
            recips: list[Participant] = recips,
        ) -> Event:
            return Event(
                type=typ,
                mode=mode,
                context=contexts_for(typ, mode),
                aux=aux,
                actors=tuple(actors),
                recipients=tuple(recips),
                trigger=tok.text,
                evidence=Evidence(sent.start_char, sent.end_char, VERSION),
            )

        signals: tuple[str, ...] = (f"rule:{told}", f"aux:{aux}")
        if actors:
            signals += ("adep:left",)
        if recips:
            signals += ("rdep:right",)
        reporting = lex.words.get("reporting", frozenset())
        if any(fold(t.text) in reporting for j, t in enumerate(toks) if j != k):
            signals += ("reported",)
        before = [t.text for t in toks[:k] if t.is_alpha]
        hazard = basic_hazard(before, [a.text for a in actors], lex)
        if hazard:
            signals += ("agent:hazard",)
        prop = Proposal(typ, mode or None, aux, build)
        return Reading(
            sent.text, sent.start_char, sent.end_char, [prop], signals=signals, hazard=hazard
        )
    return None


def basic_readings(article: Article, lex: Lexicon) -> list[Reading]:
    """One reading per sentence with a trigger stem: the first stem found, nearest names."""
    doc = parse(article.body, article.language).doc
    return [r for sent in doc.sents if (r := _sentence(sent, lex, article)) is not None]
