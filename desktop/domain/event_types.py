"""Event types, their custom questions and location settings, and their hosts."""

from __future__ import annotations

from datetime import timedelta

from desktop.domain.base import Number, Record, Timestamp, UriRecord
from desktop.domain.users import User


class Profile(Record, frozen=True, kw_only=True):
    """Whose event type it is: a user or a team."""

    type: str  # User | Team
    name: str = ""
    owner: str | None = None


class CustomQuestion(Record, frozen=True, kw_only=True):
    """A question the booking page asks; ``name`` is the question text."""

    name: str
    type: str  # string | text | phone_number | single_select | multi_select
    position: Number = 0
    enabled: bool = True
    required: bool = False
    answer_choices: tuple[str, ...] = ()
    include_other: bool = False


class LocationConfiguration(Record, frozen=True, kw_only=True):
    """A location offered by an event type; keyed by ``kind`` (events use ``type``)."""

    kind: str  # physical | zoom_conference | google_conference | custom | ... (10 kinds)
    location: str | None = None
    additional_info: str | None = None
    phone_number: str | None = None
    position: Number | None = None


class EventType(UriRecord, frozen=True, kw_only=True):
    """A bookable kind of meeting (standard or ad-hoc/one-off)."""

    active: bool
    scheduling_url: str
    duration: Number  # minutes
    name: str | None = None
    kind: str = "solo"  # solo | group
    type: str = "StandardEventType"  # StandardEventType | AdhocEventType
    slug: str | None = None
    booking_method: str = "instant"  # instant | poll
    duration_options: tuple[int, ...] | None = None
    pooling_type: str | None = None  # round_robin | collective | multi_pool
    color: str | None = None
    secret: bool = False
    admin_managed: bool = False
    is_paid: bool = False
    locale: str | None = None
    position: int | None = None
    profile: Profile | None = None
    custom_questions: tuple[CustomQuestion, ...] = ()
    locations: tuple[LocationConfiguration, ...] | None = None
    description_plain: str | None = None
    description_html: str | None = None
    internal_note: str | None = None
    deleted_at: Timestamp | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None

    @property
    def length(self) -> timedelta:
        """The default meeting length."""
        return timedelta(minutes=self.duration)

    @property
    def is_team(self) -> bool:
        """Owned by a team, or pooled across several hosts (round robin, collective)."""
        team_profile = self.profile is not None and self.profile.type == "Team"
        return team_profile or self.pooling_type is not None

    @property
    def is_one_off(self) -> bool:
        return self.type == "AdhocEventType"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def display_name(self) -> str:
        return self.name or self.slug or self.uuid


class EventTypeMembership(Record, frozen=True, kw_only=True):
    """A host of an event type (``GET /event_type_memberships``)."""

    uri: str
    event_type: EventType
    member: User | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
