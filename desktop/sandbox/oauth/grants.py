"""The token endpoint's grants: authorization code + PKCE, and single-use refresh tokens.

Access tokens are ordinary sandbox bearer tokens (``kind: oauth``, ``label``: the client id)
issued through ``state.tokens``, so the API honours their scopes and expiry (2 h on the
sandbox clock). Refresh tokens never expire but work exactly once: each refresh answers a new
pair and spends the old refresh token (facts §7.3). Presenting a spent refresh token, or a
spent authorization code, is treated as a replay (RFC 6749 §4.1.2, §10.4; RFC 9700 §4.14):
``invalid_grant``, and every token of that grant still alive is revoked.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from desktop.sandbox.auth import token_id
from desktop.sandbox.oauth import codes, quota, scopes
from desktop.sandbox.oauth.protocol import (
    invalid_grant,
    invalid_request,
    invalid_scope,
    required,
    unix,
    value,
)
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso


def _membership(state: SandboxState, user_id: str) -> Record:
    member = state.store.find_one("memberships", "user = ?", (user_id,))
    if member is None:
        raise invalid_grant("The user is no longer a member of an organization.")
    return member


def issue(
    state: SandboxState,
    client_id: str,
    user_id: str,
    granted: list[str],
    family: str | None = None,
    parent: str | None = None,
) -> dict[str, Any]:
    """A new access + refresh pair; the token response body (facts §7.3)."""
    member = _membership(state, user_id)
    now = state.clock.now()
    lifetime = state.config.access_token_lifetime
    access = state.tokens.issue(
        user_id, now, kind="oauth", scopes=granted, expires_at=now + lifetime, label=client_id
    )
    refresh = secrets.token_hex(32)
    ident = token_id(refresh)
    state.store.insert(
        "refresh_tokens",
        {
            "id": ident,
            "user": user_id,
            "client_id": client_id,
            "scopes": granted,
            "family": family or ident,
            "parent": parent,
            "access_token": token_id(access),
            "used_at": None,
            "revoked_at": None,
            "created_at": iso(now),
        },
    )
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": int(lifetime.total_seconds()),
        "created_at": unix(now),
        "scope": " ".join(granted),
        "owner": state.uris.user(user_id),
        "organization": state.uris.organization(str(member["organization"])),
    }


def revoke_family(state: SandboxState, family: str) -> None:
    """Revoke every refresh token of a grant and the access tokens issued beside them."""
    now = iso(state.clock.now())
    with state.store.transaction():
        for record in state.store.find(
            "refresh_tokens", "json_extract(data, '$.family') = ?", (family,)
        ):
            state.store.delete("tokens", record["access_token"])
            if record["revoked_at"] is None:
                state.store.update("refresh_tokens", {**record, "revoked_at": now})


def exchange_code(state: SandboxState, client: Record, form: Mapping[str, str]) -> dict[str, Any]:
    """``grant_type=authorization_code``: a code is spent by the first request of its client
    that presents it, whatever the outcome (a wrong verifier must not be retried)."""
    code = required(form, "code")
    redirect_uri = required(form, "redirect_uri")
    record = codes.find_code(state, code)
    if record is None or record["client_id"] != client["id"]:
        raise invalid_grant("The authorization code is invalid.")
    now = state.clock.now()
    quota.hit(state.store, record["user"], state.config.oauth_token_requests_per_minute, now)
    if record["used_at"] is not None:
        if record["family"]:
            revoke_family(state, record["family"])
        raise invalid_grant("The authorization code was already used.")
    state.store.update("oauth_codes", {**record, "used_at": iso(now)})
    if record["expires_at"] <= iso(now):
        raise invalid_grant("The authorization code has expired.")
    if redirect_uri != record["redirect_uri"]:
        raise invalid_grant("The redirect_uri differs from the one of the authorization request.")
    _check_verifier(record, value(form, "code_verifier"))
    with state.store.transaction():
        answer = issue(state, client["id"], record["user"], record["scopes"])
        family = token_id(answer["refresh_token"])
        state.store.update("oauth_codes", {**record, "used_at": iso(now), "family": family})
    return answer


def _check_verifier(record: Record, verifier: str | None) -> None:
    challenge = record["code_challenge"]
    if challenge is None:
        if verifier is not None:
            raise invalid_grant("No code_challenge was sent with the authorization request.")
        return
    if verifier is None:
        raise invalid_request("The 'code_verifier' parameter is required (PKCE).")
    if not codes.verifier_matches(verifier, challenge):
        raise invalid_grant("The code_verifier does not match the code_challenge.")


def refresh(state: SandboxState, client: Record, form: Mapping[str, str]) -> dict[str, Any]:
    """``grant_type=refresh_token``: works once, answers a new pair (facts §7.3)."""
    presented = required(form, "refresh_token")
    record = state.store.get("refresh_tokens", token_id(presented))
    if record is None or record["client_id"] != client["id"]:
        raise invalid_grant("The refresh token is invalid.")
    now = state.clock.now()
    quota.hit(state.store, record["user"], state.config.oauth_token_requests_per_minute, now)
    if record["revoked_at"] is not None:
        raise invalid_grant("The refresh token was revoked.")
    if record["used_at"] is not None:
        revoke_family(state, record["family"])
        raise invalid_grant("The refresh token was already used.")
    granted = _narrowed(record["scopes"], value(form, "scope"))
    with state.store.transaction():
        state.store.update("refresh_tokens", {**record, "used_at": iso(now)})
        return issue(state, client["id"], record["user"], granted, record["family"], record["id"])


def _narrowed(granted: list[str], asked: str | None) -> list[str]:
    """RFC 6749 §6: a refresh may ask for fewer scopes than were granted, never more."""
    if asked is None:
        return granted
    wanted = scopes.split(asked)
    bad = scopes.unknown(wanted) or [s for s in wanted if s not in granted]
    if bad:
        raise invalid_scope(f"Not granted to this token: {' '.join(bad)}.")
    return scopes.ordered(wanted)


def revoke(state: SandboxState, client: Record, token: str) -> bool:
    """Revoke an access token, or a refresh token with its whole grant (RFC 7009 §2.1).

    False when the token belongs to another client; unknown tokens are fine (RFC 7009 §2.2).
    """
    access = state.store.get("tokens", token_id(token))
    if access is not None and access["kind"] == "oauth":
        if access["label"] != client["id"]:
            return False
        state.tokens.revoke(token)
        return True
    record = state.store.get("refresh_tokens", token_id(token))
    if record is not None:
        if record["client_id"] != client["id"]:
            return False
        revoke_family(state, record["family"])
    return True


def introspect(state: SandboxState, client: Record, token: str) -> dict[str, Any]:
    """RFC 7662 for the calling client's own tokens; anything else is ``active: false``."""
    now = state.clock.now()
    access = state.tokens.lookup(token, now)
    if access is not None and access["kind"] == "oauth" and access["label"] == client["id"]:
        return _active(state, access, "Bearer", access["expires_at"])
    record = state.store.get("refresh_tokens", token_id(token))
    if (
        record is not None
        and record["client_id"] == client["id"]
        and record["used_at"] is None
        and record["revoked_at"] is None
    ):
        return _active(state, {**record, "label": record["client_id"]}, "refresh_token", None)
    return {"active": False}


def _active(
    state: SandboxState, record: Record, kind: str, expires_at: str | None
) -> dict[str, Any]:
    member = state.store.find_one("memberships", "user = ?", (record["user"],))
    if member is None:
        return {"active": False}
    answer: dict[str, Any] = {
        "active": True,
        "scope": " ".join(record["scopes"] or []),
        "client_id": record["label"],
        "token_type": kind,
        "iat": _unix(record["created_at"]),
        "owner": state.uris.user(record["user"]),
        "organization": state.uris.organization(str(member["organization"])),
    }
    if expires_at is not None:
        answer["exp"] = _unix(expires_at)
    return answer


def _unix(stamp: str) -> int:
    return unix(datetime.fromisoformat(stamp.replace("Z", "+00:00")))
