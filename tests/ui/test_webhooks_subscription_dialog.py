"""Creating, editing and reviving webhook subscriptions through the dialog, over the sandbox:
what Calendly (the sandbox) then holds, the vault, the action log, and failures mid-way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from desktop.api.errors import BadRequest, FieldProblem
from desktop.sandbox import SandboxServer
from desktop.ui.page_context import PageContext
from desktop.ui.webhooks.subscription_dialog import SubscriptionDialog
from desktop.ui.webhooks.subscriptions import SubscriptionsTable
from desktop.webhooks.listing import Row
from tests.sandbox.delivery_support import signed_by
from tests.sandbox.helpers import plain_client
from tests.sandbox.receiver import Receiver, serving
from tests.ui import test_webhooks_subscriptions as listed
from tests.ui.accessibility import unnamed_interactive
from tests.ui.page_helpers import logged, sandbox_http, sandbox_me, select_where
from tests.ui.test_webhooks_subscriptions import Opened

LOAD = 30_000
open_table = listed.open_table  # the table on its own, bound as the page binds it
WRITE = 30_000
NEW_URL = "https://hooks.example.com/calendly/v2"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving() as made:
        yield made


def create_dialog(table: SubscriptionsTable, url: str = "") -> SubscriptionDialog:
    table.open_create(url)
    dialog = table.dialog
    assert isinstance(dialog, SubscriptionDialog) and dialog.isVisible()
    return dialog


def hooks_at(sandbox: SandboxServer, url: str) -> list[dict[str, Any]]:
    """The sandbox's own subscriptions posting to ``url`` (its store: every scope at once)."""
    return list(sandbox.state.store.find("webhooks", "callback_url = ?", (url,), "id"))


def subscription_count(sandbox: SandboxServer) -> int:
    return sandbox.state.store.count("webhooks", "1")


def oldest_first(context: PageContext, run_async: Any) -> list[Any]:
    """Every action-log entry, oldest first."""
    assert context.action_log is not None
    return list(reversed(run_async(context.action_log.query())))


def shown(label: Any) -> str:
    """A message label's text when it is shown, else ""."""
    return "" if label.isHidden() else str(label.text())


# -- create ---------------------------------------------------------------------------------------
def test_create_with_a_generated_key_signs_deliveries_with_the_kept_key(
    open_table: Callable[..., Opened],
    sandbox: SandboxServer,
    receiver: Receiver,
    qtbot: Any,
    run_async: Any,
) -> None:
    table, context = open_table()
    changed: list[tuple[str, str]] = []
    context.changes.changed.connect(lambda kind, uri: changed.append((kind, uri)))
    table.new_action.trigger()
    dialog = table.dialog
    assert isinstance(dialog, SubscriptionDialog)
    assert unnamed_interactive(dialog) == []
    dialog.url_edit.setText(receiver.url())
    assert dialog.url_warnings.isHidden()  # the sandbox reaches this computer
    assert dialog.scope_combo.currentData() == "organization"
    assert dialog.generate_key.isChecked()
    dialog.event_boxes["invitee_no_show.created"].setChecked(True)
    with qtbot.waitSignal(dialog.finished, timeout=WRITE):  # closed once created
        dialog.submit_button.click()

    [made] = hooks_at(sandbox, receiver.url())
    assert made["scope"] == "organization" and made["state"] == "active"
    assert made["events"] == ["invitee.created", "invitee.canceled", "invitee_no_show.created"]
    row = table.current_record()
    assert row is not None and row.uri.endswith("/" + made["id"])  # shown first, selected
    assert table.model.record(0) == row
    assert table.state is not None
    key = run_async(table.state.vault.key_for(row.uri))
    assert key is not None and len(key) >= 43
    assert row.uri in table.state.known_keys
    # Calendly (the sandbox) signs what it sends with the key the vault holds.
    with plain_client(sandbox.base_url) as control:
        sent = control.post(f"/_sandbox/webhooks/{made['id']}/test", json={})
        assert sent.status_code == 201, sent.text
    [delivery] = receiver.wait_for(1)
    assert signed_by(delivery, key)
    # The action log has the write and never the key.
    [entry] = logged(context, run_async, "webhook.create")
    assert (entry.outcome, entry.target_uri) == ("ok", row.uri)
    assert entry.details["signed"] is True and entry.details["callback_url"] == receiver.url()
    assert context.action_log is not None and context.action_log.path is not None
    assert key.encode() not in context.action_log.path.read_bytes()
    assert ("webhook", row.uri) in changed


def test_bad_input_is_refused_next_to_its_field_and_nothing_is_sent(
    open_table: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    table, context = open_table()
    before = subscription_count(sandbox)
    dialog = create_dialog(table)
    dialog.url_edit.setText("ftp://hooks.example.com/calendly")
    dialog.submit_button.click()
    assert "Callback URL must start with https://" in shown(dialog.url_error)
    dialog.url_edit.setText("hooks.example.com/calendly")
    dialog.submit_button.click()
    assert "Callback URL must be a full address" in shown(dialog.url_error)
    # A warning is said, but does not stop anything.
    dialog.url_edit.setText("http://hooks.example.com/calendly")
    assert "unencrypted" in shown(dialog.url_warnings)

    # Events the scope does not allow are unticked, disabled, and said why.
    dialog.event_boxes["routing_form_submission.created"].setChecked(True)
    dialog.scope_combo.setCurrentIndex(dialog.scope_combo.findData("user"))
    routing = dialog.event_boxes["routing_form_submission.created"]
    assert not routing.isChecked() and not routing.isEnabled()
    assert routing.accessibleDescription() == "Only for a subscription of the organization"
    note = shown(dialog.events_note)
    assert "Unticked because of the scope: A routing form was submitted" in note
    assert dialog.event_boxes["meeting_recap.created"].isEnabled()
    dialog.scope_combo.setCurrentIndex(dialog.scope_combo.findData("organization"))
    recap = dialog.event_boxes["meeting_recap.created"]
    assert not recap.isEnabled()
    assert "Only for a subscription of a member: A meeting recap was made" in shown(
        dialog.events_note
    )

    recap.setChecked(True)  # ticked anyway (as a stale form could): still refused
    dialog.submit_button.click()
    assert "only be subscribed at user scope" in shown(dialog.events_error)
    recap.setChecked(False)
    for box in dialog.event_boxes.values():
        box.setChecked(False)
    dialog.submit_button.click()
    assert "choose at least one event" in shown(dialog.events_error)
    dialog.event_boxes["invitee.created"].setChecked(True)
    dialog.enter_key.setChecked(True)
    dialog.key_edit.setText("too-short")
    dialog.submit_button.click()
    assert "at least 32" in shown(dialog.key_error)
    assert dialog.key_edit.echoMode() == dialog.key_edit.EchoMode.Password
    dialog.show_key.setChecked(True)
    assert dialog.key_edit.echoMode() == dialog.key_edit.EchoMode.Normal

    assert dialog.isVisible() and dialog.url_edit.text() == "http://hooks.example.com/calendly"
    assert dialog.key_edit.text() == "too-short"  # nothing typed is lost
    assert subscription_count(sandbox) == before
    assert logged(context, run_async, "webhook.create") == []


def test_a_duplicate_url_gets_calendlys_409_next_to_the_url(
    open_table: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    table, context = open_table()
    taken = next(r for r in table.model.records() if r.scope == "organization")
    url = taken.subscription.callback_url
    dialog = create_dialog(table, url)
    assert dialog.url_edit.text() == url
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: bool(shown(dialog.url_error)), timeout=WRITE)
    assert "Hook with this url already exists" in dialog.url_error.text()
    assert dialog.isVisible() and dialog.url_edit.text() == url
    qtbot.waitUntil(dialog.submit_button.isEnabled)
    assert len(hooks_at(sandbox, url)) == 1
    [entry] = logged(context, run_async, "webhook.create")
    assert (entry.outcome, entry.status) == ("failed", 409)


def test_calendlys_refusals_are_shown_by_field_or_at_the_bottom(
    open_table: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any
) -> None:
    table, _ = open_table()
    dialog = create_dialog(table, NEW_URL)
    sandbox.add_fault(kind="error", status=400, methods=["POST"], paths=["/webhook_subscriptions"])
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: bool(shown(dialog.error)), timeout=WRITE)
    assert "Invalid Argument" in dialog.error.text()
    assert dialog.url_edit.text() == NEW_URL and dialog.submit_button.isEnabled()
    refusal = BadRequest(
        400,
        "Invalid Argument",
        "The supplied parameters are invalid.",
        details=(
            FieldProblem("url", "must be an absolute http or https URL"),
            FieldProblem("group", "is required"),
            FieldProblem("signing_key", "must be a non-empty string"),
            FieldProblem("mystery", "is odd"),
        ),
    )
    dialog.show_refusal(refusal)
    assert "url must be an absolute" in shown(dialog.url_error)
    assert "group is required" in shown(dialog.scope_error)
    assert "signing_key must be a non-empty string" in shown(dialog.key_error)
    assert "mystery is odd" in shown(dialog.error)


def test_a_member_may_subscribe_only_for_themself(
    open_table: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any
) -> None:
    table, _ = open_table("user")
    me = sandbox_me(sandbox, "user")
    dialog = create_dialog(table, NEW_URL)
    scopes = [dialog.scope_combo.itemData(i) for i in range(dialog.scope_combo.count())]
    assert scopes == ["user"]
    assert dialog.member_combo.count() == 1 and dialog.member_combo.currentData() == me["uri"]
    assert me["name"] in dialog.member_combo.currentText()
    assert "Only organization admins" in shown(dialog.scope_note)
    with qtbot.waitSignal(dialog.finished, timeout=WRITE):  # closed once created
        dialog.submit_button.click()
    [made] = hooks_at(sandbox, NEW_URL)
    assert made["scope"] == "user" and me["uri"].endswith("/" + made["user"])


# -- revive and edit ------------------------------------------------------------------------------
def disabled_org_row(table: SubscriptionsTable) -> Row:
    return select_where(table, lambda r: r.scope == "organization" and not r.subscription.is_active)


def test_revive_replaces_a_disabled_subscription_with_an_active_one(
    open_table: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    table, context = open_table()
    old = disabled_org_row(table)
    url = old.subscription.callback_url
    table.revive_action.trigger()
    dialog = table.dialog
    assert isinstance(dialog, SubscriptionDialog) and dialog.mode == "revive"
    assert "Calendly cannot re-enable a subscription" in dialog.intro.text()
    assert dialog.url_edit.text() == url
    ticked = {name for name, box in dialog.event_boxes.items() if box.isChecked()}
    assert ticked == set(old.subscription.events)
    # We never saw its key: a new one, and the receiver must be told.
    assert dialog.keep_key.isHidden() and dialog.generate_key.isChecked()
    assert "give the receiver the new key" in shown(dialog.key_note)
    assert unnamed_interactive(dialog) == []
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: bool(shown(dialog.results)), timeout=WRITE)
    assert "Done:" in dialog.results.text() and "✗" not in dialog.results.text()
    assert "Give the receiver the new signing key" in dialog.results.text()

    [now] = hooks_at(sandbox, url)
    assert now["state"] == "active" and not old.uri.endswith("/" + now["id"])
    with sandbox_http(sandbox) as http:
        assert http.get(f"/webhook_subscriptions/{old.subscription.uuid}").status_code == 404
    steps = [(e.action, e.target_uri, e.outcome) for e in oldest_first(context, run_async)]
    assert steps[0] == ("webhook.delete", old.uri, "ok")
    assert steps[1][0::2] == ("webhook.create", "ok") and steps[1][1].endswith(now["id"])
    # The table follows without a reload: the old row gone, the new one there and selected.
    qtbot.waitUntil(lambda: table.model.row_of(old.uri) is None, timeout=LOAD)
    new_uri = steps[1][1]
    qtbot.waitUntil(lambda: table.current_record() is not None, timeout=LOAD)
    assert table.current_record().uri == new_uri
    assert table.state is not None and run_async(table.state.vault.key_for(new_uri))
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_a_failed_delete_during_an_edit_leaves_the_old_subscription_alone(
    open_table: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    table, context = open_table()
    old = select_where(
        table,
        lambda r: r.scope == "organization" and "/calendly/bookings" in r.subscription.callback_url,
    )
    table.edit_action.trigger()
    dialog = table.dialog
    assert isinstance(dialog, SubscriptionDialog) and dialog.mode == "edit"
    dialog.url_edit.setText(NEW_URL)
    path = f"/webhook_subscriptions/{old.subscription.uuid}"
    sandbox.add_fault(kind="error", status=403, methods=["DELETE"], paths=[path])
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: bool(shown(dialog.results)), timeout=WRITE)
    said = dialog.results.text()
    assert "Not done: Nothing was changed" in said and "Could not delete" in said
    assert said.count("✓") >= 3 and "✗" in said  # each step, how it went
    assert len(hooks_at(sandbox, old.subscription.callback_url)) == 1
    assert hooks_at(sandbox, NEW_URL) == []
    outcomes = [(e.action, e.outcome) for e in oldest_first(context, run_async)]
    assert outcomes == [
        ("webhook.create", "ok"),
        ("webhook.delete", "failed"),
        ("webhook.delete", "ok"),
    ]
    assert dialog.submit_button.isEnabled()  # nothing changed: it may be tried again
    assert dialog.url_edit.text() == NEW_URL
    assert table.model.row_of(old.uri) is not None


def test_a_failed_confirmation_deletes_the_new_one_again(
    open_table: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any
) -> None:
    table, _ = open_table()
    old = select_where(table, lambda r: r.scope == "group" and r.subscription.is_active)
    table.edit_action.trigger()
    dialog = table.dialog
    assert isinstance(dialog, SubscriptionDialog)
    dialog.url_edit.setText(NEW_URL)
    sandbox.add_fault(
        kind="error", status=404, methods=["GET"], paths=["/webhook_subscriptions/*"], times=1
    )
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: bool(shown(dialog.results)), timeout=WRITE)
    assert "is not there after creating it" in dialog.results.text()
    assert "Nothing was changed" in dialog.results.text()
    assert len(hooks_at(sandbox, old.subscription.callback_url)) == 1
    assert hooks_at(sandbox, NEW_URL) == []


def test_a_failed_create_during_a_revive_puts_the_old_recipe_back(
    open_table: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any
) -> None:
    table, _ = open_table()
    old = next(
        r
        for r in table.model.records()
        if r.scope == "organization" and not r.subscription.is_active
    )
    url = old.subscription.callback_url
    table.revive(old.uri)  # as the health bar asks
    assert table.current_record() == old
    dialog = table.dialog
    assert isinstance(dialog, SubscriptionDialog) and dialog.mode == "revive"
    sandbox.add_fault(
        kind="error", status=403, methods=["POST"], paths=["/webhook_subscriptions"], times=1
    )
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: bool(shown(dialog.results)), timeout=WRITE)
    said = dialog.results.text()
    assert "Not done:" in said and "created again as it was" in said
    assert len(hooks_at(sandbox, url)) == 1  # exactly one for the recipe
    assert not dialog.submit_button.isEnabled()


def test_a_revive_keeps_the_key_the_vault_holds(
    open_table: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    table, _ = open_table()
    old = disabled_org_row(table)
    key = "kept-key-0123456789-abcdefghijklmnopqrstu"
    assert table.state is not None
    run_async(table.state.remember_key(old.uri, key))
    table.revive_action.trigger()
    dialog = table.dialog
    assert isinstance(dialog, SubscriptionDialog)
    assert not dialog.keep_key.isHidden() and dialog.keep_key.isChecked()
    assert dialog.key_note.isHidden()
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: bool(shown(dialog.results)), timeout=WRITE)
    assert "Done:" in dialog.results.text()
    assert "Give the receiver" not in dialog.results.text()  # the receiver's key still works
    [now] = hooks_at(sandbox, old.subscription.callback_url)
    assert now["signing_key"] == key  # Calendly (the sandbox) signs with the same key
    new_uri = next(r.uri for r in run_async(table.state.fetch()).rows if r.uri.endswith(now["id"]))
    assert run_async(table.state.vault.key_for(new_uri)) == key
    assert run_async(table.state.vault.key_for(old.uri)) is None
