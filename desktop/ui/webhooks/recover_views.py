"""The Recover tab's pieces: the time window's fields, the missed deliveries' list, the summary."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QHBoxLayout,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.i18n import format_datetime
from desktop.ui.signin.form import FieldMessage
from desktop.ui.webhooks.widgets import caption, text_label
from desktop.webhooks.listing import Row
from desktop.webhooks.recover import Expectation, Missed

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls
EVENT, INVITEE, WHEN, MEETING, RESULT = range(5)


def intro_text() -> str:
    """What the tab does, and what it can compare."""
    return translate(
        "RecoverPanel",
        "After an outage: Calendly's bookings and cancellations in a time window, read from the "
        "API, against the deliveries the local receiver logged (the Inspector's inbox). Only "
        "what the local receiver logged can be compared: exact when the subscription posts to "
        "it (directly or through a tunnel to it); for another server, you must know what it "
        "received. Only invitee.created and invitee.canceled can be rebuilt.",
    )


def reach_text(host: str) -> str:
    """The caveat for a subscription that posts somewhere else than this computer."""
    return translate(
        "RecoverPanel",
        "This subscription posts to {host}, not to this computer: the comparison is exact only "
        "if that address forwards to the local receiver (a tunnel); otherwise check what your "
        "server received yourself.",
    ).format(host=host)


class WindowFields(QWidget):
    """ "From … to …" (local date and time), with the message about them under both."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chosen_by_user = False
        self.start = self._edit(self.tr("From"))
        self.end = self._edit(self.tr("To"))
        self.message = FieldMessage(self.end)
        row = QHBoxLayout()
        row.addWidget(self.start, 1)
        row.addWidget(caption(self.tr("t&o"), self.end))
        row.addWidget(self.end, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.message)
        self.setFocusProxy(self.start)

    def _edit(self, name: str) -> QDateTimeEdit:
        edit = QDateTimeEdit()
        edit.setCalendarPopup(True)
        locale = QLocale()
        short = QLocale.FormatType.ShortFormat
        day = locale.dateFormat(short)
        if "yyyy" not in day:  # a two-digit year is ambiguous in an input
            day = day.replace("yy", "yyyy")
        edit.setDisplayFormat(f"{day} {locale.timeFormat(short)}")
        edit.setAccessibleName(name)
        edit.dateTimeChanged.connect(self._edited)
        return edit

    def _edited(self, *_: object) -> None:
        self.chosen_by_user = True  # a window the user set is kept; the default moves on
        self.message.clear_message()

    def set_window(self, start: datetime, end: datetime) -> None:
        self.chosen_by_user = False
        for edit, moment in ((self.start, start), (self.end, end)):
            edit.blockSignals(True)
            edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp())))
            edit.blockSignals(False)
        self.message.clear_message()

    def chosen(self) -> tuple[datetime, datetime]:
        """The window, as aware UTC datetimes."""
        start, end = (
            datetime.fromtimestamp(edit.dateTime().toSecsSinceEpoch(), UTC)
            for edit in (self.start, self.end)
        )
        return start, end


class SigningChoice(QWidget):
    """How re-sent deliveries are signed: with the vault's key of the subscription; without one
    ("unverifiable"), unsigned, and only when the user ticks so."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = text_label(self.tr("Signing key"), selectable=False)
        self.unsigned = QCheckBox(self.tr("Send unsi&gned"))
        self.unsigned.setAccessibleName(self.tr("Send unsigned"))
        self.unsigned.setAccessibleDescription(
            self.tr("Re-send without a signature when the vault holds no key for it")
        )
        self.message = FieldMessage(self.unsigned)
        self.unsigned.toggled.connect(lambda _on: self.message.clear_message())
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        for widget in (self.note, self.unsigned, self.message):
            column.addWidget(widget)
        self.setFocusProxy(self.unsigned)

    def show_for(self, keyed: bool | None) -> None:
        """``keyed``: whether the vault holds the chosen subscription's key (None: none chosen)."""
        self.message.clear_message()
        self.unsigned.setEnabled(keyed is False)
        if keyed is None:
            self.note.setText("")
        elif keyed:
            self.note.setText(
                self.tr("Re-sent deliveries are signed with the vault's key of this subscription.")
            )
        else:
            self.note.setText(
                self.tr(
                    "Unverifiable: the vault holds no signing key of this subscription (Calendly "
                    "never returns keys), so re-sent deliveries cannot be signed."
                )
            )

    def refuse(self) -> None:
        """Say why nothing is sent: no key, and sending unsigned was not ticked."""
        self.message.show_message(
            self.tr(
                "Signing key: the vault holds none for this subscription, so the deliveries "
                "cannot be signed. Tick “Send unsigned” to send them without a signature."
            )
        )
        self.unsigned.setFocus()


class MissedList(QTreeWidget):
    """One row a missed delivery: event, invitee, when, meeting, and what became of it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Missed deliveries"))
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setHeaderLabels(
            [self.tr("Event"), self.tr("Invitee"), self.tr("When"), self.tr("Meeting"),
             self.tr("Result")]
        )  # fmt: skip

    def show_gaps(self, gaps: Sequence[Missed]) -> None:
        self.clear()
        for gap in gaps:
            expected = gap.expected
            event = expected.event
            if expected.rescheduled:
                event = self.tr("{event} (rescheduled)").format(event=event)
            who = f"{expected.name} <{expected.email}>" if expected.email else expected.name
            meeting = expected.meeting
            if expected.meeting_start is not None:
                meeting = f"{meeting} · {format_datetime(expected.meeting_start)}"
            if gap.refused:
                statuses = ", ".join(str(status) for status in gap.refused)
                result = self.tr("Logged, but the receiver answered {statuses}").format(
                    statuses=statuses
                )
            else:
                result = self.tr("Never logged")
            when = format_datetime(expected.happened_at)
            item = QTreeWidgetItem([event, who, when, meeting, result])
            item.setToolTip(INVITEE, expected.invitee_uri)
            item.setToolTip(MEETING, expected.meeting_uri)
            self.addTopLevelItem(item)
        for column in range(RESULT):
            self.resizeColumnToContents(column)

    def set_result(self, index: int, text: str) -> None:
        item = self.topLevelItem(index)
        if item is not None:
            item.setText(RESULT, text)

    def texts(self, column: int) -> list[str]:
        """Every row's text in ``column`` (what the user reads down the list)."""
        items = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item.text(column) for item in items if item is not None]


def summary_text(expectation: Expectation, missing: int) -> str:
    """How many were expected, accepted and missing, and what was looked through."""
    locale = QLocale()
    expected = len(expectation)
    text = translate(
        "RecoverPanel",
        "Calendly would have sent {expected} deliveries to this subscription in the window; "
        "the receiver accepted {accepted}; {missing} are missing.",
    ).format(
        expected=locale.toString(expected),
        accepted=locale.toString(expected - missing),
        missing=locale.toString(missing),
    )
    first, last = expectation.starts
    text += " " + translate(
        "RecoverPanel",
        "Meetings starting {first} to {last} were listed ({meetings}); the invitees of {read} "
        "were read.",
    ).format(
        first=format_datetime(first),
        last=format_datetime(last),
        meetings=locale.toString(expectation.meetings),
        read=locale.toString(expectation.read),
    )
    return " ".join([text, *expectation.notes])


def subscription_label(row: Row) -> str:
    """A subscription in the chooser: its address, owner and state."""
    sub = row.subscription
    states = {
        "active": translate("RecoverPanel", "active"),
        "disabled": translate("RecoverPanel", "disabled"),
    }
    return translate("RecoverPanel", "{url} — {owner} ({state})").format(
        url=sub.callback_url, owner=row.owner.label, state=states.get(sub.state, sub.state)
    )


def reading_text(done: int, total: int) -> str:
    """Progress of finding: the invitees read so far."""
    return translate("RecoverPanel", "Reading the invitees of {done} of {total} meetings…").format(
        done=QLocale().toString(done), total=QLocale().toString(total)
    )


def resend_label(count: int) -> str:
    """The re-send button's text, with how many it would send."""
    return (
        translate("RecoverPanel", "&Re-send %n", "", count)
        if count
        else translate("RecoverPanel", "&Re-send")
    )
