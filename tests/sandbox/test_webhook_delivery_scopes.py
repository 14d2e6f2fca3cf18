"""Which subscriptions a fact goes to: organization, user and group scope; nothing to the rest."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso
from tests.sandbox.delivery_support import (
    active_invitees,
    cancel,
    deliveries,
    envelope,
    ident,
    submit_form,
    subscribe,
    upcoming_event,
)
from tests.sandbox.helpers import (
    OTHER_ORG,
    Api,
    add_other_organization,
    group_record,
    org_id,
    relationship_record,
)
from tests.sandbox.receiver import Receiver, serving

CANCELED = ["invitee.canceled"]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving() as made:
        yield made


def _membership(sandbox: SandboxServer, user_id: str) -> Record:
    found = sandbox.state.store.find_one("memberships", "user = ?", (user_id,))
    assert found is not None
    return found


def _group_of(sandbox: SandboxServer, ident_: str, membership: Record) -> str:
    """A new group whose one member (a membership-owned relationship) is ``membership``."""
    moment = iso(sandbox.state.clock.now())
    store = sandbox.state.store
    store.insert("groups", group_record(ident_, org_id(sandbox), f"Group {ident_}", moment))
    store.insert(
        "group_relationships",
        relationship_record(
            f"REL{ident_}",
            org_id(sandbox),
            ident_,
            "membership",
            membership["id"],
            "member",
            moment,
        ),
    )
    return ident_


def _raw_hook(sandbox: SandboxServer, ident_: str, **fields: object) -> Record:
    """A subscription row put straight into the store (shapes the API refuses to create)."""
    moment = iso(sandbox.state.clock.now())
    record: Record = {
        "id": ident_,
        "organization": org_id(sandbox),
        "scope": "organization",
        "user": None,
        "group_id": None,
        "callback_url": "http://127.0.0.1:9/unused",
        "events": CANCELED,
        "state": "active",
        "retry_started_at": None,
        "creator": sandbox.summary.owner if sandbox.summary else None,
        "signing_key": None,
        "created_at": moment,
        "updated_at": moment,
        **fields,
    }
    sandbox.state.store.insert("webhooks", record)
    return record


def test_each_scope_gets_the_facts_of_its_events_only(
    sandbox: SandboxServer, api: Api, receiver: Receiver
) -> None:
    client = api("owner")
    event = upcoming_event(sandbox)
    host = event["hosts"][0]
    members = sandbox.state.store.find("memberships", "organization = ?", (org_id(sandbox),))
    other = next(m for m in members if m["user"] not in event["hosts"])
    with_host = _group_of(sandbox, "GROUPWITHHOST001", _membership(sandbox, host))
    without = _group_of(sandbox, "GROUPWITHOUT0001", other)

    def hook(
        path: str,
        events: list[str] = CANCELED,
        scope: str = "organization",
        user: str | None = None,
        group: str | None = None,
    ) -> dict[str, Any]:
        url = receiver.url(path)
        return subscribe(client, sandbox, url, events, scope, user=user, group=group)

    getting = {
        "/org": hook("/org"),
        "/user-host": hook("/user-host", scope="user", user=host),
        "/group-host": hook("/group-host", scope="group", group=with_host),
    }
    missing = {
        "/user-other": hook("/user-other", scope="user", user=other["user"]),
        "/group-other": hook("/group-other", scope="group", group=without),
        "/org-created-only": hook("/org-created-only", ["invitee.created"]),
        "/org-disabled": hook("/org-disabled"),
    }
    disabled = sandbox.state.store.get("webhooks", ident(missing["/org-disabled"]))
    assert disabled is not None
    sandbox.state.store.update("webhooks", {**disabled, "state": "disabled"})
    add_other_organization(sandbox)
    foreign = _raw_hook(sandbox, "FOREIGNHOOK00001", organization=OTHER_ORG)

    people = active_invitees(sandbox, event)
    cancel(client, event)

    # Matching is decided when the fact is published: nothing is queued for the others.
    for made in missing.values():
        assert deliveries(sandbox, made) == []
    assert sandbox.state.store.count("webhook_deliveries", "webhook = ?", (foreign["id"],)) == 0
    for path, made in getting.items():
        assert len(deliveries(sandbox, made)) == len(people)
        arrived = receiver.wait_for(len(people), path)
        assert {envelope(r)["event"] for r in arrived} == {"invitee.canceled"}
    assert {r.path for r in receiver.received()} == set(getting)


def test_routing_form_submissions_go_to_organization_scope_only(
    sandbox: SandboxServer, api: Api, control: httpx.Client, receiver: Receiver
) -> None:
    client = api("owner")
    event = ["routing_form_submission.created"]
    made = subscribe(client, sandbox, receiver.url("/org"), event)
    owner = sandbox.summary.owner if sandbox.summary else None
    user_hook = _raw_hook(sandbox, "USERROUTINGHOOK1", scope="user", user=owner, events=event)
    submit_form(control, sandbox)
    assert len(deliveries(sandbox, made)) == 1
    assert sandbox.state.store.count("webhook_deliveries", "webhook = ?", (user_hook["id"],)) == 0
    assert envelope(receiver.wait_for(1, "/org")[0])["event"] == event[0]


def test_a_user_subscription_stops_when_the_user_leaves(
    sandbox: SandboxServer, api: Api, receiver: Receiver
) -> None:
    client = api("owner")
    event = upcoming_event(sandbox, "user")
    host = event["hosts"][0]
    made = subscribe(client, sandbox, receiver.url("/user"), CANCELED, "user", user=host)
    org_hook = subscribe(client, sandbox, receiver.url("/org"), CANCELED)
    removed = client.delete(f"/organization_memberships/{_membership(sandbox, host)['id']}")
    assert removed.status_code == 204, removed.text
    people = active_invitees(sandbox, event)
    cancel(client, event)
    assert deliveries(sandbox, made) == []
    assert len(deliveries(sandbox, org_hook)) == len(people)
    receiver.wait_for(len(people), "/org")
    assert receiver.received("/user") == []
