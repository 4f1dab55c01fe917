"""The discussion tables, as named migrations the store applies after its own.

Ids are integers the database assigns (``INTEGER PRIMARY KEY``; a PostgreSQL dialect maps it to
an identity column) and are read back with ``INSERT ... RETURNING id``, which both SQLite
(3.35+) and PostgreSQL run; timestamps are ISO 8601 UTC text. Comments are never deleted: a deletion sets ``deleted_at`` and keeps the row and its
revisions for audit. ``moderation`` keeps every decision with the text it was about, so
retraining needs no comment row (Akismet submissions have none).
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "discuss_001_tables",
        """
        CREATE TABLE discuss_users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL,
            created_at TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE discuss_api_keys (
            key_hash TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            user_id INTEGER REFERENCES discuss_users(id),
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
        CREATE TABLE discuss_comments (
            id INTEGER PRIMARY KEY,
            parent_id INTEGER REFERENCES discuss_comments(id),
            target_kind TEXT NOT NULL,
            target_id TEXT NOT NULL,
            article_id TEXT,
            span_start INTEGER,
            span_end INTEGER,
            author_id INTEGER NOT NULL REFERENCES discuss_users(id),
            body TEXT NOT NULL,
            status TEXT NOT NULL,
            spam_score REAL,
            ip TEXT,
            created_at TEXT NOT NULL,
            edited_at TEXT,
            deleted_at TEXT
        );
        CREATE INDEX discuss_comments_target ON discuss_comments(target_kind, target_id);
        CREATE INDEX discuss_comments_article ON discuss_comments(article_id);
        CREATE INDEX discuss_comments_status ON discuss_comments(status);
        CREATE TABLE discuss_revisions (
            id INTEGER PRIMARY KEY,
            comment_id INTEGER NOT NULL REFERENCES discuss_comments(id),
            body TEXT NOT NULL,
            replaced_at TEXT NOT NULL
        );
        CREATE TABLE discuss_moderation (
            id INTEGER PRIMARY KEY,
            comment_id INTEGER REFERENCES discuss_comments(id),
            moderator TEXT NOT NULL,
            decision TEXT NOT NULL,
            label TEXT NOT NULL,
            text TEXT NOT NULL,
            source TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX discuss_moderation_label ON discuss_moderation(label);
        """,
    ),
]
