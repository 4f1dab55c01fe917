"""Discussion building blocks: fact anchors, the moderation policy's signals, retraining, limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from discussion_fixtures import make_db
from wiretrace.cli import cli
from wiretrace.discuss import anchors
from wiretrace.discuss.db import DiscussionDB
from wiretrace.discuss.policy import Policy, Scorer
from wiretrace.discuss.ratelimit import RateLimiter
from wiretrace.spam.memory import DecisionMemory
from wiretrace.spam.model import load_model, read_model
from wiretrace.spam.train import deployment_model_path

RECORD = {
    "id": "A1",
    "body": "Talks opened in Ankara. Der Minister sprach von 300 Gefangenen! Then they left.",
    "quotes": [{"content": "x", "start": 0, "end": 5, "speaker": {"text": "Ann"},
                "evidence": {"start": 0, "end": 23}}],
    "events": [{"type": "CONSULT", "evidence": {"start": 0, "end": 23}}],
    "figures": [{"text": "300 Gefangenen", "start": 48, "end": 62}],
    "entities": [{"id": "e1", "mentions": [{"text": "Ankara", "start": 16, "end": 22}]}],
}  # fmt: skip


def test_every_fact_kind_is_anchored_to_its_sentence() -> None:
    found = {a.id: a for a in anchors.facts(RECORD)}
    assert set(found) == {"A1/quote/0", "A1/event/0", "A1/figure/0", "A1/mention/e1/0"}
    body = RECORD["body"]
    fig = found["A1/figure/0"].span
    assert fig is not None and body[fig[0] : fig[1]] == "Der Minister sprach von 300 Gefangenen!"
    men = found["A1/mention/e1/0"].span
    assert men is not None and body[men[0] : men[1]] == "Talks opened in Ankara."


def test_resolve_refuses_unknown_targets() -> None:
    def record_of(aid: str) -> dict[str, object] | None:
        return RECORD if aid == "A1" else None

    def story_exists(sid: str) -> bool:
        return sid == "S1"

    assert anchors.resolve("figure", "A1/figure/0", record_of, story_exists) is not None
    assert anchors.resolve("figure", "A1/figure/9", record_of, story_exists) is None
    assert anchors.resolve("quote", "A1/figure/0", record_of, story_exists) is None
    assert anchors.resolve("article", "B2", record_of, story_exists) is None
    assert anchors.resolve("story", "S1", record_of, story_exists) is not None
    assert anchors.resolve("story", "S2", record_of, story_exists) is None
    assert anchors.resolve("script", "A1", record_of, story_exists) is None


def test_new_accounts_posting_links_and_repeated_text_are_held() -> None:
    scorer = Scorer(load_model())
    text = "The ministry's statement is here: https://gov.example/statement-2024"
    fresh = datetime.now(UTC).isoformat()
    old = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    assert scorer.verdict(text, Policy(), old).status == "published"
    held = scorer.verdict(text, Policy(), fresh)
    assert held.status == "held" and "new account posting a link" in held.reasons
    again = scorer.verdict("Same  note twice", Policy(), old, ["Same note twice"])
    assert again.status == "held" and "same text posted again" in again.reasons
    assert scorer.verdict("A plain note", Policy(premoderate=True), old).status == "held"


def test_memory_matches_near_duplicates_only() -> None:
    mem = DecisionMemory()
    mem.add("Cheap watches at the harbour stall, ask for Tomas, best prices", True)
    hit = mem.nearest("Cheap watches at the harbour stall!! ask for Tomas, best prices")
    assert hit is not None and hit.spam and hit.similarity >= 0.7
    assert mem.nearest("The harbour authority published its prices for the season") is None


def test_rate_limiter_counts_each_key_in_its_window() -> None:
    now = [0.0]
    lim = RateLimiter(2, 60.0, clock=lambda: now[0])
    assert lim.allow("u1", "ip1") and lim.allow("u1", "ip1")
    assert not lim.allow("u1", "ip1")
    assert not lim.allow("u2", "ip1")  # the IP is full even for another user
    now[0] = 61.0
    assert lim.allow("u1", "ip1")


def test_train_with_db_learns_the_moderators_decisions(tmp_path: Path) -> None:
    path = make_db(tmp_path / "m.db")
    db = DiscussionDB.open(path)
    campaign = "Tulip bulbs wholesale from Lisse, write to the bulb desk for the catalogue"
    for i in range(3):
        db.record_label(f"{campaign} {i}", "spam", "akismet", "test")
    out = CliRunner().invoke(cli, ["train", "spam", "--db", str(path)])
    assert out.exit_code == 0, out.output
    own = read_model(deployment_model_path(path))
    assert own.meta["sources"]["moderation"] == 3
    probe = "Tulip bulbs wholesale from Lisse: write to our bulb desk for a catalogue"
    assert own.score(probe) > load_model().score(probe)
    assert Scorer.for_db(path, []).model.meta == own.meta  # the service loads it


def test_user_cli_creates_accounts_roles_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "u.db"
    run = CliRunner().invoke
    out = run(cli, ["user", "add", "ines", "--role", "moderator", "--db", str(path)],
              env={"WIRETRACE_PASSWORD": "long enough pw"})  # fmt: skip
    assert out.exit_code == 0, out.output
    assert run(cli, ["user", "add", "ines", "--db", str(path)],
               env={"WIRETRACE_PASSWORD": "long enough pw"}).exit_code != 0  # fmt: skip
    assert run(cli, ["user", "role", "ines", "reader", "--db", str(path)]).exit_code == 0
    key = run(cli, ["user", "key", "blog", "--db", str(path)]).output.strip()
    db = DiscussionDB.open(path)
    user = db.authenticate("ines", "long enough pw")
    assert user is not None and user.role == "reader"
    assert db.authenticate("ines", "wrong password") is None
    assert db.key_valid(key) and not db.key_valid(key + "x")
    stored = db.conn.execute("SELECT password_hash, role FROM discuss_users").fetchone()
    assert stored[0].startswith("$argon2id$") and "long enough" not in stored[0]
