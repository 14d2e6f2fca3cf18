"""The webhook watch and health bar over the real sandbox: failing, disabled, recovered and
orphaned subscriptions become notifications and findings; the watch's settings and life cycle."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from desktop.sandbox import SandboxServer
from desktop.ui.page_context import PageContext
from desktop.ui.theme import apply_appearance, relative_luminance
from desktop.ui.webhooks.health_bar import FindingRow, HealthBar
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.watch import WebhookWatch
from desktop.webhooks.health import FindingKind
from tests.sandbox.delivery_support import cancel, hook_of, subscribe, upcoming_event
from tests.sandbox.helpers import me, org_uri
from tests.sandbox.receiver import Receiver, serving, wait_until
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard

CANCELED = ["invitee.canceled"]


@dataclass
class Watched:
    context: PageContext
    state: WebhookState
    watch: WebhookWatch
    bar: HealthBar
    host: QWidget


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving() as made:
        yield made


@pytest.fixture
def watched(page_context: Any) -> Iterator[Callable[..., Watched]]:
    """``watched(role="owner", clock=None)``: a watch and a health bar bound as the page binds
    them (the watch attached to the bar), on a real connection to the sandbox."""
    made: list[Watched] = []

    def make(role: str = "owner", clock: Callable[[], datetime] | None = None) -> Watched:
        context = page_context(role)
        state = WebhookState(context) if clock is None else WebhookState(context, clock=clock)
        host = page_context.adopt(QWidget())
        watch = WebhookWatch(host)
        bar = HealthBar(watch, host)
        QVBoxLayout(host).addWidget(bar)
        host.resize(900, 400)
        host.show()
        watch.bind(context, state)
        bar.bind(context, state)
        found = Watched(context, state, watch, bar, host)
        made.append(found)
        return found

    yield make
    for found in made:
        found.bar.unbind()
        found.watch.unbind()


def _first_check(qtbot: Any, watched: Watched) -> None:
    qtbot.waitUntil(lambda: watched.bar.last_checked is not None, timeout=20_000)
    qtbot.waitUntil(lambda: not watched.watch.checking, timeout=20_000)


def _sent(page_context: Any, key: str) -> list[Any]:
    return [n for n in page_context.notifier.sent if n.key == key]


def _message(page_context: Any, key: str) -> Any:
    return next((m for m in page_context.messages.messages() if m.key == key), None)


def _row(bar: HealthBar, uri: str, kind: FindingKind | None = None) -> FindingRow | None:
    return next(
        (r for r in bar.rows if r.uri == uri and (kind is None or r.finding.kind is kind)), None
    )


def _failing(client: httpx.Client, sandbox: SandboxServer, receiver: Receiver) -> dict[str, Any]:
    """A subscription to the receiver whose first delivery has failed (retrying)."""
    hook = subscribe(client, sandbox, receiver.url(), CANCELED)
    cancel(client, upcoming_event(sandbox, single=True))
    wait_until(
        lambda: hook_of(client, hook).json()["resource"]["retry_started_at"],
        what="the sandbox to start retrying the subscription",
    )
    return hook


def test_a_failing_subscription_is_told_with_its_time_left_then_disabled_with_revive(
    watched: Callable[..., Watched],
    page_context: Any,
    sandbox: SandboxServer,
    api: Any,
    receiver: Receiver,
    qtbot: Any,
) -> None:
    receiver.default = 500
    found = watched()
    watch, bar = found.watch, found.bar
    _first_check(qtbot, found)
    client = api("owner")
    hook = _failing(client, sandbox, receiver)
    uri = hook["uri"]

    watch.refresh()
    retrying = f"webhooks:retrying:{uri}"
    qtbot.waitUntil(lambda: bool(_sent(page_context, retrying)), timeout=20_000)
    note = _sent(page_context, retrying)[-1]
    assert note.title.endswith("is failing") and receiver.url() in note.title
    assert "disabled in 23 h 59 min" in note.text
    message = _message(page_context, retrying)
    assert message is not None and "disabled in 23 h 59 min" in message.text
    assert message.action_button is not None and message.action_button.text() == "&Show"
    # The health bar lists it, with the same countdown, and says so in its summary.
    row = _row(bar, uri, FindingKind.RETRYING)
    assert row is not None and "disabled in 23 h 59 min" in row.text.text()
    assert receiver.url() in row.title.text() and "failing" in row.title.text()
    assert "retrying" in bar.summary.text() and "disabled in" in bar.summary.text()
    assert bar.tone in ("warning", "error")
    with qtbot.waitSignal(watch.show_requested) as shown:
        qtbot.mouseClick(message.action_button, Qt.MouseButton.LeftButton)
    assert shown.args == [uri]

    # A day later the sandbox gives up: the next check tells it is disabled and offers revive.
    sandbox.advance_clock(25 * 3600)
    wait_until(
        lambda: hook_of(client, hook).json()["resource"]["state"] == "disabled",
        what="the sandbox to disable the subscription",
    )
    watch.refresh()
    disabled = f"webhooks:disabled:{uri}"
    qtbot.waitUntil(lambda: _message(page_context, disabled) is not None, timeout=20_000)
    message = _message(page_context, disabled)
    assert "was disabled" in message.text and receiver.url() in message.text
    assert message.level == "error"
    assert _message(page_context, retrying) is None  # the countdown is over
    row = _row(bar, uri, FindingKind.DISABLED)
    assert row is not None and row.revive_button is not None
    assert _row(bar, uri, FindingKind.RETRYING) is None
    assert "disabled" in bar.summary.text()
    with qtbot.waitSignal(watch.revive_requested) as revived:
        qtbot.mouseClick(message.action_button, Qt.MouseButton.LeftButton)
    assert revived.args == [uri]
    with qtbot.waitSignal(bar.revive_requested) as revived:
        qtbot.mouseClick(row.revive_button, Qt.MouseButton.LeftButton)
    assert revived.args == [uri]
    with qtbot.waitSignal(bar.show_requested) as shown:
        qtbot.mouseClick(row.show_button, Qt.MouseButton.LeftButton)
    assert shown.args == [uri]


def test_a_recovered_subscription_takes_its_warning_down(
    watched: Callable[..., Watched],
    page_context: Any,
    sandbox: SandboxServer,
    api: Any,
    receiver: Receiver,
    qtbot: Any,
) -> None:
    receiver.answer(500)  # the first delivery fails, the retry succeeds
    found = watched()
    _first_check(qtbot, found)
    client = api("owner")
    hook = _failing(client, sandbox, receiver)
    uri = hook["uri"]
    retrying = f"webhooks:retrying:{uri}"
    found.watch.refresh()
    qtbot.waitUntil(lambda: _message(page_context, retrying) is not None, timeout=20_000)

    sandbox.advance_clock(61)  # the first retry is due a minute after the failure
    wait_until(
        lambda: hook_of(client, hook).json()["resource"]["retry_started_at"] is None,
        what="the retried delivery to succeed",
    )
    assert len(receiver.received()) == 2
    found.watch.refresh()
    qtbot.waitUntil(lambda: _message(page_context, retrying) is None, timeout=20_000)
    recovered = _message(page_context, f"webhooks:recovered:{uri}")
    assert recovered is not None and "works again" in recovered.text
    assert recovered.level == "info"
    assert _row(found.bar, uri) is None


def test_orphans_and_a_departed_members_subscription(
    watched: Callable[..., Watched],
    page_context: Any,
    sandbox: SandboxServer,
    api: Any,
    receiver: Receiver,
    qtbot: Any,
) -> None:
    admin = api("admin")
    person = me(admin)
    made_by_admin = subscribe(admin, sandbox, receiver.url("/org"), ["invitee.created"])
    own = subscribe(
        admin,
        sandbox,
        receiver.url("/mine"),
        ["invitee.created"],
        scope="user",
        user=person["uri"].rsplit("/", 1)[1],
    )
    found = watched()
    _first_check(qtbot, found)
    assert _row(found.bar, made_by_admin["uri"]) is None

    owner = api("owner")
    memberships = owner.get(
        "/organization_memberships",
        params={"organization": org_uri(sandbox), "email": person["email"]},
    ).json()["collection"]
    membership_id = memberships[0]["uri"].rsplit("/", 1)[1]
    assert owner.delete(f"/organization_memberships/{membership_id}").status_code == 204

    found.watch.refresh()
    qtbot.waitUntil(
        lambda: _row(found.bar, made_by_admin["uri"], FindingKind.ORPHAN_CREATOR) is not None,
        timeout=20_000,
    )
    row = _row(found.bar, made_by_admin["uri"], FindingKind.ORPHAN_CREATOR)
    assert row is not None and "former member" in row.title.text()
    assert "orphan" in found.bar.summary.text()
    # Calendly deletes a departed member's own subscriptions with them: the watch says so.
    deleted = _sent(page_context, f"webhooks:deleted:{own['uri']}")
    assert deleted and "left the organization" in deleted[-1].text
    # Every finding is listed when the details are opened, with its buttons reachable.
    qtbot.mouseClick(found.bar.details_button, Qt.MouseButton.LeftButton)
    assert found.bar.findings_area.isVisibleTo(found.bar)
    assert unnamed_interactive(found.bar) == []
    assert unreachable_by_keyboard(found.bar) == []


def test_the_interval_and_on_off_are_saved_and_applied_at_once(
    watched: Callable[..., Watched], page_context: Any, qtbot: Any
) -> None:
    found = watched()
    bar, watch = found.bar, found.watch
    assert watch.running and bar.watch_box.isChecked()
    assert bar.minutes.value() == 5 and bar.minutes.minimum() == 1
    _first_check(qtbot, found)
    assert bar.status.text().startswith("Last checked ")

    bar.minutes.setValue(7)
    assert page_context.preferences[0].webhooks.watch_minutes == 7
    assert watch.watcher is not None and watch.watcher.interval_seconds == 420

    qtbot.mouseClick(bar.watch_box, Qt.MouseButton.LeftButton)
    assert page_context.preferences[0].webhooks.watch is False
    qtbot.waitUntil(lambda: not watch.running)
    qtbot.mouseClick(bar.watch_box, Qt.MouseButton.LeftButton)
    assert page_context.preferences[0].webhooks.watch is True
    qtbot.waitUntil(lambda: watch.running)
    assert page_context.preferences[0].webhooks.watch_minutes == 7


def test_the_watch_stops_on_unbind(
    watched: Callable[..., Watched], sandbox: SandboxServer, run_async: Any, qtbot: Any
) -> None:
    lists = sandbox.add_fault(kind="latency", latency_ms=0, paths=["/webhook_subscriptions"])
    found = watched()
    _first_check(qtbot, found)
    watcher = found.watch.watcher
    assert watcher is not None and watcher.running and lists.fired > 0
    found.watch.unbind()
    found.bar.unbind()
    qtbot.waitUntil(lambda: not watcher.running)
    before = lists.fired
    found.watch.refresh()  # unbound: nothing to check
    assert not found.bar.check_button.isEnabled()
    assert not found.bar.ticker.isActive()
    run_async(found.context.connection.client.users.me())  # the loop runs on meanwhile
    assert lists.fired == before


def test_closing_the_app_ends_a_check_before_the_connection_closes(
    watched: Callable[..., Watched], sandbox: SandboxServer, run_async: Any, qtbot: Any
) -> None:
    found = watched()
    _first_check(qtbot, found)
    watcher = found.watch.watcher
    assert watcher is not None
    # The watch's own check is under way (slowed down) when the app quits: the app closes
    # its tasks, then the connection. The check must end with the tasks, not fail later on
    # the closed connection (the pages are not unbound at quit).
    sandbox.add_fault(kind="latency", latency_ms=3000, paths=["/webhook_subscriptions"])
    found.watch.set_enabled(False)
    found.watch.set_enabled(True)  # starts again: its first check at once
    qtbot.waitUntil(lambda: found.watch.checking, timeout=20_000)
    run_async(found.context.tasks.aclose())
    assert not watcher.running
    run_async(found.context.connection.aclose())
    assert found.watch.failure is None
    assert found.context.reported == []  # type: ignore[attr-defined]


def test_a_watch_let_go_without_unbinding_stops_watching(page_context: Any, qtbot: Any) -> None:
    context = page_context("owner")
    state = WebhookState(context, parent=context.window)
    watch = WebhookWatch()
    watch.bind(context, state)
    watcher = watch.watcher
    assert watcher is not None
    qtbot.waitUntil(lambda: watch.last_checked is not None, timeout=20_000)
    assert watcher.running
    shiboken6.delete(watch)  # deleted with the window at quit, never unbound
    qtbot.waitUntil(lambda: not watcher.running)


def test_a_rate_limited_check_says_when_it_tries_again(
    watched: Callable[..., Watched],
    sandbox: SandboxServer,
    control: httpx.Client,
    qtbot: Any,
) -> None:
    found = watched()
    _first_check(qtbot, found)
    # Calendly's window is longer than the client waits out: the 429 reaches the watch.
    control.post("/_sandbox/rate_limit", json={"limit": 500, "window_seconds": 600})
    sandbox.add_fault(kind="rate_limit", times=1, paths=["/webhook_subscriptions"])
    found.watch.refresh()
    qtbot.waitUntil(lambda: "Last check failed" in found.bar.status.text(), timeout=20_000)
    text = found.bar.status.text()
    assert "rate limit" in text and "next try in 10 min" in text
    assert found.watch.running  # it never raised out of its loop
    # What the last good check found stays on show meanwhile.
    assert "retrying" in found.bar.summary.text() and found.bar.rows


def test_a_check_without_network_says_so_and_when_it_tries_again(
    watched: Callable[..., Watched], sandbox: SandboxServer, run_async: Any, qtbot: Any
) -> None:
    found = watched()
    _first_check(qtbot, found)
    drop = sandbox.add_fault(kind="drop")  # every API request: closed unanswered
    found.watch.refresh()
    qtbot.waitUntil(lambda: "Last check failed" in found.bar.status.text(), timeout=20_000)
    text = found.bar.status.text()
    assert "No answer from Calendly" in text and "next try in 5 min" in text
    assert found.watch.running
    # The network is back; the Subscriptions tab lists again: the bar says the check worked.
    sandbox.state.faults.remove(drop.id)
    run_async(found.state.fetch(), timeout=20_000)
    assert found.bar.status.text().startswith("Last checked ")


def test_the_countdown_follows_the_clock_without_asking_calendly(
    watched: Callable[..., Watched], sandbox: SandboxServer, qtbot: Any
) -> None:
    moment = [datetime.now(UTC)]
    found = watched(clock=lambda: moment[0])
    _first_check(qtbot, found)
    bar = found.bar
    deadlines = sorted(
        f.deadline
        for f in found.state.findings
        if f.kind is FindingKind.RETRYING and f.deadline is not None
    )
    assert deadlines, "the seed has subscriptions in a retry cycle"
    lists = sandbox.add_fault(kind="latency", latency_ms=0, paths=["/webhook_subscriptions"])
    moment[0] = deadlines[0] - timedelta(hours=5, minutes=12, seconds=30)
    bar.tick()
    assert "disabled in 5 h 12 min unless deliveries succeed" in bar.summary.text()
    assert bar.ticker.isActive() and bar.ticker.interval() == 60_000
    moment[0] += timedelta(minutes=1)
    bar.tick()  # what the ticker does each minute
    assert "disabled in 5 h 11 min" in bar.summary.text()
    moment[0] = deadlines[0] - timedelta(minutes=90)
    bar.tick()
    assert "disabled in 1 h 30 min" in bar.summary.text()
    urgent = [r for r in bar.rows if r.finding.deadline == deadlines[0]]
    assert urgent[0].severity.text() == "Urgent:" and "1 h 30 min" in urgent[0].text.text()
    assert bar.tone == "error"
    assert lists.fired == 0


def test_a_members_watch_covers_their_own_subscriptions(
    watched: Callable[..., Watched], qtbot: Any
) -> None:
    found = watched("user")
    _first_check(qtbot, found)
    assert found.watch.running
    assert "your own subscriptions only" in found.bar.summary.text()
    assert found.watch.failure is None


def test_the_bar_follows_the_colour_scheme_and_says_its_level_in_words(
    watched: Callable[..., Watched], qapp: QApplication, qtbot: Any
) -> None:
    found = watched()
    _first_check(qtbot, found)
    bar = found.bar
    assert bar.rows and all(r.severity.text() in ("Urgent:", "Warning:", "Note:") for r in bar.rows)
    try:
        apply_appearance(qapp, "light")
        qtbot.waitUntil(lambda: relative_luminance(_background(bar)) > 0.6)
        light = bar.colours()
        assert _background(bar) == QColor(light[0])
        apply_appearance(qapp, "dark")
        qtbot.waitUntil(lambda: relative_luminance(_background(bar)) < 0.1)
        assert bar.colours() != light and _background(bar) == QColor(bar.colours()[0])
    finally:
        apply_appearance(qapp, "system")
    assert unnamed_interactive(bar) == []


def _background(bar: HealthBar) -> QColor:
    """The colour a user sees behind the summary (inside the bar's left margin)."""
    image = bar.grab().toImage()
    return image.pixelColor(5, image.height() // 2)
