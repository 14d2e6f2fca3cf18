"""The embed lab's controls: embed type, prefill, UTM parameters and page settings."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.event_types import CustomQuestion
from desktop.ui.booking.embed_snippet import (
    ANSWER_COUNT,
    MAX_GUESTS,
    EmbedMode,
    EmbedOptions,
    PageSettings,
    Prefill,
    Utm,
    colour_problem,
    split_guests,
)
from desktop.ui.signin.form import ErrorLabel

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class EmbedForm(QWidget):
    """Every control that shapes the embed; ``changed`` fires on each edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_mode())
        layout.addWidget(self._build_prefill())
        layout.addWidget(self._build_answers())
        layout.addWidget(self._build_utm())
        layout.addWidget(self._build_page())
        layout.addStretch(1)
        self._check()

    # -- building -------------------------------------------------------------------------------
    def _line(self, name: str, description: str = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        if description:
            edit.setAccessibleDescription(description)
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(self._edited)
        return edit

    def _row(
        self, form: QFormLayout, label: str, field: QWidget, error: QLabel | None = None
    ) -> None:
        caption = QLabel(label)
        caption.setBuddy(field)
        form.addRow(caption, field)
        if error is not None:
            form.addRow("", error)

    def _error(self, name: str) -> ErrorLabel:
        label = ErrorLabel()
        label.setAccessibleName(name)
        return label

    def _build_mode(self) -> QWidget:
        box = QGroupBox(self.tr("Embed"))
        form = QFormLayout(box)
        self.mode = QComboBox()
        self.mode.setAccessibleName(self.tr("Embed type"))
        self.mode.setAccessibleDescription(
            self.tr(
                "An inline widget on the page, or a link that opens the booking page as a popup"
            )
        )
        self.mode.addItem(self.tr("Inline widget"), "inline")
        self.mode.addItem(self.tr("Popup"), "popup")
        self.mode.currentIndexChanged.connect(self._edited)
        self._row(form, self.tr("T&ype:"), self.mode)
        return box

    def _build_prefill(self) -> QWidget:
        box = QGroupBox(self.tr("Prefill"))
        form = QFormLayout(box)
        self.name = self._line(self.tr("Prefill: name"), self.tr("The invitee's full name"))
        self.first_name = self._line(self.tr("Prefill: first name"))
        self.last_name = self._line(self.tr("Prefill: last name"))
        self.email = self._line(self.tr("Prefill: e-mail"), placeholder="name@example.com")
        self.email_error = self._error(self.tr("E-mail problem"))
        self.guests = self._line(
            self.tr("Prefill: guests"),
            self.tr("Up to {n} guest e-mail addresses, separated by commas").format(n=MAX_GUESTS),
            self.tr("ann@example.com, bob@example.com"),
        )
        self.guests_error = self._error(self.tr("Guests problem"))
        self.use_date = QCheckBox(self.tr("Preselect a &date"))
        self.use_date.setAccessibleName(self.tr("Preselect a date"))
        self.use_date.setAccessibleDescription(
            self.tr("Open the booking page on this day (and its month)")
        )
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setAccessibleName(self.tr("Prefill: date"))
        self.date.setEnabled(False)
        self.use_date.toggled.connect(self.date.setEnabled)
        self.use_date.toggled.connect(self._edited)
        self.date.dateChanged.connect(self._edited)
        self._row(form, self.tr("&Name:"), self.name)
        self._row(form, self.tr("&First name:"), self.first_name)
        self._row(form, self.tr("&Last name:"), self.last_name)
        self._row(form, self.tr("&E-mail:"), self.email, self.email_error)
        self._row(form, self.tr("&Guests:"), self.guests, self.guests_error)
        form.addRow(self.use_date, self.date)
        return box

    def _build_answers(self) -> QWidget:
        box = QGroupBox(self.tr("Answers to custom questions"))
        form = QFormLayout(box)
        self.answers: list[QLineEdit] = []
        self.answer_labels: list[QLabel] = []
        for position in range(1, ANSWER_COUNT + 1):
            edit = self._line(self.tr("Prefill: answer a{n}").format(n=position))
            label = QLabel(f"a{position}:")
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.answers.append(edit)
            self.answer_labels.append(label)
        return box

    def _build_utm(self) -> QWidget:
        box = QGroupBox(self.tr("UTM parameters"))
        form = QFormLayout(box)
        self.utm_campaign = self._line(self.tr("UTM campaign"))
        self.utm_source = self._line(self.tr("UTM source"))
        self.utm_medium = self._line(self.tr("UTM medium"))
        self.utm_content = self._line(self.tr("UTM content"))
        self.utm_term = self._line(self.tr("UTM term"))
        self._row(form, self.tr("C&ampaign:"), self.utm_campaign)
        self._row(form, self.tr("&Source:"), self.utm_source)
        self._row(form, self.tr("Medi&um:"), self.utm_medium)
        self._row(form, self.tr("Con&tent:"), self.utm_content)
        self._row(form, self.tr("Te&rm:"), self.utm_term)
        return box

    def _build_page(self) -> QWidget:
        box = QGroupBox(self.tr("Page settings"))
        form = QFormLayout(box)
        self.hide_event_type_details = self._check_box(self.tr("&Hide event type details"))
        self.hide_landing_page_details = self._check_box(self.tr("Hide landing page deta&ils"))
        self.hide_gdpr_banner = self._check_box(self.tr("Hide the GDPR &banner"))
        for box_ in (
            self.hide_event_type_details,
            self.hide_landing_page_details,
            self.hide_gdpr_banner,
        ):
            form.addRow(box_)
        hint = self.tr("Six hexadecimal digits, such as 00a2ff")
        self.background_color = self._line(self.tr("Background colour"), hint, "ffffff")
        self.text_color = self._line(self.tr("Text colour"), hint, "4d5055")
        self.primary_color = self._line(self.tr("Primary colour"), hint, "00a2ff")
        self.background_error = self._error(self.tr("Background colour problem"))
        self.text_error = self._error(self.tr("Text colour problem"))
        self.primary_error = self._error(self.tr("Primary colour problem"))
        self._row(form, self.tr("Bac&kground:"), self.background_color, self.background_error)
        self._row(form, self.tr("Te&xt:"), self.text_color, self.text_error)
        self._row(form, self.tr("Pri&mary:"), self.primary_color, self.primary_error)
        return box

    def _check_box(self, text: str) -> QCheckBox:
        box = QCheckBox(text)
        box.setAccessibleName(text.replace("&", ""))
        box.toggled.connect(self._edited)
        return box

    # -- reading --------------------------------------------------------------------------------
    def set_questions(self, questions: Sequence[CustomQuestion]) -> None:
        """Name the answer fields after the chosen event type's questions (a1 is the first)."""
        asked = sorted((q for q in questions if q.enabled), key=lambda q: q.position)
        for index, label in enumerate(self.answer_labels):
            question = asked[index].name if index < len(asked) else ""
            text = f"a{index + 1}:"
            shown = _short(question).replace("&", "&&")  # a label's & would be a mnemonic
            label.setText(f"a{index + 1} ({shown}):" if question else text)
            edit = self.answers[index]
            edit.setAccessibleDescription(question)
            edit.setToolTip(question)

    def mode_value(self) -> EmbedMode:
        return "popup" if self.mode.currentData() == "popup" else "inline"

    def options(self, url: str, link_text: str = "") -> EmbedOptions:
        """The embed these controls describe for ``url``; invalid values are left out."""
        email = self.email.text().strip()
        guests = tuple(g for g in split_guests(self.guests.text()) if _EMAIL.fullmatch(g))
        answers = tuple(edit.text() for edit in self.answers)
        while answers and not answers[-1]:
            answers = answers[:-1]
        picked = self.date.date().toPython() if self.use_date.isChecked() else None
        prefill = Prefill(
            name=self.name.text(),
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            email=email if _EMAIL.fullmatch(email) else "",
            guests=guests[:MAX_GUESTS],
            answers=answers,
            date=picked,  # type: ignore[arg-type]  # QDate.toPython() is a datetime.date
        )
        utm = Utm(
            campaign=self.utm_campaign.text(),
            source=self.utm_source.text(),
            medium=self.utm_medium.text(),
            content=self.utm_content.text(),
            term=self.utm_term.text(),
        )
        page = PageSettings(
            hide_event_type_details=self.hide_event_type_details.isChecked(),
            hide_landing_page_details=self.hide_landing_page_details.isChecked(),
            hide_gdpr_banner=self.hide_gdpr_banner.isChecked(),
            background_color=self.background_color.text(),
            text_color=self.text_color.text(),
            primary_color=self.primary_color.text(),
        )
        mode = self.mode_value()
        if link_text:
            return EmbedOptions(url, mode, prefill, utm, page, link_text)
        return EmbedOptions(url, mode, prefill, utm, page)

    # -- checking -------------------------------------------------------------------------------
    def _edited(self) -> None:
        self._check()
        self.changed.emit()

    def _check(self) -> None:
        """Say next to each field what is wrong with it (such values stay out of the embed)."""
        email = self.email.text().strip()
        self._show(
            self.email_error,
            self.tr("E-mail: not an e-mail address; it is left out of the embed.")
            if email and not _EMAIL.fullmatch(email)
            else "",
        )
        guests = split_guests(self.guests.text())
        bad = [g for g in guests if not _EMAIL.fullmatch(g)]
        if bad:
            text = self.tr("Guests: not an e-mail address: {guest}; left out.").format(guest=bad[0])
        elif len(guests) > MAX_GUESTS:
            text = self.tr("Guests: at most {n}; the rest are left out.").format(n=MAX_GUESTS)
        else:
            text = ""
        self._show(self.guests_error, text)
        for edit, label, name in (
            (self.background_color, self.background_error, self.tr("Background colour")),
            (self.text_color, self.text_error, self.tr("Text colour")),
            (self.primary_color, self.primary_error, self.tr("Primary colour")),
        ):
            problem = colour_problem(edit.text())
            message = self.tr("{field}: six hexadecimal digits, such as 00a2ff.").format(field=name)
            self._show(label, message if problem else "")

    def _show(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
