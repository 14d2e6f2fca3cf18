"""Where a scheduled event happens: one tolerant struct for every location shape.

Calendly's event ``location`` is a union keyed by ``type`` (physical, outbound_call,
inbound_call, google_conference, zoom, gotomeeting, microsoft_teams_conference,
webex_conference, custom, ask_invitee). It is one struct with every field optional rather
than a tagged union, so a location type Calendly adds later still decodes.
"""

from __future__ import annotations

import msgspec

from desktop.domain.base import Number, Record

# Output ``type`` values that are web conferences (they carry ``status`` and ``join_url``).
CONFERENCE_TYPES = frozenset(
    {"google_conference", "zoom", "gotomeeting", "microsoft_teams_conference", "webex_conference"}
)


class DialInNumber(Record, frozen=True, kw_only=True):
    """A Zoom global dial-in number."""

    number: str | None = None
    country: str | None = None
    type: str | None = None
    city: str | None = None
    country_name: str | None = None


class ZoomSettings(Record, frozen=True, kw_only=True):
    global_dial_in_numbers: tuple[DialInNumber, ...] = ()


class ZoomExtra(Record, frozen=True, kw_only=True):
    intl_numbers_url: str | None = None


class AudioConferencing(Record, frozen=True, kw_only=True):
    """Microsoft Teams dial-in details (camelCase on the wire)."""

    conference_id: str | None = msgspec.field(default=None, name="conferenceId")
    dialin_url: str | None = msgspec.field(default=None, name="dialinUrl")
    toll_number: str | None = msgspec.field(default=None, name="tollNumber")


class CallInNumber(Record, frozen=True, kw_only=True):
    """A Webex call-in number (camelCase on the wire)."""

    label: str | None = None
    call_in_number: str | None = msgspec.field(default=None, name="callInNumber")
    toll_type: str | None = msgspec.field(default=None, name="tollType")


class Telephony(Record, frozen=True, kw_only=True):
    call_in_numbers: tuple[CallInNumber, ...] = msgspec.field(default=(), name="callInNumbers")


class ConferenceData(Record, frozen=True, kw_only=True):
    """Provider details of a conference; each provider fills its own subset."""

    id: str | int | None = None  # zoom (string or integer), teams, webex
    password: str | None = None  # zoom, webex
    settings: ZoomSettings | None = None  # zoom
    extra: ZoomExtra | None = None  # zoom
    unique_meeting_id: Number | None = msgspec.field(default=None, name="uniqueMeetingId")
    conference_call_info: str | None = msgspec.field(default=None, name="conferenceCallInfo")
    audio_conferencing: AudioConferencing | None = msgspec.field(
        default=None, name="audioConferencing"
    )
    telephony: Telephony | None = None  # webex


class Location(Record, frozen=True, kw_only=True):
    """A scheduled event's location; ``type`` says which of the fields mean something."""

    type: str
    location: str | None = None  # address, phone number, or free text
    additional_info: str | None = None
    status: str | None = None  # conferences: processing | initiated | pushed | failed
    join_url: str | None = None
    data: ConferenceData | None = None

    @property
    def is_conference(self) -> bool:
        return self.type in CONFERENCE_TYPES or self.join_url is not None

    @property
    def summary(self) -> str:
        """What to show in a table cell: the join link, the place, or the kind of location."""
        return self.join_url or self.location or self.type.replace("_", " ")


class MeetingLocation(Record, frozen=True, kw_only=True):
    """A location kind a user has set up (``GET /locations``, 2026 spec)."""

    kind: str
    connected: bool | None = None
