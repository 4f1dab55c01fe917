"""Quotes, speakers and source types: the reference page and texts written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wiretrace.model import Article, AttributionLink, Entity, Quote, Span
from wiretrace.pipeline import build
from wiretrace.stages.entities.stage import STAGE_ENTITIES
from wiretrace.stages.quotes.stage import STAGE_QUOTES, extract_quotes, quote_segments
from wiretrace.textutil import fold

SHARED = Path(__file__).parents[1] / ".." / "shared"


def _quotes(body: str, lang: str, **kw: object) -> list[Quote]:
    return extract_quotes(Article(id="t", title="", body=body, language=lang, **kw))  # type: ignore[arg-type]


def _loose(a: str | None, b: str) -> bool:
    """The reference file's matching: folded, substring either way."""
    if a is None:
        return False
    fa, fb = fold(a), fold(b)
    return fa in fb or fb in fa


def _find(quotes: list[Quote], content: str) -> Quote:
    hits = [q for q in quotes if fold(content) in fold(q.content)]
    assert hits, f"no quote contains {content!r}: {[q.content[:60] for q in quotes]}"
    return hits[0]


# --- the reference page -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_quotes() -> list[Quote]:
    page = SHARED / "seeds" / "000_2df298d6ec244cd0.txt"
    if not page.exists():
        pytest.skip("../shared is not present beside the repository")
    art = Article(
        id="seed",
        title="",
        body=page.read_text(encoding="utf-8"),
        language="fr",
        published="2023-10-04T11:35:21",
        attribution=(
            AttributionLink("Evropeiska Pravda", "vérité européenne", "translates"),
            AttributionLink("Politico", "Politico", "cites"),
        ),
    )
    return extract_quotes(art)


def test_quotes_reference_page_every_required_quote_found(seed_quotes: list[Quote]) -> None:
    spec = json.loads((SHARED / "spec" / "seed-analysis.json").read_text(encoding="utf-8"))
    for want in spec["quotes"]:
        if want.get("optional"):
            continue
        hits = [
            q
            for q in seed_quotes
            if any(_loose(q.content, c) for c in want["content_any"])
            and any(_loose(q.speaker.text, s) for s in want["speaker_any"])
        ]
        assert hits, f"missing quote {want['content_any'][0]!r}"
        q = hits[0]
        assert q.speaker.source_type == want["source_type"], want["content_any"][0]
        assert q.kind == want["kind"], want["content_any"][0]
        assert q.declined == bool(want.get("declined", False)), want["content_any"][0]


def test_quotes_reference_page_attribution_chain_is_kept(seed_quotes: list[Quote]) -> None:
    diplomat = _find(seed_quotes, "17 septembre à Istanbul")
    assert diplomat.via == ("Evropeiska Pravda", "Politico")
    # "selon le journal" is Politico speaking: only the Ukrainian outlet stands between.
    journal = _find(seed_quotes, "contact rare entre Moscou")
    assert journal.speaker.source_type == "outlet"
    assert journal.via == ("Evropeiska Pravda",)


def test_quotes_reference_page_evidence_is_the_sentence(seed_quotes: list[Quote]) -> None:
    for q in seed_quotes:
        assert q.evidence is not None and q.evidence.stage == "quotes.v6"
        assert q.evidence.start <= q.start and q.end <= q.evidence.end


def test_quotes_reference_page_pronoun_inherits_institutional_speaker(
    seed_quotes: list[Quote],
) -> None:
    q = _find(seed_quotes, "lignes de communication ouvertes")
    assert q.speaker.text == "Il"
    assert q.speaker.source_type == "institutional"


# --- quotation marks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Il a dit « nous partons demain matin ».",
        "He said “we leave tomorrow morning”.",
        'He said "we leave tomorrow morning".',
        "Er sagte „wir gehen morgen früh“.",
        "Er sagte ‚wir gehen morgen früh‘.",
        "Il a dit ‹ nous partons demain matin ›.",
        "He said ''we leave tomorrow morning''.",
    ],
)
def test_quotes_every_quotation_mark_convention_is_a_segment(text: str) -> None:
    segs = quote_segments(text)
    assert len(segs) == 1
    inner = text[segs[0].start : segs[0].end]
    assert "morgen" in inner or "tomorrow" in inner or "demain" in inner


def test_quotes_apostrophes_are_not_quotation_marks() -> None:
    assert quote_segments("It’s the campaign’s view that we’re fine.") == []


def test_quotes_dash_dialogue_line_is_direct_speech() -> None:
    qs = _quotes("— Ми вистоїмо за будь-яких умов, — сказав командир бригади.", "uk")
    assert len(qs) == 1
    assert qs[0].kind == "direct"
    assert "вистоїмо" in qs[0].content
    assert qs[0].speaker.text == "командир бригади"


# --- English ----------------------------------------------------------------------------------


def test_quotes_split_quote_is_one_quote_with_its_speaker() -> None:
    body = "“We will not back down,” Mayor Jane Porter said on Monday. “This is about principle.”"
    qs = _quotes(body, "en")
    assert len(qs) == 1
    assert qs[0].kind == "direct"
    assert "principle" in qs[0].content and "back down" in qs[0].content
    assert qs[0].speaker.text == "Mayor Jane Porter"
    assert qs[0].speaker.source_type == "named"


def test_quotes_anonymous_source_is_flagged() -> None:
    body = "A senior official, who spoke on condition of anonymity, said the talks had failed."
    q = _find(_quotes(body, "en"), "talks had failed")
    assert q.kind == "indirect"
    assert q.speaker.source_type == "anonymous"


def test_quotes_the_same_official_is_carried_over() -> None:
    body = (
        "A senior diplomat familiar with the talks said the meeting took place in Geneva.\n\n"
        "The same diplomat added that no agreement was reached."
    )
    q = _find(_quotes(body, "en"), "no agreement was reached")
    assert q.speaker.source_type == "anonymous"


def test_quotes_declined_to_comment_is_a_refusal() -> None:
    q = _find(_quotes("A State Department spokesperson declined to comment.", "en"), "comment")
    assert q.declined
    assert q.speaker.source_type == "institutional"


def test_quotes_according_to_an_outlet() -> None:
    q = _find(_quotes("The plant was closed in March, according to Reuters.", "en"), "plant")
    assert q.speaker.text == "Reuters"
    assert q.speaker.source_type == "outlet"


def test_quotes_speaker_resolved_to_overlapping_entity() -> None:
    body = "Maria Lopez said the budget would be cut."
    ent = Entity(id="e1", name="Maria Lopez", type="person", mentions=(Span("Maria Lopez", 0, 11),))
    q = _quotes(body, "en", entities=(ent,))[0]
    assert q.speaker.entity_id == "e1"
    assert q.speaker.source_type == "named"


def test_quotes_role_before_a_name_is_kept() -> None:
    q = _quotes("Spokeswoman Haley Brandt said the campaign would shift staff.", "en")[0]
    assert q.speaker.source_type == "named" and q.speaker.role == "Spokeswoman"


def test_quotes_no_entities_leaves_entity_id_empty() -> None:
    q = _quotes("Maria Lopez said the budget would be cut.", "en")[0]
    assert q.speaker.entity_id is None


def test_quotes_title_in_quotes_is_not_a_quote() -> None:
    assert _quotes("She appeared on “Meet The Press With Chuck Todd” last year.", "en") == []


def test_quotes_interposed_reporting_clause_covers_both_sides() -> None:
    body = "The new tax, Senator Ruth Adler said, would hit small farms hardest."
    q = _find(_quotes(body, "en"), "small farms")
    assert "The new tax" in q.content
    assert q.speaker.text == "Senator Ruth Adler"


def test_quotes_quote_after_colon_belongs_to_the_clause_before() -> None:
    body = "The board was blunt in its ruling: “Further appeals will not be heard.”"
    q = _find(_quotes(body, "en"), "Further appeals")
    assert q.speaker.text is not None and "board" in q.speaker.text


def test_quotes_unquoted_paragraph_after_colon_is_the_content() -> None:
    body = "The governor added:\n\nThe budget is balanced and the schools will stay open.\n\nEnd."
    q = _find(_quotes(body, "en"), "schools will stay open")
    assert q.speaker.text == "The governor"


def test_quotes_title_case_headline_attribution() -> None:
    body = "Former Envoy Says The Talks Will Resume In Spring\n\nNothing else happened."
    q = _find(_quotes(body, "en"), "Talks Will Resume")
    assert q.speaker.text == "Former Envoy"


# --- French -----------------------------------------------------------------------------------


def test_quotes_french_selon_and_pronoun() -> None:
    body = (
        "Selon le ministère de l’Intérieur, 300 personnes ont été interpellées.\n\n"
        "« Nous ne céderons pas à la violence », a déclaré la ministre Claire Martin. "
        "Elle a ajouté que des renforts seraient envoyés."
    )
    qs = _quotes(body, "fr")
    sel = _find(qs, "300 personnes")
    assert sel.speaker.source_type == "institutional"
    direct = _find(qs, "céderons")
    assert direct.kind == "direct"
    assert direct.speaker.text is not None and "Claire Martin" in direct.speaker.text
    added = _find(qs, "renforts")
    assert added.speaker.as_written == "Elle" and added.speaker.source_type == "named"
    assert added.speaker.text is not None and "Claire Martin" in added.speaker.text


# --- languages without a parser ---------------------------------------------------------------


def test_quotes_ukrainian_indirect_direct_and_refusal() -> None:
    body = (
        "Міністр закордонних справ Дмитро Кулеба заявив, що Україна не погодиться на "
        "заморожування конфлікту.\n\n"
        "«Ми не віддамо жодного сантиметра нашої землі», — сказав він журналістам.\n\n"
        "Речник Кремля відмовився коментувати зустріч."
    )
    qs = _quotes(body, "uk")
    ind = _find(qs, "заморожування")
    assert ind.kind == "indirect" and ind.speaker.source_type == "named"
    direct = _find(qs, "сантиметра")
    # "він" is resolved to Kuleba, the nearest compatible person before it
    assert direct.kind == "direct" and direct.speaker.as_written == "він"
    assert direct.speaker.text is not None and "Кулеба" in direct.speaker.text
    assert direct.speaker.source_type == "named"
    refusal = _find(qs, "коментувати")
    assert refusal.declined and refusal.speaker.source_type == "institutional"


def test_quotes_russian_po_slovam_anonymous_and_refusal() -> None:
    body = (
        "«Мы готовы к переговорам, но не на таких условиях», — заявил министр Сергей Лавров.\n\n"
        "По словам источника, встреча прошла в Стамбуле.\n\n"
        "Пресс-секретарь отказался от комментариев."
    )
    qs = _quotes(body, "ru")
    direct = _find(qs, "готовы к переговорам")
    assert direct.kind == "direct" and direct.speaker.source_type == "named"
    anon = _find(qs, "Стамбуле")
    assert anon.speaker.text == "источника" and anon.speaker.source_type == "anonymous"
    assert _find(qs, "отказался").declined


def test_quotes_german_laut_so_and_refusal() -> None:
    body = (
        "„Wir werden die Gespräche fortsetzen“, sagte Außenministerin Anna Berg.\n\n"
        "Laut einem hochrangigen Diplomaten fand das Treffen in Istanbul statt.\n\n"
        "Das Treffen sei vertraulich gewesen, so der Sprecher.\n\n"
        "Ein Sprecher des Ministeriums wollte sich nicht äußern."
    )
    qs = _quotes(body, "de")
    assert _find(qs, "fortsetzen").speaker.source_type == "named"
    laut = _find(qs, "Istanbul")
    assert laut.speaker.text == "einem hochrangigen Diplomaten"
    assert laut.speaker.source_type == "anonymous"
    assert _find(qs, "vertraulich").speaker.text == "der Sprecher"
    refusal = _find(qs, "nicht äußern")
    assert refusal.declined and refusal.speaker.source_type == "institutional"


def test_quotes_spanish_segun_dijo_and_refusal() -> None:
    body = (
        "«No vamos a negociar bajo presión», dijo el portavoz del Gobierno.\n\n"
        "Según fuentes cercanas a las negociaciones, la reunión se celebró en Estambul.\n\n"
        "El portavoz declinó comentar la reunión."
    )
    qs = _quotes(body, "es")
    direct = _find(qs, "negociar")
    assert direct.kind == "direct" and direct.speaker.text == "el portavoz del Gobierno"
    assert direct.speaker.source_type == "institutional"
    assert _find(qs, "Estambul").speaker.source_type == "anonymous"
    assert _find(qs, "declinó").declined


def test_quotes_spanish_dash_dialogue_without_blank_after_dash() -> None:
    qs = _quotes("—No vamos a rendirnos —dijo el alcalde.", "es")
    assert len(qs) == 1 and qs[0].kind == "direct"
    assert qs[0].content == "No vamos a rendirnos"
    assert qs[0].speaker.text == "el alcalde"


def test_quotes_french_inverted_pronoun_after_quote() -> None:
    q = _quotes("« Nous n'avons pas d'autre choix », a-t-il déclaré lundi.", "fr")[0]
    assert q.kind == "direct" and q.speaker.text == "il"


def test_quotes_french_incise_inside_guillemets_names_the_speaker() -> None:
    body = "La ministre Anne Roux était à Lyon.\n\n« C'est une erreur, a-t-elle dit. Nous allons la corriger. »"
    q = _find(_quotes(body, "fr"), "corriger")
    assert q.kind == "direct" and "erreur" in q.content
    assert q.speaker.text == "elle"


def test_quotes_reported_phrase_inside_a_quote_is_not_an_incise() -> None:
    body = "The governor blamed the media for focusing on “he said this, he tweeted that.”"
    assert all(q.speaker.text != "he" for q in _quotes(body, "en"))


def test_quotes_inflected_body_name_is_institutional() -> None:
    q = _find(_quotes("В Кремле отказались от комментариев.", "ru"), "комментариев")
    assert q.declined and q.speaker.source_type == "institutional"


def test_quotes_ukrainian_yak_povidomylo_source() -> None:
    q = _find(
        _quotes("Як повідомило джерело в уряді, рішення ухвалять у п'ятницю.", "uk"), "рішення"
    )
    assert q.speaker.text == "джерело в уряді" and q.speaker.source_type == "anonymous"


# --- the stage --------------------------------------------------------------------------------


def test_quotes_stage_fills_quotes_and_stamps_version() -> None:
    pipe = build([STAGE_QUOTES])
    art = Article(id="s", title="", body="Maria Lopez said the budget would be cut.", language="en")
    (out,) = list(pipe([art]))
    assert len(out.quotes) == 1
    assert out.analysis.stages["quotes"] == "quotes.v6"
    assert STAGE_QUOTES.produces == ("quotes",)


def test_quotes_content_starts_after_the_complementiser(seed_quotes: list[Quote]) -> None:
    # "que", "that", "що" belong to the reporting clause; a direct quote starts at its mark.
    for q in seed_quotes:
        assert not fold(q.content).startswith(("que ", "qu'", "qu’")), q.content
    direct = _find(seed_quotes, "canaux de communication")
    assert direct.content.startswith("«")
    for lang, body, word in [
        ("en", "The minister said that the border would stay closed until May.", "that "),
        ("fr", "Le ministre a affirmé que la frontière resterait fermée jusqu’en mai.", "que "),
        ("uk", "Міністр заявив, що кордон залишиться закритим до травня.", "що "),
    ]:
        qs = _quotes(body, lang)
        assert qs and not qs[0].content.startswith(word), qs[0].content


def test_quotes_speaker_role_is_printed_once() -> None:
    from wiretrace.web.story_queries import _role

    assert _role({"text": "an EU official", "role": "EU official"}) is None
    assert _role({"text": "Haley Morris", "role": "Spokeswoman"}) == "Spokeswoman"


@pytest.mark.parametrize(
    ("lang", "body", "content", "name"),
    [
        (
            "en",
            "Deputy Minister Anna Keller said the talks had stalled. Her deputy, Tom Reed, "
            'left early. "We will not move first," she said.',
            "move first",
            "Anna Keller",
        ),
        (
            "de",
            "Die Ministerin Petra Lange sagte, die Gespräche seien festgefahren. "
            "„Wir werden uns nicht als Erste bewegen“, sagte sie.",
            "bewegen",
            "Petra Lange",
        ),
        (
            "ru",
            "Министр Ольга Петрова заявила, что переговоры зашли в тупик. Ее заместитель "
            "Иван Орлов покинул зал. «Мы не сделаем первый шаг», — сказала она.",
            "первый шаг",
            "Петрова",
        ),
        (
            "uk",
            "Посол Андрій Коваль заявив, що переговори тривають. Дипломатичні джерела "
            "повідомили, що документ готовий. «Ми не поспішаємо», — написав він.",
            "поспішаємо",
            "Коваль",
        ),
    ],
)
def test_quotes_pronoun_takes_the_nearest_compatible_named_speaker(
    lang: str, body: str, content: str, name: str
) -> None:
    # Gender and number decide: "she" skips Tom Reed, "він" skips the plural "джерела".
    q = _find(_quotes(body, lang), content)
    assert q.speaker.text is not None and name in q.speaker.text, q.speaker
    assert q.speaker.as_written is not None and q.speaker.source_type == "named"


def test_quotes_the_official_takes_the_nearest_person_like_source() -> None:
    body = (
        "Deputy Foreign Minister Anna Keller said the talks had stalled. "
        '"We will not move first," the official said. A diplomat said the mood was grim. '
        "The official added that nothing was signed."
    )
    qs = _quotes(body, "en")
    first = _find(qs, "move first").speaker
    assert first.text is not None and "Anna Keller" in first.text and first.as_written
    last = _find(qs, "nothing was signed")
    assert last.speaker.text == "The official" and last.speaker.source_type == "anonymous"


@pytest.mark.parametrize(
    ("lang", "body", "content", "speaker"),
    [
        ("en", "The talks began on Tuesday, according to Politico, which first reported them.",
         "talks began", "Politico"),
        ("fr", "Le ministre, qui rentrait de Bruxelles, a déclaré que l’accord était proche.",
         "accord", "Le ministre"),
        ("es", "El presidente del sindicato, Shawn Fain, dijo que la huelga seguirá.",
         "huelga", "El presidente del sindicato, Shawn Fain"),
        ("uk", "Західний дипломат, який побажав залишитися неназваним, розповів виданню, що "
         "питання відклали.", "відклали", "Західний дипломат"),
        ("de", "Laut der armenischen Regierung haben mehr als 100 000 Menschen die Region verlassen.",
         "Menschen", "der armenischen Regierung"),
    ],
)  # fmt: skip
def test_quotes_speaker_is_a_noun_phrase_not_a_clause(
    lang: str, body: str, content: str, speaker: str
) -> None:
    q = _find(_quotes(body, lang), content)
    assert q.speaker.text == speaker, q.speaker


def test_quotes_place_in_the_phrase_does_not_type_the_speaker() -> None:
    body = (
        "Ukraine's foreign ministry said Kyiv would only sign a deal that protected its coast. "
        "Leaders said talks would begin in March."
    )
    qs = _quotes(body, "en")
    assert _find(qs, "protected its coast").speaker.source_type == "institutional"
    assert _find(qs, "talks would begin").speaker.source_type != "named"


@pytest.mark.parametrize(
    "body",
    [
        "Der Leitzins liegt damit bei 4,5 Prozent, so hoch wie nie seit der Gründung der Bank.",
        "Die Zahl der Anträge stieg so stark wie seit 2016 nicht mehr.",
        "Die Preise fielen so schnell, dass die Händler nicht mehr nachkamen.",
        "Der Andrang war so groß wie beim letzten Konzert der Band in Wien.",
    ],
)
def test_quotes_german_so_and_wie_of_a_comparison_report_nothing(body: str) -> None:
    # "so"/"wie" report speech only as "…, so der Sprecher" and "wie die Polizei mitteilte"
    assert _quotes(body, "de") == []


@pytest.mark.parametrize(
    ("body", "content", "speaker"),
    [
        ("Die Inflation sei deutlich gesunken, so der Präsident der Bundesbank.",
         "Inflation", "der Präsident der Bundesbank"),
        ("Ein Abkommen sei möglich, so ein Sprecher des Ministeriums.",
         "Abkommen", "ein Sprecher des Ministeriums"),
        ("Wie die Polizei mitteilte, wurden drei Menschen verletzt.", "verletzt", "die Polizei"),
        ("Das Werk bleibt geschlossen, wie ein Sprecher des Konzerns am Montag sagte.",
         "Werk", "ein Sprecher des Konzerns"),
        ("Zwei Menschen starben, wie die Zeitung „Der Kurier“ unter Berufung auf die Polizei "
         "berichtete.", "starben", "die Zeitung"),
    ],
)  # fmt: skip
def test_quotes_german_so_and_wie_name_their_source(body: str, content: str, speaker: str) -> None:
    q = _find(_quotes(body, "de"), content)
    assert q.speaker.text == speaker, q
    assert not fold(q.content).startswith(("mitteilte", "sagte")), q.content


@pytest.mark.parametrize(
    ("lang", "body", "speaker"),
    [
        ("es", "«Es una prueba de fuerza», señaló a AM Andrés Villalba, profesor de Madrid.",
         "Andrés Villalba"),
        ("es", "«No habrá acuerdo pronto», dijo a EFE Marta Gómez, portavoz del sindicato.",
         "Marta Gómez"),
        ("fr", "« Nous ne céderons pas », a déclaré à l'AFP Jean Dupont, porte-parole du syndicat.",
         "Jean Dupont"),
    ],
)  # fmt: skip
def test_quotes_an_acronym_addressee_is_not_part_of_the_speaker(
    lang: str, body: str, speaker: str
) -> None:
    pipe = build([STAGE_ENTITIES, STAGE_QUOTES])
    art = next(iter(pipe([Article(id="a", title="", body=body, language=lang)])))
    assert [q.speaker.text for q in art.quotes] == [speaker], art.quotes


# Written for these tests: a pronoun agrees in gender with its antecedent even through an
# earlier resolved pronoun; adverbs before a subject pronoun and adverbials after an inverted
# subject are not part of the speaker.
@pytest.mark.parametrize(
    ("lang", "body", "speakers"),
    [
        ("ru", "Министр энергетики Сергей Орлов и глава банка Анна Белова провели встречу в "
         "Казани. «Кредиты подешевеют», — заявила она. «Сети будут модернизированы», — добавил он.",
         ["Анна Белова", "Сергей Орлов"]),
        ("uk", "Міністерка економіки Оксана Коваль і посол Канади Роберт Грін відвідали завод. "
         "«Ми відновимо виробництво до весни», – пообіцяла вона.", ["Оксана Коваль"]),
        ("ru", "«Переговоры продолжатся», — сказал вице-премьер Игорь Левин. Позже он уточнил, "
         "что следующая встреча пройдёт в Минске.", ["вице-премьер Игорь Левин", "Игорь Левин"]),
    ],
)  # fmt: skip
def test_quotes_pronoun_gender_follows_resolved_pronouns(
    lang: str, body: str, speakers: list[str]
) -> None:
    pipe = build([STAGE_ENTITIES, STAGE_QUOTES])
    art = next(iter(pipe([Article(id="a", title="", body=body, language=lang)])))
    assert [q.speaker.text for q in art.quotes] == speakers, art.quotes


@pytest.mark.parametrize(
    ("lang", "body", "written"),
    [
        ("ru", "«Ситуация стабильна», — сказал глава агентства после встречи с инженерами.",
         "глава агентства"),
        ("uk", "«Ми профінансуємо ремонт шкіл», – сказала очільниця фонду на зустрічі з батьками.",
         "очільниця фонду"),
        ("es", "«No habrá recortes», dijo el portavoz del Gobierno en rueda de prensa.",
         "el portavoz del Gobierno"),
        ("ru", "Позже он уточнил, что встреча пройдёт в Минске.", "он"),
    ],
)  # fmt: skip
def test_quotes_speaker_span_leaves_out_adverbs_and_adverbials(
    lang: str, body: str, written: str
) -> None:
    qs = _quotes(body, lang)
    assert qs and qs[0].speaker.start is not None, qs
    assert body[qs[0].speaker.start : qs[0].speaker.end] == written, qs[0].speaker


@pytest.mark.parametrize(
    ("lang", "body", "speaker", "cue"),
    [
        # Written for these tests: a reporting verb inside a relative clause ("que asegura",
        # "яка заявляє") neither inverts its clause nor takes the main verb's complement.
        ("es", "General Motors, que asegura haber ofrecido inversiones, anunció el lunes que "
         "deja de pagar el seguro médico.", "General Motors", "anunció"),
        ("uk", "Компанія, яка заявляє про збитки, повідомила, що скорочує персонал.",
         "Компанія", "повідомила"),
    ],
)  # fmt: skip
def test_quotes_reporting_verb_in_a_relative_clause_is_not_the_cue(
    lang: str, body: str, speaker: str, cue: str
) -> None:
    qs = _quotes(body, lang)
    assert [(q.speaker.text, q.cue) for q in qs] == [(speaker, cue)], qs


def test_quotes_a_quoted_title_after_an_outlet_noun_is_no_quotation() -> None:
    body = (
        "Zwei Menschen starben, wie die Zeitung „Der Abendkurier“ unter Berufung auf die "
        "Polizei berichtete."
    )
    qs = _quotes(body, "de")
    assert [q.content for q in qs] == ["Zwei Menschen starben"], qs
