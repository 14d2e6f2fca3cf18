"""Plain-words messages for failures: what went wrong and what the user can do about it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.api.errors import (
    APIStatusError,
    CalendlyError,
    ConnectionFailed,
    MalformedResponse,
    PermissionDenied,
    RateLimited,
    ServerError,
    SignInRequired,
    Unauthenticated,
)
from desktop.secrets import SecretStoreError


def describe(what: str, error: BaseException) -> str:
    """ "<what> failed: <why>. <what to do>." for any exception a task can raise."""
    return QCoreApplication.translate("Failures", "{what} failed: {why}").format(
        what=what, why=_why(error)
    )


def _why(error: BaseException) -> str:
    if isinstance(error, SignInRequired):
        return QCoreApplication.translate(
            "Failures", "the sign-in is no longer valid. Sign in again to continue."
        )
    if isinstance(error, MalformedResponse) and not isinstance(error, ConnectionFailed):
        return QCoreApplication.translate(
            "Failures", "the server sent an answer that could not be read. Try again later."
        )
    if isinstance(error, ConnectionFailed):
        return QCoreApplication.translate(
            "Failures",
            "the server could not be reached. Check your network connection, then refresh (F5).",
        )
    if isinstance(error, RateLimited):
        wait = error.retry_after
        if wait is not None:
            return QCoreApplication.translate(
                "Failures", "Calendly's request limit was reached. Try again in {n} s."
            ).format(n=max(1, round(wait)))
        return QCoreApplication.translate(
            "Failures", "Calendly's request limit was reached. Try again in a minute."
        )
    if isinstance(error, Unauthenticated):
        return QCoreApplication.translate(
            "Failures", "Calendly did not accept the sign-in. Sign in again to continue."
        )
    if isinstance(error, PermissionDenied):
        return QCoreApplication.translate(
            "Failures", "{message} Ask an owner or admin of the organization."
        ).format(message=error.message)
    if isinstance(error, ServerError):
        return QCoreApplication.translate(
            "Failures", "Calendly had a problem ({status}). Try again in a few minutes."
        ).format(status=error.status)
    if isinstance(error, APIStatusError):
        return f"{error.title}: {error.message}"
    if isinstance(error, SecretStoreError):
        return QCoreApplication.translate(
            "Failures", "{message} Check that the system keyring is unlocked."
        ).format(message=str(error))
    if isinstance(error, CalendlyError):
        return error.message
    # Only the kind: an exception's text can hold internal ids or worse; the log has it all.
    return QCoreApplication.translate(
        "Failures", "an unexpected error ({kind}). Details are in the log file."
    ).format(kind=type(error).__name__)
