"""The booking desk: book a colleague's event type for an invitee through the Scheduling API.

Member → event type → open time → the invitee form generated from the event type → Book. The
form checks what Calendly checks before anything is sent; what Calendly still refuses shows on
the field its ``details`` name. A booking is never made twice: Book is disabled (and Enter
ignored) while one is in flight, a lost answer goes through the client's reconcile path, and
when that cannot tell, the desk says so and offers a check, never a resend. Each booking is
logged as ``invitee.book`` (who booked whom, with whose event type) and announced as a changed
``scheduled_event`` so the Scheduled events page shows it.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.api.errors import (
    BadRequest,
    BookingUnconfirmed,
    CalendlyError,
    FieldProblem,
    NotFound,
    RateLimited,
)
from desktop.domain.event_types import EventType
from desktop.domain.organizations import MembershipUser
from desktop.ui.booking import booking_flow
from desktop.ui.booking.booking_flow import Booked, BookingKey, BookingRequest
from desktop.ui.booking.booking_result import BookingResult
from desktop.ui.booking.invitee_form import InviteeForm
from desktop.ui.booking.member_picker import MemberPicker
from desktop.ui.booking.quota import QuotaLabel, rate_limit_text
from desktop.ui.booking.slot_grid import SlotGrid
from desktop.ui.failures import describe
from desktop.ui.org.event_text import format_moment, system_zone_name
from desktop.ui.page_context import PageContext
from desktop.ui.signin.form import BusyRow, ErrorLabel
from desktop.ui.tasks import TaskOwner


class BookingDesk(QWidget):
    """The "Booking desk" tab: ``bind(context)``, ``unbind()``, ``refresh()``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context: PageContext | None = None
        self.member: MembershipUser | None = None
        self.event_type: EventType | None = None
        self.in_flight = False
        self.unconfirmed: BookingKey | None = None
        self.last_booking: Booked | None = None
        self._pending_request: BookingRequest | None = None  # the one whose answer was lost
        self._tasks = TaskOwner(self)
        self._tasks.failed.connect(lambda what, error: self._say(describe(what, error)))

        self.quota = QuotaLabel()
        self.picker = MemberPicker()
        self.slots = SlotGrid()
        self.form = InviteeForm()
        self.form.zone_edit.setText(system_zone_name())
        self.result = BookingResult()

        self.book_button = QPushButton(self.tr("&Book"))
        self.book_button.setAccessibleName(self.tr("Book"))
        self.book_button.setAccessibleDescription(
            self.tr("Books the chosen time for the invitee through Calendly's Scheduling API")
        )
        self.busy = BusyRow()
        self.message = ErrorLabel()
        self.unconfirmed_box = QWidget()
        self.unconfirmed_text = QLabel()
        self.unconfirmed_text.setWordWrap(True)
        self.check_button = QPushButton(self.tr("&Check whether it was booked"))
        self.check_button.setAccessibleName(self.tr("Check whether it was booked"))
        self.check_button.setAccessibleDescription(
            self.tr("Looks for the booking in Calendly; nothing is booked")
        )
        self.release_button = QPushButton(self.tr("I checked: allo&w booking again"))
        self.release_button.setAccessibleName(self.tr("Allow booking again"))
        self.release_button.setAccessibleDescription(
            self.tr("Only once you know the booking was not made")
        )
        unconfirmed = QVBoxLayout(self.unconfirmed_box)
        unconfirmed.setContentsMargins(0, 0, 0, 0)
        unconfirmed.addWidget(self.unconfirmed_text)
        unconfirmed_buttons = QHBoxLayout()
        unconfirmed_buttons.addWidget(self.check_button)
        unconfirmed_buttons.addWidget(self.release_button)
        unconfirmed_buttons.addStretch(1)
        unconfirmed.addLayout(unconfirmed_buttons)
        self.unconfirmed_box.setVisible(False)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        form_column = QWidget()
        column = QVBoxLayout(form_column)
        column.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(self.tr("<b>Invitee</b>"))
        column.addWidget(heading)
        column.addWidget(scroll, 1)
        book_row = QHBoxLayout()
        book_row.addWidget(self.book_button)
        book_row.addWidget(self.busy, 1)
        book_row.addStretch(1)
        column.addLayout(book_row)
        column.addWidget(self.message)
        column.addWidget(self.unconfirmed_box)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.picker)
        splitter.addWidget(self.slots)
        splitter.addWidget(form_column)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 4)
        splitter.setChildrenCollapsible(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(splitter)
        self.stack.addWidget(self.result)
        layout = QVBoxLayout(self)
        layout.addWidget(self.quota)
        layout.addWidget(self.stack, 1)

        self.picker.member_chosen.connect(self._member_chosen)
        self.picker.event_type_chosen.connect(self._event_type_chosen)
        self.slots.chosen.connect(lambda _start: self.message.setVisible(False))
        self.form.zone_changed.connect(self.slots.set_invitee_zone)
        self.form.submit_requested.connect(self.book)
        self.book_button.clicked.connect(self.book)
        self.check_button.clicked.connect(self.check_unconfirmed)
        self.release_button.clicked.connect(self._release)
        self.result.book_another.connect(self.book_another)
        self.result.new_booking.connect(self.new_booking)
        self._update_tab_order()
        self._update_book_button()

    # -- page life ----------------------------------------------------------------------------
    def bind(self, context: PageContext) -> None:
        if self.context is not None:
            self.unbind()
        self.context = context
        client = context.connection.client
        self.picker.bind(client, context.connection.identity.organization_uri)
        self.quota.follow(lambda: client.scheduling.quota)
        self._update_book_button()

    def unbind(self) -> None:
        self._tasks.cancel_all()
        self.picker.unbind()
        self.slots.forget()
        self.form.set_event_type(None)
        self.form.reset()  # the next connection may be another organization's
        self.member = self.event_type = None
        self.last_booking = self._pending_request = None
        self.quota.follow(None)
        self.context = None
        self.in_flight = False
        self.unconfirmed = None
        self.unconfirmed_box.setVisible(False)
        self.busy.stop()
        self._say("")
        self.stack.setCurrentIndex(0)
        self._update_book_button()

    def refresh(self) -> None:
        self.picker.reload()
        self.slots.reload()
        self.quota.update_quota()

    # -- choosing -----------------------------------------------------------------------------
    def _member_chosen(self, member: MembershipUser | None) -> None:
        self.member = member

    def _event_type_chosen(self, event_type: EventType | None) -> None:
        self.event_type = event_type
        self.form.set_event_type(event_type)
        client = self.context.connection.client if self.context is not None else None
        self.slots.show_event_type(client, event_type)
        self._update_tab_order()

    def _update_tab_order(self) -> None:
        chain = [*self.picker.focus_chain(), self.slots.tree, self.slots.earlier_button]
        chain += [self.slots.later_button, *self.form.focus_chain(), self.book_button]
        chain += [self.check_button, self.release_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        result = self.result.focus_chain()
        for first, second in itertools.pairwise(result):
            QWidget.setTabOrder(first, second)

    def _update_book_button(self) -> None:
        self.book_button.setEnabled(
            self.context is not None and not self.in_flight and self.unconfirmed is None
        )

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- booking ------------------------------------------------------------------------------
    def book(self) -> None:
        """Check the form, then book once (ignored while a booking is in flight or unknown)."""
        context = self.context
        if context is None or self.in_flight or self.unconfirmed is not None:
            return
        self._say("")
        start = self.slots.selected_start()
        values = self.form.collect()
        if self.member is None or self.event_type is None:
            self._say(self.tr("Choose a member and one of their event types first."))
            self.picker.search.setFocus()
            return
        if start is None:
            self.slots.show_problem(self.tr("Choose one of the open times."))
            self.slots.tree.setFocus()
            return
        if values is None:
            return
        request = BookingRequest(self.member, self.event_type, start, values)
        self.in_flight = True
        self._update_book_button()
        self.busy.start(self.tr("Booking {who}…").format(who=request.invitee_label))
        what = self.tr("Booking {who}").format(who=request.invitee_label)
        self._tasks.spawn(self._book(context, request), what)

    async def _book(self, context: PageContext, request: BookingRequest) -> None:
        try:
            booked = await booking_flow.book(context, request)
        except BadRequest as error:
            self._finish(context)
            self._refused(error)
            return
        except RateLimited as error:
            self._finish(context)
            self._say(rate_limit_text(error, context.connection.client.scheduling.quota))
            return
        except BookingUnconfirmed as error:
            self._finish(context)
            self._unknown(request, error)
            return
        except NotFound:
            self._finish(context)
            self._say(self.tr("Nothing was booked: Calendly no longer has this event type."))
            return
        except CalendlyError as error:
            self._finish(context)
            self._say(describe(self.tr("Booking"), error) + " " + self.tr("Nothing was booked."))
            return
        except BaseException:
            self._finish(context)
            raise
        self._finish(context)
        if self.context is context:
            self._show_booked(booked)
        context.changes.changed.emit("scheduled_event", booked.invitee.event)

    def _finish(self, context: PageContext) -> None:
        if self.context is not context:
            return
        self.in_flight = False
        self.busy.stop()
        self.quota.update_quota()
        self._update_book_button()

    def _refused(self, error: BadRequest) -> None:
        """Show each of Calendly's details on its field; the rest under Book."""
        at_start = [p for p in error.details if p.parameter == "start_time"]
        others = [p for p in error.details if p.parameter != "start_time"]
        if at_start:
            self.slots.reload()  # the time may be gone: show what is open now
            self.slots.show_problem(
                self.tr("Calendly: {message}. Choose another time.").format(
                    message=at_start[0].message
                )
            )
        left, _first = self.form.show_problems(others)
        if left or not error.details:
            lines = [_problem_text(p) for p in left] or [f"{error.title}: {error.message}"]
            self._say(self.tr("Nothing was booked. {why}").format(why=" ".join(lines)))
        elif at_start and not others:
            self.slots.tree.setFocus()

    def _show_booked(self, booked: Booked, note: str = "") -> None:
        self.last_booking = booked
        request = booked.request
        self.result.show_booking(
            booked.invitee,
            booked.event,
            event_type_name=request.event_type.display_name,
            host_name=request.host.name,
            start=request.start,
            reconciled_note=note,
        )
        self.stack.setCurrentWidget(self.result)
        self.result.another_button.setFocus()

    # -- an answer that was lost --------------------------------------------------------------
    def _unknown(self, request: BookingRequest, error: BookingUnconfirmed) -> None:
        self.unconfirmed = request.key
        self._pending_request = request
        when = format_moment(request.start)
        self.unconfirmed_text.setText(
            self.tr(
                "It is not known whether {who} was booked at {when}: Calendly's answer was lost "
                "and the booking could not be looked up. Nothing is sent again on its own. Check "
                "whether it was made before booking again."
            ).format(who=request.invitee_label, when=when)
        )
        self.unconfirmed_text.setToolTip(str(error))
        self.unconfirmed_box.setVisible(True)
        self._update_book_button()
        self.check_button.setFocus()

    def check_unconfirmed(self) -> None:
        context, key = self.context, self.unconfirmed
        if context is None or key is None:
            return
        self.check_button.setEnabled(False)
        self.busy.start(self.tr("Looking for the booking…"))
        self._tasks.spawn(self._check(context, key), self.tr("Looking for the booking"))

    async def _check(self, context: PageContext, key: BookingKey) -> None:
        try:
            found, conclusive = await booking_flow.find_booking(context, key)
        except CalendlyError as error:
            found, conclusive = None, False
            why = describe(self.tr("Looking for the booking"), error)
        else:
            why = ""
        if self.context is not context:
            return
        self.busy.stop()
        self.check_button.setEnabled(True)
        request = self._pending_request
        if found is not None and request is not None:
            event = await booking_flow.read_back(context, found)
            self._release()
            self._show_booked(
                Booked(found, event, request),
                self.tr("Calendly's answer was lost; the booking was found afterwards."),
            )
            context.changes.changed.emit("scheduled_event", found.event)
        elif conclusive:
            self._release()
            self._say(self.tr("No booking was made. You can book again."))
        else:
            self.unconfirmed_text.setText(
                why
                or self.tr(
                    "Still unknown: this account may not see every meeting of the organization. "
                    "Ask an owner or admin to look at the host's scheduled events, or check the "
                    "invitee's inbox, before booking again."
                )
            )

    def _release(self) -> None:
        self.unconfirmed = None
        self.unconfirmed_box.setVisible(False)
        self._update_book_button()

    # -- after a booking ----------------------------------------------------------------------
    def book_another(self) -> None:
        """Back to the open times, the invitee's fields kept."""
        self.stack.setCurrentIndex(0)
        self.slots.reload()
        self.slots.tree.setFocus()

    def new_booking(self) -> None:
        """Back to the open times with an empty invitee form."""
        self.form.reset()
        self._update_tab_order()  # the questions were made anew
        self.stack.setCurrentIndex(0)
        self.slots.reload()
        self.slots.tree.setFocus()


def _problem_text(problem: FieldProblem) -> str:
    where = f"{problem.parameter}: " if problem.parameter else ""
    return f"{where}{problem.message}."
