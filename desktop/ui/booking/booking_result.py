"""What a booking made: the event (in both zones), the invitee, and the links to share.

The join link, the invitee's cancel link and reschedule link each show in a read-only line with
"Copy" and "Open" beside it. "Book another for the same invitee" goes back to the open times
with the invitee's fields kept; "New booking" starts over with an empty form.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt, QTimeZone, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.invitees import Invitee
from desktop.domain.scheduled_events import ScheduledEvent
from desktop.ui.org.event_text import location_kind, system_zone_name, zone_of


def _when(start: datetime, end: datetime | None, zone_name: str) -> str:
    zone = zone_of(zone_name) or QTimeZone.systemTimeZone()
    locale = QLocale()
    begin = QDateTime.fromSecsSinceEpoch(int(start.timestamp()), zone)
    text = QCoreApplication.translate("BookingResult", "{date}, {time}").format(
        date=locale.toString(begin.date(), QLocale.FormatType.LongFormat),
        time=locale.toString(begin.time(), QLocale.FormatType.ShortFormat),
    )
    if end is not None:
        finish = QDateTime.fromSecsSinceEpoch(int(end.timestamp()), zone)
        text = QCoreApplication.translate("BookingResult", "{start} – {end}").format(
            start=text, end=locale.toString(finish.time(), QLocale.FormatType.ShortFormat)
        )
    return QCoreApplication.translate("BookingResult", "{when} ({zone})").format(
        when=text, zone=zone_name
    )


class LinkRow:
    """A link in a read-only line, with Copy and Open buttons."""

    def __init__(self, grid: QGridLayout, row: int, caption: str, name: str) -> None:
        self.label = QLabel(caption)
        self.edit = QLineEdit()
        self.edit.setReadOnly(True)
        self.edit.setAccessibleName(name)
        self.label.setBuddy(self.edit)
        self.copy_button = QPushButton(QCoreApplication.translate("BookingResult", "Copy"))
        self.copy_button.setAccessibleName(
            QCoreApplication.translate("BookingResult", "Copy {name}").format(name=name)
        )
        self.open_button = QPushButton(QCoreApplication.translate("BookingResult", "Open"))
        self.open_button.setAccessibleName(
            QCoreApplication.translate("BookingResult", "Open {name}").format(name=name)
        )
        self.open_button.setAccessibleDescription(
            QCoreApplication.translate("BookingResult", "Opens the link in the web browser")
        )
        for column, widget in enumerate(
            (self.label, self.edit, self.copy_button, self.open_button)
        ):
            grid.addWidget(widget, row, column)
        self.copy_button.clicked.connect(self.copy)

    def set_url(self, url: str | None) -> None:
        self.edit.setText(url or "")
        for widget in (self.label, self.edit, self.copy_button, self.open_button):
            widget.setVisible(bool(url))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.edit.text())


class BookingResult(QWidget):
    """The booking just made; ``book_another`` keeps the invitee, ``new_booking`` does not."""

    book_another = Signal()
    new_booking = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # How links open: the system browser (a test may put something else here).
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.invitee: Invitee | None = None
        self.booked_event: ScheduledEvent | None = None
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAccessibleName(
            QCoreApplication.translate("BookingResult", "Booking result")
        )
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid = QGridLayout()
        self.join = LinkRow(
            grid,
            0,
            QCoreApplication.translate("BookingResult", "&Join link:"),
            QCoreApplication.translate("BookingResult", "Join link"),
        )
        self.cancel = LinkRow(
            grid,
            1,
            QCoreApplication.translate("BookingResult", "&Cancel link:"),
            QCoreApplication.translate("BookingResult", "Cancel link"),
        )
        self.reschedule = LinkRow(
            grid,
            2,
            QCoreApplication.translate("BookingResult", "&Reschedule link:"),
            QCoreApplication.translate("BookingResult", "Reschedule link"),
        )
        for link in (self.join, self.cancel, self.reschedule):
            link.open_button.clicked.connect(lambda _=False, row=link: self._open(row))
        grid.setColumnStretch(1, 1)
        self.another_button = QPushButton(
            QCoreApplication.translate("BookingResult", "Book &another for the same invitee")
        )
        self.another_button.setAccessibleName(
            QCoreApplication.translate("BookingResult", "Book another for the same invitee")
        )
        self.another_button.setAccessibleDescription(
            QCoreApplication.translate(
                "BookingResult", "Back to the open times, with the invitee's details kept"
            )
        )
        self.new_button = QPushButton(QCoreApplication.translate("BookingResult", "&New booking"))
        self.new_button.setAccessibleName(
            QCoreApplication.translate("BookingResult", "New booking")
        )
        self.new_button.setAccessibleDescription(
            QCoreApplication.translate("BookingResult", "Back to the open times with an empty form")
        )
        self.another_button.clicked.connect(self.book_another)
        self.new_button.clicked.connect(self.new_booking)
        buttons = QHBoxLayout()
        buttons.addWidget(self.another_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def show_booking(
        self,
        invitee: Invitee,
        event: ScheduledEvent | None,
        *,
        event_type_name: str,
        host_name: str,
        start: datetime,
        reconciled_note: str = "",
    ) -> None:
        """Show what was booked (``event`` None: it could not be read back)."""
        self.invitee, self.booked_event = invitee, event
        self.heading.setText(
            "<h3>{}</h3>".format(
                escape(
                    QCoreApplication.translate("BookingResult", "Booked: {name}").format(
                        name=event_type_name
                    )
                )
            )
        )
        begin = event.start_time if event is not None else start
        end = event.end_time if event is not None else None
        zone = invitee.timezone or system_zone_name()
        rows = [
            (
                QCoreApplication.translate("BookingResult", "Event"),
                escape(event.name or event_type_name) if event else escape(event_type_name),
            ),
            (QCoreApplication.translate("BookingResult", "Host"), escape(host_name)),
            (
                QCoreApplication.translate("BookingResult", "Your time"),
                escape(_when(begin, end, system_zone_name())),
            ),
            (
                QCoreApplication.translate("BookingResult", "Invitee's time"),
                escape(_when(begin, end, zone)),
            ),
            (
                QCoreApplication.translate("BookingResult", "Invitee"),
                escape(f"{invitee.display_name} <{invitee.email}>"),
            ),
        ]
        if event is not None and event.event_guests:
            rows.append(
                (
                    QCoreApplication.translate("BookingResult", "Guests"),
                    escape(", ".join(g.email for g in event.event_guests)),
                )
            )
        if event is not None and event.location is not None:
            place = location_kind(event)
            if event.location.location:
                place = f"{place}: {event.location.location}" if place else event.location.location
            rows.append((QCoreApplication.translate("BookingResult", "Location"), escape(place)))
        if event is None:
            rows.append(
                (
                    QCoreApplication.translate("BookingResult", "Note"),
                    escape(
                        QCoreApplication.translate(
                            "BookingResult", "The event could not be read back just now."
                        )
                    ),
                )
            )
        if reconciled_note:
            rows.append(
                (QCoreApplication.translate("BookingResult", "Note"), escape(reconciled_note))
            )
        self.summary.setText(
            "<table>"
            + "".join(f"<tr><td><b>{escape(k)}</b>&nbsp;</td><td>{v}</td></tr>" for k, v in rows)
            + "</table>"
        )
        join = event.location.join_url if event is not None and event.location else None
        self.join.set_url(join)
        self.cancel.set_url(invitee.cancel_url)
        self.reschedule.set_url(invitee.reschedule_url)

    def _open(self, row: LinkRow) -> None:
        if row.edit.text():
            self.open_url(QUrl(row.edit.text()))

    def focus_chain(self) -> list[QWidget]:
        chain: list[QWidget] = []
        for link in (self.join, self.cancel, self.reschedule):
            chain += [link.edit, link.copy_button, link.open_button]
        return [*chain, self.another_button, self.new_button]
