"""The Overview's cards: a count and what it counts, each a button to the page it summarizes."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop.overview.figures import Cards


@dataclass(frozen=True)
class CardSpec:
    field: str  # the ``Cards`` attribute shown
    caption: str  # what the number counts, under it
    page: str  # the page key it opens
    description: str  # what a click does, for screen readers and the tooltip


def card_specs() -> tuple[CardSpec, ...]:
    """Built at run time so the captions are in the user's language."""
    return (
        CardSpec(
            "members_active",
            QCoreApplication.translate("OverviewCards", "Members"),
            "members",
            QCoreApplication.translate("OverviewCards", "Opens Members"),
        ),
        CardSpec(
            "invitations_pending",
            QCoreApplication.translate("OverviewCards", "Pending invitations"),
            "members",
            QCoreApplication.translate("OverviewCards", "Opens the pending invitations"),
        ),
        CardSpec(
            "event_types_active",
            QCoreApplication.translate("OverviewCards", "Active event types"),
            "event_types",
            QCoreApplication.translate("OverviewCards", "Opens the active event types"),
        ),
        CardSpec(
            "meetings_this_week",
            QCoreApplication.translate("OverviewCards", "Meetings this week"),
            "scheduled_events",
            QCoreApplication.translate("OverviewCards", "Opens this week's active meetings"),
        ),
        CardSpec(
            "meetings_next_week",
            QCoreApplication.translate("OverviewCards", "Meetings next week"),
            "scheduled_events",
            QCoreApplication.translate("OverviewCards", "Opens next week's active meetings"),
        ),
        CardSpec(
            "webhooks_active",
            QCoreApplication.translate("OverviewCards", "Webhooks active"),
            "webhooks",
            QCoreApplication.translate("OverviewCards", "Opens the active webhook subscriptions"),
        ),
        CardSpec(
            "webhooks_retrying",
            QCoreApplication.translate("OverviewCards", "Webhooks retrying"),
            "webhooks",
            QCoreApplication.translate(
                "OverviewCards", "Opens the webhook subscriptions whose deliveries are failing"
            ),
        ),
        CardSpec(
            "webhooks_disabled",
            QCoreApplication.translate("OverviewCards", "Webhooks disabled"),
            "webhooks",
            QCoreApplication.translate("OverviewCards", "Opens the disabled webhook subscriptions"),
        ),
    )


class Card(QPushButton):
    """A big number over its caption; the whole card is one button."""

    def __init__(self, spec: CardSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"card-{spec.field}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.number = QLabel("–")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.9)
        big.setBold(True)
        self.number.setFont(big)
        self.caption = QLabel(spec.caption)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        for label in (self.number, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            layout.addWidget(label)
        self.setMinimumHeight(layout.sizeHint().height())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(layout.sizeHint().height())
        self.setMinimumWidth(130)
        self.setToolTip(spec.description)
        self.setAccessibleDescription(spec.description)
        self.set_value(None)

    def set_value(self, value: int | None, note: str = "") -> None:
        """The count (None: not known yet); ``note`` adds why it may be incomplete."""
        shown = "–" if value is None else QLocale().toString(value)
        self.number.setText(shown + (" *" if note else ""))
        spoken = (
            QCoreApplication.translate("OverviewCards", "not loaded yet")
            if value is None
            else QLocale().toString(value)
        )
        self.setAccessibleName(f"{self.spec.caption}: {spoken}")
        self.setToolTip(f"{self.spec.description}\n{note}" if note else self.spec.description)


class CardGrid(QWidget):
    """The cards in a grid; ``open_requested(field)`` when one is clicked."""

    open_requested = Signal(str)
    COLUMNS = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        self.cards: dict[str, Card] = {}
        for index, spec in enumerate(card_specs()):
            card = Card(spec)
            card.clicked.connect(lambda _=False, field=spec.field: self.open_requested.emit(field))
            grid.addWidget(card, index // self.COLUMNS, index % self.COLUMNS)
            self.cards[spec.field] = card

    def show_cards(self, cards: Cards | None, webhooks_note: str = "") -> None:
        for field, card in self.cards.items():
            value = None if cards is None else int(getattr(cards, field))
            card.set_value(value, webhooks_note if field.startswith("webhooks_") else "")

    def value(self, field: str) -> str:
        """The number a card shows (its text, as a user reads it)."""
        return self.cards[field].number.text()
