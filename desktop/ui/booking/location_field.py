"""Where to meet: a choice among the event type's locations, with what each kind needs.

In person and custom places are the host's (sent back unchanged); "asked of the invitee" needs
the place, "host calls" the number to call; phone-in and web conferences need nothing more. A
round-robin event type takes no location at all (the assigned host's is used), as Calendly
requires.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop.api.resources.scheduling import BookingLocation, LocationKind
from desktop.domain.event_types import EventType, LocationConfiguration
from desktop.ui.booking import checks
from desktop.ui.booking.fields import FieldRow, line_edit
from desktop.ui.org.event_type_text import location_kind_label

KINDS: tuple[LocationKind, ...] = (
    "physical",
    "inbound_call",
    "outbound_call",
    "zoom_conference",
    "google_conference",
    "gotomeeting_conference",
    "microsoft_teams_conference",
    "webex_conference",
    "ask_invitee",
    "custom",
)


def _ordered(configs: tuple[LocationConfiguration, ...]) -> list[LocationConfiguration]:
    return sorted(configs, key=lambda c: c.position if c.position is not None else 0)


class LocationRows:
    """The location rows of the invitee form for one event type (none for round robin)."""

    def __init__(self, form: QFormLayout, event_type: EventType) -> None:
        self.configs = [c for c in _ordered(event_type.locations or ()) if c.kind in KINDS]
        self.kind_row: FieldRow | None = None
        self.detail_row: FieldRow | None = None
        self.combo: QComboBox | None = None
        self.note = QLabel()
        self.note.setWordWrap(True)
        if event_type.pooling_type == "round_robin":
            self.note.setText(
                QCoreApplication.translate(
                    "BookingLocation",
                    "Round robin: Calendly picks the host, and the booking takes that host's "
                    "location. No location is sent.",
                )
            )
            form.addRow(QCoreApplication.translate("BookingLocation", "Location"), self.note)
            return
        if not self.configs:
            self.note.setText(
                QCoreApplication.translate("BookingLocation", "This event type sets no location.")
            )
            form.addRow(QCoreApplication.translate("BookingLocation", "Location"), self.note)
            return
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        combo = QComboBox()
        combo.setAccessibleName(QCoreApplication.translate("BookingLocation", "Location"))
        combo.setAccessibleDescription(
            QCoreApplication.translate("BookingLocation", "Where the meeting takes place")
        )
        for config in self.configs:
            combo.addItem(_choice_text(config))
        column.addWidget(combo)
        column.addWidget(self.note)
        self.combo = combo
        self.kind_row = FieldRow(
            form,
            QCoreApplication.translate("BookingLocation", "&Location"),
            box,
            required=True,
            focus=combo,
        )
        self.detail = line_edit(QCoreApplication.translate("BookingLocation", "Where to meet"))
        self.detail_row = FieldRow(
            form,
            QCoreApplication.translate("BookingLocation", "Where to meet"),
            self.detail,
            required=True,
        )
        combo.currentIndexChanged.connect(self._kind_changed)
        self.detail.textChanged.connect(self.detail_row.clear_message)
        self._kind_changed(0)

    # -- state --------------------------------------------------------------------------------
    @property
    def config(self) -> LocationConfiguration | None:
        if self.combo is None or not self.configs:
            return None
        return self.configs[max(0, self.combo.currentIndex())]

    def _asks_text(self) -> bool:
        """Whether the chosen kind needs a text the form asks for (not the host's own)."""
        config = self.config
        if config is None or config.kind not in checks.NEEDS_TEXT:
            return False
        return not (config.kind in checks.HOST_TEXT and config.location)

    def _kind_changed(self, _index: int) -> None:
        config = self.config
        if config is None or self.detail_row is None:
            return
        if self.kind_row is not None:
            self.kind_row.clear_message()
        self.detail_row.clear_message()
        caption, name = {
            "outbound_call": (
                QCoreApplication.translate("BookingLocation", "Number to call"),
                QCoreApplication.translate("BookingLocation", "Phone number the host calls"),
            ),
            "physical": (
                QCoreApplication.translate("BookingLocation", "Address"),
                QCoreApplication.translate("BookingLocation", "Address"),
            ),
        }.get(
            config.kind,
            (
                QCoreApplication.translate("BookingLocation", "Where to meet"),
                QCoreApplication.translate("BookingLocation", "Where to meet"),
            ),
        )
        self.detail_row.set_caption(caption)
        self.detail.setAccessibleName(name)
        self.detail.setPlaceholderText(
            QCoreApplication.translate("BookingLocation", "+1 415 555 0100")
            if config.kind == "outbound_call"
            else ""
        )
        self.detail_row.set_visible(self._asks_text())
        self.note.setText(_note(config))
        self.note.setVisible(bool(self.note.text()))

    def inputs(self) -> list[QWidget]:
        if self.combo is None:
            return []
        return [self.combo, self.detail]

    # -- the request --------------------------------------------------------------------------
    def value(self) -> BookingLocation | None:
        """The ``location`` to send (None: send none)."""
        config = self.config
        if config is None:
            return None
        kind = KINDS[KINDS.index(config.kind)]  # the same text, typed as a LocationKind
        if config.kind not in checks.NEEDS_TEXT:
            return BookingLocation(kind=kind)
        if not self._asks_text():
            return BookingLocation(kind=kind, location=config.location)
        return BookingLocation(kind=kind, location=self.detail.text().strip())

    def check(self) -> list[QWidget]:
        """Show what is missing or wrong next to it; the inputs with a problem."""
        config = self.config
        if config is None or self.detail_row is None or not self._asks_text():
            return []
        if config.kind == "outbound_call":
            problem = checks.check_phone(
                self.detail.text(),
                QCoreApplication.translate("BookingLocation", "the number the host calls"),
                required=True,
            )
        else:
            problem = checks.check_text(
                self.detail.text(),
                QCoreApplication.translate("BookingLocation", "where to meet"),
                required=True,
            )
        if problem is None:
            return []
        self.detail_row.show_message(problem)
        return [self.detail]

    def row_for(self, parameter: str) -> FieldRow | None:
        """Where Calendly's ``location``/``location.kind``/``location.location`` problem shows."""
        if parameter == "location.location" and self._asks_text():
            return self.detail_row
        return self.kind_row

    def clear_messages(self) -> None:
        for row in (self.kind_row, self.detail_row):
            if row is not None:
                row.clear_message()


def _choice_text(config: LocationConfiguration) -> str:
    label = location_kind_label(config.kind)
    if config.kind in checks.HOST_TEXT and config.location:
        return QCoreApplication.translate("BookingLocation", "{kind}: {place}").format(
            kind=label, place=config.location
        )
    return label


def _note(config: LocationConfiguration) -> str:
    """What happens with the chosen kind, when the form asks nothing for it."""
    kind = config.kind
    if kind == "inbound_call":
        number = config.phone_number or QCoreApplication.translate(
            "BookingLocation", "the host's number"
        )
        return QCoreApplication.translate("BookingLocation", "The invitee calls {number}.").format(
            number=number
        )
    if kind.endswith("_conference"):
        return QCoreApplication.translate(
            "BookingLocation", "Calendly creates the {kind} link when the meeting is booked."
        ).format(kind=location_kind_label(kind))
    if kind in checks.HOST_TEXT and config.location:
        extra = f" — {config.additional_info}" if config.additional_info else ""
        return QCoreApplication.translate("BookingLocation", "At {place}{extra}").format(
            place=config.location, extra=extra
        )
    if kind == "ask_invitee":
        return QCoreApplication.translate("BookingLocation", "The invitee says where to meet.")
    return ""
