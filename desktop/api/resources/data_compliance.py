"""``client.data_compliance``: GDPR-style deletion requests (Enterprise plans only)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from desktop.api.resource import APIResource
from desktop.api.times import wire_time


class DataCompliance(APIResource):
    """Deletion requests Calendly accepts (202) and carries out within days.

    Asking twice for the same deletion has the same effect as asking once, so unlike other
    POSTs these are retried after a lost answer.
    """

    async def delete_invitee_data(self, *, emails: Sequence[str]) -> None:
        """Delete everything Calendly holds about the invitees with these e-mail addresses."""
        if isinstance(emails, str):
            emails = [emails]
        body = {"emails": list(emails)}
        await self._transport.request(
            "POST", "/data_compliance/deletion/invitees", json=body, idempotent=True
        )

    async def delete_event_data(self, *, start_time: datetime, end_time: datetime) -> None:
        """Delete the scheduled events (and their invitees) in ``[start_time, end_time]``.

        Calendly takes a past range of up to 24 months; only naive datetimes are refused here.
        """
        body = {
            "start_time": wire_time("start_time", start_time),
            "end_time": wire_time("end_time", end_time),
        }
        await self._transport.request(
            "POST", "/data_compliance/deletion/events", json=body, idempotent=True
        )
