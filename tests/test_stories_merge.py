"""Events merged across the reports of a story: one event, many supporting reports."""

from __future__ import annotations

from wiretrace.model import Article, Event, EventDate, Evidence, Outlet, Participant
from wiretrace.stories.merge import merge_events


def _consult(actor: str, where: str, date: str | None, ev: int = 0, **kw: object) -> Event:
    return Event(
        type=str(kw.get("type", "CONSULT")),
        actors=(Participant(actor, country=kw.get("country")),),  # type: ignore[arg-type]
        where=(Participant(where),),
        date=EventDate(date, date, "day" if len(date) == 10 else "month") if date else None,
        evidence=Evidence(ev, ev + 10, "events.v1"),
        aux=kw.get("aux"),  # type: ignore[arg-type]
    )


def _art(id: str, lang: str, outlet: str, *events: Event) -> Article:
    return Article(id=id, title="", body="x" * 50, language=lang, outlet=Outlet(outlet),
                   published=f"2023-10-0{len(id)}", events=events)  # fmt: skip


def test_merge_same_meeting_from_three_reports_is_one_event() -> None:
    arts = [
        _art("a", "en", "Politico", _consult("Louis Bono", "Istanbul", "2023-09-17")),
        _art("bb", "uk", "Evropeiska Pravda", _consult("Луїс Боно", "Стамбул", "2023-09")),
        _art("ccc", "fr", "Le Fil", _consult("Louis Bono", "Istanbul", None)),
    ]
    merged = merge_events(arts)
    assert len(merged) == 1
    ev = merged[0]
    assert [r.article_id for r in ev.reports] == ["a", "bb", "ccc"]
    assert ev.languages == ["en", "fr", "uk"]
    assert ev.date is not None and ev.date.value == "2023-09-17"
    assert ev.to_json()["reports"][1]["outlet"] == "Evropeiska Pravda"


def test_merge_conflicting_dates_or_actors_stay_apart() -> None:
    arts = [
        _art("a", "en", "A", _consult("Louis Bono", "Istanbul", "2023-09-17")),
        _art("bb", "en", "B", _consult("Louis Bono", "Istanbul", "2022-07-13")),
        _art("ccc", "en", "C", _consult("Hulusi Akar", "Ankara", "2023-09-17")),
    ]
    assert len(merge_events(arts)) == 3


def test_merge_different_types_and_unreal_events_are_not_counted_together() -> None:
    arts = [
        _art("a", "en", "A", _consult("Louis Bono", "Istanbul", "2023-09-17")),
        _art("bb", "en", "B", _consult("Louis Bono", "Istanbul", "2023-09-17", type="ASSAULT")),
        _art("ccc", "en", "C", _consult("Louis Bono", "Istanbul", "2023-09-17", aux="negated")),
    ]
    merged = merge_events(arts)
    assert sorted(e.type for e in merged) == ["ASSAULT", "CONSULT"]
    assert all(len(e.reports) == 1 for e in merged)


def test_merge_no_events_gives_no_story_events() -> None:
    assert merge_events([_art("a", "en", "A")]) == []


def test_merge_same_day_joins_reports_that_name_parties_differently() -> None:
    unnamed = Event(type="CONSULT", date=EventDate("17 сентября", "2023-09-17", "day"),
                    evidence=Evidence(0, 10, "events.v1"))  # fmt: skip
    arts = [
        _art(
            "a",
            "en",
            "A",
            _consult("Senior American officials", "Istanbul", "2023-09-17", country="US"),
        ),
        _art("bb", "de", "B", _consult("Diplomaten aus Brüssel", "Istanbul", "2023-09-17")),
        _art("ccc", "ru", "C", unnamed),
    ]
    merged = merge_events(arts)
    assert len(merged) == 1 and len(merged[0].reports) == 3


def test_merge_a_city_parsed_as_recipient_is_a_place() -> None:
    # "conversaciones con Rusia en Estambul": some parses put the city among the recipients.
    ev = Evidence(0, 10, "events.v1")
    es = Event(type="CONSULT", actors=(Participant("Rusia", country="RU"),),
               recipients=(Participant("Estambul"),), evidence=ev)  # fmt: skip
    en = Event(type="CONSULT", actors=(Participant("Russian envoy", country="RU"),),
               recipients=(Participant("Louis Bono"),), where=(Participant("Istanbul"),),
               evidence=ev)  # fmt: skip
    merged = merge_events([_art("a", "en", "A", en), _art("bb", "es", "B", es)])
    assert len(merged) == 1
    assert {p.text for p in merged[0].where} >= {"Istanbul"}
    assert [p.text for p in merged[0].recipients] == ["Louis Bono"]


def test_merge_names_with_punctuation_and_same_month_events() -> None:
    en = _consult("Washington", "Istanbul", None)
    en = Event(type="CONSULT", actors=en.actors,
               recipients=(Participant("Louis Bono, its senior adviser"),),
               evidence=Evidence(0, 10, "events.v1"))  # fmt: skip
    ru = Event(type="CONSULT", actors=(Participant("Вашингтон"),),
               recipients=(Participant("Луиса Боно"),), evidence=en.evidence)  # fmt: skip
    assert len(merge_events([_art("a", "en", "A", en), _art("bb", "ru", "B", ru)])) == 1
    # "The invasion of February 2022" told with different parties by two reports is one event;
    # the same kind of event in another month is another.
    arts = [
        _art("a", "en", "A", _consult("Vladimir Putin", "Ukraine", "2022-02", type="ASSAULT")),
        _art("bb", "uk", "B", _consult("Москва", "Україна", "2022-02", type="ASSAULT")),
        _art("ccc", "de", "C", _consult("Moskau", "Ukraine", "2022-03", type="ASSAULT")),
    ]
    assert sorted(len(e.reports) for e in merge_events(arts)) == [1, 2]


def test_merge_background_events_stay_off_the_story_timeline() -> None:
    told = _consult("Louis Bono", "Istanbul", "2023-09-17")
    background = _consult("Russia", "Ukraine", "2022-02", ev=20, type="ASSAULT", aux="historical")
    merged = merge_events([_art("a", "en", "Politico", told, background)])
    assert [e.type for e in merged] == ["CONSULT"]


def test_merge_lists_one_state_once_across_languages_and_keeps_distinct_places() -> None:
    """ "USA" (en), "США" (ru) and "Estados Unidos" (es) act for one state: one merged actor.
    A city the patterns put in the actor slot is a place, and two cities of one country stay two."""
    arts = [
        _art("a", "en", "A", _consult("USA", "Istanbul", "2023-09-17", country="US")),
        _art("bb", "ru", "B", _consult("США", "Анкара", "2023-09-17", country="US")),
        _art("ccc", "es", "C", _consult("Estados Unidos", "Estambul", "2023-09-17", country="US")),
        _art("dddd", "en", "D", _consult("Istanbul", "Istanbul", "2023-09-17")),
    ]
    merged = merge_events(arts)
    assert len(merged) == 1
    ev = merged[0]
    assert [p.text for p in ev.actors] == ["USA"]
    assert len(ev.reports) == 4
    places = [p.text for p in ev.where]
    assert "Istanbul" in places and "Анкара" in places
    assert "Istanbul" not in [p.text for p in ev.actors]
