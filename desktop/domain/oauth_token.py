"""The OAuth token response; its repr never shows a token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from desktop.domain.base import Record


class _Hidden:
    """Stands in for a secret in reprs."""

    def __repr__(self) -> str:
        return "<hidden>"


_HIDDEN = _Hidden()
_SECRET_FIELDS = frozenset({"access_token", "refresh_token"})


class OAuthToken(Record, frozen=True, kw_only=True):
    """``POST /oauth/token``'s answer (both grants).

    Refresh tokens are single-use: each refresh returns a new pair and revokes the old one.
    ``created_at`` is Unix seconds. ``repr``/``str`` (and rich's repr) hide both tokens, so a
    token logged or put in an exception by mistake shows as ``<hidden>``.
    """

    access_token: str
    refresh_token: str | None = None
    token_type: str = "Bearer"  # noqa: S105 - the scheme's name, not a secret
    expires_in: int | None = None  # seconds; Calendly's access tokens live 2 hours
    created_at: int | None = None  # Unix seconds
    scope: str = ""  # space-separated
    owner: str | None = None  # user URI
    organization: str | None = None  # organization URI

    def _safe_fields(self) -> Iterator[tuple[str, Any]]:
        for name in self.__struct_fields__:
            value = getattr(self, name)
            yield name, (_HIDDEN if name in _SECRET_FIELDS and value is not None else value)

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value!r}" for name, value in self._safe_fields())
        return f"OAuthToken({inner})"

    def __rich_repr__(self) -> list[tuple[str, Any]]:
        return list(self._safe_fields())

    @property
    def expires_at(self) -> int | None:
        """Unix seconds when the access token expires, if the response said."""
        if self.created_at is None or self.expires_in is None:
            return None
        return self.created_at + self.expires_in

    def expires_within(self, seconds: float, now: float) -> bool:
        """True if the access token is expired or will be within ``seconds`` of ``now``
        (Unix seconds): the auth flow refreshes ahead of expiry with this."""
        expires_at = self.expires_at
        return expires_at is not None and now + seconds >= expires_at

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.scope.split())
