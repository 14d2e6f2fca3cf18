"""Groups and group relationships (whose owner is a membership or a pending invitation)."""

from __future__ import annotations

from desktop.domain.base import Number, Record, Timestamp, UriRecord
from desktop.domain.organizations import MembershipUser

MEMBERSHIP_OWNER = "OrganizationMembership"
INVITATION_OWNER = "OrganizationInvitation"


class Group(UriRecord, frozen=True, kw_only=True):
    """A group of an organization's members."""

    name: str
    organization: str
    member_count: Number | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class GroupRelationshipOwner(Record, frozen=True, kw_only=True):
    """Who holds a group role: a membership or an invitation, told apart by ``type``.

    One struct with the fields of both rather than a tagged union: a union would refuse a
    whole page if Calendly ever adds a third owner type or leaves ``type`` out. ``user`` is
    the embedded user for a membership and the user URI for an accepted invitation.
    """

    uri: str
    type: str | None = None  # OrganizationMembership | OrganizationInvitation
    organization: str | None = None
    role: str | None = None  # membership: user | admin | owner
    user: MembershipUser | str | None = None
    email: str | None = None  # invitation
    status: str | None = None  # invitation: pending | accepted | declined
    last_sent_at: Timestamp | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None

    @property
    def is_membership(self) -> bool:
        if self.type is not None:
            return self.type == MEMBERSHIP_OWNER
        return "/organization_memberships/" in self.uri

    @property
    def is_invitation(self) -> bool:
        if self.type is not None:
            return self.type == INVITATION_OWNER
        return "/invitations/" in self.uri

    @property
    def member(self) -> MembershipUser | None:
        """The embedded user of a membership owner."""
        return self.user if isinstance(self.user, MembershipUser) else None

    @property
    def display_email(self) -> str:
        """The owner's e-mail: the member's, or the invited address."""
        member = self.member
        return member.email if member is not None else self.email or ""

    @property
    def display_name(self) -> str:
        member = self.member
        return member.name if member is not None else self.email or ""


class GroupRelationship(UriRecord, frozen=True, kw_only=True):
    """One owner's role (``member`` or ``admin``) in one group."""

    role: str  # member | admin
    owner: GroupRelationshipOwner
    organization: str
    group: str
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
