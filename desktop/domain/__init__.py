"""Typed immutable records and pure rules; imports nothing else of ours, does no I/O."""

from __future__ import annotations

from desktop.domain.activity_log import (
    ActivityLogEntry,
    ActivityLogPage,
    Actor,
    ActorGroup,
    ActorOrganization,
)
from desktop.domain.availability import (
    AvailabilityInterval,
    AvailabilityRule,
    AvailabilitySchedule,
    BusyEvent,
    EventTypeAvailabilityRule,
    EventTypeAvailabilitySchedule,
    EventTypeAvailableTime,
    UserBusyTime,
)
from desktop.domain.base import Number, Record, Timestamp
from desktop.domain.decoding import decode, decoder, encode
from desktop.domain.envelopes import Collection, Pagination, Resource
from desktop.domain.event_types import (
    CustomQuestion,
    EventType,
    EventTypeMembership,
    LocationConfiguration,
    Profile,
)
from desktop.domain.groups import Group, GroupRelationship, GroupRelationshipOwner
from desktop.domain.invitees import (
    Invitee,
    InviteeNoShow,
    NoShowRef,
    Payment,
    QuestionAndAnswer,
    Reconfirmation,
    Tracking,
)
from desktop.domain.locations import (
    AudioConferencing,
    CallInNumber,
    ConferenceData,
    DialInNumber,
    Location,
    MeetingLocation,
    Telephony,
    ZoomExtra,
    ZoomSettings,
)
from desktop.domain.oauth_token import OAuthToken
from desktop.domain.organizations import (
    MembershipUser,
    Organization,
    OrganizationInvitation,
    OrganizationMembership,
    Team,
)
from desktop.domain.routing_forms import (
    CustomMessage,
    RoutingForm,
    RoutingFormQuestion,
    RoutingFormSubmission,
    SubmissionAnswer,
    SubmissionResult,
)
from desktop.domain.scheduled_events import (
    CalendarEvent,
    Cancellation,
    EventGuest,
    EventMembership,
    InviteesCounter,
    ScheduledEvent,
)
from desktop.domain.scheduling_links import SchedulingLink
from desktop.domain.uris import parent_uuid_of, uuid_of
from desktop.domain.users import User
from desktop.domain.webhooks import (
    PAYLOAD_TYPES,
    InviteePayload,
    Payload,
    WebhookPayload,
    WebhookSubscription,
)

__all__ = [
    "PAYLOAD_TYPES",
    "ActivityLogEntry",
    "ActivityLogPage",
    "Actor",
    "ActorGroup",
    "ActorOrganization",
    "AudioConferencing",
    "AvailabilityInterval",
    "AvailabilityRule",
    "AvailabilitySchedule",
    "BusyEvent",
    "CalendarEvent",
    "CallInNumber",
    "Cancellation",
    "Collection",
    "ConferenceData",
    "CustomMessage",
    "CustomQuestion",
    "DialInNumber",
    "EventGuest",
    "EventMembership",
    "EventType",
    "EventTypeAvailabilityRule",
    "EventTypeAvailabilitySchedule",
    "EventTypeAvailableTime",
    "EventTypeMembership",
    "Group",
    "GroupRelationship",
    "GroupRelationshipOwner",
    "Invitee",
    "InviteeNoShow",
    "InviteePayload",
    "InviteesCounter",
    "Location",
    "LocationConfiguration",
    "MeetingLocation",
    "MembershipUser",
    "NoShowRef",
    "Number",
    "OAuthToken",
    "Organization",
    "OrganizationInvitation",
    "OrganizationMembership",
    "Pagination",
    "Payload",
    "Payment",
    "Profile",
    "QuestionAndAnswer",
    "Reconfirmation",
    "Record",
    "Resource",
    "RoutingForm",
    "RoutingFormQuestion",
    "RoutingFormSubmission",
    "ScheduledEvent",
    "SchedulingLink",
    "SubmissionAnswer",
    "SubmissionResult",
    "Team",
    "Telephony",
    "Timestamp",
    "Tracking",
    "User",
    "UserBusyTime",
    "WebhookPayload",
    "WebhookSubscription",
    "ZoomExtra",
    "ZoomSettings",
    "decode",
    "decoder",
    "encode",
    "parent_uuid_of",
    "uuid_of",
]
