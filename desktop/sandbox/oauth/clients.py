"""Registered OAuth clients: the seeded ones, redirect-URI rules and client authentication.

Redirect URIs match a registered URI exactly (no normalization), except for clients with
``loopback_redirects``: like a native app under RFC 8252 §7.3 they may also use any
``http://127.0.0.1:<port>/<path>``, ``http://localhost:<port>/<path>`` or
``http://[::1]:<port>/<path>`` (any port, any path, no user info, no fragment), so the
desktop app can listen on whatever free port it gets.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from desktop.sandbox.auth import SCOPES
from desktop.sandbox.oauth.protocol import invalid_client, invalid_request
from desktop.sandbox.store import Record, Store
from desktop.sandbox.wire import iso

NATIVE_CLIENT_ID = "calendly-console-sandbox"
WEB_CLIENT_ID = "calendly-console-sandbox-web"
WEB_REDIRECT_URI = "http://localhost:3000/oauth/callback"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _web_secret(seed: int) -> str:
    """Deterministic per seed, like every other seeded value (it is a local sandbox)."""
    return hashlib.sha256(f"calendly-console sandbox web client {seed}".encode()).hexdigest()


def seeded(seed: int, now: datetime) -> list[Record]:
    """The clients every fresh sandbox has: the desktop app's and a web app's."""
    return [
        {
            "id": NATIVE_CLIENT_ID,
            "name": "Calendly Console",
            "kind": "native",
            "secret": None,
            "redirect_uris": ["http://127.0.0.1/oauth/callback"],
            "loopback_redirects": True,
            "require_pkce": True,
            "scopes": list(SCOPES),
            "created_at": iso(now),
        },
        {
            "id": WEB_CLIENT_ID,
            "name": "Sandbox Web App",
            "kind": "web",
            "secret": _web_secret(seed),
            "redirect_uris": [WEB_REDIRECT_URI],
            "loopback_redirects": False,
            "require_pkce": False,
            "scopes": list(SCOPES),
            "created_at": iso(now),
        },
    ]


def seed_clients(store: Store, seed: int, now: datetime) -> None:
    """(Re)create the seeded clients; called by ``SandboxServer.reset``."""
    with store.transaction():
        for client in seeded(seed, now):
            store.delete("oauth_clients", client["id"])
            store.insert("oauth_clients", client)


def ensure(store: Store, now: datetime) -> None:
    """Seed the clients into a database kept from before the OAuth server existed."""
    if store.count("oauth_clients") == 0:
        meta = store.get("meta", "seed")
        seed = int(meta["summary"]["seed"]) if meta else 1
        seed_clients(store, seed, now)


def find(store: Store, client_id: str, now: datetime) -> Record | None:
    ensure(store, now)
    return store.get("oauth_clients", client_id)


def public(client: Record) -> dict[str, Any]:
    """What the control surface shows of a client (the secret too: it is a sandbox)."""
    return {
        "client_id": client["id"],
        "name": client["name"],
        "kind": client["kind"],
        "client_secret": client["secret"],
        "redirect_uris": client["redirect_uris"],
        "loopback_redirects": client["loopback_redirects"],
        "require_pkce": client["require_pkce"],
        "scopes": client["scopes"],
    }


def listing(store: Store, now: datetime) -> list[dict[str, Any]]:
    ensure(store, now)
    return [public(c) for c in store.find("oauth_clients", order="created_at, id")]


def is_loopback(uri: str) -> bool:
    """``http`` on a loopback host, any port and path, no user info or fragment (RFC 8252)."""
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return False
    return (
        parts.scheme == "http"
        and parts.hostname in LOOPBACK_HOSTS
        and "@" not in parts.netloc
        and not parts.fragment
        and "#" not in uri
    )


def redirect_allowed(client: Mapping[str, Any], uri: str) -> bool:
    if uri in client["redirect_uris"]:
        return True
    return bool(client["loopback_redirects"]) and is_loopback(uri)


def _basic(header: str) -> tuple[str, str]:
    """``Basic base64(id:secret)``, each form-urlencoded first (RFC 6749 §2.3.1)."""
    try:
        decoded = base64.b64decode(header.split(" ", 1)[1].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, IndexError):
        raise invalid_client("The Basic credentials are malformed.") from None
    ident, colon, secret = decoded.partition(":")
    if not colon:
        raise invalid_client("The Basic credentials are malformed.")
    return unquote_plus(ident), unquote_plus(secret)


def authenticate(
    store: Store, authorization: str | None, form: Mapping[str, str], now: datetime
) -> Record:
    """The calling client: confidential ones by HTTP Basic or ``client_secret`` in the body,
    public ones by ``client_id`` alone; 401 ``invalid_client`` otherwise."""
    basic = authorization is not None and authorization.lower().startswith("basic ")
    body_id = form.get("client_id") or None
    body_secret = form.get("client_secret") or None
    if basic:
        assert authorization is not None
        if body_secret is not None:
            raise invalid_request("Use one way of client authentication, not two.")
        ident, secret = _basic(authorization)
        if body_id is not None and body_id != ident:
            raise invalid_request("The client_id differs from the Basic credentials.")
        given: str | None = secret or None
    else:
        if body_id is None:
            raise invalid_client("The client_id is missing.")
        ident, given = body_id, body_secret
    client = find(store, ident, now)
    if client is None:
        raise invalid_client("The client is unknown.")
    expected = client["secret"]
    if expected is not None and (
        given is None or not hmac.compare_digest(given.encode(), str(expected).encode())
    ):
        raise invalid_client("The client secret is missing or wrong.")
    return client


def register(
    store: Store,
    ident: str,
    name: str,
    kind: str,
    redirect_uris: list[str],
    scopes: list[str],
    secret: str | None,
    now: datetime,
) -> Record:
    """A client added through the control surface."""
    client: Record = {
        "id": ident,
        "name": name,
        "kind": kind,
        "secret": secret,
        "redirect_uris": redirect_uris,
        "loopback_redirects": kind == "native",
        "require_pkce": kind == "native",
        "scopes": scopes,
        "created_at": iso(now),
    }
    store.insert("oauth_clients", client)
    return client
