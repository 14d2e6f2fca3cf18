"""The webhook watch: polls the subscriptions in the background and notifies what changed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Coroutine
from datetime import datetime
from typing import Any

import msgspec
from PySide6.QtCore import QObject, Signal

from desktop.api.errors import CalendlyError
from desktop.domain.webhooks import WebhookSubscription
from desktop.settings import Webhooks
from desktop.ui.message_bar import Level
from desktop.ui.notifier import Notification
from desktop.ui.page_context import PageContext
from desktop.ui.webhooks.health_text import (
    countdown_text,
    is_admins_only,
    owner_of,
    subject_text,
)
from desktop.ui.webhooks.state import WebhookState
from desktop.webhooks.health import Alert, AlertKind, Severity
from desktop.webhooks.listing import Listing, Problem, explain
from desktop.webhooks.watch import MIN_INTERVAL, Watcher

log = logging.getLogger(__name__)

MIN_MINUTES = max(1, math.ceil(MIN_INTERVAL / 60))  # the Watcher never polls more often
MAX_MINUTES = 24 * 60
_LEVELS: dict[Severity, Level] = {
    Severity.INFO: "info",
    Severity.WARNING: "warning",
    Severity.CRITICAL: "error",
}


def clamp_minutes(minutes: int) -> int:
    return min(MAX_MINUTES, max(MIN_MINUTES, int(minutes)))


def watch_settings(context: PageContext | None, fallback: Webhooks) -> Webhooks:
    """The watch's settings now (``fallback`` where the context keeps none)."""
    if context is not None and context.settings is not None:
        return context.settings().webhooks
    return fallback


def save_watch_settings(
    context: PageContext | None, fallback: Webhooks, **changes: Any
) -> Webhooks:
    """Save changed watch settings (``watch``, ``watch_minutes``); the new ones."""
    new = msgspec.structs.replace(watch_settings(context, fallback), **changes)
    if context is not None and context.settings is not None and context.update_settings:
        context.update_settings(msgspec.structs.replace(context.settings(), webhooks=new))
    return new


def _stop_all(watchers: list[Watcher]) -> None:
    for watcher in watchers:
        # Deleted at exit, after the loop closed: cancelling then can only fail, and there
        # is nothing left to stop.
        with contextlib.suppress(RuntimeError):
            watcher.stop()


class WebhookWatch(QObject):
    """Runs a ``desktop.webhooks.watch.Watcher`` while bound; tells changes as notifications.

    Polls through ``state.fetch`` (so the subscriptions table follows every poll), every
    ``settings.webhooks.watch_minutes`` minutes while ``settings.webhooks.watch`` is on, and
    pauses when Calendly's rate limit runs low. ``status_changed`` fires when the checking
    state, the last check or its failure, or the settings change. ``revive_requested(uri)`` /
    ``show_requested(uri)`` come from the notifications' buttons.
    """

    status_changed = Signal()
    alerts_raised = Signal(object)  # list[Alert]
    revive_requested = Signal(str)
    show_requested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context: PageContext | None = None
        self.state: WebhookState | None = None
        self.watcher: Watcher | None = None
        self.checking = False
        self.last_checked: datetime | None = None  # the state's clock, at the last good check
        self.failure: str | None = None  # why the last check failed (None: it did not)
        self.unread: tuple[Problem, ...] = ()  # lists a partial check could not read
        self.own_only = False  # a member's listing: only their own subscriptions
        self._fallback = Webhooks()  # the settings while no context has any
        self._shown: dict[str, WebhookSubscription] = {}  # notification key -> subscription
        self._tasks: set[asyncio.Task[Any]] = set()
        # Deleted without an unbind (with the window, at quit): the watching ends with it.
        # (The lambda holds the list, not this object.)
        watching: list[Watcher] = []
        self._watching = watching
        self.destroyed.connect(lambda *_: _stop_all(watching))

    # -- settings ---------------------------------------------------------------------------
    def _settings(self) -> Webhooks:
        return watch_settings(self.context, self._fallback)

    @property
    def enabled(self) -> bool:
        return self._settings().watch

    @property
    def minutes(self) -> int:
        return clamp_minutes(self._settings().watch_minutes)

    def _save(self, **changes: Any) -> None:
        self._fallback = save_watch_settings(self.context, self._fallback, **changes)

    def set_enabled(self, on: bool) -> None:
        """Turn the watch on (a check at once) or off; saved in the settings."""
        if on != self.enabled:
            self._save(watch=on)
        watcher = self.watcher
        if watcher is not None and watcher.running != on:
            self._spawn(
                self._restart(watcher),
                self.tr("Turning the webhook watch on or off"),
            )
        self.status_changed.emit()

    def set_minutes(self, minutes: int) -> None:
        """Check every ``minutes`` minutes (at least one); saved, and applied at once."""
        minutes = clamp_minutes(minutes)
        if minutes != self._settings().watch_minutes:
            self._save(watch_minutes=minutes)
        if self.watcher is not None:
            self.watcher.interval_seconds = minutes * 60.0
        self.status_changed.emit()

    # -- life cycle -------------------------------------------------------------------------
    def bind(self, context: PageContext, state: WebhookState) -> None:
        if self.state is not None:
            self.unbind()
        self.context = context
        self.state = state
        self.last_checked = None
        self.failure = None
        self.unread = ()
        self.own_only = False
        self.watcher = Watcher(
            self._fetch,
            self._on_alerts,
            interval_seconds=self.minutes * 60.0,
            clock=state.clock,
            on_error=self._on_error,
            on_listing=self._on_listing,
            budget=state.client.rate_limit,  # waits for the window when the budget runs low
        )
        self._watching[:] = [self.watcher]
        context.changes.changed.connect(self._changed_elsewhere)
        state.listing_changed.connect(self._listing_seen)
        if self.enabled:
            self.watcher.start()
        self.status_changed.emit()

    def unbind(self) -> None:
        context, state, watcher = self.context, self.state, self.watcher
        self.context = None
        self.state = None
        self.watcher = None
        self._watching.clear()
        for task in list(self._tasks):
            task.cancel()
        if state is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # the state is already gone
                state.listing_changed.disconnect(self._listing_seen)
        if context is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                context.changes.changed.disconnect(self._changed_elsewhere)
            # Its messages name this connection's subscriptions and act on them: not another's.
            if context.notifier is not None:
                for key in self._shown:
                    context.notifier.withdraw(key)
        self._shown.clear()
        if watcher is not None:
            watcher.stop()
            closing = watcher.aclose()
            try:
                if context is None:
                    raise RuntimeError("no task owner")
                context.tasks.spawn(closing, self.tr("Stopping the webhook watch"))
            except RuntimeError:  # no running loop (the app is closing): the cancel suffices
                closing.close()
        self.checking = False
        self.status_changed.emit()

    def refresh(self) -> None:
        """Check now (after any check in flight); the watch keeps its rhythm afterwards."""
        watcher = self.watcher
        if watcher is None:
            return
        self._spawn(watcher.poll_now(), self.tr("Checking the webhook subscriptions"))

    @property
    def running(self) -> bool:
        return self.watcher is not None and self.watcher.running

    @property
    def next_try_in(self) -> float | None:
        """Seconds from the last check to the next one (None while the watch is off)."""
        if self.watcher is None or not self.watcher.running:
            return None
        return self.watcher.next_delay

    # -- inside -----------------------------------------------------------------------------
    def _spawn(self, work: Coroutine[Any, Any, Any], what: str) -> None:
        context = self.context
        if context is None:
            work.close()
            return
        task = context.tasks.spawn(work, what)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _restart(self, watcher: Watcher) -> None:
        await watcher.aclose()  # also when a stop is still under way: start() needs it ended
        if self.watcher is watcher and self.enabled:
            watcher.start()
        self.status_changed.emit()

    async def _fetch(self) -> Listing:
        state = self.state
        if state is None:
            raise asyncio.CancelledError  # unbound while a poll was starting
        self.checking = True
        self.status_changed.emit()
        try:
            return await state.fetch()
        finally:
            self.checking = False

    def _changed_elsewhere(self, kind: str, uri: str) -> None:
        # Deleted or replaced on this page (or elsewhere in the app): its absence is not news.
        if kind == "webhook" and self.watcher is not None:
            self.watcher.expect_gone(uri)

    def _on_error(self, message: str, error: Exception) -> None:
        if isinstance(error, CalendlyError):
            self.failure = explain(error)
        else:
            self.failure = self.tr("an unexpected {name} happened.").format(
                name=type(error).__name__
            )
        log.info("webhook watch: %s", message)
        self.status_changed.emit()

    def _on_listing(self, listing: Listing) -> None:
        self._withdraw_settled(listing)
        self.status_changed.emit()

    def _listing_seen(self, listing: object) -> None:
        """Any listing (the watch's poll, or the table's refresh) tells how checking goes."""
        state = self.state
        if not isinstance(listing, Listing):
            return
        self.own_only = any(is_admins_only(p) for p in listing.problems)
        problems = tuple(p for p in listing.problems if not is_admins_only(p))
        limited = [p for p in problems if p.status == 429]
        if limited:
            self.failure = self.tr("Calendly's rate limit was reached.")
            self.unread = ()
        elif problems and not listing.listed:
            # Nothing could be read: the check failed. The organization's own list says why
            # best (the members' and groups' lists fail for the same reason).
            first = next((p for p in problems if p.owner is not None), problems[0])
            self.failure = first.message
            self.unread = ()
        else:
            self.failure = None
            self.unread = problems
            self.last_checked = state.clock() if state is not None else None
        self.status_changed.emit()

    def _withdraw_settled(self, listing: Listing) -> None:
        """Take down messages about conditions that are over (recovered, deleted, revived)."""
        notifier = self.context.notifier if self.context is not None else None
        current = {row.uri: row.subscription for row in listing.rows}
        for key, old in list(self._shown.items()):
            now = current.get(old.uri)
            if now is None:
                over = listing.was_listed(old)
            elif key.startswith("webhooks:retrying:"):
                over = not now.is_failing
            else:
                over = now.is_active
            if over:
                del self._shown[key]
                if notifier is not None:
                    notifier.withdraw(key)

    def _on_alerts(self, alerts: list[Alert]) -> None:
        for alert in alerts:
            self._notify(alert)
        self.alerts_raised.emit(alerts)

    def _notify(self, alert: Alert) -> None:
        context, state = self.context, self.state
        if context is None or state is None or context.notifier is None:
            return
        notifier = context.notifier
        uri = alert.uri
        name = subject_text(alert.subscription, owner_of(state.listing, uri))
        retrying, disabled = f"webhooks:retrying:{uri}", f"webhooks:disabled:{uri}"
        level = _LEVELS[alert.severity]
        if alert.kind is AlertKind.RETRYING and alert.deadline is not None:
            note = Notification(
                retrying,
                self.tr("Webhook {name} is failing").format(name=name),
                countdown_text(alert.deadline, state.clock()),
                level,
            )
            self._shown[retrying] = alert.subscription
            notifier.notify(
                note,
                (
                    self.tr("&Show"),
                    lambda: self._request(self.show_requested, uri),
                ),
            )
            return
        for key in (retrying, disabled):
            if self._shown.pop(key, None) is not None:
                notifier.withdraw(key)
        if alert.kind is AlertKind.DISABLED:
            note = Notification(
                disabled,
                self.tr("Webhook {name} was disabled").format(name=name),
                self.tr(
                    "Calendly gave up after 24 hours of failed deliveries and sends it nothing "
                    "now. Fix the receiver, then revive the subscription.",
                ),
                "error",
            )
            self._shown[disabled] = alert.subscription
            notifier.notify(
                note,
                (
                    self.tr("&Revive…"),
                    lambda: self._request(self.revive_requested, uri),
                ),
            )
        elif alert.kind is AlertKind.RECOVERED:
            notifier.notify(
                Notification(
                    f"webhooks:recovered:{uri}",
                    self.tr("Webhook {name} works again").format(name=name),
                    self.tr(
                        "A delivery succeeded, so Calendly stopped counting down to disabling it.",
                    ),
                    "info",
                )
            )
        elif alert.kind is AlertKind.DELETED:
            notifier.notify(
                Notification(
                    f"webhooks:deleted:{uri}",
                    self.tr("Webhook {name} was deleted").format(name=name),
                    self._deleted_text(alert.subscription),
                    level,
                )
            )

    def _deleted_text(self, subscription: WebhookSubscription) -> str:
        listing = self.state.listing if self.state is not None else None
        if (
            subscription.scope == "user"
            and listing is not None
            and listing.members_loaded
            and subscription.user not in {m.user.uri for m in listing.members}
        ):
            return self.tr(
                "Its user left the organization, and Calendly deleted their subscriptions "
                "with them.",
            )
        return self.tr(
            "It is no longer in Calendly: a receiver answering 410 Gone makes Calendly delete "
            "a subscription at once, or someone deleted it.",
        )

    def _request(self, signal: Any, uri: str) -> None:
        with contextlib.suppress(RuntimeError):  # the watch is gone: the button does nothing
            signal.emit(uri)
