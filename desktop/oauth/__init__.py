"""OAuth sign-in without Qt: PKCE, the loopback redirect listener, token grants and revocation."""

from __future__ import annotations

from desktop.oauth.errors import (
    AuthorizationDenied,
    AuthorizationFailed,
    OAuthRequestFailed,
    SignInCancelled,
    SignInFailed,
    SignInTimedOut,
)
from desktop.oauth.flow import (
    OAuthSettings,
    authorization_url,
    exchange_code,
    refresh,
    refresher,
    revoke,
)
from desktop.oauth.loopback import LoopbackListener
from desktop.oauth.pkce import code_challenge, code_verifier, new_state
from desktop.oauth.signin import sign_in

__all__ = [
    "AuthorizationDenied",
    "AuthorizationFailed",
    "LoopbackListener",
    "OAuthRequestFailed",
    "OAuthSettings",
    "SignInCancelled",
    "SignInFailed",
    "SignInTimedOut",
    "authorization_url",
    "code_challenge",
    "code_verifier",
    "exchange_code",
    "new_state",
    "refresh",
    "refresher",
    "revoke",
    "sign_in",
]
