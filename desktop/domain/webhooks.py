"""Webhook subscriptions and the envelope of a webhook delivery."""

from __future__ import annotations

from typing import TypeAlias, cast

import msgspec

from desktop.domain.base import Record, Timestamp, UriRecord
from desktop.domain.decoding import decode
from desktop.domain.event_types import EventType
from desktop.domain.invitees import Invitee
from desktop.domain.routing_forms import RoutingFormSubmission
from desktop.domain.scheduled_events import ScheduledEvent


class WebhookSubscription(UriRecord, frozen=True, kw_only=True):
    """A webhook subscription; ``signing_key`` is write-only and never comes back."""

    callback_url: str
    state: str  # active | disabled (disabled ones cannot be re-enabled: recreate them)
    scope: str  # organization | user | group
    organization: str
    events: tuple[str, ...] = ()
    user: str | None = None
    group: str | None = None
    creator: str | None = None
    retry_started_at: Timestamp | None = None  # set while Calendly is retrying failures
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None

    @property
    def is_active(self) -> bool:
        return self.state == "active"

    @property
    def is_failing(self) -> bool:
        """Active but retrying: Calendly disables it if deliveries keep failing for 24 h."""
        return self.is_active and self.retry_started_at is not None


class InviteePayload(Invitee, frozen=True, kw_only=True):
    """``invitee.*`` and ``invitee_no_show.*`` payloads: the invitee plus its event."""

    scheduled_event: ScheduledEvent | None = None


# The record each event's payload decodes into; other events (contact.*, meeting_recap.*)
# stay raw JSON, which the UI can still show.
PAYLOAD_TYPES: dict[str, type[Record]] = {
    "invitee.created": InviteePayload,
    "invitee.canceled": InviteePayload,
    "invitee_no_show.created": InviteePayload,
    "invitee_no_show.deleted": InviteePayload,
    "routing_form_submission.created": RoutingFormSubmission,
    "event_type.created": EventType,
    "event_type.updated": EventType,
    "event_type.deleted": EventType,
}

Payload: TypeAlias = InviteePayload | RoutingFormSubmission | EventType | msgspec.Raw


class WebhookPayload(Record, frozen=True, kw_only=True):
    """A webhook delivery (and ``GET /sample_webhook_data``): ``{event, created_at,
    created_by, payload}``.

    The payload's shape depends on ``event``, a sibling key, so it is kept as raw JSON and
    decoded on demand by :meth:`decode_payload`.
    """

    event: str
    created_at: Timestamp
    created_by: str  # the user who created the subscription
    payload: msgspec.Raw

    def __hash__(self) -> int:
        # msgspec.Raw is unhashable; its bytes stand for it (equality already compares them).
        return hash((self.event, self.created_at, self.created_by, bytes(self.payload)))

    def decode_payload(self) -> Payload:
        """The payload as its record, or the raw JSON for an event with no record here.

        Raises ``msgspec.ValidationError`` if a known event's payload does not fit.
        """
        kind = PAYLOAD_TYPES.get(self.event)
        if kind is None:
            return self.payload
        return cast(Payload, decode(self.payload, kind))

    def payload_json(self) -> object:
        """The payload as plain JSON values (a fresh copy each call)."""
        return msgspec.json.decode(self.payload)
