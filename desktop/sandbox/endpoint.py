"""Request handling shared by every route: authentication, scopes, parameters, envelopes."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from desktop.sandbox.auth import Caller
from desktop.sandbox.errors import detail, gather, invalid, invalid_many, not_found
from desktop.sandbox.pagination import Page, paginate, parse_count, parse_sort
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import json_object, parse_time, path_id


class Call:
    """One authenticated API request with typed access to its parameters."""

    def __init__(self, request: Request, state: SandboxState, caller: Caller) -> None:
        self.request = request
        self.state = state
        self.caller = caller
        self._body: Any = None

    # -- path and query -------------------------------------------------------------------
    def path(self, name: str) -> str:
        return path_id(str(self.request.path_params[name]))

    def lookup(self, table: str, ident: str) -> Record:
        """The stored record, or 404 Resource Not Found."""
        record = self.state.store.get(table, ident)
        if record is None:
            raise not_found()
        return record

    def found(self, table: str, name: str = "uuid") -> Record:
        """The record named by path parameter ``name``, or 404."""
        return self.lookup(table, self.path(name))

    @property
    def query(self) -> Mapping[str, str]:
        return self.request.query_params

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.request.query_params.get(name)
        if value is None or value == "":
            if required:
                raise invalid(name, "is required")
            return None
        return value

    def required(self, name: str) -> str:
        value = self.text(name, required=True)
        assert value is not None
        return value

    def uri(self, name: str, collection: str, required: bool = False) -> str | None:
        """The id inside a URI-valued query parameter."""
        value = self.text(name, required)
        return None if value is None else self.state.uris.parse(value, collection, name)

    def choice(self, name: str, allowed: Sequence[str], required: bool = False) -> str | None:
        value = self.text(name, required)
        if value is not None and value not in allowed:
            raise invalid(name, f"must be one of {', '.join(allowed)}")
        return value

    def boolean(self, name: str) -> bool | None:
        value = self.text(name)
        if value is None:
            return None
        if value.lower() not in ("true", "false"):
            raise invalid(name, "must be true or false")
        return value.lower() == "true"

    def time(self, name: str, required: bool = False) -> datetime | None:
        value = self.text(name, required)
        return None if value is None else parse_time(value, name)

    # -- body -----------------------------------------------------------------------------
    async def body(self) -> dict[str, Any]:
        """The JSON object body; 400 when it is missing, not JSON or not an object."""
        if self._body is None:
            self._body = json_object(await self.request.body())
        return dict(self._body)

    # -- listing --------------------------------------------------------------------------
    def page(
        self,
        table: str,
        where: str,
        params: Sequence[Any],
        sorts: Mapping[str, str],
        default_sort: str,
    ) -> Page:
        """One page of ``table``, honouring ``count``, ``page_token`` and ``sort``."""
        problems: list[dict[str, str]] = []
        count = gather(problems, lambda: parse_count(self.text("count")))
        keys = gather(problems, lambda: parse_sort(self.text("sort"), sorts, default_sort))
        if problems or count is None or keys is None:
            raise invalid_many(problems)
        url = f"{self.state.base_url}{self.request.url.path}"
        return paginate(
            self.state.store,
            table,
            where,
            params,
            keys,
            count,
            self.text("page_token"),
            url,
            dict(self.request.query_params),
        )


def require_fields(body: Mapping[str, Any], names: Sequence[str]) -> None:
    """400 listing every required body field that is missing or empty."""
    missing = [detail(name, "is required") for name in names if body.get(name) in (None, "", [])]
    if missing:
        raise invalid_many(missing)


def resource(record: Record, status: int = 200) -> JSONResponse:
    return JSONResponse({"resource": record}, status_code=status)


def collection(items: list[Record], pagination: Mapping[str, Any] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"collection": items}
    if pagination is not None:
        body["pagination"] = dict(pagination)
    return JSONResponse(body)


def no_content(status: int = 204) -> Response:
    return Response(status_code=status)


Handler = Callable[[Call], Awaitable[Response] | Response]


def endpoint(scope: str | None) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wrap a handler: authenticate the bearer token, check ``scope``, build the ``Call``."""

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(handler)
        async def run(request: Request) -> Response:
            state: SandboxState = request.app.state.sandbox
            caller = state.tokens.authenticate(
                request.headers.get("authorization"), state.clock.now()
            )
            if scope is not None:
                caller.require(scope)
            result = handler(Call(request, state, caller))
            if inspect.isawaitable(result):
                result = await result
            return result

        return run

    return wrap
