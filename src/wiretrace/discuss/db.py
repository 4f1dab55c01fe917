"""All discussion reads and writes, as portable SQL on a DB-API connection of the store.

The SQL uses ``?`` placeholders and standard types only, so a PostgreSQL store can run it
through the same interface. One lock serialises writes from request threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import accounts
from .accounts import User

STATUSES = ("published", "held", "spam", "rejected", "deleted")
DECISIONS = {"approve": ("published", "ham"), "spam": ("spam", "spam"), "ham": ("rejected", "ham")}
_COLS = ("id, parent_id, target_kind, target_id, article_id, span_start, span_end, author_id, "
         "body, status, spam_score, created_at, edited_at, deleted_at")  # fmt: skip


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Comment:
    id: int
    parent_id: int | None
    target_kind: str
    target_id: str
    article_id: str | None
    span_start: int | None
    span_end: int | None
    author_id: int
    body: str
    status: str
    spam_score: float | None
    created_at: str
    edited_at: str | None
    deleted_at: str | None
    author: str = ""

    def visible_to(self, user: User | None) -> bool:
        """Published comments for everyone; one's own held comments; all for moderators."""
        if self.status == "published":
            return True
        if user is None:
            return False
        return user.can_moderate() or (user.id == self.author_id and self.status == "held")

    def to_json(self, shown_body: bool = True) -> dict[str, Any]:
        deleted = self.deleted_at is not None
        return {
            "id": self.id, "parent_id": self.parent_id, "url": f"/comment/{self.id}",
            "target": {"kind": self.target_kind, "id": self.target_id,
                       "article_id": self.article_id,
                       "span": None if self.span_start is None
                       else {"start": self.span_start, "end": self.span_end}},
            "author": self.author, "body": None if deleted or not shown_body else self.body,
            "status": self.status, "spam_score": self.spam_score,
            "created_at": self.created_at, "edited_at": self.edited_at,
            "deleted_at": self.deleted_at,
        }  # fmt: skip


class DiscussionDB:
    """Accounts, comments, revisions and moderation decisions over one connection."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.lock = threading.Lock()

    @classmethod
    def open(cls, db_path: str | Path) -> DiscussionDB:
        """A writable connection on the store at ``db_path`` (an SQLite file or a PostgreSQL
        URL), migrated by opening the store."""
        from ..store import open_store

        return cls(open_store(db_path).conn)

    def _rows(self, sql: str, args: tuple[Any, ...]) -> list[Any]:
        """All rows of a query; under the lock, so a read never lands inside another
        thread's open transaction on the shared connection."""
        with self.lock:
            return list(self.conn.execute(sql, args).fetchall())

    def _row(self, sql: str, args: tuple[Any, ...]) -> Any:
        rows = self._rows(sql, args)
        return rows[0] if rows else None

    def _write(self, sql: str, args: tuple[Any, ...]) -> int:
        """Run one statement in a transaction; an ``INSERT ... RETURNING id`` gives the new id."""
        with self.lock:
            self.conn.execute("BEGIN")
            try:
                cur = self.conn.execute(sql, args)
                row = cur.fetchone() if "RETURNING" in sql else None
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            return int(row[0]) if row else 0

    def _many(self, steps: list[tuple[str, tuple[Any, ...]]]) -> None:
        with self.lock:
            self.conn.execute("BEGIN")
            try:
                for sql, args in steps:
                    self.conn.execute(sql, args)
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    # -- accounts ------------------------------------------------------------------------------

    def add_user(self, name: str, password: str, role: str) -> User:
        name = name.strip()
        if not name or len(name) > 64:
            raise ValueError("a user name needs 1 to 64 characters")
        if self.user_by_name(name) is not None:
            raise ValueError(f"user {name!r} exists already")
        uid = self._write(
            "INSERT INTO discuss_users (name, password_hash, role, created_at) VALUES (?, ?, ?, ?) "
            "RETURNING id",
            (name, accounts.hash_password(password), accounts.check_role(role), now()),
        )
        user = self.user(uid)
        assert user is not None
        return user

    def set_role(self, name: str, role: str) -> None:
        accounts.check_role(role)
        self._write("UPDATE discuss_users SET role = ? WHERE name = ?", (role, name))

    def _user_row(self, where: str, arg: Any) -> tuple[User, str] | None:
        row = self._row(
            f"SELECT id, name, role, created_at, password_hash FROM discuss_users "
            f"WHERE {where} = ? AND disabled = 0",
            (arg,),
        )
        if row is None:
            return None
        return User(int(row[0]), str(row[1]), str(row[2]), str(row[3])), str(row[4])

    def user(self, uid: int) -> User | None:
        found = self._user_row("id", uid)
        return found[0] if found else None

    def user_by_name(self, name: str) -> User | None:
        found = self._user_row("name", name)
        return found[0] if found else None

    def authenticate(self, name: str, password: str) -> User | None:
        found = self._user_row("name", name.strip())
        if not accounts.verify_password(found[1] if found else None, password) or found is None:
            return None
        if accounts.needs_rehash(found[1]):
            self._write("UPDATE discuss_users SET password_hash = ? WHERE id = ?",
                        (accounts.hash_password(password), found[0].id))  # fmt: skip
        return found[0]

    def add_api_key(self, label: str, user: User | None = None) -> str:
        key = accounts.new_api_key()
        self._write(
            "INSERT INTO discuss_api_keys (key_hash, label, user_id, created_at) VALUES (?, ?, ?, ?)",
            (accounts.key_hash(key), label, user.id if user else None, now()),
        )
        return key

    def key_valid(self, key: str | None) -> bool:
        if not key:
            return False
        row = self._row(
            "SELECT 1 FROM discuss_api_keys WHERE key_hash = ? AND revoked_at IS NULL",
            (accounts.key_hash(key),),
        )
        return row is not None

    # -- comments ------------------------------------------------------------------------------

    def add_comment(self, *, target_kind: str, target_id: str, article_id: str | None,
                    span: tuple[int, int] | None, author: User, body: str, status: str,
                    score: float | None, ip: str | None, parent_id: int | None) -> int:  # fmt: skip
        return self._write(
            "INSERT INTO discuss_comments (parent_id, target_kind, target_id, article_id, "
            "span_start, span_end, author_id, body, status, spam_score, ip, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (parent_id, target_kind, target_id, article_id, span[0] if span else None,
             span[1] if span else None, author.id, body, status, score, ip, now()),
        )  # fmt: skip

    def _comments(self, where: str, args: tuple[Any, ...]) -> list[Comment]:
        cols = ", ".join("c." + c.strip() for c in _COLS.split(","))
        rows = self._rows(
            f"SELECT {cols}, u.name FROM discuss_comments c "
            f"JOIN discuss_users u ON u.id = c.author_id WHERE {where} ORDER BY c.id",
            args,
        )
        return [Comment(*r) for r in rows]

    def comment(self, cid: int) -> Comment | None:
        if not 0 < cid < 2**63:  # beyond any stored id (and SQLite's integer range)
            return None
        found = self._comments("c.id = ?", (cid,))
        return found[0] if found else None

    def for_article(self, article_id: str) -> list[Comment]:
        return self._comments("c.article_id = ?", (article_id,))

    def for_target(self, kind: str, target_id: str) -> list[Comment]:
        return self._comments("c.target_kind = ? AND c.target_id = ?", (kind, target_id))

    def held(self) -> list[Comment]:
        """The queue: held comments, and those the filter sent to spam that nobody decided yet."""
        return self._comments(
            "c.deleted_at IS NULL AND (c.status = ? OR (c.status = ? AND NOT EXISTS "
            "(SELECT 1 FROM discuss_moderation m WHERE m.comment_id = c.id)))",
            ("held", "spam"),
        )

    def revisions(self, cid: int) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT body, replaced_at FROM discuss_revisions WHERE comment_id = ? ORDER BY id",
            (cid,),
        )
        return [{"body": r[0], "replaced_at": r[1]} for r in rows]

    def edit(self, cid: int, user: User, body: str) -> None:
        c = self.comment(cid)
        if c is None or c.author_id != user.id or c.deleted_at is not None:
            raise PermissionError("only the author can edit a comment that is not deleted")
        t = now()
        self._many([
            ("INSERT INTO discuss_revisions (comment_id, body, replaced_at) VALUES (?, ?, ?)",
             (cid, c.body, t)),
            ("UPDATE discuss_comments SET body = ?, edited_at = ? WHERE id = ?", (body, t, cid)),
        ])  # fmt: skip

    def delete(self, cid: int, user: User) -> None:
        """Soft delete: the row and its text stay for audit, readers see that it was deleted."""
        c = self.comment(cid)
        if c is None or not (c.author_id == user.id or user.can_moderate()):
            raise PermissionError("only the author or a moderator can delete a comment")
        self._write("UPDATE discuss_comments SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                    (now(), cid))  # fmt: skip

    def recent_bodies(self, author_id: int, since: str) -> list[str]:
        rows = self._rows(
            "SELECT body FROM discuss_comments WHERE author_id = ? AND created_at >= ?",
            (author_id, since),
        )
        return [str(r[0]) for r in rows]

    # -- moderation ----------------------------------------------------------------------------

    def decide(self, cid: int, moderator: User, decision: str) -> Comment:
        """Approve, reject as spam or reject as ham; the decision and its text are kept."""
        if decision not in DECISIONS or not moderator.can_moderate():
            raise PermissionError("moderators decide with approve, spam or ham")
        c = self.comment(cid)
        if c is None:
            raise LookupError(f"no comment {cid}")
        status, label = DECISIONS[decision]
        self._many([
            ("UPDATE discuss_comments SET status = ? WHERE id = ?", (status, cid)),
            ("INSERT INTO discuss_moderation (comment_id, moderator, decision, label, text, "
             "source, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
             (cid, moderator.name, decision, label, c.body, "queue", now())),
        ])  # fmt: skip
        out = self.comment(cid)
        assert out is not None
        return out

    def record_label(self, text: str, label: str, source: str, by: str) -> None:
        """A decision that has no comment row (an Akismet submit-spam / submit-ham)."""
        self._write(
            "INSERT INTO discuss_moderation (comment_id, moderator, decision, label, text, "
            "source, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (None, by, "submit-" + label, label, text, source, now()),
        )

    def decisions(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT id, comment_id, moderator, decision, label, source, at "
            "FROM discuss_moderation ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        keys = ("id", "comment_id", "moderator", "decision", "label", "source", "at")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def labelled(self) -> list[tuple[str, str]]:
        rows = self._rows("SELECT text, label FROM discuss_moderation ORDER BY id", ())
        return [(str(t), str(lbl)) for t, lbl in rows]
