"""A large organization: thousands of scheduled events page in as the user scrolls, and every
row can then be sorted and searched locally, agreeing with what the sandbox holds."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Qt

from desktop.sandbox import SandboxServer
from desktop.ui.org.scheduled_events import ScheduledEventsTable
from tests.sandbox_fixtures import MEMBERS, SEED
from tests.ui.page_helpers import every_item, load_all, me, open_scheduled_events, sandbox_http

EVENTS = 3000
LOAD = 120_000


def test_thousands_of_events_page_in_as_the_user_scrolls_then_sort_and_search_locally(
    sandbox: SandboxServer, page_context: Any, qtbot: Any
) -> None:
    sandbox.reset(seed=SEED, members=MEMBERS, events=EVENTS)
    with sandbox_http(sandbox) as client:
        organization = me(client)["current_organization"]
        expected = every_item(client, "/scheduled_events", {"organization": organization})
    assert len(expected) == EVENTS

    page, table, _context = open_scheduled_events(qtbot, page_context, timeout=LOAD, show=True)
    table = _scheduled(table)
    qtbot.waitUntil(lambda: not table.model.loading, timeout=LOAD)
    assert table.model.rowCount() == 100 and table.model.canFetchMore(table.model.index(-1, -1))

    # Scrolling to the end asks for the next page, as a user reading down the list would.
    for loaded in (200, 300):
        table.view.scrollToBottom()
        qtbot.waitUntil(lambda n=loaded: table.model.rowCount() >= n, timeout=LOAD)  # type: ignore[misc]
        qtbot.waitUntil(lambda: not table.model.loading, timeout=LOAD)
    assert "more as you scroll" in table.status.text()

    load_all(qtbot, table, LOAD)
    uris = [e.uri for e in table.model.records()]
    assert uris == [e["uri"] for e in expected]  # every row once, in Calendly's order
    assert table.status.text() == f"All {QLocale().toString(EVENTS)} loaded"

    # Everything is loaded: sorting happens here, newest first, over all rows.
    table.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert not table.model.loading
    starts = [e.start_time for e in table.shown_records()]
    assert len(starts) == EVENTS and starts == sorted(starts, reverse=True)

    # A local search over thousands of rows matches exactly the events that host hosts.
    host = expected[1234]["event_memberships"][0]["user_name"]
    hosted = {
        e["uri"] for e in expected if any(m["user_name"] == host for m in e["event_memberships"])
    }
    table.search.setText(host.lower())
    shown = {e.uri for e in table.shown_records()}
    assert shown == hosted and 0 < len(shown) < EVENTS
    assert QLocale().toString(len(shown)) in table.status.text()
    assert page.isVisible()


def _scheduled(table: Any) -> ScheduledEventsTable:
    assert isinstance(table, ScheduledEventsTable)
    return table
