"""The Overview page: cards and charts of the organization at a glance, from a per-profile cache
refreshed in the background; the default page after sign-in."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop.overview import cache
from desktop.overview.data import OverviewData, Scope
from desktop.overview.figures import Filter, Overview
from desktop.overview.window import local_zone, monday_of, span_of, today_in
from desktop.ui.failures import describe
from desktop.ui.i18n import format_date
from desktop.ui.message_bar import MessageBar
from desktop.ui.overview.cards import CardGrid
from desktop.ui.overview.charts import ChartsGrid
from desktop.ui.overview.filter_bar import OverviewFilters
from desktop.ui.overview.refresh_bar import RefreshBar
from desktop.ui.page_context import PageContext
from desktop.ui.pages import PageSpec, ShellPage
from desktop.ui.tasks import TaskOwner

if TYPE_CHECKING:
    # The loader brings the API client (httpx): imported when a profile connects, so that the
    # window, which builds this page, is on screen before that weight loads.
    from desktop.overview.loader import OverviewLoader

log = logging.getLogger(__name__)

# Kinds of change (``PageContext.changes``) that move the figures.
WATCHED = frozenset(
    {"scheduled_event", "invitee", "membership", "invitation", "webhook", "event_type"}
)
# Changes come in bursts (a bulk cancel): one quiet refresh after they settle.
DEBOUNCE_MS = 1500
WEBHOOK_STATES = {
    "webhooks_active": "active",
    "webhooks_retrying": "retrying",
    "webhooks_disabled": "disabled",
}


class OverviewPage(ShellPage):
    """``open_page(key, hint)`` asks the shell to open the page a card summarizes, filtered by
    ``hint`` (see ``card_hint``)."""

    open_page = Signal(str, object)
    figures_shown = Signal()  # new figures are on screen (after a load or a filter change)

    def __init__(self, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.tz: tzinfo = local_zone()
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.context: PageContext | None = None
        self.loader: OverviewLoader | None = None
        self.overview: Overview | None = None
        self._tasks = TaskOwner(self)
        self._tasks.failed.connect(self._failed)
        self._load_task: asyncio.Task[None] | None = None
        self._again = False  # a change arrived while loading: load once more after

        self.refresh_bar = RefreshBar()
        self.refresh_bar.refresh_requested.connect(self.refresh)
        self.messages = MessageBar()
        self.filters = OverviewFilters(lambda: (self.tz, self.clock()))
        self.filters.changed.connect(self.recompute)
        self.coverage = QLabel()
        self.coverage.setWordWrap(True)
        self.coverage.setVisible(False)
        self.cards = CardGrid()
        self.cards.open_requested.connect(self._open_card)
        self.charts = ChartsGrid()

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 8, 0)
        column.addWidget(self.cards)
        column.addWidget(self.charts, 1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setWidget(body)
        self.scroller.setAccessibleName(self.tr("Overview figures"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        for widget in (self.refresh_bar, self.messages, self.filters, self.coverage):
            layout.addWidget(widget)
        layout.addWidget(self.scroller, 1)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self._quiet_refresh)
        self._show(None)

    # -- the shell ------------------------------------------------------------------------------
    def bind(self, context: PageContext) -> None:
        if self.context is not None:
            self.unbind()
        self.context = context
        connection = context.connection
        identity = connection.identity
        scope = Scope(identity.organization_uri, identity.user_uri, identity.is_admin)
        cache_file = None
        if context.data_dir is not None:
            cache_file = cache.cache_path(cache.cache_dir(context.data_dir), connection.profile.id)
        from desktop.overview.loader import OverviewLoader

        self.loader = OverviewLoader(
            connection.client, scope, cache_file, tz=self.tz, clock=lambda: self.clock()
        )
        context.changes.changed.connect(self._changed_elsewhere)
        self._start_load(first=True)

    def unbind(self) -> None:
        if self.context is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.context.changes.changed.disconnect(self._changed_elsewhere)
        self.debounce.stop()
        self._tasks.cancel_all()
        self._load_task = None
        self._again = False
        self.context = None
        self.loader = None
        self.messages.dismiss_prefix("overview-")
        self.refresh_bar.set_busy(False)
        self.refresh_bar.set_refreshed(None)
        self._show(None)

    def refresh(self) -> None:
        """F5: fetch what changed since the last refresh (the loader's refresh)."""
        self.debounce.stop()
        if self.loader is None:
            return
        if self.loading:
            self._again = True
            return
        self._start_load(first=False)

    @property
    def loading(self) -> bool:
        return self._load_task is not None and not self._load_task.done()

    @property
    def data(self) -> OverviewData | None:
        return self.loader.data if self.loader is not None else None

    # -- loading --------------------------------------------------------------------------------
    def _start_load(self, *, first: bool) -> None:
        self._again = False
        self.messages.dismiss("overview-failed")
        self.refresh_bar.set_busy(True)  # at once: the task starts on the next loop turn
        self._load_task = self._tasks.spawn(self._load(first), self.tr("Refreshing the overview"))

    async def _load(self, first: bool) -> None:
        loader = self.loader
        assert loader is not None
        try:
            if first and await loader.cached() is not None:
                self._data_arrived()  # last session's figures at once, while refreshing
            try:
                await loader.load(on_progress=self.refresh_bar.set_progress)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("overview refresh failed", exc_info=error)
                self._show_failure(error)
                return
            self._data_arrived()
        finally:
            if self.loader is loader:
                self.refresh_bar.set_busy(False)
        if self._again and self.loader is loader:
            self._start_load(first=False)

    def _data_arrived(self) -> None:
        data = self.data
        if data is None:
            return
        people = [(p.name or p.email, p.uri) for p in data.members]
        groups = [(g.name, g.uri) for g in data.groups]
        self.filters.set_choices(people, groups, allowed=data.is_admin)
        self.cards.cards["invitations_pending"].setVisible(data.is_admin)
        self.refresh_bar.set_refreshed(data.fetched_at)
        if data.problems:
            self.messages.show_message(
                "overview-problems",
                self.tr("Some figures may be incomplete: {problems}").format(
                    problems=" ".join(data.problems)
                ),
                "warning",
            )
        else:
            self.messages.dismiss("overview-problems")
        self.recompute()

    def _show_failure(self, error: BaseException) -> None:
        kept = self.tr(" The figures shown are from the last refresh.") if self.data else ""
        self.messages.show_message(
            "overview-failed",
            describe(self.tr("Refreshing the overview"), error) + kept,
            "error",
            (self.tr("&Retry"), self.refresh),
        )

    def _failed(self, what: str, error: BaseException) -> None:
        self._show_failure(error)

    # -- changes elsewhere ----------------------------------------------------------------------
    def _changed_elsewhere(self, kind: str, uri: str) -> None:
        if kind not in WATCHED or self.loader is None:
            return
        self.refresh_bar.set_stale()
        self.debounce.start()

    def _quiet_refresh(self) -> None:
        self.refresh()

    # -- figures --------------------------------------------------------------------------------
    def recompute(self) -> None:
        """The figures for the filters in force, from the data in memory (no request)."""
        data = self.data
        if data is None:
            self._show(None)
            return
        chosen = self.filters.current()
        overview = self.loader.overview(chosen) if self.loader is not None else None
        self._note_coverage(data, chosen)
        self._show(overview)

    def _show(self, overview: Overview | None) -> None:
        self.overview = overview
        self.cards.show_cards(
            overview.cards if overview is not None else None, self._webhooks_note()
        )
        self.charts.show_overview(overview)
        if overview is None:
            self.coverage.setVisible(False)
        self.figures_shown.emit()

    def _webhooks_note(self) -> str:
        data = self.data
        if data is None or data.webhooks.complete:
            return ""
        return self.tr("Some webhook subscriptions could not be listed.")

    def _note_coverage(self, data: OverviewData, chosen: Filter) -> None:
        start, end = span_of(chosen.start, chosen.end, self.tz)
        if data.covers(start, end):
            self.coverage.setVisible(False)
            return
        first = data.window_start.astimezone(self.tz).date()
        last = (data.window_end.astimezone(self.tz) - timedelta(seconds=1)).date()
        self.coverage.setText(
            self.tr(
                "Meetings are loaded from {first} to {last} (the last 12 weeks and the next 4): "
                "days of this range outside it count none."
            ).format(first=format_date(first), last=format_date(last))
        )
        self.coverage.setVisible(True)

    # -- cards ----------------------------------------------------------------------------------
    def _open_card(self, field: str) -> None:
        spec = self.cards.cards[field].spec
        self.open_page.emit(spec.page, self.card_hint(field))

    def card_hint(self, field: str) -> dict[str, Any]:
        """What the page a card opens should filter by (see the report for each page)."""
        if field == "members_active":
            return {"tab": "members"}
        if field == "invitations_pending":
            return {"tab": "invitations", "status": "pending"}
        if field == "event_types_active":
            return {"active": "active"}
        if field in WEBHOOK_STATES:
            return {"state": WEBHOOK_STATES[field]}
        offset = 1 if field == "meetings_next_week" else 0
        monday = monday_of(today_in(self.tz, self.clock())) + timedelta(weeks=offset)
        hint: dict[str, Any] = {
            "status": "active",
            "from": monday,
            "to": monday + timedelta(days=6),  # the last day, included
        }
        chosen = self.filters.current()
        if chosen.member is not None:
            hint["member"] = chosen.member
        if chosen.group is not None:
            hint["group"] = chosen.group
        return hint


def build_overview_page(spec: PageSpec) -> OverviewPage:
    """The page for the shell (key "overview")."""
    return OverviewPage(spec)
