"""The invitee form, generated from the event type: who, where, its questions, guests, UTM.

The invitee's own fields (name or first and last name, e-mail, time zone, guests, SMS number,
UTM) stay when the event type changes or another booking follows for the same invitee; the
location and the questions are rebuilt from each event type. ``collect`` checks every field as
Calendly would and shows each problem under its field; ``show_problems`` places Calendly's own
``details`` (``invitee.email``, ``location.location``, ``questions_and_answers[2].answer``,
``tracking.utm_source``, ``event_guests[1]``...) on the field they name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QFormLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api.errors import FieldProblem
from desktop.api.resources.scheduling import Answer, BookingLocation, InviteeDetails
from desktop.domain.event_types import EventType
from desktop.ui.booking import checks
from desktop.ui.booking.fields import FieldRow, line_edit
from desktop.ui.booking.invitee_problems import show_problems
from desktop.ui.booking.location_field import LocationRows
from desktop.ui.booking.question_fields import QuestionField, asked, question_field

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")


@dataclass(frozen=True)
class FormValues:
    """What the form would send: checked, in the client's request types."""

    invitee: InviteeDetails
    location: BookingLocation | None
    answers: tuple[Answer, ...]
    tracking: dict[str, str | None] | None
    guests: tuple[str, ...]


class InviteeForm(QWidget):
    """Who is booked and what the event type asks; ``zone_changed`` with the invitee's zone."""

    zone_changed = Signal(str)
    submit_requested = Signal()  # Enter in a one-line field

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.event_type: EventType | None = None
        self.location: LocationRows | None = None
        self.questions: list[QuestionField] = []
        self._question_rows: list[FieldRow] = []
        self._sent: list[QuestionField] = []  # the questions of the last request, by index
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        who = QFormLayout()
        self.separate_names = QCheckBox(
            QCoreApplication.translate("InviteeForm", "Separate &first and last name")
        )
        self.separate_names.setAccessibleName(
            QCoreApplication.translate("InviteeForm", "Separate first and last name")
        )
        who.addRow(self.separate_names)
        self.name_edit = line_edit(QCoreApplication.translate("InviteeForm", "Invitee's name"))
        self.name_row = FieldRow(
            who, QCoreApplication.translate("InviteeForm", "&Name"), self.name_edit, required=True
        )
        self.first_edit = line_edit(
            QCoreApplication.translate("InviteeForm", "Invitee's first name")
        )
        self.first_row = FieldRow(
            who,
            QCoreApplication.translate("InviteeForm", "First name"),
            self.first_edit,
            required=True,
        )
        self.last_edit = line_edit(QCoreApplication.translate("InviteeForm", "Invitee's last name"))
        self.last_row = FieldRow(
            who, QCoreApplication.translate("InviteeForm", "Last name"), self.last_edit
        )
        self.email_edit = line_edit(
            QCoreApplication.translate("InviteeForm", "Invitee's e-mail"),
            placeholder="name@example.com",
        )
        self.email_row = FieldRow(
            who,
            QCoreApplication.translate("InviteeForm", "&E-mail"),
            self.email_edit,
            required=True,
        )
        self.zone_edit = line_edit(
            QCoreApplication.translate("InviteeForm", "Invitee's time zone"),
            QCoreApplication.translate("InviteeForm", "An IANA time zone such as Europe/Berlin"),
        )
        completer = QCompleter(QStringListModel(list(checks.time_zones()), self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone_edit.setCompleter(completer)
        self.zone_row = FieldRow(
            who,
            QCoreApplication.translate("InviteeForm", "Time &zone"),
            self.zone_edit,
            required=True,
        )
        layout.addLayout(who)

        self.event_box = QWidget()
        self.event_form = QFormLayout(self.event_box)
        self.event_form.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.event_box)

        more = QFormLayout()
        self.guests_edit = line_edit(
            QCoreApplication.translate("InviteeForm", "Guests' e-mails"),
            QCoreApplication.translate(
                "InviteeForm", "Up to 10 e-mail addresses, separated by commas"
            ),
            QCoreApplication.translate("InviteeForm", "ana@example.com, li@example.com"),
        )
        self.guests_row = FieldRow(
            more, QCoreApplication.translate("InviteeForm", "&Guests"), self.guests_edit
        )
        self.sms_edit = line_edit(
            QCoreApplication.translate("InviteeForm", "SMS reminder number"),
            QCoreApplication.translate(
                "InviteeForm", "A mobile number with its country code, for text reminders"
            ),
            "+14155551234",
        )
        self.sms_row = FieldRow(
            more, QCoreApplication.translate("InviteeForm", "&SMS reminders"), self.sms_edit
        )
        layout.addLayout(more)

        self.utm_toggle = QToolButton()
        self.utm_toggle.setText(QCoreApplication.translate("InviteeForm", "&UTM parameters"))
        self.utm_toggle.setAccessibleName(
            QCoreApplication.translate("InviteeForm", "UTM parameters")
        )
        self.utm_toggle.setAccessibleDescription(
            QCoreApplication.translate("InviteeForm", "Shows or hides the tracking fields")
        )
        self.utm_toggle.setCheckable(True)
        self.utm_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.utm_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.utm_toggle.setAutoRaise(True)
        self.utm_toggle.toggled.connect(self._utm_toggled)
        layout.addWidget(self.utm_toggle)
        self.utm_box = QWidget()
        utm = QFormLayout(self.utm_box)
        utm.setContentsMargins(18, 0, 0, 0)
        self.utm_edits: dict[str, QLineEdit] = {}
        self.utm_rows: dict[str, FieldRow] = {}
        for key in UTM_KEYS:
            edit = line_edit(key)
            self.utm_edits[key] = edit
            self.utm_rows[key] = FieldRow(utm, key, edit)
        self.utm_box.setVisible(False)
        layout.addWidget(self.utm_box)
        layout.addStretch(1)

        self.separate_names.toggled.connect(self._names_toggled)
        self._names_toggled(False)
        rows = {
            self.name_edit: self.name_row,
            self.first_edit: self.first_row,
            self.last_edit: self.last_row,
            self.email_edit: self.email_row,
            self.zone_edit: self.zone_row,
            self.guests_edit: self.guests_row,
            self.sms_edit: self.sms_row,
            **{self.utm_edits[k]: self.utm_rows[k] for k in UTM_KEYS},
        }
        for edit, row in rows.items():
            edit.textChanged.connect(row.clear_message)
            edit.returnPressed.connect(self.submit_requested)
        self.zone_edit.textChanged.connect(self._zone_edited)

    # -- building -----------------------------------------------------------------------------
    def set_event_type(self, event_type: EventType | None) -> None:
        """Rebuild the location and the questions for ``event_type``; the invitee stays."""
        self.event_type = event_type
        self._sent = []
        while self.event_form.rowCount():
            self.event_form.removeRow(0)
        self.location = None
        self.questions = []
        self._question_rows = []
        if event_type is None:
            return
        self.location = LocationRows(self.event_form, event_type)
        if self.location.detail_row is not None:
            self.location.detail.returnPressed.connect(self.submit_requested)
        for question in asked(event_type.custom_questions):
            field = question_field(question)
            row = FieldRow(
                self.event_form,
                question.name.replace("&", "&&"),  # a question's "&" is no mnemonic
                field,
                required=question.required,
                focus=field.focus_widget,
            )
            field.edited.connect(row.clear_message)
            self.questions.append(field)
            self._question_rows.append(row)

    def focus_chain(self) -> list[QWidget]:
        """The inputs in Tab order: who, where, the questions, guests, SMS, UTM."""
        chain: list[QWidget] = [self.separate_names, self.name_edit, self.first_edit]
        chain += [self.last_edit, self.email_edit, self.zone_edit]
        if self.location is not None:
            chain += self.location.inputs()
        for field in self.questions:
            chain += field.inputs()
        chain += [self.guests_edit, self.sms_edit, self.utm_toggle]
        chain += [self.utm_edits[k] for k in UTM_KEYS]
        return chain

    def reset(self) -> None:
        """Empty every field (a new invitee); the time zone stays."""
        for edit in (self.name_edit, self.first_edit, self.last_edit, self.email_edit):
            edit.clear()
        for edit in (self.guests_edit, self.sms_edit, *self.utm_edits.values()):
            edit.clear()
        self.set_event_type(self.event_type)
        self.clear_messages()

    def invitee_zone(self) -> str:
        text = self.zone_edit.text().strip()
        return text if checks.is_time_zone(text) else ""

    def _zone_edited(self, text: str) -> None:
        if checks.is_time_zone(text.strip()):
            self.zone_changed.emit(text.strip())

    def _names_toggled(self, separate: bool) -> None:
        self.name_row.set_visible(not separate)
        self.first_row.set_visible(separate)
        self.last_row.set_visible(separate)

    def _utm_toggled(self, on: bool) -> None:
        self.utm_toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.utm_box.setVisible(on)

    # -- checking -----------------------------------------------------------------------------
    def collect(self) -> FormValues | None:
        """The request's invitee parts, or None after showing each problem by its field (the
        first bad field gets the focus)."""
        self.clear_messages()
        bad: list[QWidget] = []

        def check(row: FieldRow, problem: str | None) -> None:
            if problem is not None:
                row.show_message(problem)
                bad.append(row.focus_widget)

        separate = self.separate_names.isChecked()
        if separate:
            check(
                self.first_row,
                checks.check_text(
                    self.first_edit.text(),
                    QCoreApplication.translate("InviteeForm", "the invitee's first name"),
                    required=True,
                ),
            )
            check(
                self.last_row,
                checks.check_text(
                    self.last_edit.text(),
                    QCoreApplication.translate("InviteeForm", "the last name"),
                    required=False,
                ),
            )
        else:
            check(
                self.name_row,
                checks.check_text(
                    self.name_edit.text(),
                    QCoreApplication.translate("InviteeForm", "the invitee's name"),
                    required=True,
                ),
            )
        check(self.email_row, checks.check_email(self.email_edit.text()))
        check(self.zone_row, checks.check_zone(self.zone_edit.text()))
        if self.location is not None:
            bad += self.location.check()
        for field, row in zip(self.questions, self._question_rows, strict=True):
            check(row, field.problem())
        guests = checks.split_guests(self.guests_edit.text())
        check(self.guests_row, checks.check_guests(guests))
        check(self.sms_row, checks.check_sms(self.sms_edit.text()))
        for key in UTM_KEYS:
            problem = checks.check_text(self.utm_edits[key].text(), key, required=False)
            if problem is not None:
                self.utm_toggle.setChecked(True)
            check(self.utm_rows[key], problem)
        if bad:
            bad[0].setFocus(Qt.FocusReason.OtherFocusReason)
            return None

        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        invitee = InviteeDetails(
            email=self.email_edit.text().strip(),
            timezone=self.zone_edit.text().strip(),
            name=None if separate else text(self.name_edit),
            first_name=text(self.first_edit) if separate else None,
            last_name=text(self.last_edit) if separate else None,
            text_reminder_number=text(self.sms_edit),
        )
        answered = [field for field in self.questions if field.answer()]
        self._sent = answered
        answers = tuple(
            Answer(question=f.question.name, answer=f.answer(), position=int(f.question.position))
            for f in answered
        )
        utm = {key: text(self.utm_edits[key]) for key in UTM_KEYS}
        return FormValues(
            invitee=invitee,
            location=None if self.location is None else self.location.value(),
            answers=answers,
            tracking=utm if any(utm.values()) else None,
            guests=tuple(guests),
        )

    def clear_messages(self) -> None:
        for row in self._rows():
            row.clear_message()
        if self.location is not None:
            self.location.clear_messages()

    def _rows(self) -> list[FieldRow]:
        fixed = [self.name_row, self.first_row, self.last_row, self.email_row, self.zone_row]
        return [
            *fixed,
            *self._question_rows,
            self.guests_row,
            self.sms_row,
            *self.utm_rows.values(),
        ]

    def messages(self) -> dict[str, str]:
        """Accessible name of each field -> the message shown under it (what a user reads)."""
        shown = {row.focus_widget.accessibleName(): row.message.text() for row in self._rows()}
        if self.location is not None:
            for row in (self.location.kind_row, self.location.detail_row):
                if row is not None:
                    shown[row.focus_widget.accessibleName()] = row.message.text()
        return {name: text for name, text in shown.items() if text}

    # -- Calendly's details -------------------------------------------------------------------
    def show_problems(
        self, problems: Sequence[FieldProblem]
    ) -> tuple[list[FieldProblem], QWidget | None]:
        """Show each of Calendly's ``details`` under the field it names (several under one field
        one per line); (the problems no field of this form holds, the first field that got one)."""
        return show_problems(self, problems)
