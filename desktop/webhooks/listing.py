"""Every webhook subscription of an organization: its own, each group's and each member's.

Calendly lists subscriptions one owner at a time (``scope`` plus ``user`` or ``group``), so a
whole organization is one list per group and per member. They are walked a few at a time
(the client paces them under the rate limit); one owner's failure becomes a ``Problem`` and
the rest still load. Only admins may list the organization's, groups' and other members'
subscriptions: a non-admin's token gets their own and one problem saying why.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from desktop.api.client import CalendlyClient
from desktop.api.errors import (
    APIStatusError,
    CalendlyError,
    InsufficientScope,
    PermissionDenied,
    RateLimited,
)
from desktop.api.resources.webhooks import WebhookScope
from desktop.domain.groups import Group
from desktop.domain.organizations import OrganizationMembership
from desktop.domain.webhooks import WebhookSubscription

DEFAULT_CONCURRENCY = 4
Progress = Callable[[int, int], None]  # (owners done, owners in all)
T = TypeVar("T")

ADMINS_ONLY = (
    "Only organization admins and owners can see the subscriptions of the organization, its "
    "groups and other members; only your own subscriptions are listed."
)


@dataclass(frozen=True, slots=True)
class Owner:
    """Whose subscriptions these are: the organization, a group or a member."""

    scope: WebhookScope
    uri: str  # organization, group or user URI
    name: str
    email: str = ""  # a member's

    @property
    def label(self) -> str:
        if self.scope == "organization":
            return "the organization"
        if self.scope == "group":
            return f"group {self.name}"
        return f"{self.name} <{self.email}>" if self.email else self.name

    @property
    def key(self) -> tuple[str, str]:
        return (self.scope, self.uri)


def owner_key(subscription: WebhookSubscription) -> tuple[str, str]:
    """The ``Owner.key`` of the owner a subscription belongs to."""
    if subscription.scope == "user" and subscription.user:
        return ("user", subscription.user)
    if subscription.scope == "group" and subscription.group:
        return ("group", subscription.group)
    return (subscription.scope, subscription.organization)


@dataclass(frozen=True, slots=True)
class Row:
    """One subscription and whose it is."""

    subscription: WebhookSubscription
    owner: Owner

    @property
    def scope(self) -> str:
        return self.subscription.scope

    @property
    def uri(self) -> str:
        return self.subscription.uri


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that could not be listed, and why, in plain words."""

    subject: str  # "the organization", "group Sales", "Ada <ada@x>", "the members"
    message: str
    owner: Owner | None = None
    status: int | None = None
    retry_after: float | None = None  # seconds, for a 429


@dataclass(frozen=True, slots=True)
class Listing:
    """A snapshot of the organization's subscriptions."""

    organization: str
    rows: tuple[Row, ...]
    problems: tuple[Problem, ...] = ()
    members: tuple[OrganizationMembership, ...] = ()
    members_loaded: bool = False  # False: ``members`` is not the whole organization
    groups: tuple[Group, ...] = ()
    listed: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # owner keys read

    @property
    def complete(self) -> bool:
        return not self.problems

    @property
    def subscriptions(self) -> tuple[WebhookSubscription, ...]:
        return tuple(row.subscription for row in self.rows)

    def was_listed(self, subscription: WebhookSubscription) -> bool:
        """Whether this snapshot read the owner of ``subscription`` (so its absence means
        it is gone, not that its owner could not be read)."""
        return owner_key(subscription) in self.listed

    @property
    def rate_limited(self) -> float | None:
        """Seconds to wait when Calendly's rate limit stopped part of the listing, else None."""
        waits = [p.retry_after or 60.0 for p in self.problems if p.status == 429]
        return max(waits) if waits else None


def explain(error: CalendlyError) -> str:
    """A plain sentence for why a list failed."""
    if isinstance(error, InsufficientScope):
        needed = ", ".join(error.required_scopes) or "webhooks:read"
        return f"The token may not read these subscriptions: it needs the scope {needed}."
    if isinstance(error, RateLimited):
        wait = f" in {error.retry_after:.0f} s" if error.retry_after else " shortly"
        return f"Calendly's rate limit was reached; try again{wait}."
    if isinstance(error, PermissionDenied):
        return f"Calendly refused: {error.message}"
    if isinstance(error, APIStatusError):
        return f"Calendly answered {error.status} {error.title}: {error.message}"
    return f"No answer from Calendly: {error.message}"


def _problem(
    subject: str, error: CalendlyError, owner: Owner | None = None, prefix: str = ""
) -> Problem:
    status = error.status if isinstance(error, APIStatusError) else None
    retry_after = error.retry_after if isinstance(error, RateLimited) else None
    return Problem(subject, prefix + explain(error), owner, status, retry_after)


async def _settle(work: Callable[[], Awaitable[T]]) -> T | CalendlyError:
    """The result of ``work()``, or the client's error as a value (so one failure never loses
    the rest). ``work`` is called here, not by the caller: a listing cancelled before this
    runs leaves no coroutine behind that was never awaited."""
    try:
        return await work()
    except CalendlyError as error:
        return error


async def _subscriptions_of(
    client: CalendlyClient, organization_uri: str, owner: Owner
) -> list[WebhookSubscription]:
    return [
        subscription
        async for subscription in client.webhooks.iterate(
            organization=organization_uri,
            scope=owner.scope,
            user=owner.uri if owner.scope == "user" else None,
            group=owner.uri if owner.scope == "group" else None,
            sort="created_at:asc",
        )
    ]


async def all_subscriptions(
    client: CalendlyClient,
    organization_uri: str,
    *,
    on_progress: Progress | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> Listing:
    """Every subscription of every scope of the organization, with what could not be listed.

    ``on_progress(done, total)`` is called as each owner's list completes (``total`` counts
    the organization, its groups and its members once they are known).
    """
    organization = Owner("organization", organization_uri, "Organization")
    problems: list[Problem] = []
    found: dict[tuple[str, str], list[WebhookSubscription]] = {}

    async def members_of() -> list[OrganizationMembership]:
        return [m async for m in client.memberships.iterate(organization=organization_uri)]

    async def groups_of() -> list[Group]:
        return [g async for g in client.groups.iterate(organization=organization_uri)]

    # The organization's own list first, beside the members and groups: its answer tells
    # whether this token may list other owners at all.
    own, members, groups = await asyncio.gather(
        _settle(lambda: _subscriptions_of(client, organization_uri, organization)),
        _settle(members_of),
        _settle(groups_of),
    )
    member_list = members if isinstance(members, list) else []
    group_list = groups if isinstance(groups, list) else []
    if isinstance(members, CalendlyError):
        missing = "The members could not be listed, so their own subscriptions are missing. "
        problems.append(_problem("the members", members, prefix=missing))
    if isinstance(groups, CalendlyError):
        missing = "The groups could not be listed, so their subscriptions are missing. "
        problems.append(_problem("the groups", groups, prefix=missing))
    owners = [
        *(Owner("group", g.uri, g.name) for g in sorted(group_list, key=lambda g: g.name.lower())),
        *(
            Owner("user", m.user.uri, m.user.name, m.user.email)
            for m in sorted(member_list, key=lambda m: (m.user.name.lower(), m.user.email))
        ),
    ]
    if isinstance(own, InsufficientScope):
        # No other list can work either: say it once.
        problems.append(_problem("webhook subscriptions", own))
        owners = []
    elif isinstance(own, PermissionDenied):
        problems.append(Problem("the organization", ADMINS_ONLY, organization, own.status))
        me = await _settle(client.users.me)
        if isinstance(me, CalendlyError):
            problems.append(_problem("your own subscriptions", me))
            owners = []
        else:
            mine = [o for o in owners if o.scope == "user" and o.uri == me.uri]
            owners = mine or [Owner("user", me.uri, me.name, me.email)]
    elif isinstance(own, CalendlyError):
        problems.append(_problem(organization.label, own, organization))
    else:
        found[organization.key] = own

    total = 1 + len(owners)
    done = 1
    if on_progress is not None:
        on_progress(done, total)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def walk(owner: Owner) -> None:
        nonlocal done
        async with gate:
            result = await _settle(lambda: _subscriptions_of(client, organization_uri, owner))
        if isinstance(result, CalendlyError):
            problems.append(_problem(owner.label, result, owner))
        else:
            found[owner.key] = result
        done += 1
        if on_progress is not None:
            on_progress(done, total)

    async with asyncio.TaskGroup() as tasks:
        for owner in owners:
            tasks.create_task(walk(owner))

    ordered = [organization, *owners]
    place = {owner.key: index for index, owner in enumerate(ordered)}
    # Owners finish in any order; problems are told in the listing's order.
    problems.sort(key=lambda p: -1 if p.owner is None else place.get(p.owner.key, -1))
    rows = tuple(
        Row(subscription, owner) for owner in ordered for subscription in found.get(owner.key, ())
    )
    return Listing(
        organization=organization_uri,
        rows=rows,
        problems=tuple(problems),
        members=tuple(member_list),
        members_loaded=isinstance(members, list),
        groups=tuple(group_list),
        listed=frozenset(found),
    )
