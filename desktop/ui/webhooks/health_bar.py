"""The health bar over the Webhooks page: what needs attention now, and the watch's controls."""

from __future__ import annotations

import contextlib
from datetime import datetime

from PySide6.QtCore import QSignalBlocker, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.settings import Webhooks
from desktop.ui.page_context import PageContext
from desktop.ui.webhooks.health_text import (
    countdown_text,
    owner_of,
    retrying_title,
    severity_of,
    severity_text,
    status_text,
    summary_text,
)
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.tone_frame import Tone, ToneFrame
from desktop.ui.webhooks.watch import (
    MAX_MINUTES,
    MIN_MINUTES,
    WebhookWatch,
    clamp_minutes,
    save_watch_settings,
    watch_settings,
)
from desktop.webhooks.health import Finding, FindingKind, Severity
from desktop.webhooks.listing import Listing

TICK_MS = 60_000  # the countdown's step: a minute, computed from the deadline each time
_TONES: dict[Severity, Tone] = {
    Severity.INFO: "info",
    Severity.WARNING: "warning",
    Severity.CRITICAL: "error",
}
_ORDER = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}
_KIND_ORDER = {
    FindingKind.RETRYING: 0,  # the ones with a deadline first
    FindingKind.DISABLED: 1,
    FindingKind.ORPHAN_OWNER: 2,
    FindingKind.DUPLICATE_URL: 3,
    FindingKind.ORPHAN_CREATOR: 4,
}


class FindingRow(QFrame):
    """One finding: how serious (in words), what and why, and what can be done."""

    def __init__(self, bar: HealthBar, finding: Finding) -> None:
        super().__init__()
        self.finding = finding
        self.uri = finding.uris[0]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        self.severity = QLabel(bar.severity_text(finding))
        bold = QFont(self.severity.font())
        bold.setBold(True)
        self.severity.setFont(bold)
        layout.addWidget(self.severity)
        texts = QVBoxLayout()
        self.title = QLabel(bar.title_of(finding))
        self.title.setFont(bold)
        self.title.setWordWrap(True)
        self.text = QLabel(finding.text)
        self.text.setWordWrap(True)
        texts.addWidget(self.title)
        texts.addWidget(self.text)
        layout.addLayout(texts, 1)
        url = bar.url_of(self.uri)
        self.revive_button: QPushButton | None = None
        if finding.action == "revive":
            self.revive_button = QPushButton(self.tr("&Revive…"))
            self.revive_button.setAccessibleName(self.tr("Revive {url}").format(url=url))
            self.revive_button.setAccessibleDescription(
                self.tr("Create the subscription again with the same URL and events.")
            )
            self.revive_button.clicked.connect(lambda: bar.revive_requested.emit(self.uri))
            layout.addWidget(self.revive_button)
        self.show_button = QPushButton(self.tr("&Show"))
        self.show_button.setAccessibleName(self.tr("Show {url} in the table").format(url=url))
        self.show_button.clicked.connect(lambda: bar.show_requested.emit(self.uri))
        layout.addWidget(self.show_button)
        self.setAccessibleName(finding.title)


class HealthBar(ToneFrame):
    """A one-line summary of the subscriptions' health, each finding (expandable) with Revive…
    and Show, and the watch's controls: "Watch every N min", when it last checked, Check now.

    It follows the state's findings (after a refresh or a poll) and counts a retrying
    subscription's time down each minute from its deadline, without asking Calendly. With a
    ``WebhookWatch`` attached (``attach_watch``), its controls drive the watch and it shows the
    watch's failures; alone, they save the settings and Check now lists again.
    """

    revive_requested = Signal(str)
    show_requested = Signal(str)

    def __init__(self, watch: WebhookWatch | None = None, parent: QWidget | None = None) -> None:
        super().__init__("webhookHealthBar", parent)
        self.setAccessibleName(self.tr("Webhook health"))
        self.context: PageContext | None = None
        self.state: WebhookState | None = None
        self.watch: WebhookWatch | None = None
        self.rows: list[FindingRow] = []
        self.last_checked: datetime | None = None  # the state's clock, at the last listing
        # What the bar shows: the state's latest listing and findings, except that a check
        # which could read nothing at all (a 429, no network) keeps the last good ones.
        self.listing: Listing | None = None
        self.findings: list[Finding] = []
        self._fallback = Webhooks()
        self._build()
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.tick)
        if watch is not None:
            self.attach_watch(watch)
        self._render()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 6, 10, 6)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Webhook health summary"))
        top.addWidget(self.summary, 1)
        self.details_button = QPushButton(self.tr("&Details"))
        self.details_button.setCheckable(True)
        self.details_button.setAccessibleName(self.tr("Show each finding"))
        self.details_button.setAccessibleDescription(
            self.tr("Lists every subscription that needs attention, with what to do about it.")
        )
        self.details_button.toggled.connect(self._show_details)
        top.addWidget(self.details_button)
        outer.addLayout(top)

        controls = QHBoxLayout()
        self.watch_box = QCheckBox(self.tr("&Watch every"))
        self.watch_box.setAccessibleName(self.tr("Watch the subscriptions"))
        self.watch_box.setAccessibleDescription(
            self.tr("Check the subscriptions in the background and notify when one fails.")
        )
        self.watch_box.toggled.connect(self._watch_toggled)
        self.minutes = QSpinBox()
        self.minutes.setRange(MIN_MINUTES, MAX_MINUTES)
        self.minutes.setSuffix(self.tr(" min"))
        self.minutes.setKeyboardTracking(False)  # typed "15" saves once, not "1" then "15"
        self.minutes.setAccessibleName(self.tr("Minutes between checks"))
        self.minutes.valueChanged.connect(self._minutes_changed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Last check"))
        self.check_button = QPushButton(self.tr("Check &now"))
        self.check_button.setAccessibleName(self.tr("Check the subscriptions now"))
        self.check_button.clicked.connect(self.check_now)
        controls.addWidget(self.watch_box)
        controls.addWidget(self.minutes)
        controls.addWidget(self.status, 1)
        controls.addWidget(self.check_button)
        outer.addLayout(controls)

        self.findings_area = QScrollArea()
        self.findings_area.setWidgetResizable(True)
        self.findings_area.setFrameShape(QFrame.Shape.NoFrame)
        self.findings_area.setMaximumHeight(240)
        self.findings_area.setAccessibleName(self.tr("Findings"))
        holder = QWidget()
        self.findings_layout = QVBoxLayout(holder)
        self.findings_layout.setContentsMargins(0, 0, 0, 0)
        self.findings_layout.addStretch(1)
        self.findings_area.setWidget(holder)
        self.findings_area.setVisible(False)
        outer.addWidget(self.findings_area)
        for widget in (self.watch_box, self.minutes, self.check_button):
            widget.setEnabled(False)

    # -- the page's calls -------------------------------------------------------------------
    def attach_watch(self, watch: WebhookWatch) -> None:
        """Drive this watch with the controls and show how its checks went."""
        if self.watch is not None:
            self.watch.status_changed.disconnect(self._watch_changed)
        self.watch = watch
        watch.status_changed.connect(self._watch_changed)
        self._sync_controls()
        self._render()

    def bind(self, context: PageContext, state: WebhookState) -> None:
        if self.state is not None:
            self.unbind()
        self.context = context
        self.state = state
        self.last_checked = state.clock() if state.listing is not None else None
        self.listing, self.findings = None, []
        self._take(state)
        state.listing_changed.connect(self._listing_changed)
        state.findings_changed.connect(self._findings_changed)
        for widget in (self.watch_box, self.minutes, self.check_button):
            widget.setEnabled(True)
        self._sync_controls()
        self._rebuild_rows()
        self.ticker.start()

    def unbind(self) -> None:
        self.ticker.stop()
        state = self.state
        if state is not None:
            for signal, slot in (
                (state.listing_changed, self._listing_changed),
                (state.findings_changed, self._findings_changed),
            ):
                with contextlib.suppress(RuntimeError, TypeError):  # the state is gone
                    signal.disconnect(slot)
        self.context = None
        self.state = None
        self.last_checked = None
        self.listing, self.findings = None, []
        for widget in (self.watch_box, self.minutes, self.check_button):
            widget.setEnabled(False)
        self._rebuild_rows()

    def refresh(self) -> None:
        """Show again from what is known (the page's refresh lists; this bar follows)."""
        self.tick()

    def check_now(self) -> None:
        if self.watch is not None and self.watch.state is not None:
            self.watch.refresh()
        elif self.context is not None and self.state is not None:
            self.state.spawn(self.state.fetch(), self.tr("Checking the webhook subscriptions"))

    def tick(self) -> None:
        """Count down: the "disabled in …" texts again from the deadlines (no request)."""
        now = self._now()
        for row in self.rows:
            if row.finding.kind is FindingKind.RETRYING and row.finding.deadline is not None:
                row.text.setText(countdown_text(row.finding.deadline, now))
                row.severity.setText(self.severity_text(row.finding))
        self._render()

    # -- texts ------------------------------------------------------------------------------
    def _now(self) -> datetime:
        state = self.state
        return state.clock() if state is not None else datetime.now().astimezone()

    def title_of(self, finding: Finding) -> str:
        listing = self.listing
        row = next((r for r in listing.rows if r.uri == finding.uris[0]), None) if listing else None
        if finding.kind is FindingKind.RETRYING and row is not None:
            return retrying_title(row.subscription, owner_of(listing, row.uri))
        return finding.title

    def url_of(self, uri: str) -> str:
        listing = self.listing
        rows = listing.rows if listing is not None else ()
        return next((row.subscription.callback_url for row in rows if row.uri == uri), uri)

    def severity_of(self, finding: Finding) -> Severity:
        return severity_of(finding, self._now())

    def severity_text(self, finding: Finding) -> str:
        return severity_text(self.severity_of(finding))

    def summary_text(self) -> str:
        if self.state is None:
            return self.tr("Webhook health shows here once connected.")
        return summary_text(self.listing, self.findings, self._now())

    def status_text(self) -> str:
        watch = self.watch if self.watch is not None and self.watch.state is not None else None
        return status_text(
            checking=watch is not None and watch.checking,
            failure=watch.failure if watch is not None else None,
            next_try_in=watch.next_try_in if watch is not None else None,
            last_checked=self.last_checked,
            unread=len(watch.unread) if watch is not None else 0,
        )

    # -- reacting ---------------------------------------------------------------------------
    def _listing_changed(self, listing: object) -> None:
        state = self.state
        if state is not None and state.listing is not None and state.listing.listed:
            self.last_checked = state.clock()
        self._render()

    def _findings_changed(self, findings: object) -> None:
        if self.state is not None:
            self._take(self.state)
        self._rebuild_rows()

    def _take(self, state: WebhookState) -> None:
        listing = state.listing
        if listing is None:
            return
        if listing.listed or self.listing is None or not self.listing.listed:
            self.listing, self.findings = listing, list(state.findings)

    def _watch_changed(self) -> None:
        self._sync_controls()
        self._render()

    def _watch_toggled(self, on: bool) -> None:
        if self.watch is not None:
            self.watch.set_enabled(on)
        else:
            self._fallback = save_watch_settings(self.context, self._fallback, watch=on)

    def _minutes_changed(self, minutes: int) -> None:
        if self.watch is not None:
            self.watch.set_minutes(minutes)
        else:
            self._fallback = save_watch_settings(
                self.context, self._fallback, watch_minutes=clamp_minutes(minutes)
            )

    def _sync_controls(self) -> None:
        if self.watch is not None:
            enabled, minutes = self.watch.enabled, self.watch.minutes
        else:
            current = watch_settings(self.context, self._fallback)
            enabled, minutes = current.watch, clamp_minutes(current.watch_minutes)
        with QSignalBlocker(self.watch_box), QSignalBlocker(self.minutes):
            self.watch_box.setChecked(enabled)
            self.minutes.setValue(minutes)

    def _show_details(self, shown: bool) -> None:
        self.findings_area.setVisible(shown and bool(self.rows))

    def _rebuild_rows(self) -> None:
        for row in self.rows:
            self.findings_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        findings = sorted(
            self.findings,
            key=lambda f: (
                _ORDER[self.severity_of(f)],
                _KIND_ORDER[f.kind],
                f.deadline.timestamp() if f.deadline is not None else 0.0,
                f.title,
            ),
        )
        self.rows = [FindingRow(self, finding) for finding in findings]
        for index, row in enumerate(self.rows):
            self.findings_layout.insertWidget(index, row)
        self.tick()  # the retrying rows' countdown texts, and the summary

    def _render(self) -> None:
        self.summary.setText(self.summary_text())
        self.summary.setAccessibleDescription(self.summary.text())
        self.status.setText(self.status_text())
        watch = self.watch
        checking = watch is not None and watch.checking
        self.check_button.setEnabled(self.state is not None and not checking)
        count = len(self.rows)
        self.details_button.setVisible(count > 0)
        self.details_button.setText(
            self.tr("&Details (%n)", "", count) if count else self.tr("&Details")
        )
        self.findings_area.setVisible(self.details_button.isChecked() and count > 0)
        severities = [self.severity_of(row.finding) for row in self.rows]
        self.set_tone(_TONES[min(severities, key=lambda s: _ORDER[s])] if severities else "ok")
