"""Local accounts: Argon2id password hashes (argon2-cffi), three roles, API keys stored hashed.

Argon2id with the library's defaults (RFC 9106 low-memory profile) is what OWASP recommends
for new systems; verifying rehashes when those defaults change. API keys are random 32-byte
tokens shown once; only their SHA-256 is stored (a key is high-entropy, so a fast hash is
enough and a lookup by hash stays an index hit).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROLES = ("reader", "contributor", "moderator")
_HASHER = PasswordHasher()


@functools.cache
def _dummy() -> str:
    """Verified against when a name is unknown, so a login takes as long whether or not it
    exists. Hashed on first use, not at import: every CLI command imports this module and
    should not pay an Argon2 hash (about half a second of CPU) to start."""
    return _HASHER.hash("not a password of anyone")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    created_at: str

    def can_post(self) -> bool:
        return self.role in ("contributor", "moderator")

    def can_moderate(self) -> bool:
        return self.role == "moderator"

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "role": self.role}


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    return role


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ValueError("a password needs at least 8 characters")
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored`` (None: an unknown user, still takes the time)."""
    try:
        return _HASHER.verify(stored or _dummy(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)


def new_api_key() -> str:
    return "wt_" + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
