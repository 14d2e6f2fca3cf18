"""The curl command, run by a real POSIX shell against a real receiver, sends the same bytes."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest

from desktop.webhooks.curl import as_curl
from desktop.webhooks.sender import send_test
from tests.sandbox.receiver import Receiver, serving

pytestmark = pytest.mark.skipif(
    shutil.which("curl") is None or shutil.which("sh") is None, reason="needs curl and sh"
)
SIGNATURE = "t=1790000000,v1=" + "ab" * 32
HEADERS = {
    "Host": "wrong.example",
    "Content-Length": "999",
    "Content-Type": "application/json",
    "User-Agent": "Calendly-Webhooks (test)",
    "Calendly-Webhook-Signature": SIGNATURE,
}


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    """One receiver for the module (closing one takes half a second); tests use own paths."""
    with serving() as made:
        yield made


def run(command: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.parametrize(
    "body",
    [
        '{"event":"invitee.created","payload":{"name":"Zoë O\'Brien","note":"$HOME `id` \\\\ %s"}}',
        '{"multi":"line"}\n{"second":"line"}\n',
        "",
    ],
    ids=["json-with-shell-characters", "newlines", "empty"],
)
def test_a_text_body_arrives_byte_for_byte(receiver: Receiver, body: str) -> None:
    raw = body.encode("utf-8")
    path = f"/text/{len(raw)}?x=1&y=2"
    command = as_curl(receiver.url(path), HEADERS, raw)
    assert "--data-binary '" in command and "printf" not in command
    done = run(command)

    (got,) = receiver.received(path)
    assert got.method == "POST"
    assert got.body == raw
    assert got.header("Content-Type") == "application/json"
    assert got.header("User-Agent") == "Calendly-Webhooks (test)"
    assert got.header("Calendly-Webhook-Signature") == SIGNATURE
    # Host and Content-Length come from curl itself, not the copied (here wrong) values.
    assert got.header("Content-Length") == str(len(raw))
    assert got.header("Host") == f"127.0.0.1:{receiver.port}"
    assert "HTTP/1.0 200" in done.stdout  # --include shows the receiver's answer


@pytest.mark.parametrize(
    "raw",
    [
        b"\xff\xfe not UTF-8 \x00 NUL, 100% \\n backslash, 'quote' and \x7f\r\n",
        b"@/etc/passwd",
        bytes(range(256)),
    ],
    ids=["binary", "starts-with-at", "every-byte"],
)
def test_a_binary_body_is_piped_through_printf(receiver: Receiver, raw: bytes) -> None:
    path = f"/binary/{len(raw)}"
    command = as_curl(receiver.url(path), [("Content-Type", "application/octet-stream")], raw)
    assert command.startswith("printf ")
    assert "--data-binary @-" in command
    run(command)
    (got,) = receiver.received(path)
    assert got.body == raw


def test_the_command_is_one_line_per_option() -> None:
    command = as_curl("https://example.com/hooks", {"Content-Type": "application/json"}, b"{}")
    assert command.splitlines() == [
        "curl --include --request POST https://example.com/hooks \\",
        "  --header 'Content-Type: application/json' \\",
        "  --data-binary '{}'",
    ]


@pytest.mark.asyncio
async def test_a_sent_test_delivery_replays_identically(receiver: Receiver) -> None:
    body = '{"event":"invitee.created","payload":{"name":"Zoë"}}'.encode()
    result = await send_test(receiver.url("/replay/app"), body, signing_key="k" * 40)
    request = result.request
    run(as_curl(receiver.url("/replay/curl"), request.headers, request.body))
    (sent,) = receiver.received("/replay/app")
    (replayed,) = receiver.received("/replay/curl")
    assert replayed.body == sent.body == body
    for name in ("Content-Type", "User-Agent", "Calendly-Webhook-Signature"):
        assert replayed.header(name) == sent.header(name), name
