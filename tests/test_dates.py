"""Dates: resolution against publication, per-language patterns and the guards against noise."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiretrace.model import Article
from wiretrace.stages.facts.dates import STAGE_DATES, extract_dates

SHARED = Path(__file__).parents[1] / ".." / "shared"
PUB = "2023-10-04T11:35:21"


def _values(text: str, lang: str, published: str | None = PUB) -> dict[str, tuple[str, str]]:
    return {d.text: (d.value, d.granularity) for d in extract_dates(text, lang, published)}


def _seed_body() -> str:
    page = SHARED / "seeds" / "000_2df298d6ec244cd0.txt"
    if not page.is_file():
        pytest.skip("../shared is not available")
    paras = [p.strip() for p in page.read_text(encoding="utf-8").split("\n\n")]
    first = next(i for i, p in enumerate(paras) if p.startswith("De hauts"))
    last = next(i for i, p in enumerate(paras) if p.startswith("Découvrez"))
    return "\n\n".join(p for p in paras[first : last + 1] if not p.startswith("Source:"))


def test_dates_reference_page_resolves_days_month_and_durations() -> None:
    body = _seed_body()
    art = Article(id="seed", title="", body=body, language="fr", published=PUB)
    out = next(iter(STAGE_DATES([art])))
    by_value = {d.value: d for d in out.dates}
    assert by_value["2023-09-17"].granularity == "day"
    assert by_value["2023-09-17"].text.endswith("17 septembre")
    assert by_value["2023-09-19"].granularity == "day"
    assert by_value["2022-02"].granularity == "month"
    assert by_value["P9M"].granularity == "duration"
    assert by_value["P9M"].text == "neuf mois"
    assert by_value["PT24H"].text == "24 heures"
    for d in out.dates:
        assert body[d.start : d.end] == d.text
        assert d.evidence is not None and d.evidence.stage == "dates.v1"
        assert d.evidence.start <= d.start < d.end <= d.evidence.end
    # No date may fall after publication on this page: nothing in it is about the future.
    assert all(d.value[:10] <= "2023-10-04" for d in out.dates if d.granularity != "duration")
    assert out.analysis.stages["dates"] == "dates.v1"


STORY = {
    "en": (
        "Officials met Russian envoys in Istanbul on September 17 to end the nine-month blockade."
        " Azerbaijan attacked on 19 September, and the leaders surrendered after 24 hours of"
        " fighting. Russia invaded Ukraine in February 2022."
    ),
    "uk": (
        "Посадовці зустрілися з російськими представниками 17 вересня у Стамбулі. Блокада тривала"
        " дев'ять місяців. 19 вересня Азербайджан почав наступ, і після 24 годин боїв лідери"
        " капітулювали. Росія напала на Україну в лютому 2022 року."
    ),
    "ru": (
        "Чиновники встретились с российскими представителями 17 сентября в Стамбуле. Блокада длилась"
        " девять месяцев. 19 сентября Азербайджан начал наступление, и после 24 часов боёв лидеры"
        " капитулировали. Россия напала на Украину в феврале 2022 года."
    ),
    "de": (
        "Die Vertreter trafen sich am 17. September in Istanbul. Die Blockade dauerte neun Monate."
        " Am 19. September griff Aserbaidschan an; nach 24 Stunden Kämpfen gaben die Anführer auf."
        " Russland überfiel die Ukraine im Februar 2022."
    ),
    "es": (
        "Los funcionarios se reunieron el 17 de septiembre en Estambul. El bloqueo duró nueve meses."
        " El 19 de septiembre Azerbaiyán atacó y tras 24 horas de combates los líderes se rindieron."
        " Rusia invadió Ucrania en febrero de 2022."
    ),
    "it": (
        "I funzionari si sono incontrati il 17 settembre a Istanbul. Il blocco è durato nove mesi."
        " Il 19 settembre l'Azerbaigian ha attaccato e dopo 24 ore di combattimenti i leader si sono"
        " arresi. La Russia ha invaso l'Ucraina nel febbraio 2022."
    ),
    "pl": (
        "Urzędnicy spotkali się 17 września w Stambule. Blokada trwała dziewięć miesięcy."
        " 19 września Azerbejdżan zaatakował, a po 24 godzinach walk przywódcy się poddali."
        " Rosja napadła na Ukrainę w lutym 2022 roku."
    ),
}


@pytest.mark.parametrize("lang", sorted(STORY))
def test_dates_same_story_resolves_alike_in_every_language(lang: str) -> None:
    text = STORY[lang]
    found = extract_dates(text, lang, PUB)
    values = {(d.value, d.granularity) for d in found}
    assert ("2023-09-17", "day") in values
    assert ("2023-09-19", "day") in values
    assert ("2022-02", "month") in values
    assert ("P9M", "duration") in values
    assert ("PT24H", "duration") in values
    for d in found:
        assert text[d.start : d.end] == d.text
        assert d.evidence is not None
        assert d.evidence.start <= d.start and d.end <= d.evidence.end


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Hier, le ministre a parlé."),
        ("en", "Yesterday the minister spoke."),
        ("uk", "Вчора міністр виступив."),
        ("ru", "Вчера министр выступил."),
        ("de", "Gestern sprach der Minister."),
        ("es", "Ayer habló el ministro."),
    ],
)
def test_dates_yesterday_is_the_day_before_publication(lang: str, text: str) -> None:
    assert [(d.value, d.granularity) for d in extract_dates(text, lang, PUB)] == [
        ("2023-10-03", "day")
    ]


@pytest.mark.parametrize(
    ("lang", "text", "value", "granularity"),
    [
        ("fr", "Le blocus dure depuis neuf mois.", "2023-01-04/2023-10-04", "interval"),
        ("de", "Die Blockade dauert seit neun Monaten an.", "2023-01-04/2023-10-04", "interval"),
        ("es", "El bloqueo dura desde hace nueve meses.", "2023-01-04/2023-10-04", "interval"),
        ("en", "Prices rose over the past nine months.", "2023-01-04/2023-10-04", "interval"),
        ("fr", "Il est arrivé il y a trois jours.", "2023-10-01", "day"),
        ("en", "He arrived three days ago.", "2023-10-01", "day"),
        ("ru", "Он приехал три дня назад.", "2023-10-01", "day"),
        ("uk", "Він приїхав три дні тому.", "2023-10-01", "day"),
        ("de", "Er kam vor drei Tagen an.", "2023-10-01", "day"),
        ("es", "Llegó hace tres días.", "2023-10-01", "day"),
        ("fr", "Ils se sont vus la semaine dernière.", "2023-09-25/2023-10-01", "interval"),
        ("en", "They met last week.", "2023-09-25/2023-10-01", "interval"),
        ("ru", "Они встретились на прошлой неделе.", "2023-09-25/2023-10-01", "interval"),
        ("es", "Se reunieron la semana pasada.", "2023-09-25/2023-10-01", "interval"),
        ("fr", "Les prix ont baissé le mois dernier.", "2023-09", "month"),
        ("en", "Prices fell last month.", "2023-09", "month"),
        ("uk", "Ціни впали минулого місяця.", "2023-09", "month"),
        ("en", "The talks collapsed a year ago.", "2022", "year"),
        ("fr", "Il est parti il y a neuf mois.", "2023-01", "month"),
        # 2023-10-04 is a Wednesday: "on Tuesday" is the day before.
        ("en", "The envoy arrived on Tuesday.", "2023-10-03", "day"),
        ("fr", "L'émissaire est arrivé mardi.", "2023-10-03", "day"),
        ("de", "Der Gesandte kam am Montag an.", "2023-10-02", "day"),
        ("ru", "Посланник прибыл во вторник.", "2023-10-03", "day"),
        ("es", "El enviado llegó el lunes.", "2023-10-02", "day"),
        (
            "fr",
            "Les pourparlers ont eu lieu du 17 au 19 septembre.",
            "2023-09-17/2023-09-19",
            "interval",
        ),
        ("en", "The accord was signed on 17/09/2023.", None, None),
        ("de", "Das Abkommen wurde am 17.09.2023 unterzeichnet.", "2023-09-17", "day"),
        ("fr", "Le 31 février, rien ne s'est passé.", None, None),
    ],
)
def test_dates_relative_and_absolute_expressions_resolve(
    lang: str, text: str, value: str | None, granularity: str | None
) -> None:
    found = [(d.value, d.granularity) for d in extract_dates(text, lang, PUB)]
    if value is None:
        assert found == []
    else:
        assert (value, granularity) in found, found


def test_dates_later_counts_from_the_previous_date_in_the_text() -> None:
    text = "The attack began on September 19. Two days later, the leaders gave up."
    values = [d.value for d in extract_dates(text, "en", PUB)]
    assert values == ["2023-09-19", "2023-09-21"]
    fr = "L'offensive a commencé le 19 septembre. Le lendemain, les dirigeants ont cédé."
    assert [d.value for d in extract_dates(fr, "fr", PUB)] == ["2023-09-19", "2023-09-20"]


def test_dates_later_without_an_earlier_date_is_dropped() -> None:
    assert extract_dates("Two days later, the leaders gave up.", "en", PUB) == []


def test_dates_yearless_date_takes_the_closest_year_on_or_before_publication() -> None:
    # 10 October has not happened yet on 2023-10-04, so a past-tense sentence means 2022.
    found = extract_dates("The meeting on October 10 was tense.", "en", PUB)
    assert [d.value for d in found] == ["2022-10-10"]
    found = extract_dates("La réunion du 10 octobre a été tendue.", "fr", PUB)
    assert [d.value for d in found] == ["2022-10-10"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The summit will take place on October 10."),
        ("fr", "Le sommet aura lieu le 10 octobre."),
        ("uk", "Саміт відбудеться 10 жовтня."),
        ("ru", "Саммит состоится 10 октября."),
        ("de", "Der Gipfel wird am 10. Oktober stattfinden."),
        ("es", "La cumbre se celebrará el 10 de octubre."),
    ],
)
def test_dates_future_date_is_kept_only_in_future_context(lang: str, text: str) -> None:
    assert [d.value for d in extract_dates(text, lang, PUB)] == ["2023-10-10"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Le traité a été signé le 5 novembre 2024."),
        ("en", "The treaty was signed in March 2025."),
        ("de", "Der Vertrag wurde im Jahr 2030 unterzeichnet."),
        ("ru", "Договор подписали в 2026 году."),
    ],
)
def test_dates_past_tense_date_after_publication_is_rejected(lang: str, text: str) -> None:
    assert extract_dates(text, lang, PUB) == []


def test_dates_on_tuesday_in_a_future_sentence_is_the_next_tuesday() -> None:
    found = extract_dates("The ministers will meet again on Tuesday.", "en", PUB)
    assert [d.value for d in found] == ["2023-10-10"]
    # A past verb governs "On Tuesday" even though a later clause is in the future.
    found = extract_dates("On Tuesday the EU said it will meet again.", "en", PUB)
    assert [d.value for d in found] == ["2023-10-03"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Plus de 100 000 personnes sont parties."),
        ("fr", "Le Karabakh : 8 réponses à la question."),
        ("fr", "Appelez le 01 45 67 89 10 ou le +33 6 12 34 56 78."),
        ("en", "Inflation was 3.2 and growth 1.5 in the quarter."),
        ("en", "The page was stamped 1696411932 at 11:35:21."),
        ("en", "Version 2.17.3 fixed 24 bugs."),
        ("de", "Rund 100.000 Menschen flohen."),
        ("ru", "Более 100 000 человек покинули дома."),
        ("fr", "Rendez-vous à 20 heures devant la mairie."),
    ],
)
def test_dates_numbers_that_are_not_dates_yield_nothing(lang: str, text: str) -> None:
    assert [d for d in extract_dates(text, lang, PUB) if d.granularity != "duration"] == []
    assert all(d.granularity == "duration" for d in extract_dates(text, lang, PUB))
    if "20 heures" in text:
        assert extract_dates(text, lang, PUB) == []


def test_dates_durations_are_durations_not_dates() -> None:
    found = extract_dates("Après 24 heures de combats et neuf mois de blocus.", "fr", PUB)
    assert [(d.value, d.granularity) for d in found] == [
        ("PT24H", "duration"),
        ("P9M", "duration"),
    ]


def test_dates_without_publication_date_relative_dates_are_not_invented() -> None:
    text = (
        "Hier, le ministre a parlé. La réunion a eu lieu le 17 septembre, il y a trois jours,"
        " puis la semaine dernière. La guerre a commencé en février 2022, le 24 février 2022."
    )
    found = {(d.value, d.granularity) for d in extract_dates(text, "fr", None)}
    assert found == {("2022-02", "month"), ("2022-02-24", "day")}
    assert extract_dates("Yesterday and on Tuesday.", "en", None) == []


def test_dates_unreadable_publication_date_counts_as_missing() -> None:
    assert extract_dates("Yesterday he left.", "en", "not a date") == []


def test_dates_language_without_data_yields_nothing() -> None:
    assert extract_dates("Ieri il ministro ha parlato.", "xx", PUB) == []


def test_dates_future_marker_in_the_governing_clause_counts() -> None:
    text = "The ECB's next decision is due on 14 December, when projections will be published."
    assert [d.value for d in extract_dates(text, "en", "2023-10-26")] == ["2023-12-14"]


def test_dates_announced_date_is_not_the_anchor_of_earlier_events() -> None:
    text = (
        "Le texte est entré en vigueur le 10 novembre. Erevan doit rétrocéder d'ici au"
        " 1er décembre trois districts. Deux jours plus tôt, l'armée avait pris Chouchi."
    )
    found = [(d.text, d.value) for d in extract_dates(text, "fr", "2020-11-10")]
    assert ("le 10 novembre", "2020-11-10") in found
    assert ("au 1er décembre", "2020-12-01") in found
    assert ("Deux jours plus tôt", "2020-11-08") in found


def test_dates_language_without_data_falls_back_to_guarded_dateparser() -> None:
    text = (
        "Op 17 september ontmoetten de diplomaten elkaar. Sinds februari 2022 is er oorlog."
        " Meer dan 100.000 mensen vluchtten na 24 uur. Gisteren om 11:35 sprak hij."
        " Het verdrag werd op 5 december 2030 getekend."
    )
    found = [(d.text, d.value, d.granularity) for d in extract_dates(text, "nl", PUB)]
    # "24 uur", "Gisteren om 11:35" and the date after publication are all left out.
    assert found == [("17 september", "2023-09-17", "day"), ("februari 2022", "2022-02", "month")]
    # Without a publication date the year-less one cannot be placed; absolute ones stand.
    assert [d.value for d in extract_dates(text, "nl", None)] == ["2022-02", "2030-12-05"]


def test_dates_stage_runs_a_mixed_language_batch() -> None:
    arts = [
        Article(id=lang, title="", body=STORY[lang], language=lang, published=PUB)
        for lang in ("en", "de", "fr")
        if lang in STORY
    ]
    arts.append(Article(id="fr", title="", body="Hier, rien.", language="fr", published=PUB))
    out = list(STAGE_DATES(arts, batch_size=2))
    assert [a.id for a in out] == ["en", "de", "fr"]
    assert all("2023-09-17" in {d.value for d in a.dates} for a in out[:2])
    assert [d.value for d in out[2].dates] == ["2023-10-03"]


def test_dates_english_month_names_need_their_capital() -> None:
    found = [
        d.value for d in extract_dates("He may 2 times refuse. In May 2020 he did.", "en", PUB)
    ]
    assert found == ["2020-05"]


def test_dates_morning_is_not_tomorrow() -> None:
    text = "Am Morgen des 3. Oktober wurden Soldaten getötet. Der Rat tagt morgen."
    found = [(d.text, d.value) for d in extract_dates(text, "de", PUB)]
    assert found == [("3. Oktober", "2023-10-03"), ("morgen", "2023-10-05")]
    assert extract_dates("Por la mañana llegaron camiones.", "es", PUB) == []


def test_dates_ages_and_rates_are_not_durations() -> None:
    text = "The 74-year-old senator, 45 years old, meets twice a year."
    assert extract_dates(text, "en", PUB) == []


def test_dates_regional_language_tags_use_the_language_data() -> None:
    assert [d.value for d in extract_dates("Yesterday he left.", "en-GB", PUB)] == ["2023-10-03"]
    assert [d.value for d in extract_dates("Hier il est parti.", "fr_CA", PUB)] == ["2023-10-03"]


def test_dates_a_count_past_the_calendar_is_no_date() -> None:
    text = "Il y a 99999999999999999999 jours, puis le 17 septembre, les pourparlers ont commencé."
    found = extract_dates(text, "fr", "2023-10-03")
    assert [d.value for d in found] == ["2023-09-17"]
    en = extract_dates("It happened 99999999999999999999 years ago.", "en", "2023-10-03")
    assert en == []


_SCANNED = [
    "Talks resumed on Tuesday, three days after the 12 March summit; a deal is expected next week.",
    "The strike ended two years ago, and 40 workers were laid off for six months in 2019.",
    "Les pourparlers ont repris mardi, trois jours après le sommet du 12 mars 2023.",
    "Die Gespräche begannen vor zwei Jahren am 3. Mai; morgen folgt die nächste Runde.",
    "Переговоры возобновились во вторник, через три дня после саммита 12 марта.",
    "No dates here at all, only 12 apples and 3 pears.",
    "",
]


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "ru", "uk", "it", "pl"])
def test_candidates_skip_only_patterns_that_match_nowhere(lang: str) -> None:
    """A pattern is left out when a word group it needs (month, weekday, unit...) matches
    nowhere in the text: the candidates are those of a scan with every pattern."""
    from wiretrace.stages.facts import datewords as dw

    lex = dw.lexicon(lang)
    assert lex is not None
    for text in _SCANNED:
        found = []
        for order, (kind, pat) in enumerate(lex.patterns):
            for m in pat.finditer(text):
                if m.end() > m.start():
                    groups = {k: v for k, v in m.groupdict().items() if v is not None}
                    found.append((m.start(), m.end(), order, kind, {**groups, "_text": m[0]}))
        found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
        taken: list[dw.Candidate] = []
        for start, end, _, kind, groups in found:
            if all(end <= c.start or start >= c.end for c in taken):
                taken.append(dw.Candidate(start, end, kind, groups))
        assert dw.candidates(text, lang) == sorted(taken, key=lambda c: c.start), text
    assert any(lex.needs), "some pattern needs a word group"
