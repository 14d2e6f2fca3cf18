"""Webhook subscriptions: create, list, get, delete; validation, duplicates, scopes and roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from desktop.sandbox import SandboxServer
from tests.sandbox.helpers import Api, assert_not_found, bad_parameters, org_uri

HOOK = "https://hooks.example.org/calendly"


def me(client: httpx.Client) -> str:
    uri: str = client.get("/users/me").json()["resource"]["uri"]
    return uri


def group_uri(sandbox: SandboxServer) -> str:
    assert sandbox.summary is not None
    org = sandbox.summary.organization
    group = sandbox.state.store.find_one("groups", "organization = ?", (org,))
    assert group is not None, "the seed should make groups"
    return f"{sandbox.base_url}/groups/{group['id']}"


def org_hook(sandbox: SandboxServer, **extra: Any) -> dict[str, Any]:
    return {
        "url": HOOK,
        "events": ["invitee.created", "invitee.canceled"],
        "organization": org_uri(sandbox),
        "scope": "organization",
        **extra,
    }


def user_hook(sandbox: SandboxServer, user: str, **extra: Any) -> dict[str, Any]:
    return org_hook(sandbox, scope="user", user=user, **extra)


def denied(response: httpx.Response) -> bool:
    return response.status_code == 403 and response.json()["title"] == "Permission Denied"


def listed(client: httpx.Client, params: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.get("/webhook_subscriptions", params={"count": 100, **params})
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["collection"]
    return rows


# -- happy paths ----------------------------------------------------------------------------
def test_owner_creates_reads_and_lists_an_organization_subscription(
    sandbox: SandboxServer, api: Api, conforms: Callable[[str, Any], None]
) -> None:
    owner = api("owner")
    created = owner.post("/webhook_subscriptions", json=org_hook(sandbox))
    assert created.status_code == 201, created.text
    conforms("webhooks_create-webhook-subscription_Response_201", created.json())
    hook = created.json()["resource"]
    assert hook["callback_url"] == HOOK
    assert hook["events"] == ["invitee.created", "invitee.canceled"]
    assert (hook["scope"], hook["state"]) == ("organization", "active")
    assert hook["organization"] == org_uri(sandbox)
    assert hook["user"] is None and hook["group"] is None and hook["retry_started_at"] is None
    assert hook["creator"] == me(owner)
    assert hook["uri"].startswith(f"{sandbox.base_url}/webhook_subscriptions/")
    fetched = owner.get(hook["uri"])
    assert fetched.status_code == 200
    conforms("webhooks_get-webhook-subscription_Response_200", fetched.json())
    assert fetched.json()["resource"] == hook
    page = owner.get(
        "/webhook_subscriptions", params={"organization": org_uri(sandbox), "scope": "organization"}
    )
    conforms("webhooks_list-webhook-subscriptions_Response_200", page.json())
    assert hook in page.json()["collection"]
    assert all(row["scope"] == "organization" for row in page.json()["collection"])


def test_a_plain_user_subscribes_for_themself(
    sandbox: SandboxServer, api: Api, conforms: Callable[[str, Any], None]
) -> None:
    user = api("user")
    mine = me(user)
    created = user.post(
        "/webhook_subscriptions",
        json=user_hook(sandbox, mine, events=["invitee.created", "meeting_recap.created"]),
    )
    assert created.status_code == 201, created.text
    hook = created.json()["resource"]
    conforms("WebhookSubscription", hook)
    assert (hook["scope"], hook["user"], hook["creator"]) == ("user", mine, mine)
    params = {"organization": org_uri(sandbox), "scope": "user", "user": mine}
    assert hook in listed(user, params)
    assert hook in listed(api("admin"), params)  # admins see everyone's
    assert user.get(hook["uri"]).status_code == 200


def test_an_admin_subscribes_a_group(sandbox: SandboxServer, api: Api) -> None:
    admin = api("admin")
    group = group_uri(sandbox)
    created = admin.post(
        "/webhook_subscriptions", json=org_hook(sandbox, scope="group", group=group)
    )
    assert created.status_code == 201, created.text
    hook = created.json()["resource"]
    assert (hook["scope"], hook["group"], hook["user"]) == ("group", group, None)
    rows = listed(admin, {"organization": org_uri(sandbox), "scope": "group", "group": group})
    assert hook in rows
    assert all(row["group"] == group for row in rows)


def test_delete_then_get_is_not_found(sandbox: SandboxServer, api: Api) -> None:
    owner = api("owner")
    hook = owner.post("/webhook_subscriptions", json=org_hook(sandbox)).json()["resource"]
    assert owner.delete(hook["uri"]).status_code == 204
    gone = owner.get(hook["uri"])
    assert_not_found(gone)
    assert owner.delete(hook["uri"]).status_code == 404
    rows = listed(owner, {"organization": org_uri(sandbox), "scope": "organization"})
    assert hook["uri"] not in [row["uri"] for row in rows]
    # The URL is free again once the old subscription is gone.
    assert owner.post("/webhook_subscriptions", json=org_hook(sandbox)).status_code == 201


def test_the_signing_key_is_never_returned(sandbox: SandboxServer, api: Api) -> None:
    owner = api("owner")
    secret = "whsec-do-not-echo-8c1f"
    created = owner.post("/webhook_subscriptions", json=org_hook(sandbox, signing_key=secret))
    assert created.status_code == 201
    hook = created.json()["resource"]
    responses = [
        created,
        owner.get(hook["uri"]),
        owner.get(
            "/webhook_subscriptions",
            params={"organization": org_uri(sandbox), "scope": "organization", "count": 100},
        ),
    ]
    for response in responses:
        assert secret not in response.text
        assert "signing_key" not in response.text
    stored = sandbox.state.store.get("webhooks", hook["uri"].rsplit("/", 1)[1])
    assert stored is not None and stored["signing_key"] == secret  # kept for signing


# -- validation -----------------------------------------------------------------------------
def test_every_missing_field_is_named_at_once(api: Api) -> None:
    response = api("owner").post("/webhook_subscriptions", json={})
    assert bad_parameters(response) == {"url", "events", "organization", "scope"}


INVALID: list[tuple[dict[str, Any], str]] = [
    ({"url": "ftp://hooks.example.org/x"}, "url"),
    ({"url": "not a url"}, "url"),
    ({"url": "/relative/path"}, "url"),
    ({"url": "https://"}, "url"),
    ({"events": []}, "events"),
    ({"events": "invitee.created"}, "events"),
    ({"events": ["invitee.exploded"]}, "events"),
    ({"events": ["invitee.created", "invitee.created"]}, "events"),
    ({"events": ["event_type.created"]}, "events"),  # absent from the create-body enum
    ({"organization": "acme"}, "organization"),
    ({"organization": "https://api.calendly.com/users/AAAA"}, "organization"),
    ({"scope": "team"}, "scope"),
    ({"scope": "user"}, "user"),
    ({"scope": "user", "user": "nobody"}, "user"),
    ({"scope": "group"}, "group"),
    ({"signing_key": ""}, "signing_key"),
    ({"signing_key": 42}, "signing_key"),
]


def test_each_invalid_field_is_named(sandbox: SandboxServer, api: Api) -> None:
    # One test for all cases: each would otherwise pay for a reseed of the organization.
    owner = api("owner")
    for change, parameter in INVALID:
        response = owner.post("/webhook_subscriptions", json=org_hook(sandbox, **change))
        assert response.status_code == 400, (change, response.text)
        assert bad_parameters(response) == {parameter}, change
    assert sandbox.state.store.count("webhooks", "callback_url = ?", (HOOK,)) == 0


def test_events_must_suit_the_subscription_scope(sandbox: SandboxServer, api: Api) -> None:
    owner = api("owner")
    mine = me(owner)
    routing_for_user = user_hook(sandbox, mine, events=["routing_form_submission.created"])
    response = owner.post("/webhook_subscriptions", json=routing_for_user)
    assert bad_parameters(response) == {"events"}
    assert "organization" in response.json()["details"][0]["message"]
    recap_for_org = org_hook(sandbox, events=["invitee.created", "meeting_recap.updated"])
    response = owner.post("/webhook_subscriptions", json=recap_for_org)
    assert bad_parameters(response) == {"events"}
    assert "meeting_recap.updated" in response.json()["details"][0]["message"]
    recap_for_group = org_hook(
        sandbox, scope="group", group=group_uri(sandbox), events=["meeting_recap.deleted"]
    )
    assert bad_parameters(owner.post("/webhook_subscriptions", json=recap_for_group)) == {"events"}
    ok_org = org_hook(sandbox, events=["routing_form_submission.created", "contact.created"])
    assert owner.post("/webhook_subscriptions", json=ok_org).status_code == 201
    ok_user = user_hook(sandbox, mine, events=["meeting_recap.created", "invitee.canceled"])
    assert owner.post("/webhook_subscriptions", json=ok_user).status_code == 201


def test_malformed_body_is_refused(api: Api) -> None:
    response = api("owner").post(
        "/webhook_subscriptions", content=b"[1, 2]", headers={"content-type": "application/json"}
    )
    assert bad_parameters(response) == {"body"}


def test_the_same_url_twice_for_one_owner_conflicts(sandbox: SandboxServer, api: Api) -> None:
    owner = api("owner")
    assert owner.post("/webhook_subscriptions", json=org_hook(sandbox)).status_code == 201
    again = owner.post(
        "/webhook_subscriptions", json=org_hook(sandbox, events=["invitee_no_show.created"])
    )
    assert again.status_code == 409
    assert again.json() == {
        "title": "Already Exists",
        "message": "Hook with this url already exists",
    }
    # Another owner of the same URL is a different subscription.
    mine = me(owner)
    assert owner.post("/webhook_subscriptions", json=user_hook(sandbox, mine)).status_code == 201
    assert owner.post("/webhook_subscriptions", json=user_hook(sandbox, mine)).status_code == 409
    other_user = me(api("user"))
    assert (
        owner.post("/webhook_subscriptions", json=user_hook(sandbox, other_user)).status_code == 201
    )
    other_url = org_hook(sandbox, url=HOOK + "/v2")
    assert owner.post("/webhook_subscriptions", json=other_url).status_code == 201


# -- permissions ----------------------------------------------------------------------------
def test_plain_users_manage_only_their_own_subscriptions(sandbox: SandboxServer, api: Api) -> None:
    user, owner = api("user"), api("owner")
    assert denied(user.post("/webhook_subscriptions", json=org_hook(sandbox)))
    group_hook = org_hook(sandbox, scope="group", group=group_uri(sandbox))
    assert denied(user.post("/webhook_subscriptions", json=group_hook))
    someone_else = me(api("admin"))
    assert denied(user.post("/webhook_subscriptions", json=user_hook(sandbox, someone_else)))
    assert denied(
        user.get(
            "/webhook_subscriptions",
            params={"organization": org_uri(sandbox), "scope": "organization"},
        )
    )
    assert denied(
        user.get(
            "/webhook_subscriptions",
            params={"organization": org_uri(sandbox), "scope": "user", "user": someone_else},
        )
    )
    org_owned = owner.post("/webhook_subscriptions", json=org_hook(sandbox)).json()["resource"]
    admins_own = owner.post("/webhook_subscriptions", json=user_hook(sandbox, someone_else)).json()[
        "resource"
    ]
    for hook in (org_owned, admins_own):
        assert denied(user.get(hook["uri"]))
        assert denied(user.delete(hook["uri"]))
        assert owner.get(hook["uri"]).status_code == 200  # still there
    mine = user.post("/webhook_subscriptions", json=user_hook(sandbox, me(user)))
    assert mine.status_code == 201
    assert user.delete(mine.json()["resource"]["uri"]).status_code == 204


def test_admins_manage_other_members_subscriptions(sandbox: SandboxServer, api: Api) -> None:
    admin = api("admin")
    member = me(api("user"))
    created = admin.post("/webhook_subscriptions", json=user_hook(sandbox, member))
    assert created.status_code == 201
    assert created.json()["resource"]["user"] == member
    assert created.json()["resource"]["creator"] == me(admin)
    assert admin.delete(created.json()["resource"]["uri"]).status_code == 204


def test_another_organization_is_denied(sandbox: SandboxServer, api: Api) -> None:
    other = f"{sandbox.base_url}/organizations/OTHERORGANIZATN"
    owner = api("owner")
    assert denied(owner.post("/webhook_subscriptions", json=org_hook(sandbox, organization=other)))
    assert denied(
        owner.get("/webhook_subscriptions", params={"organization": other, "scope": "organization"})
    )
    stranger = f"{sandbox.base_url}/users/NOSUCHUSER000000"
    assert (
        owner.post("/webhook_subscriptions", json=user_hook(sandbox, stranger)).status_code == 404
    )


def test_scopes_needed_to_subscribe(sandbox: SandboxServer, api: Api) -> None:
    read_only = api("owner", scopes=["webhooks:read", "scheduled_events:read"])
    refused = read_only.post("/webhook_subscriptions", json=org_hook(sandbox))
    assert refused.status_code == 403
    assert refused.json()["required_scopes"] == ["webhooks:write"]
    # Subscribing to invitee events also needs their read scope.
    blind = api("owner", scopes=["webhooks:write"])
    refused = blind.post("/webhook_subscriptions", json=org_hook(sandbox))
    assert refused.status_code == 403
    assert refused.json()["title"] == "Insufficient scope"
    assert refused.json()["required_scopes"] == ["scheduled_events:read"]
    able = api("owner", scopes=["webhooks:write", "scheduled_events:read"])
    created = able.post("/webhook_subscriptions", json=org_hook(sandbox))
    assert created.status_code == 201
    assert able.get(created.json()["resource"]["uri"]).status_code == 200  # write implies read
    listing = api("owner", scopes=["users:read"]).get(
        "/webhook_subscriptions", params={"organization": org_uri(sandbox), "scope": "organization"}
    )
    assert listing.status_code == 403
    assert listing.json()["required_scopes"] == ["webhooks:read"]


def test_free_plans_cannot_create_webhooks(sandbox: SandboxServer, api: Api) -> None:
    assert sandbox.summary is not None
    org = sandbox.state.store.get("organizations", sandbox.summary.organization)
    assert org is not None
    sandbox.state.store.update("organizations", {**org, "plan": "basic"})
    response = api("owner").post("/webhook_subscriptions", json=org_hook(sandbox))
    assert response.status_code == 403
    assert response.json()["message"] == "Please upgrade your Calendly account to Standard"


# -- listing ------------------------------------------------------------------------------------
def test_list_parameters_are_validated(sandbox: SandboxServer, api: Api) -> None:
    owner = api("owner")
    assert bad_parameters(owner.get("/webhook_subscriptions")) == {"organization", "scope"}
    org = org_uri(sandbox)
    assert bad_parameters(
        owner.get("/webhook_subscriptions", params={"organization": org, "scope": "x"})
    ) == {"scope"}
    needs_user: dict[str, Any] = {"organization": org, "scope": "user", "count": 500}
    assert bad_parameters(owner.get("/webhook_subscriptions", params=needs_user)) == {
        "user",
        "count",
    }
    needs_group = {"organization": org, "scope": "group", "sort": "url:asc"}
    assert bad_parameters(owner.get("/webhook_subscriptions", params=needs_group)) == {
        "group",
        "sort",
    }


def test_list_pages_and_sorts_by_creation(sandbox: SandboxServer, api: Api) -> None:
    owner = api("owner")
    made = []
    for number in range(5):
        body = org_hook(sandbox, url=f"{HOOK}/{number}")
        made.append(owner.post("/webhook_subscriptions", json=body).json()["resource"]["uri"])
        sandbox.advance_clock(1)
    params = {"organization": org_uri(sandbox), "scope": "organization"}
    everything = [row["uri"] for row in listed(owner, params)]
    assert [uri for uri in everything if uri in made] == made  # created_at:asc by default
    walked: list[str] = []
    url: str | None = "/webhook_subscriptions"
    query: dict[str, Any] | None = {**params, "count": 2}
    while url:
        page = owner.get(url, params=query).json()
        assert len(page["collection"]) <= 2
        walked += [row["uri"] for row in page["collection"]]
        url, query = page["pagination"]["next_page"], None
    assert walked == everything
    newest_first = [row["uri"] for row in listed(owner, {**params, "sort": "created_at:desc"})]
    assert newest_first == everything[::-1]
