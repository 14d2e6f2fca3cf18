"""Why a sign-in did not produce tokens; no message ever carries a code or a token."""

from __future__ import annotations

from desktop.api.errors import CalendlyError


class SignInFailed(CalendlyError):
    """Base of the sign-in errors (a refused refresh is ``desktop.api.SignInRequired``)."""


class SignInTimedOut(SignInFailed):
    """The browser never came back to the loopback listener in time."""


class SignInCancelled(SignInFailed):
    """The user cancelled the sign-in (``LoopbackListener.cancel``)."""


class AuthorizationFailed(SignInFailed):
    """The authorization server sent the browser back with ``error=...`` (RFC 6749 §4.1.2.1)."""

    def __init__(self, error: str, description: str = "") -> None:
        text = f"Sign-in failed ({error})"
        super().__init__(f"{text}: {description}" if description else f"{text}.")
        self.error = error
        self.description = description


class AuthorizationDenied(AuthorizationFailed):
    """``error=access_denied``: the user chose Deny on the consent page."""


class OAuthRequestFailed(SignInFailed):
    """The token or revocation endpoint answered an error (RFC 6749 §5.2)."""

    def __init__(self, status: int, error: str, description: str = "") -> None:
        text = f"The sign-in server refused the request ({status} {error})"
        super().__init__(f"{text}: {description}" if description else f"{text}.")
        self.status = status
        self.error = error
        self.description = description
