"""``client.organizations``, ``client.memberships`` and ``client.invitations``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal, TypeAlias

from desktop.api.pagination import Page
from desktop.api.resource import APIResource, path_of
from desktop.domain.organizations import (
    Organization,
    OrganizationInvitation,
    OrganizationMembership,
)
from desktop.domain.uris import parent_uuid_of, uuid_of

Role: TypeAlias = Literal["owner", "admin", "user"]
InvitationStatus: TypeAlias = Literal["pending", "accepted", "declined"]


class Organizations(APIResource):
    async def get(self, organization: str) -> Organization:
        """An organization by URI or id (its plan decides which features exist)."""
        return await self._fetch(path_of("organizations", organization), Organization)


class Memberships(APIResource):
    """Who belongs to an organization, with what role (``/organization_memberships``)."""

    async def list(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        email: str | None = None,
        role: Role | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page[OrganizationMembership]:
        """One page; Calendly needs ``organization`` or ``user`` (both URIs)."""
        params = _membership_filters(organization, user, email, role)
        params.update(count=count, page_token=page_token)
        return await self._page("/organization_memberships", OrganizationMembership, params)

    def iterate(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        email: str | None = None,
        role: Role | None = None,
    ) -> AsyncIterator[OrganizationMembership]:
        """Every membership matching the filters, page after page."""
        params = _membership_filters(organization, user, email, role)
        return self._all("/organization_memberships", OrganizationMembership, params)

    async def get(self, membership: str) -> OrganizationMembership:
        """A membership by URI or id."""
        path = path_of("organization_memberships", membership)
        return await self._fetch(path, OrganizationMembership)

    async def remove(self, membership: str) -> None:
        """Remove the member from the organization (admins only; not the owner, not yourself)."""
        await self._delete(path_of("organization_memberships", membership))


def _membership_filters(
    organization: str | None, user: str | None, email: str | None, role: Role | None
) -> dict[str, object]:
    return {"organization": organization, "user": user, "email": email, "role": role}


class Invitations(APIResource):
    """Invitations to join an organization (``/organizations/{uuid}/invitations``)."""

    async def list(
        self,
        *,
        organization: str,
        status: InvitationStatus | None = None,
        email: str | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page[OrganizationInvitation]:
        """One page of the organization's invitations (admins only)."""
        params: dict[str, object] = {"status": status, "email": email, "sort": sort}
        params.update(count=count, page_token=page_token)
        return await self._page(_collection(organization), OrganizationInvitation, params)

    def iterate(
        self,
        *,
        organization: str,
        status: InvitationStatus | None = None,
        email: str | None = None,
        sort: str | None = None,
    ) -> AsyncIterator[OrganizationInvitation]:
        """Every invitation matching the filters, page after page."""
        params = {"status": status, "email": email, "sort": sort}
        return self._all(_collection(organization), OrganizationInvitation, params)

    async def get(
        self, invitation: str, *, organization: str | None = None
    ) -> OrganizationInvitation:
        """An invitation by URI, or by id with its ``organization``."""
        return await self._fetch(_invitation_path(invitation, organization), OrganizationInvitation)

    async def create(self, *, organization: str, email: str) -> OrganizationInvitation:
        """Invite ``email`` to the organization; Calendly e-mails them."""
        return await self._create(
            _collection(organization), OrganizationInvitation, {"email": email}
        )

    async def revoke(self, invitation: str, *, organization: str | None = None) -> None:
        """Withdraw a pending invitation (by URI, or by id with its ``organization``)."""
        await self._delete(_invitation_path(invitation, organization))


def _collection(organization: str) -> str:
    return f"{path_of('organizations', organization)}/invitations"


def _invitation_path(invitation: str, organization: str | None) -> str:
    """``/organizations/{org}/invitations/{uuid}``: the invitation URI names its organization."""
    org = organization or parent_uuid_of(invitation)
    if not org:
        raise ValueError("organization is required when invitation is a bare id")
    return f"{_collection(org)}/{uuid_of(invitation)}"
