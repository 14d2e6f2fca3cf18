"""Property: any record (built from its own type description) survives encode then decode."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import (
    ActivityLogPage,
    AvailabilitySchedule,
    Collection,
    EventTypeAvailabilitySchedule,
    EventTypeAvailableTime,
    EventTypeMembership,
    GroupRelationship,
    Invitee,
    InviteeNoShow,
    Location,
    OAuthToken,
    Organization,
    OrganizationInvitation,
    OrganizationMembership,
    Resource,
    RoutingForm,
    RoutingFormSubmission,
    ScheduledEvent,
    SchedulingLink,
    User,
    UserBusyTime,
    WebhookPayload,
    WebhookSubscription,
    decode,
    encode,
)
from desktop.domain.groups import Group
from desktop.domain.webhooks import InviteePayload
from tests.domain.support import strategy_for

TYPES: tuple[Any, ...] = (
    User,
    Organization,
    OrganizationMembership,
    OrganizationInvitation,
    Group,
    GroupRelationship,
    EventTypeMembership,  # embeds EventType and User
    EventTypeAvailableTime,
    AvailabilitySchedule,
    EventTypeAvailabilitySchedule,
    UserBusyTime,
    ScheduledEvent,
    Location,
    Invitee,
    InviteePayload,
    InviteeNoShow,
    RoutingForm,
    RoutingFormSubmission,
    WebhookSubscription,
    WebhookPayload,
    SchedulingLink,
    ActivityLogPage,
    OAuthToken,
    Resource[User],
    Collection[ScheduledEvent],
)


def _name(type_: Any) -> str:
    """``Collection[ScheduledEvent]`` rather than the dotted repr of a generic alias."""
    return re.sub(r"[\w.]+\.", "", repr(type_)) if hasattr(type_, "__origin__") else type_.__name__


@pytest.mark.parametrize("type_", TYPES, ids=_name)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_record_round_trips_through_json(type_: Any, data: st.DataObject) -> None:
    value = data.draw(strategy_for(type_))
    again = decode(encode(value), type_)
    assert again == value
    assert hash(again) == hash(value)
