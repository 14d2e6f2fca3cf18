"""Data changed on one page shows on the others bound to the same organization: a member removed
on the Members page leaves the member pickers of Event types and Scheduled events."""

from __future__ import annotations

from typing import Any

from desktop.ui.org.event_types import EventTypesTable, build_event_types_page
from desktop.ui.org.members import build_members_page
from desktop.ui.org.scheduled_events import ScheduledEventsTable, build_scheduled_events_page
from tests.ui.page_helpers import CLICK, load_all, page_spec

LOAD = 30_000


def _choices(combo: Any) -> set[str]:
    return {str(combo.itemData(i)) for i in range(combo.count()) if combo.itemData(i)}


def test_a_member_removed_on_one_page_leaves_the_pickers_of_the_others(
    page_context: Any, qtbot: Any
) -> None:
    context = page_context("owner")
    members_page = page_context.adopt(build_members_page(page_spec("members")))
    types_page = page_context.adopt(build_event_types_page(page_spec("event_types")))
    events_page = page_context.adopt(build_scheduled_events_page(page_spec("scheduled_events")))
    for page in (members_page, types_page, events_page):
        page.bind(context)
    members = members_page.tables[0]
    types = types_page.tables[0]
    events = events_page.tables[0]
    assert isinstance(types, EventTypesTable) and isinstance(events, ScheduledEventsTable)
    load_all(qtbot, members, LOAD)
    qtbot.waitUntil(lambda: types.scope.count() == 26 and events.member.count() == 26, timeout=LOAD)

    victim = next(m for m in members.model.records() if m.role == "user")
    user = victim.user.uri
    assert user in _choices(types.scope) and user in _choices(events.member)
    # The Event types page shows that member's event types when the member goes.
    types.scope.setCurrentIndex(types.scope.findData(user))
    qtbot.waitUntil(lambda: not types.model.loading, timeout=LOAD)

    members.view.selectionModel().setCurrentIndex(members.index_of(victim.uri), CLICK)
    members.remove_action.trigger()
    box = members.confirmation
    assert box is not None
    next(b for b in box.buttons() if b.text().replace("&", "") == "Remove").click()
    qtbot.waitUntil(lambda: members.model.row_of(victim.uri) is None, timeout=LOAD)

    qtbot.waitUntil(
        lambda: user not in _choices(types.scope) and user not in _choices(events.member),
        timeout=LOAD,
    )
    assert types.scope.count() == 25 and events.member.count() == 25
    # The chosen owner left: the page is back on the whole organization's event types.
    assert types.scope.currentIndex() == 0
    qtbot.waitUntil(lambda: not types.model.loading and types.model.rowCount() > 0, timeout=LOAD)
    owners = {r.profile.owner for r in types.model.records() if r.profile is not None}
    assert len(owners) > 1
