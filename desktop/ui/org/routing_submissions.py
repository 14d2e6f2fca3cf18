"""The submissions of one routing form: answers, tracking, routing result and the booking."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from desktop.api.client import CalendlyClient
from desktop.api.errors import CalendlyError
from desktop.domain.routing_forms import RoutingForm, RoutingFormSubmission
from desktop.ui.failures import describe
from desktop.ui.models.columns import Column
from desktop.ui.models.record_model import Fetcher
from desktop.ui.org.record_table import RecordTable
from desktop.ui.org.routing_text import (
    Booking,
    event_uri_of,
    result_text,
    result_type_label,
    submission_html,
    submitter_text,
)
from desktop.ui.page_context import PageContext

PAGE_SIZE = 100
RESULT_COLUMN = 3


class SubmissionsTable(RecordTable[RoutingFormSubmission]):
    """Submissions of the form chosen at the top; the forms are loaded once per connection."""

    def __init__(self, parent: QWidget | None = None) -> None:
        title = QCoreApplication.translate("RoutingForms", "Submissions")
        super().__init__("routing_submissions", title, parent)
        self._forms: dict[str, RoutingForm] = {}
        self._forms_task: asyncio.Task[None] | None = None
        self._forms_loaded = False
        self._forms_error: str | None = None
        self._wanted_form: str | None = None  # chosen before the forms arrived
        self._names: dict[str, str] = {}  # event type URI -> "name (owner)"
        self._links: dict[str, str] = {}  # event type URI -> its booking page
        self._names_asked: set[str] = set()
        self._names_tasks: set[asyncio.Task[None]] = set()
        self._bookings: dict[str, Booking | str] = {}  # submitter URI -> booking or error
        self._booking_task: asyncio.Task[None] | None = None
        self._booking_for: str | None = None

        self.form_label = QLabel(self.tr("&Form:"))
        self.form = QComboBox()
        self.form.setAccessibleName(self.tr("Routing form"))
        self.form.setAccessibleDescription(self.tr("The form whose submissions are listed"))
        self.form.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.form.setEnabled(False)
        self.form_label.setBuddy(self.form)
        self.filters.insertWidget(0, self.form_label)
        self.filters.insertWidget(1, self.form)
        self.form.currentIndexChanged.connect(self._form_changed)
        self.model.rows_loaded.connect(self._resolve_names)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first

    # -- RecordTable --------------------------------------------------------------------------
    def columns(self) -> Sequence[Column[RoutingFormSubmission]]:
        return (
            Column(
                "submitted", self.tr("Submitted"), lambda s: s.created_at, numeric=True, width=18
            ),
            Column("submitter", self.tr("Submitter"), self._submitter, width=30),
            Column("result_type", self.tr("Result type"), lambda s: result_type_label(s.result)),
            Column("result", self.tr("Result"), self._result, tooltip=self._result, width=30),
            Column("booked", self.tr("Booked"), lambda s: s.submitter is not None, width=7),
        )

    def fetcher(self, context: PageContext) -> Fetcher[RoutingFormSubmission] | None:
        form = self.chosen_form()
        if form is None:
            return None
        client = context.connection.client
        uri = form.uri
        return lambda token: client.routing_forms.list_submissions(
            form=uri, sort="created_at:desc", count=PAGE_SIZE, page_token=token
        )

    def detail_html(self, record: RoutingFormSubmission) -> str:
        form = self.chosen_form()
        booking = self._booking_of(record)
        return submission_html(record, form, self._names, self._links, booking)

    def _retry(self) -> None:
        if self._forms_error is not None and self.context is not None:
            self._forms_error = None
            self._load_forms(self.context)
            return
        super()._retry()

    def empty_text(self) -> str:
        if self._forms_error is not None:
            return self._forms_error
        if not self._forms_loaded:
            return self.tr("Loading the routing forms…")
        form = self.chosen_form()
        if form is None:
            return self.tr("This organization has no routing forms.")
        return self.tr("No one has submitted “{form}” yet.").format(form=form.name)

    def selection_changed(self, records: list[RoutingFormSubmission]) -> None:
        if len(records) == 1 and records[0].submitter:
            self._load_booking(records[0].submitter)

    # -- the page's calls ---------------------------------------------------------------------
    def bind(self, context: PageContext) -> None:
        context.changes.changed.connect(self._data_changed)
        super().bind(context)
        self._load_forms(context)

    def unbind(self) -> None:
        if self.context is not None:
            self.context.changes.changed.disconnect(self._data_changed)
        for task in (self._forms_task, self._booking_task, *self._names_tasks):
            if task is not None:
                task.cancel()
        self._forms_task = self._booking_task = None
        self._names_tasks.clear()
        self._booking_for = None
        self._forms.clear()
        self._forms_loaded = False
        self._names.clear()
        self._links.clear()
        self._names_asked.clear()
        self._bookings.clear()
        self.form.blockSignals(True)
        self.form.clear()
        self.form.blockSignals(False)
        self.form.setEnabled(False)
        super().unbind()

    def refresh(self) -> None:
        """The forms again (keeping the one chosen), then its submissions."""
        self._bookings.clear()
        if self.context is not None:
            self._load_forms(self.context)
        else:
            self.reload()

    def chosen_form(self) -> RoutingForm | None:
        return self._forms.get(str(self.form.currentData() or ""))

    def select_form(self, uri: str) -> None:
        """Show the submissions of the form ``uri`` (now, or once the forms are loaded)."""
        index = self.form.findData(uri)
        if index >= 0:
            self.form.setCurrentIndex(index)
        else:
            self._wanted_form = uri

    # -- forms --------------------------------------------------------------------------------
    def _load_forms(self, context: PageContext) -> None:
        if self._forms_task is not None:
            self._forms_task.cancel()
        identity = context.connection.identity
        self._forms_task = context.tasks.spawn(
            self._fetch_forms(context.connection.client, identity.organization_uri),
            self.tr("Loading the routing forms"),
        )

    async def _fetch_forms(self, client: CalendlyClient, organization: str) -> None:
        keep = self._wanted_form or str(self.form.currentData() or "")
        try:
            forms = [f async for f in client.routing_forms.iterate(organization=organization)]
        except CalendlyError as error:
            # Said where the list would be, with Retry (which loads the forms again).
            self._forms_task = None
            self._forms_error = describe(self.tr("Loading the routing forms"), error)
            self._update_status()
            self.empty.setText(self._forms_error)
            self.status.setText(self._forms_error)
            self.retry_button.setVisible(True)
            return
        self._forms_error = None
        self._forms_task = None
        self._forms = {f.uri: f for f in forms}
        self._forms_loaded = True
        self._wanted_form = None
        self.form.blockSignals(True)
        self.form.clear()
        for form in forms:
            label = form.name
            if not form.is_published:
                label = self.tr("{name} (draft)").format(name=form.name)
            self.form.addItem(label, form.uri)
        index = self.form.findData(keep)
        self.form.setCurrentIndex(index if index >= 0 else 0)
        self.form.blockSignals(False)
        self.form.setEnabled(bool(forms))
        self.reload()

    def _form_changed(self, *_: Any) -> None:
        self.reload()

    # -- event type names of routing results --------------------------------------------------
    def _submitter(self, record: RoutingFormSubmission) -> str:
        return submitter_text(record, self._forms.get(record.routing_form))

    def _result(self, record: RoutingFormSubmission) -> str:
        return result_text(record.result, self._names)

    def _resolve_names(self, *_: Any) -> None:
        """Name the event types the loaded rows route to (a few distinct ones, asked once)."""
        if self.context is None:
            return
        wanted = {
            r.result.event_type
            for r in self.model.records()
            if r.result is not None and r.result.event_type is not None
        }
        missing = sorted(wanted - self._names_asked)
        if not missing:
            return
        self._names_asked.update(missing)
        task = self.context.tasks.spawn(
            self._fetch_names(self.context.connection.client, missing),
            self.tr("Loading event type names"),
        )
        self._names_tasks.add(task)
        task.add_done_callback(self._names_tasks.discard)

    async def _fetch_names(self, client: CalendlyClient, uris: list[str]) -> None:
        found = await asyncio.gather(
            *(client.event_types.get(uri) for uri in uris), return_exceptions=True
        )
        for uri, event_type in zip(uris, found, strict=True):
            if isinstance(event_type, BaseException):
                if isinstance(event_type, asyncio.CancelledError):
                    raise event_type
                continue  # deleted or not visible: the cell keeps the event type's id
            owner = event_type.profile.name if event_type.profile is not None else ""
            name = event_type.display_name
            self._names[uri] = f"{name} ({owner})" if owner else name
            self._links[uri] = event_type.scheduling_url
        rows = self.model.rowCount()
        if rows:
            top = self.model.index(0, RESULT_COLUMN, QModelIndex())
            self.model.dataChanged.emit(top, self.model.index(rows - 1, RESULT_COLUMN))
        self._show_current()

    # -- bookings -----------------------------------------------------------------------------
    def _booking_of(self, record: RoutingFormSubmission) -> Booking | str | None:
        if not record.submitter:
            return None
        return self._bookings.get(record.submitter) or self.tr("Loading the booking…")

    def _load_booking(self, submitter: str) -> None:
        found = self._bookings.get(submitter)
        if self.context is None or isinstance(found, Booking) or self._booking_for == submitter:
            return
        if self._booking_task is not None:
            self._booking_task.cancel()
        self._bookings.pop(submitter, None)
        self._booking_for = submitter
        self._booking_task = self.context.tasks.spawn(
            self._fetch_booking(self.context.connection.client, submitter),
            self.tr("Loading the booking"),
        )
        self._show_current()

    async def _fetch_booking(self, client: CalendlyClient, submitter: str) -> None:
        try:
            invitee = await client.scheduled_events.get_invitee(submitter)
            event = await client.scheduled_events.get(invitee.event or event_uri_of(submitter))
        except asyncio.CancelledError:
            raise
        except Exception as error:  # shown in the panel: the booking is a detail
            self._bookings[submitter] = describe(self.tr("Loading the booking"), error)
        else:
            self._bookings[submitter] = Booking(invitee=invitee, event=event)
        finally:
            if self._booking_for == submitter:
                self._booking_for = None
                self._booking_task = None
        self._show_current()

    def _show_current(self) -> None:
        current = self.current_record()
        if current is not None:
            self.detail.setHtml(self.detail_html(current))

    def _data_changed(self, kind: str, uri: str) -> None:
        """A meeting changed elsewhere (canceled, say): forget it, and show it anew."""
        if kind not in ("scheduled_event", "invitee"):
            return
        stale = [
            submitter
            for submitter, booking in self._bookings.items()
            if submitter == uri
            or event_uri_of(submitter) == uri
            or (isinstance(booking, Booking) and booking.event.uri == uri)
        ]
        for submitter in stale:
            del self._bookings[submitter]
        current = self.current_record()
        if stale and current is not None and current.submitter in stale:
            self._load_booking(current.submitter)
