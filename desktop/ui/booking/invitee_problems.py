"""Calendly's ``details`` placed on the invitee form: each ``parameter`` (``invitee.email``,
``location.location``, ``questions_and_answers[2].answer``, ``tracking.utm_source``,
``event_guests[1]``...) mapped to the form's field it names, its message shown under it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

from desktop.api.errors import FieldProblem
from desktop.ui.booking.fields import FieldRow

if TYPE_CHECKING:
    from desktop.ui.booking.invitee_form import InviteeForm

_ANSWER = re.compile(r"^questions_and_answers\[(\d+)\]")
_GUEST = re.compile(r"^event_guests\[(\d+)\]")


def show_problems(
    form: InviteeForm, problems: Sequence[FieldProblem]
) -> tuple[list[FieldProblem], QWidget | None]:
    """Show each of Calendly's ``details`` under the field of ``form`` it names (several under
    one field one per line); (the problems no field holds, the first field that got one)."""
    left: list[FieldProblem] = []
    placed: dict[FieldRow, list[str]] = {}
    for problem in problems:
        parameter = problem.parameter or ""
        row = _row_for(form, parameter, problem.message)
        if row is None:
            left.append(problem)
            continue
        text = QCoreApplication.translate("InviteeForm", "Calendly: {message}").format(
            message=problem.message
        )
        guest = _GUEST.match(parameter)
        if guest is not None:
            text = QCoreApplication.translate("InviteeForm", "Guest {number} — {text}").format(
                number=int(guest.group(1)) + 1, text=text
            )
        placed.setdefault(row, []).append(text)
    for row, texts in placed.items():
        if row in form.utm_rows.values():
            form.utm_toggle.setChecked(True)
        row.show_message("\n".join(texts))
    first = next(iter(placed)).focus_widget if placed else None
    if first is not None:
        first.setFocus(Qt.FocusReason.OtherFocusReason)
    return left, first


def _row_for(form: InviteeForm, parameter: str, message: str) -> FieldRow | None:
    separate = form.separate_names.isChecked()
    utm_rows = form.utm_rows  # keyed by UTM_KEYS, in their order
    named = {
        "invitee.email": form.email_row,
        "invitee": form.email_row,
        "invitee.timezone": form.zone_row,
        "invitee.text_reminder_number": form.sms_row,
        "invitee.name": form.first_row if separate else form.name_row,
        "invitee.first_name": form.first_row if separate else form.name_row,
        "invitee.last_name": form.last_row if separate else form.name_row,
        "event_guests": form.guests_row,
        "tracking": next(iter(utm_rows.values())),
        **{f"tracking.{key}": row for key, row in utm_rows.items()},
    }
    if parameter in named:
        return named[parameter]
    if _GUEST.match(parameter):
        return form.guests_row
    if parameter.startswith("location"):
        return form.location.row_for(parameter) if form.location is not None else None
    found = _ANSWER.match(parameter)
    if found is not None:
        index = int(found.group(1))
        if index < len(form._sent):
            return form._question_rows[form.questions.index(form._sent[index])]
        return None
    if parameter == "questions_and_answers":
        return _question_named_in(form, message)
    return None


def _question_named_in(form: InviteeForm, message: str) -> FieldRow | None:
    """The question a message quotes (``must answer the required question "X"``); the first
    required one when it quotes none; None when it quotes a question this form lacks."""
    pairs = list(zip(form.questions, form._question_rows, strict=True))
    for field, row in pairs:
        if f"“{field.question.name}”" in message or f'"{field.question.name}"' in message:
            return row
    if re.search(r"[\"“]", message):
        return None
    required = [row for field, row in pairs if field.question.required]
    return required[0] if required else None
