"""What the webhook delivery tests share: subscribing, causing each fact, checking signatures.

The signature check here is written from Calendly's documentation (facts §6.3) with hashlib
and hmac directly, independent of the sandbox's own ``delivery.signing``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso
from tests.sandbox.helpers import first_host_has_role, org_uri, user_uri
from tests.sandbox.receiver import Received

KEY = "whsec-sandbox-test-key"
SIGNATURE = "Calendly-Webhook-Signature"
INVITEE_EVENTS = ["invitee.created", "invitee.canceled"]
NO_SHOW_EVENTS = ["invitee_no_show.created", "invitee_no_show.deleted"]


# -- subscriptions -----------------------------------------------------------------------------
def subscribe(
    client: httpx.Client,
    sandbox: SandboxServer,
    url: str,
    events: list[str],
    scope: str = "organization",
    *,
    user: str | None = None,
    group: str | None = None,
    key: str | None = KEY,
) -> dict[str, Any]:
    """Create a subscription through the API; its wire form."""
    body: dict[str, Any] = {
        "url": url,
        "events": events,
        "organization": org_uri(sandbox),
        "scope": scope,
    }
    if user is not None:
        body["user"] = user_uri(sandbox, user)
    if group is not None:
        body["group"] = f"{sandbox.base_url}/groups/{group}"
    if key is not None:
        body["signing_key"] = key
    response = client.post("/webhook_subscriptions", json=body)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()["resource"]
    return made


def ident(resource: dict[str, Any]) -> str:
    """The id at the end of a resource URI."""
    return str(resource["uri"]).rsplit("/", 1)[1]


def hook_of(client: httpx.Client, hook: dict[str, Any]) -> httpx.Response:
    """GET the subscription again."""
    return client.get(f"/webhook_subscriptions/{ident(hook)}")


def deliveries(sandbox: SandboxServer, hook: dict[str, Any]) -> list[Record]:
    """The stored deliveries of a subscription (made synchronously when a fact is published)."""
    return sandbox.state.store.find("webhook_deliveries", "webhook = ?", (ident(hook),), "id")


# -- facts -------------------------------------------------------------------------------------
def upcoming_event(
    sandbox: SandboxServer, role: str | None = None, *, single: bool = False
) -> Record:
    """An active event that has not started, with active invitees (exactly one if ``single``),
    hosted by a ``role`` member (any member when None)."""
    store = sandbox.state.store
    now = iso(sandbox.state.clock.now())
    for event in store.find(
        "scheduled_events", "status = 'active' AND start_time > ?", (now,), "start_time"
    ):
        count = store.count("invitees", "event = ? AND status = 'active'", (event["id"],))
        if (count == 1 or (count and not single)) and first_host_has_role(sandbox, event, role):
            return event
    raise AssertionError("the seed has no upcoming event with invitees")


def active_invitees(sandbox: SandboxServer, event: Record) -> list[Record]:
    return sandbox.state.store.find(
        "invitees", "event = ? AND status = 'active'", (event["id"],), "id"
    )


def cancel(client: httpx.Client, event: Record, reason: str = "Webhook test") -> None:
    response = client.post(f"/scheduled_events/{event['id']}/cancellation", json={"reason": reason})
    assert response.status_code == 201, response.text


def past_invitee(sandbox: SandboxServer) -> Record:
    """An active invitee of an active event that has started, not marked as a no-show."""
    store = sandbox.state.store
    now = iso(sandbox.state.clock.now())
    for event in store.find(
        "scheduled_events", "status = 'active' AND start_time < ?", (now,), "start_time DESC"
    ):
        for invitee in active_invitees(sandbox, event):
            if invitee.get("no_show") is None:
                return invitee
    raise AssertionError("the seed has no past invitee to mark as a no-show")


def invitee_uri(sandbox: SandboxServer, invitee: Record) -> str:
    return f"{sandbox.base_url}/scheduled_events/{invitee['event']}/invitees/{invitee['id']}"


def submit_form(control: httpx.Client, sandbox: SandboxServer) -> dict[str, Any]:
    """Submit the organization's first published routing form through the control surface."""
    form = sandbox.state.store.find_one("routing_forms", "1")
    assert form is not None and form["status"] == "published"
    answers: dict[str, str] = {}
    for question in form["questions"]:
        if not question.get("required"):
            continue
        kind = question["type"]
        if question.get("answer_choices"):
            answers[question["name"]] = question["answer_choices"][0]
        elif kind == "email":
            answers[question["name"]] = "router@example.com"
        elif kind == "phone":
            answers[question["name"]] = "+1 415 555 0100"
        else:
            answers[question["name"]] = "Robin Router"
    response = control.post(
        "/_sandbox/routing_submissions", json={"form": form["id"], "answers": answers}
    )
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()["resource"]
    return made


# -- what arrived --------------------------------------------------------------------------------
def envelope(received: Received) -> dict[str, Any]:
    assert received.header("Content-Type") == "application/json"
    value: dict[str, Any] = json.loads(received.body)
    return value


def signature_parts(header: str) -> tuple[int, str]:
    """``t`` and ``v1`` of a ``Calendly-Webhook-Signature`` header."""
    parts = dict(part.split("=", 1) for part in header.split(","))
    assert set(parts) == {"t", "v1"}, header
    return int(parts["t"]), parts["v1"]


def expected_signature(key: str, timestamp: int, body: bytes) -> str:
    """Calendly's documented scheme, computed here on its own: HMAC-SHA256 of "t.body"."""
    signed = f"{timestamp}.".encode() + body
    return hmac.new(key.encode(), signed, hashlib.sha256).hexdigest()


def signed_by(received: Received, key: str, body: bytes | None = None) -> bool:
    """Whether the delivery's signature header signs ``body`` (default: what arrived)."""
    header = received.header(SIGNATURE)
    assert header is not None, "the delivery is not signed"
    timestamp, given = signature_parts(header)
    raw = received.body if body is None else body
    return hmac.compare_digest(expected_signature(key, timestamp, raw), given)
