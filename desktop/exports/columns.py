"""The column sets of the CSV exports, one per table (factories where a lookup is needed).

Headers are stable English names (as in Calendly's own exports) so spreadsheets and scripts
built on an export keep working whatever language the app runs in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, tzinfo

from desktop.domain import (
    EventType,
    Invitee,
    OrganizationInvitation,
    OrganizationMembership,
    ScheduledEvent,
)
from desktop.exports.cells import (
    joined,
    location_configuration,
    location_kind,
    location_place,
    number,
    utc_iso,
    yes_no,
    zone_label,
    zoned_iso,
)
from desktop.exports.csv_writer import Column


# -- members and invitations ----------------------------------------------------------------
def member_columns(
    groups: Mapping[str, Sequence[str]] | None = None,
) -> list[Column[OrganizationMembership]]:
    """Members; ``groups`` maps a membership URI (or user URI) to its group names
    (``lookups.groups_by_membership``)."""
    lookup = groups or {}

    def group_names(m: OrganizationMembership) -> str:
        return joined(lookup.get(m.uri) or lookup.get(m.user.uri) or ())

    return [
        Column("Name", lambda m: m.user.name),
        Column("Email", lambda m: m.user.email),
        Column("Role", lambda m: m.role),
        Column("Time zone", lambda m: m.user.timezone),
        Column("Groups", group_names),
        Column("Scheduling URL", lambda m: m.user.scheduling_url),
        Column("Member since (UTC)", lambda m: utc_iso(m.created_at)),
    ]


MEMBER_COLUMNS = member_columns()

INVITATION_COLUMNS: list[Column[OrganizationInvitation]] = [
    Column("Email", lambda i: i.email),
    Column("Status", lambda i: i.status),
    Column("Last sent (UTC)", lambda i: utc_iso(i.last_sent_at)),
    Column("Created (UTC)", lambda i: utc_iso(i.created_at)),
]


# -- event types ----------------------------------------------------------------------------
def _owner(event_type: EventType) -> str:
    return event_type.profile.name if event_type.profile is not None else ""


def _owner_type(event_type: EventType) -> str:
    return event_type.profile.type if event_type.profile is not None else ""


def _kind(event_type: EventType) -> str:
    return f"{event_type.kind} (one-off)" if event_type.is_one_off else event_type.kind


def _locations(event_type: EventType) -> str:
    return joined(location_configuration(c) for c in event_type.locations or ())


EVENT_TYPE_COLUMNS: list[Column[EventType]] = [
    Column("Name", lambda t: t.display_name),
    Column("Owner", _owner),
    Column("Owner type", _owner_type),
    Column("Kind", _kind),
    Column("Pooling", lambda t: t.pooling_type or ""),
    Column("Duration (min)", lambda t: number(t.duration)),
    Column("Active", lambda t: yes_no(t.active)),
    Column("Scheduling URL", lambda t: t.scheduling_url),
    Column("Locations", _locations),
    Column("Slug", lambda t: t.slug or ""),
]


# -- scheduled events -----------------------------------------------------------------------
def _join_url(event: ScheduledEvent) -> str:
    return (event.location.join_url or "") if event.location is not None else ""


def _active_invitees(event: ScheduledEvent) -> str:
    counter = event.invitees_counter
    return number(counter.active) if counter is not None else ""


def _reason(event: ScheduledEvent) -> str:
    return (event.cancellation.reason or "") if event.cancellation is not None else ""


def _canceled_by(event: ScheduledEvent) -> str:
    return event.cancellation.canceled_by if event.cancellation is not None else ""


def scheduled_event_columns(zone: tzinfo = UTC) -> list[Column[ScheduledEvent]]:
    """Scheduled events, with start/end both in UTC and in ``zone`` (the user's, usually)."""
    label = zone_label(zone)
    return [
        Column("Event", lambda e: e.name or ""),
        Column("Start (UTC)", lambda e: utc_iso(e.start_time)),
        Column("End (UTC)", lambda e: utc_iso(e.end_time)),
        Column(f"Start ({label})", lambda e: zoned_iso(e.start_time, zone)),
        Column(f"End ({label})", lambda e: zoned_iso(e.end_time, zone)),
        Column("Status", lambda e: e.status),
        Column("Location kind", lambda e: location_kind(e.location)),
        Column("Location", lambda e: location_place(e.location)),
        Column("Join URL", _join_url),
        Column("Hosts", lambda e: joined(e.host_names)),
        Column("Active invitees", _active_invitees),
        Column("Cancellation reason", _reason),
        Column("Canceled by", _canceled_by),
        Column("Created (UTC)", lambda e: utc_iso(e.created_at)),
        Column("Event URI", lambda e: e.uri),
    ]


SCHEDULED_EVENT_COLUMNS = scheduled_event_columns()


# -- invitees -------------------------------------------------------------------------------
UTM_FIELDS = ("source", "medium", "campaign", "content", "term")


def _utm(field: str) -> Callable[[Invitee], str]:
    def cell(invitee: Invitee) -> str:
        tracking = invitee.tracking
        value = getattr(tracking, f"utm_{field}") if tracking is not None else None
        return str(value) if value else ""

    return cell


def _answer(question: str) -> Callable[[Invitee], str]:
    def cell(invitee: Invitee) -> str:
        return invitee.answer_to(question) or ""

    return cell


def invitee_columns(
    questions: Sequence[str],
    *,
    events: Mapping[str, ScheduledEvent] | None = None,
    users: Mapping[str, str] | None = None,
    zone: tzinfo = UTC,
) -> list[Column[Invitee]]:
    """Invitees, with UTM tracking and one column per question in ``questions`` (the ordered
    union across the exported invitees: ``lookups.question_texts``).

    ``events`` maps an event URI to its event (for the event's name and start); ``users``
    maps a user URI to a label (``lookups.user_labels``) for "booked by".
    """
    event_of = events or {}
    user_of = users or {}
    label = zone_label(zone)

    def event_name(invitee: Invitee) -> str:
        event = event_of.get(invitee.event)
        return (event.name or "") if event is not None else ""

    def event_start(invitee: Invitee) -> str:
        event = event_of.get(invitee.event)
        return utc_iso(event.start_time) if event is not None else ""

    def event_start_zoned(invitee: Invitee) -> str:
        event = event_of.get(invitee.event)
        return zoned_iso(event.start_time, zone) if event is not None else ""

    def booked_by(invitee: Invitee) -> str:
        by = invitee.invitee_scheduled_by
        return user_of.get(by, by) if by else ""

    def canceled_by(invitee: Invitee) -> str:
        return invitee.cancellation.canceled_by if invitee.cancellation is not None else ""

    def reason(invitee: Invitee) -> str:
        cancellation = invitee.cancellation
        return (cancellation.reason or "") if cancellation is not None else ""

    columns: list[Column[Invitee]] = [
        Column("Event", event_name),
        Column("Event start (UTC)", event_start),
        Column(f"Event start ({label})", event_start_zoned),
        Column("Invitee", lambda i: i.display_name),
        Column("Email", lambda i: i.email),
        Column("Status", lambda i: i.status),
        Column("Time zone", lambda i: i.timezone or ""),
        Column("No-show", lambda i: yes_no(i.is_no_show)),
        Column("Canceled", lambda i: yes_no(i.is_canceled)),
        Column("Cancellation reason", reason),
        Column("Canceled by", canceled_by),
        Column("Rescheduled", lambda i: yes_no(i.rescheduled)),
        Column("Booked by", booked_by),
        Column("Booked (UTC)", lambda i: utc_iso(i.created_at)),
    ]
    columns += [Column(f"UTM {field}", _utm(field)) for field in UTM_FIELDS]
    columns += [Column(question, _answer(question)) for question in questions]
    return columns
