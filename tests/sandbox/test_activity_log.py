"""``GET /activity_log_entries``: the seeded history, what the API records, filters, search."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from itertools import pairwise
from typing import Any

from desktop.sandbox import SandboxServer
from desktop.sandbox.wire import iso
from tests.sandbox.helpers import (
    OTHER_EMAIL,
    Api,
    add_other_organization,
    all_pages,
    bad_parameters,
    denied_with,
    org_id,
    org_uri,
    uri,
    user_uri,
)

URL = "/activity_log_entries"
NO_ACCESS = "You do not have permission to access this resource."


def entries(sandbox: SandboxServer, where: str = "1", params: tuple[Any, ...] = ()) -> list[Any]:
    return sandbox.state.store.find(
        "activity_log", f"organization = ? AND {where}", (org_id(sandbox), *params)
    )


def listing(api: Api, sandbox: SandboxServer, **params: Any) -> dict[str, Any]:
    response = api("owner").get(URL, params={"organization": org_uri(sandbox), **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def search(api: Api, sandbox: SandboxServer, term: str) -> list[dict[str, Any]]:
    query = {"organization": org_uri(sandbox), "search_term": term, "count": 100}
    return all_pages(api("owner"), URL, query)


# -- the list ---------------------------------------------------------------------------------
def test_newest_first_with_totals_and_entry_shape(sandbox: SandboxServer, api: Api) -> None:
    body = listing(api, sandbox, count=30)
    stored = entries(sandbox)
    assert len(stored) > 100
    assert body["total_count"] == len(stored) and body["exceeds_max_total_count"] is False
    items = body["collection"]
    assert len(items) == body["pagination"]["count"] == 30
    stamps = [e["occurred_at"] for e in items]
    assert stamps == sorted(stamps, reverse=True)
    assert stamps[0] == max(r["occurred_at"] for r in stored) == body["last_event_time"]
    first = items[0]
    record = next(r for r in stored if uri(sandbox, URL.strip("/"), r["id"]) == first["uri"])
    assert first["fully_qualified_name"] == f"{record['namespace']}.{record['action']}"
    assert first["organization"] == org_uri(sandbox)
    assert first["actor"] == {
        "uri": user_uri(sandbox, record["actor"]),
        "type": "User",
        "organization": {"uri": org_uri(sandbox), "role": record["actor_role"]},
        "display_name": record["actor_name"],
        "alternative_identifier": record["actor_email"],
    }
    assert first["details"] == record["details"]
    assert Counter(r["namespace"] for r in stored).keys() >= {"User", "Invitation", "Webhook"}


def test_pages_cover_every_entry_once_and_go_back(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    query: dict[str, Any] = {
        "organization": org_uri(sandbox),
        "namespace": ["User", "EventType"],
        "count": 40,
    }
    walked = all_pages(client, URL, query, check_count=True, check_last_token=True)
    expected = entries(sandbox, "namespace IN ('User', 'EventType')")
    assert sorted(e["uri"] for e in walked) == sorted(
        uri(sandbox, "activity_log_entries", r["id"]) for r in expected
    )
    first = client.get(URL, params=query).json()
    second = client.get(first["pagination"]["next_page"]).json()
    assert "namespace=User&namespace=EventType" in first["pagination"]["next_page"]
    assert second["total_count"] == first["total_count"] == len(expected)
    back = client.get(second["pagination"]["previous_page"]).json()
    assert back["collection"] == first["collection"]
    assert first["pagination"]["previous_page"] is None


def test_actor_namespace_and_action_filters(sandbox: SandboxServer, api: Api) -> None:
    logins = entries(sandbox, "action = 'Login'")
    actors = sorted({r["actor"] for r in logins})[:2]
    body = listing(
        api,
        sandbox,
        actor=[user_uri(sandbox, a) for a in actors],
        namespace="User",
        action=["Login", "Add"],
        count=100,
    )
    expected = [
        r
        for r in entries(sandbox, "namespace = 'User' AND action IN ('Login', 'Add')")
        if r["actor"] in actors
    ]
    assert body["total_count"] == len(expected) > 0
    assert {e["actor"]["uri"] for e in body["collection"]} <= {user_uri(sandbox, a) for a in actors}
    assert {e["action"] for e in body["collection"]} <= {"Login", "Add"}
    empty = listing(api, sandbox, action="NoSuchAction")
    assert empty["collection"] == [] and empty["total_count"] == 0
    assert empty["last_event_time"] is None


def test_sort_by_several_fields(sandbox: SandboxServer, api: Api) -> None:
    body = listing(api, sandbox, sort=["namespace:asc", "occurred_at:asc"], count=100)
    keys = [(e["namespace"], e["occurred_at"]) for e in body["collection"]]
    assert keys == sorted(keys)
    by_name = listing(api, sandbox, sort="actor.display_name:desc,action:asc", count=100)
    pairs = [(e["actor"]["display_name"], e["action"]) for e in by_name["collection"]]
    names = [name for name, _ in pairs]
    assert names == sorted(names, reverse=True)
    assert all(a[1] <= b[1] for a, b in pairwise(pairs) if a[0] == b[0])


def test_occurred_at_window_is_half_open(sandbox: SandboxServer, api: Api) -> None:
    stored = sorted(entries(sandbox), key=lambda r: r["occurred_at"])
    low, high = stored[10]["occurred_at"], stored[40]["occurred_at"]
    body = listing(api, sandbox, min_occurred_at=low, max_occurred_at=high, count=100)
    expected = [r for r in stored if low <= r["occurred_at"] < high]
    assert body["total_count"] == len(expected)
    assert {e["occurred_at"] for e in body["collection"]} == {r["occurred_at"] for r in expected}


# -- search -----------------------------------------------------------------------------------
def test_search_plain_terms_exclusion_and_or(sandbox: SandboxServer, api: Api) -> None:
    found = search(api, sandbox, "Login")
    assert {e["fully_qualified_name"] for e in found} == {"User.Login"}
    assert len(found) == len(entries(sandbox, "action = 'Login'"))
    others = search(api, sandbox, "user -login")
    assert others and all(e["action"] != "Login" for e in others)
    assert {e["namespace"] for e in search(api, sandbox, "Invitation | Webhook")} == {
        "Invitation",
        "Webhook",
    }
    both = search(api, sandbox, "webhook + create")
    assert both and {e["fully_qualified_name"] for e in both} == {"Webhook.Create"}
    grouped = search(api, sandbox, "(webhook + create) OR (invitation + send)")
    assert {e["fully_qualified_name"] for e in grouped} == {"Webhook.Create", "Invitation.Send"}


def test_search_exact_phrase_and_prefixes(sandbox: SandboxServer, api: Api) -> None:
    added = entries(sandbox, "action = 'Add'")[0]
    email = added["details"]["email"]
    exact = search(api, sandbox, f'"{email}"')
    assert exact and all(
        e["actor"]["alternative_identifier"] == email or email in e["details"].values()
        for e in exact
    )
    name = added["actor_name"]
    by_name = search(api, sandbox, f'"{name}"')
    # by them, or about them (the words of an address are searched too)
    assert by_name and all(
        e["actor"]["display_name"] == name or added["actor_email"] in e["details"].values()
        for e in by_name
    )
    assert any(e["actor"]["display_name"] != name for e in search(api, sandbox, "user"))
    assert {e["namespace"] for e in search(api, sandbox, "Invitation.*")} == {"Invitation"}
    prefixed = search(api, sandbox, "Invit*")  # also "invitee.created" in webhooks' events
    assert {e["fully_qualified_name"] for e in prefixed} >= {"Invitation.Send", "Webhook.Create"}
    assert all(e["namespace"] != "Webhook" or e["details"].get("events") for e in prefixed)
    domain = email.split("@", 1)[1]
    everyone = search(api, sandbox, f"*@{domain}")
    assert len(everyone) == len(entries(sandbox))  # every actor's address is on the domain
    assert search(api, sandbox, "-") == search(api, sandbox, "()") == everyone


# -- what the API records ---------------------------------------------------------------------
def test_api_actions_are_logged(sandbox: SandboxServer, api: Api) -> None:
    owner = api("owner")
    store = sandbox.state.store
    before = max(r["occurred_at"] for r in entries(sandbox))
    member = store.find_one("memberships", "role = 'user'")
    assert member is not None
    assert owner.delete(f"/organization_memberships/{member['id']}").status_code == 204
    invited = owner.post(
        f"/organizations/{org_id(sandbox)}/invitations", json={"email": "new.hire@elsewhere.test"}
    )
    assert invited.status_code == 201
    hook = owner.post(
        "/webhook_subscriptions",
        json={
            "url": "https://receiver.example/audit",
            "events": ["invitee.created"],
            "organization": org_uri(sandbox),
            "scope": "organization",
        },
    ).json()["resource"]
    assert owner.delete(hook["uri"]).status_code == 204
    newest = listing(api, sandbox, count=4)["collection"]
    assert [e["fully_qualified_name"] for e in newest] == [
        "Webhook.Delete",
        "Webhook.Create",
        "Invitation.Send",
        "User.Remove",
    ]
    me = owner.get("/users/me").json()["resource"]
    assert {e["actor"]["uri"] for e in newest} == {me["uri"]}
    assert newest[3]["details"] == {"email": member["email"], "role": "user"}
    assert newest[2]["details"] == {"email": "new.hire@elsewhere.test"}
    assert newest[0]["details"]["callback_url"] == "https://receiver.example/audit"
    now = iso(sandbox.state.clock.now())
    assert all(before <= e["occurred_at"] <= now for e in newest)
    found = search(api, sandbox, '"new.hire@elsewhere.test"')
    assert [e["fully_qualified_name"] for e in found] == ["Invitation.Send"]


# -- errors -------------------------------------------------------------------------------------
def test_parameters_are_validated_together(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    assert bad_parameters(client.get(URL)) == {"organization"}
    now = sandbox.state.clock.now()
    query: dict[str, Any] = {
        "organization": org_uri(sandbox),
        "sort": ["occurred_at:desc", "color:asc"],
        "actor": [user_uri(sandbox, "X"), "not-a-uri"],
        "count": 101,
        "search_term": "x" * 301,
        "namespace": "User Management",
        "min_occurred_at": iso(now),
        "max_occurred_at": iso(now - timedelta(days=1)),
    }
    assert bad_parameters(client.get(URL, params=query)) == {
        "sort",
        "actor",
        "count",
        "search_term",
        "namespace",
        "max_occurred_at",
    }
    assert bad_parameters(
        client.get(URL, params={"organization": org_uri(sandbox), "min_occurred_at": "soon"})
    ) == {"min_occurred_at"}


def test_only_enterprise_owners_and_admins(sandbox: SandboxServer, api: Api) -> None:
    query = {"organization": org_uri(sandbox)}
    denied_with(api("user").get(URL, params=query), NO_ACCESS)
    assert api("admin").get(URL, params=query).status_code == 200
    other = add_other_organization(sandbox)
    own = {"organization": uri(sandbox, "organizations", other["org"]["id"])}
    denied_with(api("owner").get(URL, params=own), NO_ACCESS)
    denied_with(
        api(OTHER_EMAIL).get(URL, params=own), "Please upgrade your Calendly account to Enterprise."
    )
    scoped = api("owner", scopes=["organizations:read"]).get(URL, params=query)
    assert scoped.status_code == 403 and scoped.json()["required_scopes"] == ["activity_log:read"]
    assert api("owner", scopes=["activity_log:read"]).get(URL, params=query).status_code == 200
