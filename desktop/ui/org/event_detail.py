"""The scheduled event's detail panel: the event, its invitees (loaded on selection), and a
list to pick one invitee for the no-show actions."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.api.client import CalendlyClient
from desktop.api.errors import CalendlyError
from desktop.domain.invitees import Invitee
from desktop.domain.organizations import MembershipUser
from desktop.domain.scheduled_events import ScheduledEvent
from desktop.ui.failures import describe
from desktop.ui.org.event_html import Booking, Chain, DetailState, event_html
from desktop.ui.org.event_text import status_text
from desktop.ui.tasks import TaskOwner

CHAIN_HOPS = 5  # reschedules followed each way; a longer chain ends with the fifth
INVITEE_PAGE = 100


class EventDetailPanel(QWidget):
    """Shows one event (``show_event``); loads its invitees in an owned task, cancelled when
    another event is shown. ``invitee_changed`` fires when the picked invitee changes or is
    updated, so the actions can follow."""

    invitee_changed = Signal()

    def __init__(self, browser: QTextBrowser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browser = browser
        self.client: CalendlyClient | None = None
        self._tasks = TaskOwner(self)
        self._task: asyncio.Task[None] | None = None
        self._state: DetailState | None = None
        self._people: Mapping[str, MembershipUser] = {}
        self._busy: dict[str, str] = {}  # event URI → what is being done to it

        self.invitees_label = QLabel(self.tr("&Invitees:"))
        self.invitees = QListWidget()
        self.invitees.setAccessibleName(self.tr("Invitees of the selected event"))
        self.invitees.setAccessibleDescription(
            self.tr("Pick an invitee to mark as a no-show or to undo the mark")
        )
        self.invitees.setMaximumHeight(110)
        self.invitees_label.setBuddy(self.invitees)
        self.invitees.currentRowChanged.connect(lambda _row: self.invitee_changed.emit())
        self.buttons = QHBoxLayout()  # the actions add their buttons here
        self.buttons.setContentsMargins(0, 0, 0, 0)
        self.buttons.addStretch(1)
        self.note = QLabel()  # why an action is not available now
        self.note.setWordWrap(True)
        self.note.setAccessibleName(self.tr("Why an action is unavailable"))
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(browser, 1)
        layout.addWidget(self.invitees_label)
        layout.addWidget(self.invitees)
        layout.addLayout(self.buttons)
        layout.addWidget(self.note)
        self._show_list(False)

    # -- what is shown ------------------------------------------------------------------------
    @property
    def shown_event(self) -> ScheduledEvent | None:
        return self._state.event if self._state is not None else None

    @property
    def loaded_invitees(self) -> tuple[Invitee, ...] | None:
        return self._state.invitees if self._state is not None else None

    @property
    def loading(self) -> bool:
        return self._task is not None and not self._task.done()

    def current_invitee(self) -> Invitee | None:
        item = self.invitees.currentItem()
        if item is None or self._state is None or self._state.invitees is None:
            return None
        uri = item.data(Qt.ItemDataRole.UserRole)
        return next((i for i in self._state.invitees if i.uri == uri), None)

    def html_for(self, event: ScheduledEvent) -> str:
        """The HTML for ``event``: with its invitees when they are loaded, else "Loading"."""
        state = self._state
        if state is None or state.event.uri != event.uri:
            state = DetailState(event=event, people=self._people)
        else:
            state = dataclasses.replace(state, event=event)
        return event_html(dataclasses.replace(state, busy=self._busy.get(event.uri)))

    def set_people(self, people: Mapping[str, MembershipUser]) -> None:
        """The organization's members by user URI (names and time zones); shown from now on."""
        self._people = people
        if self._state is not None:
            self._update(people=people)

    def set_busy(self, event_uri: str, text: str | None) -> None:
        if text is None:
            self._busy.pop(event_uri, None)
        else:
            self._busy[event_uri] = text
        if self._state is not None and self._state.event.uri == event_uri:
            self._render()

    def show_event(self, event: ScheduledEvent | None) -> None:
        """Show ``event`` (None: nothing, as for a multi-selection) and load its invitees.

        The same event again keeps what is loaded (the table re-selects it after a sort)."""
        if event is not None and self._state is not None and self._state.event.uri == event.uri:
            if self._state.event != event:
                self._update(event=event)
            return
        self._stop()
        self._state = None
        self.invitees.clear()
        if event is None:
            self._show_list(False)
            self.invitee_changed.emit()
            return
        self._state = DetailState(event=event, people=self._people)
        self._show_list(True)
        self._render()
        self.invitee_changed.emit()
        self._start_loading()

    def update_event(self, event: ScheduledEvent, *, reload_invitees: bool = False) -> None:
        """The shown event changed (after a write here or elsewhere)."""
        if self._state is None or self._state.event.uri != event.uri:
            return
        self._update(event=event)
        if reload_invitees:
            self._stop()
            self._start_loading()

    def reload_invitees_of(self, event_uri: str) -> None:
        """Load the invitees again if ``event_uri`` is the event shown."""
        if self._state is not None and self._state.event.uri == event_uri:
            self._stop()
            self._start_loading()

    def replace_invitee(self, invitee: Invitee) -> None:
        """One invitee changed (a no-show mark): its entry and the HTML show the new one."""
        state = self._state
        if state is None or state.invitees is None:
            return
        if all(i.uri != invitee.uri for i in state.invitees):
            return
        invitees = tuple(invitee if i.uri == invitee.uri else i for i in state.invitees)
        self._update(invitees=invitees)
        self._fill_list(invitees)
        self.invitee_changed.emit()

    def clear(self) -> None:
        self.show_event(None)
        self.browser.clear()

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    # -- loading ------------------------------------------------------------------------------
    def _stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    def _start_loading(self) -> None:
        if self.client is None or self._state is None:
            return
        self._update(invitees=None, error=None)
        self._task = self._tasks.spawn(
            self._load(self.client, self._state.event), self.tr("Loading invitees")
        )

    async def _load(self, client: CalendlyClient, event: ScheduledEvent) -> None:
        invitees: list[Invitee] = []
        token: str | None = None
        try:
            while True:
                page = await client.scheduled_events.list_invitees(
                    event.uri, count=INVITEE_PAGE, page_token=token
                )
                invitees.extend(page.items)
                if page.next_page_token is None or page.next_page_token == token:
                    break
                token = page.next_page_token
        except CalendlyError as error:
            self._update(error=describe(self.tr("Loading the invitees"), error))
            return
        found = tuple(invitees)
        self._update(invitees=found)
        self._fill_list(found)
        self.invitee_changed.emit()
        if any(i.old_invitee or i.new_invitee for i in found):
            chains = {
                i.uri: await _chain(client, i) for i in found if i.old_invitee or i.new_invitee
            }
            self._update(chains=chains)

    # -- drawing ------------------------------------------------------------------------------
    def _update(self, **changes: object) -> None:
        if self._state is None:
            return
        self._state = dataclasses.replace(self._state, **changes)  # type: ignore[arg-type]
        self._render()

    def _render(self) -> None:
        if self._state is None:
            return
        state = dataclasses.replace(self._state, busy=self._busy.get(self._state.event.uri))
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(event_html(state))
        self.browser.verticalScrollBar().setValue(scroll)

    def _fill_list(self, invitees: tuple[Invitee, ...]) -> None:
        previous = self.current_invitee()
        keep = previous.uri if previous is not None else None
        self.invitees.blockSignals(True)
        self.invitees.clear()
        for invitee in invitees:
            item = QListWidgetItem(_entry_text(invitee))
            item.setData(Qt.ItemDataRole.UserRole, invitee.uri)
            self.invitees.addItem(item)
            if invitee.uri == keep:
                self.invitees.setCurrentItem(item)
        if self.invitees.currentItem() is None and invitees:
            # The first active invitee: a one-on-one meeting needs no picking.
            first = next((n for n, i in enumerate(invitees) if not i.is_canceled), 0)
            self.invitees.setCurrentRow(first)
        self.invitees.blockSignals(False)

    def _show_list(self, visible: bool) -> None:
        self.invitees_label.setVisible(visible)
        self.invitees.setVisible(visible)
        if not visible:
            self.set_note("")


def _entry_text(invitee: Invitee) -> str:
    flags = [status_text(invitee.status)]
    if invitee.no_show is not None:
        flags.append(QCoreApplication.translate("EventDetailPanel", "No-show"))
    return QCoreApplication.translate("EventDetailPanel", "{name} <{email}> — {state}").format(
        name=invitee.display_name, email=invitee.email, state=", ".join(flags)
    )


async def _chain(client: CalendlyClient, invitee: Invitee) -> Chain:
    """The bookings an invitee's reschedules went through, each way (a few hops at most)."""

    async def walk(start: str | None, forward: bool) -> tuple[Booking, ...]:
        found: list[Booking] = []
        uri = start
        while uri and len(found) < CHAIN_HOPS:
            try:
                other = await client.scheduled_events.get_invitee(uri)
                event = await client.scheduled_events.get(other.event)
            except CalendlyError:
                found.append(Booking(uri, None))
                break
            found.append(Booking(uri, event.start_time))
            uri = other.new_invitee if forward else other.old_invitee
        return tuple(found)

    return Chain(
        earlier=await walk(invitee.old_invitee, forward=False),
        later=await walk(invitee.new_invitee, forward=True),
    )
