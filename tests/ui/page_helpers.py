"""Helpers UI page tests share: open a page on a context, pick and load rows, ask the sandbox."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import httpx
from PySide6.QtCore import QItemSelectionModel

from desktop.sandbox import SandboxServer
from desktop.ui.org.record_table import RecordsPage, RecordTable
from desktop.ui.org.scheduled_events import ScheduledEventsTable, build_scheduled_events_page
from desktop.ui.page_context import PageContext
from desktop.ui.pages import PageSpec, page_specs

TableT = TypeVar("TableT", bound=RecordTable[Any])

# A click on a row (it alone selected), and a Ctrl+click (added to the selection).
CLICK = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
CTRL_CLICK = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows


# -- pages ----------------------------------------------------------------------------------------
def page_spec(key: str) -> PageSpec:
    """The shell's spec of the page ``key``."""
    return next(spec for spec in page_specs() if spec.key == key)


def build_page(
    page_context: Any, key: str, build: Callable[[PageSpec], RecordsPage], kind: type[TableT]
) -> tuple[RecordsPage, TableT]:
    """The page ``key`` made by ``build`` (let go by ``page_context`` after the test), and its
    first table, which must be a ``kind``."""
    page: RecordsPage = page_context.adopt(build(page_spec(key)))
    table = page.tables[0]
    assert isinstance(table, kind)
    return page, table


def bind_new(page_context: Any, page: RecordsPage, role: str = "owner") -> PageContext:
    """Bind a just-built ``page`` to a new context signed in as ``role`` (let go after the test,
    after ``qtmodeltester``'s clean-up, which needs the models alive: request that fixture
    after ``page_context``)."""
    page_context.adopt(page)
    context: PageContext = page_context(role)
    page.bind(context)
    return context


def open_page(
    qtbot: Any,
    page_context: Any,
    key: str,
    build: Callable[[PageSpec], RecordsPage],
    kind: type[TableT],
    role: str = "owner",
    *,
    timeout: int,
    show: bool = False,
) -> tuple[RecordsPage, TableT, PageContext]:
    """The page, bound to a context signed in as ``role``, once its first rows are in."""
    context = page_context(role)
    page, table = build_page(page_context, key, build, kind)
    if show:
        page.resize(1400, 800)
        page.show()
    page.bind(context)
    qtbot.waitUntil(lambda: table.model.rowCount() > 0 or table.model.exhausted, timeout=timeout)
    return page, table, context


def open_scheduled_events(
    qtbot: Any, page_context: Any, role: str = "owner", *, timeout: int, show: bool = False
) -> tuple[RecordsPage, ScheduledEventsTable, PageContext]:
    """The Scheduled events page (``open_page``)."""
    return open_page(
        qtbot,
        page_context,
        "scheduled_events",
        build_scheduled_events_page,
        ScheduledEventsTable,
        role,
        timeout=timeout,
        show=show,
    )


# -- rows -----------------------------------------------------------------------------------------
def load_all(qtbot: Any, table: RecordTable[Any], timeout: int) -> None:
    """Ask for every page of the table's rows and wait until the last is in and said so."""
    qtbot.waitUntil(lambda: not table.model.loading, timeout=timeout)
    if not table.model.exhausted:
        with qtbot.waitSignal(table.model.finished, timeout=timeout):
            table.model.load_all()
    qtbot.waitUntil(lambda: table.status.text().startswith("All "), timeout=timeout)


def select_where(table: RecordTable[Any], match: Callable[[Any], bool]) -> Any:
    """Click the first shown row whose record ``match``es; that record."""
    for row in range(table.proxy.rowCount()):
        index = table.proxy.index(row, 0)
        record = table.proxy.record_at(index)
        if match(record):
            table.view.selectionModel().setCurrentIndex(index, CLICK)
            assert table.current_record() == record
            return record
    raise AssertionError("no row matches")


def add_to_selection(table: RecordTable[Any], rows: Iterable[int]) -> list[Any]:
    """Ctrl+click the shown ``rows``; their records, in that order."""
    selection = table.view.selectionModel()
    records = []
    for row in rows:
        index = table.proxy.index(row, 0)
        records.append(table.proxy.record_at(index))
        selection.select(index, CTRL_CLICK)
    return records


def logged(context: PageContext, run_async: Any, action: str) -> list[Any]:
    """The context's action-log entries for ``action``, newest first."""
    assert context.action_log is not None
    return list(run_async(context.action_log.query(actions=[action])))


# -- the sandbox over plain HTTP (independent of the app's client) ---------------------------------
def sandbox_http(sandbox: SandboxServer, role: str = "owner") -> httpx.Client:
    """A plain HTTP client on the sandbox, signed in as ``role`` (close it after use)."""
    headers = {"Authorization": f"Bearer {sandbox.token_for(role)}"}
    return httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=30)


def every_item(client: httpx.Client, path: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every item the sandbox answers for the list query, page after page."""
    query = {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()}
    found: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = {**query, "count": 100, **({"page_token": token} if token else {})}
        answer = client.get(path, params=page)
        answer.raise_for_status()
        body = answer.json()
        found.extend(body["collection"])
        token = body["pagination"]["next_page_token"]
        if not token:
            return found


def me(client: httpx.Client) -> dict[str, Any]:
    """The client's user (``/users/me``)."""
    user: dict[str, Any] = client.get("/users/me").json()["resource"]
    return user


def sandbox_items(
    sandbox: SandboxServer, path: str, role: str = "owner", **params: Any
) -> list[dict[str, Any]]:
    """``every_item`` over a client of its own, signed in as ``role``."""
    with sandbox_http(sandbox, role) as client:
        return every_item(client, path, params)


def sandbox_get(
    sandbox: SandboxServer, path: str, role: str = "owner", **params: Any
) -> dict[str, Any]:
    """The sandbox's answer (its JSON body) to one GET of ``path`` as ``role``."""
    with sandbox_http(sandbox, role) as client:
        body: dict[str, Any] = client.get(path, params=params).json()
    return body


def sandbox_me(sandbox: SandboxServer, role: str = "owner") -> dict[str, Any]:
    """The user signed in as ``role``."""
    with sandbox_http(sandbox, role) as client:
        return me(client)
