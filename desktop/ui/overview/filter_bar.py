"""The Overview's filters: a range (presets or custom local days) and whose meetings (everyone,
a group, or one member); every chart and the weekly numbers follow them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from enum import Enum

from PySide6.QtCore import QDate, QLocale, QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.overview.figures import Filter
from desktop.overview.window import default_filter, monday_of, today_in
from desktop.ui.signin.form import FieldMessage

# Typing a date changes it digit by digit: wait for a pause before recomputing.
SETTLE_MS = 400
GROUP_PREFIX = "group:"  # the "whose" combo holds both: "group:<uri>" or "member:<uri>"
MEMBER_PREFIX = "member:"


class RangePreset(Enum):
    DEFAULT = "default"  # the last 12 weeks, this week and the next 4
    LAST_4_WEEKS = "last_4_weeks"  # this week and the 3 before
    THIS_QUARTER = "this_quarter"
    CUSTOM = "custom"


def preset_range(preset: RangePreset, tz: tzinfo, now: datetime) -> tuple[date, date] | None:
    """The local days of a preset: (first, day after the last); None for "Custom"."""
    if preset is RangePreset.DEFAULT:
        span = default_filter(tz, now)
        return span.start, span.end
    if preset is RangePreset.LAST_4_WEEKS:
        monday = monday_of(today_in(tz, now))
        return monday - timedelta(weeks=3), monday + timedelta(weeks=1)
    if preset is RangePreset.THIS_QUARTER:
        today = today_in(tz, now)
        first_month = 3 * ((today.month - 1) // 3) + 1
        start = date(today.year, first_month, 1)
        end = (
            date(today.year + 1, 1, 1)
            if first_month == 10
            else date(today.year, first_month + 3, 1)
        )
        return start, end
    return None


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class OverviewFilters(QWidget):
    """``changed`` whenever the filter in force changes; ``current()`` is that ``Filter``.

    The range is computed when asked, so the default range moves with the clock. A custom
    range whose last day is before its first shows a message under the dates and keeps the
    last valid range in force.
    """

    changed = Signal()

    def __init__(
        self, clock: Callable[[], tuple[tzinfo, datetime]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.preset = QComboBox()
        self.preset.setAccessibleName(self.tr("Range"))
        self.preset.setAccessibleDescription(
            self.tr("Which weeks the charts count, in your local days")
        )
        for preset, text in (
            (RangePreset.DEFAULT, self.tr("Last 12 weeks and next 4")),
            (RangePreset.LAST_4_WEEKS, self.tr("Last 4 weeks")),
            (RangePreset.THIS_QUARTER, self.tr("This quarter")),
            (RangePreset.CUSTOM, self.tr("Custom…")),
        ):
            self.preset.addItem(text, preset.value)
        self.preset.currentIndexChanged.connect(self._preset_changed)

        first, after = self._preset_days(RangePreset.DEFAULT)
        self.from_label = QLabel(self.tr("&From:"))
        self.from_edit = self._date_edit(
            first, self.tr("From date"), self.tr("First day, included")
        )
        self.from_label.setBuddy(self.from_edit)
        self.to_label = QLabel(self.tr("T&o:"))
        self.to_edit = self._date_edit(
            after - timedelta(days=1), self.tr("To date"), self.tr("Last day, included")
        )
        self.to_label.setBuddy(self.to_edit)
        self.message = FieldMessage(self.to_edit)
        self._custom: tuple[date, date] = (first, after)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.apply_custom)

        self.whose_label = QLabel(self.tr("&Whose:"))
        self.whose = QComboBox()
        self.whose.setAccessibleName(self.tr("Whose meetings"))
        self.whose.setAccessibleDescription(
            self.tr("Everyone's meetings, a group's members' or one member's")
        )
        self.whose.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.whose.setMinimumContentsLength(22)
        self.whose.setMaxVisibleItems(20)
        self.whose.addItem(self.tr("Everyone"), None)
        self.whose_label.setBuddy(self.whose)
        self.whose.currentIndexChanged.connect(lambda _: self.changed.emit())

        range_label = QLabel(self.tr("Rang&e:"))
        range_label.setBuddy(self.preset)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (range_label, self.preset, self.from_label, self.from_edit, self.to_label,
                       self.to_edit, self.whose_label, self.whose):  # fmt: skip
            row.addWidget(widget)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.message)
        self._show_custom(False)

    def _date_edit(self, day: date, name: str, description: str) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(QLocale().dateFormat(QLocale.FormatType.ShortFormat))
        edit.setAccessibleName(name)
        edit.setAccessibleDescription(description)
        edit.dateChanged.connect(lambda _: self._settle.start())
        return edit

    def _preset_days(self, preset: RangePreset) -> tuple[date, date]:
        tz, now = self._clock()
        days = preset_range(preset, tz, now)
        return days if days is not None else self._custom

    # -- the filter in force --------------------------------------------------------------------
    def current_preset(self) -> RangePreset:
        return RangePreset(self.preset.currentData())

    def days(self) -> tuple[date, date]:
        """(first day, day after the last) in force."""
        return self._preset_days(self.current_preset())

    def current(self) -> Filter:
        start, end = self.days()
        chosen = self.whose.currentData()
        member = (
            chosen[len(MEMBER_PREFIX) :] if chosen and chosen.startswith(MEMBER_PREFIX) else None
        )
        group = chosen[len(GROUP_PREFIX) :] if chosen and chosen.startswith(GROUP_PREFIX) else None
        return Filter(start=start, end=end, member=member, group=group)

    # -- choosing (also what tests do) -----------------------------------------------------------
    def set_preset(self, preset: RangePreset) -> None:
        self.preset.setCurrentIndex(self.preset.findData(preset.value))

    def set_custom(self, first: date, last: date) -> None:
        """Choose "Custom" from ``first`` to ``last`` (both included) and apply it at once."""
        for edit, day in ((self.from_edit, first), (self.to_edit, last)):
            with QSignalBlocker(edit):
                edit.setDate(_qdate(day))
        if self.current_preset() is not RangePreset.CUSTOM:
            with QSignalBlocker(self.preset):
                self.set_preset(RangePreset.CUSTOM)
            self._show_custom(True)
            self._custom = (first, first)  # anything else: apply_custom then emits
        self.apply_custom()

    def choose_member(self, uri: str | None) -> bool:
        return self._choose(None if uri is None else MEMBER_PREFIX + uri)

    def choose_group(self, uri: str) -> bool:
        return self._choose(GROUP_PREFIX + uri)

    def _choose(self, value: str | None) -> bool:
        index = self.whose.findData(value)
        if index >= 0:
            self.whose.setCurrentIndex(index)
        return index >= 0

    def set_choices(
        self,
        members: Sequence[tuple[str, str]],
        groups: Sequence[tuple[str, str]],
        *,
        allowed: bool = True,
    ) -> None:
        """Fill "Whose" with groups then members ((name, URI) pairs), keeping the choice when it
        is still there (else back to everyone, which changes the filter). ``allowed`` False
        (a member without admin rights sees only their own meetings) hides the choice."""
        chosen = self.whose.currentData()
        with QSignalBlocker(self.whose):
            self.whose.clear()
            self.whose.addItem(self.tr("Everyone"), None)
            if groups:
                self.whose.insertSeparator(self.whose.count())
            for name, uri in sorted(groups, key=lambda g: g[0].casefold()):
                self.whose.addItem(self.tr("Group: {name}").format(name=name), GROUP_PREFIX + uri)
            if members:
                self.whose.insertSeparator(self.whose.count())
            for name, uri in sorted(members, key=lambda m: m[0].casefold()):
                self.whose.addItem(name, MEMBER_PREFIX + uri)
            index = self.whose.findData(chosen) if chosen is not None else 0
            self.whose.setCurrentIndex(max(index, 0))
        self.whose.setVisible(allowed)
        self.whose_label.setVisible(allowed)
        if chosen is not None and index < 0:
            self.changed.emit()

    # -- events ---------------------------------------------------------------------------------
    def _preset_changed(self) -> None:
        preset = self.current_preset()
        custom = preset is RangePreset.CUSTOM
        self._show_custom(custom)
        if custom:
            self._settle.stop()
            self.message.clear_message()
        else:
            # "Custom" later starts from this preset's days, so it refines them.
            first, after = self._preset_days(preset)
            self._custom = (first, after)
            for edit, day in ((self.from_edit, first), (self.to_edit, after - timedelta(days=1))):
                with QSignalBlocker(edit):
                    edit.setDate(_qdate(day))
        self.changed.emit()

    def _show_custom(self, visible: bool) -> None:
        for widget in (self.from_label, self.from_edit, self.to_label, self.to_edit):
            widget.setVisible(visible)
        if not visible:
            self.message.clear_message()

    def apply_custom(self) -> None:
        """The custom dates as typed: in force when valid, else a message under them."""
        self._settle.stop()
        if self.current_preset() is not RangePreset.CUSTOM:
            return
        first, last = _pydate(self.from_edit.date()), _pydate(self.to_edit.date())
        if last < first:
            self.message.show_message(
                self.tr("To date: the last day must not be before the first ({first}).").format(
                    first=QLocale().toString(self.from_edit.date(), QLocale.FormatType.ShortFormat)
                )
            )
            return
        self.message.clear_message()
        wanted = (first, last + timedelta(days=1))
        if wanted != self._custom:
            self._custom = wanted
            self.changed.emit()
