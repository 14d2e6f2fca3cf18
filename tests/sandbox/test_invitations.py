"""Organization invitations: listing, sorting, sending, revoking and who may do it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso
from tests.sandbox.helpers import (
    INVITATION_KEYS,
    OTHER_ORG,
    Api,
    add_other_organization,
    assert_denied,
    assert_not_found,
    bad_parameters,
    counted_pages,
    denied_with,
    group_record,
    org_id,
    org_uri,
    relationship_record,
    stored_ids,
    user_uri,
)

STATUSES = ("pending", "accepted", "declined")


def invitations_path(sandbox: SandboxServer) -> str:
    return f"/organizations/{org_id(sandbox)}/invitations"


def add_invitations(sandbox: SandboxServer, count: int = 10) -> list[Record]:
    """``count`` invitations a minute apart, statuses cycling pending/accepted/declined."""
    assert sandbox.summary is not None
    start = sandbox.state.clock.now() - timedelta(days=30)
    records = []
    for index in range(count):
        status = STATUSES[index % 3]
        moment = iso(start + timedelta(minutes=index))
        member = sandbox.summary.users[index % len(sandbox.summary.users)]
        records.append(
            {
                "id": f"INVITE{index:010d}",
                "organization": org_id(sandbox),
                "email": f"guest{index}@outside.example",
                "status": status,
                "user": member if status == "accepted" else None,
                "last_sent_at": moment,
                "created_at": moment,
                "updated_at": moment,
            }
        )
    sandbox.state.store.insert_many("invitations", records)
    return records


def stored(sandbox: SandboxServer, where: str = "1", params: tuple[Any, ...] = ()) -> list[str]:
    """Invitation URIs of the seeded organization in Calendly's default order."""
    return [uri(sandbox, ident) for ident in stored_ids(sandbox, "invitations", where, params)]


def uri(sandbox: SandboxServer, ident: str) -> str:
    return f"{org_uri(sandbox)}/invitations/{ident}"


def other_organization(sandbox: SandboxServer) -> str:
    """A second organization (with an owner and one invitation) straight in the store."""
    now = add_other_organization(sandbox)["org"]["created_at"]
    sandbox.state.store.insert(
        "invitations",
        {
            "id": "OTHERINVITE00001",
            "organization": OTHER_ORG,
            "email": "someone@else.example",
            "status": "pending",
            "user": None,
            "last_sent_at": now,
            "created_at": now,
            "updated_at": now,
        },
    )
    return OTHER_ORG


def all_uris(client: httpx.Client, url: str, params: dict[str, Any]) -> list[str]:
    """The URIs of every item of the list, page by page."""
    return [item["uri"] for item in counted_pages(client, url, params)]


# -- listing ---------------------------------------------------------------------------------


def test_admin_lists_invitations_oldest_first_in_pages(sandbox: SandboxServer, api: Api) -> None:
    add_invitations(sandbox, 10)
    client = api("admin")
    first = client.get(invitations_path(sandbox), params={"count": 100})
    assert first.status_code == 200
    for item in first.json()["collection"]:
        assert set(item) - {"user"} == INVITATION_KEYS
        assert item["organization"] == org_uri(sandbox)
        assert ("user" in item) == (item["status"] == "accepted")
    paged = all_uris(client, invitations_path(sandbox), {"count": 3})
    assert len(paged) == len(set(paged)) >= 10
    assert paged == stored(sandbox)
    assert paged == [item["uri"] for item in first.json()["collection"]]


def test_sort_by_created_at_both_ways(sandbox: SandboxServer, api: Api) -> None:
    add_invitations(sandbox, 10)
    client = api("owner")
    ascending = all_uris(client, invitations_path(sandbox), {"count": 3, "sort": "created_at:asc"})
    descending = all_uris(
        client, invitations_path(sandbox), {"count": 3, "sort": "created_at:desc"}
    )
    assert ascending == stored(sandbox)
    assert len(descending) == len(set(descending)) == len(ascending)
    created = {
        item["uri"]: item["created_at"]
        for item in client.get(invitations_path(sandbox), params={"count": 100}).json()[
            "collection"
        ]
    }
    times = [created[u] for u in descending]
    assert times == sorted(times, reverse=True)
    assert set(descending) == set(ascending)


def test_accepted_invitations_name_the_user_who_joined(sandbox: SandboxServer, api: Api) -> None:
    records = add_invitations(sandbox, 3)
    accepted = records[1]
    response = api("owner").get(f"{invitations_path(sandbox)}/{accepted['id']}")
    assert response.status_code == 200
    assert response.json()["resource"]["user"] == user_uri(sandbox, accepted["user"])
    pending = api("owner").get(f"{invitations_path(sandbox)}/{records[0]['id']}").json()
    assert "user" not in pending["resource"]


def test_status_filter(sandbox: SandboxServer, api: Api) -> None:
    add_invitations(sandbox, 9)
    client = api("owner")
    for status in STATUSES:
        listed = all_uris(client, invitations_path(sandbox), {"status": status, "count": 3})
        assert listed == stored(sandbox, "status = ?", (status,))
        assert len(listed) >= 3


def test_email_filter(sandbox: SandboxServer, api: Api) -> None:
    add_invitations(sandbox, 6)
    response = api("owner").get(
        invitations_path(sandbox), params={"email": "GUEST4@outside.example"}
    )
    assert response.status_code == 200
    assert [item["uri"] for item in response.json()["collection"]] == [
        uri(sandbox, "INVITE0000000004")
    ]


def test_bad_filters_are_named_together(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    bad = client.get(invitations_path(sandbox), params={"status": "revoked", "email": "nope"})
    assert bad_parameters(bad) == {"status", "email"}
    assert bad_parameters(client.get(invitations_path(sandbox), params={"sort": "email:asc"})) == {
        "sort"
    }
    assert bad_parameters(client.get(invitations_path(sandbox), params={"count": "0"})) == {"count"}


def test_only_admins_may_list_invitations(sandbox: SandboxServer, api: Api) -> None:
    denied_with(api("user").get(invitations_path(sandbox)), "You do not have permission")


def test_other_or_unknown_organizations(sandbox: SandboxServer, api: Api) -> None:
    other = other_organization(sandbox)
    client = api("owner")
    assert_denied(client.get(f"/organizations/{other}/invitations"))
    assert client.get(f"/organizations/{other}/invitations/OTHERINVITE00001").status_code == 403
    assert_not_found(client.get("/organizations/NOSUCHORG0000000/invitations"))


# -- sending ---------------------------------------------------------------------------------


def test_admin_invites_a_new_address(sandbox: SandboxServer, api: Api) -> None:
    client = api("admin")
    response = client.post(invitations_path(sandbox), json={"email": "New.Person@Example.com"})
    assert response.status_code == 201, response.text
    resource = response.json()["resource"]
    assert set(resource) == INVITATION_KEYS
    assert resource["email"] == "new.person@example.com"
    assert resource["status"] == "pending"
    assert resource["uri"].startswith(f"{sandbox.base_url}{invitations_path(sandbox)}/")
    assert resource["last_sent_at"] == resource["created_at"]
    assert resource["created_at"].endswith("Z")
    fetched = client.get(resource["uri"])
    assert fetched.status_code == 200
    assert fetched.json()["resource"] == resource
    pending = all_uris(client, invitations_path(sandbox), {"status": "pending"})
    assert resource["uri"] in pending


def test_email_must_be_filled(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    for body in ({}, {"email": ""}, {"email": "   "}, {"email": None}):
        response = client.post(invitations_path(sandbox), json=body)
        assert response.status_code == 400, body
        assert response.json() == {
            "title": "Invalid Argument",
            "message": "The supplied parameters are invalid.",
            "details": [{"parameter": "email", "message": "must be filled"}],
        }


def test_email_of_the_wrong_type_is_invalid(sandbox: SandboxServer, api: Api) -> None:
    response = api("owner").post(invitations_path(sandbox), json={"email": 42})
    assert bad_parameters(response) == {"email"}


def test_malformed_email_is_refused(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    for email in ("invalid_email@example", "no-at-sign", "a b@c.de"):
        response = client.post(invitations_path(sandbox), json={"email": email})
        assert response.status_code == 400, email
        assert response.json() == {
            "title": "Invalid Argument",
            "message": "The supplied parameters are invalid.",
            "details": [{"parameter": "email", "message": f"{email} is an invalid email format"}],
        }
        assert stored(sandbox, "email = ?", (email.lower(),)) == []


def test_a_body_that_is_not_json_is_invalid(sandbox: SandboxServer, api: Api) -> None:
    response = api("owner").post(
        invitations_path(sandbox), content=b"email=x", headers={"Content-Type": "text/plain"}
    )
    assert bad_parameters(response) == {"body"}


def test_members_cannot_be_invited_again(sandbox: SandboxServer, api: Api) -> None:
    assert sandbox.summary is not None
    member = sandbox.state.store.find_one("memberships", "user = ?", (sandbox.summary.users[3],))
    assert member is not None
    body = {"email": member["email"].upper()}
    response = api("owner").post(invitations_path(sandbox), json=body)
    assert response.status_code == 400
    assert response.json() == {
        "title": "Already Organization Member",
        "message": f"{member['email']} is already in the organization",
    }


def test_a_pending_invitation_is_not_sent_twice(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    assert client.post(invitations_path(sandbox), json={"email": "x@y.example"}).status_code == 201
    again = client.post(invitations_path(sandbox), json={"email": "X@y.example"})
    assert again.status_code == 400
    assert again.json() == {
        "title": "Already Invited",
        "message": "x@y.example has already been invited",
    }
    assert len(stored(sandbox, "email = ?", ("x@y.example",))) == 1


def test_a_declined_invitation_can_be_sent_again(sandbox: SandboxServer, api: Api) -> None:
    add_invitations(sandbox, 3)  # guest2 declined
    response = api("owner").post(
        invitations_path(sandbox), json={"email": "guest2@outside.example"}
    )
    assert response.status_code == 201
    assert response.json()["resource"]["status"] == "pending"


def test_only_admins_may_invite(sandbox: SandboxServer, api: Api) -> None:
    response = api("user").post(invitations_path(sandbox), json={"email": "z@y.example"})
    denied_with(response, "You do not have permission")
    assert stored(sandbox, "email = ?", ("z@y.example",)) == []


def test_inviting_into_another_organization_is_refused(sandbox: SandboxServer, api: Api) -> None:
    other = other_organization(sandbox)
    response = api("owner").post(
        f"/organizations/{other}/invitations", json={"email": "q@q.example"}
    )
    assert response.status_code == 403
    assert sandbox.state.store.find_one("invitations", "email = ?", ("q@q.example",)) is None


def test_inviting_needs_the_organizations_write_scope(sandbox: SandboxServer, api: Api) -> None:
    response = api("owner", scopes=["organizations:read"]).post(
        invitations_path(sandbox), json={"email": "s@s.example"}
    )
    assert response.status_code == 403
    assert response.json()["title"] == "Insufficient scope"
    assert response.json()["required_scopes"] == ["organizations:write"]


# -- reading one and revoking ----------------------------------------------------------------


def test_reading_one_invitation(sandbox: SandboxServer, api: Api) -> None:
    [record] = add_invitations(sandbox, 1)
    path = f"{invitations_path(sandbox)}/{record['id']}"
    response = api("admin").get(path)
    assert response.status_code == 200
    assert response.json()["resource"]["uri"] == uri(sandbox, record["id"])
    assert response.json()["resource"]["email"] == record["email"]
    denied_with(api("user").get(path), "You do not have permission")
    missing = api("admin").get(f"{invitations_path(sandbox)}/NOSUCHINVITE0000")
    assert missing.status_code == 404


def test_revoking_a_pending_invitation_removes_it(sandbox: SandboxServer, api: Api) -> None:
    [record] = add_invitations(sandbox, 1)
    now, org = iso(sandbox.state.clock.now()), org_id(sandbox)
    sandbox.state.store.insert("groups", group_record("GROUPINV00000001", org, "Invitees", now))
    sandbox.state.store.insert(
        "group_relationships",
        relationship_record(
            "RELINV0000000001", org, "GROUPINV00000001", "invitation", record["id"], "member", now
        ),
    )
    client = api("admin")
    path = f"{invitations_path(sandbox)}/{record['id']}"
    response = client.delete(path)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(path).status_code == 404
    assert uri(sandbox, record["id"]) not in all_uris(client, invitations_path(sandbox), {})
    assert sandbox.state.store.get("group_relationships", "RELINV0000000001") is None
    assert client.delete(path).status_code == 404


def test_only_pending_invitations_can_be_revoked(sandbox: SandboxServer, api: Api) -> None:
    records = add_invitations(sandbox, 3)
    for record, status in ((records[1], "Accepted"), (records[2], "Declined")):
        response = api("owner").delete(f"{invitations_path(sandbox)}/{record['id']}")
        assert response.status_code == 400
        assert response.json() == {
            "title": f"Invitation Already {status}",
            "message": f"The invitation has already been {status.lower()}.",
        }
        assert sandbox.state.store.get("invitations", record["id"]) is not None


def test_who_may_revoke(sandbox: SandboxServer, api: Api) -> None:
    [record] = add_invitations(sandbox, 1)
    path = f"{invitations_path(sandbox)}/{record['id']}"
    denied_with(api("user").delete(path), "You do not have permission to access this resource.")
    other = other_organization(sandbox)
    denied_with(
        api("owner").delete(f"/organizations/{other}/invitations/OTHERINVITE00001"),
        "You do not have permission",
    )
    assert sandbox.state.store.get("invitations", "OTHERINVITE00001") is not None
    scoped = api("owner", scopes=["organizations:read"]).delete(path)
    assert scoped.status_code == 403
    assert scoped.json()["required_scopes"] == ["organizations:write"]
    assert sandbox.state.store.get("invitations", record["id"]) is not None
