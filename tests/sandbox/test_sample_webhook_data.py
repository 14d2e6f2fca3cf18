"""``GET /sample_webhook_data``: a WebhookPayload from the organization's own records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from desktop.sandbox import SandboxServer
from tests.sandbox.helpers import (
    OTHER_EMAIL,
    Api,
    add_other_organization,
    bad_parameters,
    denied_with,
    group_uri,
    org_uri,
    plain_client,
    user_uri,
)

Conforms = Callable[[str, Any], None]
URL = "/sample_webhook_data"


def _query(
    sandbox: SandboxServer, event: str, scope: str = "organization", **more: str
) -> dict[str, str]:
    return {"event": event, "organization": org_uri(sandbox), "scope": scope, **more}


def _sample(client: httpx.Client, params: dict[str, str]) -> dict[str, Any]:
    response = client.get(URL, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert list(body) == ["event", "created_at", "created_by", "payload"]
    assert body["event"] == params["event"]
    return body


def test_an_invitee_sample_is_the_latest_invitee(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    body = _sample(client, _query(sandbox, "invitee.created"))
    me = client.get("/users/me").json()["resource"]
    assert body["created_by"] == me["uri"]
    payload = body["payload"]
    latest = sandbox.state.store.find(
        "invitees",
        "status = 'active'",
        order="created_at DESC, id DESC",
        limit=1,
    )[0]
    assert payload["uri"].endswith(f"/invitees/{latest['id']}")
    shown = client.get(payload["uri"]).json()["resource"]
    assert {k: v for k, v in payload.items() if k != "scheduled_event"} == shown
    assert payload["scheduled_event"]["uri"] == payload["event"]


@pytest.mark.parametrize(
    ("event", "check"),
    [
        ("invitee.canceled", lambda p: p["status"] == "canceled" and p["cancellation"]),
        ("invitee_no_show.created", lambda p: p["no_show"] is not None),
        ("invitee_no_show.deleted", lambda p: p["no_show"] is not None),
        ("event_type.created", lambda p: "/event_types/" in p["uri"] and "profile" in p),
        ("event_type.deleted", lambda p: p["deleted_at"] is not None),
    ],
)
def test_each_event_samples_a_fitting_record(
    sandbox: SandboxServer, api: Api, event: str, check: Callable[[dict[str, Any]], Any]
) -> None:
    payload = _sample(api("owner"), _query(sandbox, event))["payload"]
    assert check(payload), payload


def test_a_routing_sample_is_the_latest_submission(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    payload = _sample(client, _query(sandbox, "routing_form_submission.created"))["payload"]
    assert payload == client.get(payload["uri"]).json()["resource"]
    latest = sandbox.state.store.find(
        "routing_submissions", order="created_at DESC, id DESC", limit=1
    )[0]
    assert payload["uri"].endswith(f"/routing_form_submissions/{latest['id']}")


def test_contact_and_meeting_recap_samples_match_their_schemas(
    sandbox: SandboxServer, api: Api, conforms: Conforms
) -> None:
    # S2 gives contact.created and contact.updated the same schema, so a WebhookPayload
    # ``oneOf`` cannot tell them apart: these are checked against their own schemas.
    token = sandbox.token_for("owner")
    owner = sandbox.summary.owner if sandbox.summary else ""
    with plain_client(sandbox.base_url, token) as client:
        for event, schema in [
            ("contact.created", "ContactCreatedWebhookPayload"),
            ("contact.updated", "ContactUpdatedWebhookPayload"),
            ("contact.deleted", "ContactDeletedWebhookPayload"),
        ]:
            conforms(schema, _sample(client, _query(sandbox, event))["payload"])
        for event, schema in [
            ("meeting_recap.created", "MeetingRecapCreatedWebhookPayload"),
            ("meeting_recap.updated", "MeetingRecapUpdatedWebhookPayload"),
            ("meeting_recap.deleted", "MeetingRecapDeletedWebhookPayload"),
        ]:
            query = _query(sandbox, event, "user", user=user_uri(sandbox, owner))
            payload = _sample(client, query)["payload"]
            conforms(schema, payload)
            assert payload["event"]["uri"].startswith(f"{sandbox.base_url}/scheduled_events/")


def test_user_and_group_scope_sample_their_own_events(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    host = store.find("event_hosts", order="start_time DESC", limit=1)[0]["user"]
    client = api("owner")
    query = _query(sandbox, "invitee.created", "user", user=user_uri(sandbox, host))
    payload = _sample(client, query)["payload"]
    hosts = [m["user"] for m in payload["scheduled_event"]["event_memberships"]]
    assert user_uri(sandbox, host) in hosts

    group = sandbox.summary.groups[0] if sandbox.summary else ""
    members = set(
        store.scalars(
            "SELECT m.user FROM memberships m JOIN group_relationships g ON g.owner = m.id "
            "WHERE g.group_id = ? AND g.owner_type = 'membership'",
            (group,),
        )
    )
    query = _query(sandbox, "invitee.created", "group", group=group_uri(sandbox, group))
    payload = _sample(client, query)["payload"]
    hosts = [m["user"] for m in payload["scheduled_event"]["event_memberships"]]
    assert {user_uri(sandbox, u) for u in members} & set(hosts)


def test_parameters_are_validated(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    assert bad_parameters(client.get(URL)) == {"event", "organization", "scope"}
    assert bad_parameters(client.get(URL, params=_query(sandbox, "invitee.moved"))) == {"event"}
    assert bad_parameters(client.get(URL, params=_query(sandbox, "invitee.created", "team"))) == {
        "scope"
    }
    assert bad_parameters(client.get(URL, params=_query(sandbox, "invitee.created", "user"))) == {
        "user"
    }
    assert bad_parameters(client.get(URL, params=_query(sandbox, "invitee.created", "group"))) == {
        "group"
    }
    routing = _query(
        sandbox, "routing_form_submission.created", "user", user=user_uri(sandbox, "X")
    )
    assert bad_parameters(client.get(URL, params=routing)) == {"scope"}
    bad_org = {**_query(sandbox, "invitee.created"), "organization": "not-a-uri"}
    assert bad_parameters(client.get(URL, params=bad_org)) == {"organization"}


def test_permissions_follow_the_subscription_listing(sandbox: SandboxServer, api: Api) -> None:
    user = api("user")
    me = user.get("/users/me").json()["resource"]
    denied_with(
        user.get(URL, params=_query(sandbox, "invitee.created")), "You do not have permission"
    )
    own = _query(sandbox, "invitee.created", "user", user=me["uri"])
    hosted = sandbox.state.store.count("event_hosts", "user = ?", (me["uri"].rsplit("/", 1)[1],))
    assert user.get(URL, params=own).status_code == (200 if hosted else 404)
    owner = sandbox.summary.owner if sandbox.summary else ""
    other = _query(sandbox, "invitee.created", "user", user=user_uri(sandbox, owner))
    denied_with(user.get(URL, params=other), "You do not have permission")
    foreign = {
        **_query(sandbox, "invitee.created"),
        "organization": f"{sandbox.base_url}/organizations/FOREIGNORG000000",
    }
    assert api("owner").get(URL, params=foreign).status_code == 403
    scoped = api("owner", scopes=["users:read"]).get(URL, params=_query(sandbox, "invitee.created"))
    assert scoped.status_code == 403
    assert scoped.json()["title"] == "Insufficient scope"
    assert scoped.json()["required_scopes"] == ["webhooks:read"]


def test_an_organization_with_no_records_has_no_sample(sandbox: SandboxServer, api: Api) -> None:
    other = add_other_organization(sandbox)
    client = api(OTHER_EMAIL)
    query = {
        "event": "invitee.created",
        "organization": f"{sandbox.base_url}/organizations/{other['org']['id']}",
        "scope": "organization",
    }
    response = client.get(URL, params=query)
    assert response.status_code == 404
    assert response.json()["title"] == "Resource Not Found"
