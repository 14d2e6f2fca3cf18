"""The subscriptions table's filters: state, scope and event, beside its search field."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QBoxLayout, QComboBox, QLabel

from desktop.ui.webhooks import subscription_text as text
from desktop.ui.webhooks.event_names import event_label
from desktop.webhooks.listing import Row
from desktop.webhooks.scopes import EVENTS


class SubscriptionFilters(QObject):
    """Three combo boxes put into a table's filters row; ``changed()`` when one changes."""

    changed = Signal()

    def __init__(self, row: QBoxLayout, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._row = row
        self.state_box = self._combo(
            self.tr("State"),
            self.tr("&State:"),
            [(self.tr("All states"), None)] + [(text.state_name(s), s) for s in text.STATES],
        )
        self.scope_box = self._combo(
            self.tr("Scope"),
            self.tr("Sc&ope:"),
            [(self.tr("All scopes"), None)]
            + [(text.scope_name(s), s) for s in ("organization", "group", "user")],
        )
        self.event_box = self._combo(
            self.tr("Event"),
            self.tr("E&vent:"),
            [(self.tr("All events"), None)] + [(event_label(e), e) for e in EVENTS],
        )

    def _combo(self, name: str, caption: str, items: Sequence[tuple[str, str | None]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for shown, value in items:
            combo.addItem(shown, value)
        combo.currentIndexChanged.connect(lambda _: self.changed.emit())
        label = QLabel(caption)
        label.setBuddy(combo)
        position = self._row.count() - 2  # before the stretch and the search field
        self._row.insertWidget(position, label)
        self._row.insertWidget(position + 1, combo)
        return combo

    def clear(self) -> None:
        for combo in (self.state_box, self.scope_box, self.event_box):
            combo.setCurrentIndex(0)

    def predicate(self) -> Callable[[Row], bool] | None:
        """Whether a row passes the filters as set now (None: every row does)."""
        state, scope = self.state_box.currentData(), self.scope_box.currentData()
        event = self.event_box.currentData()
        if state is None and scope is None and event is None:
            return None

        def accepts(row: Row) -> bool:
            sub = row.subscription
            return (
                (state is None or text.state_of(sub) == state)
                and (scope is None or sub.scope == scope)
                and (event is None or event in sub.events)
            )

        return accepts
