"""The control surface under ``/_sandbox/``: reset, seed, clock, faults and tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from desktop.sandbox import control_routing, rescheduling_control
from desktop.sandbox.delivery import control as delivery_control
from desktop.sandbox.errors import invalid, not_found
from desktop.sandbox.faults import Fault
from desktop.sandbox.oauth import clients as oauth_clients
from desktop.sandbox.oauth.scopes import unknown as unknown_scopes
from desktop.sandbox.wire import iso, json_object, parse_time

if TYPE_CHECKING:
    from desktop.sandbox.server import SandboxServer


async def _json(request: Request) -> dict[str, Any]:
    return json_object(await request.body())


def _int(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise invalid(name, "must be a non-negative integer")
    return value


def routes(server: SandboxServer) -> list[BaseRoute]:
    state = server.state

    async def info(request: Request) -> Response:
        summary = server.summary
        return JSONResponse(
            {
                "base_url": state.base_url,
                "now": iso(state.clock.now()),
                "seed": server.config.seed,
                "organization": state.uris.organization(summary.organization) if summary else None,
                "owner": state.uris.user(summary.owner) if summary else None,
                "oauth_clients": oauth_clients.listing(state.store, state.clock.now()),
            }
        )

    async def reset(request: Request) -> Response:
        body = await _json(request)
        anchor = body.get("anchor")
        summary = server.reset(
            seed=_int(body, "seed"),
            members=_int(body, "members"),
            events=_int(body, "events"),
            anchor=parse_time(anchor, "anchor") if isinstance(anchor, str) else None,
        )
        return JSONResponse(
            {
                "seed": summary.seed,
                "organization": state.uris.organization(summary.organization),
                "owner": state.uris.user(summary.owner),
            }
        )

    async def clock(request: Request) -> Response:
        if request.method == "POST":
            body = await _json(request)
            if "advance_seconds" in body:
                seconds = body["advance_seconds"]
                if not isinstance(seconds, int | float) or seconds < 0:
                    raise invalid("advance_seconds", "must be a non-negative number")
                state.clock.advance(timedelta(seconds=seconds))
            if "freeze_at" in body:
                state.clock.freeze(parse_time(str(body["freeze_at"]), "freeze_at"))
            if body.get("unfreeze"):
                state.clock.unfreeze()
        return JSONResponse({"now": iso(state.clock.now())})

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            body = await _json(request)
            try:
                fault = state.faults.add(Fault(**body))
            except (TypeError, ValueError) as error:
                raise invalid("fault", str(error)) from None
            return JSONResponse(fault.to_dict(), status_code=201)
        if request.method == "DELETE":
            state.faults.clear()
            return Response(status_code=204)
        return JSONResponse({"collection": [f.to_dict() for f in state.faults.active()]})

    async def fault(request: Request) -> Response:
        try:
            ident = int(request.path_params["id"])
        except ValueError:
            raise not_found() from None
        if not state.faults.remove(ident):
            raise not_found()
        return Response(status_code=204)

    async def tokens(request: Request) -> Response:
        body = await _json(request)
        who = body.get("user") or body.get("email") or body.get("role") or "owner"
        scopes = body.get("scopes")
        if scopes is not None and not (
            isinstance(scopes, list) and all(isinstance(s, str) for s in scopes)
        ):
            raise invalid("scopes", "must be a list of scope strings")
        if scopes is not None and (bad := unknown_scopes(scopes)):
            raise invalid("scopes", f"unknown scopes: {', '.join(bad)}")
        if isinstance(who, str) and "/users/" in who:
            user_id = state.uris.parse(who, "users", "user")
            user = state.store.get("users", user_id)
            if user is None:
                raise not_found()
            who = user["email"]
        try:
            token = server.token_for(str(who), scopes)
        except LookupError as error:
            raise invalid("user", str(error)) from None
        return JSONResponse({"access_token": token, "token_type": "Bearer"}, status_code=201)

    async def rate_limit(request: Request) -> Response:
        body = await _json(request)
        limit = _int(body, "limit")
        if limit is None or limit < 1:
            raise invalid("limit", "must be a positive integer")
        window = _int(body, "window_seconds")
        if window == 0:
            raise invalid("window_seconds", "must be a positive integer")
        state.limiter.configure(limit, window)
        return JSONResponse({"limit": state.limiter.limit, "window_seconds": state.limiter.window})

    return [
        Route("/_sandbox", info, methods=["GET"]),
        Route("/_sandbox/reset", reset, methods=["POST"]),
        Route("/_sandbox/clock", clock, methods=["GET", "POST"]),
        Route("/_sandbox/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/_sandbox/faults/{id}", fault, methods=["DELETE"]),
        Route("/_sandbox/tokens", tokens, methods=["POST"]),
        Route("/_sandbox/rate_limit", rate_limit, methods=["POST"]),
        *control_routing.routes(server),
        *delivery_control.routes(server),
        *rescheduling_control.routes(server),
    ]
