"""The four bulk actions over a ``CalendlyClient``, and ``BulkItem``s made from records."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

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


def _payload(item: BulkItem, kind: type[Any]) -> Any:
    return item.payload if isinstance(item.payload, kind) else None


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
        event: ScheduledEvent | None = _payload(item, ScheduledEvent)
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
        event: ScheduledEvent | None = _payload(item, ScheduledEvent)
        if event is not None and not event.is_canceled and event.is_past(datetime.now(UTC)):
            return Text("Calendly does not cancel events that are over")
        return None

    def already_done(item: BulkItem) -> bool:
        event: ScheduledEvent | None = _payload(item, ScheduledEvent)
        return event is not None and event.is_canceled

    async def run(item: BulkItem) -> str:
        await client.scheduled_events.cancel(item.key, reason=reason or None)
        return Text("Canceled")

    async def confirm(item: BulkItem) -> bool:
        return (await client.scheduled_events.get(item.key)).is_canceled

    return BulkAction(
        name="cancel_events",
        log_action="event.cancel",
        verb="Cancel",
        irreversible=True,
        describe=describe,
        run=run,
        already_done=already_done,
        done_reason=Text("Already canceled"),
        refusal=refusal,
        skip_error=_refused_as(PermissionDenied, "already canceled", "in the past"),
        confirm=confirm,
        details={"reason": reason},
    )


def mark_no_shows(
    client: CalendlyClient, events: Mapping[str, ScheduledEvent] | None = None
) -> BulkAction:
    """Mark invitees as no-shows (undoable); ``events`` by URI adds each meeting to the preview."""
    known = events or {}

    def describe(item: BulkItem) -> str:
        invitee: Invitee | None = _payload(item, Invitee)
        if invitee is None:
            return Text("Mark {label} as a no-show", label=item.label)
        event = known.get(invitee.event)
        who = {"name": invitee.display_name, "email": invitee.email}
        if event is None:
            return Text("Mark {name} ({email}) as a no-show", **who)
        template = "Mark {name} ({email}) as a no-show for “{event}” on {start}"
        return Text(template, **who, event=event.name or "", start=event.start_time)

    def refusal(item: BulkItem) -> str | None:
        invitee: Invitee | None = _payload(item, Invitee)
        if invitee is None or invitee.is_no_show:
            return None
        if invitee.is_canceled:
            return Text("A canceled invitee cannot be marked as a no-show")
        event = known.get(invitee.event)
        if event is not None and event.start_time > datetime.now(UTC):
            return Text("The meeting has not started yet")
        return None

    def already_done(item: BulkItem) -> bool:
        invitee: Invitee | None = _payload(item, Invitee)
        return invitee is not None and invitee.is_no_show

    async def run(item: BulkItem) -> str:
        await client.no_shows.create(item.key)
        return Text("Marked as a no-show")

    async def confirm(item: BulkItem) -> bool:
        return (await client.scheduled_events.get_invitee(item.key)).is_no_show

    return BulkAction(
        name="mark_no_shows",
        log_action="no_show.create",
        verb="Mark as no-show",
        irreversible=False,
        describe=describe,
        run=run,
        already_done=already_done,
        done_reason=Text("Already marked as a no-show"),
        refusal=refusal,
        skip_error=_refused_as(BadRequest, "already marked"),
        confirm=confirm,
    )


def revoke_invitations(client: CalendlyClient, organization: str) -> BulkAction:
    """Revoke pending invitations to ``organization`` (its URI): their links stop working."""

    def describe(item: BulkItem) -> str:
        invitation: OrganizationInvitation | None = _payload(item, OrganizationInvitation)
        email = invitation.email if invitation is not None else item.label
        return Text("Revoke the invitation sent to {email}: its link stops working", email=email)

    def refusal(item: BulkItem) -> str | None:
        invitation: OrganizationInvitation | None = _payload(item, OrganizationInvitation)
        if invitation is None or invitation.is_pending:
            return None
        if invitation.status == "accepted":
            return Text("Already accepted: remove the member instead")
        return Text(
            "The invitation is {status}: there is nothing to revoke", status=invitation.status
        )

    async def run(item: BulkItem) -> str:
        await client.invitations.revoke(item.key, organization=organization)
        return Text("Revoked")

    settled = _refused_as(BadRequest, "already accepted", "already declined")

    def skip_error(error: APIStatusError) -> str | None:
        if isinstance(error, NotFound):
            return Text("No longer in Calendly (already revoked?)")
        return settled(error)

    async def confirm(item: BulkItem) -> bool:
        try:
            await client.invitations.get(item.key, organization=organization)
        except NotFound:
            return True
        return False

    return BulkAction(
        name="revoke_invitations",
        log_action="invitation.revoke",
        verb="Revoke",
        irreversible=True,
        describe=describe,
        run=run,
        refusal=refusal,
        skip_error=skip_error,
        confirm=confirm,
        details={"organization": organization},
    )


def remove_members(client: CalendlyClient, *, current_user: str | None = None) -> BulkAction:
    """Remove members from the organization; never the owner, nor ``current_user`` (a URI)."""

    def describe(item: BulkItem) -> str:
        member: OrganizationMembership | None = _payload(item, OrganizationMembership)
        if member is None:
            return Text("Remove {label} from the organization", label=item.label)
        template = "Remove {name} ({email}, {role}) from the organization: they lose access to it"
        user = member.user
        return Text(template, name=user.name, email=user.email, role=member.role)

    def refusal(item: BulkItem) -> str | None:
        member: OrganizationMembership | None = _payload(item, OrganizationMembership)
        if member is None:
            return None
        if member.role == "owner":
            return Text(OWNER_REFUSAL)
        if current_user is not None and member.user.uri == current_user:
            return Text("You cannot remove yourself from the organization")
        return None

    async def run(item: BulkItem) -> str:
        await client.memberships.remove(item.key)
        return Text("Removed")

    def skip_error(error: APIStatusError) -> str | None:
        if isinstance(error, NotFound):
            return Text("No longer a member")
        if isinstance(error, PermissionDenied) and says(error, "owner role"):
            return Text(OWNER_REFUSAL)
        return None

    async def confirm(item: BulkItem) -> bool:
        try:
            await client.memberships.get(item.key)
        except NotFound:
            return True
        return False

    return BulkAction(
        name="remove_members",
        log_action="membership.remove",
        verb="Remove",
        irreversible=True,
        describe=describe,
        run=run,
        refusal=refusal,
        skip_error=skip_error,
        confirm=confirm,
    )
