"""Every webhook subscription of the organization, its groups and members, in one table."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from desktop.api.pagination import Page
from desktop.ui.models.columns import Column
from desktop.ui.models.record_model import Fetcher
from desktop.ui.org.record_table import RecordTable
from desktop.ui.page_context import PageContext
from desktop.ui.signin.form import ErrorLabel
from desktop.ui.webhooks import subscription_actions as actions
from desktop.ui.webhooks import subscription_text as text
from desktop.ui.webhooks.key_dialog import KeyDialog
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.subscription_dialog import Mode, SubscriptionDialog
from desktop.ui.webhooks.subscription_filters import SubscriptionFilters
from desktop.ui.webhooks.subscription_toolbar import SubscriptionActions
from desktop.webhooks.listing import Listing, Row
from desktop.webhooks.replace import ReplaceResult

_CLICK = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


class SubscriptionsTable(RecordTable[Row]):
    """Subscriptions of every scope; create, edit, revive, delete, keys and test sends.

    ``test_requested(row)`` asks the page to open the test sender for a subscription.
    """

    test_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        self.state: WebhookState | None = None
        self._names: dict[str, str] = {}  # user URI -> name (for the Creator column)
        self._members_loaded = False
        super().__init__(
            "webhook-subscriptions", translate("SubscriptionsTable", "Subscriptions"), parent
        )
        self.dialog: QDialog | None = None  # an open create/edit/revive or key dialog
        self.confirmation: QDialog | None = None  # an open delete confirmation

        self.filter_boxes = SubscriptionFilters(self.filters, self)
        self.filter_boxes.changed.connect(self._filters_changed)
        boxes = self.filter_boxes
        self.state_filter, self.scope_filter = boxes.state_box, boxes.scope_box
        self.event_filter = boxes.event_box
        # What could not be listed, said where the rows are (never silently missing).
        self.note = ErrorLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setAccessibleName(self.tr("What could not be listed"))
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(2, self.note)  # under the filters, above the table

        self.actions_ = SubscriptionActions.build(self, self.toolbar)
        made = self.actions_
        self.new_action, self.edit_action, self.revive_action = made.new, made.edit, made.revive
        self.delete_action, self.key_action = made.delete, made.key
        self.test_action, self.copy_action = made.test, made.copy
        self.new_action.triggered.connect(lambda: self.open_create())
        self.edit_action.triggered.connect(lambda: self._open_replace("edit"))
        self.revive_action.triggered.connect(lambda: self._open_replace("revive"))
        self.delete_action.triggered.connect(self._delete)
        self.key_action.triggered.connect(self._show_key)
        self.test_action.triggered.connect(self._test)
        self.copy_action.triggered.connect(self._copy_url)
        self.selection_changed([])

    # -- building -----------------------------------------------------------------------------
    def columns(self) -> Sequence[Column[Row]]:
        return (
            Column(
                "url",
                self.tr("Callback URL"),
                lambda r: r.subscription.callback_url,
                width=40,
            ),
            Column(
                "events",
                self.tr("Events"),
                lambda r: text.events_text(r.subscription.events),
                tooltip=lambda r: "\n".join(r.subscription.events),
                width=30,
            ),
            Column(
                "scope",
                self.tr("Scope"),
                lambda r: text.scope_name(r.scope),
                width=12,
            ),
            Column("owner", self.tr("Owner"), lambda r: r.owner.label, width=24),
            Column("state", self.tr("State"), self._state_text, width=22),
            Column(
                "retry",
                self.tr("Retrying since"),
                lambda r: r.subscription.retry_started_at,
                numeric=True,
                width=16,
            ),
            Column("creator", self.tr("Creator"), self._creator, width=18),
            Column(
                "created",
                self.tr("Created"),
                lambda r: r.subscription.created_at,
                numeric=True,
                width=16,
            ),
            Column("key", self.tr("Key"), self._key_text, width=20),
        )

    def _state_text(self, row: Row) -> str:
        now = self.state.clock() if self.state is not None else None
        if now is None:
            return text.state_name(text.state_of(row.subscription))
        return text.state_text(row.subscription, now)

    def _creator(self, row: Row) -> str:
        return text.creator_text(row.subscription.creator, self._names, self._members_loaded)

    def key_held(self, row: Row) -> bool:
        return self.state is not None and row.uri in self.state.known_keys

    def _key_text(self, row: Row) -> str:
        vault = self.state is not None and self.state.vault is not None
        return text.key_text(self.key_held(row), vault)

    # -- the page's calls ---------------------------------------------------------------------
    def set_state(self, state: WebhookState | None) -> None:
        """The page's shared state for this connection (before ``bind``)."""
        old = self.state
        if old is not None:
            old.listing_changed.disconnect(self._listing_changed)
            old.keys_changed.disconnect(self._keys_changed)
            old.findings_changed.disconnect(self._findings_changed)
            if old.parent() is self:  # made by ``bind`` for a table on its own
                old.close()
                old.deleteLater()
        self.state = state
        if state is not None:
            state.listing_changed.connect(self._listing_changed)
            state.keys_changed.connect(self._keys_changed)
            state.findings_changed.connect(self._findings_changed)

    def bind(self, context: PageContext) -> None:
        if self.state is None or self.state.context is not context:
            self.set_state(WebhookState(context, parent=self))
        super().bind(context)

    def unbind(self) -> None:
        # Its dialogs act on this connection: they go with it (their work is cancelled).
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.done(QDialog.DialogCode.Rejected)
        self.set_state(None)
        self.note.setVisible(False)
        super().unbind()

    def fetcher(self, context: PageContext) -> Fetcher[Row] | None:
        state = self.state
        if state is None:
            return None

        async def fetch(_: str | None) -> Page[Row]:
            await state.fetch(self._progress)
            # What is on show: a listing that read nothing keeps the last rows (and says why).
            listing = state.listing
            return Page(items=listing.rows if listing is not None else ())

        return fetch

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if done >= total:
            self.progress.setRange(0, 0)  # busy again for the next load

    def empty_text(self) -> str:
        return self.tr("No webhook subscriptions. Use New… to create one.")

    # -- following the shared state -------------------------------------------------------------
    def _listing_changed(self, listing: Listing) -> None:
        self._show_problems(listing)
        if not listing.listed and self.model.rowCount():
            return  # nothing could be read (offline, rate-limited): the rows on show stay
        self._names = text.creator_names(listing)
        self._members_loaded = listing.members_loaded
        if self.context is None or self.model.loading:
            return  # this table's own load: its page brings the rows
        self.apply_rows(listing.rows)

    def apply_rows(self, rows: Sequence[Row]) -> None:
        """Show exactly ``rows`` without a reload: the selection and scroll position stay."""
        wanted = {row.uri: row for row in rows}
        for old in self.model.records():
            if old.uri not in wanted:
                self.model.remove(old.uri)
        for row in rows:
            present = self.model.row_of(row.uri)
            if present is None:
                self.model.prepend(row)
            elif self.model.record(present) != row:
                self.model.replace(row)
        for key in ("creator", "state", "key"):
            self.model.refresh_column(key)
        self._selection_changed()

    def _show_problems(self, listing: Listing) -> None:
        if not listing.problems:
            self.note.setVisible(False)
            return
        lines = [self.tr("Not everything could be listed:")]
        lines += [f"• {p.subject}: {p.message}" for p in listing.problems]
        self.note.setText("\n".join(lines))
        self.note.setVisible(True)

    def _keys_changed(self) -> None:
        if self.model.rowCount():
            self.model.refresh_column("key")
        self._selection_changed()

    def _findings_changed(self, _: object) -> None:
        self._selection_changed()

    def quiet_refresh(self) -> asyncio.Task[Listing] | None:
        """List again in the background; the rows change in place (no visible reload)."""
        state, context = self.state, self.context
        if state is None or context is None:
            return None
        return state.spawn(state.fetch(), self.tr("Listing the webhook subscriptions"))

    # -- filters ---------------------------------------------------------------------------------
    def _filters_changed(self) -> None:
        self.proxy.set_predicate(self.filter_boxes.predicate())
        self._update_status()

    # -- detail and actions ---------------------------------------------------------------------
    def detail_html(self, record: Row) -> str:
        state = self.state
        now = state.clock() if state is not None else datetime.now(UTC)
        findings = [f for f in state.findings if record.uri in f.uris] if state else []
        return text.detail_html(
            record,
            now=now,
            creator=self._creator(record),
            key_held=self.key_held(record),
            vault_available=state is not None and state.vault is not None,
            findings=findings,
        )

    def selection_changed(self, records: list[Row]) -> None:
        one = records[0] if len(records) == 1 else None
        vault = self.state is not None and self.state.vault is not None
        disabled = one is not None and not one.subscription.is_active
        reasons = self.actions_.update(len(records), disabled, vault)
        self.set_hint("\n".join(reasons))

    def _row_of(self, uri: str) -> Row | None:
        row = self.model.row_of(uri)
        if row is not None:
            return self.model.record(row)
        listing = self.state.listing if self.state is not None else None
        return next((r for r in listing.rows if r.uri == uri), None) if listing else None

    def show_subscription(self, uri: str) -> bool:
        """Select (and show) the subscription ``uri``; False when it is not listed. Filters
        and search that hide it are cleared."""
        if self.model.row_of(uri) is None:
            return False
        if not self.index_of(uri).isValid():
            self.filter_boxes.clear()
            self.search.clear()
        index = self.index_of(uri)
        self.view.selectionModel().setCurrentIndex(index, _CLICK)
        self.view.scrollTo(index)
        return True

    def open_create(self, url: str = "") -> None:
        """The create dialog, with ``url`` as the callback URL if given."""
        dialog = self._dialog("create", None, url)
        if dialog is not None:
            dialog.created.connect(self._created)

    def revive(self, uri: str) -> None:
        """The revive dialog for the subscription ``uri`` (a health finding's offer)."""
        row = self._row_of(uri)
        if row is None:
            self.status.setText(self.tr("That subscription is no longer listed."))
            return
        self.show_subscription(uri)
        self._open_replace("revive", row)

    def _open_replace(self, mode: Mode, row: Row | None = None) -> None:
        row = row or self.current_record()
        if row is not None:
            dialog = self._dialog(mode, row, "")
            if dialog is not None:
                dialog.replaced.connect(self._replaced)

    def _dialog(self, mode: Mode, row: Row | None, url: str) -> SubscriptionDialog | None:
        if self.context is None or self.state is None:
            return None
        dialog = SubscriptionDialog(self, self.context, self.state, mode=mode, row=row, url=url)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _created(self, row: Row) -> None:
        if self.context is None:
            return
        self.model.prepend(row)
        self.show_subscription(row.uri)
        self.status.setText(self.tr("Created {url}").format(url=row.subscription.callback_url))
        self.context.changes.changed.emit("webhook", row.uri)

    def _replaced(self, result: ReplaceResult) -> None:
        context = self.context
        if context is None:
            return
        new = result.subscription
        for uri in dict.fromkeys((result.old_uri, new.uri if new else "")):
            if uri:
                context.changes.changed.emit("webhook", uri)
        task = self.quiet_refresh()
        if task is not None and new is not None:
            task.add_done_callback(
                lambda done: (
                    None
                    if done.cancelled() or self.context is not context
                    else self.show_subscription(new.uri)
                )
            )

    def _delete(self) -> None:
        row = self.current_record()
        if row is not None and self.context is not None and self.state is not None:
            self.confirmation = actions.confirm_delete(self, self.context, self.state, row)

    def _show_key(self) -> None:
        row = self.current_record()
        if row is not None and self.state is not None and self.state.vault is not None:
            dialog = KeyDialog(self, self.state, row)
            dialog.finished.connect(dialog.deleteLater)
            self.dialog = dialog
            dialog.open()

    def _test(self) -> None:
        row = self.current_record()
        if row is not None:
            self.test_requested.emit(row)

    def _copy_url(self) -> None:
        row = self.current_record()
        if row is not None:
            QGuiApplication.clipboard().setText(row.subscription.callback_url)
            self.status.setText(self.tr("Copied {url}").format(url=row.subscription.callback_url))
