"""The watcher against the sandbox: failing deliveries, the retry window, 410, recovery, limits.

Polls are driven with ``poll_now()``; the sandbox's clock is frozen and moved by hand, and
each wait is on the dispatcher's progress condition, never a timer.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from desktop.api import CalendlyClient, RetryPolicy
from desktop.domain.webhooks import WebhookSubscription
from desktop.sandbox import SandboxServer
from desktop.webhooks.health import Alert, AlertKind, FindingKind
from desktop.webhooks.listing import Listing, all_subscriptions
from desktop.webhooks.watch import DEFAULT_INTERVAL, MIN_INTERVAL, Watcher
from tests.sandbox.delivery_support import cancel, upcoming_event
from tests.sandbox.helpers import Api
from tests.sandbox.receiver import Receiver, serving, wait_until

ClientFor = Callable[..., CalendlyClient]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving() as made:
        yield made


@pytest.fixture
def frozen(sandbox: SandboxServer) -> SandboxServer:
    sandbox.state.clock.freeze()
    return sandbox


async def subscribe(client: CalendlyClient, organization: str, url: str) -> WebhookSubscription:
    return await client.webhooks.create(
        url=url, events=["invitee.canceled"], organization=organization, scope="organization"
    )


def stored(sandbox: SandboxServer, hook: WebhookSubscription) -> dict[str, object] | None:
    return sandbox.state.store.get("webhooks", hook.uuid)


def mine(alerts: list[Alert], hook: WebhookSubscription) -> list[AlertKind]:
    return [alert.kind for alert in alerts if alert.uri == hook.uri]


def watcher_for(
    client: CalendlyClient, organization: str, sandbox: SandboxServer, told: list[Alert]
) -> Watcher:
    return Watcher(
        lambda: all_subscriptions(client, organization),
        told.extend,
        interval_seconds=60,
        clock=sandbox.state.clock.now,
    )


@pytest.mark.asyncio
async def test_failing_deliveries_warn_with_the_deadline_then_the_disable_is_told(
    frozen: SandboxServer,
    client: CalendlyClient,
    organization_uri: str,
    api: Api,
    receiver: Receiver,
) -> None:
    sandbox = frozen
    receiver.default = 500
    hook = await subscribe(client, organization_uri, receiver.url())
    told: list[Alert] = []
    watcher = watcher_for(client, organization_uri, sandbox, told)

    first = await watcher.poll_now()
    # The first look tells the seeded subscriptions already retrying, with their deadlines.
    seeded = [a for a in first if a.kind is AlertKind.RETRYING]
    assert seeded and all(a.deadline is not None for a in seeded) and told == first
    assert mine(first, hook) == []

    cancel(api("owner"), upcoming_event(sandbox, single=True))
    started = wait_until(lambda: (row := stored(sandbox, hook)) and row["retry_started_at"])
    alerts = await watcher.poll_now()
    [retrying] = [a for a in alerts if a.uri == hook.uri]
    assert retrying.kind is AlertKind.RETRYING
    assert retrying.subscription.retry_started_at is not None
    assert retrying.deadline == retrying.subscription.retry_started_at + timedelta(hours=24)
    assert "in 24 h 00 min" in retrying.text and str(started)[:10] in retrying.text
    assert any(f.kind is FindingKind.RETRYING and hook.uri in f.uris for f in watcher.findings)
    assert mine(await watcher.poll_now(), hook) == []  # still retrying: not news twice

    sandbox.state.clock.advance(timedelta(hours=25))
    wait_until(lambda: (row := stored(sandbox, hook)) and row["state"] == "disabled")
    alerts = await watcher.poll_now()
    [disabled] = [a for a in alerts if a.uri == hook.uri]
    assert disabled.kind is AlertKind.DISABLED and disabled.action == "revive"
    assert any(f.kind is FindingKind.DISABLED and hook.uri in f.uris for f in watcher.findings)
    assert told[-len(alerts) :] == alerts


@pytest.mark.asyncio
async def test_a_recovery_and_a_410_deletion_are_told(
    frozen: SandboxServer, client: CalendlyClient, organization_uri: str, api: Api
) -> None:
    sandbox = frozen
    with serving() as flaky, serving(default=410) as gone_receiver:
        flaky.answer(503)  # the first delivery fails, the retry succeeds
        recovering = await subscribe(client, organization_uri, flaky.url())
        gone = await subscribe(client, organization_uri, gone_receiver.url())
        told: list[Alert] = []
        watcher = watcher_for(client, organization_uri, sandbox, told)
        await watcher.poll_now()

        cancel(api("owner"), upcoming_event(sandbox, single=True))
        wait_until(lambda: (row := stored(sandbox, recovering)) and row["retry_started_at"])
        wait_until(lambda: stored(sandbox, gone) is None)
        alerts = await watcher.poll_now()
        assert mine(alerts, recovering) == [AlertKind.RETRYING]
        assert mine(alerts, gone) == [AlertKind.DELETED]
        [deleted] = [a for a in alerts if a.uri == gone.uri]
        assert "410 Gone" in deleted.text

        sandbox.state.clock.advance(timedelta(minutes=1))  # the retry is due
        wait_until(lambda: (row := stored(sandbox, recovering)) and not row["retry_started_at"])
        alerts = await watcher.poll_now()
        assert mine(alerts, recovering) == [AlertKind.RECOVERED]
        assert mine(alerts, gone) == []


@pytest.mark.asyncio
async def test_the_apps_own_deletion_is_not_news(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str
) -> None:
    hook = await subscribe(client, organization_uri, "https://hooks.example.com/mine")
    told: list[Alert] = []
    watcher = watcher_for(client, organization_uri, sandbox, told)
    await watcher.poll_now()
    await client.webhooks.delete(hook.uri)
    watcher.expect_gone(hook.uri)
    assert mine(await watcher.poll_now(), hook) == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.asyncio
async def test_errors_are_reported_never_raised_and_polls_back_off(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str
) -> None:
    errors: list[str] = []
    failing = True

    async def fetch() -> Listing:
        if failing:  # a real failure: a subscription that does not exist
            await client.webhooks.get(f"{sandbox.base_url}/webhook_subscriptions/NOSUCHTHING00000")
        return await all_subscriptions(client, organization_uri)

    def explode(alerts: list[Alert]) -> None:
        raise RuntimeError("a listener's bug")

    watcher = Watcher(
        fetch, explode, interval_seconds=60, on_error=lambda text, error: errors.append(text)
    )
    assert await watcher.poll_now() == []
    assert watcher.failures == 1 and watcher.next_delay == 60
    await watcher.poll_now()
    assert watcher.failures == 2 and watcher.next_delay == 120
    assert len(errors) == 2 and "could not be checked" in errors[0]
    assert "404" in errors[0] and watcher.last_error == errors[-1]

    failing = False
    alerts = await watcher.poll_now()  # the listener raises on the seeded alerts: swallowed
    assert alerts and watcher.failures == 0 and watcher.next_delay == 60
    assert watcher.last_error is None

    unreachable = CalendlyClient(
        f"http://127.0.0.1:{_closed_port()}", "token", timeout=5, retry=RetryPolicy(max_retries=0)
    )
    async with unreachable:
        offline = Watcher(lambda: all_subscriptions(unreachable, organization_uri), explode)
        await offline.poll_now()  # every list fails: told as the listing's problems
        assert offline.last_listing is not None and offline.last_listing.rows == ()
        assert offline.last_listing.problems and offline.failures == 0


@pytest.mark.asyncio
async def test_a_rate_limited_poll_backs_off(
    sandbox: SandboxServer, client_for: ClientFor, organization_uri: str
) -> None:
    # A one-second window keeps the client's own wait for the reset short.
    sandbox.state.limiter.configure(500, 1)
    client = client_for("owner", retry=RetryPolicy(max_rate_limit_wait=0))
    watcher = Watcher(lambda: all_subscriptions(client, organization_uri), lambda alerts: None)
    sandbox.add_fault(kind="rate_limit", times=1)
    await watcher.poll_now()
    assert watcher.last_listing is not None and watcher.last_listing.rate_limited is not None
    assert watcher.failures == 1 and watcher.next_delay == DEFAULT_INTERVAL
    sandbox.add_fault(kind="rate_limit", times=1)
    await watcher.poll_now()
    assert watcher.failures == 2 and watcher.next_delay == 2 * DEFAULT_INTERVAL
    await watcher.poll_now()
    assert watcher.failures == 0 and watcher.next_delay == DEFAULT_INTERVAL


@pytest.mark.asyncio
async def test_a_low_request_budget_delays_the_next_poll_to_the_window_reset(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str
) -> None:
    sandbox.state.limiter.configure(40, 600)  # a poll costs about 31 of them
    watcher = Watcher(
        lambda: all_subscriptions(client, organization_uri),
        lambda alerts: None,
        interval_seconds=60,
        budget=client.rate_limit,
    )
    await watcher.poll_now()
    assert watcher.last_listing is not None and watcher.last_listing.complete
    remaining = client.rate_limit().remaining
    assert remaining is not None and remaining < 31
    assert watcher.next_delay > 500


@pytest.mark.asyncio
async def test_start_polls_at_once_on_the_running_loop_and_stop_ends_it(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str
) -> None:
    assert Watcher(lambda: all_subscriptions(client, organization_uri), print).interval_seconds == (
        DEFAULT_INTERVAL
    )
    listed = asyncio.Event()
    watcher = Watcher(
        lambda: all_subscriptions(client, organization_uri),
        lambda alerts: None,
        interval_seconds=5,
        on_listing=lambda listing: listed.set(),
    )
    assert watcher.interval_seconds == MIN_INTERVAL  # never more often than once a minute
    watcher.start()
    assert watcher.running
    await asyncio.wait_for(listed.wait(), timeout=20)
    assert watcher.last_listing is not None and watcher.next_delay == MIN_INTERVAL
    watcher.interval_seconds = 600
    assert watcher.next_delay == 600
    await watcher.aclose()
    assert not watcher.running
