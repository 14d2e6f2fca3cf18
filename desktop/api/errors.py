"""One error hierarchy for everything the client can meet; no raw httpx exception escapes.

Each status error carries Calendly's ``title`` and ``message`` and, for 400s, the field
``details``; none of them ever carries a token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldProblem:
    """One entry of a 400's ``details``: which parameter, and what is wrong with it."""

    parameter: str | None
    message: str
    code: str | None = None


class CalendlyError(Exception):
    """Base of every error the client raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConnectionFailed(CalendlyError):
    """The request never got an answer: DNS, refused or dropped connection, TLS.

    ``sent`` is False when the request certainly never reached Calendly (the connection
    could not be made), True when it may have been processed.
    """

    sent: bool = True


class RequestTimeout(ConnectionFailed):
    """Connecting, sending or reading took longer than the client's timeout."""


class SignInRequired(CalendlyError):
    """The OAuth refresh token was refused (used, revoked or expired): sign in again."""


class BookingUnconfirmed(CalendlyError):
    """A booking's answer was lost and Calendly could not be asked whether it was made.

    The booking may or may not exist: check the event's invitees (or the invitee's inbox)
    before booking again. ``cause`` is the error that stopped the check.
    """

    def __init__(
        self,
        message: str,
        *,
        event_type: str,
        start_time: str,
        email: str,
        cause: CalendlyError | None = None,
    ) -> None:
        super().__init__(message)
        self.event_type = event_type
        self.start_time = start_time
        self.email = email
        self.cause = cause


class MalformedResponse(CalendlyError):
    """An answer arrived but was not what Calendly sends (not JSON, wrong shape, cut short)."""


class IncompleteResponse(MalformedResponse, ConnectionFailed):
    """The connection broke while the answer's body arrived: an answer cut short.

    Both a malformed answer and a lost connection: Calendly did act on the request (its answer
    had begun), so a non-idempotent request must be reconciled, never sent again blindly.
    """


class APIStatusError(CalendlyError):
    """Calendly answered with an error status."""

    status: int = 0

    def __init__(
        self,
        status: int,
        title: str,
        message: str,
        details: tuple[FieldProblem, ...] = (),
        method: str = "",
        path: str = "",
        body: dict[str, Any] | None = None,
    ) -> None:
        where = f" ({method} {path})" if method else ""
        super().__init__(f"{status} {title}: {message}{where}")
        self.status = status
        self.title = title
        self.message = message
        self.details = details
        self.method = method
        self.path = path
        self.body = body or {}

    def detail_for(self, parameter: str) -> str | None:
        """The message Calendly gave for ``parameter``, if it named it."""
        for problem in self.details:
            if problem.parameter == parameter:
                return problem.message
        return None


class BadRequest(APIStatusError):
    """400: the request was invalid; ``details`` names the fields."""


class Unauthenticated(APIStatusError):
    """401: the token is missing, wrong, expired or revoked."""


class PermissionDenied(APIStatusError):
    """403: the token's user may not do this."""


class InsufficientScope(PermissionDenied):
    """403 "Insufficient scope": the token lacks ``required_scopes``."""

    def __init__(self, *args: Any, required_scopes: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.required_scopes = required_scopes


class NotFound(APIStatusError):
    """404: no such resource (or not visible to this token)."""


class Conflict(APIStatusError):
    """409: the resource already exists (e.g. a webhook for the same URL)."""


class RateLimited(APIStatusError):
    """429: over the rate limit; ``retry_after`` seconds until the window resets, if known."""

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    """5xx: Calendly (or something between) failed."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequest,
    401: Unauthenticated,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    429: RateLimited,
}


def status_error(
    status: int,
    body: Any,
    method: str,
    path: str,
    retry_after: float | None = None,
) -> APIStatusError:
    """The error for an error answer; ``body`` is the decoded JSON (or anything else)."""
    data: dict[str, Any] = body if isinstance(body, dict) else {}
    title = str(data.get("title") or data.get("error") or _default_title(status))
    message = str(data.get("message") or data.get("error_description") or _default_message(status))
    common: dict[str, Any] = {
        "details": _details(data.get("details")),
        "method": method,
        "path": path,
        "body": data,
    }
    if status == 403 and "required_scopes" in data:
        scopes = data.get("required_scopes")
        listed = [scopes] if isinstance(scopes, str) else scopes if isinstance(scopes, list) else []
        required = tuple(str(scope) for scope in listed)
        return InsufficientScope(status, title, message, required_scopes=required, **common)
    if status == 429:
        return RateLimited(status, title, message, retry_after=retry_after, **common)
    kind = _BY_STATUS.get(status, ServerError if status >= 500 else APIStatusError)
    return kind(status, title, message, **common)


def _details(items: Any) -> tuple[FieldProblem, ...]:
    """A 400's ``details``, tolerating a body that is not shaped as documented."""
    if not isinstance(items, list):
        return ()
    return tuple(
        FieldProblem(
            parameter=item.get("parameter") if isinstance(item.get("parameter"), str) else None,
            message=str(item.get("message", "")),
            code=item.get("code") if isinstance(item.get("code"), str) else None,
        )
        for item in items
        if isinstance(item, dict)
    )


def _default_title(status: int) -> str:
    return {
        400: "Invalid Argument",
        401: "Unauthenticated",
        403: "Permission Denied",
        404: "Resource Not Found",
        409: "Already Exists",
        429: "Too Many Requests",
    }.get(status, "Server Error" if status >= 500 else f"HTTP {status}")


def _default_message(status: int) -> str:
    if status == 429:
        return "Too many requests; wait for the rate-limit window to reset."
    if status >= 500:
        return "Calendly could not complete the request; try again shortly."
    return "The request was refused."
