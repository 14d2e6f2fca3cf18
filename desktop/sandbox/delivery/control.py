"""Control routes for webhook delivery: what was sent and answered, and a test send.

- ``GET /_sandbox/webhook_attempts`` (``webhook``: subscription URI or id, ``event``)
- ``GET /_sandbox/webhook_deliveries`` (``webhook``, ``event``, ``state``)
- ``POST /_sandbox/webhooks/{id}/test`` (body ``{"event": ...}``, optional): send one sample
  delivery now and answer once its single attempt is done: ``{delivery, attempt}``.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from desktop.sandbox.delivery import journal, outbox, samples
from desktop.sandbox.errors import invalid, not_found
from desktop.sandbox.wire import json_object, path_id

if TYPE_CHECKING:
    from desktop.sandbox.server import SandboxServer

STATES = (outbox.PENDING, outbox.DELIVERED, outbox.FAILED)


def _filters(server: SandboxServer, request: Request) -> tuple[str | None, str | None]:
    query = request.query_params
    webhook = query.get("webhook") or None
    event = query.get("event") or None
    if event is not None and event not in samples.EVENTS:
        raise invalid("event", f"must be one of {', '.join(samples.EVENTS)}")
    ident = None if webhook is None else journal.webhook_id(server.state, webhook)
    return ident, event


def routes(server: SandboxServer) -> list[BaseRoute]:
    state = server.state

    async def attempts(request: Request) -> Response:
        webhook, event = _filters(server, request)
        found = journal.attempts(state, webhook, event)
        return JSONResponse({"collection": [journal.attempt_view(state, r) for r in found]})

    async def deliveries(request: Request) -> Response:
        webhook, event = _filters(server, request)
        status = request.query_params.get("state") or None
        if status is not None and status not in STATES:
            raise invalid("state", f"must be one of {', '.join(STATES)}")
        found = journal.deliveries(state, webhook, event, status)
        return JSONResponse({"collection": [journal.delivery_view(state, r) for r in found]})

    async def test(request: Request) -> Response:
        hook = state.store.get("webhooks", path_id(str(request.path_params["id"])))
        if hook is None:
            raise not_found()
        body: dict[str, Any] = json_object(await request.body())
        event = body.get("event") or (hook.get("events") or ["invitee.created"])[0]
        if event not in samples.EVENTS:
            raise invalid("event", f"must be one of {', '.join(samples.EVENTS)}")
        try:
            future = server.dispatcher.test(hook, str(event))
        except LookupError as error:
            raise invalid("event", str(error)) from None
        delivery, attempt = await asyncio.wrap_future(future)
        return JSONResponse(
            {
                "delivery": journal.delivery_view(state, delivery),
                "attempt": None if attempt is None else journal.attempt_view(state, attempt),
            },
            status_code=201,
        )

    return [
        Route("/_sandbox/webhook_attempts", attempts, methods=["GET"]),
        Route("/_sandbox/webhook_deliveries", deliveries, methods=["GET"]),
        Route("/_sandbox/webhooks/{id}/test", test, methods=["POST"]),
    ]
