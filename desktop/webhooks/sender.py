"""Send one test delivery the way Calendly would, and grade the answer by Calendly's rules.

Calendly POSTs JSON with a ``Calendly-Webhook-Signature``, connects within 10 s, waits 15 s for
the answer and never follows redirects. A 2xx is delivered; any other answer or a timeout is a
failure it retries for 24 hours before disabling the subscription; 410 Gone deletes the
subscription at once (facts §6.4). Network faults never raise: they are failed results.
"""

from __future__ import annotations

import enum
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from desktop.api.times import aware
from desktop.webhooks.http11 import first_header
from desktop.webhooks.signature import HEADER, sign

# Calendly does not document its User-Agent; this says what sent the request and looks like it.
USER_AGENT = "Calendly-Webhooks (calendly-console test sender)"
CONNECT_TIMEOUT = 10.0  # Calendly's connect timeout (facts §6.4)
READ_TIMEOUT = 15.0  # Calendly's read timeout (facts §6.4)
SLOW_SECONDS = 10.0  # a 2xx slower than this is delivered, with a warning
RESPONSE_LIMIT = 16 * 1024  # bytes of the answer kept for display
FIELD = "URL"

REDIRECT = "Calendly does not follow redirects: this counts as a failure."
RETRY = "Calendly would retry with back-off for 24 hours, then disable the subscription."
GONE = "Calendly would delete the subscription at once, without retrying."


class BadURL(ValueError):
    """The URL cannot be sent to; the message names the field ("URL")."""

    field = FIELD


def check_url(text: str) -> str | None:
    """Why ``text`` is not an absolute http(s) URL (a sentence naming "URL"), or None."""
    if not text.strip():
        return f"{FIELD} is empty: enter the address of your webhook receiver."
    if text != text.strip() or any(char.isspace() for char in text):
        return f"{FIELD} contains spaces or line breaks; remove them."
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as error:
        return f"{FIELD} is not a valid address: {error}."
    if url.scheme not in ("http", "https"):
        return f"{FIELD} must start with https:// (or http:// for a local receiver)."
    if not url.host:
        return f"{FIELD} has no host name; write it in full, like https://example.com/hooks."
    return None


class Failure(enum.Enum):
    """Why no answer arrived."""

    CONNECT_TIMEOUT = "connect timeout"
    READ_TIMEOUT = "read timeout"
    WRITE_TIMEOUT = "write timeout"
    REFUSED = "connection refused"
    DNS = "host not found"
    TLS = "TLS handshake failed"
    CONNECTION = "connection failed"
    PROTOCOL = "invalid answer"


@dataclass(frozen=True, slots=True)
class SentRequest:
    """The request exactly as it went out (header lines as sent, raw body)."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        return first_header(self.headers, name)


@dataclass(frozen=True, slots=True)
class ReceivedResponse:
    """The receiver's answer; ``body`` is text cut at ``RESPONSE_LIMIT`` bytes."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: str
    truncated: bool = False

    def header(self, name: str) -> str | None:
        return first_header(self.headers, name)


@dataclass(frozen=True, slots=True)
class Grade:
    """Delivered or failed, in Calendly's terms; ``consequence``: what Calendly would do."""

    delivered: bool
    verdict: str
    consequence: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SendResult:
    request: SentRequest
    response: ReceivedResponse | None
    failure: Failure | None
    failure_detail: str | None  # a sentence about the failure, when there was no answer
    elapsed: float  # seconds from sending to the end of the answer (or the failure)
    sent_at: datetime
    grade: Grade

    @property
    def delivered(self) -> bool:
        return self.grade.delivered


async def send_test(
    url: str,
    body: bytes,
    *,
    signing_key: str | None,
    headers: Mapping[str, str] | None = None,
    http: httpx.AsyncClient | None = None,
    now: datetime | None = None,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
) -> SendResult:
    """POST ``body`` to ``url`` as Calendly would, signed at ``now`` when a key is given.

    ``headers`` are extra header lines, sent as given (one named like a default replaces it),
    e.g. a delivery's original signature to send it again as it came; a signature made with
    ``signing_key`` replaces any signature among them.
    ``http`` is a client to send with; only its connection pool is used: the request carries
    neither its default headers, cookies nor auth (an API token must never reach a
    receiver), and the timeouts are Calendly's. Raises ``BadURL`` for a URL that cannot be
    sent to; every network fault becomes a failed result.
    """
    problem = check_url(url)
    if problem is not None:
        raise BadURL(problem)
    sent_at = datetime.now(UTC) if now is None else aware("now", now)
    lines = httpx.Headers({"Content-Type": "application/json", "User-Agent": USER_AGENT})
    lines.update(headers or {})
    if signing_key:
        lines[HEADER] = sign(signing_key, int(sent_at.timestamp()), body)
    timeout = httpx.Timeout(
        connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout
    )
    request = httpx.Request(
        "POST", url, headers=lines, content=body, extensions={"timeout": timeout.as_dict()}
    )
    sent = SentRequest(
        "POST",
        str(request.url),
        tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw),
        body,
    )
    client = http or httpx.AsyncClient(trust_env=False)
    started = time.perf_counter()
    try:
        answer = await _exchange(client, request)
    except (httpx.HTTPError, OSError) as error:  # OSError: a socket fault httpx did not wrap
        failure, detail = _failure(error, request.url, connect_timeout, read_timeout)
        elapsed = time.perf_counter() - started
        grade = Grade(False, f"Failed: {detail}", RETRY)
        return SendResult(sent, None, failure, detail, elapsed, sent_at, grade)
    finally:
        if http is None:
            await client.aclose()
    elapsed = time.perf_counter() - started
    return SendResult(sent, answer, None, None, elapsed, sent_at, grade_answer(answer, elapsed))


async def _exchange(client: httpx.AsyncClient, request: httpx.Request) -> ReceivedResponse:
    response = await client.send(request, stream=True, auth=None, follow_redirects=False)
    kept = bytearray()
    truncated = False
    try:
        async for chunk in response.aiter_bytes():
            kept += chunk
            if len(kept) > RESPONSE_LIMIT:
                truncated = True
                break
    finally:
        await response.aclose()
    return ReceivedResponse(
        response.status_code,
        response.reason_phrase,
        tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw),
        bytes(kept[:RESPONSE_LIMIT]).decode("utf-8", "replace"),
        truncated,
    )


def grade_answer(response: ReceivedResponse, elapsed: float) -> Grade:
    """Calendly's reading of an answer that took ``elapsed`` seconds."""
    status = f"{response.status} {response.reason}".strip()
    if 200 <= response.status < 300:
        warnings: tuple[str, ...] = ()
        if elapsed > SLOW_SECONDS:
            warnings = (
                f"The receiver took {elapsed:.1f} s to answer; Calendly gives up after "
                f"{READ_TIMEOUT:g} s. Respond fast, process later: answer 2xx at once and do "
                "the work afterwards.",
            )
        return Grade(True, f"Delivered: the receiver answered {status}.", None, warnings)
    verdict = f"Failed: the receiver answered {status}."
    if 300 <= response.status < 400:
        location = response.header("Location")
        moved = (f"The receiver redirects to {location}; subscribe that URL instead.",)
        return Grade(False, verdict, f"{REDIRECT} {RETRY}", moved if location else ())
    if response.status == 410:
        return Grade(False, verdict, GONE)
    return Grade(False, verdict, RETRY)


def _failure(
    error: Exception, url: httpx.URL, connect_timeout: float, read_timeout: float
) -> tuple[Failure, str]:
    where = f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"
    if isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout):
        return Failure.CONNECT_TIMEOUT, (
            f"no connection to {where} within {connect_timeout:g} s (Calendly's connect timeout)."
        )
    if isinstance(error, httpx.ReadTimeout):
        return Failure.READ_TIMEOUT, (
            f"no answer within {read_timeout:g} s of sending (Calendly's read timeout)."
        )
    if isinstance(error, httpx.WriteTimeout):
        return Failure.WRITE_TIMEOUT, f"the request could not be sent within {read_timeout:g} s."
    causes = _causes(error)
    if any(isinstance(cause, ssl.SSLError | ssl.CertificateError) for cause in causes):
        return Failure.TLS, (
            f"the TLS (HTTPS) handshake with {where} failed: {_text(error)}. Calendly needs a "
            "certificate it trusts."
        )
    if any(isinstance(cause, socket.gaierror) for cause in causes) or _looks_like_dns(error):
        return Failure.DNS, f"the host name {url.host} could not be found (DNS)."
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes) or (
        "refused" in _text(error).lower()
    ):
        return Failure.REFUSED, f"the connection to {where} was refused: nothing listens there."
    if isinstance(error, httpx.RemoteProtocolError | httpx.DecodingError):
        return Failure.PROTOCOL, f"the receiver's answer was not valid HTTP: {_text(error)}."
    return Failure.CONNECTION, f"the connection to {where} failed: {_text(error)}."


def _causes(error: BaseException) -> list[BaseException]:
    """The error and everything it was raised from (httpx wraps the socket's own error)."""
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def _looks_like_dns(error: Exception) -> bool:
    text = _text(error).lower()
    return any(
        phrase in text
        for phrase in ("name or service not known", "nodename nor servname", "getaddrinfo")
    )


def _text(error: BaseException) -> str:
    return str(error) or type(error).__name__
