"""How routing forms and their submissions read: labels, table cells and detail panels."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QCoreApplication

from desktop.domain.invitees import Invitee, Tracking
from desktop.domain.routing_forms import (
    RoutingForm,
    RoutingFormQuestion,
    RoutingFormSubmission,
    SubmissionResult,
)
from desktop.domain.scheduled_events import ScheduledEvent
from desktop.domain.uris import uuid_of
from desktop.ui.models.columns import format_local

TRACKING_FIELDS = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    "utm_term",
    "salesforce_uuid",
)


@dataclass(frozen=True)
class Booking:
    """The meeting a submission led to: its invitee and scheduled event."""

    invitee: Invitee
    event: ScheduledEvent


def status_label(form: RoutingForm) -> str:
    return {
        "published": QCoreApplication.translate("RoutingForms", "Published"),
        "draft": QCoreApplication.translate("RoutingForms", "Draft"),
    }.get(form.status, form.status)


def question_type_label(kind: str) -> str:
    labels = {
        "name": QCoreApplication.translate("RoutingForms", "Name"),
        "text": QCoreApplication.translate("RoutingForms", "Short text"),
        "email": QCoreApplication.translate("RoutingForms", "E-mail"),
        "phone": QCoreApplication.translate("RoutingForms", "Phone number"),
        "textarea": QCoreApplication.translate("RoutingForms", "Long text"),
        "select": QCoreApplication.translate("RoutingForms", "Drop-down"),
        "radios": QCoreApplication.translate("RoutingForms", "Single choice"),
    }
    return labels.get(kind, kind.replace("_", " "))


def result_type_label(result: SubmissionResult | None) -> str:
    if result is None:
        return QCoreApplication.translate("RoutingForms", "No result")
    labels = {
        "event_type": QCoreApplication.translate("RoutingForms", "Event type"),
        "external_url": QCoreApplication.translate("RoutingForms", "External URL"),
        "custom_message": QCoreApplication.translate("RoutingForms", "Custom message"),
    }
    return labels.get(result.type, result.type.replace("_", " "))


def result_text(result: SubmissionResult | None, event_type_names: dict[str, str]) -> str:
    """A table cell: the event type's name, the URL, or the message's headline."""
    if result is None:
        return ""
    if result.event_type is not None:
        return event_type_names.get(result.event_type) or QCoreApplication.translate(
            "RoutingForms", "Event type {id}"
        ).format(id=uuid_of(result.event_type))
    if result.external_url is not None:
        return result.external_url
    if result.custom_message is not None:
        return result.custom_message.headline or result.custom_message.body
    return result.value if isinstance(result.value, str) else ""


def submitter_text(submission: RoutingFormSubmission, form: RoutingForm | None) -> str:
    """Who filled it in, from the answers to the form's name and e-mail questions."""
    kinds = {q.uuid: q.type for q in form.questions} if form is not None else {}
    name = email = None
    for item in submission.questions_and_answers:
        kind = kinds.get(item.question_uuid or "")
        if kind == "name" and item.answer and name is None:
            name = item.answer
        elif kind == "email" and item.answer and email is None:
            email = item.answer
    if name and email:
        return QCoreApplication.translate("RoutingForms", "{name} <{email}>").format(
            name=name, email=email
        )
    return name or email or QCoreApplication.translate("RoutingForms", "Anonymous")


def event_uri_of(invitee_uri: str) -> str:
    """The scheduled event an invitee URI is nested under."""
    head, found, _ = invitee_uri.rpartition("/invitees/")
    return head if found else ""


# -- detail panels ------------------------------------------------------------------------------
def _row(label: str, value_html: str) -> str:
    return f"<tr><th align='left' valign='top'>{escape(label)}</th><td>{value_html}</td></tr>"


def _table(rows: list[str]) -> str:
    return "<table>" + "".join(rows) + "</table>"


def _link(url: str, text: str | None = None) -> str:
    return f"<a href='{escape(url, quote=True)}'>{escape(text or url)}</a>"


def _question_html(question: RoutingFormQuestion) -> str:
    facts = [question_type_label(question.type)]
    facts.append(
        QCoreApplication.translate("RoutingForms", "required")
        if question.required
        else QCoreApplication.translate("RoutingForms", "optional")
    )
    text = f"{escape(question.name)} <small>({escape(', '.join(facts))})</small>"
    if question.answer_choices:
        text += "<ul>" + "".join(f"<li>{escape(c)}</li>" for c in question.answer_choices)
        text += "</ul>"
    return text


def form_html(form: RoutingForm) -> str:
    rows = [_row(QCoreApplication.translate("RoutingForms", "Status"), escape(status_label(form)))]
    if form.created_at is not None:
        rows.append(
            _row(
                QCoreApplication.translate("RoutingForms", "Created"),
                escape(format_local(form.created_at)),
            )
        )
    if form.updated_at is not None:
        rows.append(
            _row(
                QCoreApplication.translate("RoutingForms", "Updated"),
                escape(format_local(form.updated_at)),
            )
        )
    parts = [f"<h3>{escape(form.name)}</h3>", _table(rows)]
    parts.append(f"<h4>{escape(QCoreApplication.translate('RoutingForms', 'Questions'))}</h4>")
    if form.questions:
        items = "".join(f"<li>{_question_html(q)}</li>" for q in form.questions)
        parts.append(f"<ol>{items}</ol>")
    else:
        parts.append(
            f"<p>{escape(QCoreApplication.translate('RoutingForms', 'No questions.'))}</p>"
        )
    return "".join(parts)


def _answers_html(submission: RoutingFormSubmission) -> str:
    if not submission.questions_and_answers:
        return f"<p>{escape(QCoreApplication.translate('RoutingForms', 'No answers.'))}</p>"
    rows = [
        _row(
            item.question,
            escape(item.answer)
            if item.answer
            else f"<i>{escape(QCoreApplication.translate('RoutingForms', '—'))}</i>",
        )
        for item in submission.questions_and_answers
    ]
    return _table(rows)


def _tracking_html(tracking: Tracking | None) -> str:
    rows = []
    for name in TRACKING_FIELDS:
        value = getattr(tracking, name, None) if tracking is not None else None
        if value:
            rows.append(_row(name, escape(value)))
    if not rows:
        return (
            "<p>"
            + escape(QCoreApplication.translate("RoutingForms", "No tracking parameters."))
            + "</p>"
        )
    return _table(rows)


def _result_html(
    result: SubmissionResult | None, event_type_names: dict[str, str], links: dict[str, str]
) -> str:
    if result is None:
        return (
            "<p>"
            + escape(
                QCoreApplication.translate("RoutingForms", "The submission has no routing result.")
            )
            + "</p>"
        )
    kind = escape(result_type_label(result))
    if result.event_type is not None:
        name = result_text(result, event_type_names)
        page = links.get(result.event_type)  # its booking page, once known
        return f"<p>{kind}: {_link(page, name) if page else escape(name)}</p>"
    if result.external_url is not None:
        return f"<p>{kind}: {_link(result.external_url)}</p>"
    message = result.custom_message
    if message is not None:
        return (
            f"<p>{kind}:</p><blockquote><b>{escape(message.headline)}</b>"
            f"<br>{escape(message.body)}</blockquote>"
        )
    return f"<p>{kind}: {escape(result_text(result, event_type_names))}</p>"


def _booking_html(submission: RoutingFormSubmission, booking: Booking | str | None) -> str:
    submitter = submission.submitter
    if not submitter:
        return (
            "<p>"
            + escape(
                QCoreApplication.translate(
                    "RoutingForms", "No meeting was booked from this submission."
                )
            )
            + "</p>"
        )
    event_uri = booking.event.uri if isinstance(booking, Booking) else event_uri_of(submitter)
    rows = []
    if isinstance(booking, Booking):
        event, invitee = booking.event, booking.invitee
        rows.append(
            _row(
                QCoreApplication.translate("RoutingForms", "Meeting"),
                escape(event.name or QCoreApplication.translate("RoutingForms", "(no name)")),
            )
        )
        rows.append(
            _row(
                QCoreApplication.translate("RoutingForms", "Starts"),
                escape(format_local(event.start_time)),
            )
        )
        status = (
            QCoreApplication.translate("RoutingForms", "Canceled")
            if event.status == "canceled"
            else QCoreApplication.translate("RoutingForms", "Active")
        )
        rows.append(_row(QCoreApplication.translate("RoutingForms", "Status"), escape(status)))
        rows.append(
            _row(
                QCoreApplication.translate("RoutingForms", "Invitee"),
                escape(f"{invitee.name} <{invitee.email}>"),
            )
        )
    if event_uri:
        rows.append(_row(QCoreApplication.translate("RoutingForms", "Event"), _link(event_uri)))
    rows.append(_row(QCoreApplication.translate("RoutingForms", "Invitee link"), _link(submitter)))
    text = _table(rows)
    if isinstance(booking, str):
        text += f"<p><i>{escape(booking)}</i></p>"
    return text


def submission_html(
    submission: RoutingFormSubmission,
    form: RoutingForm | None,
    event_type_names: dict[str, str],
    event_type_links: dict[str, str],
    booking: Booking | str | None,
) -> str:
    """Answers, tracking, the routing result and the booking (``booking`` may be a message:
    loading, or why it could not be loaded). Event types routed to are named and linked to
    their booking pages when known (URI -> text in the two mappings)."""
    title = submitter_text(submission, form)
    facts = []
    if form is not None:
        facts.append(_row(QCoreApplication.translate("RoutingForms", "Form"), escape(form.name)))
    if submission.created_at is not None:
        facts.append(
            _row(
                QCoreApplication.translate("RoutingForms", "Submitted"),
                escape(format_local(submission.created_at)),
            )
        )
    return "".join(
        (
            f"<h3>{escape(title)}</h3>",
            _table(facts),
            f"<h4>{escape(QCoreApplication.translate('RoutingForms', 'Answers'))}</h4>",
            _answers_html(submission),
            f"<h4>{escape(QCoreApplication.translate('RoutingForms', 'Tracking'))}</h4>",
            _tracking_html(submission.tracking),
            f"<h4>{escape(QCoreApplication.translate('RoutingForms', 'Routing result'))}</h4>",
            _result_html(submission.result, event_type_names, event_type_links),
            f"<h4>{escape(QCoreApplication.translate('RoutingForms', 'Booking'))}</h4>",
            _booking_html(submission, booking),
        )
    )
