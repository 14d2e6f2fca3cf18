"""Event names for people, translated (the Qt-free modules keep them in English)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.webhooks import payloads
from desktop.webhooks.scopes import EVENTS

# The labels of ``desktop.webhooks.scopes.EVENTS`` and ``desktop.webhooks.payloads.LABELS``,
# marked here so that lupdate offers them to translators (a test keeps the lists complete).
SUBSCRIBABLE = (
    QT_TRANSLATE_NOOP("WebhookEvents", "A meeting was booked"),
    QT_TRANSLATE_NOOP("WebhookEvents", "A meeting was canceled"),
    QT_TRANSLATE_NOOP("WebhookEvents", "An invitee was marked as a no-show"),
    QT_TRANSLATE_NOOP("WebhookEvents", "A no-show mark was removed"),
    QT_TRANSLATE_NOOP("WebhookEvents", "A routing form was submitted"),
    QT_TRANSLATE_NOOP("WebhookEvents", "A meeting recap was made"),
    QT_TRANSLATE_NOOP("WebhookEvents", "A meeting recap was updated"),
    QT_TRANSLATE_NOOP("WebhookEvents", "A meeting recap was deleted"),
    QT_TRANSLATE_NOOP("WebhookEvents", "A contact was added"),
    QT_TRANSLATE_NOOP("WebhookEvents", "A contact was updated"),
    QT_TRANSLATE_NOOP("WebhookEvents", "A contact was deleted"),
)
SENDABLE = (
    QT_TRANSLATE_NOOP("Events", "Invitee created"),
    QT_TRANSLATE_NOOP("Events", "Invitee canceled"),
    QT_TRANSLATE_NOOP("Events", "Invitee rescheduled (canceled, then created)"),
    QT_TRANSLATE_NOOP("Events", "Invitee marked as no-show"),
    QT_TRANSLATE_NOOP("Events", "Invitee no-show removed"),
    QT_TRANSLATE_NOOP("Events", "Routing form submitted"),
    QT_TRANSLATE_NOOP("Events", "Event type created"),
    QT_TRANSLATE_NOOP("Events", "Event type updated"),
    QT_TRANSLATE_NOOP("Events", "Event type deleted"),
    QT_TRANSLATE_NOOP("Events", "Meeting recap created"),
    QT_TRANSLATE_NOOP("Events", "Meeting recap updated"),
    QT_TRANSLATE_NOOP("Events", "Meeting recap deleted"),
    QT_TRANSLATE_NOOP("Events", "Contact created"),
    QT_TRANSLATE_NOOP("Events", "Contact updated"),
    QT_TRANSLATE_NOOP("Events", "Contact deleted"),
)


def event_label(event: str) -> str:
    """What a subscribable ``event`` means ("A meeting was booked"); unknown ones as named."""
    info = EVENTS.get(event)
    return QCoreApplication.translate("WebhookEvents", info.label) if info else event


def sendable_label(choice: str) -> str:
    """The test sender's name for ``choice`` (an event, or the reschedule pair)."""
    label = payloads.LABELS.get(choice)
    return QCoreApplication.translate("Events", label) if label else choice
