"""API keys: random tokens shown once, stored only as SHA-256 hashes, with a role each.

Keys are 256-bit random tokens, so a plain SHA-256 is enough to make a stolen database useless
(no dictionary to attack); a slow password hash would only slow every request.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import ApiKey, utcnow

KEY_PREFIX = "stnlp_"


class Role(StrEnum):
    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"
    TRAINER = "trainer"
    ADMIN = "admin"


# What each role may do; each role includes the caseworker's rights. Supervisors may read
# the example sets their unit's trainers built (`example_sets_read`), not build them.
PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.CASEWORKER: frozenset({"review", "classify", "check"}),
    Role.SUPERVISOR: frozenset({"review", "classify", "check", "audits", "example_sets_read"}),
    Role.TRAINER: frozenset({"review", "classify", "check", "example_sets", "example_sets_read"}),
    Role.ADMIN: frozenset(
        {"review", "classify", "check", "audits", "example_sets", "example_sets_read", "keys"}
    ),
}


@dataclass(frozen=True)
class Principal:
    key_id: str | None
    role: Role
    owner: str
    unit: str | None

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS[self.role]

    def may_see(self, owner_key_id: str | None, owner_unit: str | None) -> bool:
        """Object-level access: the creator, or a supervisor of the creator's unit.

        Everyone else must not learn the object exists (routes answer 404, never 403).
        """
        if owner_key_id is not None and owner_key_id == self.key_id:
            return True
        return self.role is Role.SUPERVISOR and self.unit is not None and owner_unit == self.unit


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(
    session: Session, role: Role, owner: str, unit: str | None = None
) -> tuple[str, ApiKey]:
    """Create a key; returns the plaintext (to show once) and the stored row."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        id=str(uuid.uuid4()),
        key_hash=hash_key(key),
        prefix=key[: len(KEY_PREFIX) + 4],
        role=role.value,
        owner=owner,
        unit=unit,
    )
    session.add(row)
    session.commit()
    return key, row


def find_key(session: Session, key: str) -> Principal | None:
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
    if row is None or row.revoked_at is not None:
        return None
    return Principal(row.id, Role(row.role), row.owner, row.unit)


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at)))


def revoke_key(session: Session, key_id: str) -> bool:
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.commit()
    return True
