"""The Webhooks page's subscriptions table over the sandbox: every scope, filters, following the
listing, delete, the key vault dialog and the table's own accessibility."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from desktop.sandbox import SandboxServer
from desktop.ui.page_context import PageContext
from desktop.ui.webhooks.key_dialog import KeyDialog
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.subscriptions import SubscriptionsTable
from desktop.webhooks.listing import ADMINS_ONLY, Row
from desktop.webhooks.vault import SigningKeyVault
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard
from tests.ui.page_helpers import (
    add_to_selection,
    logged,
    sandbox_http,
    sandbox_items,
    sandbox_me,
    select_where,
)

LOAD = 30_000
Opened = tuple[SubscriptionsTable, PageContext]


@pytest.fixture
def open_table(page_context: Any, qtbot: Any) -> Callable[..., Opened]:
    """``open_table(role="owner")``: the table on its own, bound as the page binds it, once
    every scope is listed."""

    def open_(role: str = "owner") -> Opened:
        context: PageContext = page_context(role)
        table = page_context.adopt(SubscriptionsTable())
        table.resize(1400, 800)
        table.set_state(WebhookState(context, parent=table))
        table.bind(context)
        qtbot.waitUntil(
            lambda: table.model.exhausted and not table.model.loading and has_listing(table),
            timeout=LOAD,
        )
        return table, context

    return open_


def has_listing(table: SubscriptionsTable) -> bool:
    return table.state is not None and table.state.listing is not None


def every_subscription(sandbox: SandboxServer, role: str = "owner") -> list[dict[str, Any]]:
    """The sandbox's own lists over HTTP: the organization's, each group's, each member's."""
    org = sandbox_me(sandbox, role)["current_organization"]
    found = sandbox_items(sandbox, "/webhook_subscriptions", organization=org, scope="organization")
    for group in sandbox_items(sandbox, "/groups", organization=org):
        found += sandbox_items(
            sandbox, "/webhook_subscriptions", organization=org, scope="group", group=group["uri"]
        )
    for member in sandbox_items(sandbox, "/organization_memberships", organization=org):
        found += sandbox_items(
            sandbox,
            "/webhook_subscriptions",
            organization=org,
            scope="user",
            user=member["user"]["uri"],
        )
    return found


def cell(table: SubscriptionsTable, row: Row, key: str) -> str:
    """The text the table shows for ``row`` in the column ``key``."""
    number = next(i for i, c in enumerate(table.model.columns) if c.key == key)
    place = table.model.row_of(row.uri)
    assert place is not None
    return str(table.model.data(table.model.index(place, number)))


def test_every_scope_is_listed_with_owners_states_and_keys(
    open_table: Callable[..., Opened], sandbox: SandboxServer
) -> None:
    table, _ = open_table()
    expected = {s["uri"]: s for s in every_subscription(sandbox)}
    rows = table.model.records()
    assert {r.uri for r in rows} == set(expected)
    assert {r.scope for r in rows} == {"organization", "group", "user"}
    assert table.note.isHidden()  # an owner lists everything
    members = {
        m["user"]["uri"]: m["user"]
        for m in sandbox_items(
            sandbox,
            "/organization_memberships",
            organization=sandbox_me(sandbox)["current_organization"],
        )
    }
    for row in rows:
        wire = expected[row.uri]
        assert cell(table, row, "url") == wire["callback_url"]
        assert (
            cell(table, row, "scope")
            == {
                "organization": "Organization",
                "group": "Group",
                "user": "User",
            }[wire["scope"]]
        )
        state = cell(table, row, "state")
        if wire["state"] == "disabled":
            assert state == "Disabled"
        elif wire["retry_started_at"]:
            assert state.startswith("Retrying since ") and "disabled in" in state
        else:
            assert state == "Active"
        if wire["scope"] == "user":
            user = members[wire["user"]]
            assert cell(table, row, "owner") == f"{user['name']} <{user['email']}>"
        creator = wire.get("creator")
        if creator in members:
            assert cell(table, row, "creator") == members[creator]["name"]
        # The seed's keys were never seen here.
        assert cell(table, row, "key") == "Unverifiable — key never seen"
    assert table.status.text().startswith("All ")


def test_filters_narrow_by_state_scope_and_event(open_table: Callable[..., Opened]) -> None:
    table, _ = open_table()
    total = table.proxy.rowCount()
    table.state_filter.setCurrentIndex(table.state_filter.findData("disabled"))
    shown = table.shown_records()
    assert shown and all(not r.subscription.is_active for r in shown)
    table.state_filter.setCurrentIndex(table.state_filter.findData("retrying"))
    shown = table.shown_records()
    assert shown and all(r.subscription.is_failing for r in shown)
    table.state_filter.setCurrentIndex(0)
    table.scope_filter.setCurrentIndex(table.scope_filter.findData("group"))
    shown = table.shown_records()
    assert shown and {r.scope for r in shown} == {"group"}
    table.scope_filter.setCurrentIndex(0)
    table.event_filter.setCurrentIndex(
        table.event_filter.findData("routing_form_submission.created")
    )
    shown = table.shown_records()
    assert shown and all("routing_form_submission.created" in r.subscription.events for r in shown)
    assert "shown" in table.status.text()
    table.event_filter.setCurrentIndex(0)
    assert table.proxy.rowCount() == total
    table.search.setText("crm-sync")
    assert [r.subscription.callback_url for r in table.shown_records()] == [
        r.subscription.callback_url
        for r in table.model.records()
        if "crm-sync" in r.subscription.callback_url
    ]
    # Asked to show a subscription the filters hide (the health bar's "show"): they clear.
    hidden = next(r for r in table.model.records() if "crm-sync" not in r.subscription.callback_url)
    assert table.show_subscription(hidden.uri)
    assert table.current_record() == hidden and table.search.text() == ""
    assert not table.show_subscription("https://nowhere.example/webhook_subscriptions/X")


def test_the_detail_tells_health_and_actions_say_why_they_are_unavailable(
    open_table: Callable[..., Opened],
) -> None:
    table, _ = open_table()
    assert not table.edit_action.isEnabled() and not table.delete_action.isEnabled()
    retrying = select_where(table, lambda r: r.subscription.is_failing)
    detail = table.detail.toPlainText()
    assert retrying.subscription.callback_url in detail
    assert "Deliveries have failed since" in detail  # the health finding
    assert "cannot be verified" in detail  # no key held
    assert not table.revive_action.isEnabled()
    assert "only for disabled subscriptions" in table.hint.text()
    select_where(table, lambda r: not r.subscription.is_active)
    assert table.revive_action.isEnabled()
    assert "Calendly cannot re-enable a subscription" in table.hint.text()
    assert table.edit_action.isEnabled() and table.key_action.isEnabled()
    chosen = table.current_record()
    asked: list[object] = []
    table.test_requested.connect(asked.append)
    table.test_action.trigger()
    assert asked == [chosen]  # the page opens the test sender for it
    table.copy_action.trigger()
    assert chosen is not None
    assert QGuiApplication.clipboard().text() == chosen.subscription.callback_url
    add_to_selection(table, range(table.proxy.rowCount()))
    assert not table.edit_action.isEnabled() and not table.delete_action.isEnabled()
    assert "one subscription at a time" in table.hint.text()


def test_a_member_sees_only_their_own_and_is_told_why(
    open_table: Callable[..., Opened], sandbox: SandboxServer
) -> None:
    table, _ = open_table("user")
    me = sandbox_me(sandbox, "user")
    assert all(
        r.scope == "user" and r.subscription.user == me["uri"] for r in table.model.records()
    )
    assert not table.note.isHidden() and ADMINS_ONLY in table.note.text()


def test_a_new_listing_replaces_rows_in_place_keeping_the_selection(
    open_table: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    table, _ = open_table()
    kept = select_where(table, lambda r: r.scope == "organization")
    gone = next(r for r in table.model.records() if r.scope == "group")
    with sandbox_http(sandbox) as http:
        assert http.delete(f"/webhook_subscriptions/{gone.subscription.uuid}").status_code == 204
    resets: list[bool] = []
    table.model.modelReset.connect(lambda: resets.append(True))
    assert table.state is not None
    run_async(table.state.fetch(), timeout=LOAD)  # what the watch's poll does
    assert table.model.row_of(gone.uri) is None
    assert table.current_record() == kept  # still selected
    assert resets == []  # no visible reload


def test_delete_asks_naming_url_and_organization_then_deletes(
    open_table: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    table, context = open_table()
    row = select_where(table, lambda r: r.scope == "group")
    assert table.state is not None
    run_async(table.state.remember_key(row.uri, "k" * 40))
    changed: list[tuple[str, str]] = []
    context.changes.changed.connect(lambda kind, uri: changed.append((kind, uri)))
    table.delete_action.trigger()
    box = table.confirmation
    assert box is not None and box.isVisible()
    organization = context.connection.identity.organization_name
    assert row.subscription.callback_url in box.text() and organization in box.text()
    assert row.owner.label in box.informativeText()
    assert unnamed_interactive(box) == []
    delete = next(b for b in box.buttons() if b.text().replace("&", "") == "Delete")
    delete.click()
    qtbot.waitUntil(lambda: table.model.row_of(row.uri) is None, timeout=LOAD)
    with sandbox_http(sandbox) as http:
        assert http.get(f"/webhook_subscriptions/{row.subscription.uuid}").status_code == 404
    assert [
        (e.action, e.target_uri, e.outcome) for e in logged(context, run_async, "webhook.delete")
    ] == [("webhook.delete", row.uri, "ok")]
    qtbot.waitUntil(lambda: row.uri not in table.state.known_keys)
    assert run_async(table.state.vault.key_for(row.uri)) is None  # its key is forgotten
    assert ("webhook", row.uri) in changed


# -- the key vault --------------------------------------------------------------------------------
def open_key_dialog(table: SubscriptionsTable, qtbot: Any, row: Row) -> KeyDialog:
    select_where(table, lambda r: r.uri == row.uri)
    table.key_action.trigger()
    dialog = table.dialog
    assert isinstance(dialog, KeyDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() != 0)
    return dialog


def test_the_key_dialog_shows_copies_and_exports_a_held_key(
    open_table: Callable[..., Opened], qtbot: Any, run_async: Any, tmp_path: Path
) -> None:
    table, _ = open_table()
    row = next(r for r in table.model.records() if r.scope == "organization")
    key = "held-key-0123456789-abcdefghijklmnopqrstuv"
    assert table.state is not None
    run_async(table.state.remember_key(row.uri, key))
    assert cell(table, row, "key") == "Held in vault"
    dialog = open_key_dialog(table, qtbot, row)
    assert dialog.showing_key
    assert dialog.key_edit.echoMode() == QLineEdit.EchoMode.Password
    dialog.show_key.setChecked(True)
    assert dialog.key_edit.echoMode() == QLineEdit.EchoMode.Normal
    assert dialog.key_edit.text() == key
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == key
    dialog.copy_env_button.click()
    line = SigningKeyVault.env_line(row.uri, key)
    assert QGuiApplication.clipboard().text() == line
    assert f"CALENDLY_WEBHOOK_SIGNING_KEY='{key}'" in line
    assert unnamed_interactive(dialog) == []
    dialog.save_env_button.click()
    assert dialog.save_dialog is not None and dialog.save_dialog.isVisible()
    target = tmp_path / "receiver.env"
    dialog.save_dialog.fileSelected.emit(str(target))
    qtbot.waitUntil(lambda: target.exists() and "Saved" in dialog.status.text())
    assert target.read_text() == line + "\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    dialog.env_name.setText("1BAD")
    dialog.copy_env_button.click()
    assert not dialog.error.isHidden() and "variable name" in dialog.error.text()


def test_a_key_never_seen_can_be_entered_and_kept(
    open_table: Callable[..., Opened], qtbot: Any, run_async: Any
) -> None:
    table, _ = open_table()
    row = next(r for r in table.model.records() if r.scope == "user")
    dialog = open_key_dialog(table, qtbot, row)
    assert not dialog.showing_key
    assert "Calendly never returns signing keys; we only hold keys created here" in (
        dialog.unknown_note.text()
    )
    assert dialog.entry.echoMode() == QLineEdit.EchoMode.Password
    dialog.entry.setText(" spaced ")
    dialog.remember_button.click()
    assert not dialog.entry_error.isHidden() and "space" in dialog.entry_error.text()
    known = "whsec-their-own-key"  # someone else's key: shorter than ours, still theirs
    dialog.entry.setText(known)
    dialog.remember_button.click()
    qtbot.waitUntil(lambda: dialog.showing_key, timeout=5_000)
    assert dialog.key_edit.text() == known
    assert table.state is not None
    assert run_async(table.state.vault.key_for(row.uri)) == known
    assert cell(table, row, "key") == "Held in vault"
    assert unnamed_interactive(dialog) == []


def test_the_table_is_accessible(open_table: Callable[..., Opened]) -> None:
    table, _ = open_table()
    assert unnamed_interactive(table) == []
    shortcuts = {a.text(): a.shortcut().toString() for a in table.toolbar.actions()}
    assert shortcuts["&New…"] == "Ctrl+N"
    assert all(shortcuts[name] for name in ("&Edit…", "&Delete…", "Signing &key…", "&Copy URL"))


@pytest.fixture(autouse=True)
def _clipboard() -> Iterator[None]:
    yield
    QGuiApplication.clipboard().clear()  # never leave a key behind


def test_the_dialogs_are_reachable_by_keyboard(
    open_table: Callable[..., Opened], qtbot: Any
) -> None:
    table, _ = open_table()
    table.open_create()
    assert table.dialog is not None
    assert unreachable_by_keyboard(table.dialog) == []
    table.dialog.reject()
    assert unreachable_by_keyboard(table) == []
