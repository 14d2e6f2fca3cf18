"""Availability on the wire: schedules, busy times, available times (facts §3.13-§3.15)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso


def rules(value: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """AvailabilityRule items: ``type`` and ``intervals``, plus ``wday`` or ``date``."""
    rendered = []
    for rule in value or []:
        item: dict[str, Any] = {
            "type": rule["type"],
            "intervals": [{"from": i["from"], "to": i["to"]} for i in rule.get("intervals") or []],
        }
        key = "wday" if rule["type"] == "wday" else "date"
        if rule.get(key) is not None:
            item[key] = rule[key]
        rendered.append(item)
    return rendered


def schedule(state: SandboxState, record: Record) -> dict[str, Any]:
    return {
        "uri": state.uris.of("user_availability_schedules", record["id"]),
        "default": bool(record["is_default"]),
        "name": record["name"],
        "user": state.uris.user(record["user"]),
        "timezone": record["timezone"],
        "rules": rules(record.get("rules")),
    }


def event_type_schedule(
    state: SandboxState, event_type_id: str, user_id: str, record: Record | None
) -> dict[str, Any]:
    """EventTypeAvailabilitySchedule: one host's schedule as used by the event type.

    ``record`` is a user availability schedule, or an ``event_type_schedules`` row (rules
    set on the event type itself, which no user schedule URI names), or None.
    """
    rule: dict[str, Any] = {"user": state.uris.user(user_id)}
    if record is None:  # the host has no schedule at all: never available
        rule.update({"timezone": "UTC", "name": None, "rules": []})
    elif "event_type" in record:  # the host's own rules for this event type: no schedule URI
        rule.update(
            {"timezone": record["timezone"], "name": None, "rules": rules(record.get("rules"))}
        )
    else:
        rule.update(
            {
                "timezone": record["timezone"],
                "uri": state.uris.of("user_availability_schedules", record["id"]),
                "name": record["name"],
                "rules": rules(record.get("rules")),
            }
        )
    return {
        "event_type": state.uris.of("event_types", event_type_id),
        "availability_setting": "host",
        "availability_rule": rule,
    }


def busy_event(state: SandboxState, event: Record) -> dict[str, Any]:
    """A Calendly event as a busy time (no buffers are modelled: buffered = actual)."""
    return {
        "type": "calendly",
        "start_time": event["start_time"],
        "end_time": event["end_time"],
        "buffered_start_time": event["start_time"],
        "buffered_end_time": event["end_time"],
        "event": {"uri": state.uris.of("scheduled_events", event["id"])},
    }


def busy_block(block: Record) -> dict[str, Any]:
    """An external calendar event as a busy time."""
    return {"type": "external", "start_time": block["start_time"], "end_time": block["end_time"]}


def available_time(event_type_url: str, start: datetime, invitees_remaining: int) -> dict[str, Any]:
    """One open slot, with the booking page deep link Calendly gives for it."""
    moment = start.astimezone(UTC)
    link = (
        f"{event_type_url}/{moment:%Y-%m-%dT%H:%M:%S}Z?month={moment:%Y-%m}&date={moment:%Y-%m-%d}"
    )
    return {
        "status": "available",
        "invitees_remaining": invitees_remaining,
        "start_time": iso(moment),
        "scheduling_url": link,
    }
