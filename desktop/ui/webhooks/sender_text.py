"""What the test sender shows of a send: the verdict, the request and the answer, as text."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from desktop.webhooks.sender import SendResult

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


def outcome_text(result: SendResult) -> str:
    """The verdict, what Calendly would do and any warning, one sentence a line."""
    grade = result.grade
    lines = [grade.verdict, *([grade.consequence] if grade.consequence else []), *grade.warnings]
    seconds = QLocale().toString(result.elapsed, "f", 2)
    lines.append(translate("SenderPanel", "Time taken: {seconds} s.").format(seconds=seconds))
    return "\n".join(lines)


def request_text(result: SendResult) -> str:
    sent = result.request
    head = [f"{sent.method} {sent.url}", *(f"{name}: {value}" for name, value in sent.headers)]
    return "\n".join(head) + "\n\n" + sent.body.decode("utf-8", "backslashreplace")


def response_text(result: SendResult) -> str:
    answer = result.response
    if answer is None:
        return translate("SenderPanel", "No answer: {why}").format(why=result.failure_detail or "")
    head = [f"{answer.status} {answer.reason}".strip()]
    head += [f"{name}: {value}" for name, value in answer.headers]
    cut = (
        translate("SenderPanel", "\n[cut: only the first 16 KB are kept]")
        if answer.truncated
        else ""
    )
    return "\n".join(head) + "\n\n" + answer.body + cut
