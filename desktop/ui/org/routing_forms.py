"""The Routing forms page: the forms with their questions, and each form's submissions."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from desktop.domain.routing_forms import RoutingForm
from desktop.ui.models.columns import Column
from desktop.ui.models.record_model import Fetcher
from desktop.ui.org.record_table import RecordsPage, RecordTable
from desktop.ui.org.routing_submissions import SubmissionsTable
from desktop.ui.org.routing_text import form_html, status_label
from desktop.ui.page_context import PageContext
from desktop.ui.pages import PageSpec

PAGE_SIZE = 100


class FormsTable(RecordTable[RoutingForm]):
    """The organization's routing forms; "Show submissions" opens the chosen form's."""

    submissions_requested = Signal(str)  # the form's URI

    def __init__(self, parent: QWidget | None = None) -> None:
        title = QCoreApplication.translate("RoutingForms", "Forms")
        super().__init__("routing_forms", title, parent)
        self.submissions_action = QAction(self.tr("Show &submissions"), self)
        self.submissions_action.setShortcut(QKeySequence(self.tr("Ctrl+Shift+S")))
        self.submissions_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.submissions_action.triggered.connect(self.show_submissions)
        self.addAction(self.submissions_action)
        self.toolbar.addAction(self.submissions_action)
        button = self.toolbar.widgetForAction(self.submissions_action)
        if button is not None:
            button.setAccessibleName(self.tr("Show submissions"))
        self.view.activated.connect(self._activated)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by name, A to Z
        self.selection_changed([])

    def columns(self) -> Sequence[Column[RoutingForm]]:
        return (
            Column("name", self.tr("Name"), lambda f: f.name, width=30),
            Column("status", self.tr("Status"), status_label, width=12),
            Column(
                "questions",
                self.tr("Questions"),
                lambda f: len(f.questions),
                numeric=True,
                align_right=True,
                width=10,
            ),
            Column("created", self.tr("Created"), lambda f: f.created_at, numeric=True, width=18),
        )

    def fetcher(self, context: PageContext) -> Fetcher[RoutingForm] | None:
        client = context.connection.client
        organization = context.connection.identity.organization_uri
        return lambda token: client.routing_forms.list(
            organization=organization, count=PAGE_SIZE, page_token=token
        )

    def detail_html(self, record: RoutingForm) -> str:
        return form_html(record)

    def empty_text(self) -> str:
        return self.tr("This organization has no routing forms.")

    def selection_changed(self, records: list[RoutingForm]) -> None:
        one = len(records) == 1
        self.submissions_action.setEnabled(one)
        self.submissions_action.setToolTip(
            self.tr("List the submissions of “{form}” (Ctrl+Shift+S)").format(form=records[0].name)
            if one
            else self.tr("Select one form to list its submissions")
        )

    def show_submissions(self) -> None:
        record = self.current_record()
        if record is not None:
            self.submissions_requested.emit(record.uri)

    def _activated(self, index: QModelIndex) -> None:
        record = self.proxy.record_at(index)
        if record is not None:
            self.submissions_requested.emit(record.uri)


def build_routing_forms_page(spec: PageSpec) -> RecordsPage:
    """Two tabs: the forms, and the submissions of one form."""
    forms = FormsTable()
    submissions = SubmissionsTable()
    page = RecordsPage(spec, [forms, submissions])

    def show(uri: str) -> None:
        submissions.select_form(uri)
        page.tabs.setCurrentWidget(submissions)

    forms.submissions_requested.connect(show)
    return page
