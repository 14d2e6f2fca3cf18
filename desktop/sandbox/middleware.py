"""ASGI layers in front of the API: injected faults, then per-user rate limits."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop.sandbox import errors
from desktop.sandbox.auth import token_id
from desktop.sandbox.ratelimit import Verdict
from desktop.sandbox.state import SandboxState

_TITLES = {
    400: (errors.INVALID_ARGUMENT, errors.INVALID_ARGUMENT_MESSAGE),
    401: (errors.UNAUTHENTICATED, "The access token is invalid"),
    403: (errors.PERMISSION_DENIED, errors.PERMISSION_MESSAGE),
    404: (errors.NOT_FOUND, errors.NOT_FOUND_MESSAGE),
    409: ("Already Exists", "The resource already exists"),
    429: ("Too Many Requests", "The rate limit was exceeded; retry after the window resets."),
    500: (errors.INTERNAL, errors.INTERNAL_MESSAGE),
}


def _is_api(scope: Scope) -> bool:
    return scope["type"] == "http" and not str(scope["path"]).startswith("/_sandbox")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


FAULT_HEADER = "X-Sandbox-Fault"


async def _send_json(
    send: Send, status: int, body: Any, headers: dict[str, str] | None = None
) -> None:
    raw = json.dumps(body).encode()
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
    head += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": raw})


def error_body(status: int) -> dict[str, str]:
    title, message = _TITLES.get(status, (errors.INTERNAL, errors.INTERNAL_MESSAGE))
    return {"title": title, "message": message}


def rate_key(state: SandboxState, scope: Scope) -> str:
    """Budgets are per user (facts §5.3); unknown tokens share one anonymous budget."""
    authorization = _header(scope, b"authorization") or ""
    token = authorization.partition(" ")[2].strip()
    record = state.tokens.lookup(token, state.clock.now()) if token else None
    if record is not None:
        return "user:" + str(record["user"])
    return "anonymous:" + (token_id(token) if token else "")


class RateLimitLayer:
    """Adds ``X-RateLimit-*`` to every API response and answers 429 past the budget."""

    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_api(scope):
            await self.app(scope, receive, send)
            return
        verdict = self.state.limiter.hit(rate_key(self.state, scope), self.state.clock.now())
        if not verdict.allowed:
            await _send_json(send, 429, error_body(429), verdict.headers())
            return
        await self.app(scope, receive, _with_headers(send, verdict))


def _with_headers(send: Send, verdict: Verdict) -> Send:
    extra = [(k.lower().encode(), v.encode()) for k, v in verdict.headers().items()]

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            # A route may answer with its own budget's headers (the Scheduling API's 429).
            own = {bytes(k).lower() for k, _ in message.get("headers", [])}
            mine = [(k, v) for k, v in extra if k not in own]
            message = {**message, "headers": [*message.get("headers", []), *mine]}
        await send(message)

    return wrapped


class FaultLayer:
    """Applies the configured latency and the injected faults to API requests."""

    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_api(scope):
            await self.app(scope, receive, send)
            return
        self.state.requests[f"{scope['method']} {scope['path']}"] += 1
        fired = self.state.faults.draw(
            scope["method"],
            scope["path"],
            ("latency", "error", "rate_limit", "truncate", "malformed"),
        )
        delay = self.state.config.latency_ms + sum(
            f.latency_ms for f in fired if f.kind == "latency"
        )
        if delay > 0:
            await asyncio.sleep(delay / 1000)
        kinds = {f.kind: f for f in fired}
        if "error" in kinds:
            status = kinds["error"].status
            await _send_json(send, status, error_body(status), {FAULT_HEADER: "error"})
        elif "rate_limit" in kinds:
            verdict = self.state.limiter.exhaust(
                rate_key(self.state, scope), self.state.clock.now()
            )
            await _send_json(
                send, 429, error_body(429), {**verdict.headers(), FAULT_HEADER: "rate_limit"}
            )
        elif "malformed" in kinds:
            raw = b'{"collection": [ <html>upstream error</html>'
            head = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
                (FAULT_HEADER.lower().encode(), b"malformed"),
            ]
            await send({"type": "http.response.start", "status": 200, "headers": head})
            await send({"type": "http.response.body", "body": raw})
        elif "truncate" in kinds:
            await self.app(scope, receive, _truncating(send))
        else:
            await self.app(scope, receive, send)


def _truncating(send: Send) -> Send:
    """Sends the head and half the body, then stops: the server closes the connection."""
    done = False

    async def wrapped(message: Message) -> None:
        nonlocal done
        if done:
            return
        if message["type"] == "http.response.body":
            body = bytes(message.get("body", b""))
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
            done = True
            return
        await send(message)

    return wrapped
