"""An input for each kind of custom question: one line, lines, phone, single or multiple choice.

Each field gives its answer as ``POST /invitees`` wants it (a multiple choice: one choice per
line) and says what is wrong with it before anything is sent: a required question left empty,
a phone number that is not one, a choice that is not offered ("Other" only where the question
allows it), an answer over 10,000 characters.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.event_types import CustomQuestion
from desktop.ui.booking import checks


class QuestionField(QWidget):
    """The input for one question; ``edited`` when the answer changes."""

    edited = Signal()

    def __init__(self, question: CustomQuestion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setAccessibleName(question.name)

    @property
    def focus_widget(self) -> QWidget:
        """What Tab reaches and the question's message describes."""
        return self

    def inputs(self) -> list[QWidget]:
        """Its inputs in Tab order."""
        return [self.focus_widget]

    def answer(self) -> str:
        """The answer to send; empty when unanswered."""
        return ""

    def problem(self) -> str | None:
        """What Calendly would refuse in this answer, in words (None: nothing)."""
        return checks.check_answer(self.answer(), required=self.question.required)


class TextQuestion(QuestionField):
    """``string`` (one line), ``text`` (several lines) and ``phone_number``."""

    def __init__(self, question: CustomQuestion, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit: QLineEdit | QPlainTextEdit
        if question.type == "text":
            lines = QPlainTextEdit()
            lines.setTabChangesFocus(True)
            lines.setFixedHeight(lines.fontMetrics().lineSpacing() * 4 + 12)
            lines.textChanged.connect(self.edited)
            self.edit = lines
        else:
            line = QLineEdit()
            line.textChanged.connect(self.edited)
            if question.type == "phone_number":
                line.setPlaceholderText(
                    QCoreApplication.translate("BookingQuestions", "+1 415 555 0100")
                )
            self.edit = line
        self.edit.setAccessibleName(question.name)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    @property
    def focus_widget(self) -> QWidget:
        return self.edit

    def text(self) -> str:
        if isinstance(self.edit, QPlainTextEdit):
            return self.edit.toPlainText()
        return self.edit.text()

    def answer(self) -> str:
        return self.text().strip()

    def problem(self) -> str | None:
        if self.question.type == "phone_number":
            return checks.check_phone(
                self.text(),
                QCoreApplication.translate("BookingQuestions", "a phone number"),
                required=self.question.required,
            )
        return checks.check_answer(self.text(), required=self.question.required)


class SingleChoiceQuestion(QuestionField):
    """One of the choices (or, when the question allows it, "Other" with a text)."""

    def __init__(self, question: CustomQuestion, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.setAccessibleName(question.name)
        self.combo.addItem(QCoreApplication.translate("BookingQuestions", "Choose…"), None)
        for choice in question.answer_choices:
            self.combo.addItem(choice, choice)
        self.other = QLineEdit()
        self.other.setAccessibleName(
            QCoreApplication.translate("BookingQuestions", "Other answer to: {question}").format(
                question=question.name
            )
        )
        self.other.setPlaceholderText(QCoreApplication.translate("BookingQuestions", "Your answer"))
        if question.include_other:
            self.combo.addItem(QCoreApplication.translate("BookingQuestions", "Other…"), "")
        self.other.setVisible(False)
        self.combo.currentIndexChanged.connect(self._picked)
        self.other.textChanged.connect(self.edited)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.other, 1)
        self.setFocusProxy(self.combo)

    @property
    def focus_widget(self) -> QWidget:
        return self.combo

    def inputs(self) -> list[QWidget]:
        return [self.combo, self.other]

    def _picked(self, _index: int) -> None:
        self.other.setVisible(self.choosing_other)
        self.edited.emit()

    @property
    def choosing_other(self) -> bool:
        return bool(self.combo.currentData() == "")

    def choose(self, text: str) -> None:
        """Pick the choice ``text`` (or "Other" with ``text`` when it is not a choice)."""
        index = self.combo.findData(text)
        if index < 0 and self.question.include_other:
            self.combo.setCurrentIndex(self.combo.findData(""))
            self.other.setText(text)
        else:
            self.combo.setCurrentIndex(max(index, 0))

    def answer(self) -> str:
        if self.choosing_other:
            return self.other.text().strip()
        value = self.combo.currentData()
        return value if isinstance(value, str) else ""

    def problem(self) -> str | None:
        if self.choosing_other and not self.other.text().strip():
            return QCoreApplication.translate(
                "BookingQuestions", "Enter the other answer, or choose one of the answers."
            )
        if self.question.required and not self.answer():
            return QCoreApplication.translate("BookingQuestions", "Choose an answer.")
        return checks.check_answer(self.answer(), required=False)


class MultipleChoiceQuestion(QuestionField):
    """Any of the choices (and "Other" with a text, when the question allows it)."""

    def __init__(self, question: CustomQuestion, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.boxes: list[QCheckBox] = []
        for choice in question.answer_choices:
            box = QCheckBox(choice)
            box.setAccessibleName(choice)
            box.setAccessibleDescription(
                QCoreApplication.translate("BookingQuestions", "A choice of: {question}").format(
                    question=question.name
                )
            )
            box.toggled.connect(self.edited)
            self.boxes.append(box)
            layout.addWidget(box)
        self.other_box: QCheckBox | None = None
        self.other = QLineEdit()
        self.other.setAccessibleName(
            QCoreApplication.translate("BookingQuestions", "Other answer to: {question}").format(
                question=question.name
            )
        )
        self.other.setPlaceholderText(QCoreApplication.translate("BookingQuestions", "Your answer"))
        self.other.setVisible(False)
        self.other.textChanged.connect(self.edited)
        if question.include_other:
            other_box = QCheckBox(QCoreApplication.translate("BookingQuestions", "Other"))
            other_box.setAccessibleName(QCoreApplication.translate("BookingQuestions", "Other"))
            other_box.setAccessibleDescription(
                QCoreApplication.translate(
                    "BookingQuestions", "Another answer to: {question}"
                ).format(question=question.name)
            )
            other_box.toggled.connect(self._other_toggled)
            self.other_box = other_box
            row = QHBoxLayout()
            row.addWidget(other_box)
            row.addWidget(self.other, 1)
            layout.addLayout(row)
        if self.inputs():
            self.setFocusProxy(self.inputs()[0])

    @property
    def focus_widget(self) -> QWidget:
        found = self.inputs()
        return found[0] if found else self

    def inputs(self) -> list[QWidget]:
        found: list[QWidget] = list(self.boxes)
        if self.other_box is not None:
            found += [self.other_box, self.other]
        return found

    def _other_toggled(self, on: bool) -> None:
        self.other.setVisible(on)
        self.edited.emit()

    def choose(self, texts: list[str]) -> None:
        for box in self.boxes:
            box.setChecked(box.text() in texts)
        extra = [t for t in texts if t not in self.question.answer_choices]
        if extra and self.other_box is not None:
            self.other_box.setChecked(True)
            self.other.setText(extra[0])

    def picked(self) -> list[str]:
        found = [box.text() for box in self.boxes if box.isChecked()]
        if self.other_box is not None and self.other_box.isChecked() and self.other.text().strip():
            found.append(self.other.text().strip())
        return found

    def answer(self) -> str:
        return "\n".join(self.picked())

    def problem(self) -> str | None:
        if (
            self.other_box is not None
            and self.other_box.isChecked()
            and not self.other.text().strip()
        ):
            return QCoreApplication.translate(
                "BookingQuestions", "Enter the other answer, or clear “Other”."
            )
        if self.question.required and not self.picked():
            return QCoreApplication.translate("BookingQuestions", "Choose at least one answer.")
        return checks.check_answer(self.answer(), required=False)


def question_field(question: CustomQuestion) -> QuestionField:
    """The input for ``question``'s type (an unknown type gets one line of text)."""
    if question.type == "single_select":
        return SingleChoiceQuestion(question)
    if question.type == "multi_select":
        return MultipleChoiceQuestion(question)
    return TextQuestion(question)


def asked(questions: tuple[CustomQuestion, ...]) -> list[CustomQuestion]:
    """The questions the booking asks: the enabled ones, in their order."""
    enabled = [(q.position, order, q) for order, q in enumerate(questions) if q.enabled]
    return [q for _, _, q in sorted(enabled, key=lambda item: (item[0], item[1]))]
