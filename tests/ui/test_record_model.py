"""The record table model: pages arrive without blocking, sort and search locally, stay sane."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from PySide6.QtCore import QModelIndex, Qt

from desktop.api.client import CalendlyClient
from desktop.domain.organizations import OrganizationMembership
from desktop.sandbox import SandboxServer
from desktop.ui.models.columns import Column
from desktop.ui.models.record_model import RECORD_ROLE, RecordTableModel
from desktop.ui.models.record_proxy import RecordProxy

COLUMNS: tuple[Column[OrganizationMembership], ...] = (
    Column("name", "Name", lambda m: m.user.name),
    Column("email", "E-mail", lambda m: m.user.email),
    Column("role", "Role", lambda m: m.role),
    Column("joined", "Joined", lambda m: m.created_at, numeric=True),
)


@pytest.fixture
def client(sandbox: SandboxServer, qt_loop: Any, run_async: Any) -> Iterator[CalendlyClient]:
    client = CalendlyClient(sandbox.base_url, sandbox.token_for("owner"))
    yield client
    run_async(client.aclose())


def _organization(client: CalendlyClient, run_async: Any) -> str:
    me = run_async(client.users.me())
    assert me.current_organization
    return me.current_organization


def _members_model(client: CalendlyClient, organization: str) -> RecordTableModel[Any]:
    model: RecordTableModel[OrganizationMembership] = RecordTableModel(COLUMNS)

    async def fetch(token: str | None) -> Any:
        return await client.memberships.list(organization=organization, count=7, page_token=token)

    model.set_source(fetch)
    return model


def test_pages_arrive_through_fetch_more_and_the_model_stays_consistent(
    client: CalendlyClient, run_async: Any, qtbot: Any, qtmodeltester: Any
) -> None:
    model = _members_model(client, _organization(client, run_async))
    assert model.rowCount() == 0 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.loading and not model.canFetchMore(QModelIndex())  # one page at a time
    qtbot.waitUntil(lambda: model.rowCount() == 7)
    with qtbot.waitSignal(model.finished, timeout=20_000):
        model.load_all()
    assert model.rowCount() == 25  # the seeded organization, 7 + 7 + 7 + 4
    assert not model.canFetchMore(QModelIndex())
    emails = {model.record(r).user.email for r in range(model.rowCount())}
    assert len(emails) == 25
    qtmodeltester.check(model, force_py=True)


def test_the_proxy_sorts_by_value_and_searches_every_column(
    client: CalendlyClient, run_async: Any, qtbot: Any, qtmodeltester: Any
) -> None:
    model = _members_model(client, _organization(client, run_async))
    with qtbot.waitSignal(model.finished, timeout=20_000):
        model.load_all()
    proxy = RecordProxy()
    proxy.setSourceModel(model)
    proxy.sort(3, Qt.SortOrder.AscendingOrder)
    joined = [proxy.record_at(proxy.index(r, 0)).created_at for r in range(proxy.rowCount())]
    assert joined == sorted(joined)
    owner = next(m for m in model.records() if m.role == "owner")
    proxy.set_search(owner.user.email.upper())
    assert proxy.rowCount() == 1
    assert proxy.record_at(proxy.index(0, 0)) == owner
    proxy.set_search("")
    proxy.set_predicate(lambda m: m.role in ("owner", "admin"))
    roles = {proxy.data(proxy.index(r, 2)) for r in range(proxy.rowCount())}
    assert roles <= {"owner", "admin"} and "owner" in roles
    qtmodeltester.check(proxy, force_py=True)


def test_a_failed_page_keeps_the_rows_and_reports(
    client: CalendlyClient, sandbox: SandboxServer, run_async: Any, qtbot: Any
) -> None:
    model = _members_model(client, _organization(client, run_async))
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 7)
    sandbox.add_fault(kind="error", status=403, paths=["/organization_memberships"], times=1)
    with qtbot.waitSignal(model.load_failed, timeout=20_000) as failed:
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 7 and not model.loading
    assert "403" in str(failed.args[0])
    with qtbot.waitSignal(model.finished, timeout=20_000):
        model.load_all()  # it carries on from where it stopped
    assert model.rowCount() == 25


def test_replace_remove_and_prepend_update_the_rows_in_place(
    client: CalendlyClient, run_async: Any, qtbot: Any, qtmodeltester: Any
) -> None:
    model = _members_model(client, _organization(client, run_async))
    with qtbot.waitSignal(model.finished, timeout=20_000):
        model.load_all()
    first = model.record(0)
    changed = msgspec.structs.replace(first, role="admin" if first.role != "admin" else "user")
    assert model.replace(changed)
    assert model.data(model.index(0, 2)) == changed.role
    assert model.data(model.index(0, 0), RECORD_ROLE) == changed
    assert model.remove(first.uri) and model.rowCount() == 24
    model.prepend(first)
    assert model.record(0) == first and model.rowCount() == 25
    qtmodeltester.check(model, force_py=True)


def test_a_new_source_cancels_the_old_one(
    client: CalendlyClient, sandbox: SandboxServer, run_async: Any, qtbot: Any
) -> None:
    organization = _organization(client, run_async)
    sandbox.add_fault(kind="latency", latency_ms=800, paths=["/organization_memberships"], times=1)
    model = _members_model(client, organization)
    model.fetchMore(QModelIndex())
    assert model.loading
    model.set_source(None)  # e.g. the user switched profiles
    assert not model.loading and model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
