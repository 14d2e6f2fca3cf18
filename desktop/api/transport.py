"""The HTTP transport under every resource: one httpx.AsyncClient, retries, budget, errors.

Idempotent requests (GET, DELETE) are retried on connection failures, 5xx and 429 with capped
exponential backoff and jitter. Other methods are retried only when the request certainly
never reached Calendly (a refused connection, a connect timeout) or was refused unprocessed
(429); everything else is the caller's to reconcile (see ``scheduling.py``).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import msgspec

from desktop.api.errors import (
    APIStatusError,
    ConnectionFailed,
    IncompleteResponse,
    MalformedResponse,
    RequestTimeout,
    status_error,
)
from desktop.api.ratelimit import RateBudget
from desktop.api.times import wire_time

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.calendly.com"
IDEMPOTENT = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({500, 502, 503, 504})
# Calendly's own limits for webhooks are 10 s to connect and 15 s to read; the API gets a
# little more, and every request has a timeout.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    backoff_base: float = 0.5  # seconds; doubles each attempt
    backoff_cap: float = 20.0
    max_rate_limit_wait: float = 65.0  # a 429 longer than this is raised, not waited out


Params = Mapping[str, Any]
# ``own_limit(status, headers)``: True when an answer's ``X-RateLimit-*`` describe the
# endpoint's own limit (the Scheduling API's), not the shared per-user budget.
OwnLimit = Callable[[int, Mapping[str, str]], bool]


def encode_params(params: Params | None) -> list[tuple[str, str]]:
    """Query parameters as Calendly expects: None dropped, booleans lower-case, times UTC Z."""
    pairs: list[tuple[str, str]] = []
    for key, value in (params or {}).items():
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is None:
                continue
            pairs.append((key, _param_text(item)))
    return pairs


def _param_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _timestamp(value)
    return str(value)


def _timestamp(value: datetime) -> str:
    """Calendly's form; a naive time is a bug, never a guess."""
    return wire_time("a timestamp sent to Calendly", value)


def encode_body(body: Any) -> bytes:
    """A JSON body, with timestamps in the same form (and the same rule) as query parameters."""
    try:
        return msgspec.json.encode(_json_ready(body))
    except msgspec.EncodeError as error:
        raise ValueError(f"the request body cannot be sent as JSON: {error}") from None


def _json_ready(value: Any) -> Any:
    if isinstance(value, datetime):
        return _timestamp(value)
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    return value


class Transport:
    """Sends requests for the resources; owns the one ``httpx.AsyncClient``."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        auth: httpx.Auth | None = None,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        max_concurrency: int = 8,
        budget: RateBudget | None = None,
        user_agent: str = "calendly-console",
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.budget = budget or RateBudget()
        # Given per request too, so that a caller's own ``http`` client gets them as well.
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self._auth = auth
        self._slots = asyncio.Semaphore(max_concurrency)
        self._random = random.Random()
        self._http = http or httpx.AsyncClient(
            base_url=self.base_url,
            auth=auth,
            timeout=self.timeout,
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            limits=httpx.Limits(
                max_connections=max_concurrency, max_keepalive_connections=max_concurrency
            ),
            follow_redirects=False,
        )
        self.requests_sent = 0
        self.rate_limited = 0

    async def aclose(self) -> None:
        await self._http.aclose()

    def url_for(self, path_or_url: str) -> str:
        """A path on the base URL, or a full URL that must be on the same host (tokens stay
        with Calendly: a URI from a response is never followed to another host)."""
        if path_or_url.startswith(("http://", "https://")):
            if not path_or_url.startswith(self.base_url + "/"):
                raise ValueError(f"refusing to send credentials off {self.base_url}")
            url = path_or_url
        else:
            url = self.base_url + "/" + path_or_url.lstrip("/")
        try:
            httpx.URL(url)
        except httpx.InvalidURL as error:
            raise ValueError(f"not a valid request path: {error}") from None
        return url

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        idempotent: bool | None = None,
        max_rate_limit_wait: float | None = None,
        own_limit: OwnLimit | None = None,
    ) -> bytes:
        """The body of a 2xx answer (``b""`` for 204); raises a ``CalendlyError`` otherwise.

        ``max_rate_limit_wait`` overrides the policy's longest 429 wait for this call (0:
        raise ``RateLimited`` at once). Answers ``own_limit`` claims neither teach nor
        exhaust the shared budget.
        """
        method = method.upper()
        safe = method in IDEMPOTENT if idempotent is None else idempotent
        url = self.url_for(path)
        content = None if json is None else encode_body(json)
        headers = {"Content-Type": "application/json"} if content is not None else None
        query = encode_params(params)
        attempt = 0
        while True:
            try:
                return await self._once(method, url, query, content, headers, own_limit)
            except APIStatusError as error:
                wait = self._retry_wait(error, safe, attempt, max_rate_limit_wait)
                if wait is None:
                    raise
            except ConnectionFailed as error:
                wait = self._connection_wait(error, safe, attempt)
                if wait is None:
                    raise
            attempt += 1
            await asyncio.sleep(wait)

    async def _once(
        self,
        method: str,
        url: str,
        query: list[tuple[str, str]],
        content: bytes | None,
        headers: dict[str, str] | None,
        own_limit: OwnLimit | None = None,
    ) -> bytes:
        path = httpx.URL(url).path
        await self.budget.acquire()
        answer_headers: Mapping[str, str] | None = None
        claimed = False
        started = time.monotonic()
        try:
            async with self._slots:
                self.requests_sent += 1
                request = self._http.build_request(
                    method,
                    url,
                    params=tuple(query),
                    content=content,
                    headers=headers,
                    timeout=self.timeout,
                )
                response = await self._send(request, path)
            claimed = own_limit is not None and own_limit(response.status_code, response.headers)
            answer_headers = None if claimed else response.headers
        finally:
            self.budget.release(answer_headers)
        log.debug(
            "%s %s -> %s in %.0f ms",
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        if 200 <= response.status_code < 300:
            return response.content
        raise self._error(response, method, path, claimed)

    async def _send(self, request: httpx.Request, path: str) -> httpx.Response:
        """Send and read the whole answer; every httpx failure becomes a ``CalendlyError``."""
        what = f"{request.method} {path}"
        auth = httpx.USE_CLIENT_DEFAULT if self._auth is None else self._auth
        try:
            response = await self._http.send(request, auth=auth, stream=True)
        except (httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            raise _NotSent(f"Timed out connecting to {self.base_url}", timeout=True) from error
        except httpx.ConnectError as error:
            raise _NotSent(f"Could not connect to {self.base_url}: {error}") from error
        except httpx.TimeoutException as error:
            raise RequestTimeout(f"{what} timed out waiting for Calendly") from error
        except httpx.TransportError as error:
            raise ConnectionFailed(
                f"{what}: the connection failed before an answer arrived ({error})"
            ) from error
        except httpx.HTTPError as error:
            raise ConnectionFailed(f"{what} failed: {error}") from error
        try:
            await response.aread()
        except httpx.TimeoutException as error:
            raise RequestTimeout(f"{what} timed out while Calendly's answer arrived") from error
        except httpx.DecodingError as error:
            raise MalformedResponse(f"Calendly's answer to {what} could not be decoded") from error
        except httpx.HTTPError as error:
            raise IncompleteResponse(
                f"Calendly's answer to {what} was cut short ({error})"
            ) from error
        finally:
            await response.aclose()
        return response

    def _error(
        self, response: httpx.Response, method: str, path: str, claimed: bool = False
    ) -> APIStatusError:
        try:
            body = msgspec.json.decode(response.content) if response.content else {}
        except msgspec.DecodeError:
            body = {}
        retry_after = None
        if response.status_code == 429:
            self.rate_limited += 1
            retry_after = _retry_after(response.headers)
            if not claimed:
                self.budget.exhausted(retry_after if retry_after is not None else 60.0)
        return status_error(response.status_code, body, method, path, retry_after)

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.retry.backoff_cap, self.retry.backoff_base * (2.0**attempt))
        return ceiling * (0.5 + self._random.random() / 2)  # "equal jitter"

    def _retry_wait(
        self, error: APIStatusError, safe: bool, attempt: int, max_wait: float | None = None
    ) -> float | None:
        if attempt >= self.retry.max_retries:
            return None
        if error.status == 429:
            # Refused unprocessed: safe to send again for any method, after the window.
            after: float | None = getattr(error, "retry_after", None)
            wait = 1.0 if after is None else after
            longest = self.retry.max_rate_limit_wait if max_wait is None else max_wait
            return wait if wait <= longest else None
        if safe and error.status in RETRY_STATUSES:
            return self._backoff(attempt)
        return None

    def _connection_wait(self, error: ConnectionFailed, safe: bool, attempt: int) -> float | None:
        if attempt >= self.retry.max_retries:
            if isinstance(error, _NotSent):
                raise error.public() from error.__cause__
            return None
        if safe or isinstance(error, _NotSent):
            return self._backoff(attempt)
        return None


class _NotSent(ConnectionFailed):
    """The request certainly never reached Calendly (so any method may be sent again)."""

    def __init__(self, message: str, timeout: bool = False) -> None:
        super().__init__(message)
        self.timeout = timeout

    def public(self) -> ConnectionFailed:
        error = RequestTimeout(self.message) if self.timeout else ConnectionFailed(self.message)
        error.sent = False
        return error


def _retry_after(headers: Mapping[str, str]) -> float | None:
    for name in ("retry-after", "x-ratelimit-reset"):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value))
        except ValueError:
            continue
    return None
