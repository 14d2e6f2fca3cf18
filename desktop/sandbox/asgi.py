"""The Starlette application: Calendly's routes, the control surface and error rendering."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp

from desktop.sandbox import control, errors
from desktop.sandbox.embed import Pages
from desktop.sandbox.errors import ApiError
from desktop.sandbox.middleware import FaultLayer, RateLimitLayer
from desktop.sandbox.routes import ROUTES
from desktop.sandbox.state import SandboxState

if TYPE_CHECKING:
    from desktop.sandbox.server import SandboxServer

log = logging.getLogger(__name__)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        body = {"title": "Method Not Allowed", "message": "The method is not allowed here."}
        return JSONResponse(body, status_code=405)
    if exc.status_code == 404:
        return JSONResponse(errors.not_found().body(), status_code=404)
    return JSONResponse({"title": str(exc.detail), "message": str(exc.detail)}, exc.status_code)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("sandbox: unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse(errors.internal().body(), status_code=500)


def build_app(state: SandboxState, server: SandboxServer) -> ASGIApp:
    routes: list[BaseRoute] = [*ROUTES, *control.routes(server)]
    pages = Pages(routes)  # booking pages and widget.js: after the API's routes, outside its layers
    app = Starlette(
        routes=[*routes, *pages.routes],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
    )
    app.state.sandbox = state
    return pages.beside(FaultLayer(RateLimitLayer(app, state), state), app)
