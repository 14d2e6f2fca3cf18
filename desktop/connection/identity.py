"""Who a token signs in as: the user, their current organization and their role in it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

from desktop.api.client import CalendlyClient
from desktop.api.errors import PermissionDenied
from desktop.domain.rules import is_admin_role

CALENDLY_HOST = "api.calendly.com"
T = TypeVar("T")


@dataclass(frozen=True)
class Identity:
    """What the title and status bars show, and what decides which pages need admin rights."""

    user_uri: str
    user_name: str
    user_email: str
    organization_uri: str
    organization_name: str
    role: str | None  # owner | admin | user; None when the token may not read memberships

    @property
    def is_admin(self) -> bool:
        return self.role is not None and is_admin_role(self.role)


def environment_of(base_url: str, *, sandbox: bool) -> str:
    """ "sandbox", "calendly.com", or the host of any other API base URL."""
    if sandbox:
        return "sandbox"
    host = urlsplit(base_url).hostname or base_url
    return "calendly.com" if host == CALENDLY_HOST else host


async def identify(client: CalendlyClient) -> Identity:
    """``GET /users/me``, the organization and the user's membership in it.

    A token without ``organizations:read`` still identifies its user: the organization's name
    and the role are then unknown (the pages that need them say so) rather than an error.
    """
    me = await client.users.me()
    organization_uri = me.current_organization or ""
    organization_name = ""
    role: str | None = None
    if organization_uri:
        # Both at once: one round trip fewer before the window can show who is signed in.
        organization, membership = await asyncio.gather(
            _optional(lambda: client.organizations.get(organization_uri)),
            _optional(
                lambda: client.memberships.list(organization=organization_uri, user=me.uri, count=1)
            ),
        )
        if organization is not None:
            organization_name = organization.name or ""
        if membership is not None and membership.items:
            role = membership.items[0].role
    return Identity(
        user_uri=me.uri,
        user_name=me.name,
        user_email=me.email,
        organization_uri=organization_uri,
        organization_name=organization_name,
        role=role,
    )


async def _optional(call: Callable[[], Awaitable[T]]) -> T | None:
    """The answer, or None when the token may not read it (a scoped token). The call is made
    here, so a cancelled gather leaves no coroutine un-awaited."""
    try:
        return await call()
    except PermissionDenied:
        return None
