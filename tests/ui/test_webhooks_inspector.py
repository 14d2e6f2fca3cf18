"""The inspector: the local receiver on a real socket, real sandbox deliveries arriving live."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime
from typing import Any

import httpx
import msgspec
import shiboken6
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from desktop.sandbox import SandboxServer
from desktop.settings import Settings, Webhooks
from desktop.ui.page_context import PageContext
from desktop.ui.webhooks.inbox_model import ANSWERED, EVENT, PAGE, SUMMARY, VERDICT
from desktop.ui.webhooks.inspector import InspectorPanel
from desktop.ui.webhooks.state import WebhookState
from desktop.webhooks.inbox import Verdict
from desktop.webhooks.sender import send_test
from desktop.webhooks.signature import HEADER
from tests.sandbox.delivery_support import signed_by, upcoming_event
from tests.sandbox.receiver import serving
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard

KEY = "whsec-inspector-test-key"
WAIT = 20_000


def _panel(
    page_context: Any, role: str = "owner", port: int = 0
) -> tuple[InspectorPanel, PageContext, WebhookState]:
    page_context.preferences[0] = msgspec.structs.replace(
        Settings(), webhooks=Webhooks(receiver_port=port)
    )
    context: PageContext = page_context(role)
    state = WebhookState(context, parent=context.window)
    panel: InspectorPanel = page_context.adopt(InspectorPanel())
    panel.bind(context, state)
    return panel, context, state


def _start(panel: InspectorPanel, qtbot: Any) -> str:
    assert panel.start_button.isEnabled() and not panel.stop_button.isEnabled()
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.running and bool(panel.url.text()))
    assert panel.stop_button.isEnabled() and not panel.port.isEnabled()
    url = panel.url.text()
    assert url.startswith("http://127.0.0.1:") and url.endswith("/")
    return url


def _cell(panel: InspectorPanel, row: int, column: int, role: Any = None) -> Any:
    index = panel.model.index(row, column)
    return panel.model.data(index) if role is None else panel.model.data(index, role)


def _select(panel: InspectorPanel, row: int) -> None:
    panel.view.selectionModel().select(
        panel.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def _owner_http(sandbox: SandboxServer) -> httpx.Client:
    token = sandbox.token_for("owner")
    return httpx.Client(
        base_url=sandbox.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def _cancel_upcoming(sandbox: SandboxServer, run_async: Any, context: PageContext) -> None:
    event = upcoming_event(sandbox, single=True)
    uri = f"{sandbox.base_url}/scheduled_events/{event['id']}"
    run_async(context.connection.client.scheduled_events.cancel(uri, reason="Inspector test"))


def test_sandbox_deliveries_arrive_live_verified_and_answered_as_chosen(
    page_context: Any, sandbox: SandboxServer, qtbot: Any, run_async: Any, qtmodeltester: Any
) -> None:
    panel, context, state = _panel(page_context)
    url = _start(panel, qtbot)
    assert "No key" in panel.receiver_status.text()
    client = context.connection.client
    hook = run_async(
        client.webhooks.create(
            url=url,
            events=["invitee.canceled"],
            organization=state.organization,
            scope="organization",
            signing_key=KEY,
        )
    )
    run_async(state.remember_key(hook.uri, KEY))
    run_async(state.fetch(), timeout=WAIT)
    qtbot.waitUntil(lambda: panel.keys == [KEY])
    assert "verified with 1 signing key" in panel.receiver_status.text()

    _cancel_upcoming(sandbox, run_async, context)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=WAIT)
    assert _cell(panel, 0, EVENT) == "invitee.canceled"
    assert _cell(panel, 0, VERDICT) == "Valid"
    assert _cell(panel, 0, VERDICT, Qt.ItemDataRole.ToolTipRole) == "The signature matches."
    assert _cell(panel, 0, ANSWERED) == "200"
    assert _cell(panel, 0, SUMMARY)  # who canceled what

    _select(panel, 0)
    detail = panel.detail
    assert detail.request_line.text().startswith("POST / from 127.0.0.1:")
    assert detail.verdict_text().startswith("Valid: The signature matches.")
    headers = {name.lower(): value for name, value in detail.shown_headers()}
    assert headers[HEADER.lower()].startswith("t=")
    assert headers["content-type"] == "application/json"
    pretty = detail.pretty.toPlainText()
    assert '"event": "invitee.canceled"' in pretty and "\n  " in pretty  # indented
    delivery = detail.delivery
    assert delivery is not None and detail.raw.toPlainText() == delivery.body.decode()

    qtbot.mouseClick(detail.copy_curl_button, Qt.MouseButton.LeftButton)
    command = QGuiApplication.clipboard().text()
    assert command.startswith(f"curl --include --request POST {url}")
    assert f"{HEADER}: {headers[HEADER.lower()]}" in command
    assert delivery.body.decode() in command
    qtbot.mouseClick(detail.copy_body_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == delivery.body.decode()

    # Answer 500: the next delivery is answered 500 and Calendly (the sandbox) starts retrying.
    panel.answer.setCurrentIndex(panel.answer.findData(500))
    assert "retries it with back-off for 24 hours" in panel.answer_note.text()
    _cancel_upcoming(sandbox, run_async, context)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=WAIT)
    assert _cell(panel, 0, ANSWERED) == "500" and _cell(panel, 0, VERDICT) == "Valid"
    assert _cell(panel, 1, ANSWERED) == "200"
    assert panel.detail.delivery == delivery  # the selection stayed on the same delivery
    hook_id = hook.uri.rsplit("/", 1)[1]
    with _owner_http(sandbox) as http:

        def retrying() -> bool:
            resource = http.get(f"/webhook_subscriptions/{hook_id}").json()["resource"]
            return resource["retry_started_at"] is not None and resource["state"] == "active"

        qtbot.waitUntil(retrying, timeout=WAIT)
    qtmodeltester.check(panel.model, force_py=True)

    # Re-send the first delivery to another receiver: signed afresh with the vault's key.
    with serving() as other:
        _select(panel, 1)
        assert not detail.send_button.isEnabled()
        detail.resend_url.setText("not a url")
        assert not detail.url_message.isHidden() and not detail.send_button.isEnabled()
        detail.resend_url.setText(other.url())
        assert detail.url_message.isHidden() and detail.send_button.isEnabled()
        qtbot.mouseClick(detail.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: detail.last_result is not None, timeout=WAIT)
        [arrived] = other.received()
        assert arrived.body == delivery.body
        assert signed_by(arrived, KEY)  # signed afresh at sending, with the vault's key
        assert "Delivered: the receiver answered 200" in detail.result.text()
    assert unnamed_interactive(panel) == []


def test_search_filters_and_clear_over_what_was_received(
    page_context: Any, qtbot: Any, run_async: Any
) -> None:
    panel, _, _ = _panel(page_context)
    url = _start(panel, qtbot)

    def body(event: str, email: str) -> bytes:
        payload = {"email": email, "name": "Ada", "scheduled_event": {"name": "Intro call"}}
        envelope = {"event": event, "created_at": "2026-01-05T10:00:00.000000Z"}
        return json.dumps({**envelope, "created_by": "u", "payload": payload}).encode()

    run_async(send_test(url, body("invitee.created", "ada@example.com"), signing_key=None))
    run_async(send_test(url + "x", body("invitee.canceled", "bob@example.com"), signing_key=KEY))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert [_cell(panel, r, VERDICT) for r in range(2)] == ["No key", "Unsigned"]
    assert "No signing key is known" in _cell(panel, 0, VERDICT, Qt.ItemDataRole.ToolTipRole)
    qtbot.waitUntil(lambda: panel.status.text() == "Matching deliveries: 2.")

    panel.verdict_filter.setCurrentIndex(panel.verdict_filter.findText("Unsigned"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert _cell(panel, 0, EVENT) == "invitee.created"
    panel.verdict_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert panel.event_filter.findData("invitee.canceled") > 0
    panel.event_filter.setCurrentIndex(panel.event_filter.findData("invitee.canceled"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert _cell(panel, 0, SUMMARY).startswith("Ada <bob@example.com>")
    panel.event_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    panel.search.setText("ADA@example")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1 and _cell(panel, 0, VERDICT) == "Unsigned")

    # A live delivery that does not match the search stays out; one that does comes in.
    run_async(send_test(url, body("invitee.created", "carol@example.com"), signing_key=None))
    run_async(send_test(url, body("invitee.created", "ada@example.com"), signing_key=None))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert all("ada@example.com" in _cell(panel, r, SUMMARY) for r in range(2))
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4)

    # Clear asks first; Cancel keeps everything, Delete all empties the inbox.
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    box = panel.confirmation
    assert box is not None and "Delete every delivery" in box.text()
    box.reject()
    qtbot.waitUntil(lambda: panel.confirmation is None)
    assert panel.model.rowCount() == 4
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    box = panel.confirmation
    assert box is not None
    delete = next(b for b in box.buttons() if b.text().replace("&", "") == "Delete all")
    delete.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)
    assert panel.inbox is not None and run_async(panel.inbox.count()) == 0


def test_port_in_use_is_said_next_to_the_field_and_the_port_is_saved(
    page_context: Any, qtbot: Any
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        panel, _, _ = _panel(page_context, port=port)
        assert panel.port.value() == port
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not panel.port_message.isHidden())
        assert panel.port_message.text().startswith(f"Port {port} is already in use")
        assert not panel.running and panel.start_button.isEnabled()
        assert not panel.copy_url_button.isEnabled() and not panel.subscribe_button.isEnabled()

    panel.port.setValue(0)
    assert panel.port_message.isHidden()
    url = _start(panel, qtbot)
    assert page_context.preferences[0].webhooks.receiver_port == 0
    with qtbot.waitSignal(panel.subscribe_requested) as asked:
        qtbot.mouseClick(panel.subscribe_button, Qt.MouseButton.LeftButton)
    assert asked.args == [url]
    qtbot.mouseClick(panel.copy_url_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == url
    assert panel.tunnel_note.isHidden()  # the sandbox is on this computer

    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.running and panel.start_button.isEnabled())
    assert panel.url.text() == "" and panel.port.isEnabled()
    assert "Stopped" in panel.receiver_status.text()


def test_unbinding_stops_the_receiver_and_keeps_the_inbox_file(
    page_context: Any, qtbot: Any, run_async: Any, tmp_path: Any
) -> None:
    panel, context, state = _panel(page_context)
    url = _start(panel, qtbot)
    run_async(send_test(url, b'{"event":"invitee.created","payload":{}}', signing_key=None))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    receiver = panel.receiver
    assert receiver is not None
    port = receiver.port
    panel.unbind()
    qtbot.waitUntil(lambda: not receiver.running)
    with socket.socket() as probe:  # the port is free again
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
    assert panel.model.rowCount() == 0 and not panel.start_button.isEnabled()
    assert (tmp_path / "webhook-inbox.sqlite3").exists()

    # Bound again (the next sign-in): the deliveries kept before are listed.
    panel.bind(context, state)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert _cell(panel, 0, EVENT) == "invitee.created"


def test_the_tunnel_note_shows_for_a_real_organization(page_context: Any) -> None:
    context: PageContext = page_context("owner")
    state = WebhookState(context, parent=context.window)
    state.real_organization = True
    panel: InspectorPanel = page_context.adopt(InspectorPanel())
    panel.bind(context, state)
    assert not panel.tunnel_note.isHidden()
    assert "bring a tunnel" in panel.tunnel_note.text()


def test_a_long_inbox_loads_a_page_at_a_time(
    page_context: Any, qtbot: Any, run_async: Any, qtmodeltester: Any
) -> None:
    panel, _, _ = _panel(page_context)
    assert panel.inbox is not None
    inbox = panel.inbox

    async def fill() -> None:
        for number in range(PAGE + 5):
            await inbox.add(
                received_at=datetime.now(UTC),
                method="POST",
                path=f"/{number}",
                headers=[("Content-Type", "application/json")],
                body=b'{"event":"invitee.created","payload":{}}',
                remote="127.0.0.1:1",
                verdict=Verdict.UNSIGNED,
                reason="The request has no Calendly-Webhook-Signature header.",
            )

    run_async(fill(), timeout=WAIT)
    panel.refresh()
    qtbot.waitUntil(lambda: panel.model.rowCount() == PAGE)
    qtbot.waitUntil(lambda: "Shown: 200; more as you scroll" in panel.status.text())
    assert panel.model.canFetchMore()
    panel.model.fetchMore()
    qtbot.waitUntil(lambda: panel.model.rowCount() == PAGE + 5)
    assert not panel.model.canFetchMore()
    paths = [d.path for d in panel.model.deliveries()]
    assert paths == [f"/{n}" for n in reversed(range(PAGE + 5))]  # newest first, no gaps
    qtmodeltester.check(panel.model, force_py=True)
    assert unreachable_by_keyboard(panel) == []


def test_a_delivery_whose_key_is_unknown_is_resent_with_its_own_signature(
    page_context: Any, qtbot: Any, run_async: Any
) -> None:
    panel, _, _ = _panel(page_context)
    url = _start(panel, qtbot)
    body = b'{"event":"invitee.created","payload":{"name":"Ada"}}'
    run_async(send_test(url, body, signing_key=KEY))  # no subscription's key: "No key"
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    _select(panel, 0)
    detail = panel.detail
    delivery = detail.delivery
    assert delivery is not None and delivery.verdict is Verdict.NO_KEY
    original = delivery.header(HEADER)
    assert original is not None
    with serving() as other:
        detail.resend_url.setText(other.url())
        qtbot.mouseClick(detail.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: detail.last_result is not None, timeout=WAIT)
        [arrived] = other.received()
    assert arrived.body == body and arrived.header(HEADER) == original
    assert signed_by(arrived, KEY)  # the original signature still verifies with its key
    result = detail.last_result
    assert result is not None
    shown = [value for name, value in result.request.headers if name.lower() == HEADER.lower()]
    assert shown == [original]  # the request shown is the one sent: the header once


def test_an_inspector_deleted_without_unbinding_closes_its_port(
    page_context: Any, qtbot: Any
) -> None:
    page_context.preferences[0] = msgspec.structs.replace(
        Settings(), webhooks=Webhooks(receiver_port=0)
    )
    context: PageContext = page_context("owner")
    state = WebhookState(context, parent=context.window)
    panel = InspectorPanel()  # not adopted: nothing unbinds it
    panel.bind(context, state)
    url = _start(panel, qtbot)
    receiver, inbox = panel.receiver, panel.inbox
    assert receiver is not None and inbox is not None
    port = receiver.port

    def refused() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) != 0

    assert not refused() and url.endswith(f":{port}/")
    shiboken6.delete(panel)  # deleted with the window at quit, never unbound
    qtbot.waitUntil(lambda: not receiver.running and refused())
    qtbot.waitUntil(lambda: inbox.closed)  # the inbox file is closed too
