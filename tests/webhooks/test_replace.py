"""Editing and reviving subscriptions against the sandbox, with its faults at every step.

Each test counts the sandbox's own subscriptions for the URLs involved: whatever fails, the
organization ends with exactly one subscription for the recipe, or the result says otherwise.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio

from desktop.action_log import ActionContext, ActionLog
from desktop.api import CalendlyClient, RetryPolicy
from desktop.api.errors import Conflict, NotFound
from desktop.domain.webhooks import WebhookSubscription
from desktop.sandbox import SandboxServer
from desktop.secrets import SecretStore
from desktop.webhooks.replace import (
    Order,
    Outcome,
    Recorder,
    SubscriptionSpec,
    replace_subscription,
)
from desktop.webhooks.vault import SigningKeyVault
from tests.keyrings import MemoryKeyring

ClientFor = Callable[..., CalendlyClient]
NO_RETRIES = RetryPolicy(max_retries=0)
OLD_KEY = "old-key-0123456789-abcdefghijklmnopqrstuv"
NEW_KEY = "new-key-9876543210-ZYXWVUTSRQPONMLKJIHGFE"
NEW_URL = "https://hooks.example.com/calendly/v2"
CONTEXT = ActionContext(
    profile_id="p1",
    profile_name="Sandbox",
    environment="sandbox",
    organization_uri="https://127.0.0.1/organizations/X",
    organization_name="Copperleaf",
    actor_uri="https://127.0.0.1/users/Y",
    actor_name="Owner",
)


@pytest_asyncio.fixture
async def log(tmp_path: Path) -> AsyncIterator[ActionLog]:
    async with ActionLog(tmp_path / "actions.sqlite3") as opened:
        yield opened


@pytest.fixture
def record(log: ActionLog) -> Recorder:
    return functools.partial(log.recording, CONTEXT)


@pytest.fixture
def vault() -> SigningKeyVault:
    return SigningKeyVault(SecretStore(MemoryKeyring()), "p1")


def count(sandbox: SandboxServer, url: str) -> int:
    return sandbox.state.store.count("webhooks", "callback_url = ?", (url,))


def stored_key(sandbox: SandboxServer, subscription_uri: str) -> str | None:
    """The signing key Calendly (the sandbox) signs this subscription's deliveries with."""
    record = sandbox.state.store.get("webhooks", subscription_uri.rsplit("/", 1)[1])
    assert record is not None
    key = record["signing_key"]
    return None if key is None else str(key)


async def seeded(
    client: CalendlyClient, organization_uri: str, *, state: str, marker: str
) -> WebhookSubscription:
    """A seeded organization subscription in ``state`` whose URL contains ``marker``."""
    async for hook in client.webhooks.iterate(organization=organization_uri, scope="organization"):
        if hook.state == state and marker in hook.callback_url:
            return hook
    raise AssertionError(f"the seed has no {state} organization subscription at *{marker}*")


async def bookings(client: CalendlyClient, organization_uri: str) -> WebhookSubscription:
    return await seeded(client, organization_uri, state="active", marker="/calendly/bookings")


def fault(sandbox: SandboxServer, method: str, path: str, times: int | None = None) -> None:
    sandbox.add_fault(kind="error", status=500, methods=[method], paths=[path], times=times)


def path_of(subscription: WebhookSubscription) -> str:
    return f"/webhook_subscriptions/{subscription.uuid}"


def at_new_url(old: WebhookSubscription) -> SubscriptionSpec:
    """The old recipe at ``NEW_URL``, with ``NEW_KEY``: an edit that creates first."""
    return dataclasses.replace(SubscriptionSpec.of(old, NEW_KEY), url=NEW_URL)


def fewer_events(old: WebhookSubscription) -> SubscriptionSpec:
    """The old recipe at the same URL for ``invitee.created`` only, with ``NEW_KEY``: an edit
    that deletes first."""
    return dataclasses.replace(SubscriptionSpec.of(old, NEW_KEY), events=("invitee.created",))


# -- create first: a new URL -------------------------------------------------------------------
@pytest.mark.asyncio
async def test_an_edit_to_a_new_url_creates_confirms_then_deletes(
    sandbox: SandboxServer,
    client: CalendlyClient,
    organization_uri: str,
    vault: SigningKeyVault,
    log: ActionLog,
    record: Recorder,
) -> None:
    old = await bookings(client, organization_uri)
    await vault.remember(old.uri, OLD_KEY)
    spec = dataclasses.replace(
        SubscriptionSpec.of(old, NEW_KEY), url=NEW_URL, events=("invitee.created",)
    )
    result = await replace_subscription(client, old, spec, vault=vault, record=record)

    assert result.order is Order.CREATE_FIRST
    assert result.outcome is Outcome.REPLACED and result.ok
    assert [s.name for s in result.steps] == ["create", "save key", "confirm", "delete old"]
    assert all(s.ok for s in result.steps)
    new = result.subscription
    assert new is not None and new.callback_url == NEW_URL and new.events == ("invitee.created",)
    assert count(sandbox, old.callback_url) == 0 and count(sandbox, NEW_URL) == 1
    with pytest.raises(NotFound):
        await client.webhooks.get(old.uri)
    # The key: Calendly signs with it, the vault holds it under the new URI only.
    assert stored_key(sandbox, new.uri) == NEW_KEY
    assert await vault.key_for(new.uri) == NEW_KEY
    assert await vault.key_for(old.uri) is None
    # The action log tells both writes, in order, and never the key.
    entries = list(reversed(await log.query()))
    assert [(e.action, e.outcome, e.target_uri) for e in entries] == [
        ("webhook.create", "ok", new.uri),
        ("webhook.delete", "ok", old.uri),
    ]
    assert entries[0].details["replaces"] == old.uri and entries[0].details["signed"] is True
    assert log.path is not None and NEW_KEY.encode() not in log.path.read_bytes()
    assert NEW_KEY not in repr(result) and NEW_KEY not in repr(spec)


@pytest.mark.asyncio
async def test_a_failed_confirmation_deletes_the_new_one_again(
    sandbox: SandboxServer, client_for: ClientFor, organization_uri: str, vault: SigningKeyVault
) -> None:
    client = client_for("owner", retry=NO_RETRIES)
    old = await bookings(client, organization_uri)
    await vault.remember(old.uri, OLD_KEY)
    fault(sandbox, "GET", "/webhook_subscriptions/*", times=1)  # the confirming GET
    spec = at_new_url(old)
    result = await replace_subscription(client, old, spec, vault=vault)

    assert result.outcome is Outcome.UNCHANGED and not result.ok
    assert [(s.name, s.ok) for s in result.steps] == [
        ("create", True),
        ("save key", True),
        ("confirm", False),
        ("undo create", True),
    ]
    assert "500" in result.steps[2].text
    assert count(sandbox, old.callback_url) == 1 and count(sandbox, NEW_URL) == 0
    assert result.subscription == old
    assert "Nothing was changed" in result.summary
    # The new key went with the new subscription; the old key stays with the old one.
    created_uri = result.steps[0].uri
    assert created_uri is not None and await vault.key_for(created_uri) is None
    assert await vault.key_for(old.uri) == OLD_KEY


@pytest.mark.asyncio
async def test_a_failed_delete_of_the_old_one_deletes_the_new_one_again(
    sandbox: SandboxServer,
    client_for: ClientFor,
    organization_uri: str,
    vault: SigningKeyVault,
    log: ActionLog,
    record: Recorder,
) -> None:
    client = client_for("owner", retry=NO_RETRIES)
    old = await bookings(client, organization_uri)
    fault(sandbox, "DELETE", path_of(old))
    spec = at_new_url(old)
    result = await replace_subscription(client, old, spec, vault=vault, record=record)

    assert result.outcome is Outcome.UNCHANGED
    assert [(s.name, s.ok) for s in result.steps][-2:] == [
        ("delete old", False),
        ("undo create", True),
    ]
    assert count(sandbox, old.callback_url) == 1 and count(sandbox, NEW_URL) == 0
    assert (await client.webhooks.get(old.uri)).is_active
    entries = list(reversed(await log.query()))
    assert [(e.action, e.outcome) for e in entries] == [
        ("webhook.create", "ok"),
        ("webhook.delete", "failed"),
        ("webhook.delete", "ok"),
    ]
    assert entries[1].target_uri == old.uri and entries[1].status == 500
    assert entries[2].target_uri == result.steps[0].uri


@pytest.mark.asyncio
async def test_when_nothing_can_be_deleted_the_result_says_two_exist(
    sandbox: SandboxServer, client_for: ClientFor, organization_uri: str, vault: SigningKeyVault
) -> None:
    client = client_for("owner", retry=NO_RETRIES)
    old = await bookings(client, organization_uri)
    fault(sandbox, "DELETE", "/webhook_subscriptions/*")
    spec = at_new_url(old)
    result = await replace_subscription(client, old, spec, vault=vault)

    assert result.outcome is Outcome.BOTH
    assert count(sandbox, old.callback_url) == 1 and count(sandbox, NEW_URL) == 1
    assert "Two subscriptions exist" in result.summary and NEW_URL in result.summary
    # The key of the subscription that still exists is kept.
    assert result.subscription is not None
    assert await vault.key_for(result.subscription.uri) == NEW_KEY


@pytest.mark.asyncio
async def test_a_lost_answer_to_the_create_is_reconciled_not_repeated(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str, vault: SigningKeyVault
) -> None:
    old = await bookings(client, organization_uri)
    # The sandbox makes the subscription, then cuts its answer short.
    sandbox.add_fault(kind="truncate", methods=["POST"], paths=["/webhook_subscriptions"], times=1)
    spec = at_new_url(old)
    result = await replace_subscription(client, old, spec, vault=vault)

    assert result.outcome is Outcome.REPLACED
    assert "answer was lost" in result.steps[0].text
    assert count(sandbox, NEW_URL) == 1 and count(sandbox, old.callback_url) == 0
    assert result.subscription is not None
    assert await vault.key_for(result.subscription.uri) == NEW_KEY


@pytest.mark.asyncio
async def test_a_recipe_calendly_would_refuse_changes_nothing(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str
) -> None:
    old = await bookings(client, organization_uri)
    spec = dataclasses.replace(SubscriptionSpec.of(old), events=("meeting_recap.created",))
    result = await replace_subscription(client, old, spec)
    assert result.outcome is Outcome.UNCHANGED
    assert [s.name for s in result.steps] == ["check"]
    assert "Events:" in result.summary and "user scope" in result.summary
    assert count(sandbox, old.callback_url) == 1
    assert (await client.webhooks.get(old.uri)).uri == old.uri


# -- delete first: same URL, scope and owner -----------------------------------------------------
@pytest.mark.asyncio
async def test_a_revive_deletes_the_disabled_one_then_creates_it_again(
    sandbox: SandboxServer,
    client: CalendlyClient,
    organization_uri: str,
    vault: SigningKeyVault,
    log: ActionLog,
    record: Recorder,
) -> None:
    old = await seeded(client, organization_uri, state="disabled", marker="/catch/")
    spec = SubscriptionSpec.of(old, NEW_KEY)
    # Why it cannot create first: Calendly refuses the URL while the disabled one exists.
    with pytest.raises(Conflict, match="Hook with this url already exists"):
        await client.webhooks.create(
            url=old.callback_url,
            events=["invitee.created"],
            organization=organization_uri,
            scope="organization",
        )
    result = await replace_subscription(client, old, spec, vault=vault, record=record)

    assert result.order is Order.DELETE_FIRST and result.outcome is Outcome.REPLACED
    assert [s.name for s in result.steps] == ["delete old", "create", "save key", "confirm"]
    revived = result.subscription
    assert revived is not None and revived.uri != old.uri
    assert revived.is_active and revived.retry_started_at is None
    assert revived.events == old.events and revived.callback_url == old.callback_url
    assert count(sandbox, old.callback_url) == 1
    assert stored_key(sandbox, revived.uri) == NEW_KEY
    assert await vault.key_for(revived.uri) == NEW_KEY
    assert [e.action for e in reversed(await log.query())] == ["webhook.delete", "webhook.create"]


@pytest.mark.asyncio
async def test_an_edit_keeping_the_url_restores_the_old_recipe_when_the_create_fails(
    sandbox: SandboxServer,
    client: CalendlyClient,
    organization_uri: str,
    vault: SigningKeyVault,
    log: ActionLog,
    record: Recorder,
) -> None:
    old = await bookings(client, organization_uri)
    await vault.remember(old.uri, OLD_KEY)
    fault(sandbox, "POST", "/webhook_subscriptions", times=1)  # the new recipe's create
    spec = fewer_events(old)
    result = await replace_subscription(client, old, spec, vault=vault, record=record)

    assert result.order is Order.DELETE_FIRST and result.outcome is Outcome.RESTORED
    assert [(s.name, s.ok) for s in result.steps] == [
        ("delete old", True),
        ("create", False),
        ("recreate old", True),
        ("save key", True),
    ]
    restored = result.subscription
    assert restored is not None and restored.uri != old.uri
    assert restored.events == old.events and restored.callback_url == old.callback_url
    assert count(sandbox, old.callback_url) == 1
    # Recreated with the old key, which the vault now holds under the new URI only.
    assert stored_key(sandbox, restored.uri) == OLD_KEY
    assert await vault.key_for(restored.uri) == OLD_KEY
    assert await vault.key_for(old.uri) is None
    assert "created again as it was, with its signing key" in result.summary
    assert [(e.action, e.outcome) for e in reversed(await log.query())] == [
        ("webhook.delete", "ok"),
        ("webhook.create", "failed"),
        ("webhook.create", "ok"),
    ]


@pytest.mark.asyncio
async def test_a_restore_without_a_saved_key_says_deliveries_are_unsigned(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str, vault: SigningKeyVault
) -> None:
    old = await bookings(client, organization_uri)
    fault(sandbox, "POST", "/webhook_subscriptions", times=1)
    spec = fewer_events(old)
    result = await replace_subscription(client, old, spec, vault=vault)
    assert result.outcome is Outcome.RESTORED
    assert result.subscription is not None
    assert stored_key(sandbox, result.subscription.uri) is None
    assert "unsigned" in result.summary


@pytest.mark.asyncio
async def test_when_neither_recipe_can_be_created_the_result_says_none_exists(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str, vault: SigningKeyVault
) -> None:
    old = await bookings(client, organization_uri)
    await vault.remember(old.uri, OLD_KEY)
    fault(sandbox, "POST", "/webhook_subscriptions", times=2)
    spec = fewer_events(old)
    result = await replace_subscription(client, old, spec, vault=vault)

    assert result.outcome is Outcome.NONE and result.subscription is None
    assert count(sandbox, old.callback_url) == 0
    assert "No subscription" in result.summary and old.callback_url in result.summary
    assert await vault.key_for(old.uri) == OLD_KEY  # kept, to create it again by hand


@pytest.mark.asyncio
async def test_when_the_old_one_cannot_be_deleted_first_nothing_changes(
    sandbox: SandboxServer, client_for: ClientFor, organization_uri: str, vault: SigningKeyVault
) -> None:
    client = client_for("owner", retry=NO_RETRIES)
    old = await seeded(client, organization_uri, state="disabled", marker="/catch/")
    fault(sandbox, "DELETE", path_of(old))
    result = await replace_subscription(client, old, SubscriptionSpec.of(old), vault=vault)
    assert result.outcome is Outcome.UNCHANGED
    assert [(s.name, s.ok) for s in result.steps] == [("delete old", False)]
    assert count(sandbox, old.callback_url) == 1
    assert (await client.webhooks.get(old.uri)).state == "disabled"
