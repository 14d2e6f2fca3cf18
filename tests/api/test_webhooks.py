"""``client.webhooks``: subscriptions (list, iterate, get, create, delete) and samples."""

from __future__ import annotations

import pytest

from desktop.api import (
    BadRequest,
    CalendlyClient,
    Conflict,
    InsufficientScope,
    NotFound,
    PermissionDenied,
)
from desktop.domain import (
    EventType,
    InviteePayload,
    RoutingFormSubmission,
    WebhookPayload,
    WebhookSubscription,
)
from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from tests.api.conftest import ClientFactory

pytestmark = pytest.mark.asyncio

HOOK = "https://hooks.example.com/calendly"


def stored(sandbox: SandboxServer, where: str, params: tuple[object, ...] = ()) -> list[Record]:
    return sandbox.state.store.find("webhooks", where, params, order="created_at, id")


def owner_uri(sandbox: SandboxServer) -> str:
    assert sandbox.summary is not None
    return sandbox.state.uris.user(sandbox.summary.owner)


async def test_iterate_organization_webhooks_matches_the_store(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    hooks = [
        w
        async for w in client.webhooks.iterate(organization=organization_uri, scope="organization")
    ]
    rows = stored(sandbox, "scope = 'organization'")
    assert len(rows) >= 2
    assert [w.uuid for w in hooks] == [r["id"] for r in rows]
    for hook, row in zip(hooks, rows, strict=True):
        assert isinstance(hook, WebhookSubscription)
        assert (hook.callback_url, hook.state, hook.events) == (
            row["callback_url"],
            row["state"],
            tuple(row["events"]),
        )
        assert hook.organization == organization_uri and hook.user is None
        assert (hook.retry_started_at is None) == (row["retry_started_at"] is None)
        assert hook.creator == sandbox.state.uris.user(row["creator"])
    assert any(w.is_failing for w in hooks) or any(not w.is_active for w in hooks)


async def test_list_pages_sort_and_get(client: CalendlyClient, organization_uri: str) -> None:
    everything = [
        w
        async for w in client.webhooks.iterate(organization=organization_uri, scope="organization")
    ]
    first = await client.webhooks.list(organization=organization_uri, scope="organization", count=1)
    rest = await client.webhooks.list(
        organization=organization_uri, scope="organization", page_token=first.next_page_token
    )
    assert [*first.items, *rest.items] == everything
    newest = await client.webhooks.list(
        organization=organization_uri, scope="organization", sort="created_at:desc"
    )
    assert list(newest.items) == everything[::-1]
    for hook in everything:
        assert await client.webhooks.get(hook.uri) == hook
    assert await client.webhooks.get(everything[0].uuid) == everything[0]


async def test_user_and_group_scopes_filter_by_owner(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    user_row = stored(sandbox, "scope = 'user'")[0]
    user_uri = sandbox.state.uris.user(user_row["user"])
    theirs = [
        w
        async for w in client.webhooks.iterate(
            organization=organization_uri, scope="user", user=user_uri
        )
    ]
    assert [w.uuid for w in theirs] == [
        r["id"] for r in stored(sandbox, "scope = 'user' AND user = ?", (user_row["user"],))
    ]
    assert all(w.user == user_uri and w.scope == "user" for w in theirs)

    group_row = stored(sandbox, "scope = 'group'")[0]
    group_uri = sandbox.state.uris.of("groups", group_row["group_id"])
    page = await client.webhooks.list(organization=organization_uri, scope="group", group=group_uri)
    assert [w.uuid for w in page.items] == [
        r["id"]
        for r in stored(sandbox, "scope = 'group' AND group_id = ?", (group_row["group_id"],))
    ]
    assert all(w.group == group_uri for w in page.items)


async def test_create_reads_back_equal_and_delete_removes_it(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    made = await client.webhooks.create(
        url=HOOK,
        events=["invitee.created", "routing_form_submission.created"],
        organization=organization_uri,
        scope="organization",
        signing_key="s3cret-key",
    )
    assert (made.callback_url, made.scope, made.state) == (HOOK, "organization", "active")
    assert made.events == ("invitee.created", "routing_form_submission.created")
    assert made.creator == owner_uri(sandbox)
    assert await client.webhooks.get(made.uri) == made
    row = sandbox.state.store.get("webhooks", made.uuid)
    assert row is not None and row["signing_key"] == "s3cret-key"

    await client.webhooks.delete(made.uri)
    with pytest.raises(NotFound):
        await client.webhooks.get(made.uri)
    listed = [
        w.uri
        async for w in client.webhooks.iterate(organization=organization_uri, scope="organization")
    ]
    assert made.uri not in listed


async def test_a_member_subscribes_for_themself(
    client_for: ClientFactory, sandbox: SandboxServer, organization_uri: str
) -> None:
    member = client_for("user")
    me = await member.users.me()
    made = await member.webhooks.create(
        url=HOOK,
        events=["invitee.canceled"],
        organization=organization_uri,
        scope="user",
        user=me.uri,
    )
    assert made.user == me.uri
    mine = await member.webhooks.list(organization=organization_uri, scope="user", user=me.uri)
    assert made in mine.items
    await member.webhooks.delete(made.uuid)
    assert sandbox.state.store.get("webhooks", made.uuid) is None


async def test_a_second_subscription_for_the_same_url_is_a_conflict(
    client: CalendlyClient, organization_uri: str
) -> None:
    await client.webhooks.create(
        url=HOOK, events=["invitee.created"], organization=organization_uri, scope="organization"
    )
    with pytest.raises(Conflict) as caught:
        await client.webhooks.create(
            url=HOOK,
            events=["invitee.canceled"],
            organization=organization_uri,
            scope="organization",
        )
    assert caught.value.status == 409
    assert caught.value.title == "Already Exists"
    assert "already exists" in caught.value.message


async def test_create_errors_name_the_parameters(
    client: CalendlyClient, organization_uri: str
) -> None:
    with pytest.raises(BadRequest) as bad:
        await client.webhooks.create(
            url="not a url",
            events=["invitee.exploded"],  # type: ignore[list-item]
            organization=organization_uri,
            scope="organization",
        )
    assert {"url", "events"} <= {p.parameter for p in bad.value.details}
    with pytest.raises(BadRequest) as wrong_scope:
        await client.webhooks.create(
            url=HOOK,
            events=["meeting_recap.created"],
            organization=organization_uri,
            scope="organization",
        )
    assert "only available for user scope" in (wrong_scope.value.detail_for("events") or "")
    with pytest.raises(BadRequest) as no_user:
        await client.webhooks.create(
            url=HOOK, events=["invitee.created"], organization=organization_uri, scope="user"
        )
    assert no_user.value.detail_for("user")


async def test_permission_and_scope_errors(
    client: CalendlyClient, client_for: ClientFactory, organization_uri: str
) -> None:
    with pytest.raises(PermissionDenied) as plain:
        await client_for("user").webhooks.list(organization=organization_uri, scope="organization")
    assert plain.value.message == "You do not have permission"
    assert not isinstance(plain.value, InsufficientScope)

    write_only = client_for("owner", scopes=["webhooks:write"])
    with pytest.raises(InsufficientScope) as missing:
        await write_only.webhooks.create(
            url=HOOK,
            events=["invitee.created"],
            organization=organization_uri,
            scope="organization",
        )
    assert missing.value.required_scopes == ("scheduled_events:read",)
    with pytest.raises(InsufficientScope) as read:
        await client_for("owner", scopes=["users:read"]).webhooks.list(
            organization=organization_uri, scope="organization"
        )
    assert read.value.required_scopes == ("webhooks:read",)
    with pytest.raises(NotFound):
        await client.webhooks.get("NOSUCHWEBHOOK000")
    with pytest.raises(NotFound):
        await client.webhooks.delete("NOSUCHWEBHOOK000")


# -- samples -------------------------------------------------------------------------------


async def test_sample_invitee_created_decodes_to_an_invitee(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    sample = await client.webhooks.sample(
        event="invitee.created", organization=organization_uri, scope="organization"
    )
    assert isinstance(sample, WebhookPayload)
    assert sample.event == "invitee.created" and sample.created_by == owner_uri(sandbox)
    assert sample.created_at.tzinfo is not None
    payload = sample.decode_payload()
    assert isinstance(payload, InviteePayload)
    event_id = payload.event.rsplit("/", 1)[-1]
    assert sandbox.state.store.get("scheduled_events", event_id) is not None


async def test_samples_of_other_events(client: CalendlyClient, organization_uri: str) -> None:
    form = await client.webhooks.sample(
        event="routing_form_submission.created", organization=organization_uri, scope="organization"
    )
    submission = form.decode_payload()
    assert isinstance(submission, RoutingFormSubmission)
    assert (await client.routing_forms.get_submission(submission.uri)).routing_form == (
        submission.routing_form
    )
    event_type = await client.webhooks.sample(
        event="event_type.updated", organization=organization_uri, scope="organization"
    )
    assert isinstance(event_type.decode_payload(), EventType)


async def test_sample_errors(
    client: CalendlyClient, client_for: ClientFactory, organization_uri: str
) -> None:
    me = await client.users.me()
    with pytest.raises(BadRequest) as bad:
        await client.webhooks.sample(
            event="routing_form_submission.created",
            organization=organization_uri,
            scope="user",
            user=me.uri,
        )
    assert bad.value.detail_for("scope")
    with pytest.raises(PermissionDenied):
        await client_for("user").webhooks.sample(
            event="invitee.created", organization=organization_uri, scope="organization"
        )
