"""Failed deliveries: back-off on the sandbox clock, disabling, 410 Gone, recovery, no blocking."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import parse_time
from tests.sandbox.delivery_support import (
    cancel,
    deliveries,
    envelope,
    hook_of,
    ident,
    subscribe,
    upcoming_event,
)
from tests.sandbox.helpers import Api, assert_not_found
from tests.sandbox.receiver import Receiver, serving, wait_until

CANCELED = ["invitee.canceled"]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving() as made:
        yield made


@pytest.fixture
def frozen(sandbox: SandboxServer) -> SandboxServer:
    """The sandbox with its clock stopped (only ``advance`` moves it): exact back-off times."""
    sandbox.state.clock.freeze()
    return sandbox


def _attempts(sandbox: SandboxServer, hook: dict[str, Any], count: int) -> list[Record]:
    """Wait for at least ``count`` recorded attempts of the subscription."""
    return list(
        wait_until(
            lambda: (
                (found := sandbox.dispatcher.attempts(hook["uri"]))
                and len(found) >= count
                and found
            ),
            what=f"{count} attempt(s)",
        )
    )


def _advance(sandbox: SandboxServer, **delta: float) -> None:
    sandbox.state.clock.advance(timedelta(**delta))


def _when(stamp: str) -> float:
    return parse_time(stamp, "time").timestamp()


def _one_delivery(sandbox: SandboxServer, hook: dict[str, Any]) -> Record:
    [delivery] = deliveries(sandbox, hook)
    return delivery


def _setup(
    api: Api, sandbox: SandboxServer, receiver: Receiver
) -> tuple[httpx.Client, dict[str, Any]]:
    """A subscription to cancellations at the receiver, and one cancellation of one invitee."""
    client = api("owner")
    hook = subscribe(client, sandbox, receiver.url(), CANCELED)
    cancel(client, upcoming_event(sandbox, single=True))
    return client, hook


def test_failures_back_off_then_disable_the_subscription(
    frozen: SandboxServer, api: Api, receiver: Receiver
) -> None:
    sandbox = frozen
    receiver.default = 500
    client, hook = _setup(api, sandbox, receiver)
    first = _attempts(sandbox, hook, 1)[0]
    assert first["status"] == 500 and first["succeeded"] is False
    assert first["error"] == "HTTP 500"
    started = wait_until(lambda: hook_of(client, hook).json()["resource"]["retry_started_at"])
    assert started == first["created_at"]
    assert hook_of(client, hook).json()["resource"]["state"] == "active"

    # Exponential back-off on the sandbox clock: 1 minute, then 2, then 4.
    for number, wait in ((2, 60), (3, 120), (4, 240)):
        previous = _attempts(sandbox, hook, number - 1)[-1]
        due = _one_delivery(sandbox, hook)["next_attempt_at"]
        assert _when(due) - _when(previous["created_at"]) == wait
        _advance(sandbox, seconds=wait - 1)
        assert len(sandbox.dispatcher.attempts(hook["uri"])) == number - 1  # not yet due
        _advance(sandbox, seconds=1)
        assert _attempts(sandbox, hook, number)[-1]["attempt"] == number
    assert len(receiver.received()) == 4
    # The same bytes every time (serialised once, at publish time).
    assert len({r.body for r in receiver.received()}) == 1

    # Past the 24-hour window the next failure disables it; its deliveries stop.
    _advance(sandbox, hours=25)
    wait_until(lambda: hook_of(client, hook).json()["resource"]["state"] == "disabled")
    assert hook_of(client, hook).json()["resource"]["retry_started_at"] == started
    delivery = wait_until(lambda: (d := _one_delivery(sandbox, hook))["state"] == "failed" and d)
    assert "disabled" in delivery["reason"]
    count = len(receiver.received())
    _advance(sandbox, hours=2)
    cancel(client, upcoming_event(sandbox))  # a new fact: a disabled subscription gets nothing
    assert len(deliveries(sandbox, hook)) == 1
    assert len(receiver.received()) == count


def test_a_redirect_is_a_failure_and_is_not_followed(
    sandbox: SandboxServer, api: Api, receiver: Receiver
) -> None:
    receiver.answer(302, headers={"Location": receiver.url("/elsewhere")})
    client, hook = _setup(api, sandbox, receiver)
    attempt = _attempts(sandbox, hook, 1)[0]
    assert attempt["status"] == 302
    assert attempt["succeeded"] is False
    assert "redirect" in attempt["error"]
    assert wait_until(lambda: hook_of(client, hook).json()["resource"]["retry_started_at"])
    assert _one_delivery(sandbox, hook)["state"] == "pending"
    assert receiver.received("/elsewhere") == []


def test_an_unreachable_receiver_is_a_failure(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    with serving() as gone:
        url = gone.url()
    hook = subscribe(client, sandbox, url, CANCELED)  # nothing listens there any more
    cancel(client, upcoming_event(sandbox))
    attempt = _attempts(sandbox, hook, 1)[0]
    assert attempt["status"] is None
    assert attempt["error"].startswith("connection error")
    assert wait_until(lambda: hook_of(client, hook).json()["resource"]["retry_started_at"])


def test_410_gone_deletes_the_subscription_at_once(
    sandbox: SandboxServer, api: Api, receiver: Receiver
) -> None:
    receiver.answer(410)
    client, hook = _setup(api, sandbox, receiver)
    wait_until(lambda: hook_of(client, hook).status_code == 404)
    assert_not_found(hook_of(client, hook))
    [attempt] = sandbox.dispatcher.attempts(hook["uri"])
    assert attempt["status"] == 410
    delivery = _one_delivery(sandbox, hook)
    assert delivery["state"] == "failed" and "410" in delivery["reason"]
    _advance(sandbox, hours=2)
    cancel(client, upcoming_event(sandbox))
    assert len(deliveries(sandbox, hook)) == 1
    assert len(receiver.received()) == 1


def test_a_success_after_failures_clears_retry_started_at(
    frozen: SandboxServer, api: Api, receiver: Receiver
) -> None:
    sandbox = frozen
    receiver.answer(503, 503)
    client, hook = _setup(api, sandbox, receiver)
    _attempts(sandbox, hook, 1)
    assert wait_until(lambda: hook_of(client, hook).json()["resource"]["retry_started_at"])
    _advance(sandbox, minutes=1)
    _attempts(sandbox, hook, 2)
    _advance(sandbox, minutes=2)
    third = _attempts(sandbox, hook, 3)[-1]
    assert third["status"] == 200 and third["succeeded"] is True
    wait_until(lambda: hook_of(client, hook).json()["resource"]["retry_started_at"] is None)
    resource = hook_of(client, hook).json()["resource"]
    assert resource["state"] == "active"
    delivery = _one_delivery(sandbox, hook)
    assert delivery["state"] == "delivered" and delivery["attempts"] == 3
    assert [r.body for r in receiver.received()] == [third["request_body"].encode()] * 3


def test_the_seeded_retrying_subscription_is_disabled_once_its_window_passes(
    sandbox: SandboxServer, api: Api
) -> None:
    client = api("owner")
    store = sandbox.state.store
    retrying = [h for h in store.find("webhooks", "state = 'active'") if h.get("retry_started_at")]
    if not retrying:
        pytest.skip("the seed has no subscription in a retry cycle")
    hook = {"uri": f"{sandbox.base_url}/webhook_subscriptions/{retrying[0]['id']}"}
    assert hook_of(client, hook).json()["resource"]["state"] == "active"
    _advance(sandbox, hours=25)
    wait_until(lambda: hook_of(client, hook).json()["resource"]["state"] == "disabled")


def test_a_slow_receiver_never_holds_up_the_api(
    sandbox: SandboxServer, api: Api, receiver: Receiver
) -> None:
    receiver.hold()
    client, hook = _setup(api, sandbox, receiver)  # the cancellation has answered 201 here
    wait_until(lambda: receiver.waiting == 1, what="the delivery to reach the receiver")
    # The API answered while the delivery is still waiting for the receiver's answer.
    assert sandbox.dispatcher.attempts(hook["uri"]) == []
    assert _one_delivery(sandbox, hook)["state"] == "pending"
    assert client.get("/users/me").status_code == 200
    receiver.release()
    assert _attempts(sandbox, hook, 1)[0]["status"] == 200
    assert envelope(receiver.received()[0])["event"] == "invitee.canceled"


def test_reset_forgets_deliveries_and_work_in_flight(
    sandbox: SandboxServer, api: Api, receiver: Receiver
) -> None:
    receiver.hold()
    _, hook = _setup(api, sandbox, receiver)
    wait_until(lambda: receiver.waiting == 1)
    sandbox.reset(seed=7, members=25, events=400)
    assert sandbox.state.store.count("webhook_deliveries") == 0
    receiver.release()
    # A fresh delivery after the reset completes; the one cut off never writes back.
    fresh = subscribe(api("owner"), sandbox, receiver.url("/after"), CANCELED)
    cancel(api("owner"), upcoming_event(sandbox))
    _attempts(sandbox, fresh, 1)
    assert sandbox.dispatcher.attempts(hook["uri"]) == []
    assert {d["webhook"] for d in sandbox.dispatcher.deliveries()} >= {ident(fresh)}
    assert all(d["webhook"] != ident(hook) for d in sandbox.dispatcher.deliveries())
