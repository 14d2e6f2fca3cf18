"""Groups and group relationships: listing, member counts, owner filters and permissions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso
from tests.sandbox.helpers import (
    INVITATION_KEYS,
    MEMBERSHIP_KEYS,
    OTHER_EMAIL,
    OTHER_MEMBER,
    OTHER_ORG,
    Api,
    add_other_organization,
    assert_denied,
    assert_not_found,
    bad_parameters,
    counted_pages,
    group_record,
    group_uri,
    membership_uri,
    org_id,
    org_uri,
    relationship_record,
    stored_ids,
    uri,
)

GROUP_KEYS = {"uri", "name", "organization", "created_at", "updated_at", "member_count"}
RELATIONSHIP_KEYS = {"uri", "role", "owner", "organization", "group", "created_at", "updated_at"}
MEMBERSHIP_OWNER_KEYS = MEMBERSHIP_KEYS | {"type"}
INVITATION_OWNER_KEYS = INVITATION_KEYS | {"type"}


class Org:
    """Seven groups a minute apart; the first ten members spread over them, some as admins,
    plus one pending invitation in group 0."""

    def __init__(self, sandbox: SandboxServer) -> None:
        assert sandbox.summary is not None
        store = sandbox.state.store
        org = org_id(sandbox)
        start = sandbox.state.clock.now() - timedelta(days=10)
        self.groups: list[Record] = [
            group_record(
                f"GROUP{index:011d}",
                org,
                f"Team {chr(ord('G') - index)}",
                iso(start + timedelta(minutes=index)),
            )
            for index in range(7)
        ]
        store.insert_many("groups", self.groups)
        members = store.find("memberships", "organization = ?", (org,), "id")[:10]
        self.memberships = members
        self.relationships: list[Record] = []
        moment = iso(start + timedelta(hours=1))

        def relate(group: Record, owner_type: str, owner: str, role: str) -> None:
            ident = f"REL{len(self.relationships):013d}"
            self.relationships.append(
                relationship_record(ident, org, group["id"], owner_type, owner, role, moment)
            )

        for index, member in enumerate(members):
            group = self.groups[index % 3]  # groups 0..2 get members; 3..6 stay empty
            relate(group, "membership", member["id"], "member")
        # members[0] also administers groups 1 and 2 (one membership, several admin records).
        for group in self.groups[1:3]:
            relate(group, "membership", members[0]["id"], "admin")
        self.invitation: Record = {
            "id": "INVITEGROUP00001",
            "organization": org,
            "email": "soon@outside.example",
            "status": "pending",
            "user": None,
            "last_sent_at": moment,
            "created_at": moment,
            "updated_at": moment,
        }
        store.insert("invitations", self.invitation)
        relate(self.groups[0], "invitation", self.invitation["id"], "member")
        store.insert_many("group_relationships", self.relationships)


def add_other_organization_with_a_group(sandbox: SandboxServer) -> None:
    """A second organization with an owner, a group and a relationship, in the store."""
    now = add_other_organization(sandbox)["org"]["created_at"]
    store = sandbox.state.store
    store.insert("groups", group_record("OTHERGROUP000001", OTHER_ORG, "Theirs", now))
    store.insert(
        "group_relationships",
        relationship_record(
            "OTHERREL00000001",
            OTHER_ORG,
            "OTHERGROUP000001",
            "membership",
            OTHER_MEMBER,
            "member",
            now,
        ),
    )


def expected_uris(
    sandbox: SandboxServer,
    table: str,
    collection: str,
    where: str = "1",
    params: tuple[Any, ...] = (),
) -> list[str]:
    return [uri(sandbox, collection, i) for i in stored_ids(sandbox, table, where, params)]


# -- groups ----------------------------------------------------------------------------------


def test_any_member_lists_groups_with_member_counts(sandbox: SandboxServer, api: Api) -> None:
    org = Org(sandbox)
    response = api("user").get("/groups", params={"organization": org_uri(sandbox)})
    assert response.status_code == 200
    items = {item["uri"]: item for item in response.json()["collection"]}
    for group in org.groups:
        item = items[group_uri(sandbox, group["id"])]
        assert set(item) == GROUP_KEYS
        assert item["name"] == group["name"]
        assert item["organization"] == org_uri(sandbox)
        assert item["created_at"] == group["created_at"]
    counts = [items[group_uri(sandbox, g["id"])]["member_count"] for g in org.groups]
    # Ten members spread over three groups; admin records and invitations are not members.
    assert counts == [4, 3, 3, 0, 0, 0, 0]


def test_groups_come_in_stable_pages(sandbox: SandboxServer, api: Api) -> None:
    Org(sandbox)
    items = counted_pages(api("owner"), "/groups", {"organization": org_uri(sandbox), "count": 3})
    uris = [item["uri"] for item in items]
    assert len(uris) == len(set(uris)) >= 7
    assert uris == expected_uris(sandbox, "groups", "groups")


def test_listing_groups_needs_a_valid_organization(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    assert bad_parameters(client.get("/groups")) == {"organization"}
    assert bad_parameters(client.get("/groups", params={"organization": "acme"})) == {
        "organization"
    }
    bad_count = client.get("/groups", params={"organization": org_uri(sandbox), "count": "101"})
    assert bad_parameters(bad_count) == {"count"}


def test_groups_of_another_organization_are_refused(sandbox: SandboxServer, api: Api) -> None:
    add_other_organization_with_a_group(sandbox)
    client = api("owner")
    listing = client.get(
        "/groups", params={"organization": uri(sandbox, "organizations", OTHER_ORG)}
    )
    assert_denied(listing)
    assert_denied(client.get("/groups/OTHERGROUP000001"))
    theirs = api(OTHER_EMAIL).get("/groups", params={"organization": org_uri(sandbox)})
    assert theirs.status_code == 403


def test_get_group(sandbox: SandboxServer, api: Api) -> None:
    org = Org(sandbox)
    response = api("user").get(f"/groups/{org.groups[0]['id']}")
    assert response.status_code == 200
    resource = response.json()["resource"]
    assert set(resource) == GROUP_KEYS
    assert resource["uri"] == group_uri(sandbox, org.groups[0]["id"])
    assert resource["member_count"] == 4
    assert_not_found(api("user").get("/groups/NOSUCHGROUP00000"))


def test_groups_need_the_groups_read_scope(sandbox: SandboxServer, api: Api) -> None:
    response = api("owner", scopes=["organizations:read"]).get(
        "/groups", params={"organization": org_uri(sandbox)}
    )
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["groups:read"]


# -- group relationships ---------------------------------------------------------------------


def test_relationships_of_the_organization_in_pages(sandbox: SandboxServer, api: Api) -> None:
    Org(sandbox)
    client = api("user")
    paged = counted_pages(client, "/group_relationships", {"count": 3})
    uris = [item["uri"] for item in paged]
    assert len(uris) == len(set(uris)) >= 13
    assert uris == expected_uris(sandbox, "group_relationships", "group_relationships")
    by_org = counted_pages(client, "/group_relationships", {"organization": org_uri(sandbox)})
    assert [item["uri"] for item in by_org] == uris


def test_relationship_owners_are_memberships_or_invitations(
    sandbox: SandboxServer, api: Api
) -> None:
    org = Org(sandbox)
    response = api("user").get(
        "/group_relationships", params={"group": group_uri(sandbox, org.groups[0]["id"])}
    )
    assert response.status_code == 200
    items = response.json()["collection"]
    assert len(items) == 5  # four members and one invitation
    kinds = {item["owner"]["type"] for item in items}
    assert kinds == {"OrganizationMembership", "OrganizationInvitation"}
    for item in items:
        assert set(item) == RELATIONSHIP_KEYS
        assert item["group"] == group_uri(sandbox, org.groups[0]["id"])
        assert item["organization"] == org_uri(sandbox)
        assert item["role"] == "member"
        owner = item["owner"]
        if owner["type"] == "OrganizationMembership":
            assert set(owner) == MEMBERSHIP_OWNER_KEYS
            assert owner["user"]["uri"].startswith(f"{sandbox.base_url}/users/")
            assert "time_notation" not in owner["user"]
        else:
            assert set(owner) == INVITATION_OWNER_KEYS
            assert owner["email"] == "soon@outside.example"
            assert owner["uri"] == (f"{org_uri(sandbox)}/invitations/{org.invitation['id']}")


def test_owner_filter_by_membership_finds_one_membership_and_admin_records(
    sandbox: SandboxServer, api: Api
) -> None:
    org = Org(sandbox)
    member = org.memberships[0]["id"]
    owner = membership_uri(sandbox, member)
    items = counted_pages(api("user"), "/group_relationships", {"owner": owner, "count": 3})
    assert [item["uri"] for item in items] == expected_uris(
        sandbox,
        "group_relationships",
        "group_relationships",
        "owner_type = 'membership' AND owner = ?",
        (member,),
    )
    assert {item["owner"]["uri"] for item in items} == {owner}
    mine = {item["group"]: item["role"] for item in items if "/groups/GROUP" in item["group"]}
    assert mine == {
        group_uri(sandbox, org.groups[0]["id"]): "member",
        group_uri(sandbox, org.groups[1]["id"]): "admin",
        group_uri(sandbox, org.groups[2]["id"]): "admin",
    }


def test_owner_filter_by_invitation(sandbox: SandboxServer, api: Api) -> None:
    org = Org(sandbox)
    owner = f"{org_uri(sandbox)}/invitations/{org.invitation['id']}"
    [item] = counted_pages(api("owner"), "/group_relationships", {"owner": owner})
    assert item["owner"]["uri"] == owner
    assert item["owner"]["status"] == "pending"


def test_group_and_owner_filters_combine(sandbox: SandboxServer, api: Api) -> None:
    org = Org(sandbox)
    owner = membership_uri(sandbox, org.memberships[0]["id"])
    [item] = counted_pages(
        api("user"),
        "/group_relationships",
        {"owner": owner, "group": group_uri(sandbox, org.groups[2]["id"])},
    )
    assert item["role"] == "admin"
    empty = counted_pages(
        api("user"), "/group_relationships", {"group": group_uri(sandbox, org.groups[5]["id"])}
    )
    assert empty == []


def test_malformed_relationship_filters_are_named_together(api: Api) -> None:
    response = api("owner").get(
        "/group_relationships",
        params={"organization": "acme", "group": "team-a", "owner": "https://x.example/nobody"},
    )
    assert bad_parameters(response) == {"organization", "group", "owner"}


def test_relationships_of_another_organization_are_refused(
    sandbox: SandboxServer, api: Api
) -> None:
    add_other_organization_with_a_group(sandbox)
    client = api("owner")
    for params in (
        {"organization": uri(sandbox, "organizations", OTHER_ORG)},
        {"group": group_uri(sandbox, "OTHERGROUP000001")},
        {"owner": membership_uri(sandbox, OTHER_MEMBER)},
        {"owner": f"{sandbox.base_url}/organizations/{OTHER_ORG}/invitations/ANYTHING00000001"},
    ):
        assert_denied(client.get("/group_relationships", params=params))
    single = client.get("/group_relationships/OTHERREL00000001")
    assert single.status_code == 403
    # Their relationship never leaks into our unfiltered listing.
    ours = counted_pages(client, "/group_relationships", {})
    assert all(item["organization"] == org_uri(sandbox) for item in ours)


def test_get_relationship(sandbox: SandboxServer, api: Api) -> None:
    org = Org(sandbox)
    record = org.relationships[-1]
    response = api("user").get(f"/group_relationships/{record['id']}")
    assert response.status_code == 200
    resource = response.json()["resource"]
    assert set(resource) == RELATIONSHIP_KEYS
    assert resource["uri"] == f"{sandbox.base_url}/group_relationships/{record['id']}"
    assert resource["owner"]["type"] == "OrganizationInvitation"
    assert api("user").get("/group_relationships/NOSUCHREL0000000").status_code == 404


@pytest.mark.parametrize("path", ["/group_relationships", "/group_relationships/ANY"])
def test_relationships_need_the_groups_read_scope(api: Api, path: str) -> None:
    response = api("owner", scopes=["users:read"]).get(path)
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["groups:read"]
