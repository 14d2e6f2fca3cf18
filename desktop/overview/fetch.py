"""The Overview's requests: events over time spans, no-shows of past meetings, the organization.

Each part is one coroutine; the loader decides which to run. Scheduled events are walked with
the client's balanced parallel walk; invitee lists (for no-shows) a few at a time. Parts
other than the events fail softly: their error becomes a sentence in ``problems`` and the
previous figures stay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from desktop.api.client import CalendlyClient
from desktop.api.errors import CalendlyError
from desktop.domain.scheduled_events import ScheduledEvent
from desktop.overview.data import EventRow, EventTypeRow, GroupRow, Person, Scope, WebhookCounts
from desktop.webhooks.listing import ADMINS_ONLY, all_subscriptions, explain

Tick = Callable[[int, int], None]  # (steps done, steps added): the loader sums them up

DEFAULT_CONCURRENCY = 8
T = TypeVar("T")


async def together(*work: Awaitable[T]) -> list[T]:
    """Run at once; the first failure cancels the rest and is raised as it is (not wrapped
    in an ``ExceptionGroup``, so callers catch ``CalendlyError`` as usual)."""
    tasks = [asyncio.ensure_future(item) for item in work]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def event_row(event: ScheduledEvent, no_shows: int | None = None) -> EventRow:
    return EventRow(
        uri=event.uri,
        status=event.status,
        start=event.start_time,
        end=event.end_time,
        event_type=event.event_type,
        name=event.name or "",
        hosts=tuple(m.user for m in event.event_memberships),
        updated_at=event.updated_at,
        no_shows=no_shows,
    )


@dataclass
class Events:
    rows: list[EventRow] = field(default_factory=list)
    host_names: dict[str, str] = field(default_factory=dict)


async def events_in(
    client: CalendlyClient,
    scope: Scope,
    spans: Iterable[tuple[datetime, datetime]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    tick: Tick | None = None,
) -> Events:
    """Every event (active and canceled) starting in the spans: the organization's for an
    admin, the user's own otherwise. Errors propagate: without events there are no figures."""
    found = Events()
    user = None if scope.is_admin else scope.user
    todo = list(spans)
    if tick is not None:
        tick(0, len(todo))

    async def walk(lo: datetime, hi: datetime) -> list[ScheduledEvent]:
        events = [
            event
            async for event in client.scheduled_events.parallel_iterate(
                organization=scope.organization,
                user=user,
                min_start_time=lo,
                max_start_time=hi,
                concurrency=concurrency,
            )
        ]
        if tick is not None:
            tick(1, 0)
        return events

    for events in await together(*(walk(lo, hi) for lo, hi in todo)):
        for event in events:
            found.rows.append(event_row(event))
            for host in event.event_memberships:
                name = host.user_name or host.user_email
                if name:
                    found.host_names[host.user] = name
    return found


async def no_shows_of(
    client: CalendlyClient,
    events: Iterable[str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    tick: Tick | None = None,
) -> tuple[dict[str, int], int]:
    """How many invitees of each event are marked no-show, and how many lists failed (those
    events are left out of the answer)."""
    uris = list(dict.fromkeys(events))
    counts: dict[str, int] = {}
    failed = 0
    gate = asyncio.Semaphore(max(1, concurrency))
    if tick is not None:
        tick(0, len(uris))

    async def count(uri: str) -> None:
        nonlocal failed
        async with gate:
            try:
                marked = 0
                async for invitee in client.scheduled_events.iterate_invitees(uri):
                    if invitee.no_show is not None:
                        marked += 1
                counts[uri] = marked
            except CalendlyError:
                failed += 1
        if tick is not None:
            tick(1, 0)

    async with asyncio.TaskGroup() as tasks:
        for uri in uris:
            tasks.create_task(count(uri))
    return counts, failed


@dataclass
class Organization:
    """The parts beside the events; None where a part could not be read."""

    members: tuple[Person, ...] | None = None
    invitations_pending: int | None = None
    event_types: tuple[EventTypeRow, ...] | None = None
    groups: tuple[GroupRow, ...] | None = None
    webhooks: WebhookCounts | None = None
    problems: list[str] = field(default_factory=list)


async def organization_parts(
    client: CalendlyClient, scope: Scope, *, tick: Tick | None = None
) -> Organization:
    """Members, pending invitations (admins only), event types, groups with their members and
    webhook subscription counts (what the token may list: a non-admin's own)."""
    org = scope.organization
    result = Organization()
    if tick is not None:
        tick(0, 3 if scope.is_admin else 2)

    def done() -> None:
        if tick is not None:
            tick(1, 0)

    async def invitations() -> None:
        try:
            pending = 0
            async for _ in client.invitations.iterate(organization=org, status="pending"):
                pending += 1
            result.invitations_pending = pending
        except CalendlyError as error:
            result.problems.append(f"Pending invitations: {explain(error)}")
        done()

    async def event_types() -> None:
        try:
            result.event_types = tuple(
                [
                    EventTypeRow(uri=t.uri, name=t.name or "", active=t.active)
                    async for t in client.event_types.iterate(organization=org)
                ]
            )
        except CalendlyError as error:
            result.problems.append(f"Event types: {explain(error)}")
        done()

    relationships: dict[str, list[str]] = {}
    relationships_ok = False

    async def group_members() -> None:
        nonlocal relationships_ok
        try:
            async for relation in client.group_relationships.iterate(organization=org):
                member = relation.owner.member
                if relation.owner.is_membership and member is not None:
                    relationships.setdefault(relation.group, []).append(member.uri)
            relationships_ok = True
        except CalendlyError as error:
            result.problems.append(f"Group members: {explain(error)}")
        done()

    seen = [0, 0]

    def webhook_progress(owners_done: int, owners: int) -> None:
        if tick is not None:
            tick(owners_done - seen[0], owners - seen[1])
        seen[0], seen[1] = owners_done, owners

    async def webhooks() -> None:
        listing = await all_subscriptions(client, org, on_progress=webhook_progress)
        active = retrying = disabled = 0
        for subscription in listing.subscriptions:
            if subscription.is_failing:
                retrying += 1
            elif subscription.is_active:
                active += 1
            else:
                disabled += 1
        result.webhooks = WebhookCounts(
            active=active, retrying=retrying, disabled=disabled, complete=listing.complete
        )
        for problem in listing.problems:
            if problem.message == ADMINS_ONLY and not scope.is_admin:
                continue  # a member expects their own subscriptions only
            result.problems.append(f"Webhook subscriptions of {problem.subject}: {problem.message}")
        if listing.members_loaded:
            result.members = tuple(
                Person(uri=m.user.uri, name=m.user.name, email=m.user.email, role=m.role)
                for m in listing.members
            )
        groups = listing.groups
        if groups or not any(p.subject == "the groups" for p in listing.problems):
            result.groups = tuple(GroupRow(uri=g.uri, name=g.name, members=()) for g in groups)

    async with asyncio.TaskGroup() as tasks:
        if scope.is_admin:
            tasks.create_task(invitations())
        tasks.create_task(event_types())
        tasks.create_task(group_members())
        tasks.create_task(webhooks())
    if result.groups is not None:
        if relationships_ok:
            result.groups = tuple(
                GroupRow(
                    uri=g.uri,
                    name=g.name,
                    members=tuple(dict.fromkeys(relationships.get(g.uri, ()))),
                )
                for g in result.groups
            )
        else:
            result.groups = None  # without their members, groups cannot filter
    return result
