"""Calendly's published OpenAPI description as the oracle every sandbox response must satisfy.

``validate(response)`` checks one ``httpx.Response`` against the operation its request hit;
``response_hook`` does the same as an httpx event hook, so a test client validates every
response it receives. The description is loaded once per session, from beside the checkout
(it is reference data, never copied into the project); without it, tests that need it skip.

The facts file (``calendly-api-facts.md``) wins where it and the spec disagree. Each such
place is written down in ``spec_facts`` with the section it rests on (``KNOWN`` schema errors,
``UNDOCUMENTED_STATUSES``, ``SCOPE_ALTERNATIVES``) or here (the 204 rule); nothing else is
excused.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.exceptions import OpenAPIError
from werkzeug.datastructures import Headers, ImmutableMultiDict

from tests.sandbox.spec_facts import (
    KNOWN,
    SCOPE_ALTERNATIVES,
    UNDOCUMENTED_STATUSES,
    Context,
    facts_problems,
)

SPEC_PATH = (
    Path(__file__).resolve().parents[2].parent / "shared/reference/calendly-openapi-2026.json"
)
SERVER = "https://api.calendly.com"
MISSING = (
    "Calendly's OpenAPI description is outside this checkout "
    f"(expected at {SPEC_PATH}); spec conformance is not checked"
)
# The sandbox marks responses it broke on purpose (fault injection) with this header, if set.
FAULT_HEADER = "x-sandbox-fault"
_METHODS = ("get", "post", "put", "patch", "delete")


# -- the spec ---------------------------------------------------------------------------------
def spec_available() -> bool:
    return SPEC_PATH.is_file()


def require_spec() -> None:
    """Skip the calling test when the description is not beside this checkout."""
    if not spec_available():
        pytest.skip(MISSING)


@functools.cache
def raw() -> dict[str, Any]:
    """The description as parsed JSON (read once)."""
    require_spec()
    value: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return value


@dataclass(frozen=True)
class Operation:
    """One operation of the spec: ``GET /users/{uuid}``."""

    method: str  # upper case
    path: str  # the spec's template, e.g. /scheduled_events/{uuid}/invitees
    operation_id: str
    statuses: frozenset[int]
    pattern: re.Pattern[str]

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def shape(self) -> str:
        """The template with parameter names erased, to compare with route paths."""
        return template_shape(self.path)


def template_shape(path: str) -> str:
    """``/organizations/{org_uuid}/invitations/{uuid}`` -> ``/organizations/{}/invitations/{}``.

    Starlette converters (``{uuid:str}``) are erased too, so route paths compare equal.
    """
    return re.sub(r"\{[^}]*\}", "{}", path)


@functools.cache
def operations() -> tuple[Operation, ...]:
    """Every operation, literal paths first so ``/users/me`` wins over ``/users/{uuid}``."""
    found = []
    for path, item in raw()["paths"].items():
        for method, op in item.items():
            if method not in _METHODS:
                continue
            regex = "^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(path)) + "/?$"
            found.append(
                Operation(
                    method.upper(),
                    path,
                    str(op.get("operationId", "")),
                    frozenset(int(code) for code in op["responses"] if code.isdigit()),
                    re.compile(regex),
                )
            )
    return tuple(sorted(found, key=lambda o: (o.path.count("{"), o.path, o.method)))


def required_scopes(operation: Operation) -> frozenset[str]:
    """The scopes the spec's "Required scopes" note names for ``operation`` (facts §7.6)."""
    if operation.label in SCOPE_ALTERNATIVES:
        return SCOPE_ALTERNATIVES[operation.label]
    item = raw()["paths"][operation.path][operation.method.lower()]
    text = str(item.get("description", ""))
    note = text[text.find("Required scopes") :] if "Required scopes" in text else ""
    return frozenset(re.findall(r"`([a-z_]+:(?:read|write))`", note))


def find_operation(method: str, path: str) -> Operation | None:
    """The spec operation a request (method and URL path) addresses, if any."""
    for op in operations():
        if op.method == method.upper() and op.pattern.match(path):
            return op
    return None


def served_routes() -> list[tuple[str, str]]:
    """(METHOD, route path) of every API route the sandbox serves (its ``ROUTES``)."""
    from starlette.routing import Route

    from desktop.sandbox.routes import ROUTES

    found = []
    for route in ROUTES:
        if isinstance(route, Route):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                found.append((method, route.path))
    return found


def served_operations() -> list[Operation]:
    """The spec operations the sandbox serves, discovered from its routes (empty sans spec)."""
    if not spec_available():
        return []
    index = {(op.method, op.shape): op for op in operations()}
    found = {index.get((m, template_shape(p))) for m, p in served_routes()}
    return sorted((op for op in found if op is not None), key=lambda o: (o.path, o.method))


def _is_uri(value: Any) -> bool:
    """``format: uri``: an absolute http(s) URL with a host (Calendly's URIs always are)."""
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


@functools.cache
def _openapi() -> OpenAPI:
    # Undocumented keys are failures too: the client must not come to rely on keys Calendly
    # never sends (and write-only ones like a webhook's signing_key must never leak).
    config = Config(
        additional_properties_default_policy="forbid",
        extra_format_validators={"uri": _is_uri},
    )
    return OpenAPI.from_dict(raw(), config=config)


# -- validation -------------------------------------------------------------------------------
class _Request:
    """openapi-core's request protocol over an httpx request, on Calendly's own server."""

    def __init__(self, request: httpx.Request, operation: Operation) -> None:
        self.method = request.method.lower()
        self.host_url = SERVER
        self.path = request.url.path
        self.path_pattern = operation.path
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(request.url.params.multi_items())),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )
        self.content_type = request.headers.get("content-type", "application/json").lower()
        self.body: bytes | None = None


class _Response:
    def __init__(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        self.data: bytes | None = response.content or None
        self.headers = Headers(list(response.headers.items()))
        self.content_type = response.headers.get("content-type", "").lower()


def _where(path: Iterable[object]) -> str:
    text = "body"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _residual(error: Any, ctx: Context) -> list[Any]:
    """The schema errors left once the known disagreements are excused.

    For ``oneOf``/``anyOf`` the branch closest to matching is reported, so a membership
    missing ``uri`` reads as that, not as "not valid under any of the given schemas".
    """
    if error.validator in ("oneOf", "anyOf") and error.context:
        branches: dict[Any, list[Any]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        if len(branches) < len(error.validator_value):
            return [error]  # some branch matched: more than one did (oneOf)
        best: list[Any] | None = None
        for subs in branches.values():
            left = [r for sub in subs for r in _residual(sub, ctx)]
            if not left:
                return []
            if best is None or len(left) < len(best):
                best = left
        return best or [error]
    if any(known.applies(ctx, error) for known in KNOWN):
        return []
    return [error]


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def problems(response: httpx.Response) -> list[str]:
    """Everything wrong with ``response`` for the spec operation its request addressed."""
    request = response.request
    operation = find_operation(request.method, request.url.path)
    if operation is None:
        return [f"{request.method} {request.url.path} is not an operation of Calendly's API"]
    status = response.status_code
    body = _json(response)
    ctx = Context(operation.label, status, body)
    found: list[str] = []
    if status not in operation.statuses:
        if status not in UNDOCUMENTED_STATUSES:
            documented = ", ".join(str(s) for s in sorted(operation.statuses))
            return [f"status {status} is not documented for it (documented: {documented})"]
        if not (
            isinstance(body, dict)
            and isinstance(body.get("title"), str)
            and isinstance(body.get("message"), str)
        ):
            found.append(
                f"a {status} ({UNDOCUMENTED_STATUSES[status]}) needs Calendly's error body "
                "{title, message}"
            )
        return found + facts_problems(ctx)
    if status == 204:
        # S2 gives every 204 an (empty) JSON object schema; facts §1.4 (and HTTP): no body.
        return ["a 204 answer must have no body"] if response.content else []
    try:
        _openapi().validate_response(_Request(request, operation), _Response(response))
    except OpenAPIError as error:
        cause = error.__cause__
        schema_errors = getattr(cause, "schema_errors", None)
        if schema_errors is None:
            found.append(f"{type(error).__name__}: {cause or error}")
        else:
            for schema_error in schema_errors:
                for left in _residual(schema_error, ctx):
                    found.append(f"{_where(left.absolute_path)}: {left.message}")
    return found + facts_problems(ctx)


def validate(response: httpx.Response) -> None:
    """Assert that ``response`` is what Calendly's spec allows for its operation.

    The sandbox's base URL stands in for ``https://api.calendly.com``; only the request's
    path and method pick the operation. Raises ``AssertionError`` listing every problem.
    """
    require_spec()
    found = problems(response)
    if found:
        request = response.request
        op = find_operation(request.method, request.url.path)
        name = f"{op.label} ({op.operation_id})" if op else f"{request.method} {request.url.path}"
        listing = "\n".join(f"  - {p}" for p in found)
        raise AssertionError(
            f"{name} answered {response.status_code} outside Calendly's spec:\n{listing}\n"
            f"  request: {request.method} {request.url}\n  body: {response.text[:600]}"
        )


def response_hook(response: httpx.Response) -> None:
    """An httpx ``event_hooks={"response": [...]}`` hook validating every API response.

    Skips the control surface (``/_sandbox``), non-API pages (booking pages, widget), and
    responses the sandbox marks as deliberately faulted; a no-op without the spec.
    """
    if not spec_available():
        return
    request = response.request
    if request.url.path.startswith("/_sandbox") or FAULT_HEADER in response.headers:
        return
    if find_operation(request.method, request.url.path) is None:
        return
    response.read()
    validate(response)


def client(base_url: str, token: str | None) -> httpx.Client:
    """An httpx client on the sandbox whose every API response is validated."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(
        base_url=base_url, headers=headers, timeout=30, event_hooks={"response": [response_hook]}
    )
