"""``client.availability``: users' availability schedules and busy times."""

from __future__ import annotations

from datetime import datetime

from desktop.api.resource import APIResource, path_of
from desktop.api.times import aware
from desktop.domain.availability import AvailabilitySchedule, UserBusyTime


class Availability(APIResource):
    async def schedules(self, *, user: str) -> tuple[AvailabilitySchedule, ...]:
        """The user's availability schedules (``user`` is a URI; not paginated)."""
        return await self._items(
            "/user_availability_schedules", AvailabilitySchedule, {"user": user}
        )

    async def get_schedule(self, schedule: str) -> AvailabilitySchedule:
        """One availability schedule by URI or id."""
        path = path_of("user_availability_schedules", schedule)
        return await self._fetch(path, AvailabilitySchedule)

    async def busy_times(
        self, *, user: str, start_time: datetime, end_time: datetime
    ) -> tuple[UserBusyTime, ...]:
        """When ``user`` is busy in ``[start_time, end_time)`` (at most 7 days), in order."""
        params = {
            "user": user,
            "start_time": aware("start_time", start_time),
            "end_time": aware("end_time", end_time),
        }
        return await self._items("/user_busy_times", UserBusyTime, params)
