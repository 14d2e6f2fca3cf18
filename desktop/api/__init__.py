"""The async Calendly client: resources, pagination, retries, errors, auth (no Qt)."""

from __future__ import annotations

from desktop.api.auth import BearerAuth, OAuthAuth, TokenPair
from desktop.api.client import CalendlyClient
from desktop.api.errors import (
    APIStatusError,
    BadRequest,
    BookingUnconfirmed,
    CalendlyError,
    Conflict,
    ConnectionFailed,
    IncompleteResponse,
    InsufficientScope,
    MalformedResponse,
    NotFound,
    PermissionDenied,
    RateLimited,
    RequestTimeout,
    ServerError,
    SignInRequired,
    Unauthenticated,
)
from desktop.api.pagination import Page
from desktop.api.transport import RetryPolicy

__all__ = [
    "APIStatusError",
    "BadRequest",
    "BearerAuth",
    "BookingUnconfirmed",
    "CalendlyClient",
    "CalendlyError",
    "Conflict",
    "ConnectionFailed",
    "IncompleteResponse",
    "InsufficientScope",
    "MalformedResponse",
    "NotFound",
    "OAuthAuth",
    "Page",
    "PermissionDenied",
    "RateLimited",
    "RequestTimeout",
    "RetryPolicy",
    "ServerError",
    "SignInRequired",
    "TokenPair",
    "Unauthenticated",
]
