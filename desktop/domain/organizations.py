"""Organizations, their memberships and invitations, and teams."""

from __future__ import annotations

from desktop.domain.base import Record, Timestamp, UriRecord
from desktop.domain.rules import is_admin_role


class Organization(UriRecord, frozen=True, kw_only=True):
    """An organization: its plan decides which features exist (webhooks, activity log...)."""

    plan: str  # basic | essentials | standard | professional | teams | enterprise
    stage: str  # trial | free | paid
    name: str | None = None
    kind: str | None = None  # single | multiple (2026 spec)
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class MembershipUser(Record, frozen=True, kw_only=True):
    """The user embedded in a membership: a User without ``current_organization``."""

    uri: str
    name: str
    email: str
    slug: str = ""
    scheduling_url: str = ""
    timezone: str = ""
    avatar_url: str | None = None
    locale: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class OrganizationMembership(UriRecord, frozen=True, kw_only=True):
    """A user's place in an organization, with the user embedded."""

    role: str  # user | admin | owner
    user: MembershipUser
    organization: str
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None

    @property
    def is_admin(self) -> bool:
        """Admins and the owner manage the organization."""
        return is_admin_role(self.role)


class OrganizationInvitation(UriRecord, frozen=True, kw_only=True):
    """An invitation to join; ``user`` is set once it has been accepted."""

    organization: str
    email: str
    status: str  # pending | accepted | declined
    last_sent_at: Timestamp | None = None
    user: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"


class Team(Record, frozen=True, kw_only=True):
    """A team (``GET /teams``, 2026 spec)."""

    uri: str
    name: str
    organization: str
    scheduling_url: str = ""
