"""The test sender: signed Calendly-shaped deliveries to real receivers, graded by Calendly."""

from __future__ import annotations

import json
import socket
from typing import Any

from PySide6.QtCore import Qt

from desktop.sandbox import SandboxServer
from desktop.ui.page_context import PageContext
from desktop.ui.webhooks.sender_panel import ENTERED, NONE, SenderPanel
from desktop.ui.webhooks.state import WebhookState
from desktop.webhooks.listing import Row
from desktop.webhooks.signature import HEADER
from tests.sandbox.delivery_support import envelope, signed_by
from tests.sandbox.receiver import serving
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard

KEY = "whsec-sender-test-key"
WAIT = 20_000


def _panel(page_context: Any, role: str = "owner") -> tuple[SenderPanel, PageContext, WebhookState]:
    context: PageContext = page_context(role)
    state = WebhookState(context, parent=context.window)
    panel: SenderPanel = page_context.adopt(SenderPanel())
    panel.bind(context, state)
    return panel, context, state


def _choose(panel: SenderPanel, event: str, source: str) -> None:
    panel.event_choice.setCurrentIndex(panel.event_choice.findData(event))
    panel.source.setCurrentIndex(panel.source.findData(source))


def _enter_key(panel: SenderPanel, key: str) -> None:
    panel.key_source.setCurrentIndex(panel.key_source.findData(ENTERED))
    assert panel.key.isEnabled()
    panel.key.setText(key)


def _send(panel: SenderPanel, qtbot: Any, count: int = 1) -> None:
    qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy and len(panel.results) == count, timeout=WAIT)
    assert panel.send_button.isEnabled() and not panel.stop_button.isEnabled()


def _subscribed(
    run_async: Any, context: PageContext, state: WebhookState, url: str, events: list[str]
) -> Row:
    """A new organization subscription to ``url`` whose key (``KEY``) the vault holds."""
    hook = run_async(
        context.connection.client.webhooks.create(
            url=url,
            events=events,
            organization=state.organization,
            scope="organization",
            signing_key=KEY,
        )
    )
    run_async(state.remember_key(hook.uri, KEY))
    listing = run_async(state.fetch(), timeout=WAIT)
    return next(row for row in listing.rows if row.uri == hook.uri)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_delivery_built_from_a_real_record_is_signed_and_delivered(
    page_context: Any, qtbot: Any
) -> None:
    panel, _, _ = _panel(page_context)
    with serving() as receiver:
        _choose(panel, "invitee.created", "records")
        assert panel.record.isEnabled()
        panel.url.setText(receiver.url())
        _enter_key(panel, KEY)
        assert panel.key.echoMode() == panel.key.EchoMode.Password
        _send(panel, qtbot)
        [arrived] = receiver.received()
    assert signed_by(arrived, KEY)
    sent = envelope(arrived)
    assert sent["event"] == "invitee.created" and sent["payload"]["status"] == "active"
    assert "Built from invitee" in panel.payload_source.text()
    # The preview showed exactly what was signed and sent, indented and read-only.
    assert json.loads(panel.preview.toPlainText()) == sent
    assert panel.preview.isReadOnly()
    assert panel.verdict.text().startswith("Delivered: the receiver answered 200 OK.")
    assert panel.request_view.toPlainText().startswith(f"POST {receiver.url()}")
    assert f"{HEADER}: t=" in panel.request_view.toPlainText()
    assert panel.response_view.toPlainText().startswith("200 OK")
    assert panel.status.text() == "Sent."
    assert unnamed_interactive(panel) == []
    assert unreachable_by_keyboard(panel) == []


def test_a_redirect_fails_without_being_followed(page_context: Any, qtbot: Any) -> None:
    panel, _, _ = _panel(page_context)
    with serving() as receiver, serving() as elsewhere:
        receiver.answer(302, headers={"Location": elsewhere.url()})
        _choose(panel, "invitee.created", "records")
        panel.url.setText(receiver.url())
        _send(panel, qtbot)
        assert len(receiver.received()) == 1 and elsewhere.received() == []
    verdict = panel.verdict.text()
    assert verdict.startswith("Failed: the receiver answered 302")
    assert "Calendly does not follow redirects" in verdict
    assert "retry with back-off for 24 hours, then disable" in verdict
    assert f"redirects to {elsewhere.url()}" in verdict
    assert HEADER not in panel.request_view.toPlainText()  # no key: unsigned


def test_a_gone_receiver_and_a_closed_port_fail_with_calendlys_consequence(
    page_context: Any, qtbot: Any
) -> None:
    panel, _, _ = _panel(page_context)
    _choose(panel, "invitee.canceled", "records")
    with serving(default=410) as receiver:
        panel.url.setText(receiver.url())
        _send(panel, qtbot)
    assert "delete the subscription at once" in panel.verdict.text()

    panel.url.setText(f"http://127.0.0.1:{_free_port()}/hooks")
    _send(panel, qtbot)
    verdict = panel.verdict.text()
    assert verdict.startswith("Failed: the connection to 127.0.0.1:")
    assert "refused" in verdict and "retry with back-off for 24 hours" in verdict
    assert panel.response_view.toPlainText().startswith("No answer:")


def test_a_subscription_is_tested_with_its_vault_key_and_sample(
    page_context: Any, qtbot: Any, run_async: Any, sandbox: SandboxServer
) -> None:
    panel, context, state = _panel(page_context)
    with serving() as receiver:
        hook = _subscribed(
            run_async, context, state, receiver.url(), ["invitee.canceled", "invitee.created"]
        )
        panel.use_subscription(hook)
        assert panel.url.text() == receiver.url()
        assert panel.key_source.currentData() == hook.uri and not panel.key.isEnabled()
        offered = [panel.event_choice.itemData(i) for i in range(panel.event_choice.count())]
        assert "routing_form_submission.created" in offered  # organization scope
        assert not any(event.startswith("meeting_recap.") for event in offered)  # user only
        assert panel.event_choice.currentData() == "invitee.canceled"
        assert panel.source.currentData() == "sample"
        _send(panel, qtbot)
        [arrived] = receiver.received()
    assert signed_by(arrived, KEY)
    assert envelope(arrived)["event"] == "invitee.canceled"
    assert "GET /sample_webhook_data" in panel.payload_source.text()
    assert panel.verdict.text().startswith("Delivered")

    # A seeded user-scope subscription whose key the vault never saw: unsigned, said so.
    assert state.listing is not None
    seeded = next(r for r in state.listing.rows if r.scope == "user" and r.uri != hook.uri)
    panel.use_subscription(seeded)
    assert panel.key_source.currentData() == NONE
    assert "the vault has no key for this subscription" in panel.key_message.text()
    offered = [panel.event_choice.itemData(i) for i in range(panel.event_choice.count())]
    assert "routing_form_submission.created" not in offered  # organization only
    assert "meeting_recap.created" in offered and "reschedule" in offered


def test_the_reschedule_pair_is_sent_as_two_deliveries(page_context: Any, qtbot: Any) -> None:
    panel, _, _ = _panel(page_context)
    with serving() as receiver:
        _choose(panel, "reschedule", "records")
        panel.url.setText(receiver.url())
        _send(panel, qtbot, count=2)
        first, second = receiver.received()
    assert [envelope(first)["event"], envelope(second)["event"]] == [
        "invitee.canceled",
        "invitee.created",
    ]
    assert envelope(first)["payload"]["rescheduled"] is True
    assert "1. invitee.canceled" in panel.verdict.text()
    assert "2. invitee.created" in panel.verdict.text()


def test_bad_fields_are_named_next_to_them_and_sending_can_be_stopped(
    page_context: Any, qtbot: Any
) -> None:
    panel, _, _ = _panel(page_context)
    _choose(panel, "invitee.created", "records")
    qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
    assert not panel.url_message.isHidden()
    assert panel.url_message.text().startswith("URL is empty")
    panel.url.setText("ftp://example.com/hooks")
    assert panel.url_message.text().startswith("URL must start with https://")
    with serving() as receiver:
        panel.url.setText(receiver.url())
        assert panel.url_message.isHidden()
        panel.key_source.setCurrentIndex(panel.key_source.findData(ENTERED))
        qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
        assert panel.key_message.text().startswith("Signing key is empty")
        assert not panel.busy
        panel.key_source.setCurrentIndex(panel.key_source.findData(NONE))

        receiver.hold()  # a receiver that does not answer
        qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(receiver.received()) == 1, timeout=WAIT)
        assert panel.stop_button.isEnabled() and not panel.send_button.isEnabled()
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not panel.busy)
        assert panel.status.text().startswith("Stopped")
        assert panel.send_button.isEnabled() and not panel.stop_button.isEnabled()
        receiver.release()


def test_a_record_that_cannot_be_used_is_said_next_to_it_and_nothing_is_sent(
    page_context: Any, qtbot: Any
) -> None:
    panel, _, _ = _panel(page_context)
    with serving() as receiver:
        _choose(panel, "invitee.created", "records")
        panel.url.setText(receiver.url())
        # A record of another API (Calendly's own, here): its URI never gets the token.
        panel.record.setText("https://api.calendly.com/scheduled_events/AAA/invitees/BBB")
        qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not panel.busy, timeout=WAIT)
        assert receiver.received() == []
    assert not panel.record_message.isHidden()
    assert "is not a record of this organization" in panel.record_message.text()
    assert "is not a record of this organization" in panel.status.text()
    assert panel.send_button.isEnabled() and panel.results == []
    panel.record.setText("")
    assert panel.record_message.isHidden()  # mending the field takes the message down


def test_a_vault_key_gone_meanwhile_is_said_and_nothing_goes_out_unsigned(
    page_context: Any, qtbot: Any, run_async: Any
) -> None:
    panel, context, state = _panel(page_context)
    with serving() as receiver:
        hook = _subscribed(run_async, context, state, receiver.url(), ["invitee.created"])
        panel.use_subscription(hook)
        assert panel.key_source.currentData() == hook.uri
        assert state.vault is not None
        run_async(state.vault.forget(hook.uri))  # elsewhere: another window, the keyring app
        qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not panel.busy, timeout=WAIT)
        assert receiver.received() == []
    assert "the vault no longer holds this key" in panel.key_message.text()
    assert not panel.key_message.isHidden()
    assert panel.status.text() == "Nothing was sent."
