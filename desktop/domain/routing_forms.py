"""Routing forms and their submissions."""

from __future__ import annotations

from desktop.domain.base import Record, Timestamp, UriRecord
from desktop.domain.invitees import Tracking


class RoutingFormQuestion(Record, frozen=True, kw_only=True):
    """A question on a routing form; submissions refer to it by ``uuid``."""

    uuid: str
    name: str
    type: str  # name | text | email | phone | textarea | select | radios
    required: bool = False
    answer_choices: tuple[str, ...] | None = None


class RoutingForm(UriRecord, frozen=True, kw_only=True):
    organization: str
    name: str
    status: str  # draft | published
    questions: tuple[RoutingFormQuestion, ...] = ()
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None

    @property
    def is_published(self) -> bool:
        return self.status == "published"


class SubmissionAnswer(Record, frozen=True, kw_only=True):
    """One answer in a submission; ``answer`` is null for a question left empty."""

    question: str
    question_uuid: str | None = None
    answer: str | None = None


class CustomMessage(Record, frozen=True, kw_only=True):
    headline: str = ""
    body: str = ""


class SubmissionResult(Record, frozen=True, kw_only=True):
    """Where the form sent the submitter, keyed by ``type``.

    ``event_type`` and ``external_url`` carry a URI in ``value``; ``custom_message`` carries
    a headline and body. One struct rather than a tagged union, so a result type Calendly
    adds later still decodes (its ``value`` kept if it is a string or an object).
    """

    type: str  # event_type | external_url | custom_message
    value: CustomMessage | str | None = None

    @property
    def event_type(self) -> str | None:
        return self.value if self.type == "event_type" and isinstance(self.value, str) else None

    @property
    def external_url(self) -> str | None:
        if self.type == "external_url" and isinstance(self.value, str):
            return self.value
        return None

    @property
    def custom_message(self) -> CustomMessage | None:
        return self.value if isinstance(self.value, CustomMessage) else None


class RoutingFormSubmission(UriRecord, frozen=True, kw_only=True):
    """A filled-in routing form; ``submitter`` is the invitee URI when a meeting was booked."""

    routing_form: str
    questions_and_answers: tuple[SubmissionAnswer, ...] = ()
    tracking: Tracking | None = None
    result: SubmissionResult | None = None
    submitter: str | None = None
    submitter_type: str | None = None  # Invitee | null
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None

    def answer_to(self, question_uuid: str) -> str | None:
        for item in self.questions_and_answers:
            if item.question_uuid == question_uuid:
                return item.answer
        return None
