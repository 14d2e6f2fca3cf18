"""Conformance cases: users, organizations, memberships, invitations and groups."""

from __future__ import annotations

from tests.sandbox.conformance.probe import UNKNOWN, Probe, case


# -- users and organizations --------------------------------------------------------------------
@case("GET /users/me")
def users_me(p: Probe) -> None:
    assert p.call(200, "GET", "/users/me").json()["resource"]["uri"] == p.owner
    p.call(200, "GET", "/users/me", who="user")
    p.call(401, "GET", "/users/me", who=None)


@case("GET /users/{uuid}")
def users_get(p: Probe) -> None:
    member = p.user_member()
    got = p.read("/users", member["user"]).json()["resource"]
    assert got["uri"] == p.uri("users", member["user"])


@case("GET /organizations/{uuid}")
def organizations_get(p: Probe) -> None:
    assert p.call(200, "GET", f"/organizations/{p.org_id}").json()["resource"]["uri"] == p.org
    p.call(200, "GET", f"/organizations/{p.org_id}", who="user")
    p.call(404, "GET", f"/organizations/{UNKNOWN}")


@case("GET /organization_memberships")
def memberships_list(p: Probe) -> None:
    page = p.call(200, "GET", "/organization_memberships", params={"organization": p.org})
    assert page.json()["collection"]
    mine = p.call(200, "GET", "/organization_memberships", params={"user": p.owner}).json()
    assert [m["user"]["uri"] for m in mine["collection"]] == [p.owner]
    p.call(
        200,
        "GET",
        "/organization_memberships",
        params={"organization": p.org, "role": "admin", "count": 2},
    )
    p.refused(400, "organization", "GET", "/organization_memberships")
    p.refused(
        400,
        "role",
        "GET",
        "/organization_memberships",
        params={"organization": p.org, "role": "boss"},
    )
    p.refused(
        400, "count", "GET", "/organization_memberships", params={"organization": p.org, "count": 0}
    )
    p.call(403, "GET", "/organization_memberships", params={"organization": p.foreign_org})


@case("GET /organization_memberships/{uuid}")
def memberships_get(p: Probe) -> None:
    member = p.user_member()
    p.call(200, "GET", f"/organization_memberships/{member['id']}")
    p.call(200, "GET", f"/organization_memberships/{member['id']}", who="user")
    p.call(404, "GET", f"/organization_memberships/{UNKNOWN}")


@case("DELETE /organization_memberships/{uuid}")
def memberships_delete(p: Probe) -> None:
    owner = p.row("memberships", "role = 'owner'")
    members = p.store.find("memberships", "role = 'user'", order="id", limit=2)
    p.call(403, "DELETE", f"/organization_memberships/{members[1]['id']}", who="user")
    p.call(403, "DELETE", f"/organization_memberships/{owner['id']}", who="admin")
    p.call(204, "DELETE", f"/organization_memberships/{members[0]['id']}")
    p.call(404, "DELETE", f"/organization_memberships/{members[0]['id']}")


# -- invitations --------------------------------------------------------------------------------
def invitations(p: Probe) -> str:
    return f"/organizations/{p.org_id}/invitations"


@case("GET /organizations/{uuid}/invitations")
def invitations_list(p: Probe) -> None:
    assert p.call(200, "GET", invitations(p)).json()["collection"]
    pending = p.call(200, "GET", invitations(p), params={"status": "pending"}).json()
    assert {i["status"] for i in pending["collection"]} == {"pending"}
    p.refused(400, "status", "GET", invitations(p), params={"status": "lost"})
    p.call(403, "GET", invitations(p), who="user")
    p.call(404, "GET", f"/organizations/{UNKNOWN}/invitations")


@case("POST /organizations/{uuid}/invitations")
def invitations_create(p: Probe) -> None:
    made = p.call(201, "POST", invitations(p), json={"email": "new.person@elsewhere.example"})
    assert made.json()["resource"]["status"] == "pending"
    p.refused(400, "email", "POST", invitations(p), json={})
    member = p.user_member()
    taken = p.refused(400, None, "POST", invitations(p), json={"email": p.email_of(member)})
    assert taken["title"] == "Already Organization Member"
    again = p.refused(
        400, None, "POST", invitations(p), json={"email": "new.person@elsewhere.example"}
    )
    assert again["title"] == "Already Invited"
    p.call(403, "POST", invitations(p), who="user", json={"email": "x@elsewhere.example"})


@case("GET /organizations/{org_uuid}/invitations/{uuid}")
def invitations_get(p: Probe) -> None:
    invitation = p.org_row("invitations")
    got = p.read(invitations(p), invitation["id"]).json()["resource"]
    assert got["email"] == invitation["email"]


@case("DELETE /organizations/{org_uuid}/invitations/{uuid}")
def invitations_revoke(p: Probe) -> None:
    pending = p.row("invitations", "organization = ? AND status = 'pending'", (p.org_id,))
    accepted = p.row("invitations", "organization = ? AND status = 'accepted'", (p.org_id,))
    p.call(403, "DELETE", f"{invitations(p)}/{pending['id']}", who="user")
    p.call(204, "DELETE", f"{invitations(p)}/{pending['id']}")
    p.call(404, "DELETE", f"{invitations(p)}/{pending['id']}")
    # S1 documents 400 "Invitation Already Accepted" for an accepted invitation.
    p.call(400, "DELETE", f"{invitations(p)}/{accepted['id']}")


# -- groups -------------------------------------------------------------------------------------
@case("GET /groups")
def groups_list(p: Probe) -> None:
    p.organization_list("/groups")


@case("GET /groups/{uuid}")
def groups_get(p: Probe) -> None:
    group = p.org_row("groups")
    p.read("/groups", group["id"])


@case("GET /group_relationships")
def group_relationships_list(p: Probe) -> None:
    group = p.org_row("groups")
    p.call(200, "GET", "/group_relationships", params={"organization": p.org})
    listed = p.call(
        200,
        "GET",
        "/group_relationships",
        params={"organization": p.org, "group": p.uri("groups", group["id"])},
    )
    assert listed.json()["collection"]
    p.refused(
        400,
        "owner",
        "GET",
        "/group_relationships",
        params={"organization": p.org, "owner": "not a uri"},
    )
    p.call(403, "GET", "/group_relationships", params={"organization": p.foreign_org})


@case("GET /group_relationships/{uuid}")
def group_relationships_get(p: Probe) -> None:
    relationship = p.org_row("group_relationships")
    p.read("/group_relationships", relationship["id"])
