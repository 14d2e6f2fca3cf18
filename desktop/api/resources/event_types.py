"""``client.event_types``: event types, their hosts, open slots and per-host schedules."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, TypeAlias

import msgspec

from desktop.api.pagination import Page
from desktop.api.resource import APIResource, decode_as, path_of
from desktop.api.times import aware
from desktop.domain.availability import (
    AvailabilityRule,
    EventTypeAvailabilitySchedule,
    EventTypeAvailableTime,
)
from desktop.domain.envelopes import Resource
from desktop.domain.event_types import EventType, EventTypeMembership, LocationConfiguration

Locale: TypeAlias = Literal["de", "en", "es", "fr", "it", "nl", "pt", "uk"]
EventTypeSort: TypeAlias = Literal[
    "name:asc",
    "name:desc",
    "position:asc",
    "position:desc",
    "created_at:asc",
    "created_at:desc",
    "updated_at:asc",
    "updated_at:desc",
]
Location: TypeAlias = LocationConfiguration | Mapping[str, Any]
Rule: TypeAlias = AvailabilityRule | Mapping[str, Any]


class EventTypes(APIResource):
    async def list(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        active: bool | None = None,
        admin_managed: bool | None = None,
        user_availability_schedule: str | None = None,
        sort: EventTypeSort | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page[EventType]:
        """One page; Calendly needs ``organization`` or ``user`` (URIs)."""
        params = _filters(organization, user, active, admin_managed, user_availability_schedule)
        params.update(sort=sort, count=count, page_token=page_token)
        return await self._page("/event_types", EventType, params)

    def iterate(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        active: bool | None = None,
        admin_managed: bool | None = None,
        user_availability_schedule: str | None = None,
        sort: EventTypeSort | None = None,
    ) -> AsyncIterator[EventType]:
        """Every event type matching the filters."""
        params = _filters(organization, user, active, admin_managed, user_availability_schedule)
        params["sort"] = sort
        return self._all("/event_types", EventType, params)

    async def get(self, event_type: str) -> EventType:
        """An event type by URI or id."""
        return await self._fetch(path_of("event_types", event_type), EventType)

    async def create(
        self,
        *,
        owner: str,
        name: str,
        duration: int | None = None,
        duration_options: Sequence[int] | None = None,
        description: str | None = None,
        active: bool | None = None,
        color: str | None = None,
        locale: Locale | None = None,
        locations: Sequence[Location] | None = None,
    ) -> EventType:
        """A new one-on-one event type owned by the user ``owner`` (a URI)."""
        body = _fields(duration, duration_options, description, active, color, locale, locations)
        return await self._create("/event_types", EventType, {"owner": owner, "name": name, **body})

    async def update(
        self,
        event_type: str,
        *,
        name: str | None = None,
        duration: int | None = None,
        duration_options: Sequence[int] | None = None,
        description: str | None = None,
        active: bool | None = None,
        color: str | None = None,
        locale: Locale | None = None,
        locations: Sequence[Location] | None = None,
    ) -> EventType:
        """Change the given fields of a one-on-one event type (``None``: leave as is)."""
        body = _fields(duration, duration_options, description, active, color, locale, locations)
        if name is not None:
            body["name"] = name
        path = path_of("event_types", event_type)
        raw = await self._transport.request("PATCH", path, json=body)
        updated: Resource[EventType] = decode_as(raw, Resource[EventType], f"PATCH {path}")
        return updated.resource

    # -- hosts ------------------------------------------------------------------------
    async def list_hosts(
        self, *, event_type: str, count: int | None = None, page_token: str | None = None
    ) -> Page[EventTypeMembership]:
        """One page of the event type's hosts (``/event_type_memberships``)."""
        params = {"event_type": event_type, "count": count, "page_token": page_token}
        return await self._page("/event_type_memberships", EventTypeMembership, params)

    def iterate_hosts(self, *, event_type: str) -> AsyncIterator[EventTypeMembership]:
        """Every host of the event type."""
        return self._all("/event_type_memberships", EventTypeMembership, {"event_type": event_type})

    # -- availability -------------------------------------------------------------------
    async def available_times(
        self, *, event_type: str, start_time: datetime, end_time: datetime
    ) -> tuple[EventTypeAvailableTime, ...]:
        """Open slots in ``[start_time, end_time)``, in order.

        Calendly allows a window of up to 31 days starting now or later and answers
        ``BadRequest`` naming ``start_time``/``end_time`` otherwise; only naive datetimes
        are refused here (``ValueError``).
        """
        params = {
            "event_type": event_type,
            "start_time": aware("start_time", start_time),
            "end_time": aware("end_time", end_time),
        }
        return await self._items("/event_type_available_times", EventTypeAvailableTime, params)

    async def list_availability_schedules(
        self, *, event_type: str, count: int | None = None, page_token: str | None = None
    ) -> Page[EventTypeAvailabilitySchedule]:
        """One page of the schedule each host uses for the event type."""
        params = {"event_type": event_type, "count": count, "page_token": page_token}
        return await self._page(_SCHEDULES, EventTypeAvailabilitySchedule, params)

    def iterate_availability_schedules(
        self, *, event_type: str
    ) -> AsyncIterator[EventTypeAvailabilitySchedule]:
        """The schedule of every host of the event type."""
        return self._all(_SCHEDULES, EventTypeAvailabilitySchedule, {"event_type": event_type})

    async def update_availability_schedule(
        self,
        *,
        event_type: str,
        timezone: str,
        rules: Sequence[Rule],
        user: str | None = None,
    ) -> EventTypeAvailabilitySchedule:
        """Set the event type's availability rules (for ``user``, a host, when given)."""
        rule: dict[str, Any] = {"timezone": timezone, "rules": [_plain(r) for r in rules]}
        if user is not None:
            rule["user"] = user
        body = {"availability_rule": rule, "availability_setting": "host"}
        raw = await self._transport.request(
            "PATCH", _SCHEDULES, params={"event_type": event_type}, json=body
        )
        kind = Resource[EventTypeAvailabilitySchedule]
        envelope: Resource[EventTypeAvailabilitySchedule] = decode_as(
            raw, kind, f"PATCH {_SCHEDULES}"
        )
        return envelope.resource


_SCHEDULES = "/event_type_availability_schedules"


def _filters(
    organization: str | None,
    user: str | None,
    active: bool | None,
    admin_managed: bool | None,
    user_availability_schedule: str | None,
) -> dict[str, object]:
    return {
        "organization": organization,
        "user": user,
        "active": active,
        "admin_managed": admin_managed,
        "user_availability_schedule": user_availability_schedule,
    }


def _fields(
    duration: int | None,
    duration_options: Sequence[int] | None,
    description: str | None,
    active: bool | None,
    color: str | None,
    locale: Locale | None,
    locations: Sequence[Location] | None,
) -> dict[str, Any]:
    """The optional body fields that were given."""
    given = {
        "duration": duration,
        "duration_options": None if duration_options is None else list(duration_options),
        "description": description,
        "active": active,
        "color": color,
        "locale": locale,
        "locations": None if locations is None else [_plain(item) for item in locations],
    }
    return {key: value for key, value in given.items() if value is not None}


def _plain(value: object) -> Any:
    """A record or mapping as JSON values, without the ``null``s of fields left unset."""
    data = msgspec.to_builtins(value)
    return _strip_none(data)


def _strip_none(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _strip_none(item) for key, item in data.items() if item is not None}
    if isinstance(data, list):
        return [_strip_none(item) for item in data]
    return data
