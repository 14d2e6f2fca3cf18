"""The whole browser sign-in: PKCE + state, loopback redirect, code exchange."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from desktop.api.auth import TokenPair
from desktop.oauth.flow import OAuthSettings, authorization_url, exchange_code
from desktop.oauth.loopback import LoopbackListener
from desktop.oauth.pkce import code_challenge, code_verifier, new_state


async def sign_in(
    settings: OAuthSettings,
    open_browser: Callable[[str], None],
    timeout: float = 300.0,  # noqa: ASYNC109 - the user-facing sign-in deadline
    *,
    http: httpx.AsyncClient | None = None,
) -> TokenPair:
    """Open the system browser on the authorization page and wait for its redirect.

    ``open_browser`` gets the authorization URL (the app passes ``QDesktopServices.openUrl``).
    Raises SignInTimedOut, AuthorizationDenied/AuthorizationFailed, OAuthRequestFailed or
    ConnectionFailed; cancelling the task closes the listener. ``http`` (optional) is the
    client for the token request; without one a short-lived client is used.
    """
    verifier = code_verifier()
    state = new_state()
    async with LoopbackListener(state) as listener:
        redirect_uri = listener.redirect_uri
        open_browser(authorization_url(settings, redirect_uri, code_challenge(verifier), state))
        code = await listener.wait(timeout)
    if http is not None:
        return await exchange_code(http, settings, code, redirect_uri, verifier)
    async with httpx.AsyncClient(timeout=30.0) as own:
        return await exchange_code(own, settings, code, redirect_uri, verifier)
