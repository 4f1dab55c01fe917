"""Score a new comment and decide what happens to it: publish, hold for a moderator, or spam.

The score is the spam model's probability, overridden by the moderators' memory when a
near-duplicate was decided before. Signals the model cannot see from one text, a brand-new
account posting links and the same text posted again, hold a comment for review rather than
reject it: they are reasons to look, not proof.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..spam import features
from ..spam.memory import DecisionMemory
from ..spam.model import SpamModel, load_model, read_model
from ..spam.train import deployment_model_path


@dataclass(frozen=True)
class Policy:
    """The site's moderation policy."""

    premoderate: bool = False  # hold every comment until a moderator approves it
    spam_above: float = 0.95  # straight to the spam folder (still reviewable)
    new_account: timedelta = timedelta(days=1)
    repeat_window: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class Verdict:
    score: float
    status: str  # published | held | spam
    reasons: list[str] = field(default_factory=list)


class Scorer:
    """The model plus the moderators' memory; the memory learns from every decision at once."""

    def __init__(self, model: SpamModel, labelled: list[tuple[str, str]] | None = None) -> None:
        self.model = model
        self.memory = DecisionMemory()
        for text, label in labelled or []:
            self.memory.add(text, label == "spam")

    @classmethod
    def for_db(cls, db_path: str | Path, labelled: list[tuple[str, str]]) -> Scorer:
        """The deployment's retrained model beside the database if there is one, else the shipped."""
        own = deployment_model_path(db_path)
        return cls(read_model(own) if own.exists() else load_model(), labelled)

    def learn(self, text: str, spam: bool) -> None:
        self.memory.add(text, spam)

    def score(self, text: str) -> tuple[float, list[str]]:
        match = self.memory.nearest(text)
        if match is not None:
            label = "spam" if match.spam else "ham"
            return (0.99 if match.spam else 0.01), [f"near-duplicate of a moderator's {label}"]
        return self.model.score(text), []

    def verdict(self, text: str, policy: Policy, account_created: str | None = None,
                recent: list[str] | None = None) -> Verdict:  # fmt: skip
        score, reasons = self.score(text)
        if score >= policy.spam_above:
            return Verdict(score, "spam", reasons or ["model score"])
        held = policy.premoderate
        if policy.premoderate:
            reasons.append("site holds every comment for review")
        if score >= self.model.threshold:
            held = True
            reasons.append("model score over threshold")
        if account_created and features.count_links(text):
            age = datetime.now(UTC) - datetime.fromisoformat(account_created)
            if age < policy.new_account:
                held = True
                reasons.append("new account posting a link")
        if recent and " ".join(text.split()) in {" ".join(r.split()) for r in recent}:
            held = True
            reasons.append("same text posted again")
        return Verdict(score, "held" if held else "published", reasons)
