"""Calendly's error bodies: one exception type the HTTP layer renders as JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# The 400 ``details`` a handler collects before answering once for every bad field.
Problems = list[dict[str, str]]

# Canonical titles and default messages per status (calendly-api-facts.md §5.2).
INVALID_ARGUMENT = "Invalid Argument"
INVALID_ARGUMENT_MESSAGE = "The supplied parameters are invalid."
UNAUTHENTICATED = "Unauthenticated"
PERMISSION_DENIED = "Permission Denied"
PERMISSION_MESSAGE = "You do not have permission to access this resource."
NOT_FOUND = "Resource Not Found"
NOT_FOUND_MESSAGE = "The server could not find the requested resource."
INTERNAL = "Internal Server Error"
INTERNAL_MESSAGE = (
    "The server encountered an unexpected condition that prevented it from fulfilling the request."
)


class ApiError(Exception):
    """An error answered with Calendly's body: ``{title, message, details?}``."""

    def __init__(
        self,
        status: int,
        title: str,
        message: str,
        details: list[dict[str, str]] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {title}: {message}")
        self.status = status
        self.title = title
        self.message = message
        self.details = details
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"title": self.title, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        body.update(self.extra)
        return body


def invalid(parameter: str, message: str, code: str | None = None) -> ApiError:
    """400 Invalid Argument naming one parameter."""
    return invalid_many([detail(parameter, message, code)])


def detail(parameter: str, message: str, code: str | None = None) -> dict[str, str]:
    item = {"parameter": parameter, "message": message}
    if code:
        item["code"] = code
    return item


def invalid_many(details: list[dict[str, str]]) -> ApiError:
    return ApiError(400, INVALID_ARGUMENT, INVALID_ARGUMENT_MESSAGE, details)


def bad_request(title: str, message: str) -> ApiError:
    return ApiError(400, title, message)


def unauthenticated(message: str = "The access token is invalid") -> ApiError:
    return ApiError(401, UNAUTHENTICATED, message)


def denied(message: str = PERMISSION_MESSAGE) -> ApiError:
    return ApiError(403, PERMISSION_DENIED, message)


def insufficient_scope(required: list[str]) -> ApiError:
    return ApiError(
        403,
        "Insufficient scope",
        "This operation requires the scopes listed in the 'required_scopes' array.",
        extra={"required_scopes": required},
    )


def not_found(message: str = NOT_FOUND_MESSAGE) -> ApiError:
    return ApiError(404, NOT_FOUND, message)


def conflict(message: str = "The resource already exists") -> ApiError:
    return ApiError(409, "Already Exists", message)


def internal() -> ApiError:
    return ApiError(500, INTERNAL, INTERNAL_MESSAGE)


def gather(problems: list[dict[str, str]], parse: Callable[[], T]) -> T | None:
    """Run one check; a 400 adds its details to ``problems`` so one answer names every field."""
    try:
        return parse()
    except ApiError as error:
        if error.status != 400:
            raise
        problems.extend(error.details or [])
        return None
