"""The Scheduling API's own quota in words: bookings left per window, and what a 429 means.

Calendly limits ``POST /invitees`` per user apart from every other request (facts §5.3: 10 a
minute, 50 an hour and 100 a day on paid plans). The client counts this app's bookings in each
window (``client.scheduling.quota``: a lower bound, other apps of the same user spend the same
quota) and remembers the block Calendly announced with its last 429. ``QuotaLabel`` shows both
and counts a block down; ``rate_limit_text`` explains a refused booking: which window is full
and when it frees up.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from desktop.api.errors import RateLimited
from desktop.api.resources.scheduling_quota import QuotaWindow, SchedulingQuotaSnapshot


def _window_name(window: QuotaWindow) -> str:
    return {
        "minute": QCoreApplication.translate("SchedulingQuota", "this minute"),
        "hour": QCoreApplication.translate("SchedulingQuota", "this hour"),
        "day": QCoreApplication.translate("SchedulingQuota", "today"),
    }.get(window.name, window.name)


def _per(window: QuotaWindow) -> str:
    return {
        "minute": QCoreApplication.translate("SchedulingQuota", "a minute"),
        "hour": QCoreApplication.translate("SchedulingQuota", "an hour"),
        "day": QCoreApplication.translate("SchedulingQuota", "a day"),
    }.get(window.name, window.name)


def wait_text(seconds: float) -> str:
    """ "42 s", "12 min", "3 h 5 min" in the user's locale."""
    locale = QLocale()
    whole = max(1, round(seconds))
    if whole < 120:
        return QCoreApplication.translate("SchedulingQuota", "{n} s").format(
            n=locale.toString(whole)
        )
    minutes = (whole + 59) // 60
    if minutes < 120:
        return QCoreApplication.translate("SchedulingQuota", "{n} min").format(
            n=locale.toString(minutes)
        )
    return QCoreApplication.translate("SchedulingQuota", "{h} h {m} min").format(
        h=locale.toString(minutes // 60), m=locale.toString(minutes % 60)
    )


def _clock_at(seconds: float) -> str:
    moment = QDateTime.currentDateTime().addSecs(max(1, round(seconds)))
    return QLocale().toString(moment.time(), QLocale.FormatType.LongFormat)


def quota_text(quota: SchedulingQuotaSnapshot) -> str:
    """ "Scheduling API: 9 of 10 bookings left this minute, 49 of 50 this hour, ..." """
    locale = QLocale()
    if quota.blocked_for:
        return QCoreApplication.translate(
            "SchedulingQuota",
            "Scheduling API: Calendly accepts no bookings for {wait} (until {clock}).",
        ).format(wait=wait_text(quota.blocked_for), clock=_clock_at(quota.blocked_for))
    parts = [
        QCoreApplication.translate("SchedulingQuota", "{left} of {limit} {window}").format(
            left=locale.toString(w.remaining),
            limit=locale.toString(w.limit),
            window=_window_name(w),
        )
        for w in quota.windows
    ]
    return QCoreApplication.translate(
        "SchedulingQuota", "Scheduling API bookings left: {parts} (as counted by this app)."
    ).format(parts=", ".join(parts))


def blocking_window(quota: SchedulingQuotaSnapshot, wait: float | None) -> QuotaWindow | None:
    """The window a Scheduling API 429 came from: the one whose limit Calendly reported, else
    the longest one this app has filled, else the shortest one at least as long as the wait
    (Calendly's reset never outlasts its window)."""
    if quota.reported_limit is not None:
        for window in quota.windows:
            if window.limit == quota.reported_limit:
                return window
    full = [w for w in quota.windows if w.remaining == 0]
    if full:
        return max(full, key=lambda w: w.seconds)
    if wait is not None:
        for window in sorted(quota.windows, key=lambda w: w.seconds):
            if wait <= window.seconds:
                return window
    return None


def rate_limit_text(error: RateLimited, quota: SchedulingQuotaSnapshot) -> str:
    """Why a booking was refused with 429, in terms of the window that is full."""
    wait = error.retry_after if error.retry_after is not None else quota.blocked_for
    when = (
        QCoreApplication.translate(
            "SchedulingQuota", "Bookings are possible again in {wait} (at {clock})."
        ).format(wait=wait_text(wait), clock=_clock_at(wait))
        if wait is not None
        else QCoreApplication.translate("SchedulingQuota", "Try again in a minute.")
    )
    if quota.blocked_for is None:
        # Not the Scheduling API's own limit: the general budget of every request.
        return QCoreApplication.translate(
            "SchedulingQuota",
            "Nothing was booked: Calendly's limit on requests per minute (for all of this user's "
            "requests, not only bookings) was reached. {when}",
        ).format(when=when)
    window = blocking_window(quota, wait)
    if window is None:
        return QCoreApplication.translate(
            "SchedulingQuota",
            "Nothing was booked: the Scheduling API's booking limit was reached. {when}",
        ).format(when=when)
    # Calendly's own figure when its 429 gave one: the plan's limit may not be the default.
    limit = quota.reported_limit if quota.reported_limit is not None else window.limit
    return QCoreApplication.translate(
        "SchedulingQuota",
        "Nothing was booked: the Scheduling API allows {limit} bookings {per} for each user, "
        "and {window}'s are used up. {when}",
    ).format(
        limit=QLocale().toString(limit), per=_per(window), window=_window_name(window), when=when
    )


class QuotaLabel(QLabel):
    """The quota line of a client; while Calendly blocks bookings it counts down each second,
    then says ``unblocked``."""

    unblocked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName(
            QCoreApplication.translate("SchedulingQuota", "Scheduling API quota")
        )
        self.setToolTip(
            QCoreApplication.translate(
                "SchedulingQuota",
                "Calendly limits bookings made through its Scheduling API per user, apart from "
                "other requests. Other apps of the same user count too.",
            )
        )
        self._source: Callable[[], SchedulingQuotaSnapshot] | None = None
        self._blocked = False
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.update_quota)

    def follow(self, source: Callable[[], SchedulingQuotaSnapshot] | None) -> None:
        """Show the quota ``source`` gives (None: nothing)."""
        self._source = source
        self.update_quota()

    @property
    def blocked(self) -> bool:
        return self._blocked

    def update_quota(self) -> None:
        if self._source is None:
            self.clear()
            self._timer.stop()
            self._blocked = False
            return
        quota = self._source()
        self.setText(quota_text(quota))
        blocked = bool(quota.blocked_for)
        if blocked and not self._timer.isActive():
            self._timer.start()
        elif not blocked:
            self._timer.stop()
        was, self._blocked = self._blocked, blocked
        if was and not blocked:
            self.unblocked.emit()
