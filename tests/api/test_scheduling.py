"""``client.scheduling.book`` against the sandbox: a booking, lost answers reconciled to exactly
one booking, 5xx never resent blindly, unconfirmable bookings, and the Scheduling API quota."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from desktop.api import BadRequest, CalendlyClient, RateLimited, ServerError
from desktop.api.errors import BookingUnconfirmed
from desktop.api.resources.scheduling import Answer, BookingLocation, InviteeDetails
from desktop.domain import Tracking
from desktop.sandbox import SandboxServer
from desktop.sandbox.faults import Fault
from tests.api.conftest import ClientFactory
from tests.sandbox.booking_support import event_type, first_open, one_on_one, request_body
from tests.sandbox.helpers import Api

pytestmark = pytest.mark.asyncio

Body = dict[str, Any]


@pytest.fixture
def body(sandbox: SandboxServer, api: Api) -> Body:
    """A valid booking of a one-on-one event type at its first open slot."""
    record = event_type(sandbox, one_on_one)
    return request_body(sandbox, record, first_open(api("owner"), sandbox, record))


def _start(body: Body) -> datetime:
    return datetime.fromisoformat(str(body["start_time"]).replace("Z", "+00:00"))


async def _book(client: CalendlyClient, body: Body, **changes: Any) -> Any:
    arguments: dict[str, Any] = {
        "event_type": body["event_type"],
        "start_time": _start(body),
        "invitee": body["invitee"],
        "location": body.get("location"),
        "questions_and_answers": body["questions_and_answers"],
    }
    arguments.update(changes)
    return await asyncio.wait_for(client.scheduling.book(**arguments), timeout=30)


def bookings(sandbox: SandboxServer, body: Body) -> int:
    """Invitees with the body's e-mail at its start, in the sandbox's own store."""
    return sandbox.state.store.count(
        "invitees",
        "email = ? AND event IN (SELECT id FROM scheduled_events WHERE start_time = ?)",
        (str(body["invitee"]["email"]).lower(), body["start_time"]),
    )


def posts_counter(sandbox: SandboxServer) -> Fault:
    """A no-op fault that counts the ``POST /invitees`` requests that reached the API."""
    return sandbox.add_fault(kind="latency", paths=["/invitees"], methods=["POST"])


async def test_book_with_typed_inputs(
    client: CalendlyClient, sandbox: SandboxServer, body: Body
) -> None:
    me = await client.users.me()
    location = body.get("location")
    invitee = await _book(
        client,
        body,
        invitee=InviteeDetails(email="Ana@Example.com", name="Ana Lima", timezone="Europe/Lisbon"),
        location=None if location is None else BookingLocation(**location),
        questions_and_answers=[Answer(**qa) for qa in body["questions_and_answers"]],
        tracking=Tracking(utm_source="console"),
        event_guests=["guest@example.com"],
    )
    assert invitee.email == "ana@example.com"
    assert invitee.display_name == "Ana Lima"
    assert invitee.timezone == "Europe/Lisbon"
    assert invitee.scheduling_method == "api"
    assert invitee.invitee_scheduled_by == me.uri
    assert invitee.tracking is not None and invitee.tracking.utm_source == "console"
    event = await client.scheduled_events.get(invitee.event)
    assert event.start_time == _start(body)
    assert event.event_type == body["event_type"]
    assert [g.email for g in event.event_guests] == ["guest@example.com"]
    assert await client.scheduled_events.get_invitee(invitee.uri) == invitee
    minute = client.scheduling.quota.windows[0]
    assert (minute.name, minute.used, minute.limit) == ("minute", 1, 10)


async def test_book_with_plain_dicts(
    client: CalendlyClient, sandbox: SandboxServer, body: Body
) -> None:
    invitee = await _book(client, body)
    assert invitee.email == body["invitee"]["email"].lower()
    assert bookings(sandbox, body) == 1


async def test_a_refused_booking_names_the_field(client: CalendlyClient, body: Body) -> None:
    with pytest.raises(BadRequest) as refused:
        await _book(client, body, start_time=datetime.now(UTC) - timedelta(days=1))
    assert refused.value.detail_for("start_time")


async def test_a_truncated_answer_returns_the_one_booking(
    client: CalendlyClient, sandbox: SandboxServer, body: Body
) -> None:
    # The sandbox books, then cuts the answer short: the client must find the booking.
    posts = posts_counter(sandbox)
    sandbox.add_fault(kind="truncate", paths=["/invitees"], methods=["POST"], times=1)
    invitee = await _book(client, body)
    assert posts.fired == 1  # never sent twice
    assert bookings(sandbox, body) == 1
    assert invitee.email == body["invitee"]["email"].lower()
    assert await client.scheduled_events.get_invitee(invitee.uri) == invitee


async def test_a_dropped_request_is_sent_once_more(
    client: CalendlyClient, sandbox: SandboxServer, body: Body
) -> None:
    # The connection closes before the sandbox processes it: nothing was booked, so the
    # client, having checked, sends it again once.
    posts = posts_counter(sandbox)
    drop = sandbox.add_fault(kind="drop", paths=["/invitees"], methods=["POST"], times=1)
    invitee = await _book(client, body)
    assert drop.fired == 1
    assert posts.fired == 1  # the resend (the dropped one never reached the API)
    assert bookings(sandbox, body) == 1
    assert invitee.status == "active"


async def test_a_5xx_is_not_resent_before_checking(
    client: CalendlyClient, sandbox: SandboxServer, body: Body
) -> None:
    posts = posts_counter(sandbox)
    error = sandbox.add_fault(
        kind="error", status=500, paths=["/invitees"], methods=["POST"], times=1
    )
    looks = sandbox.add_fault(kind="latency", paths=["/scheduled_events"], methods=["GET"])
    invitee = await _book(client, body)
    assert error.fired == 1
    assert looks.fired >= 1  # checked before sending again
    assert posts.fired == 2
    assert bookings(sandbox, body) == 1
    assert invitee.email == body["invitee"]["email"].lower()


async def test_two_5xx_raise_after_one_resend(
    client: CalendlyClient, sandbox: SandboxServer, body: Body
) -> None:
    posts = posts_counter(sandbox)
    sandbox.add_fault(kind="error", status=503, paths=["/invitees"], methods=["POST"], times=5)
    with pytest.raises(ServerError):
        await _book(client, body)
    assert posts.fired == 2  # the request and one checked resend, never a third
    assert bookings(sandbox, body) == 0


async def test_unreachable_check_raises_booking_unconfirmed(
    client: CalendlyClient, sandbox: SandboxServer, body: Body
) -> None:
    await client.users.me()  # the user is known; the look-up of events then fails
    posts = posts_counter(sandbox)
    sandbox.add_fault(kind="truncate", paths=["/invitees"], methods=["POST"], times=1)
    sandbox.add_fault(kind="error", status=503, paths=["/scheduled_events"], methods=["GET"])
    with pytest.raises(BookingUnconfirmed) as unconfirmed:
        await _book(client, body)
    assert posts.fired == 1
    assert bookings(sandbox, body) == 1  # made, and the caller was told it may be
    assert unconfirmed.value.email == body["invitee"]["email"].lower()
    assert unconfirmed.value.event_type == body["event_type"]
    assert "before booking again" in str(unconfirmed.value)
    assert isinstance(unconfirmed.value.cause, ServerError)


async def test_a_member_who_cannot_see_every_event_is_not_resent(
    client_for: ClientFactory, sandbox: SandboxServer, body: Body
) -> None:
    # A plain member may book a colleague's event type but may not list its events: a lost
    # answer cannot be proved not booked, so the booking is never sent again.
    member = client_for("user")
    posts = posts_counter(sandbox)
    sandbox.add_fault(kind="drop", paths=["/invitees"], methods=["POST"], times=1)
    with pytest.raises(BookingUnconfirmed):
        await _book(member, body)
    assert posts.fired == 0
    assert bookings(sandbox, body) == 0


async def test_the_booking_quota_raises_at_once(
    client: CalendlyClient, sandbox: SandboxServer, body: Body
) -> None:
    await client.users.me()
    past = datetime.now(UTC) - timedelta(days=1)
    for _ in range(10):  # refused bookings count against the quota too
        with pytest.raises(BadRequest):
            await _book(client, body, start_time=past)
    assert client.scheduling.quota.windows[0].remaining == 0
    sent = client.transport.requests_sent
    with pytest.raises(RateLimited) as limited:
        await _book(client, body)
    assert client.transport.requests_sent - sent == 1  # not waited out and sent again
    assert limited.value.retry_after is not None and 1 <= limited.value.retry_after <= 60
    quota = client.scheduling.quota
    assert quota.reported_limit == 10
    assert quota.blocked_for is not None and quota.blocked_for <= 60
    assert quota.remaining == 0 and quota.rate_limited == 1
    assert bookings(sandbox, body) == 0

    # Known blocked: refused without a request.
    with pytest.raises(RateLimited):
        await _book(client, body)
    assert client.transport.requests_sent - sent == 1
    # The general budget is not the Scheduling API's: other requests go on at once.
    assert client.rate_limit().limit == 500
    assert (await client.users.me()).uri
    assert client.transport.requests_sent - sent == 2


async def test_a_general_429_on_booking_raises_at_once(
    client: CalendlyClient, sandbox: SandboxServer, body: Body
) -> None:
    await client.users.me()
    sandbox.add_fault(kind="rate_limit", paths=["/invitees"], methods=["POST"], times=1)
    sent = client.transport.requests_sent
    with pytest.raises(RateLimited) as limited:
        await _book(client, body)
    assert client.transport.requests_sent - sent == 1
    assert limited.value.retry_after is not None and limited.value.retry_after > 0
    # That was the per-user budget (limit 500): the shared budget knows, the quota does not.
    assert client.rate_limit().remaining == 0
    assert client.scheduling.quota.blocked_for is None
