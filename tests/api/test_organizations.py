"""``client.organizations``, ``.memberships`` and ``.invitations`` against the sandbox."""

from __future__ import annotations

import pytest

from desktop.api import (
    BadRequest,
    CalendlyClient,
    InsufficientScope,
    NotFound,
    PermissionDenied,
)
from desktop.domain import Organization, OrganizationInvitation, OrganizationMembership, uuid_of
from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from tests.api.conftest import ClientFactory
from tests.sandbox.helpers import add_other_organization

pytestmark = pytest.mark.asyncio


def stored(
    sandbox: SandboxServer, table: str, where: str = "1", params: tuple[str, ...] = ()
) -> list[Record]:
    """Rows of ``table`` in the order the sandbox lists them (oldest first)."""
    return sandbox.state.store.find(table, where, params, order="created_at, id")


# -- organizations ---------------------------------------------------------------------------


async def test_get_organization_by_uri_and_by_id(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    assert sandbox.summary is not None
    record = sandbox.state.store.get("organizations", sandbox.summary.organization)
    assert record is not None
    by_uri = await client.organizations.get(organization_uri)
    assert isinstance(by_uri, Organization)
    assert by_uri.uri == organization_uri
    assert (by_uri.name, by_uri.plan, by_uri.stage) == (
        record["name"],
        record["plan"],
        record["stage"],
    )
    assert by_uri.created_at is not None and by_uri.created_at.tzinfo is not None
    assert await client.organizations.get(by_uri.uuid) == by_uri


async def test_another_organization_is_permission_denied_and_unknown_is_not_found(
    client: CalendlyClient, sandbox: SandboxServer
) -> None:
    other = add_other_organization(sandbox)
    with pytest.raises(PermissionDenied):
        await client.organizations.get(other["org"]["id"])
    with pytest.raises(NotFound) as caught:
        await client.organizations.get("NOSUCHORG0000000")
    assert caught.value.title == "Resource Not Found"


# -- memberships -----------------------------------------------------------------------------


async def test_iterate_walks_every_member_in_order(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    members = [m async for m in client.memberships.iterate(organization=organization_uri)]
    expected = stored(sandbox, "memberships")
    assert len(members) == 25
    assert len({m.uri for m in members}) == 25
    assert [m.uuid for m in members] == [r["id"] for r in expected]
    assert [m.user.email for m in members] == [r["email"] for r in expected]
    assert all(isinstance(m, OrganizationMembership) for m in members)
    assert all(m.organization == organization_uri for m in members)


async def test_list_returns_one_page_and_its_token_leads_on(
    client: CalendlyClient, organization_uri: str
) -> None:
    everyone = [m async for m in client.memberships.iterate(organization=organization_uri)]
    first = await client.memberships.list(organization=organization_uri, count=10)
    assert len(first.items) == 10 and first.has_more
    second = await client.memberships.list(
        organization=organization_uri, count=10, page_token=first.next_page_token
    )
    third = await client.memberships.list(
        organization=organization_uri, count=10, page_token=second.next_page_token
    )
    assert [*first.items, *second.items, *third.items] == everyone
    assert len(third.items) == 5
    assert third.next_page_token is None and not third.has_more
    assert second.previous_page_token is not None


async def test_membership_filters(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    assert sandbox.summary is not None
    admins = [
        m async for m in client.memberships.iterate(organization=organization_uri, role="admin")
    ]
    assert {uuid_of(m.user.uri) for m in admins} == set(sandbox.summary.admins)
    assert all(m.role == "admin" and m.is_admin for m in admins)

    target = stored(sandbox, "memberships", "role = 'user'")[3]
    by_email = await client.memberships.list(organization=organization_uri, email=target["email"])
    assert [m.uuid for m in by_email.items] == [target["id"]]

    user_uri = sandbox.state.uris.user(target["user"])
    by_user = await client.memberships.list(user=user_uri)
    assert [m.uuid for m in by_user.items] == [target["id"]]
    assert by_user.items[0].user.uri == user_uri


async def test_get_membership_equals_the_listed_one(
    client: CalendlyClient, organization_uri: str
) -> None:
    page = await client.memberships.list(organization=organization_uri, count=3)
    for listed in page.items:
        assert await client.memberships.get(listed.uri) == listed
    assert await client.memberships.get(page.items[0].uuid) == page.items[0]


async def test_remove_member_then_it_is_gone(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    victim = stored(sandbox, "memberships", "role = 'user'")[0]
    uri = sandbox.state.uris.of("organization_memberships", victim["id"])
    await client.memberships.remove(uri)
    with pytest.raises(NotFound):
        await client.memberships.get(uri)
    left = [m.uuid async for m in client.memberships.iterate(organization=organization_uri)]
    assert len(left) == 24 and victim["id"] not in left


async def test_membership_errors_from_the_sandbox(
    client: CalendlyClient, client_for: ClientFactory, sandbox: SandboxServer
) -> None:
    with pytest.raises(BadRequest) as missing:
        await client.memberships.list()
    assert {p.parameter for p in missing.value.details} == {"organization", "user"}
    assert missing.value.title == "Invalid Argument"

    with pytest.raises(BadRequest) as bad_role:
        await client.memberships.list(organization="not a uri", role="chief")  # type: ignore[arg-type]
    assert {p.parameter for p in bad_role.value.details} >= {"organization", "role"}
    assert bad_role.value.detail_for("role")

    owner = stored(sandbox, "memberships", "role = 'owner'")[0]
    with pytest.raises(PermissionDenied) as owner_removal:
        await client.memberships.remove(owner["id"])
    assert owner_removal.value.message == "You can not change owner role"

    someone = stored(sandbox, "memberships", "role = 'user'")[1]
    with pytest.raises(PermissionDenied):
        await client_for("user").memberships.remove(someone["id"])
    assert sandbox.state.store.get("memberships", someone["id"]) is not None

    with pytest.raises(NotFound):
        await client.memberships.get("NOSUCHMEMBERSHIP")


async def test_a_token_without_the_scope_gets_insufficient_scope(
    client_for: ClientFactory, organization_uri: str
) -> None:
    narrow = client_for("owner", scopes=["users:read"])
    with pytest.raises(InsufficientScope) as caught:
        await narrow.memberships.list(organization=organization_uri)
    assert caught.value.required_scopes == ("organizations:read",)
    assert isinstance(caught.value, PermissionDenied)
    reader = client_for("owner", scopes=["organizations:read"])
    with pytest.raises(InsufficientScope) as write:
        await reader.memberships.remove("ANYMEMBERSHIP000")
    assert write.value.required_scopes == ("organizations:write",)


# -- invitations -----------------------------------------------------------------------------


async def test_iterate_invitations_matches_the_store(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    invitations = [i async for i in client.invitations.iterate(organization=organization_uri)]
    expected = stored(sandbox, "invitations")
    assert len(expected) >= 3
    assert [i.uuid for i in invitations] == [r["id"] for r in expected]
    assert [(i.email, i.status) for i in invitations] == [
        (r["email"], r["status"]) for r in expected
    ]
    assert all(isinstance(i, OrganizationInvitation) for i in invitations)
    accepted = [i for i in invitations if i.status == "accepted"]
    assert accepted and all(i.user is not None for i in accepted)


async def test_invitation_list_pages_and_filters(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    everything = [i async for i in client.invitations.iterate(organization=organization_uri)]
    first = await client.invitations.list(organization=organization_uri, count=4)
    rest = await client.invitations.list(
        organization=organization_uri, count=100, page_token=first.next_page_token
    )
    assert len(first.items) == 4
    assert [*first.items, *rest.items] == everything and rest.next_page_token is None

    newest_first = await client.invitations.list(
        organization=organization_uri, sort="created_at:desc", count=100
    )
    assert list(newest_first.items) == everything[::-1]

    pending = [
        i async for i in client.invitations.iterate(organization=organization_uri, status="pending")
    ]
    assert [i.uuid for i in pending] == [
        r["id"] for r in stored(sandbox, "invitations", "status = 'pending'")
    ]
    one = everything[-1]
    by_email = await client.invitations.list(organization=organization_uri, email=one.email)
    assert one in by_email.items and all(i.email == one.email for i in by_email.items)


async def test_create_get_and_revoke_an_invitation(
    client: CalendlyClient, organization_uri: str
) -> None:
    made = await client.invitations.create(
        organization=organization_uri, email="New.Person@Example.com"
    )
    assert made.status == "pending" and made.email == "new.person@example.com"
    assert made.organization == organization_uri
    assert await client.invitations.get(made.uri) == made
    assert await client.invitations.get(made.uuid, organization=organization_uri) == made

    await client.invitations.revoke(made.uri)
    with pytest.raises(NotFound):
        await client.invitations.get(made.uri)

    again = await client.invitations.create(organization=organization_uri, email="x@example.com")
    await client.invitations.revoke(again.uuid, organization=organization_uri)
    pending = [
        i.uuid
        async for i in client.invitations.iterate(organization=organization_uri, status="pending")
    ]
    assert again.uuid not in pending


async def test_invitation_errors_from_the_sandbox(
    client: CalendlyClient, client_for: ClientFactory, organization_uri: str
) -> None:
    with pytest.raises(BadRequest) as invalid_email:
        await client.invitations.create(organization=organization_uri, email="not-an-email")
    assert invalid_email.value.detail_for("email")

    members = await client.memberships.list(organization=organization_uri, role="user", count=1)
    member = members.items[0]
    with pytest.raises(BadRequest) as already:
        await client.invitations.create(organization=organization_uri, email=member.user.email)
    assert already.value.title == "Already Organization Member"

    await client.invitations.create(organization=organization_uri, email="twice@example.com")
    with pytest.raises(BadRequest) as twice:
        await client.invitations.create(organization=organization_uri, email="twice@example.com")
    assert twice.value.title == "Already Invited"

    accepted = await client.invitations.list(organization=organization_uri, status="accepted")
    with pytest.raises(BadRequest) as revoke_accepted:
        await client.invitations.revoke(accepted.items[0].uri)
    assert revoke_accepted.value.title == "Invitation Already Accepted"

    with pytest.raises(PermissionDenied):
        await client_for("user").invitations.list(organization=organization_uri)
    with pytest.raises(NotFound):
        await client.invitations.get("NOSUCHINVITATION", organization=organization_uri)


async def test_a_bare_invitation_id_needs_its_organization(client: CalendlyClient) -> None:
    with pytest.raises(ValueError, match="organization"):
        await client.invitations.get("SOMEINVITATION00")
