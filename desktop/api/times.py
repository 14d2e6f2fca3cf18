"""Timestamps going to Calendly: aware datetimes only, written UTC with microseconds and Z."""

from __future__ import annotations

from datetime import UTC, datetime


def aware(name: str, value: datetime) -> datetime:
    """``value`` unchanged if it is timezone-aware; ``ValueError`` naming ``name`` if naive.

    A naive datetime is the one thing the client refuses itself: it would silently be read
    in the machine's zone. Windows, limits and "not in the past" are Calendly's to judge.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, not a naive one")
    return value


def wire_time(name: str, value: datetime) -> str:
    """An aware datetime as Calendly writes them: UTC, microseconds, ``Z``."""
    return aware(name, value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
