"""``client.groups`` and ``client.group_relationships`` against the sandbox."""

from __future__ import annotations

import pytest

from desktop.api import BadRequest, CalendlyClient, InsufficientScope, NotFound, PermissionDenied
from desktop.domain import Group, GroupRelationship
from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from tests.api.conftest import ClientFactory
from tests.sandbox.helpers import add_other_organization

pytestmark = pytest.mark.asyncio


def stored(
    sandbox: SandboxServer, table: str, where: str = "1", params: tuple[str, ...] = ()
) -> list[Record]:
    return sandbox.state.store.find(table, where, params, order="created_at, id")


async def test_groups_iterate_list_and_get(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    groups = [g async for g in client.groups.iterate(organization=organization_uri)]
    expected = stored(sandbox, "groups")
    assert [(g.uuid, g.name) for g in groups] == [(r["id"], r["name"]) for r in expected]
    assert all(isinstance(g, Group) and g.organization == organization_uri for g in groups)
    for group in groups:
        # Calendly's member_count: role "member" held by a membership (not admins, not invites)
        where = "group_id = ? AND role = 'member' AND owner_type = 'membership'"
        assert group.member_count == len(
            stored(sandbox, "group_relationships", where, (group.uuid,))
        )

    first = await client.groups.list(organization=organization_uri, count=1)
    assert list(first.items) == groups[:1] and first.next_page_token is not None
    second = await client.groups.list(
        organization=organization_uri, count=1, page_token=first.next_page_token
    )
    assert list(second.items) == groups[1:2]

    assert await client.groups.get(groups[0].uri) == groups[0]
    assert await client.groups.get(groups[1].uuid) == groups[1]


async def test_group_errors(
    client: CalendlyClient, client_for: ClientFactory, sandbox: SandboxServer
) -> None:
    with pytest.raises(BadRequest) as bad:
        await client.groups.list(organization="organizations/nope")
    assert bad.value.detail_for("organization")
    other = add_other_organization(sandbox)
    with pytest.raises(PermissionDenied):
        await client.groups.list(organization=sandbox.state.uris.organization(other["org"]["id"]))
    with pytest.raises(NotFound):
        await client.groups.get("NOSUCHGROUP00000")
    with pytest.raises(InsufficientScope) as scope:
        await client_for("owner", scopes=["users:read"]).groups.get("NOSUCHGROUP00000")
    assert scope.value.required_scopes == ("groups:read",)


async def test_relationships_walk_every_page_in_order(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    everything = [
        r async for r in client.group_relationships.iterate(organization=organization_uri)
    ]
    expected = stored(sandbox, "group_relationships")
    assert len(expected) > 5
    assert [r.uuid for r in everything] == [row["id"] for row in expected]
    assert [r.role for r in everything] == [row["role"] for row in expected]
    assert all(isinstance(r, GroupRelationship) for r in everything)

    pages: list[GroupRelationship] = []
    token = None
    while True:
        page = await client.group_relationships.list(
            organization=organization_uri, count=5, page_token=token
        )
        assert len(page.items) <= 5
        pages.extend(page.items)
        if not page.has_more:
            break
        token = page.next_page_token
    assert pages == everything


async def test_relationship_owners_are_memberships_or_invitations(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    everything = [
        r async for r in client.group_relationships.iterate(organization=organization_uri)
    ]
    by_id = {row["id"]: row for row in stored(sandbox, "group_relationships")}
    for relationship in everything:
        row = by_id[relationship.uuid]
        owner = relationship.owner
        if row["owner_type"] == "membership":
            assert owner.is_membership and owner.member is not None
            membership = sandbox.state.store.get("memberships", row["owner"])
            assert membership is not None and owner.display_email == membership["email"]
        else:
            assert owner.is_invitation and owner.member is None
            invitation = sandbox.state.store.get("invitations", row["owner"])
            assert invitation is not None and owner.email == invitation["email"]
    assert any(r.owner.is_invitation for r in everything)


async def test_relationship_filters_and_get(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    group = stored(sandbox, "groups")[0]
    group_uri = sandbox.state.uris.of("groups", group["id"])
    in_group = [r async for r in client.group_relationships.iterate(group=group_uri)]
    assert [r.uuid for r in in_group] == [
        row["id"] for row in stored(sandbox, "group_relationships", "group_id = ?", (group["id"],))
    ]
    assert all(r.group == group_uri for r in in_group)

    membership_owned = next(r for r in in_group if r.owner.is_membership)
    by_owner = await client.group_relationships.list(owner=membership_owned.owner.uri)
    assert membership_owned in by_owner.items
    assert all(r.owner.uri == membership_owned.owner.uri for r in by_owner.items)

    everything = [
        r async for r in client.group_relationships.iterate(organization=organization_uri)
    ]
    invitation_owned = next(r for r in everything if r.owner.is_invitation)
    of_invitee = [
        r async for r in client.group_relationships.iterate(owner=invitation_owned.owner.uri)
    ]
    assert [r.uuid for r in of_invitee] == [
        row["id"]
        for row in stored(
            sandbox,
            "group_relationships",
            "owner_type = 'invitation' AND owner = ?",
            (invitation_owned.owner.uri.rsplit("/", 1)[-1],),
        )
    ]

    assert await client.group_relationships.get(membership_owned.uri) == membership_owned
    assert await client.group_relationships.get(membership_owned.uuid) == membership_owned


async def test_relationship_errors(client: CalendlyClient, organization_uri: str) -> None:
    with pytest.raises(BadRequest) as bad:
        await client.group_relationships.list(owner="https://example.com/not/an/owner")
    assert bad.value.detail_for("owner")
    with pytest.raises(NotFound):
        await client.group_relationships.get("NOSUCHRELATION00")
