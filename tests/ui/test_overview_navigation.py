"""The Overview's cards open the page they summarize, already filtered as the card counts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt

from desktop.ui.org.date_range import Preset

LOAD = 30_000


def test_each_card_opens_its_page_filtered_as_the_card_counts(
    make_console: Any, qtbot: Any
) -> None:
    console = make_console()
    console.open_on_sandbox(qtbot)
    window = console.window
    overview = window.current_page
    assert overview.spec.key == "overview"
    cards = overview.cards.cards  # type: ignore[attr-defined]

    qtbot.mouseClick(cards["invitations_pending"], Qt.MouseButton.LeftButton)
    members_page = window.current_page
    assert members_page.spec.key == "members"
    invitations = members_page.tables[1]  # type: ignore[attr-defined]
    assert members_page.tabs.currentWidget() is invitations  # type: ignore[attr-defined]
    assert invitations.state.currentData() == "pending"

    window.show_page("overview")
    qtbot.mouseClick(cards["event_types_active"], Qt.MouseButton.LeftButton)
    types = window.current_page.tables[0]  # type: ignore[attr-defined]
    assert window.current_page.spec.key == "event_types"
    assert types.active.currentData() == "active" and types.scope.currentIndex() == 0

    window.show_page("overview")
    qtbot.mouseClick(cards["webhooks_retrying"], Qt.MouseButton.LeftButton)
    webhooks = window.current_page
    assert webhooks.spec.key == "webhooks"
    subscriptions = webhooks.subscriptions  # type: ignore[attr-defined]
    assert webhooks.tabs.currentWidget() is subscriptions  # type: ignore[attr-defined]
    assert subscriptions.filter_boxes.state_box.currentData() == "retrying"
    qtbot.waitUntil(lambda: subscriptions.model.rowCount() > 0, timeout=LOAD)
    shown = subscriptions.shown_records()
    assert shown and all(r.subscription.retry_started_at is not None for r in shown)

    window.show_page("overview")
    qtbot.mouseClick(cards["meetings_next_week"], Qt.MouseButton.LeftButton)
    events = window.current_page.tables[0]  # type: ignore[attr-defined]
    assert window.current_page.spec.key == "scheduled_events"
    assert events.status_filter.currentData() == "active"
    assert events.dates.current_preset() is Preset.CUSTOM
    today = date.today()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
    first, after = events.dates.days()
    assert (first, after) == (
        QDate(monday.year, monday.month, monday.day),
        QDate(monday.year, monday.month, monday.day).addDays(7),
    )
    # The page asks Calendly for exactly that span: every row starts inside it.
    qtbot.waitUntil(lambda: not events.model.loading, timeout=LOAD)
    low, high = events.dates.bounds()
    assert all(low <= e.start_time < high for e in events.model.records())
