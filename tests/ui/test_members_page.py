"""The Members page: memberships and invitations, filters, invite/revoke/resend, remove."""

from __future__ import annotations

from typing import Any

import httpx
from PySide6.QtCore import QItemSelectionModel

from desktop.sandbox import SandboxServer
from desktop.ui.org.member_actions import InviteDialog, parse_emails
from desktop.ui.org.members import build_members_page
from desktop.ui.pages import PageSpec

SPEC = PageSpec("members", "Members", "Members of the organization")


def _http(sandbox: SandboxServer) -> httpx.Client:
    token = sandbox.token_for("owner")
    return httpx.Client(
        base_url=sandbox.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def _memberships(sandbox: SandboxServer, **params: str) -> list[dict[str, Any]]:
    with _http(sandbox) as http:
        org = http.get("/users/me").json()["resource"]["current_organization"]
        found: list[dict[str, Any]] = []
        query: dict[str, str] = {"organization": org, "count": "100", **params}
        while True:
            page = http.get("/organization_memberships", params=query).json()
            found += page["collection"]
            token = page["pagination"]["next_page_token"]
            if not token:
                return found
            query["page_token"] = token


def _page(page_context: Any, qtbot: Any, role: str = "owner") -> Any:
    page = page_context.adopt(build_members_page(SPEC))
    context = page_context(role)
    page.bind(context)
    members, invitations = page.tables
    qtbot.waitUntil(lambda: members.model.rowCount() > 0 and not members.model.loading)
    return page, members, invitations, context


def _select(table: Any, predicate: Any) -> None:
    selection = table.view.selectionModel()
    selection.clear()
    for row in range(table.proxy.rowCount()):
        index = table.proxy.index(row, 0)
        if predicate(table.proxy.record_at(index)):
            selection.select(
                index,
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )


def test_members_load_with_their_roles_groups_and_a_role_filter(
    page_context: Any, sandbox: SandboxServer, qtbot: Any, qtmodeltester: Any
) -> None:
    _, members, _, _ = _page(page_context, qtbot)
    expected = {m["user"]["email"] for m in _memberships(sandbox)}
    qtbot.waitUntil(lambda: members.model.exhausted or members.model.canFetchMore())
    members.model.load_all()
    qtbot.waitUntil(lambda: members.model.exhausted and not members.model.loading)
    assert {m.user.email for m in members.model.records()} == expected
    qtbot.waitUntil(lambda: members.group.count() > 1)  # the groups arrived
    assert any(members.groups_of.values())
    qtmodeltester.check(members.model, force_py=True)

    members.role.setCurrentIndex(members.role.findData("admin"))
    qtbot.waitUntil(lambda: not members.model.loading and members.model.exhausted)
    admins = {m["user"]["email"] for m in _memberships(sandbox, role="admin")}
    assert {m.user.email for m in members.model.records()} == admins

    members.role.setCurrentIndex(0)  # all roles again
    qtbot.waitUntil(lambda: not members.model.loading)
    members.model.load_all()
    qtbot.waitUntil(lambda: members.model.exhausted and not members.model.loading)
    group = members.group.itemData(1)
    members.group.setCurrentIndex(1)
    shown = members.shown_records()
    assert shown and all(group in members.groups_of[m.uri] for m in shown)


def test_the_owner_cannot_be_removed_and_the_reason_is_given(page_context: Any, qtbot: Any) -> None:
    _, members, _, _ = _page(page_context, qtbot)
    members.model.load_all()
    qtbot.waitUntil(lambda: members.model.exhausted and not members.model.loading)
    _select(members, lambda m: m.role == "owner")
    assert not members.remove_action.isEnabled()
    assert "owner cannot be removed" in members.remove_action.toolTip()
    # Said in words under the detail, not only in a tooltip.
    assert not members.hint.isHidden() and "owner cannot be removed" in members.hint.text()
    _select(members, lambda m: m.role == "user")
    assert members.remove_action.isEnabled() and members.hint.isHidden()


def test_removing_a_member_removes_them_in_calendly_and_logs_it(
    page_context: Any, sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    _, members, _, context = _page(page_context, qtbot)
    members.model.load_all()
    qtbot.waitUntil(lambda: members.model.exhausted and not members.model.loading)
    victim = next(m for m in members.model.records() if m.role == "user")
    _select(members, lambda m: m.uri == victim.uri)
    members.remove_action.trigger()
    box = members.confirmation
    assert box is not None and victim.user.name in box.text()
    remove = next(b for b in box.buttons() if b.text().replace("&", "") == "Remove")
    remove.click()
    qtbot.waitUntil(lambda: members.model.row_of(victim.uri) is None, timeout=20_000)
    assert victim.user.email not in {m["user"]["email"] for m in _memberships(sandbox)}
    entries = run_async(context.action_log.query())
    assert [(e.action, e.target_uri, e.outcome) for e in entries] == [
        ("membership.remove", victim.uri, "ok")
    ]


def test_parse_emails_keeps_valid_distinct_addresses_and_names_the_rest() -> None:
    valid, invalid = parse_emails("Ada@Example.com, bob@example.org;\nnot-an-email ada@example.com")
    assert valid == ["ada@example.com", "bob@example.org"]
    assert invalid == ["not-an-email"]


def test_invite_several_then_revoke_and_resend(
    page_context: Any, sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    _, _, invitations, context = _page(page_context, qtbot)
    qtbot.waitUntil(lambda: not invitations.model.loading)
    before = invitations.model.rowCount()
    invitations.invite_action.trigger()
    dialog = invitations.invite_dialog
    assert isinstance(dialog, InviteDialog)
    dialog.emails.setPlainText("nope")
    dialog.invite_button.click()
    assert "Not e-mail addresses: nope" in dialog.problem.text()
    dialog.emails.setPlainText("new.one@example.com\nnew.two@example.com")
    dialog.invite_button.click()
    qtbot.waitUntil(lambda: invitations.model.rowCount() == before + 2, timeout=20_000)
    qtbot.waitUntil(lambda: dialog.invite_button.isEnabled())
    assert dialog.emails.toPlainText() == ""  # all sent
    created = [i for i in invitations.model.records() if i.email.startswith("new.")]
    assert {i.status for i in created} == {"pending"}

    first = next(i for i in created if i.email == "new.one@example.com")
    _select(invitations, lambda i: i.uri == first.uri)
    invitations.resend_action.trigger()
    qtbot.waitUntil(lambda: invitations.model.row_of(first.uri) is None, timeout=20_000)
    qtbot.waitUntil(
        lambda: any(i.email == "new.one@example.com" for i in invitations.model.records())
    )
    second = next(i for i in invitations.model.records() if i.email == "new.two@example.com")
    _select(invitations, lambda i: i.uri == second.uri)
    invitations.revoke_action.trigger()
    qtbot.waitUntil(lambda: invitations.model.row_of(second.uri) is None, timeout=20_000)

    actions = [e.action for e in reversed(run_async(context.action_log.query()))]
    assert actions == [
        "invitation.create",
        "invitation.create",
        "invitation.revoke",
        "invitation.create",
        "invitation.revoke",
    ]


def test_a_member_without_admin_rights_gets_a_clear_message(page_context: Any, qtbot: Any) -> None:
    page = page_context.adopt(build_members_page(SPEC))
    context = page_context("user")
    page.bind(context)
    _, invitations = page.tables
    qtbot.waitUntil(lambda: not invitations.retry_button.isHidden(), timeout=20_000)
    assert invitations.status.text().startswith("Loading invitations failed")
    assert "owner or admin" in invitations.status.text().lower() or "permission" in (
        invitations.status.text().lower()
    )


def test_removing_several_goes_through_the_bulk_dialog_and_a_failure_midway_is_reported(
    page_context: Any, sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    from desktop.ui.bulk_dialog import BulkDialog

    _, members, _, context = _page(page_context, qtbot)
    members.model.load_all()
    qtbot.waitUntil(lambda: members.model.exhausted and not members.model.loading)
    users = [m for m in members.model.records() if m.role == "user"][:4]
    chosen = {m.uri for m in users}
    _select(members, lambda m: m.uri in chosen)
    members.remove_action.trigger()
    dialog = members.bulk_dialog
    assert isinstance(dialog, BulkDialog)
    assert dialog.plan.count() == 4 and not dialog.start_button.isEnabled()
    organization = context.connection.identity.organization_name
    dialog.confirm.setText(organization.upper())  # the name must be typed as it is
    assert not dialog.start_button.isEnabled()
    dialog.confirm.setText(organization)
    assert dialog.start_button.isEnabled()

    users = members.selected_records()  # the order the dialog works in
    second = users[1].uri.rsplit("/", 1)[1]
    sandbox.add_fault(
        kind="error", status=500, paths=[f"/organization_memberships/{second}"], times=5
    )
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.continue_button.isVisibleTo(dialog), timeout=30_000)
    assert users[1].user.name in dialog.question.text()
    dialog.stop_button.click()
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 2, timeout=30_000)
    outcomes = [r.outcome for r in dialog.run.results]
    assert outcomes == ["done", "failed", "not run", "not run"]
    assert "1 done, 1 failed, 2 not run" in dialog.summary.text()
    left = {m["uri"] for m in _memberships(sandbox)}
    assert users[0].uri not in left and all(m.uri in left for m in users[1:])
    logged = [(e.action, e.outcome) for e in reversed(run_async(context.action_log.query()))]
    assert logged == [("membership.remove", "ok"), ("membership.remove", "failed")]
    dialog.accept()


def test_exporting_members_writes_every_matching_member_to_csv(
    page_context: Any, sandbox: SandboxServer, qtbot: Any, tmp_path: Any
) -> None:
    import csv

    _, members, _, _ = _page(page_context, qtbot)
    qtbot.waitUntil(lambda: members.group.count() > 1)  # groups known: the column is filled
    members.export_action.trigger()
    dialog = members.save_dialog
    assert dialog is not None
    target = tmp_path / "members.csv"
    dialog.fileSelected.emit(str(target))  # the user picked this file
    qtbot.waitUntil(lambda: members.status.text().startswith("Exported"), timeout=30_000)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["Email"] for r in rows} == {m["user"]["email"] for m in _memberships(sandbox)}
    assert any(r["Groups"] for r in rows)


def test_a_refused_list_is_not_asked_again_and_again_and_retry_asks_once(
    page_context: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    page = page_context.adopt(build_members_page(SPEC))
    context = page_context("user")  # a member may not list invitations: 403
    page.resize(1000, 700)
    page.show()
    page.tabs.setCurrentIndex(1)  # the Invitations tab is on screen
    page.bind(context)
    _, invitations = page.tables
    qtbot.waitUntil(lambda: not invitations.retry_button.isHidden(), timeout=20_000)
    # The view asks at every layout; after a failure the answer is no (no request storm).
    assert not invitations.model.canFetchMore()
    invitations.model.fetchMore()
    assert not invitations.model.loading
    assert invitations.status.text().startswith("Loading invitations failed")
    invitations.retry_button.click()
    assert invitations.model.loading  # one request again, on demand
    qtbot.waitUntil(lambda: not invitations.model.loading, timeout=20_000)
    assert invitations.model.failed
