"""The paste verifier: valid, tampered, expired, empty fields, and a key from the vault."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import keyring.errors
from PySide6.QtCore import Qt

from desktop.secrets import SecretStore
from desktop.ui.page_context import PageContext
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.verifier import VerifierPanel
from desktop.webhooks.signature import HEADER, sign
from tests.keyrings import MemoryKeyring
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard

KEY = "whsec-verifier-test-key"
BODY = (
    '{"event":"invitee.created","created_at":"2026-01-05T10:00:00.000000Z",'
    '"created_by":"https://api.calendly.com/users/AAAA","payload":{"email":"josé@example.com"}}'
)


def _now() -> int:
    return int(datetime.now(UTC).timestamp())


def _panel(page_context: Any) -> tuple[VerifierPanel, PageContext, WebhookState]:
    context: PageContext = page_context("owner")
    state = WebhookState(context, parent=context.window)
    panel: VerifierPanel = page_context.adopt(VerifierPanel())
    panel.bind(context, state)
    return panel, context, state


def _fill(panel: VerifierPanel, header: str, body: str, key: str) -> None:
    panel.header.setPlainText(header)
    panel.body.setPlainText(body)
    panel.key.setText(key)


def _verify(panel: VerifierPanel, qtbot: Any) -> str:
    qtbot.mouseClick(panel.verify_button, Qt.MouseButton.LeftButton)
    return panel.result_text()


def test_valid_tampered_and_expired_deliveries(page_context: Any, qtbot: Any) -> None:
    panel, _, _ = _panel(page_context)
    assert panel.key.echoMode() == panel.key.EchoMode.Password
    panel.show_key.setChecked(True)
    assert panel.key.echoMode() == panel.key.EchoMode.Normal
    panel.show_key.setChecked(False)

    header = sign(KEY, _now(), BODY.encode())
    _fill(panel, f"{HEADER}: {header}", BODY, KEY)
    text = _verify(panel, qtbot)
    assert text.startswith("✔ Valid: The signature matches.")
    assert "Signed at " in text

    _fill(panel, header, BODY.replace("josé", "jose"), KEY)
    text = _verify(panel, qtbot)
    assert text.startswith("✘ Invalid: No v1 signature matches the signing key")
    assert "Paste the raw request body, byte for byte" in text  # the JSON hint

    _fill(panel, header, BODY + "\n", KEY)  # a copying accident: explained, still invalid
    text = _verify(panel, qtbot)
    assert text.startswith("✘ Invalid") and "a line break was added" in text

    stale = sign(KEY, _now() - 600, BODY.encode())
    _fill(panel, stale, BODY, KEY)
    text = _verify(panel, qtbot)
    assert text.startswith("✘ Expired: The signature matches but was made 6")
    assert "at most 180 s is accepted" in text

    _fill(panel, "t=abc", BODY, KEY)
    assert _verify(panel, qtbot).startswith("✘ Malformed")
    assert unnamed_interactive(panel) == []
    assert unreachable_by_keyboard(panel) == []


def test_empty_fields_are_named_next_to_them_and_nothing_typed_is_lost(
    page_context: Any, qtbot: Any
) -> None:
    panel, _, _ = _panel(page_context)
    text = _verify(panel, qtbot)
    assert text.startswith("… Incomplete")
    assert panel.header_message.text().startswith("Header is empty")
    assert panel.body_message.text().startswith("Body is empty")
    assert panel.key_message.text().startswith("Signing key is empty")
    for message in (panel.header_message, panel.body_message, panel.key_message):
        assert not message.isHidden()

    panel.body.setPlainText(BODY)
    assert panel.body_message.isHidden()
    panel.header.setPlainText("Content-Type: application/json")
    _verify(panel, qtbot)
    assert panel.header_message.text() == (
        f"Header: this is the Content-Type header; paste {HEADER} instead."
    )
    assert panel.body_message.isHidden() and not panel.key_message.isHidden()
    assert panel.body.toPlainText() == BODY  # kept

    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert panel.body.toPlainText() == "" and panel.result_text() == ""
    assert panel.header_message.isHidden() and panel.key_message.isHidden()


def test_a_vault_key_can_be_used(page_context: Any, qtbot: Any, run_async: Any) -> None:
    panel, context, state = _panel(page_context)
    assert not panel.vault_key.isEnabled()  # nothing listed yet
    hook = run_async(
        context.connection.client.webhooks.create(
            url="https://hooks.example.com/verifier",
            events=["invitee.created"],
            organization=state.organization,
            scope="organization",
            signing_key=KEY,
        )
    )
    run_async(state.remember_key(hook.uri, KEY))
    run_async(state.fetch(), timeout=20_000)
    index = panel.vault_key.findData(hook.uri)
    assert index > 0 and panel.vault_key.isEnabled()
    assert "https://hooks.example.com/verifier" in panel.vault_key.itemText(index)
    panel.vault_key.setCurrentIndex(index)
    panel.vault_key.activated.emit(index)
    qtbot.waitUntil(lambda: panel.key.text() == KEY)
    panel.header.setPlainText(sign(KEY, _now(), BODY.encode()))
    panel.body.setPlainText(BODY)
    assert _verify(panel, qtbot).startswith("✔ Valid")

    panel.key.setText("")
    qtbot.keyClicks(panel.key, "typed")  # typing takes the key back from the vault
    assert panel.vault_key.currentIndex() == 0
    assert _verify(panel, qtbot).startswith("✘ Invalid")


class LockableKeyring(MemoryKeyring):
    """A keyring whose collection can be locked: its secrets can no longer be read."""

    locked = False

    def get_password(self, service: str, username: str) -> str | None:
        if self.locked and not username.endswith("/.kinds"):
            raise keyring.errors.KeyringLocked("the collection is locked")
        return super().get_password(service, username)


def test_a_vault_key_that_cannot_be_read_is_said_next_to_the_key(
    page_context: Any, qtbot: Any, run_async: Any
) -> None:
    backend = LockableKeyring()
    context = dataclasses.replace(page_context("owner"), secrets=SecretStore(backend))
    state = WebhookState(context, parent=context.window)
    panel: VerifierPanel = page_context.adopt(VerifierPanel())
    panel.bind(context, state)
    listing = run_async(state.fetch(), timeout=20_000)
    run_async(state.remember_key(listing.rows[0].uri, KEY))
    assert panel.vault_key.count() == 2 and panel.vault_key.isEnabled()

    backend.locked = True
    panel.vault_key.setCurrentIndex(1)
    panel.vault_key.activated.emit(1)  # as when the user picks it
    qtbot.waitUntil(lambda: not panel.key_message.isHidden())
    assert "Reading the signing key failed" in panel.key_message.text()
    assert KEY not in panel.key_message.text() and panel.key.text() == ""
