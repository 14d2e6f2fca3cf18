"""``client.no_shows``: mark an invitee as a no-show, read the mark, undo it."""

from __future__ import annotations

from desktop.api.errors import ConnectionFailed, ServerError
from desktop.api.resource import APIResource, path_of
from desktop.api.resources.scheduled_events import invitee_path
from desktop.domain.invitees import Invitee, InviteeNoShow


class NoShows(APIResource):
    """``/invitee_no_shows``: hosts and owners/admins mark invitees of started meetings."""

    async def create(self, invitee: str) -> InviteeNoShow:
        """Mark ``invitee`` (its URI) as a no-show.

        ``POST`` is not retried blindly: when the answer is lost, the invitee is read back
        and its mark returned if it was made; only if it was not is the request sent again
        (once). A second mark is refused by Calendly, never doubled.
        """
        body = {"invitee": invitee}
        try:
            return await self._create("/invitee_no_shows", InviteeNoShow, body)
        except (ConnectionFailed, ServerError):
            marked = await self._fetch(invitee_path(invitee), Invitee)
            if marked.no_show is not None:
                return await self.get(marked.no_show.uri)
            return await self._create("/invitee_no_shows", InviteeNoShow, body)

    async def get(self, no_show: str) -> InviteeNoShow:
        """A no-show mark by URI or id (an invitee's ``no_show.uri``)."""
        return await self._fetch(path_of("invitee_no_shows", no_show), InviteeNoShow)

    async def delete(self, no_show: str) -> None:
        """Remove a no-show mark (by URI or id)."""
        await self._delete(path_of("invitee_no_shows", no_show))
