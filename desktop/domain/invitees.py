"""Invitees of scheduled events, and no-show marks."""

from __future__ import annotations

from decimal import Decimal

from desktop.domain.base import Record, Timestamp, UriRecord
from desktop.domain.scheduled_events import Cancellation
from desktop.domain.uris import parent_uuid_of, uuid_of


class QuestionAndAnswer(Record, frozen=True, kw_only=True):
    """An answer to one of the event type's custom questions."""

    question: str
    answer: str = ""
    position: int = 0


class Tracking(Record, frozen=True, kw_only=True):
    """UTM and Salesforce parameters captured from the booking link."""

    utm_campaign: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_content: str | None = None
    utm_term: str | None = None
    salesforce_uuid: str | None = None


class Payment(Record, frozen=True, kw_only=True):
    """A payment collected at booking.

    ``amount`` is a Decimal: the 2023 spec sends a JSON number, the 2026 one a numeric string,
    and msgspec decodes both exactly (money never goes through a float).
    """

    external_id: str
    provider: str  # stripe | paypal
    amount: Decimal
    currency: str  # AUD | CAD | EUR | GBP | USD
    successful: bool
    terms: str | None = None


class NoShowRef(Record, frozen=True, kw_only=True):
    """The no-show mark on an invitee; its ``uri`` is what ``DELETE`` removes."""

    uri: str
    created_at: Timestamp | None = None


class Reconfirmation(Record, frozen=True, kw_only=True):
    created_at: Timestamp
    confirmed_at: Timestamp | None = None


class Invitee(UriRecord, frozen=True, kw_only=True):
    """A person booked into a scheduled event (URI nested under the event)."""

    email: str
    name: str
    status: str  # active | canceled
    event: str
    first_name: str | None = None
    last_name: str | None = None
    timezone: str | None = None
    questions_and_answers: tuple[QuestionAndAnswer, ...] = ()
    tracking: Tracking | None = None
    text_reminder_number: str | None = None
    rescheduled: bool = False
    old_invitee: str | None = None
    new_invitee: str | None = None
    cancel_url: str | None = None
    reschedule_url: str | None = None
    routing_form_submission: str | None = None
    cancellation: Cancellation | None = None
    payment: Payment | None = None
    no_show: NoShowRef | None = None
    reconfirmation: Reconfirmation | None = None
    scheduling_method: str | None = None  # instant_book | api
    invitee_scheduled_by: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None

    @property
    def event_uuid(self) -> str:
        return parent_uuid_of(self.uri) or uuid_of(self.event)

    @property
    def display_name(self) -> str:
        """The name to show: ``name``, else first and last name, else the e-mail."""
        if self.name.strip():
            return self.name.strip()
        parts = [p.strip() for p in (self.first_name, self.last_name) if p and p.strip()]
        return " ".join(parts) or self.email

    @property
    def is_canceled(self) -> bool:
        return self.status == "canceled"

    @property
    def is_no_show(self) -> bool:
        return self.no_show is not None

    def answer_to(self, question: str) -> str | None:
        """The answer given to ``question`` (matched exactly, as Calendly does)."""
        for item in self.questions_and_answers:
            if item.question == question:
                return item.answer
        return None


class InviteeNoShow(UriRecord, frozen=True, kw_only=True):
    """A no-show mark (``POST /invitee_no_shows``, ``GET /invitee_no_shows/{uuid}``)."""

    invitee: str
    created_at: Timestamp | None = None
