"""A booking made in the embed (Calendly's ``event_scheduled`` message): its event and invitee
read back through the client, but only from this connection's API, and the action log told."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from desktop.domain.invitees import Invitee
from desktop.domain.scheduled_events import ScheduledEvent
from desktop.ui.failures import describe
from desktop.ui.org.event_text import format_moment
from desktop.ui.page_context import PageContext


async def read_booking(
    context: PageContext, payload: dict[str, Any], note: QLabel
) -> tuple[ScheduledEvent, Invitee] | None:
    """The event and invitee the message names, read through the client; None (said on
    ``note``) when they are not this connection's or cannot be read."""
    client = context.connection.client
    event_uri = _uri(payload, "event")
    invitee_uri = _uri(payload, "invitee")
    api = urlsplit(client.base_url).netloc.lower()
    if not _is_api_uri(event_uri, api, 2) or not _is_api_uri(invitee_uri, api, 4):
        note.setText(
            QCoreApplication.translate(
                "EmbedLab", "The embed reported a booking this connection cannot read."
            )
        )
        return None
    note.setText(QCoreApplication.translate("EmbedLab", "Reading the new booking…"))
    try:
        event, invitee = await asyncio.gather(
            client.scheduled_events.get(event_uri),
            client.scheduled_events.get_invitee(invitee_uri),
        )
    except asyncio.CancelledError:
        raise
    except Exception as error:
        note.setText(
            describe(QCoreApplication.translate("EmbedLab", "Reading the new booking"), error)
        )
        return None
    return event, invitee


def booked_text(event: ScheduledEvent, invitee: Invitee) -> str:
    """The note about a booking read back: what, when, for whom."""
    return QCoreApplication.translate(
        "EmbedLab", "Booked: {event} on {when} for {name} <{email}>."
    ).format(
        event=event.name or QCoreApplication.translate("EmbedLab", "a meeting"),
        when=format_moment(event.start_time),
        name=invitee.name,
        email=invitee.email,
    )


def _uri(payload: dict[str, Any], key: str) -> str:
    part = payload.get(key)
    value = part.get("uri") if isinstance(part, dict) else None
    return value if isinstance(value, str) else ""


def _is_api_uri(uri: str, api_netloc: str, depth: int) -> bool:
    """``uri`` is on this connection's API host, under /scheduled_events, ``depth`` segments
    deep (2: an event; 4: an invitee): the embed's word is not trusted to send the token
    anywhere else."""
    parts = urlsplit(uri)
    segments = [s for s in parts.path.split("/") if s]
    return (
        parts.scheme in ("http", "https")
        and parts.netloc.lower() == api_netloc
        and len(segments) == depth
        and segments[0] == "scheduled_events"
        and (depth == 2 or segments[2] == "invitees")
    )


async def record_booking(context: PageContext, event: ScheduledEvent, invitee: Invitee) -> None:
    """The action log: a booking made through the embed lab, by whom for whom."""
    if context.action_log is None:
        return
    label = f"{invitee.name} <{invitee.email}> — {event.name or ''}".strip(" —")
    details = {"via": "embed", "event": event.uri, "booked_by": context.action_context().actor_name}
    try:
        await context.action_log.record(
            context.action_context(), "invitee.book", invitee.uri, label, details
        )
    except Exception as error:  # the booking stands; a failing log is reported, not raised
        if context.report is not None:
            context.report(QCoreApplication.translate("EmbedLab", "Writing the action log"), error)
