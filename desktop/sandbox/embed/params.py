"""The booking page's URL parameters (facts §8.3): page settings, prefill and tracking."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from desktop.sandbox.booking_fields import MAX_TEXT
from desktop.sandbox.wire import TRACKING_KEYS

HEX = re.compile(r"^[0-9a-fA-F]{6}$")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
PREFILL_KEYS = ("name", "email", "first_name", "last_name", "location", "guests")
ANSWER_KEYS = tuple(f"a{n}" for n in range(1, 11))
# Parameters that belong to one page only: not carried to the next one.
PAGE_ONLY = ("date", "month")

Query = Mapping[str, str]


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes")


def _colour(value: str | None) -> str | None:
    """A 6-digit hex colour without ``#`` (anything else is ignored, as Calendly does)."""
    text = (value or "").strip()
    return f"#{text.lower()}" if HEX.match(text) else None


@dataclass(frozen=True)
class Settings:
    """How the page looks and whether it talks to a parent window."""

    hide_event_type_details: bool = False
    hide_landing_page_details: bool = False
    hide_gdpr_banner: bool = False
    background_color: str | None = None  # "#rrggbb"
    text_color: str | None = None
    primary_color: str | None = None
    embed_domain: str | None = None
    embed_type: str | None = None

    @property
    def embedded(self) -> bool:
        return bool(self.embed_domain)


def settings(query: Query) -> Settings:
    return Settings(
        hide_event_type_details=_flag(query.get("hide_event_type_details")),
        hide_landing_page_details=_flag(query.get("hide_landing_page_details")),
        hide_gdpr_banner=_flag(query.get("hide_gdpr_banner")),
        background_color=_colour(query.get("background_color")),
        text_color=_colour(query.get("text_color")),
        primary_color=_colour(query.get("primary_color")),
        embed_domain=(query.get("embed_domain") or "").strip() or None,
        embed_type=(query.get("embed_type") or "").strip() or None,
    )


def prefill(query: Query) -> dict[str, str]:
    """The form values the URL gives: name, email, first/last name, location, guests, a1..a10."""
    return {key: query[key] for key in (*PREFILL_KEYS, *ANSWER_KEYS) if query.get(key)}


def preselected_date(query: Query) -> date | None:
    try:
        return date.fromisoformat((query.get("date") or "").strip()[:10])
    except ValueError:
        return None


def preselected_month(query: Query) -> str | None:
    day = preselected_date(query)
    if day is not None:
        return f"{day:%Y-%m}"
    text = (query.get("month") or "").strip()
    return text if MONTH.match(text) else None


def tracking(values: Query) -> dict[str, str | None]:
    """The six tracking keys; blank values are null, and values over 255 characters are dropped
    (Calendly's FAQ: longer UTM values may not be captured)."""
    found: dict[str, str | None] = {}
    for key in TRACKING_KEYS:
        value = (values.get(key) or "").strip()
        found[key] = value if value and len(value) <= MAX_TEXT else None
    return found


def carried(query: Query) -> str:
    """The query string the next page keeps (embedding, look, prefill, tracking): ``?...``."""
    kept = [(k, v) for k, v in query.items() if k not in PAGE_ONLY]
    return f"?{urlencode(kept)}" if kept else ""
