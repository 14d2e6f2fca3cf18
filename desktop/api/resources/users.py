"""``client.users``: who am I, and other users."""

from __future__ import annotations

from desktop.api.resource import APIResource, path_of
from desktop.domain.users import User


class Users(APIResource):
    async def me(self) -> User:
        """The token's own user (``current_organization`` names their organization)."""
        return await self._fetch("/users/me", User)

    async def get(self, user: str) -> User:
        """A user by URI or id."""
        return await self._fetch(path_of("users", user), User)
