"""Consent requests waiting for a decision, authorization codes and PKCE (RFC 7636, S256).

A request shown on the consent page is stored server-side under the SHA-256 of an opaque
handle; the page's form carries only that handle, so nothing the browser sends back is
trusted but the decision and the chosen user. Allow turns it into a code (64 hex characters,
like Calendly's) that expires after ``oauth_code_lifetime`` on the sandbox clock and works once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from desktop.sandbox.auth import token_id
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

# How long a consent page stays answerable (a person may take a while to decide).
PENDING_LIFETIME = timedelta(hours=1)
# RFC 7636 §4.1 / §4.2: unreserved characters; an S256 challenge is 43 of them.
_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")
_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass(frozen=True)
class AuthorizationRequest:
    """A validated ``GET /oauth/authorize``."""

    client_id: str
    redirect_uri: str
    scopes: list[str]
    state: str | None
    code_challenge: str | None
    login_hint: str | None


def valid_challenge(challenge: str) -> bool:
    return bool(_CHALLENGE.match(challenge))


def s256(verifier: str) -> str:
    """``BASE64URL(SHA256(verifier))`` without padding (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verifier_matches(verifier: str, challenge: str) -> bool:
    if not _VERIFIER.match(verifier):
        return False
    return hmac.compare_digest(s256(verifier), challenge)


def start(state: SandboxState, request: AuthorizationRequest) -> str:
    """Store a request awaiting consent; the opaque handle the consent form carries."""
    handle = secrets.token_urlsafe(32)
    now = state.clock.now()
    state.store.insert(
        "oauth_codes",
        {
            "id": token_id(handle),
            "stage": "pending",
            "client_id": request.client_id,
            "redirect_uri": request.redirect_uri,
            "scopes": request.scopes,
            "state": request.state,
            "code_challenge": request.code_challenge,
            "login_hint": request.login_hint,
            "user": None,
            "expires_at": iso(now + PENDING_LIFETIME),
            "used_at": None,
            "family": None,
            "created_at": iso(now),
        },
    )
    return handle


def pending(state: SandboxState, handle: str) -> Record | None:
    """The request behind a consent form's handle, unless unknown, decided or stale."""
    record = state.store.get("oauth_codes", token_id(handle)) if handle else None
    if record is None or record["stage"] != "pending":
        return None
    if record["expires_at"] <= iso(state.clock.now()):
        return None
    return record


def decide(state: SandboxState, request: Record, user_id: str | None) -> str | None:
    """Close the request; with a user (Allow), the new authorization code."""
    now = state.clock.now()
    with state.store.transaction():
        state.store.delete("oauth_codes", request["id"])
        # Stale requests and codes are of no use to anyone: sweep them while here.
        state.store.delete_where("oauth_codes", "expires_at <= ?", (iso(now),))
        if user_id is None:
            return None
        code = secrets.token_hex(32)
        state.store.insert(
            "oauth_codes",
            {
                **request,
                "id": token_id(code),
                "stage": "code",
                "user": user_id,
                "expires_at": iso(now + state.config.oauth_code_lifetime),
                "created_at": iso(now),
            },
        )
    return code


def find_code(state: SandboxState, code: str) -> Record | None:
    record = state.store.get("oauth_codes", token_id(code))
    return record if record is not None and record["stage"] == "code" else None
