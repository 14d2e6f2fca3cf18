"""``client.groups`` and ``client.group_relationships`` (read-only, as in Calendly's API)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from desktop.api.pagination import Page
from desktop.api.resource import APIResource, path_of
from desktop.domain.groups import Group, GroupRelationship


class Groups(APIResource):
    async def list(
        self, *, organization: str, count: int | None = None, page_token: str | None = None
    ) -> Page[Group]:
        """One page of the organization's groups."""
        params = {"organization": organization, "count": count, "page_token": page_token}
        return await self._page("/groups", Group, params)

    def iterate(self, *, organization: str) -> AsyncIterator[Group]:
        """Every group of the organization."""
        return self._all("/groups", Group, {"organization": organization})

    async def get(self, group: str) -> Group:
        """A group by URI or id."""
        return await self._fetch(path_of("groups", group), Group)


class GroupRelationships(APIResource):
    """Who is a ``member`` or ``admin`` of which group; owners are memberships or invitations."""

    async def list(
        self,
        *,
        organization: str | None = None,
        group: str | None = None,
        owner: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page[GroupRelationship]:
        """One page; ``owner`` is a membership or invitation URI."""
        params: dict[str, object] = {"organization": organization, "group": group, "owner": owner}
        params.update(count=count, page_token=page_token)
        return await self._page("/group_relationships", GroupRelationship, params)

    def iterate(
        self,
        *,
        organization: str | None = None,
        group: str | None = None,
        owner: str | None = None,
    ) -> AsyncIterator[GroupRelationship]:
        """Every relationship matching the filters."""
        params = {"organization": organization, "group": group, "owner": owner}
        return self._all("/group_relationships", GroupRelationship, params)

    async def get(self, relationship: str) -> GroupRelationship:
        """A group relationship by URI or id."""
        return await self._fetch(path_of("group_relationships", relationship), GroupRelationship)
