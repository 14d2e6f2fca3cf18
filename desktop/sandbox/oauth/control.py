"""``/_sandbox/oauth_clients``: list the registered OAuth clients, or register another one."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from desktop.sandbox.auth import SCOPES
from desktop.sandbox.errors import conflict, detail, invalid_many
from desktop.sandbox.oauth import clients, scopes
from desktop.sandbox.state import SandboxState
from desktop.sandbox.wire import json_object


def _redirect_problem(uri: Any) -> str | None:
    if not isinstance(uri, str):
        return "must be a list of absolute URLs"
    parts = urlsplit(uri)
    if not parts.scheme or not parts.netloc:
        return f"{uri!r} is not an absolute URL"
    if "#" in uri:
        return f"{uri!r} must not have a fragment"
    return None


def _parse(body: dict[str, Any]) -> tuple[str, str, list[str], list[str]]:
    problems: list[dict[str, str]] = []
    kind = body.get("kind")
    if kind not in ("native", "web"):
        problems.append(detail("kind", "must be one of native, web"))
    name = body.get("name", "Sandbox client")
    if not isinstance(name, str) or not name.strip():
        problems.append(detail("name", "must be a non-empty string"))
    uris = body.get("redirect_uris", [])
    if not isinstance(uris, list):
        uris = [None]
    for uri in uris:
        problem = _redirect_problem(uri)
        if problem:
            problems.append(detail("redirect_uris", problem))
            break
    if kind == "web" and not uris:
        problems.append(detail("redirect_uris", "a web client needs at least one"))
    wanted = body.get("scopes", list(SCOPES))
    if not isinstance(wanted, list) or not all(isinstance(s, str) for s in wanted):
        problems.append(detail("scopes", "must be a list of scope strings"))
        wanted = []
    elif bad := scopes.unknown(wanted):
        problems.append(detail("scopes", f"unknown scopes: {', '.join(bad)}"))
    if problems:
        raise invalid_many(problems)
    return str(kind), str(name).strip(), [str(u) for u in uris], scopes.ordered(wanted)


async def oauth_clients(request: Request) -> Response:
    state: SandboxState = request.app.state.sandbox
    now = state.clock.now()
    if request.method == "GET":
        return JSONResponse({"collection": clients.listing(state.store, now)})
    body = json_object(await request.body())
    kind, name, uris, allowed = _parse(body)
    ident = body.get("client_id") or f"sandbox-{secrets.token_hex(8)}"
    if not isinstance(ident, str):
        raise invalid_many([detail("client_id", "must be a string")])
    if clients.find(state.store, ident, now) is not None:
        raise conflict()
    secret = secrets.token_hex(32) if kind == "web" else None
    client = clients.register(state.store, ident, name, kind, uris, allowed, secret, now)
    return JSONResponse(clients.public(client), status_code=201)


ROUTES: list[BaseRoute] = [
    Route("/_sandbox/oauth_clients", oauth_clients, methods=["GET", "POST"]),
]
