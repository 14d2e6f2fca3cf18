"""Every sample paired with the record type it decodes into, for the table-driven tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.domain import (
    ActivityLogEntry,
    ActivityLogPage,
    AvailabilitySchedule,
    Collection,
    EventType,
    EventTypeAvailabilitySchedule,
    EventTypeAvailableTime,
    EventTypeMembership,
    Group,
    GroupRelationship,
    Invitee,
    InviteeNoShow,
    InviteePayload,
    Location,
    MeetingLocation,
    OAuthToken,
    Organization,
    OrganizationInvitation,
    OrganizationMembership,
    Resource,
    RoutingForm,
    RoutingFormSubmission,
    ScheduledEvent,
    SchedulingLink,
    Team,
    User,
    UserBusyTime,
    WebhookPayload,
    WebhookSubscription,
)
from tests.domain import samples as s
from tests.domain import samples_events as e


@dataclass(frozen=True)
class Case:
    name: str
    type_: Any
    body: Any


def page(*items: Any, cursor: str | None = "tok2") -> dict[str, Any]:
    """A ``{collection, pagination}`` body around ``items``."""
    return {
        "collection": list(items),
        "pagination": {
            "count": len(items),
            "next_page": None if cursor is None else f"{s.API}/x?page_token={cursor}",
            "previous_page": None,
            "next_page_token": cursor,
            "previous_page_token": None,
        },
    }


CASES: tuple[Case, ...] = (
    Case("user", Resource[User], {"resource": s.USER_JSON}),
    Case("organization", Resource[Organization], {"resource": s.ORGANIZATION_JSON}),
    Case("memberships", Collection[OrganizationMembership], page(s.MEMBERSHIP_JSON)),
    Case("invitations", Collection[OrganizationInvitation], page(s.INVITATION_JSON)),
    Case("teams", Collection[Team], page(s.TEAM_JSON)),
    Case("groups", Collection[Group], page(s.GROUP_JSON)),
    Case(
        "group_relationships",
        Collection[GroupRelationship],
        page(s.RELATIONSHIP_MEMBERSHIP_JSON, s.RELATIONSHIP_INVITATION_JSON),
    ),
    Case("event_types", Collection[EventType], page(s.EVENT_TYPE_JSON)),
    Case("event_type_hosts", Collection[EventTypeMembership], page(s.HOST_JSON)),
    Case(
        "available_times",
        Collection[EventTypeAvailableTime],
        {"collection": [s.AVAILABLE_TIME_JSON]},
    ),
    Case("schedules", Collection[AvailabilitySchedule], {"collection": [s.SCHEDULE_JSON]}),
    Case(
        "event_type_schedules",
        Collection[EventTypeAvailabilitySchedule],
        page(s.EVENT_TYPE_SCHEDULE_JSON),
    ),
    Case(
        "busy_times",
        Collection[UserBusyTime],
        {"collection": [s.BUSY_CALENDLY_JSON, s.BUSY_EXTERNAL_JSON]},
    ),
    Case(
        "meeting_locations", Collection[MeetingLocation], {"collection": [s.MEETING_LOCATION_JSON]}
    ),
    Case(
        "scheduled_events",
        Collection[ScheduledEvent],
        page(e.EVENT_JSON, e.CANCELED_EVENT_JSON, cursor=None),
    ),
    Case("locations", tuple[Location, ...], list(e.LOCATIONS.values())),
    Case("invitees", Collection[Invitee], page(e.INVITEE_JSON, e.CANCELED_INVITEE_JSON)),
    Case("no_show", Resource[InviteeNoShow], {"resource": e.NO_SHOW_JSON}),
    Case("routing_forms", Collection[RoutingForm], page(e.FORM_JSON)),
    Case(
        "routing_form_submissions",
        Collection[RoutingFormSubmission],
        page(*({**e.SUBMISSION_JSON, "result": result} for result in e.RESULTS.values())),
    ),
    Case("webhook_subscriptions", Collection[WebhookSubscription], page(e.WEBHOOK_JSON)),
    Case("webhook_delivery", WebhookPayload, e.DELIVERY_JSON),
    Case("invitee_payload", InviteePayload, e.INVITEE_PAYLOAD_JSON),
    Case("scheduling_link", Resource[SchedulingLink], {"resource": e.SCHEDULING_LINK_JSON}),
    Case("activity_log", ActivityLogPage, e.ACTIVITY_PAGE_JSON),
    Case("activity_entry", ActivityLogEntry, e.ACTIVITY_ENTRY_JSON),
    Case("oauth_token", OAuthToken, e.TOKEN_JSON),
)

IDS = [case.name for case in CASES]
