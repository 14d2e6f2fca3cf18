"""The Calendly user (``GET /users/me``, ``/users/{uuid}``)."""

from __future__ import annotations

from desktop.domain.base import Timestamp, UriRecord


class User(UriRecord, frozen=True, kw_only=True):
    """A Calendly user; ``current_organization`` is the organization URI most calls need."""

    name: str
    email: str
    slug: str = ""
    scheduling_url: str = ""
    timezone: str = ""
    avatar_url: str | None = None
    current_organization: str | None = None
    locale: str | None = None  # en, fr, es, de, pt, ... (2026 spec)
    time_notation: str = "12h"  # 12h | 24h (2026 spec; Calendly's default is 12h)
    resource_type: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
