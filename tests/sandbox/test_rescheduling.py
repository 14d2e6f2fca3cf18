"""Rescheduling (POST /_sandbox/reschedulings): the documented canceled + created pair."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from desktop.sandbox import SandboxServer
from desktop.sandbox.wire import iso
from tests.sandbox.booking_support import (
    event_of,
    event_type,
    one_on_one,
    open_times,
    request_body,
    spread_starts,
)
from tests.sandbox.delivery_support import (
    INVITEE_EVENTS,
    KEY,
    deliveries,
    envelope,
    past_invitee,
    signed_by,
    subscribe,
)
from tests.sandbox.delivery_support import invitee_uri as stored_invitee_uri
from tests.sandbox.helpers import Api, bad_parameters, uri, when
from tests.sandbox.receiver import Receiver, serving

Conforms = Callable[[str, Any], None]
TRACKING = {
    "utm_campaign": "spring",
    "utm_source": "newsletter",
    "utm_medium": None,
    "utm_content": None,
    "utm_term": None,
    "salesforce_uuid": None,
}
OTHER = {"email": "sam@example.net", "name": "Sam Second", "timezone": "Asia/Tokyo"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving() as made:
        yield made


def book(
    client: httpx.Client, sandbox: SandboxServer, record: Any, start: str, **changes: Any
) -> Any:
    """Book through the Scheduling API; the new invitee's wire form."""
    response = client.post("/invitees", json=request_body(sandbox, record, start, **changes))
    assert response.status_code == 201, response.text
    return response.json()["resource"]


def move(control: httpx.Client, invitee: str, start: str, **extra: Any) -> httpx.Response:
    return control.post(
        "/_sandbox/reschedulings", json={"invitee": invitee, "start_time": start, **extra}
    )


def moved(control: httpx.Client, invitee: str, start: str, **extra: Any) -> tuple[Any, Any]:
    """Reschedule (it must succeed); (old invitee, new invitee) as the control route answers."""
    response = move(control, invitee, start, **extra)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"old_invitee", "new_invitee"}
    return body["old_invitee"], body["new_invitee"]


def starts_of(client: httpx.Client, sandbox: SandboxServer, record: Any) -> list[str]:
    return [t["start_time"] for t in open_times(client, sandbox, record, days=31)]


def test_a_reschedule_is_the_canceled_and_created_pair(
    sandbox: SandboxServer, api: Api, control: httpx.Client, conforms: Conforms
) -> None:
    client = api("admin")
    record = event_type(sandbox, lambda r: one_on_one(r) and bool(r["custom_questions"]))
    first, second = spread_starts(client, sandbox, record, 2)
    booked = book(
        client, sandbox, record, first, tracking=TRACKING, event_guests=["guest@example.org"]
    )
    old, new = moved(control, booked["uri"], second, reason="A clash came up")
    conforms("Invitee", old)
    conforms("Invitee", new)

    # The old invitee: canceled by the invitee, rescheduled, pointing at the new one.
    assert old["uri"] == booked["uri"]
    assert old["status"] == "canceled"
    assert old["rescheduled"] is True
    assert old["new_invitee"] == new["uri"]
    assert old["old_invitee"] is None
    assert old["cancellation"]["canceler_type"] == "invitee"
    assert old["cancellation"]["canceled_by"] == booked["name"]
    assert old["cancellation"]["reason"] == "A clash came up"
    assert client.get(old["uri"]).json()["resource"] == old
    # ... and its new_invitee resolves to the new invitee.
    assert client.get(old["new_invitee"]).json()["resource"] == new

    # The new invitee: active, pointing back, the same person, answers and tracking.
    assert new["status"] == "active"
    assert new["old_invitee"] == old["uri"]
    assert new["rescheduled"] is False and new["new_invitee"] is None
    assert "cancellation" not in new
    for key in ("email", "name", "first_name", "last_name", "timezone", "text_reminder_number"):
        assert new[key] == booked[key], key
    for key in ("questions_and_answers", "tracking", "scheduling_method", "invitee_scheduled_by"):
        assert new[key] == booked[key], key
    assert new["tracking"]["utm_campaign"] == "spring"
    assert new["scheduling_method"] == "api"

    # On a new event of the same event type at the new time; the old event is canceled.
    assert new["event"] != old["event"]
    event = client.get(event_of(sandbox, new)).json()["resource"]
    assert event["status"] == "active"
    assert event["event_type"] == uri(sandbox, "event_types", record["id"])
    assert when(event["start_time"]) == when(second)
    assert when(event["end_time"]) - when(second) == timedelta(minutes=record["duration"])
    assert event["invitees_counter"] == {"total": 1, "active": 1, "limit": 1}
    assert [g["email"] for g in event["event_guests"]] == ["guest@example.org"]
    before = client.get(event_of(sandbox, old)).json()["resource"]
    assert before["status"] == "canceled"
    assert before["cancellation"]["canceler_type"] == "invitee"
    assert before["cancellation"]["reason"] == "A clash came up"
    assert when(before["start_time"]) == when(first)


def test_the_old_slot_reopens_and_the_new_one_closes(
    sandbox: SandboxServer, api: Api, control: httpx.Client
) -> None:
    client = api("owner")
    record = event_type(sandbox, one_on_one)
    first, second = spread_starts(client, sandbox, record, 2)
    booked = book(client, sandbox, record, first)
    offered = starts_of(client, sandbox, record)
    assert first not in offered and second in offered
    moved(control, booked["uri"], second)
    offered = starts_of(client, sandbox, record)
    assert first in offered
    assert second not in offered


def test_the_invitee_may_move_into_time_their_own_booking_holds(
    sandbox: SandboxServer, api: Api, control: httpx.Client
) -> None:
    """The new time is checked without the invitee's current booking (module docstring)."""
    client = api("owner")
    record = event_type(sandbox, lambda r: one_on_one(r) and r["duration"] >= 60)
    offered = starts_of(client, sandbox, record)
    step = timedelta(minutes=30)
    later = {when(s): s for s in offered}
    start = next(s for s in offered if when(s) + step in later)
    overlapping = later[when(start) + step]
    booked = book(client, sandbox, record, start)
    assert overlapping not in starts_of(client, sandbox, record)  # the booking overlaps it
    _, new = moved(control, booked["uri"], overlapping)
    event = client.get(event_of(sandbox, new)).json()["resource"]
    assert when(event["start_time"]) == when(overlapping)
    assert client.get(event_of(sandbox, booked)).json()["resource"]["status"] == "canceled"


def test_a_group_session_stays_active_while_others_attend(
    sandbox: SandboxServer, api: Api, control: httpx.Client
) -> None:
    client = api("owner")
    record = event_type(sandbox, lambda r: r["kind"] == "group")
    limit = record["invitee_limit"]
    times = open_times(client, sandbox, record, 31)
    fresh = [t["start_time"] for t in times if t["invitees_remaining"] == limit]
    start = fresh[0]
    pat = book(client, sandbox, record, start)
    sam = book(client, sandbox, record, start, invitee=OTHER)
    assert pat["event"] == sam["event"]
    times = open_times(client, sandbox, record, 31)
    target = next(t for t in times if t["start_time"] != start)

    old, new = moved(control, pat["uri"], target["start_time"])
    assert old["status"] == "canceled" and old["rescheduled"] is True
    session = client.get(event_of(sandbox, old)).json()["resource"]
    assert session["status"] == "active"
    assert "cancellation" not in session
    assert session["invitees_counter"] == {"total": 2, "active": 1, "limit": limit}
    assert client.get(sam["uri"]).json()["resource"]["status"] == "active"
    # The new invitee sits in the session at the new time (joining any already booked).
    event = client.get(event_of(sandbox, new)).json()["resource"]
    assert event["uri"] != session["uri"]
    assert when(event["start_time"]) == when(target["start_time"])
    assert event["invitees_counter"]["active"] == limit - target["invitees_remaining"] + 1
    remaining = {
        t["start_time"]: t["invitees_remaining"] for t in open_times(client, sandbox, record, 31)
    }
    assert remaining[start] == limit - 1
    assert remaining.get(target["start_time"], 0) == target["invitees_remaining"] - 1


def test_refusals_name_the_field_and_change_nothing(
    sandbox: SandboxServer, api: Api, control: httpx.Client
) -> None:
    client = api("owner")
    record = event_type(sandbox, one_on_one)
    first, second = spread_starts(client, sandbox, record, 2)
    booked = book(client, sandbox, record, first)
    book(client, sandbox, record, second, invitee=OTHER)  # someone else takes the second slot

    assert bad_parameters(move(control, booked["uri"], second)) == {"start_time"}
    off_grid = iso(when(first) + timedelta(days=3, minutes=7))
    assert bad_parameters(move(control, booked["uri"], off_grid)) == {"start_time"}
    earlier = iso(sandbox.state.clock.now() - timedelta(hours=1))
    assert bad_parameters(move(control, booked["uri"], earlier)) == {"start_time"}
    assert bad_parameters(move(control, booked["uri"], first)) == {"start_time"}
    # Nothing changed: the invitee is still booked at the first time.
    again = client.get(booked["uri"]).json()["resource"]
    assert again["status"] == "active" and again["new_invitee"] is None
    assert client.get(event_of(sandbox, booked)).json()["resource"]["status"] == "active"
    assert first not in starts_of(client, sandbox, record)

    # The request's own fields.
    empty = control.post("/_sandbox/reschedulings", json={})
    assert bad_parameters(empty) == {"invitee", "start_time"}
    wrong = move(control, "not-a-uri", "soon", reason=5)
    assert bad_parameters(wrong) == {"invitee", "start_time", "reason"}
    unknown = f"{sandbox.base_url}/scheduled_events/NOPE/invitees/nope"
    gone = move(control, unknown, second)
    assert gone.status_code == 404
    assert gone.json()["title"] == "Resource Not Found"

    # A past event's invitee, and an invitee already canceled by a reschedule.
    past = stored_invitee_uri(sandbox, past_invitee(sandbox))
    assert bad_parameters(move(control, past, second)) == {"invitee"}
    free = [s for s in starts_of(client, sandbox, record) if s != first]
    old, _ = moved(control, booked["uri"], free[0])
    assert bad_parameters(move(control, old["uri"], free[1])) == {"invitee"}


def test_webhooks_deliver_canceled_then_created(
    sandbox: SandboxServer, api: Api, control: httpx.Client, receiver: Receiver, conforms: Conforms
) -> None:
    client = api("owner")
    record = event_type(sandbox, one_on_one)
    first, second = spread_starts(client, sandbox, record, 2)
    booked = book(client, sandbox, record, first)
    hook = subscribe(client, sandbox, receiver.url(), INVITEE_EVENTS)  # org scope, signing key
    old, new = moved(control, booked["uri"], second, reason="Moved by webhook test")

    got = receiver.wait_for(2)
    assert len(got) == 2
    assert all(signed_by(received, KEY) for received in got)
    bodies = {envelope(received)["event"]: envelope(received) for received in got}
    assert set(bodies) == {"invitee.canceled", "invitee.created"}
    # Published (and queued) in that order: the cancellation first.
    assert [d["event"] for d in deliveries(sandbox, hook)] == [
        "invitee.canceled",
        "invitee.created",
    ]

    canceled = bodies["invitee.canceled"]["payload"]
    conforms("InviteePayload", canceled)
    assert canceled["uri"] == old["uri"]
    assert canceled["status"] == "canceled"
    assert canceled["rescheduled"] is True
    assert canceled["new_invitee"] == new["uri"]
    assert canceled["cancellation"]["canceler_type"] == "invitee"
    assert canceled["cancellation"]["reason"] == "Moved by webhook test"
    assert canceled["scheduled_event"]["status"] == "canceled"
    assert when(canceled["scheduled_event"]["start_time"]) == when(first)

    created = bodies["invitee.created"]["payload"]
    conforms("InviteePayload", created)
    assert created["uri"] == new["uri"]
    assert created["status"] == "active"
    assert created["old_invitee"] == old["uri"]
    assert created["rescheduled"] is False
    assert created["scheduled_event"]["status"] == "active"
    assert when(created["scheduled_event"]["start_time"]) == when(second)
