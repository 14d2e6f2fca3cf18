"""The date-range filter: presets and a custom span of the user's local days, as UTC bounds."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime, QTimer, QTimeZone, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.ui.signin.form import FieldMessage

# Typing a date changes it digit by digit: wait for a pause before reloading.
SETTLE_MS = 500


class Preset(Enum):
    ANY = "any"
    TODAY = "today"
    THIS_WEEK = "this_week"
    NEXT_30 = "next_30"
    PAST_30 = "past_30"
    CUSTOM = "custom"


def preset_days(
    preset: Preset, today: QDate, first_day: Qt.DayOfWeek
) -> tuple[QDate, QDate] | None:
    """The local days a preset covers: (first day, day after the last); None for any time.

    "This week" starts on the locale's first day of the week; "Past 30 days" are the 30 days
    before today, "Next 30 days" today and the 29 after it, so the two never overlap.
    """
    if preset is Preset.TODAY:
        return today, today.addDays(1)
    if preset is Preset.THIS_WEEK:
        start = today.addDays(-((today.dayOfWeek() - first_day.value) % 7))
        return start, start.addDays(7)
    if preset is Preset.NEXT_30:
        return today, today.addDays(30)
    if preset is Preset.PAST_30:
        return today.addDays(-30), today
    return None


def day_start(day: QDate, zone: QTimeZone) -> datetime:
    """Midnight of ``day`` in ``zone`` (or the first valid moment after, on a DST gap), in UTC."""
    moment = QDateTime(day, QTime(0, 0), zone)
    return datetime.fromtimestamp(moment.toSecsSinceEpoch(), UTC)


def days_to_bounds(first: QDate, after_last: QDate, zone: QTimeZone) -> tuple[datetime, datetime]:
    """``[first 00:00, after_last 00:00)`` in ``zone``, as aware UTC datetimes."""
    return day_start(first, zone), day_start(after_last, zone)


class DateRangeFilter(QWidget):
    """A preset combo and, for "Custom", From/To dates; ``changed`` when the span changes.

    ``bounds()`` is computed when asked, so "Today" is still today after midnight.
    An impossible custom span (To before From) shows a message under the dates and keeps the
    last valid span in force.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone = QTimeZone.systemTimeZone()
        self.preset = QComboBox()
        self.preset.setAccessibleName(self.tr("Date range"))
        self.preset.setAccessibleDescription(
            self.tr("Which meetings to list by start time, in your local days")
        )
        for preset, text in (
            (Preset.ANY, self.tr("Any time")),
            (Preset.TODAY, self.tr("Today")),
            (Preset.THIS_WEEK, self.tr("This week")),
            (Preset.NEXT_30, self.tr("Next 30 days")),
            (Preset.PAST_30, self.tr("Past 30 days")),
            (Preset.CUSTOM, self.tr("Custom…")),
        ):
            self.preset.addItem(text, preset.value)
        self.preset.currentIndexChanged.connect(self._preset_changed)

        today = QDate.currentDate()
        self.from_label = QLabel(self.tr("&From"))
        self.from_edit = self._date_edit(
            today, self.tr("From date"), self.tr("First day, included")
        )
        self.from_label.setBuddy(self.from_edit)
        self.to_label = QLabel(self.tr("T&o"))
        self.to_edit = self._date_edit(
            today.addDays(6), self.tr("To date"), self.tr("Last day, included")
        )
        self.to_label.setBuddy(self.to_edit)
        self.message = FieldMessage(self.to_edit)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._custom_settled)
        self._custom: tuple[QDate, QDate] = (self.from_edit.date(), self.to_edit.date())
        self._previous = Preset.ANY
        self._seed_custom = True

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.preset)
        for widget in (self.from_label, self.from_edit, self.to_label, self.to_edit):
            row.addWidget(widget)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.message)
        self.setFocusProxy(self.preset)
        self._show_custom(False)
        self._describe()

    def _date_edit(self, day: QDate, name: str, description: str) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(QLocale().dateFormat(QLocale.FormatType.ShortFormat))
        edit.setAccessibleName(name)
        edit.setAccessibleDescription(description)
        edit.dateChanged.connect(self._date_changed)
        return edit

    # -- state ---------------------------------------------------------------------------------
    def current_preset(self) -> Preset:
        return Preset(self.preset.currentData())

    def set_preset(self, preset: Preset) -> None:
        self.preset.setCurrentIndex(self.preset.findData(preset.value))

    def set_custom(self, first: QDate, last: QDate) -> None:
        """Choose "Custom" from ``first`` to ``last`` (both included) at once, as a user would
        after the dates settle."""
        self.from_edit.blockSignals(True)
        self.to_edit.blockSignals(True)
        self.from_edit.setDate(first)
        self.to_edit.setDate(last)
        self.from_edit.blockSignals(False)
        self.to_edit.blockSignals(False)
        if self.current_preset() is Preset.CUSTOM:
            self._custom_settled()
        else:
            self._custom = (first, last)
            self._seed_custom = False
            try:
                self.set_preset(Preset.CUSTOM)
            finally:
                self._seed_custom = True

    def days(self) -> tuple[QDate, QDate] | None:
        """The local days in force: (first, day after the last), or None for any time."""
        preset = self.current_preset()
        if preset is Preset.CUSTOM:
            first, last = self._custom
            return first, last.addDays(1)
        first_day = QLocale().firstDayOfWeek()
        return preset_days(preset, QDate.currentDate(), first_day)

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """``(min_start_time, max_start_time)``: aware UTC, the upper bound exclusive."""
        days = self.days()
        if days is None:
            return None, None
        return days_to_bounds(days[0], days[1], self._zone)

    def describe(self) -> str:
        """The span in force in words ("Any time" or "26/11/2026 – 2/12/2026")."""
        days = self.days()
        if days is None:
            return self.tr("Any time")
        locale = QLocale()
        first = locale.toString(days[0], QLocale.FormatType.ShortFormat)
        last = locale.toString(days[1].addDays(-1), QLocale.FormatType.ShortFormat)
        return (
            first if first == last else self.tr("{first} – {last}").format(first=first, last=last)
        )

    # -- events --------------------------------------------------------------------------------
    def _preset_changed(self) -> None:
        preset = self.current_preset()
        custom = preset is Preset.CUSTOM
        self._show_custom(custom)
        if custom:
            self._settle.stop()
            self.message.clear_message()
            if self._seed_custom:
                self._seed_from(self._previous)
        self._previous = preset
        self._describe()
        self.changed.emit()

    def _seed_from(self, preset: Preset) -> None:
        """Custom starts from the span of the preset chosen before, so it refines it."""
        days = preset_days(preset, QDate.currentDate(), QLocale().firstDayOfWeek())
        if days is None:
            return
        first, last = days[0], days[1].addDays(-1)
        for edit, day in ((self.from_edit, first), (self.to_edit, last)):
            edit.blockSignals(True)
            edit.setDate(day)
            edit.blockSignals(False)
        self._custom = (first, last)

    def _show_custom(self, visible: bool) -> None:
        for widget in (self.from_label, self.from_edit, self.to_label, self.to_edit):
            widget.setVisible(visible)
        if not visible:
            self.message.clear_message()

    def _date_changed(self) -> None:
        if self.current_preset() is Preset.CUSTOM:
            self._settle.start()

    def _custom_settled(self) -> None:
        first, last = self.from_edit.date(), self.to_edit.date()
        if last < first:
            self.message.show_message(
                self.tr("To date: the last day must not be before the first ({first}).").format(
                    first=QLocale().toString(first, QLocale.FormatType.ShortFormat)
                )
            )
            return
        self.message.clear_message()
        if (first, last) == self._custom:
            return
        self._custom = (first, last)
        self._describe()
        self.changed.emit()

    def _describe(self) -> None:
        text = self.tr("Meetings starting: {span} (your local days)").format(span=self.describe())
        self.preset.setToolTip(text)
