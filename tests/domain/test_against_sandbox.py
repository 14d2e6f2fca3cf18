"""The records fit the sandbox's real responses (each also checked against the published spec)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
import pytest

from desktop.domain import (
    AvailabilitySchedule,
    Cancellation,
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
    uuid_of,
)
from desktop.sandbox import SandboxServer
from tests.sandbox.helpers import plain_client
from tests.sandbox.oauth_browser import Browser, exchange, refresh

T = TypeVar("T")
Api = Callable[..., httpx.Client]


def _get(client: httpx.Client, type_: type[T], url: str, **params: Any) -> T:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return decode(response.content, type_)


def _post(client: httpx.Client, type_: type[T], url: str, body: dict[str, Any]) -> T:
    response = client.post(url, json=body)
    assert response.status_code == 201, response.text
    return decode(response.content, type_)


def _pages(client: httpx.Client, item: type[T], url: str, **params: Any) -> Iterator[T]:
    """Every record of a list, decoding each page as it comes."""
    page = _get(client, Collection[item], url, **params)  # type: ignore[valid-type]
    while True:
        yield from page.collection
        if page.next_page_token is None:
            return
        page = _get(client, Collection[item], url, **params, page_token=page.next_page_token)  # type: ignore[valid-type]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@pytest.fixture
def owner(api: Api) -> httpx.Client:
    return api("owner")


@pytest.fixture
def me(owner: httpx.Client) -> User:
    return _get(owner, Resource[User], "/users/me").resource


def test_organization_people_and_groups(owner: httpx.Client, me: User) -> None:
    assert me.current_organization is not None and me.created_at is not None
    org = me.current_organization
    organization = _get(owner, Resource[Organization], f"/organizations/{uuid_of(org)}").resource
    assert organization.uri == org
    members = list(
        _pages(
            owner, OrganizationMembership, "/organization_memberships", organization=org, count=10
        )
    )
    assert any(m.user.uri == me.uri and m.is_admin for m in members)
    assert len({m.uri for m in members}) == len(members) == len(set(members))
    invitations = list(
        _pages(owner, OrganizationInvitation, f"/organizations/{uuid_of(org)}/invitations")
    )
    assert invitations and all(i.organization == org for i in invitations)
    groups = list(_pages(owner, Group, "/groups", organization=org))
    relationships = list(_pages(owner, GroupRelationship, "/group_relationships", organization=org))
    assert groups and relationships
    assert all(r.owner.is_membership or r.owner.is_invitation for r in relationships)
    assert all(r.owner.display_email for r in relationships)
    one = _get(owner, Resource[GroupRelationship], relationships[0].uri).resource
    assert one == relationships[0]


def test_event_types_hosts_and_availability(owner: httpx.Client, me: User) -> None:
    event_types = list(
        _pages(owner, EventType, "/event_types", organization=me.current_organization)
    )
    assert event_types
    solo = next(et for et in event_types if et.active and not et.is_team and et.kind == "solo")
    assert _get(owner, Resource[EventType], solo.uri).resource == solo
    hosts = list(_pages(owner, EventTypeMembership, "/event_type_memberships", event_type=solo.uri))
    assert hosts and hosts[0].event_type.uri == solo.uri
    schedules = _get(
        owner,
        Collection[EventTypeAvailabilitySchedule],
        "/event_type_availability_schedules",
        event_type=solo.uri,
    )
    assert schedules.collection and schedules.collection[0].event_type == solo.uri
    start = datetime.now(UTC) + timedelta(days=1)
    times = _get(
        owner,
        Collection[EventTypeAvailableTime],
        "/event_type_available_times",
        event_type=solo.uri,
        start_time=_stamp(start),
        end_time=_stamp(start + timedelta(days=7)),
    )
    assert times.pagination is None and all(
        t.start_time.tzinfo is not None for t in times.collection
    )
    user_schedules = _get(
        owner, Collection[AvailabilitySchedule], "/user_availability_schedules", user=me.uri
    )
    assert any(schedule.default for schedule in user_schedules.collection)
    assert all(rule.type in {"wday", "date"} for s in user_schedules.collection for rule in s.rules)
    busy = _get(
        owner,
        Collection[UserBusyTime],
        "/user_busy_times",
        user=me.uri,
        start_time=_stamp(start),
        end_time=_stamp(start + timedelta(days=7)),
    )
    assert all(b.end_time > b.start_time for b in busy.collection)


def test_every_scheduled_event_and_some_invitees(owner: httpx.Client, me: User) -> None:
    events = list(
        _pages(
            owner,
            ScheduledEvent,
            "/scheduled_events",
            organization=me.current_organization,
            count=100,
        )
    )
    assert len(events) == len(set(events)) > 100
    assert {e.location.type for e in events if e.location is not None} >= {"zoom", "physical"}
    invitees = [
        invitee
        for event in events[:40]
        for invitee in _pages(owner, Invitee, f"{event.uri}/invitees")
    ]
    assert invitees and all(i.event_uuid == i.event.rsplit("/", 1)[-1] for i in invitees)
    assert _get(owner, Resource[Invitee], invitees[0].uri).resource == invitees[0]
    assert _get(owner, Resource[ScheduledEvent], events[0].uri).resource == events[0]


def test_writes_answer_with_records(owner: httpx.Client, me: User) -> None:
    now = datetime.now(UTC)
    events = list(
        _pages(
            owner,
            ScheduledEvent,
            "/scheduled_events",
            organization=me.current_organization,
            status="active",
            count=100,
        )
    )
    past = next(e for e in events if e.end_time < now)
    invitee = next(_pages(owner, Invitee, f"{past.uri}/invitees"))
    no_show = _post(
        owner, Resource[InviteeNoShow], "/invitee_no_shows", {"invitee": invitee.uri}
    ).resource
    assert no_show.invitee == invitee.uri
    assert _get(owner, Resource[InviteeNoShow], no_show.uri).resource == no_show
    future = next(e for e in events if e.start_time > now)
    canceled = _post(
        owner, Resource[Cancellation], f"{future.uri}/cancellation", {"reason": "Test"}
    ).resource
    assert canceled.reason == "Test" and canceled.canceler_type == "host"
    event_type = next(
        et
        for et in _pages(owner, EventType, "/event_types", organization=me.current_organization)
        if et.active and not et.is_team
    )
    link = _post(
        owner,
        Resource[SchedulingLink],
        "/scheduling_links",
        {"max_event_count": 1, "owner": event_type.uri, "owner_type": "EventType"},
    ).resource
    assert link.owner == event_type.uri and link.booking_url
    hook = _post(
        owner,
        Resource[WebhookSubscription],
        "/webhook_subscriptions",
        {
            "url": "http://127.0.0.1:9/calendly",
            "events": ["invitee.created"],
            "organization": me.current_organization,
            "scope": "organization",
        },
    ).resource
    assert hook.is_active and hook.events == ("invitee.created",)


def test_a_booking_answers_with_an_invitee(owner: httpx.Client, me: User) -> None:
    bookable = [
        et
        for et in _pages(owner, EventType, "/event_types", organization=me.current_organization)
        if et.active
        and et.booking_method == "instant"
        and not et.is_one_off
        and not et.is_team
        and not any(q.required and q.enabled for q in et.custom_questions)
    ]
    start = datetime.now(UTC) + timedelta(minutes=5)
    for event_type in bookable:
        times = _get(
            owner,
            Collection[EventTypeAvailableTime],
            "/event_type_available_times",
            event_type=event_type.uri,
            start_time=_stamp(start),
            end_time=_stamp(start + timedelta(days=7)),
        ).collection
        if times:
            break
    else:
        pytest.fail("no bookable event type with an open slot")
    body: dict[str, Any] = {
        "event_type": event_type.uri,
        "start_time": _stamp(times[0].start_time),
        "invitee": {"email": "pat@example.com", "name": "Pat Booker", "timezone": "Europe/Berlin"},
    }
    if event_type.locations:
        kind = event_type.locations[0]
        body["location"] = {"kind": kind.kind}
        if kind.kind in {"physical", "outbound_call", "ask_invitee", "custom"}:
            body["location"]["location"] = kind.location or "+1 415 555 0100"
    invitee = _post(owner, Resource[Invitee], "/invitees", body).resource
    assert invitee.display_name == "Pat Booker" and invitee.scheduling_method == "api"
    event = _get(owner, Resource[ScheduledEvent], invitee.event).resource
    assert event.start_time == times[0].start_time


def test_webhooks_routing_forms_and_samples(owner: httpx.Client, me: User) -> None:
    org = me.current_organization
    hooks = list(
        _pages(
            owner,
            WebhookSubscription,
            "/webhook_subscriptions",
            organization=org,
            scope="organization",
        )
    )
    assert hooks and all(h.scope == "organization" for h in hooks)
    forms = list(_pages(owner, RoutingForm, "/routing_forms", organization=org))
    assert forms
    submissions = [
        s
        for form in forms
        for s in _pages(owner, RoutingFormSubmission, "/routing_form_submissions", form=form.uri)
    ]
    assert submissions and any(s.result is not None for s in submissions)
    assert (
        _get(owner, Resource[RoutingFormSubmission], submissions[0].uri).resource == submissions[0]
    )
    for event in (
        "invitee.created",
        "invitee.canceled",
        "invitee_no_show.created",
        "routing_form_submission.created",
    ):
        sample = _get(
            owner,
            WebhookPayload,
            "/sample_webhook_data",
            event=event,
            organization=org,
            scope="organization",
        )
        assert sample.event == event
        payload = sample.decode_payload()
        assert isinstance(payload, InviteePayload | RoutingFormSubmission)


def test_oauth_token_responses(sandbox: SandboxServer) -> None:
    browser = Browser(sandbox.base_url)
    try:
        with plain_client(sandbox.base_url) as http:
            code, verifier = browser.code()
            first = exchange(http, code, verifier)
            assert first.status_code == 200, first.text
            token = decode(first.content, OAuthToken)
            assert token.refresh_token is not None and token.expires_at is not None
            assert token.access_token not in repr(token)
            second = decode(refresh(http, token.refresh_token).content, OAuthToken)
            assert second.refresh_token != token.refresh_token and second.owner == token.owner
    finally:
        browser.close()
