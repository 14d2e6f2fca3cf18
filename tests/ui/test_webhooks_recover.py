"""The Recover tab over the real sandbox and a real receiver: it finds what the receiver missed
(the sandbox's own journal says which) and re-sends it, signed, until nothing is missing."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from PySide6.QtCore import Qt

from desktop.domain.webhooks import WebhookSubscription
from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso
from desktop.settings import Webhooks
from desktop.ui.page_context import PageContext
from desktop.ui.webhooks.inspector import INBOX_FILE
from desktop.ui.webhooks.page import WebhooksPage, build_webhooks_page
from desktop.ui.webhooks.recover_panel import RecoverPanel
from desktop.ui.webhooks.recover_views import INVITEE, RESULT
from desktop.ui.webhooks.state import WebhookState
from desktop.webhooks.inbox import Inbox, Verdict
from desktop.webhooks.receiver import Receiver
from tests.sandbox.booking_support import event_type, first_open, one_on_one, request_body
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard
from tests.ui.page_helpers import page_spec

KEY = "whsec-recover-tab-test-key-0123456789"
EVENTS = ["invitee.created", "invitee.canceled"]
WAIT = 20_000


@pytest.fixture
def owner_http(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {sandbox.token_for('owner')}"}
    with httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=30) as made:
        yield made


def _panel(page_context: Any) -> tuple[RecoverPanel, PageContext, WebhookState]:
    context: PageContext = page_context("owner")
    state = WebhookState(context, parent=context.window)
    panel: RecoverPanel = page_context.adopt(RecoverPanel())
    panel.bind(context, state)
    return panel, context, state


def _journal(sandbox: SandboxServer, hook: WebhookSubscription) -> list[Record]:
    ident = hook.uri.rsplit("/", 1)[1]
    return sandbox.state.store.find("webhook_deliveries", "webhook = ?", (ident,), "id")


def _attempted(sandbox: SandboxServer, hook: WebhookSubscription, count: int) -> bool:
    found = _journal(sandbox, hook)
    return len(found) == count and all(int(r["attempts"]) >= 1 for r in found)


def _single_upcoming(sandbox: SandboxServer, skip: set[str]) -> Record:
    store = sandbox.state.store
    now = (iso(sandbox.state.clock.now()),)
    for event in store.find("scheduled_events", "status = 'active' AND start_time > ?", now):
        active = store.count("invitees", "event = ? AND status = 'active'", (event["id"],))
        if active == 1 and event["id"] not in skip:
            skip.add(event["id"])
            return event
    raise AssertionError("the seed has no upcoming one-invitee event")


def _cancel(run_async: Any, context: PageContext, event: Record) -> None:
    client = context.connection.client
    run_async(client.scheduled_events.cancel(event["id"], reason="Recover tab test"))


def _choose(panel: RecoverPanel, hook: WebhookSubscription) -> None:
    index = panel.subscription.findData(hook.uri)
    assert index >= 0, [panel.subscription.itemText(i) for i in range(panel.subscription.count())]
    panel.subscription.setCurrentIndex(index)


def _find(panel: RecoverPanel, qtbot: Any) -> None:
    qtbot.mouseClick(panel.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy and panel.expectation is not None, timeout=WAIT)


def _emails(sandbox: SandboxServer, records: list[Record]) -> set[str]:
    return {json.loads(r["body"])["payload"]["email"] for r in records}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_recover_tab_finds_the_missed_deliveries_and_resends_them(
    page_context: Any,
    qtbot: Any,
    run_async: Any,
    sandbox: SandboxServer,
    owner_http: httpx.Client,
    tmp_path: Path,
) -> None:
    panel, context, state = _panel(page_context)
    inbox = Inbox(tmp_path / INBOX_FILE)  # the file the panel compares with (data_dir)
    receiver = Receiver(inbox, lambda: [KEY])
    run_async(receiver.start())
    port = receiver.port
    hook = run_async(
        context.connection.client.webhooks.create(
            url=receiver.url,
            events=EVENTS,
            organization=state.organization,
            scope="organization",
            signing_key=KEY,
        )
    )
    run_async(state.remember_key(hook.uri, KEY))
    start = sandbox.state.clock.now()
    skip: set[str] = set()

    # Up: one cancellation arrives.
    _cancel(run_async, context, _single_upcoming(sandbox, skip))
    qtbot.waitUntil(lambda: [r["state"] for r in _journal(sandbox, hook)] == ["delivered"])
    # Down: a cancellation and a booking are lost.
    run_async(receiver.stop())
    _cancel(run_async, context, _single_upcoming(sandbox, skip))
    record = event_type(sandbox, one_on_one)
    booked = owner_http.post(
        "/invitees", json=request_body(sandbox, record, first_open(owner_http, sandbox, record))
    )
    assert booked.status_code == 201, booked.text
    qtbot.waitUntil(lambda: _attempted(sandbox, hook, 3), timeout=WAIT)
    end = sandbox.state.clock.now()
    # Calendly stops retrying after 24 hours: the subscription is disabled.
    sandbox.advance_clock(25 * 3600)
    qtbot.waitUntil(
        lambda: all(r["state"] != "pending" for r in _journal(sandbox, hook)), timeout=WAIT
    )
    dropped = [r for r in _journal(sandbox, hook) if r["state"] == "failed"]
    assert len(dropped) == 2

    receiver = Receiver(inbox, lambda: [KEY], port=port)  # back on its port
    run_async(receiver.start())
    try:
        run_async(state.fetch(), timeout=WAIT)
        _choose(panel, hook)
        assert panel.url.text() == hook.callback_url == receiver.url
        assert "signed with the vault's key" in panel.key_note.text()
        assert not panel.unsigned.isEnabled()
        panel.set_window(start - timedelta(minutes=1), end + timedelta(minutes=1))
        assert not panel.resend_button.isEnabled()

        _find(panel, qtbot)
        assert panel.list.topLevelItemCount() == 2
        shown = " ".join(panel.list.texts(INVITEE))
        assert all(email in shown for email in _emails(sandbox, dropped))
        assert panel.list.texts(RESULT) == ["Never logged", "Never logged"]
        assert "would have sent 3 deliveries" in panel.status.text()
        assert "2 are missing" in panel.status.text()
        assert panel.resend_button.text().replace("&", "") == "Re-send 2"
        assert panel.resend_button.isEnabled()

        qtbot.mouseClick(panel.resend_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not panel.busy and len(panel.results) == 2, timeout=WAIT)
        assert all(text.startswith("Delivered") for text in panel.list.texts(RESULT))
        assert panel.status.text() == "Re-sent 2: 2 delivered, 0 failed."
        arrived = run_async(inbox.query(limit=2))
        assert {d.verdict for d in arrived} == {Verdict.VALID}
        assert {json.loads(d.body)["payload"]["email"] for d in arrived} == _emails(
            sandbox, dropped
        )

        # Looked for again: nothing is missing any more.
        _find(panel, qtbot)
        assert panel.list.topLevelItemCount() == 0
        assert "0 are missing" in panel.status.text()
        assert not panel.resend_button.isEnabled()
    finally:
        run_async(receiver.stop())
        run_async(inbox.close())
    assert context.reported == []  # type: ignore[attr-defined]


def test_an_unverifiable_subscription_is_resent_unsigned_only_when_asked(
    page_context: Any, qtbot: Any, run_async: Any, sandbox: SandboxServer, tmp_path: Path
) -> None:
    panel, context, state = _panel(page_context)
    # Nothing listens at the subscription's address; its key never reached the vault.
    hook = run_async(
        context.connection.client.webhooks.create(
            url=f"http://127.0.0.1:{_free_port()}/hooks",
            events=["invitee.canceled"],
            organization=state.organization,
            scope="organization",
            signing_key=KEY,
        )
    )
    start = sandbox.state.clock.now()
    _cancel(run_async, context, _single_upcoming(sandbox, set()))
    qtbot.waitUntil(lambda: _attempted(sandbox, hook, 1), timeout=WAIT)
    end = sandbox.state.clock.now()
    run_async(state.fetch(), timeout=WAIT)
    _choose(panel, hook)
    assert "Unverifiable" in panel.key_note.text()
    assert panel.unsigned.isEnabled() and not panel.unsigned.isChecked()

    # A window that ends before it starts is refused next to the fields.
    panel.set_window(end + timedelta(minutes=1), start - timedelta(minutes=1))
    qtbot.mouseClick(panel.find_button, Qt.MouseButton.LeftButton)
    assert panel.window_message.isVisibleTo(panel)
    assert panel.window_message.text() == "To must be later than From."
    assert panel.finding is None

    panel.set_window(start - timedelta(minutes=1), end + timedelta(minutes=1))
    assert not panel.window_message.isVisibleTo(panel)
    _find(panel, qtbot)
    assert panel.list.topLevelItemCount() == 1

    inbox = Inbox(tmp_path / "elsewhere.sqlite3")
    receiver = Receiver(inbox, lambda: [KEY])
    run_async(receiver.start())
    try:
        panel.url.setText("ftp://example.com/hooks")
        assert "URL must start with https://" in panel.url_message.text()
        qtbot.mouseClick(panel.resend_button, Qt.MouseButton.LeftButton)
        assert panel.sending is None
        panel.url.setText(receiver.url)  # another URL than the subscription's: the user's choice
        assert not panel.url_message.isVisibleTo(panel)

        qtbot.mouseClick(panel.resend_button, Qt.MouseButton.LeftButton)
        assert panel.sending is None
        assert panel.key_message.isVisibleTo(panel)
        assert "Tick “Send unsigned”" in panel.key_message.text()

        panel.unsigned.setChecked(True)
        assert not panel.key_message.isVisibleTo(panel)
        qtbot.mouseClick(panel.resend_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not panel.busy and len(panel.results) == 1, timeout=WAIT)
        (arrived,) = run_async(inbox.query())
        assert arrived.verdict is Verdict.UNSIGNED
        assert arrived.body == panel.gaps[0].expected.body
        assert panel.list.texts(RESULT)[0].startswith("Delivered")
    finally:
        run_async(receiver.stop())
        run_async(inbox.close())

    assert unnamed_interactive(panel) == []
    assert unreachable_by_keyboard(panel) == []
    assert context.reported == []  # type: ignore[attr-defined]


def test_on_the_page_recover_compares_with_what_the_inspector_logged(
    page_context: Any, qtbot: Any, run_async: Any, sandbox: SandboxServer
) -> None:
    page_context.preferences[0] = msgspec.structs.replace(
        page_context.preferences[0], webhooks=Webhooks(receiver_port=0)
    )
    page: WebhooksPage = page_context.adopt(build_webhooks_page(page_spec("webhooks")))
    context: PageContext = page_context("owner")
    # No data folder: the inspector keeps its inbox in memory, and Recover must read that one.
    context.data_dir = None
    page.bind(context)
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert tabs[tabs.index("Verify") + 1] == "Recover"
    page.inspector.start()
    qtbot.waitUntil(lambda: page.inspector.running, timeout=WAIT)
    state = page.state
    assert state is not None
    hook = run_async(
        context.connection.client.webhooks.create(
            url=page.inspector.receiver_url,
            events=EVENTS,
            organization=state.organization,
            scope="organization",
            signing_key=KEY,
        )
    )
    run_async(state.remember_key(hook.uri, KEY))
    start = sandbox.state.clock.now()
    _cancel(run_async, context, _single_upcoming(sandbox, set()))
    qtbot.waitUntil(lambda: page.inspector.model.rowCount() == 1, timeout=WAIT)
    end = sandbox.state.clock.now()

    run_async(state.fetch(), timeout=WAIT)
    page.tabs.setCurrentWidget(page.recover)
    _choose(page.recover, hook)
    page.recover.set_window(start - timedelta(minutes=1), end + timedelta(minutes=1))
    _find(page.recover, qtbot)
    assert "would have sent 1 deliveries" in page.recover.status.text()
    assert "the receiver accepted 1; 0 are missing" in page.recover.status.text()
    assert context.reported == []  # type: ignore[attr-defined]
