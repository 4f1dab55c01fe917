"""Fact queries and exports: quotes by source type, events by type/actor/place/date, CSV/JSONL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from wiretrace.cli import cli
from wiretrace.model import Article, Event, EventDate, Evidence, Participant, Quote, Speaker
from wiretrace.store import open_store

BODY = (
    "Envoys of the US, the EU and Russia met in Istanbul on 17 September. "
    "A senior diplomat said the talks were about the Lachin corridor. "
    "Azerbaijan denied planning an offensive in Karabakh."
)
S1, S2, S3 = (0, 69), (70, 135), (136, len(BODY))


def _article() -> Article:
    talks = Event(
        type="CONSULT", mode="third-party", context=("diplomatic",),
        actors=(Participant("the US", None, "US"), Participant("the EU", None, None),
                Participant("Russia", None, "RU")),
        where=(Participant("Istanbul", None, "TR"),),
        date=EventDate("17 September", "2023-09-17", "day"),
        trigger="met", evidence=Evidence(*S1, stage="events.v1"),
    )  # fmt: skip
    denied = Event(
        type="ASSAULT", aux="negated", actors=(Participant("Azerbaijan", None, "AZ"),),
        where=(Participant("Karabakh", None, "AZ"),), evidence=Evidence(*S3, stage="events.v1"),
    )  # fmt: skip
    quote = Quote(
        content="the talks were about the Lachin corridor", start=92, end=134, kind="indirect",
        speaker=Speaker("A senior diplomat", "anonymous"), cue="said",
        evidence=Evidence(*S2, stage="quotes.v1"),
    )  # fmt: skip
    return Article(id="k1", title="Karabakh talks", body=BODY, language="en",
                   published="2023-10-03", events=(talks, denied), quotes=(quote,))  # fmt: skip


def _db(tmp_path: Path) -> str:
    path = tmp_path / "facts.db"
    store = open_store(path)
    store.upsert([_article()])
    store.close()
    return str(path)


def _run(*args: str) -> str:
    res = CliRunner().invoke(cli, list(args))
    assert res.exit_code == 0, res.output
    return res.output


def test_events_filter_by_type_actor_place_and_date(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = _run("events", "--db", db, "--type", "consult", "--actor", "RU", "--place", "istanbul",
               "--from", "2023-09-01", "--to", "2023-09-30", "--json")  # fmt: skip
    rows = [json.loads(x) for x in out.splitlines()]
    assert [r["type"] for r in rows] == ["CONSULT"]
    assert _run("events", "--db", db, "--actor", "China", "--json") == ""
    assert _run("events", "--db", db, "--from", "2023-10-01", "--json") == ""


def test_unrealised_events_are_kept_apart_unless_asked_for(tmp_path: Path) -> None:
    db = _db(tmp_path)
    assert "ASSAULT" not in _run("events", "--db", db)
    assert "[negated]" in _run("events", "--db", db, "--all")


def test_anonymous_quotes_about_a_topic(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = _run("quotes", "--db", db, "--source-type", "anonymous", "--about", "Karabakh")
    assert "[anonymous] A senior diplomat: the talks were about the Lachin corridor" in out
    assert _run("quotes", "--db", db, "--source-type", "named") == ""
    assert _run("quotes", "--db", db, "--about", "Donbass") == ""


def test_export_events_csv_and_jsonl_carry_evidence(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = (
        CliRunner().invoke(cli, ["export", "events", "--db", db, "--format", "csv", "--all"]).stdout
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sorted(r["type"] for r in rows) == ["ASSAULT", "CONSULT"]
    talks = next(r for r in rows if r["type"] == "CONSULT")
    assert talks["actor_countries"] == "US; ; RU"
    assert talks["evidence_text"] == BODY[S1[0] : S1[1]]
    assert talks["stage"] == "events.v1" and talks["date"] == "2023-09-17"
    out = CliRunner().invoke(cli, ["export", "events", "--db", db, "--format", "jsonl"]).stdout
    lines = [json.loads(x) for x in out.splitlines()]
    assert len(lines) == 1 and lines[0]["evidence_start"] == 0


def test_merged_events_count_happenings_not_reports(tmp_path: Path) -> None:
    import dataclasses

    from wiretrace.stories.record import save_story

    en = _article()
    de_body = "Gesandte der USA, der EU und Russlands trafen sich am 17. September in Istanbul."
    talks_de = dataclasses.replace(
        en.events[0], actors=(Participant("Gesandte der USA", None, "US"),),
        where=(Participant("Istanbul", None, "TR"),),
        evidence=Evidence(0, len(de_body), stage="events.v1"),
    )  # fmt: skip
    de = Article(id="k2", title="Gespräche in Istanbul", body=de_body, language="de",
                 published="2023-10-04", events=(talks_de,))  # fmt: skip
    path = tmp_path / "merged.db"
    store = open_store(path)
    store.upsert([en, de])
    save_story(store.conn, "s1", [en, de])
    store.conn.commit()
    store.close()
    db = str(path)
    # Two reports tell the meeting: two report events, one happening.
    assert len(_run("events", "--db", db, "--type", "consult", "--json").splitlines()) == 2
    rows = [json.loads(x) for x in _run("events", "--db", db, "--type", "consult", "--merged",
                                        "--json").splitlines() if x.startswith("{")]  # fmt: skip
    assert len(rows) == 1
    assert rows[0]["story_id"] == "s1" and rows[0]["type"] == "CONSULT"
    assert sorted(r["language"] for r in rows[0]["reports"]) == ["de", "en"]
    text = _run("events", "--db", db, "--merged")
    assert "[2 report(s): de,en]" in text and "1 event(s) told by 2" in text
