"""Webhook deliveries reach a real receiver signed, in Calendly's envelope, for every event kind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from desktop.sandbox import SandboxServer
from desktop.sandbox.delivery import signing
from desktop.sandbox.wire import parse_time
from tests.sandbox.booking_support import event_type, first_open, one_on_one, request_body
from tests.sandbox.delivery_support import (
    INVITEE_EVENTS,
    KEY,
    NO_SHOW_EVENTS,
    SIGNATURE,
    active_invitees,
    cancel,
    envelope,
    ident,
    invitee_uri,
    past_invitee,
    signature_parts,
    signed_by,
    submit_form,
    subscribe,
    upcoming_event,
)
from tests.sandbox.helpers import Api
from tests.sandbox.receiver import Receiver, serving, wait_until

Conforms = Callable[[str, Any], None]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving() as made:
        yield made


def test_a_cancellation_is_delivered_signed(
    sandbox: SandboxServer, api: Api, receiver: Receiver, conforms: Conforms
) -> None:
    client = api("owner")
    owner = client.get("/users/me").json()["resource"]
    hook = subscribe(client, sandbox, receiver.url(), INVITEE_EVENTS)
    event = upcoming_event(sandbox)
    people = active_invitees(sandbox, event)
    cancel(client, event, reason="Double-booked")

    got = receiver.wait_for(len(people))
    assert len(got) == len(people)
    for received in got:
        assert received.method == "POST"
        assert received.path == "/hooks/calendly"
        assert signed_by(received, KEY)
        sent_at, _ = signature_parts(received.header(SIGNATURE) or "")
        now = sandbox.state.clock.now().timestamp()
        assert now - 60 < sent_at <= now + 1  # unix seconds of the sandbox clock
        body = envelope(received)
        conforms("WebhookPayload", body)
        conforms("InviteePayload", body["payload"])
        assert list(body) == ["event", "created_at", "created_by", "payload"]
        assert body["event"] == "invitee.canceled"
        assert body["created_by"] == owner["uri"] == hook["creator"]
        payload = body["payload"]
        assert payload["status"] == "canceled"
        assert payload["cancellation"]["reason"] == "Double-booked"
        assert payload["event"] == f"{sandbox.base_url}/scheduled_events/{event['id']}"
        assert payload["scheduled_event"]["uri"] == payload["event"]
        assert payload["scheduled_event"]["status"] == "canceled"
        assert payload["scheduled_event"]["cancellation"]["reason"] == "Double-booked"
        # The payload's invitee is the invitee as the API now shows it.
        shown = client.get(payload["uri"]).json()["resource"]
        assert {k: v for k, v in payload.items() if k != "scheduled_event"} == shown
    assert {envelope(r)["payload"]["uri"] for r in got} == {
        invitee_uri(sandbox, person) for person in people
    }


def test_a_tampered_body_or_another_key_fails_verification(
    sandbox: SandboxServer, api: Api, receiver: Receiver
) -> None:
    client = api("owner")
    subscribe(client, sandbox, receiver.url(), ["invitee.canceled"])
    cancel(client, upcoming_event(sandbox, single=True))
    received = receiver.wait_for(1)[0]
    header = received.header(SIGNATURE)
    assert signed_by(received, KEY)
    tampered = received.body.replace(b'"canceled"', b'"active"', 1)
    assert tampered != received.body
    assert not signed_by(received, KEY, body=tampered)
    assert not signed_by(received, "another-key")
    # The sandbox's own helpers (which the app's receiver may use) agree.
    stamp, _ = signature_parts(header or "")
    assert signing.verify(KEY, header, received.body, now=stamp)
    assert not signing.verify(KEY, header, tampered, now=stamp)
    assert not signing.verify(KEY, header, received.body, now=stamp + 181)  # too old


def test_without_a_signing_key_deliveries_are_unsigned(
    sandbox: SandboxServer, api: Api, receiver: Receiver
) -> None:
    client = api("owner")
    subscribe(client, sandbox, receiver.url(), ["invitee.canceled"], key=None)
    cancel(client, upcoming_event(sandbox, single=True))
    received = receiver.wait_for(1)[0]
    assert received.header(SIGNATURE) is None
    assert envelope(received)["event"] == "invitee.canceled"


def test_no_show_marks_are_delivered(
    sandbox: SandboxServer, api: Api, receiver: Receiver, conforms: Conforms
) -> None:
    client = api("owner")
    subscribe(client, sandbox, receiver.url(), NO_SHOW_EVENTS)
    invitee = past_invitee(sandbox)
    made = client.post("/invitee_no_shows", json={"invitee": invitee_uri(sandbox, invitee)})
    assert made.status_code == 201, made.text
    mark = made.json()["resource"]
    first = receiver.wait_for(1)[0]
    assert client.delete(f"/invitee_no_shows/{ident(mark)}").status_code == 204
    second = receiver.wait_for(2)[1]

    created, deleted = envelope(first), envelope(second)
    assert [created["event"], deleted["event"]] == NO_SHOW_EVENTS
    for body in (created, deleted):
        conforms("InviteePayload", body["payload"])
        assert body["payload"]["uri"] == invitee_uri(sandbox, invitee)
        assert body["payload"]["scheduled_event"]["uri"] == body["payload"]["event"]
        # Both name the mark: created as made, deleted as it was before it went.
        assert body["payload"]["no_show"] == {"uri": mark["uri"], "created_at": mark["created_at"]}
    assert signed_by(first, KEY) and signed_by(second, KEY)


def test_a_routing_form_submission_is_delivered(
    sandbox: SandboxServer, api: Api, control: httpx.Client, receiver: Receiver
) -> None:
    client = api("owner")
    subscribe(client, sandbox, receiver.url(), ["routing_form_submission.created"])
    submission = submit_form(control, sandbox)
    received = receiver.wait_for(1)[0]
    body = envelope(received)
    assert body["event"] == "routing_form_submission.created"
    assert body["payload"] == client.get(submission["uri"]).json()["resource"]
    assert signed_by(received, KEY)


def test_a_booking_through_the_scheduling_api_is_delivered(
    sandbox: SandboxServer, api: Api, receiver: Receiver, conforms: Conforms
) -> None:
    client = api("admin")
    subscribe(api("owner"), sandbox, receiver.url(), ["invitee.created"])
    record = event_type(sandbox, one_on_one)
    booked = client.post(
        "/invitees", json=request_body(sandbox, record, first_open(client, sandbox, record))
    )
    assert booked.status_code == 201, booked.text
    invitee = booked.json()["resource"]
    received = receiver.wait_for(1)[0]
    body = envelope(received)
    conforms("InviteePayload", body["payload"])
    assert body["event"] == "invitee.created"
    assert {k: v for k, v in body["payload"].items() if k != "scheduled_event"} == invitee
    event = client.get(invitee["event"]).json()["resource"]
    assert body["payload"]["scheduled_event"]["status"] == "active"
    assert body["payload"]["scheduled_event"]["start_time"] == event["start_time"]
    assert [m["user"] for m in body["payload"]["scheduled_event"]["event_memberships"]] == [
        m["user"] for m in event["event_memberships"]
    ]


def test_a_published_invitee_created_is_delivered(
    sandbox: SandboxServer, api: Api, receiver: Receiver
) -> None:
    client = api("owner")
    subscribe(client, sandbox, receiver.url(), ["invitee.created"])
    invitee = active_invitees(sandbox, upcoming_event(sandbox))[0]
    organization = sandbox.summary.organization if sandbox.summary else ""
    sandbox.state.bus.publish("invitee.created", organization, invitee)
    body = envelope(receiver.wait_for(1)[0])
    assert body["event"] == "invitee.created"
    assert body["payload"]["uri"] == invitee_uri(sandbox, invitee)
    assert body["payload"]["status"] == "active"


def test_attempts_on_the_control_surface_match_what_the_receiver_got(
    sandbox: SandboxServer, api: Api, control: httpx.Client, receiver: Receiver
) -> None:
    client = api("owner")
    hook = subscribe(client, sandbox, receiver.url(), ["invitee.canceled"])
    other = subscribe(client, sandbox, receiver.url("/other"), ["invitee.created"])
    cancel(client, upcoming_event(sandbox, single=True))
    received = receiver.wait_for(1)[0]

    def listed() -> list[dict[str, Any]]:
        found = control.get("/_sandbox/webhook_attempts", params={"webhook": hook["uri"]})
        assert found.status_code == 200, found.text
        collection: list[dict[str, Any]] = found.json()["collection"]
        return collection

    attempt = wait_until(listed, what="the attempt on the control surface")[0]
    assert attempt["webhook"] == hook["uri"]
    assert attempt["url"] == receiver.url()
    assert attempt["event"] == "invitee.canceled"
    assert attempt["attempt"] == 1
    assert attempt["status"] == 200
    assert attempt["succeeded"] is True
    assert attempt["error"] is None
    assert attempt["request_body"].encode() == received.body  # byte for byte
    sent = {k.lower(): v for k, v in attempt["request_headers"].items()}
    assert sent == {k.lower(): v for k, v in received.headers}
    assert parse_time(attempt["created_at"], "created_at") <= sandbox.state.clock.now()
    # Filters: by id as well as URI, by event; the other subscription has none.
    assert control.get("/_sandbox/webhook_attempts", params={"webhook": ident(hook)}).json()[
        "collection"
    ] == [attempt]
    assert not control.get(
        "/_sandbox/webhook_attempts", params={"webhook": ident(hook), "event": "invitee.created"}
    ).json()["collection"]
    assert not sandbox.dispatcher.attempts(other["uri"])
    # The Python API reads the same records; the delivery is done.
    assert [a["id"] for a in sandbox.dispatcher.attempts(hook["uri"])] == [attempt["id"]]
    deliveries = control.get("/_sandbox/webhook_deliveries", params={"webhook": hook["uri"]})
    [delivery] = deliveries.json()["collection"]
    assert delivery["state"] == "delivered"
    assert delivery["attempts"] == 1
    assert delivery["body"] == attempt["request_body"]
    bad = control.get("/_sandbox/webhook_attempts", params={"webhook": "https://x/users/1"})
    assert bad.status_code == 400
    assert bad.json()["details"][0]["parameter"] == "webhook"


def test_a_test_send_delivers_a_sample_once(
    sandbox: SandboxServer, api: Api, control: httpx.Client, receiver: Receiver
) -> None:
    client = api("owner")
    hook = subscribe(client, sandbox, receiver.url(), ["invitee.created", "invitee.canceled"])
    receiver.answer(500)
    sent = control.post(
        f"/_sandbox/webhooks/{ident(hook)}/test", json={"event": "invitee.canceled"}
    )
    assert sent.status_code == 201, sent.text
    result = sent.json()
    received = receiver.wait_for(1)[0]
    assert result["attempt"]["status"] == 500
    assert result["attempt"]["request_body"].encode() == received.body
    assert result["delivery"]["state"] == "failed"  # a test is sent once, never retried
    assert envelope(received)["event"] == "invitee.canceled"
    assert envelope(received)["payload"]["status"] == "canceled"
    assert signed_by(received, KEY)
    # It leaves the subscription's retry state alone.
    assert client.get(hook["uri"]).json()["resource"]["retry_started_at"] is None
    again = control.post(f"/_sandbox/webhooks/{ident(hook)}/test")
    assert again.json()["attempt"]["status"] == 200
    assert envelope(receiver.wait_for(2)[1])["event"] == "invitee.created"  # its first event
    assert control.post("/_sandbox/webhooks/NOSUCHTHING00000/test").status_code == 404


def test_signing_helpers_follow_the_documented_scheme() -> None:
    body = b'{"event":"invitee.created"}'
    header = signing.sign("key", 1492774577, body)
    stamp, digest = signature_parts(header)
    assert stamp == 1492774577
    assert len(digest) == 64 and digest == digest.lower()
    assert signing.verify("key", header, body)
    assert signing.verify("key", f"t={stamp},v1={'0' * 64},v1={digest}", body)  # lenient
    assert not signing.verify("key", header, body + b" ")
    assert not signing.verify("key", None, body)
    assert not signing.verify("key", "v1=abc", body)
