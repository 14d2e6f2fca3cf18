"""What a successful sign-in dialog hands back: checked credentials and who they sign in as."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.api.auth import TokenPair
from desktop.connection.identity import Identity
from desktop.oauth.flow import OAuthSettings


@dataclass(frozen=True)
class TokenSignIn:
    """A personal access token that Calendly accepted (``GET /users/me`` answered)."""

    name: str  # the profile name, whitespace collapsed
    base_url: str  # the API base URL, without a trailing slash
    token: str = field(repr=False)  # stripped, as sent; store it in the keyring only
    identity: Identity

    def __repr__(self) -> str:  # the token never reaches logs or tracebacks
        return (
            f"TokenSignIn(name={self.name!r}, base_url={self.base_url!r}, token=<hidden>, "
            f"identity={self.identity!r})"
        )


@dataclass(frozen=True)
class OAuthSignIn:
    """A finished browser sign-in: the OAuth settings used, the tokens, and the identity."""

    name: str
    base_url: str
    settings: OAuthSettings  # client id and hosts (revoke_url derived from the token URL)
    tokens: TokenPair  # its repr hides both tokens
    identity: Identity
