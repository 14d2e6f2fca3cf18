"""Bearer tokens, callers and their roles and scopes (facts §1.1, §7.6)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from desktop.sandbox.errors import ApiError, denied, insufficient_scope, unauthenticated
from desktop.sandbox.store import Record, Store
from desktop.sandbox.wire import iso

# Scopes introduced 2026-03-03; a ``:write`` scope implies the matching ``:read``.
SCOPES = (
    "users:read",
    "organizations:read",
    "organizations:write",
    "groups:read",
    "event_types:read",
    "event_types:write",
    "availability:read",
    "availability:write",
    "locations:read",
    "scheduled_events:read",
    "scheduled_events:write",
    "scheduling_links:write",
    "shares:write",
    "routing_forms:read",
    "webhooks:read",
    "webhooks:write",
    "activity_log:read",
    "data_compliance:write",
    "outgoing_communications:read",
    "contacts:read",
    "contacts:write",
    "meeting_recaps:read",
    "meeting_recaps:write",
)

ADMIN_ROLES = ("owner", "admin")


def token_id(token: str) -> str:
    """Tokens are stored only as their SHA-256, never in the clear."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Caller:
    """Who is asking: the token's user, their membership and what the token may do."""

    user: Record
    membership: Record
    scopes: frozenset[str] | None  # None: a legacy token with full access

    @property
    def user_id(self) -> str:
        return str(self.user["id"])

    @property
    def org_id(self) -> str:
        return str(self.membership["organization"])

    @property
    def role(self) -> str:
        return str(self.membership["role"])

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    def require(self, scope: str) -> None:
        """403 Insufficient scope unless the token carries ``scope`` (or its ``:write``)."""
        if self.scopes is None or scope in self.scopes:
            return
        if scope.endswith(":read") and scope.replace(":read", ":write") in self.scopes:
            return
        raise insufficient_scope([scope])

    def require_admin(self, message: str = "You do not have permission") -> None:
        if not self.is_admin:
            raise denied(message)

    def require_org(self, org_id: str) -> None:
        if org_id != self.org_id:
            raise denied()


class Tokens:
    """Issues and checks bearer tokens (personal access tokens and OAuth access tokens)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def issue(
        self,
        user_id: str,
        now: datetime,
        kind: str = "personal_access_token",
        scopes: list[str] | None = None,
        expires_at: datetime | None = None,
        label: str = "",
    ) -> str:
        token = "sbx_" + secrets.token_urlsafe(32)
        self.store.insert(
            "tokens",
            {
                "id": token_id(token),
                "user": user_id,
                "kind": kind,
                "scopes": scopes,
                "label": label,
                "created_at": iso(now),
                "expires_at": iso(expires_at) if expires_at else None,
            },
        )
        return token

    def revoke(self, token: str) -> None:
        self.store.delete("tokens", token_id(token))

    def lookup(self, token: str, now: datetime) -> Record | None:
        record = self.store.get("tokens", token_id(token))
        if record is None:
            return None
        expires = record.get("expires_at")
        if expires is not None and expires <= iso(now):
            return None
        return record

    def authenticate(self, authorization: str | None, now: datetime) -> Caller:
        """The caller for an ``Authorization`` header, or 401 Unauthenticated."""
        if not authorization:
            raise unauthenticated()
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthenticated()
        record = self.lookup(token.strip(), now)
        if record is None:
            raise unauthenticated()
        user = self.store.get("users", record["user"])
        membership = self.store.find_one("memberships", "user = ?", (record["user"],))
        if user is None or membership is None:
            # The user left the organization: their tokens stop working.
            raise ApiError(401, "Unauthenticated", "The access token is invalid")
        scopes = record.get("scopes")
        return Caller(user, membership, None if scopes is None else frozenset(scopes))
