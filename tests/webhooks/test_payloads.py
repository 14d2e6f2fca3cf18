"""Test deliveries: Calendly's sample, or built from records the same as a real delivery.

The sandbox's own renderers (``desktop.sandbox.delivery.payloads``, the code its dispatcher
sends real deliveries with) are the reference a built payload must equal.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from desktop.api import CalendlyClient
from desktop.domain.routing_forms import RoutingFormSubmission
from desktop.domain.uris import uuid_of
from desktop.domain.webhooks import InviteePayload
from desktop.sandbox import SandboxServer
from desktop.sandbox.delivery import payloads as sandbox_payloads
from desktop.sandbox.render import routing as sandbox_routing
from desktop.webhooks.payloads import (
    OFFERED,
    RESCHEDULE,
    Delivery,
    PayloadUnavailable,
    Target,
    from_records,
    prepare,
    reschedule_pair,
    serialise,
)
from tests.sandbox.delivery_support import upcoming_event
from tests.sandbox.receiver import Receiver, serving

ClientFor = Callable[..., CalendlyClient]
ENVELOPE_KEYS = ["event", "created_at", "created_by", "payload"]
SAMPLED = [event for event in OFFERED if event != RESCHEDULE]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving() as made:
        yield made


def target_for(event: str, organization: str, me: str) -> Target:
    """Meeting recaps exist only for user scope (facts §6.1); the rest for the organization."""
    if event.startswith("meeting_recap."):
        return Target(organization, "user", user=me)
    return Target(organization)


def envelope(delivery: Delivery) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(delivery.body)
    assert list(value) == ENVELOPE_KEYS
    assert delivery.body == serialise(value)  # compact UTF-8 JSON, as sent
    return value


def stored_invitee(sandbox: SandboxServer, uri: str | None) -> dict[str, Any]:
    assert uri is not None
    record = sandbox.state.store.get("invitees", uuid_of(uri))
    assert record is not None
    return record


def lone_invitee(sandbox: SandboxServer) -> str:
    """The URI of the invitee of an upcoming event that has only one."""
    event = upcoming_event(sandbox, single=True)
    invitee = sandbox.state.store.find_one("invitees", "event = ?", (event["id"],))
    assert invitee is not None
    return sandbox.state.uris.invitee(event["id"], invitee["id"])


def sandbox_invitee_payload(sandbox: SandboxServer, uri: str | None) -> dict[str, Any]:
    """The payload the sandbox's dispatcher sends for this invitee."""
    body = sandbox_payloads.invitee_payload(sandbox.state, stored_invitee(sandbox, uri))
    assert body is not None
    return body


# -- Calendly's sample ---------------------------------------------------------------------
@pytest.mark.asyncio
@pytest.mark.parametrize("event", SAMPLED)
async def test_every_offered_event_comes_from_calendlys_sample(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str, event: str
) -> None:
    sandbox.state.clock.freeze()  # samples of deletions say "deleted now"
    me = (await client.users.me()).uri
    (delivery,) = await prepare(client, event, target_for(event, organization_uri, me))
    assert delivery.event == event
    assert delivery.source == f"Calendly's sample of {event} (GET /sample_webhook_data)."
    body = envelope(delivery)
    assert body["event"] == event and body["created_by"] == me
    # The payload is the sample's, untouched.
    sample = await client.webhooks.sample(
        event=event,  # type: ignore[arg-type]
        **vars_of(target_for(event, organization_uri, me)),
    )
    assert body["payload"] == sample.payload_json()
    decoded = delivery.envelope().decode_payload()
    if event.startswith("invitee"):
        assert isinstance(decoded, InviteePayload)
        assert body["payload"]["uri"] == delivery.subject
    if event == "routing_form_submission.created":
        assert isinstance(decoded, RoutingFormSubmission)


def vars_of(target: Target) -> dict[str, Any]:
    return {
        "organization": target.organization,
        "scope": target.scope,
        "user": target.user,
        "group": target.group,
    }


@pytest.mark.asyncio
async def test_created_by_is_the_subscriptions_creator(
    client_for: ClientFor, organization_uri: str
) -> None:
    admin = client_for("admin")
    hook = await admin.webhooks.create(
        url="https://receiver.example/hooks",
        events=["invitee.created"],
        organization=organization_uri,
        scope="organization",
    )
    owner = client_for("owner")
    (delivery,) = await prepare(owner, "invitee.created", Target.of(hook))
    assert envelope(delivery)["created_by"] == hook.creator == (await admin.users.me()).uri


# -- built from records --------------------------------------------------------------------
@pytest.mark.asyncio
@pytest.mark.parametrize(
    "event", ["invitee.created", "invitee.canceled", "invitee_no_show.created"]
)
async def test_a_built_invitee_payload_is_the_one_calendly_sends(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str, event: str
) -> None:
    now = sandbox.state.clock.now()
    delivery = await from_records(client, event, Target(organization_uri), now=now)
    assert delivery.source.startswith("Built from invitee ")
    assert "for this test" not in delivery.source  # the seed has a real record of each kind
    body = envelope(delivery)
    assert body["event"] == event
    assert body["created_by"] == (await client.users.me()).uri
    assert body["payload"] == sandbox_invitee_payload(sandbox, delivery.subject)
    expected_status = "canceled" if event == "invitee.canceled" else "active"
    assert body["payload"]["status"] == expected_status
    if event == "invitee_no_show.created":
        assert body["payload"]["no_show"] is not None
    assert isinstance(delivery.envelope().decode_payload(), InviteePayload)


@pytest.mark.asyncio
async def test_a_built_payload_matches_a_real_delivery_of_the_same_invitee(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str, receiver: Receiver
) -> None:
    await client.webhooks.create(
        url=receiver.url(),
        events=["invitee.canceled"],
        organization=organization_uri,
        scope="organization",
    )
    event = upcoming_event(sandbox, single=True)
    await client.scheduled_events.cancel(event["id"], reason="Webhook test")
    (received,) = await asyncio.to_thread(receiver.wait_for, 1)
    real = json.loads(received.body)

    built = await from_records(
        client,
        "invitee.canceled",
        Target(organization_uri),
        record=real["payload"]["uri"],
        now=sandbox.state.clock.now(),
    )
    body = envelope(built)
    assert list(body) == list(real)
    assert body["created_by"] == real["created_by"]
    assert body["payload"] == real["payload"]
    assert list(body["payload"]) == list(real["payload"])  # same keys, same order


@pytest.mark.asyncio
async def test_a_built_routing_form_submission_is_the_one_calendly_sends(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    delivery = await from_records(
        client, "routing_form_submission.created", Target(organization_uri)
    )
    body = envelope(delivery)
    assert delivery.subject is not None
    record = sandbox.state.store.get("routing_submissions", uuid_of(delivery.subject))
    assert record is not None
    assert body["payload"] == sandbox_routing.submission(sandbox.state, record)
    assert isinstance(delivery.envelope().decode_payload(), RoutingFormSubmission)


@pytest.mark.asyncio
async def test_a_users_scope_builds_from_that_users_events(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    host = sandbox.state.store.find_one("memberships", "role = 'user'")
    assert host is not None
    user = sandbox.state.uris.user(host["user"])
    target = Target(organization_uri, "user", user=user)
    delivery = await from_records(client, "invitee.created", target)
    hosts = [
        m["user"] for m in envelope(delivery)["payload"]["scheduled_event"]["event_memberships"]
    ]
    assert user in hosts


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [403, 404])
async def test_without_the_sample_endpoint_deliveries_are_built(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str, status: int
) -> None:
    sandbox.add_fault(kind="error", paths=["/sample_webhook_data"], status=status)
    for event in ("invitee.created", "invitee.canceled", "routing_form_submission.created"):
        (delivery,) = await prepare(client, event, Target(organization_uri))
        assert delivery.source.startswith("Built from"), delivery.source
        assert envelope(delivery)["event"] == event
        delivery.envelope().decode_payload()


@pytest.mark.asyncio
async def test_an_event_only_calendly_can_sample_says_why_it_is_unavailable(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    sandbox.add_fault(kind="error", paths=["/sample_webhook_data"], status=404)
    with pytest.raises(PayloadUnavailable, match=r"contact\.created"):
        await prepare(client, "contact.created", Target(organization_uri))


@pytest.mark.asyncio
async def test_a_picked_record_of_another_kind_is_refused(
    client: CalendlyClient, organization_uri: str
) -> None:
    event_type = f"{client.base_url}/event_types/ABC"
    with pytest.raises(PayloadUnavailable, match="not an invitee"):
        await prepare(client, "invitee.created", Target(organization_uri), record=event_type)
    with pytest.raises(PayloadUnavailable, match="not a routing form submission"):
        await prepare(
            client, "routing_form_submission.created", Target(organization_uri), record=event_type
        )


@pytest.mark.asyncio
async def test_a_picked_record_elsewhere_is_refused_before_anything_is_asked(
    client: CalendlyClient, organization_uri: str
) -> None:
    target = Target(organization_uri)
    elsewhere = "https://api.calendly.com/scheduled_events/AAA/invitees/BBB"
    with pytest.raises(PayloadUnavailable, match=f"starts with {client.base_url}/"):
        await prepare(client, "invitee.created", target, record=elsewhere)
    with pytest.raises(PayloadUnavailable, match="is not a record of this organization"):
        await prepare(client, "reschedule", target, record=elsewhere)
    submission = "https://evil.example/routing_form_submissions/CCC"
    with pytest.raises(PayloadUnavailable, match="is not a record of this organization"):
        await prepare(client, "routing_form_submission.created", target, record=submission)


# -- adapted records -----------------------------------------------------------------------
@pytest.mark.asyncio
async def test_an_active_invitee_picked_for_a_cancellation_is_canceled_for_the_test(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    uri = lone_invitee(sandbox)
    delivery = await from_records(client, "invitee.canceled", Target(organization_uri), record=uri)
    assert delivery.source.endswith("marked canceled for this test.")
    payload = envelope(delivery)["payload"]
    real = sandbox_invitee_payload(sandbox, uri)
    assert set(payload) == set(real) | {"cancellation"}
    assert payload["status"] == "canceled"
    assert payload["cancellation"]["canceler_type"] == "invitee"
    # The only invitee canceled: so is the event, as Calendly does.
    assert payload["scheduled_event"]["status"] == "canceled"
    assert payload["scheduled_event"]["cancellation"] == payload["cancellation"]
    assert payload["scheduled_event"]["invitees_counter"]["active"] == 0
    assert isinstance(delivery.envelope().decode_payload(), InviteePayload)
    # Nothing was canceled for real.
    assert stored_invitee(sandbox, uri)["status"] == "active"


@pytest.mark.asyncio
async def test_a_no_show_is_marked_for_the_test_when_the_invitee_has_none(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    uri = lone_invitee(sandbox)
    delivery = await from_records(
        client, "invitee_no_show.created", Target(organization_uri), record=uri
    )
    payload = envelope(delivery)["payload"]
    assert payload["no_show"]["uri"].startswith(f"{client.base_url}/invitee_no_shows/")
    assert delivery.source.endswith("marked as a no-show for this test.")
    assert set(payload) == set(sandbox_invitee_payload(sandbox, uri))


# -- reschedules ---------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_a_reschedule_is_the_real_canceled_and_created_pair(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    first, second = await prepare(client, RESCHEDULE, Target(organization_uri))
    old, new = envelope(first), envelope(second)
    assert (old["event"], new["event"]) == ("invitee.canceled", "invitee.created")
    assert "made up" not in first.source
    assert old["payload"]["status"] == "canceled"
    assert old["payload"]["rescheduled"] is True
    assert old["payload"]["new_invitee"] == new["payload"]["uri"]
    assert new["payload"]["old_invitee"] == old["payload"]["uri"]
    assert new["payload"]["status"] == "active"
    assert old["payload"] == sandbox_invitee_payload(sandbox, first.subject)
    assert new["payload"] == sandbox_invitee_payload(sandbox, second.subject)
    for delivery in (first, second):
        assert isinstance(delivery.envelope().decode_payload(), InviteePayload)


@pytest.mark.asyncio
async def test_either_half_of_a_real_pair_can_be_picked(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    canceled = sandbox.state.store.find("invitees", "status = 'canceled'")
    moved = next(record for record in canceled if record.get("new_invitee"))
    old_uri = sandbox.state.uris.invitee(moved["event"], moved["id"])
    new_record = stored_invitee(sandbox, str(moved["new_invitee"]))
    new_uri = sandbox.state.uris.invitee(new_record["event"], new_record["id"])
    for picked in (old_uri, new_uri):
        first, second = await reschedule_pair(client, Target(organization_uri), record=picked)
        assert (first.subject, second.subject) == (old_uri, new_uri)


@pytest.mark.asyncio
async def test_a_reschedule_of_an_invitee_never_moved_is_made_for_the_test(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    uri = lone_invitee(sandbox)
    now = sandbox.state.clock.now()
    first, second = await reschedule_pair(client, Target(organization_uri), record=uri, now=now)
    assert "made up" in first.source
    old, new = envelope(first)["payload"], envelope(second)["payload"]
    real = sandbox_invitee_payload(sandbox, uri)
    assert set(old) == set(real) | {"cancellation"}
    assert set(new) == set(real)
    assert set(new["scheduled_event"]) == set(real["scheduled_event"])
    assert old["uri"] == uri and old["status"] == "canceled" and old["rescheduled"] is True
    assert old["new_invitee"] == new["uri"] != uri
    assert new["old_invitee"] == uri and new["status"] == "active"
    assert new["event"] == new["scheduled_event"]["uri"] != old["event"]
    assert new["uri"].startswith(new["event"] + "/invitees/")
    assert new["email"] == old["email"]
    for delivery in (first, second):
        assert isinstance(delivery.envelope().decode_payload(), InviteePayload)
