"""The test sender against a real local receiver: what arrives, and Calendly's reading of it."""

from __future__ import annotations

import hashlib
import hmac
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from desktop.webhooks.sender import (
    GONE,
    REDIRECT,
    RESPONSE_LIMIT,
    RETRY,
    USER_AGENT,
    BadURL,
    Failure,
    ReceivedResponse,
    check_url,
    grade_answer,
    send_test,
)
from tests.sandbox.receiver import Receiver, serving

KEY = "sender-test-key-0123456789-abcdefghijklmnop"
BODY = (
    '{"event":"invitee.created","created_at":"2026-11-26T10:00:00.000000Z",'
    '"payload":{"name":"Zoë"}}'
).encode()


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    """One receiver for the module (closing one takes half a second); tests use own paths."""
    with serving() as made:
        yield made


def independent_signature(key: str, timestamp: int, body: bytes) -> str:
    """Calendly's documented scheme (facts §6.3), computed here without the code under test."""
    return hmac.new(key.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.asyncio
async def test_a_2xx_is_delivered_and_verifies_at_the_receiver(receiver: Receiver) -> None:
    now = datetime.now(UTC)
    result = await send_test(receiver.url("/ok"), BODY, signing_key=KEY, now=now)

    assert result.delivered and result.grade.delivered
    assert result.grade.verdict == "Delivered: the receiver answered 200 OK."
    assert result.grade.consequence is None and result.grade.warnings == ()
    assert result.failure is None
    assert result.response is not None
    assert (result.response.status, result.response.body) == (200, "ok")
    assert result.elapsed > 0

    (got,) = receiver.received("/ok")
    assert got.method == "POST"
    assert got.body == BODY  # the exact bytes, as signed
    assert got.header("Content-Type") == "application/json"
    assert got.header("User-Agent") == USER_AGENT
    header = got.header("Calendly-Webhook-Signature")
    assert header is not None
    parts = dict(part.split("=", 1) for part in header.split(","))
    assert int(parts["t"]) == int(now.timestamp())
    assert hmac.compare_digest(parts["v1"], independent_signature(KEY, int(parts["t"]), got.body))
    # What the result says was sent is what arrived.
    assert result.request.body == got.body
    assert result.request.header("Calendly-Webhook-Signature") == header
    assert result.request.url == receiver.url("/ok")


@pytest.mark.asyncio
async def test_without_a_key_nothing_is_signed(receiver: Receiver) -> None:
    result = await send_test(receiver.url("/unsigned"), BODY, signing_key=None)
    assert result.delivered
    (got,) = receiver.received("/unsigned")
    assert got.header("Calendly-Webhook-Signature") is None
    assert result.request.header("Calendly-Webhook-Signature") is None


@pytest.mark.asyncio
async def test_extra_headers_go_out_as_given_and_a_signature_made_here_replaces_theirs(
    receiver: Receiver,
) -> None:
    original = "t=1492774577,v1=" + "5" * 64  # another delivery's signature, passed on as is
    forwarded = {"calendly-webhook-signature": original, "X-Trace": "abc"}
    result = await send_test(receiver.url("/forwarded"), BODY, signing_key=None, headers=forwarded)
    (got,) = receiver.received("/forwarded")
    assert got.header("Calendly-Webhook-Signature") == original
    assert got.header("X-Trace") == "abc"
    assert got.header("Content-Type") == "application/json"  # the defaults stay
    assert result.request.header("Calendly-Webhook-Signature") == original
    names = [name.lower() for name, _ in result.request.headers]
    assert names.count("calendly-webhook-signature") == 1

    replaced = await send_test(
        receiver.url("/resigned"),
        BODY,
        signing_key=KEY,
        headers={"Content-Type": "text/plain", "Calendly-Webhook-Signature": original},
    )
    (got,) = receiver.received("/resigned")
    header = got.header("Calendly-Webhook-Signature")
    assert header is not None and header != original
    parts = dict(part.split("=", 1) for part in header.split(","))
    assert parts["v1"] == independent_signature(KEY, int(parts["t"]), got.body)
    assert got.header("Content-Type") == "text/plain"  # one named like a default replaces it
    assert replaced.request.header("Calendly-Webhook-Signature") == header


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [301, 302, 307])
async def test_a_redirect_fails_and_is_not_followed(receiver: Receiver, status: int) -> None:
    elsewhere = receiver.url(f"/moved-here/{status}")
    receiver.answer(status, headers={"Location": elsewhere})
    result = await send_test(receiver.url(f"/redirect/{status}"), BODY, signing_key=KEY)

    assert not result.delivered
    assert result.response is not None and result.response.status == status
    assert result.grade.verdict.startswith(f"Failed: the receiver answered {status}")
    assert result.grade.consequence is not None
    assert "Calendly does not follow redirects: this counts as a failure" in (
        result.grade.consequence
    )
    assert RETRY in result.grade.consequence
    assert result.grade.warnings == (
        f"The receiver redirects to {elsewhere}; subscribe that URL instead.",
    )
    assert len(receiver.received(f"/redirect/{status}")) == 1
    assert receiver.received(f"/moved-here/{status}") == []


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [400, 401, 404, 500, 503])
async def test_an_error_status_fails_and_calendly_would_retry(
    receiver: Receiver, status: int
) -> None:
    receiver.answer(status)
    result = await send_test(receiver.url(f"/error/{status}"), BODY, signing_key=KEY)
    assert not result.delivered
    assert result.response is not None and result.response.status == status
    assert result.grade.consequence == (
        "Calendly would retry with back-off for 24 hours, then disable the subscription."
    )
    assert len(receiver.received(f"/error/{status}")) == 1


@pytest.mark.asyncio
async def test_410_gone_means_calendly_deletes_the_subscription(receiver: Receiver) -> None:
    receiver.answer(410)
    result = await send_test(receiver.url("/gone"), BODY, signing_key=KEY)
    assert not result.delivered
    assert result.grade.verdict == "Failed: the receiver answered 410 Gone."
    assert result.grade.consequence == GONE
    assert "delete the subscription at once, without retrying" in GONE
    assert REDIRECT not in (result.grade.consequence or "")


@pytest.mark.asyncio
async def test_a_refused_connection_is_a_failed_result_not_an_exception() -> None:
    url = f"http://127.0.0.1:{closed_port()}/hooks"
    result = await send_test(url, BODY, signing_key=KEY)
    assert not result.delivered
    assert result.failure is Failure.REFUSED
    assert result.response is None
    assert result.failure_detail is not None and "refused" in result.failure_detail
    assert result.grade.consequence == RETRY
    assert result.request.body == BODY  # the request is still shown


@pytest.mark.asyncio
async def test_a_slow_receiver_is_a_read_timeout(receiver: Receiver) -> None:
    receiver.hold()
    try:
        result = await send_test(receiver.url("/slow"), BODY, signing_key=KEY, read_timeout=0.2)
    finally:
        receiver.release()
    assert not result.delivered
    assert result.failure is Failure.READ_TIMEOUT
    assert result.failure_detail is not None and "0.2 s" in result.failure_detail
    assert result.grade.consequence == RETRY
    assert len(receiver.received("/slow")) == 1


@pytest.mark.asyncio
async def test_an_unknown_host_is_a_dns_failure() -> None:
    # ``.invalid`` never resolves (RFC 6761).
    result = await send_test(
        "http://receiver.invalid/hooks", BODY, signing_key=KEY, connect_timeout=5
    )
    assert result.failure is Failure.DNS
    assert "receiver.invalid" in (result.failure_detail or "")


@pytest.mark.asyncio
async def test_https_to_a_plain_http_receiver_is_a_tls_failure(receiver: Receiver) -> None:
    url = f"https://127.0.0.1:{receiver.port}/tls"
    result = await send_test(url, BODY, signing_key=KEY)
    assert result.failure is Failure.TLS
    assert "TLS" in (result.failure_detail or "")
    assert receiver.received("/tls") == []


@pytest.mark.asyncio
async def test_a_shared_client_lends_its_pool_but_never_its_credentials(
    receiver: Receiver,
) -> None:
    async with httpx.AsyncClient(
        headers={"Authorization": "Bearer api-token", "X-App": "console"},
        cookies={"session": "secret"},
        auth=("user", "password"),
        follow_redirects=True,
    ) as http:
        receiver.answer(302, headers={"Location": receiver.url("/shared-moved")})
        result = await send_test(receiver.url("/shared"), BODY, signing_key=KEY, http=http)
        assert not http.is_closed  # the caller's client stays open
    (got,) = receiver.received("/shared")
    names = {name.lower() for name, _ in got.headers}
    assert {"authorization", "cookie", "x-app"}.isdisjoint(names)
    assert not result.delivered  # its follow_redirects=True is not used either
    assert receiver.received("/shared-moved") == []


def test_a_slow_2xx_is_delivered_with_a_warning() -> None:
    answer = ReceivedResponse(200, "OK", (), "ok")
    grade = grade_answer(answer, elapsed=12.5)
    assert grade.delivered
    assert len(grade.warnings) == 1
    assert "12.5 s" in grade.warnings[0]
    assert "respond fast, process later" in grade.warnings[0].lower()
    assert grade_answer(answer, elapsed=2.0).warnings == ()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "url",
    ["", "   ", "example.com/hooks", "ftp://example.com/hooks", "https:///hooks", "http://a b/"],
)
async def test_a_bad_url_is_refused_naming_the_field(url: str) -> None:
    reason = check_url(url)
    assert reason is not None and reason.startswith("URL ")
    with pytest.raises(BadURL, match=r"^URL ") as raised:
        await send_test(url, BODY, signing_key=KEY)
    assert raised.value.field == "URL"


@pytest.mark.parametrize(
    "url", ["https://example.com/hooks", "http://127.0.0.1:8080/x?y=1", "https://[::1]/h"]
)
def test_absolute_http_urls_pass(url: str) -> None:
    assert check_url(url) is None


class _Chatty(BaseHTTPRequestHandler):
    """Answers every POST with 200 KB of text, to show the answer is cut short."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", str(200_000))
        self.end_headers()
        self.wfile.write(b"x" * 200_000)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.asyncio
async def test_a_large_answer_is_cut_short() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Chatty)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/big"
        result = await send_test(url, BODY, signing_key=None)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert result.delivered
    assert result.response is not None and result.response.truncated
    assert result.response.body == "x" * RESPONSE_LIMIT
