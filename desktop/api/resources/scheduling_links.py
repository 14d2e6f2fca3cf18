"""``client.scheduling_links``: single-use booking links to an event type."""

from __future__ import annotations

from desktop.api.resource import APIResource
from desktop.domain.scheduling_links import SchedulingLink


class SchedulingLinks(APIResource):
    async def create(self, *, event_type: str) -> SchedulingLink:
        """A link that books ``event_type`` (a URI) once; share its ``booking_url``.

        Not retried if the answer is lost: at worst an unused link is left behind.
        """
        body = {"max_event_count": 1, "owner": event_type, "owner_type": "EventType"}
        return await self._create("/scheduling_links", SchedulingLink, body)
