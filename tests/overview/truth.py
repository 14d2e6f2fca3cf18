"""What the sandbox holds, read over plain httpx and counted here: the tests' independent answer.

Nothing from ``desktop.overview`` is used: events come from Calendly's own ``user`` and
``group`` filters, no-shows from each event's invitees, the rest from the list endpoints.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

Json = dict[str, Any]


def parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)


@dataclass
class Expected:
    """The figures a range and filter should show, counted the plain way."""

    weeks: dict[date, dict[str, int]] = field(default_factory=dict)
    hosts: Counter[str] = field(default_factory=Counter)
    event_types: Counter[str] = field(default_factory=Counter)
    heatmap: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    not_canceled: int = 0
    total: int = 0


class Truth:
    """Reads the sandbox as an owner (or anyone) with a token, over plain httpx."""

    def __init__(self, base_url: str, token: str, organization: str) -> None:
        self.http = httpx.AsyncClient(
            base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        self.organization = organization

    async def aclose(self) -> None:
        await self.http.aclose()

    async def every(self, path: str, params: dict[str, Any]) -> list[Json]:
        """Every item of a paginated list, following ``next_page``."""
        items: list[Json] = []
        response = await self.http.get(path, params={**params, "count": 100})
        while True:
            response.raise_for_status()
            body = response.json()
            items.extend(body["collection"])
            following = body["pagination"]["next_page"]
            if not following:
                return items
            response = await self.http.get(following)

    async def events(
        self,
        start: datetime,
        end: datetime,
        *,
        user: str | None = None,
        group: str | None = None,
    ) -> list[Json]:
        params: dict[str, Any] = {
            "organization": self.organization,
            "min_start_time": start.isoformat(),
            "max_start_time": end.isoformat(),
        }
        if user:
            params["user"] = user
        if group:
            params["group"] = group
        return await self.every("/scheduled_events", params)

    async def marked_no_show(self, event: Json) -> bool:
        invitees = await self.every(event["uri"] + "/invitees", {})
        return any(person["no_show"] is not None for person in invitees)

    async def group_members(self, group: str) -> set[str]:
        relations = await self.every(
            "/group_relationships", {"organization": self.organization, "group": group}
        )
        return {
            r["owner"]["user"]["uri"] for r in relations if isinstance(r["owner"].get("user"), dict)
        }

    async def expected(
        self,
        start: date,
        end: date,
        tz: ZoneInfo,
        now: datetime,
        *,
        member: str | None = None,
        group: str | None = None,
    ) -> Expected:
        """The figures for local days ``[start, end)`` with at most a member or a group."""
        found = await self.events(midnight(start, tz), midnight(end, tz), user=member, group=group)
        ranked_hosts: set[str] | None = None
        if member:
            ranked_hosts = {member}
        elif group:
            ranked_hosts = await self.group_members(group)
        first_monday = start - timedelta(days=start.weekday())
        monday = first_monday
        result = Expected()
        while monday < end:
            result.weeks[monday] = {"held": 0, "canceled": 0, "no-show": 0, "upcoming": 0}
            monday += timedelta(days=7)
        for event in found:
            began = parse(event["start_time"])
            local = began.astimezone(tz)
            week = local.date() - timedelta(days=local.weekday())
            if event["status"] == "canceled":
                kind = "canceled"
            elif parse(event["end_time"]) > now:
                kind = "upcoming"
            elif await self.marked_no_show(event):
                kind = "no-show"
            else:
                kind = "held"
            result.weeks[week][kind] += 1
            result.total += 1
            if kind == "canceled":
                continue
            result.not_canceled += 1
            result.event_types[event["event_type"]] += 1
            result.heatmap[local.weekday()][local.hour] += 1
            for host in {m["user"] for m in event["event_memberships"]}:
                if ranked_hosts is None or host in ranked_hosts:
                    result.hosts[host] += 1
        return result

    async def active_between(
        self, start: datetime, end: datetime, *, user: str | None = None, group: str | None = None
    ) -> int:
        found = await self.events(start, end, user=user, group=group)
        return sum(1 for event in found if event["status"] == "active")

    async def cards(self) -> dict[str, int]:
        """Members, pending invitations, active event types, webhook subscriptions by state."""
        org = self.organization
        members = await self.every("/organization_memberships", {"organization": org})
        invitations = await self.every(org + "/invitations", {"status": "pending"})
        types = await self.every("/event_types", {"organization": org, "active": "true"})
        groups = await self.every("/groups", {"organization": org})
        hooks = await self.every(
            "/webhook_subscriptions", {"organization": org, "scope": "organization"}
        )
        for item in groups:
            hooks += await self.every(
                "/webhook_subscriptions",
                {"organization": org, "scope": "group", "group": item["uri"]},
            )
        for item in members:
            hooks += await self.every(
                "/webhook_subscriptions",
                {"organization": org, "scope": "user", "user": item["user"]["uri"]},
            )
        states = Counter(
            "disabled"
            if hook["state"] == "disabled"
            else "retrying"
            if hook["retry_started_at"]
            else "active"
            for hook in hooks
        )
        return {
            "members_active": len(members),
            "invitations_pending": len(invitations),
            "event_types_active": len(types),
            "webhooks_active": states["active"],
            "webhooks_retrying": states["retrying"],
            "webhooks_disabled": states["disabled"],
        }

    async def recently_ended_invitee(self, now: datetime, within: timedelta) -> Json:
        """An active invitee, not marked, of an active meeting that ended within ``within``."""
        for event in reversed(await self.events(now - within - timedelta(days=1), now)):
            if event["status"] != "active" or parse(event["end_time"]) > now:
                continue
            if parse(event["end_time"]) < now - within:
                continue
            path = event["uri"] + "/invitees"
            invitees = await self.every(path, {})
            if all(person["no_show"] is None for person in invitees):
                for person in invitees:
                    if person["status"] == "active":
                        return person
        raise AssertionError("the seed has no recent meeting to mark")
