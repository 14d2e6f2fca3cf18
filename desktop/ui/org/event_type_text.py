"""How an event type reads: labels for its kind, pooling and locations, and its detail panel."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QCoreApplication, QLocale

from desktop.domain.event_types import CustomQuestion, EventType, LocationConfiguration
from desktop.ui.models.columns import format_local


def kind_label(event_type: EventType) -> str:
    """One-on-one, group or one-off (an ad-hoc meeting)."""
    if event_type.is_one_off:
        return QCoreApplication.translate("EventTypes", "One-off meeting")
    if event_type.kind == "group":
        return QCoreApplication.translate("EventTypes", "Group")
    if event_type.kind == "solo":
        return QCoreApplication.translate("EventTypes", "One-on-one")
    return event_type.kind.replace("_", " ")


def pooling_label(pooling: str | None) -> str:
    labels = {
        "round_robin": QCoreApplication.translate("EventTypes", "Round robin"),
        "collective": QCoreApplication.translate("EventTypes", "Collective"),
        "multi_pool": QCoreApplication.translate("EventTypes", "Multi-pool"),
    }
    if pooling is None:
        return ""
    return labels.get(pooling, pooling.replace("_", " "))


def location_kind_label(kind: str) -> str:
    labels = {
        "physical": QCoreApplication.translate("EventTypes", "In person"),
        "outbound_call": QCoreApplication.translate("EventTypes", "Phone call (host calls)"),
        "inbound_call": QCoreApplication.translate("EventTypes", "Phone call (invitee calls)"),
        "google_conference": QCoreApplication.translate("EventTypes", "Google Meet"),
        "zoom_conference": QCoreApplication.translate("EventTypes", "Zoom"),
        "gotomeeting_conference": QCoreApplication.translate("EventTypes", "GoTo Meeting"),
        "microsoft_teams_conference": QCoreApplication.translate("EventTypes", "Microsoft Teams"),
        "webex_conference": QCoreApplication.translate("EventTypes", "Webex"),
        "custom": QCoreApplication.translate("EventTypes", "Custom"),
        "ask_invitee": QCoreApplication.translate("EventTypes", "Asked of the invitee"),
    }
    return labels.get(kind, kind.replace("_", " "))


def question_type_label(kind: str) -> str:
    labels = {
        "string": QCoreApplication.translate("EventTypes", "One line"),
        "text": QCoreApplication.translate("EventTypes", "Multiple lines"),
        "phone_number": QCoreApplication.translate("EventTypes", "Phone number"),
        "single_select": QCoreApplication.translate("EventTypes", "Single choice"),
        "multi_select": QCoreApplication.translate("EventTypes", "Multiple choice"),
    }
    return labels.get(kind, kind.replace("_", " "))


def _ordered(locations: Sequence[LocationConfiguration]) -> list[LocationConfiguration]:
    return sorted(locations, key=lambda loc: loc.position if loc.position is not None else 0)


def locations_summary(event_type: EventType) -> str:
    """A table cell: each location's kind, with the place for in-person ones."""
    parts: list[str] = []
    for location in _ordered(event_type.locations or ()):
        label = location_kind_label(location.kind)
        if location.kind == "physical" and location.location:
            label = QCoreApplication.translate("EventTypes", "{kind}: {place}").format(
                kind=label, place=location.location
            )
        parts.append(label)
    return ", ".join(parts)


def duration_text(event_type: EventType) -> str:
    locale = QLocale()
    text = QCoreApplication.translate("EventTypes", "{minutes} min").format(
        minutes=locale.toString(int(event_type.duration))
    )
    options = [o for o in event_type.duration_options or () if o != event_type.duration]
    if options:
        others = ", ".join(locale.toString(o) for o in event_type.duration_options or ())
        text = QCoreApplication.translate("EventTypes", "{duration} (choice of {options})").format(
            duration=text, options=others
        )
    return text


def owner_name(event_type: EventType) -> str:
    return event_type.profile.name if event_type.profile is not None else ""


def _row(label: str, value: str) -> str:
    return f"<tr><th align='left' valign='top'>{escape(label)}</th><td>{value}</td></tr>"


def link(url: str, text: str | None = None) -> str:
    return f"<a href='{escape(url, quote=True)}'>{escape(text or url)}</a>"


def _location_html(location: LocationConfiguration) -> str:
    parts = [f"<b>{escape(location_kind_label(location.kind))}</b>"]
    if location.location:
        parts.append(escape(location.location))
    if location.phone_number:
        parts.append(escape(location.phone_number))
    if location.additional_info:
        parts.append(f"<i>{escape(location.additional_info)}</i>")
    return " — ".join(parts)


def _question_html(question: CustomQuestion) -> str:
    facts = [question_type_label(question.type)]
    facts.append(
        QCoreApplication.translate("EventTypes", "required")
        if question.required
        else QCoreApplication.translate("EventTypes", "optional")
    )
    if not question.enabled:
        facts.append(QCoreApplication.translate("EventTypes", "turned off"))
    text = f"{escape(question.name)} <small>({escape(', '.join(facts))})</small>"
    choices = list(question.answer_choices)
    if question.include_other:
        choices.append(QCoreApplication.translate("EventTypes", "Other…"))
    if choices:
        items = "".join(f"<li>{escape(c)}</li>" for c in choices)
        text += f"<ul>{items}</ul>"
    return text


def hosts_html(hosts: Sequence[str] | str | None) -> str:
    """Hosts: a list of names, a message (loading, failed) or None (not a team type)."""
    if hosts is None:
        return ""
    heading = f"<h4>{escape(QCoreApplication.translate('EventTypes', 'Hosts'))}</h4>"
    if isinstance(hosts, str):
        return f"{heading}<p><i>{escape(hosts)}</i></p>"
    if not hosts:
        return f"{heading}<p>{escape(QCoreApplication.translate('EventTypes', 'No hosts.'))}</p>"
    return heading + "<ul>" + "".join(f"<li>{escape(h)}</li>" for h in hosts) + "</ul>"


def event_type_html(event_type: EventType, hosts: Sequence[str] | str | None = None) -> str:
    """The detail panel: facts, description, locations, questions, link and hosts."""
    status = (
        QCoreApplication.translate("EventTypes", "Active")
        if event_type.active
        else QCoreApplication.translate("EventTypes", "Inactive")
    )
    rows = [
        _row(QCoreApplication.translate("EventTypes", "Owner"), escape(owner_name(event_type))),
        _row(QCoreApplication.translate("EventTypes", "Status"), escape(status)),
        _row(QCoreApplication.translate("EventTypes", "Kind"), escape(kind_label(event_type))),
    ]
    if event_type.pooling_type:
        rows.append(
            _row(
                QCoreApplication.translate("EventTypes", "Pooling"),
                escape(pooling_label(event_type.pooling_type)),
            )
        )
    rows.append(
        _row(
            QCoreApplication.translate("EventTypes", "Duration"), escape(duration_text(event_type))
        )
    )
    if event_type.booking_method == "poll":
        rows.append(
            _row(
                QCoreApplication.translate("EventTypes", "Booking"),
                escape(QCoreApplication.translate("EventTypes", "Meeting poll")),
            )
        )
    if event_type.secret:
        rows.append(
            _row(
                QCoreApplication.translate("EventTypes", "Visibility"),
                escape(
                    QCoreApplication.translate("EventTypes", "Secret (not listed on the profile)")
                ),
            )
        )
    if event_type.admin_managed:
        rows.append(
            _row(
                QCoreApplication.translate("EventTypes", "Managed"),
                escape(QCoreApplication.translate("EventTypes", "By an admin")),
            )
        )
    rows.append(
        _row(QCoreApplication.translate("EventTypes", "Link"), link(event_type.scheduling_url))
    )
    if event_type.updated_at is not None:
        rows.append(
            _row(
                QCoreApplication.translate("EventTypes", "Updated"),
                escape(format_local(event_type.updated_at)),
            )
        )
    parts = [f"<h3>{escape(event_type.display_name)}</h3>", "<table>", *rows, "</table>"]
    if not event_type.active:
        parts.append(
            "<p><i>"
            + escape(
                QCoreApplication.translate(
                    "EventTypes", "Inactive: it takes no bookings, so it has no single-use links."
                )
            )
            + "</i></p>"
        )
    if event_type.description_plain:
        parts.append(f"<p>{escape(event_type.description_plain)}</p>")
    parts.append(f"<h4>{escape(QCoreApplication.translate('EventTypes', 'Locations'))}</h4>")
    locations = _ordered(event_type.locations or ())
    if locations:
        parts.append("<ul>" + "".join(f"<li>{_location_html(x)}</li>" for x in locations) + "</ul>")
    else:
        _text = escape(
            QCoreApplication.translate("EventTypes", "None set: the host and invitee agree on one.")
        )
        parts.append(f"<p>{_text}</p>")
    parts.append(
        f"<h4>{escape(QCoreApplication.translate('EventTypes', 'Questions for invitees'))}</h4>"
    )
    questions = sorted(event_type.custom_questions, key=lambda q: q.position)
    if questions:
        parts.append("<ol>" + "".join(f"<li>{_question_html(q)}</li>" for q in questions) + "</ol>")
    else:
        parts.append(
            f"<p>{escape(QCoreApplication.translate('EventTypes', 'No custom questions.'))}</p>"
        )
    parts.append(hosts_html(hosts))
    return "".join(parts)
