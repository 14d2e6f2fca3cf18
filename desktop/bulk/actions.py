"""The four bulk actions over a ``CalendlyClient``, and ``BulkItem``s made from records."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeAlias, TypeVar

from desktop.api import (
    APIStatusError,
    BadRequest,
    CalendlyClient,
    NotFound,
    PermissionDenied,
)
from desktop.bulk.model import BulkAction, BulkItem
from desktop.bulk.texts import Text, english_value, explain, says
from desktop.domain import (
    Invitee,
    OrganizationInvitation,
    OrganizationMembership,
    ScheduledEvent,
)

OWNER_REFUSAL = "Calendly does not allow removing the organization's owner"


R = TypeVar("R")
_Read: TypeAlias = Callable[[str], Awaitable[R]]  # a record (or a write) by its URI
_Confirm: TypeAlias = Callable[[BulkItem], Awaitable[bool]]


def _payload(item: BulkItem, kind: type[R]) -> R | None:
    return item.payload if isinstance(item.payload, kind) else None


def _sends(write: _Read[object], note: str) -> Callable[[BulkItem], Awaitable[str]]:
    """A ``run``: ``write`` on the item's URI, then the success ``note``."""

    async def run(item: BulkItem) -> str:
        await write(item.key)
        return Text(note)

    return run


def _shows(kind: type[R], reached: Callable[[R], bool]) -> Callable[[BulkItem], bool]:
    """An ``already_done``: the item's record (a ``kind``) is ``reached`` already."""

    def already_done(item: BulkItem) -> bool:
        record = _payload(item, kind)
        return record is not None and reached(record)

    return already_done


def _reads_back(read: _Read[R], reached: Callable[[R], bool]) -> _Confirm:
    """A ``confirm``: the record ``read`` again from Calendly is ``reached``."""

    async def confirm(item: BulkItem) -> bool:
        return reached(await read(item.key))

    return confirm


def _reads_back_gone(read: _Read[object]) -> _Confirm:
    """A ``confirm`` for a removal: done when Calendly no longer finds the record."""

    async def confirm(item: BulkItem) -> bool:
        try:
            await read(item.key)
        except NotFound:
            return True
        return False

    return confirm


def _refused_as(
    kind: type[APIStatusError], *phrases: str
) -> Callable[[APIStatusError], str | None]:
    """A ``skip_error``: Calendly's ``kind`` refusals saying one of ``phrases`` are skips."""

    def skip(error: APIStatusError) -> str | None:
        if isinstance(error, kind) and any(says(error, phrase) for phrase in phrases):
            return Text("Skipped by Calendly: {error}", error=explain(error))
        return None

    return skip


def event_item(event: ScheduledEvent) -> BulkItem:
    return BulkItem(
        event.uri, f"{event.name or event.uuid} · {english_value(event.start_time)}", event
    )


def invitee_item(invitee: Invitee) -> BulkItem:
    return BulkItem(invitee.uri, f"{invitee.display_name} <{invitee.email}>", invitee)


def invitation_item(invitation: OrganizationInvitation) -> BulkItem:
    return BulkItem(invitation.uri, invitation.email, invitation)


def membership_item(membership: OrganizationMembership) -> BulkItem:
    user = membership.user
    return BulkItem(membership.uri, f"{user.name} <{user.email}>", membership)


def cancel_events(client: CalendlyClient, reason: str) -> BulkAction:
    """Cancel scheduled events, all with one ``reason`` (stripped; empty: none given)."""
    reason = reason.strip()

    def describe(item: BulkItem) -> str:
        event = _payload(item, ScheduledEvent)
        if event is None:
            if reason:
                return Text("Cancel {label} — reason: “{reason}”", label=item.label, reason=reason)
            return Text("Cancel {label} — no reason given", label=item.label)
        hosts = ", ".join(event.host_names)
        values: dict[str, Any] = {
            "name": event.name or item.label,
            "start": event.start_time,
            "hosts": hosts,
            "reason": reason,
        }
        if hosts and reason:
            template = "Cancel “{name}” on {start} hosted by {hosts} — reason: “{reason}”"
        elif hosts:
            template = "Cancel “{name}” on {start} hosted by {hosts} — no reason given"
        elif reason:
            template = "Cancel “{name}” on {start} — reason: “{reason}”"
        else:
            template = "Cancel “{name}” on {start} — no reason given"
        return Text(template, **values)

    def refusal(item: BulkItem) -> str | None:
        event = _payload(item, ScheduledEvent)
        if event is not None and not event.is_canceled and event.is_past(datetime.now(UTC)):
            return Text("Calendly does not cancel events that are over")
        return None

    def canceled(event: ScheduledEvent) -> bool:
        return event.is_canceled

    return BulkAction(
        name="cancel_events",
        log_action="event.cancel",
        verb="Cancel",
        irreversible=True,
        describe=describe,
        run=_sends(
            lambda key: client.scheduled_events.cancel(key, reason=reason or None), "Canceled"
        ),
        already_done=_shows(ScheduledEvent, canceled),
        done_reason=Text("Already canceled"),
        refusal=refusal,
        skip_error=_refused_as(PermissionDenied, "already canceled", "in the past"),
        confirm=_reads_back(client.scheduled_events.get, canceled),
        details={"reason": reason},
    )


def mark_no_shows(
    client: CalendlyClient, events: Mapping[str, ScheduledEvent] | None = None
) -> BulkAction:
    """Mark invitees as no-shows (undoable); ``events`` by URI adds each meeting to the preview."""
    known = events or {}

    def describe(item: BulkItem) -> str:
        invitee = _payload(item, Invitee)
        if invitee is None:
            return Text("Mark {label} as a no-show", label=item.label)
        event = known.get(invitee.event)
        who = {"name": invitee.display_name, "email": invitee.email}
        if event is None:
            return Text("Mark {name} ({email}) as a no-show", **who)
        template = "Mark {name} ({email}) as a no-show for “{event}” on {start}"
        return Text(template, **who, event=event.name or "", start=event.start_time)

    def refusal(item: BulkItem) -> str | None:
        invitee = _payload(item, Invitee)
        if invitee is None or invitee.is_no_show:
            return None
        if invitee.is_canceled:
            return Text("A canceled invitee cannot be marked as a no-show")
        event = known.get(invitee.event)
        if event is not None and event.start_time > datetime.now(UTC):
            return Text("The meeting has not started yet")
        return None

    def no_show(invitee: Invitee) -> bool:
        return invitee.is_no_show

    return BulkAction(
        name="mark_no_shows",
        log_action="no_show.create",
        verb="Mark as no-show",
        irreversible=False,
        describe=describe,
        run=_sends(client.no_shows.create, "Marked as a no-show"),
        already_done=_shows(Invitee, no_show),
        done_reason=Text("Already marked as a no-show"),
        refusal=refusal,
        skip_error=_refused_as(BadRequest, "already marked"),
        confirm=_reads_back(client.scheduled_events.get_invitee, no_show),
    )


def revoke_invitations(client: CalendlyClient, organization: str) -> BulkAction:
    """Revoke pending invitations to ``organization`` (its URI): their links stop working."""

    def describe(item: BulkItem) -> str:
        invitation = _payload(item, OrganizationInvitation)
        email = invitation.email if invitation is not None else item.label
        return Text("Revoke the invitation sent to {email}: its link stops working", email=email)

    def refusal(item: BulkItem) -> str | None:
        invitation = _payload(item, OrganizationInvitation)
        if invitation is None or invitation.is_pending:
            return None
        if invitation.status == "accepted":
            return Text("Already accepted: remove the member instead")
        return Text(
            "The invitation is {status}: there is nothing to revoke", status=invitation.status
        )

    settled = _refused_as(BadRequest, "already accepted", "already declined")

    def skip_error(error: APIStatusError) -> str | None:
        if isinstance(error, NotFound):
            return Text("No longer in Calendly (already revoked?)")
        return settled(error)

    return BulkAction(
        name="revoke_invitations",
        log_action="invitation.revoke",
        verb="Revoke",
        irreversible=True,
        describe=describe,
        run=_sends(
            lambda key: client.invitations.revoke(key, organization=organization), "Revoked"
        ),
        refusal=refusal,
        skip_error=skip_error,
        confirm=_reads_back_gone(
            lambda key: client.invitations.get(key, organization=organization)
        ),
        details={"organization": organization},
    )


def remove_members(client: CalendlyClient, *, current_user: str | None = None) -> BulkAction:
    """Remove members from the organization; never the owner, nor ``current_user`` (a URI)."""

    def describe(item: BulkItem) -> str:
        member = _payload(item, OrganizationMembership)
        if member is None:
            return Text("Remove {label} from the organization", label=item.label)
        template = "Remove {name} ({email}, {role}) from the organization: they lose access to it"
        user = member.user
        return Text(template, name=user.name, email=user.email, role=member.role)

    def refusal(item: BulkItem) -> str | None:
        member = _payload(item, OrganizationMembership)
        if member is None:
            return None
        if member.role == "owner":
            return Text(OWNER_REFUSAL)
        if current_user is not None and member.user.uri == current_user:
            return Text("You cannot remove yourself from the organization")
        return None

    def skip_error(error: APIStatusError) -> str | None:
        if isinstance(error, NotFound):
            return Text("No longer a member")
        if isinstance(error, PermissionDenied) and says(error, "owner role"):
            return Text(OWNER_REFUSAL)
        return None

    return BulkAction(
        name="remove_members",
        log_action="membership.remove",
        verb="Remove",
        irreversible=True,
        describe=describe,
        run=_sends(client.memberships.remove, "Removed"),
        refusal=refusal,
        skip_error=skip_error,
        confirm=_reads_back_gone(client.memberships.get),
    )
