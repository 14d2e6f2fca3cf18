"""Listing every subscription of an organization against the sandbox, owner by owner."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from desktop.api import CalendlyClient, RetryPolicy
from desktop.sandbox import SandboxServer
from desktop.webhooks.listing import ADMINS_ONLY, Listing, all_subscriptions
from tests.sandbox.helpers import group_uri, uri, user_uri

ClientFor = Callable[..., CalendlyClient]
NO_RETRIES = RetryPolicy(max_retries=0)


def stored(sandbox: SandboxServer) -> dict[str, dict[str, object]]:
    """The sandbox's own subscriptions by URI: what a complete listing must show."""
    return {
        uri(sandbox, "webhook_subscriptions", str(hook["id"])): hook
        for hook in sandbox.state.store.find("webhooks", "1")
    }


def names(sandbox: SandboxServer) -> dict[str, str]:
    store = sandbox.state.store
    found = {user_uri(sandbox, u["id"]): str(u["name"]) for u in store.find("users", "1")}
    found.update({group_uri(sandbox, g["id"]): str(g["name"]) for g in store.find("groups", "1")})
    return found


@pytest.mark.asyncio
async def test_an_owner_sees_every_subscription_with_its_owner(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str
) -> None:
    progress: list[tuple[int, int]] = []
    listing = await all_subscriptions(
        client, organization_uri, on_progress=lambda done, total: progress.append((done, total))
    )
    expected = stored(sandbox)
    assert listing.complete and listing.problems == ()
    assert {row.uri for row in listing.rows} == set(expected)
    assert len(listing.rows) == len(expected)  # each once
    assert {row.scope for row in listing.rows} == {"organization", "user", "group"}
    labels = names(sandbox)
    for row in listing.rows:
        record = expected[row.uri]
        assert row.scope == record["scope"] == row.owner.scope
        if row.scope == "organization":
            assert row.owner.uri == organization_uri
        elif row.scope == "user":
            assert row.owner.uri == user_uri(sandbox, str(record["user"]))
            assert row.owner.name == labels[row.owner.uri] and "@" in row.owner.email
        else:
            assert row.owner.uri == group_uri(sandbox, str(record["group_id"]))
            assert row.owner.name == labels[row.owner.uri]
            assert row.owner.label == f"group {row.owner.name}"
    # Organization first, then groups, then members (each owner's oldest first).
    scopes = [row.scope for row in listing.rows]
    assert scopes == sorted(scopes, key=["organization", "group", "user"].index)
    # Everyone was read; progress counts the organization, 2 groups and 25 members.
    assert listing.members_loaded and len(listing.members) == 25 and len(listing.groups) == 2
    assert len(listing.listed) == 28
    assert progress[-1] == (28, 28)
    assert [done for done, _ in progress] == list(range(1, 29))


@pytest.mark.asyncio
async def test_a_member_who_is_not_an_admin_gets_their_own_and_a_reason(
    sandbox: SandboxServer, client_for: ClientFor, organization_uri: str
) -> None:
    member = client_for("user")
    me = await member.users.me()
    mine = await member.webhooks.create(
        url="https://me.example.com/calendly",
        events=["invitee.created"],
        organization=organization_uri,
        scope="user",
        user=me.uri,
    )
    listing = await all_subscriptions(member, organization_uri)
    assert [row.uri for row in listing.rows] == [mine.uri]
    assert listing.rows[0].owner.uri == me.uri and listing.rows[0].owner.name == me.name
    [problem] = listing.problems
    assert problem.message == ADMINS_ONLY and problem.status == 403
    assert problem.subject == "the organization"
    assert listing.listed == frozenset({("user", me.uri)})
    assert not listing.complete


@pytest.mark.asyncio
async def test_one_owner_failing_does_not_lose_the_others(
    sandbox: SandboxServer, client_for: ClientFor, organization_uri: str
) -> None:
    client = client_for("owner", retry=NO_RETRIES)
    # The organization's list, then (one at a time) the first group's: both answer 500.
    sandbox.add_fault(
        kind="error", status=500, paths=["/webhook_subscriptions"], methods=["GET"], times=2
    )
    listing = await all_subscriptions(client, organization_uri, concurrency=1)
    first_group = min(sandbox.state.store.find("groups", "1"), key=lambda g: str(g["name"]))
    lost_group = group_uri(sandbox, str(first_group["id"]))
    assert [p.subject for p in listing.problems] == [
        "the organization",
        f"group {first_group['name']}",
    ]
    assert all(p.status == 500 and "500" in p.message for p in listing.problems)
    expected = {
        hook_uri
        for hook_uri, hook in stored(sandbox).items()
        if hook["scope"] != "organization" and hook.get("group_id") != first_group["id"]
    }
    assert {row.uri for row in listing.rows} == expected
    assert ("organization", organization_uri) not in listing.listed
    assert ("group", lost_group) not in listing.listed
    assert len(listing.listed) == 26


@pytest.mark.asyncio
async def test_a_token_without_webhook_scope_says_so_once(
    sandbox: SandboxServer, client_for: ClientFor, organization_uri: str
) -> None:
    scoped = client_for("owner", scopes=["organizations:read", "groups:read", "users:read"])
    listing = await all_subscriptions(scoped, organization_uri)
    assert listing.rows == ()
    [problem] = listing.problems
    assert "webhooks:read" in problem.message and problem.status == 403


@pytest.mark.asyncio
async def test_members_that_cannot_be_listed_are_a_problem_not_a_failure(
    sandbox: SandboxServer, client_for: ClientFor, organization_uri: str
) -> None:
    scoped = client_for("owner", scopes=["webhooks:read", "groups:read"])
    listing: Listing = await all_subscriptions(scoped, organization_uri)
    [problem] = listing.problems
    assert problem.subject == "the members" and "organizations:read" in problem.message
    assert not listing.members_loaded
    # The organization's and the groups' subscriptions are all there.
    expected = {u for u, h in stored(sandbox).items() if h["scope"] != "user"}
    assert {row.uri for row in listing.rows} == expected
