"""Organization memberships: listing, filters, pages, permissions and removing a member."""

from __future__ import annotations

from typing import Any

import httpx

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso
from tests.sandbox.helpers import (
    MEMBERSHIP_KEYS,
    Api,
    add_other_organization,
    all_pages,
    assert_denied,
    assert_not_found,
    bad_parameters,
    denied_with,
    group_record,
    membership_uri,
    org_uri,
    relationship_record,
    uri,
    user_uri,
)

USER_KEYS = {
    "uri",
    "name",
    "slug",
    "email",
    "scheduling_url",
    "timezone",
    "avatar_url",
    "locale",
    "created_at",
    "updated_at",
}


def membership_of(sandbox: SandboxServer, user_id: str) -> Record:
    found = sandbox.state.store.find_one("memberships", "user = ?", (user_id,))
    assert found is not None
    return found


def every_member(client: httpx.Client, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every membership the list gives, page by page, each page counted and the last closed."""
    return all_pages(
        client, "/organization_memberships", params, check_count=True, check_last_token=True
    )


# -- listing ---------------------------------------------------------------------------------


def test_list_by_organization_returns_every_member_with_the_user_embedded(
    sandbox: SandboxServer, api: Api
) -> None:
    response = api("user").get(
        "/organization_memberships", params={"organization": org_uri(sandbox), "count": 100}
    )
    assert response.status_code == 200
    body = response.json()
    assert sandbox.summary is not None
    members = sandbox.state.store.find(
        "memberships", "organization = ?", (sandbox.summary.organization,)
    )
    assert len(body["collection"]) == len(members) == 25
    assert body["pagination"] == {
        "count": 25,
        "next_page": None,
        "previous_page": None,
        "next_page_token": None,
        "previous_page_token": None,
    }
    by_uri = {membership_uri(sandbox, m["id"]): m for m in members}
    for item in body["collection"]:
        assert set(item) == MEMBERSHIP_KEYS
        assert set(item["user"]) == USER_KEYS
        record = by_uri[item["uri"]]
        assert item["role"] == record["role"]
        assert item["organization"] == org_uri(sandbox)
        assert item["user"]["uri"] == user_uri(sandbox, record["user"])
        assert item["user"]["email"] == record["email"]


def test_list_by_user_finds_my_membership_and_organization(
    sandbox: SandboxServer, api: Api
) -> None:
    client = api("admin")
    me = client.get("/users/me").json()["resource"]
    response = client.get("/organization_memberships", params={"user": me["uri"]})
    assert response.status_code == 200
    [item] = response.json()["collection"]
    assert item["user"]["uri"] == me["uri"]
    assert item["role"] == "admin"
    assert item["organization"] == me["current_organization"] == org_uri(sandbox)


def test_role_filter_returns_exactly_that_role(sandbox: SandboxServer, api: Api) -> None:
    assert sandbox.summary is not None
    client = api("user")
    expected = {
        "owner": {sandbox.summary.owner},
        "admin": set(sandbox.summary.admins),
        "user": set(sandbox.summary.users),
    }
    for role, user_ids in expected.items():
        items = every_member(client, {"organization": org_uri(sandbox), "role": role, "count": 100})
        assert {item["user"]["uri"].rsplit("/", 1)[1] for item in items} == user_ids
        assert {item["role"] for item in items} == {role}


def test_email_filter_matches_one_member_case_insensitively(
    sandbox: SandboxServer, api: Api
) -> None:
    assert sandbox.summary is not None
    target = membership_of(sandbox, sandbox.summary.users[4])
    response = api("user").get(
        "/organization_memberships",
        params={"organization": org_uri(sandbox), "email": target["email"].upper()},
    )
    assert response.status_code == 200
    [item] = response.json()["collection"]
    assert item["uri"] == membership_uri(sandbox, target["id"])
    none = api("user").get(
        "/organization_memberships",
        params={"organization": org_uri(sandbox), "email": "nobody@acme.example"},
    )
    assert none.status_code == 200
    assert none.json()["collection"] == []


def test_pages_of_three_cover_everyone_once_in_a_stable_order(
    sandbox: SandboxServer, api: Api
) -> None:
    client = api("owner")
    whole = client.get(
        "/organization_memberships", params={"organization": org_uri(sandbox), "count": 100}
    ).json()["collection"]
    paged = every_member(client, {"organization": org_uri(sandbox), "count": 3})
    uris = [item["uri"] for item in paged]
    assert len(uris) == len(set(uris)) == 25
    assert uris == [item["uri"] for item in whole]
    # The previous page of the second page is the first page again.
    first = client.get(
        "/organization_memberships", params={"organization": org_uri(sandbox), "count": 3}
    ).json()
    assert first["pagination"]["previous_page"] is None
    second = client.get(first["pagination"]["next_page"]).json()
    back = client.get(second["pagination"]["previous_page"]).json()
    assert [i["uri"] for i in back["collection"]] == [i["uri"] for i in first["collection"]]


# -- validation ------------------------------------------------------------------------------


def test_organization_or_user_is_required(api: Api) -> None:
    response = api("owner").get("/organization_memberships")
    assert bad_parameters(response, check_message=True) == {"organization", "user"}


def test_every_malformed_filter_is_named_in_one_answer(api: Api) -> None:
    response = api("owner").get(
        "/organization_memberships",
        params={"organization": "acme", "user": "nobody", "role": "boss", "email": "not-an-email"},
    )
    assert bad_parameters(response, check_message=True) == {"organization", "user", "role", "email"}


def test_count_out_of_range_is_invalid(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    for count in ("0", "101", "many"):
        response = client.get(
            "/organization_memberships", params={"organization": org_uri(sandbox), "count": count}
        )
        assert bad_parameters(response, check_message=True) == {"count"}, count


def test_a_garbled_page_token_is_invalid(sandbox: SandboxServer, api: Api) -> None:
    response = api("owner").get(
        "/organization_memberships",
        params={"organization": org_uri(sandbox), "page_token": "!!garbage!!"},
    )
    assert bad_parameters(response, check_message=True) == {"page_token"}


# -- permissions -----------------------------------------------------------------------------


def test_another_organization_is_refused(sandbox: SandboxServer, api: Api) -> None:
    other = add_other_organization(sandbox)
    client = api("owner")
    by_org = client.get(
        "/organization_memberships",
        params={"organization": uri(sandbox, "organizations", other["org"]["id"])},
    )
    assert_denied(by_org)
    by_user = client.get(
        "/organization_memberships",
        params={"user": user_uri(sandbox, other["user"]["id"])},
    )
    denied_with(by_user, "This user is not in your organization")
    single = client.get(f"/organization_memberships/{other['membership']['id']}")
    assert single.status_code == 403
    assert single.json()["message"] == "This user is not in your organization"
    # ... and the other organization's owner cannot see ours.
    theirs = api(other["user"]["email"]).get(
        "/organization_memberships", params={"organization": org_uri(sandbox)}
    )
    assert theirs.status_code == 403


def test_any_member_can_read_a_colleagues_membership(sandbox: SandboxServer, api: Api) -> None:
    assert sandbox.summary is not None
    target = membership_of(sandbox, sandbox.summary.admins[0])
    response = api("user").get(f"/organization_memberships/{target['id']}")
    assert response.status_code == 200
    resource = response.json()["resource"]
    assert set(resource) == MEMBERSHIP_KEYS
    assert resource["uri"] == membership_uri(sandbox, target["id"])
    assert resource["role"] == "admin"
    assert resource["user"]["email"] == target["email"]


def test_unknown_membership_is_not_found(api: Api) -> None:
    for method in ("GET", "DELETE"):
        assert_not_found(api("owner").request(method, "/organization_memberships/NOSUCHMEMBER0000"))


def test_reading_needs_the_organizations_read_scope(sandbox: SandboxServer, api: Api) -> None:
    response = api("owner", scopes=["users:read"]).get(
        "/organization_memberships", params={"organization": org_uri(sandbox)}
    )
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["organizations:read"]


# -- removing a member -----------------------------------------------------------------------


def _webhook(sandbox: SandboxServer, ident: str, scope: str, user_id: str) -> Record:
    now = iso(sandbox.state.clock.now())
    assert sandbox.summary is not None
    return {
        "id": ident,
        "organization": sandbox.summary.organization,
        "scope": scope,
        "user": user_id if scope == "user" else None,
        "group_id": None,
        "callback_url": f"https://example.com/hooks/{ident}",
        "events": ["invitee.created"],
        "state": "active",
        "retry_started_at": None,
        "creator": user_id,
        "signing_key": None,
        "created_at": now,
        "updated_at": now,
    }


def test_admin_removes_a_member_and_everything_tied_to_them_goes(
    sandbox: SandboxServer, api: Api
) -> None:
    assert sandbox.summary is not None
    store = sandbox.state.store
    leaver = membership_of(sandbox, sandbox.summary.users[2])
    leaver_client = api(leaver["email"])
    assert leaver_client.get("/users/me").status_code == 200
    now, org = iso(sandbox.state.clock.now()), sandbox.summary.organization
    store.insert("groups", group_record("GROUPLEAVE000001", org, "Leavers", now))
    store.insert(
        "group_relationships",
        relationship_record(
            "RELLEAVE00000001", org, "GROUPLEAVE000001", "membership", leaver["id"], "member", now
        ),
    )
    store.insert("webhooks", _webhook(sandbox, "HOOKUSER00000001", "user", leaver["user"]))
    store.insert("webhooks", _webhook(sandbox, "HOOKORG000000001", "organization", leaver["user"]))

    admin = api("admin")
    response = admin.delete(f"/organization_memberships/{leaver['id']}")
    assert response.status_code == 204
    assert response.content == b""

    assert admin.get(f"/organization_memberships/{leaver['id']}").status_code == 404
    listed = admin.get(
        "/organization_memberships", params={"organization": org_uri(sandbox), "count": 100}
    ).json()["collection"]
    assert membership_uri(sandbox, leaver["id"]) not in {item["uri"] for item in listed}
    assert len(listed) == 24
    # The removed user's token stops working.
    gone = leaver_client.get("/users/me")
    assert gone.status_code == 401
    assert gone.json()["title"] == "Unauthenticated"
    # Their group relationship and user-scoped webhook go; org webhooks they made stay.
    assert store.get("group_relationships", "RELLEAVE00000001") is None
    assert store.get("webhooks", "HOOKUSER00000001") is None
    assert store.get("webhooks", "HOOKORG000000001") is not None


def test_owner_can_remove_an_admin(sandbox: SandboxServer, api: Api) -> None:
    assert sandbox.summary is not None
    target = membership_of(sandbox, sandbox.summary.admins[1])
    assert api("owner").delete(f"/organization_memberships/{target['id']}").status_code == 204
    assert sandbox.state.store.get("memberships", target["id"]) is None


def test_a_plain_user_cannot_remove_anyone(sandbox: SandboxServer, api: Api) -> None:
    assert sandbox.summary is not None
    target = membership_of(sandbox, sandbox.summary.users[5])
    response = api("user").delete(f"/organization_memberships/{target['id']}")
    denied_with(response, "You do not have permission to perform this action")
    assert sandbox.state.store.get("memberships", target["id"]) is not None


def test_the_owner_cannot_be_removed(sandbox: SandboxServer, api: Api) -> None:
    assert sandbox.summary is not None
    owner = membership_of(sandbox, sandbox.summary.owner)
    for who in ("admin", "owner"):
        response = api(who).delete(f"/organization_memberships/{owner['id']}")
        denied_with(response, "You can not change owner role")
    assert sandbox.state.store.get("memberships", owner["id"]) is not None


def test_an_admin_cannot_remove_themselves(sandbox: SandboxServer, api: Api) -> None:
    assert sandbox.summary is not None
    mine = membership_of(sandbox, sandbox.summary.admins[0])
    client = api(mine["email"])
    response = client.delete(f"/organization_memberships/{mine['id']}")
    assert response.status_code == 403
    assert response.json()["message"] == "You can not remove yourself from organization"
    assert client.get("/users/me").status_code == 200


def test_members_of_another_organization_cannot_be_removed(
    sandbox: SandboxServer, api: Api
) -> None:
    other = add_other_organization(sandbox)
    response = api("owner").delete(f"/organization_memberships/{other['membership']['id']}")
    denied_with(response, "You cannot modify members from another organization")
    assert sandbox.state.store.get("memberships", other["membership"]["id"]) is not None


def test_removing_needs_the_organizations_write_scope(sandbox: SandboxServer, api: Api) -> None:
    assert sandbox.summary is not None
    target = membership_of(sandbox, sandbox.summary.users[0])
    response = api("owner", scopes=["organizations:read"]).delete(
        f"/organization_memberships/{target['id']}"
    )
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["organizations:write"]
    assert sandbox.state.store.get("memberships", target["id"]) is not None
