"""The local receiver over real sockets: what it keeps, how it answers, a live sandbox delivery."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from desktop.api import CalendlyClient
from desktop.api.errors import NotFound
from desktop.domain.webhooks import WebhookSubscription
from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.webhooks.inbox import Delivery, Inbox, Verdict
from desktop.webhooks.receiver import MAX_BODY_BYTES, Receiver, ReceiverError
from desktop.webhooks.signature import HEADER, sign
from tests.sandbox.delivery_support import active_invitees, upcoming_event
from tests.sandbox.receiver import wait_until

KEY = "whsec-receiver-test-key"
WAIT = 15.0  # seconds any single wait may take before the test fails


def envelope(event: str = "invitee.created", email: str = "ada@example.com") -> bytes:
    return json.dumps(
        {
            "event": event,
            "created_at": "2026-01-05T10:00:00.000000Z",
            "created_by": "https://api.calendly.com/users/AAAA",
            "payload": {
                "email": email,
                "name": "Ada Lovelace",
                "scheduled_event": {"name": "Intro call"},
            },
        }
    ).encode()


def now() -> int:
    return int(datetime.now(UTC).timestamp())


@pytest_asyncio.fixture
async def inbox(tmp_path: Path) -> AsyncIterator[Inbox]:
    made = Inbox(tmp_path / "inbox.sqlite3")
    yield made
    await made.close()


@pytest_asyncio.fixture
async def receiver(inbox: Inbox) -> AsyncIterator[Receiver]:
    async with Receiver(inbox, lambda: [KEY]) as made:
        yield made


@pytest_asyncio.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=WAIT, trust_env=False) as made:
        yield made


async def only(inbox: Inbox) -> Delivery:
    found = await inbox.query()
    assert len(found) == 1, found
    return found[0]


async def raw_exchange(receiver: Receiver, data: bytes) -> tuple[bytes, asyncio.StreamReader]:
    """Send ``data`` on a fresh socket; the response head and the reader for the rest."""
    reader, writer = await asyncio.open_connection(receiver.host, receiver.port)
    writer.write(data)
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), WAIT)
    return head, reader


# -- verdicts ----------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_a_signed_delivery_is_stored_as_it_arrived_and_valid(
    receiver: Receiver, inbox: Inbox, http: httpx.AsyncClient
) -> None:
    body = envelope()
    sent_at = now()
    response = await http.post(
        receiver.url + "hooks/calendly?source=test",
        content=body,
        headers={HEADER: sign(KEY, sent_at, body), "Content-Type": "application/json"},
    )
    assert response.status_code == 200

    delivery = await only(inbox)
    assert delivery.method == "POST"
    assert delivery.path == "/hooks/calendly?source=test"
    assert delivery.body == body
    assert delivery.verdict is Verdict.VALID
    assert delivery.reason == "The signature matches."
    assert delivery.answered == 200
    assert delivery.event == "invitee.created"
    assert delivery.summary == "Ada Lovelace <ada@example.com> · Intro call"
    assert delivery.signed_at == datetime.fromtimestamp(sent_at, UTC)
    assert delivery.remote.startswith("127.0.0.1:")
    assert delivery.received_at.tzinfo is not None
    assert abs(delivery.received_at.timestamp() - sent_at) < 60
    names = [name for name, _ in delivery.headers]
    assert HEADER in names  # as sent, not lower-cased
    assert delivery.header("content-type") == "application/json"
    assert f"delivery {delivery.id}" in response.text
    assert await inbox.get(delivery.id) == delivery


@pytest.mark.asyncio
async def test_a_delivery_signed_with_another_key_is_invalid(
    receiver: Receiver, inbox: Inbox, http: httpx.AsyncClient
) -> None:
    body = envelope()
    response = await http.post(
        receiver.url, content=body, headers={HEADER: sign("someone-else", now(), body)}
    )
    assert response.status_code == 200  # recorded and accepted; the verdict tells the user
    delivery = await only(inbox)
    assert delivery.verdict is Verdict.INVALID
    assert "No v1 signature matches the signing key" in delivery.reason


@pytest.mark.asyncio
async def test_a_delivery_without_a_signature_is_unsigned(
    receiver: Receiver, inbox: Inbox, http: httpx.AsyncClient
) -> None:
    await http.post(receiver.url, content=envelope())
    delivery = await only(inbox)
    assert delivery.verdict is Verdict.UNSIGNED
    assert HEADER in delivery.reason
    assert delivery.signed_at is None


@pytest.mark.asyncio
async def test_a_stale_signature_is_expired(inbox: Inbox, http: httpx.AsyncClient) -> None:
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    async with Receiver(inbox, lambda: [KEY], clock=lambda: moment) as receiver:
        body = envelope()
        stale = int((moment - timedelta(seconds=181)).timestamp())
        fresh = int((moment - timedelta(seconds=179)).timestamp())
        await http.post(receiver.url, content=body, headers={HEADER: sign(KEY, stale, body)})
        await http.post(receiver.url, content=body, headers={HEADER: sign(KEY, fresh, body)})
    newest, oldest = await inbox.query()
    assert oldest.verdict is Verdict.EXPIRED
    assert "181 s old" in oldest.reason
    assert newest.verdict is Verdict.VALID
    assert oldest.received_at == moment


@pytest.mark.asyncio
async def test_any_of_several_signatures_and_keys_may_match(
    inbox: Inbox, http: httpx.AsyncClient
) -> None:
    async with Receiver(inbox, lambda: ["old-key", KEY]) as receiver:
        body = envelope()
        sent_at = now()
        good = sign(KEY, sent_at, body).split(",")[1]
        header = f"t={sent_at},v1={'0' * 64},{good}"
        await http.post(receiver.url, content=body, headers={HEADER: header})
    assert (await only(inbox)).verdict is Verdict.VALID


@pytest.mark.asyncio
async def test_keys_are_read_when_each_delivery_arrives(
    inbox: Inbox, http: httpx.AsyncClient
) -> None:
    keys: list[str] = []
    async with Receiver(inbox, lambda: keys) as receiver:
        body = envelope()
        await http.post(receiver.url, content=body, headers={HEADER: sign(KEY, now(), body)})
        keys.append(KEY)  # the user saved the subscription's key meanwhile
        await http.post(receiver.url, content=body, headers={HEADER: sign(KEY, now(), body)})
    second, first = await inbox.query()
    assert first.verdict is Verdict.NO_KEY
    assert second.verdict is Verdict.VALID


@pytest.mark.asyncio
async def test_failing_keys_still_keep_the_delivery(inbox: Inbox, http: httpx.AsyncClient) -> None:
    def broken() -> list[str]:
        raise RuntimeError("keyring locked")

    async with Receiver(inbox, broken) as receiver:
        body = envelope()
        response = await http.post(
            receiver.url, content=body, headers={HEADER: sign(KEY, now(), body)}
        )
    assert response.status_code == 200
    assert (await only(inbox)).verdict is Verdict.NO_KEY


# -- bodies and connections --------------------------------------------------------------------
@pytest.mark.asyncio
async def test_a_chunked_body_is_stored_exactly(
    receiver: Receiver, inbox: Inbox, http: httpx.AsyncClient
) -> None:
    body = envelope() + b"\n" + bytes(range(256)) * 300  # not UTF-8, larger than one read
    sent_at = now()

    async def pieces() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 7000):
            yield body[start : start + 7000]

    response = await http.post(
        receiver.url, content=pieces(), headers={HEADER: sign(KEY, sent_at, body)}
    )
    assert response.status_code == 200
    delivery = await only(inbox)
    assert delivery.header("Transfer-Encoding") == "chunked"
    assert delivery.body == body
    assert delivery.verdict is Verdict.VALID


@pytest.mark.asyncio
async def test_one_connection_carries_several_deliveries(
    receiver: Receiver, inbox: Inbox, http: httpx.AsyncClient
) -> None:
    for number in range(3):
        response = await http.post(receiver.url, content=envelope(email=f"p{number}@example.com"))
        assert response.status_code == 200
    found = await inbox.query()
    assert [d.summary.split("<")[1].split(">")[0] for d in found] == [
        "p2@example.com",
        "p1@example.com",
        "p0@example.com",
    ]
    assert len({d.remote for d in found}) == 1  # kept alive: one client port


@pytest.mark.asyncio
async def test_an_oversized_body_is_refused_with_413_and_recorded(
    receiver: Receiver, inbox: Inbox, http: httpx.AsyncClient
) -> None:
    response = await http.post(receiver.url, content=b"x" * (MAX_BODY_BYTES + 1))
    assert response.status_code == 413
    delivery = await only(inbox)
    assert delivery.verdict is Verdict.REJECTED
    assert delivery.answered == 413
    assert delivery.body == b""
    assert "larger than the receiver's limit of 5 MB" in delivery.reason
    # The connection and the receiver carry on.
    assert (await http.post(receiver.url, content=envelope())).status_code == 200


@pytest.mark.asyncio
async def test_an_oversized_chunked_body_is_refused(inbox: Inbox, http: httpx.AsyncClient) -> None:
    async def pieces() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"y" * 500

    async with Receiver(inbox, lambda: [KEY], max_body=2048) as receiver:
        response = await http.post(receiver.url, content=pieces())
        assert response.status_code == 413
        delivery = await only(inbox)
        assert delivery.verdict is Verdict.REJECTED
        assert "5,000 bytes" in delivery.reason


@pytest.mark.asyncio
async def test_a_sender_that_expects_100_continue_gets_413_before_sending(
    receiver: Receiver, inbox: Inbox
) -> None:
    request = (
        b"POST /big HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
        b"Content-Length: %d\r\n\r\n" % (MAX_BODY_BYTES * 10)
    )
    head, _ = await raw_exchange(receiver, request)
    assert head.startswith(b"HTTP/1.1 413 ")
    assert (await only(inbox)).path == "/big"


@pytest.mark.asyncio
async def test_a_sender_that_expects_100_continue_is_told_to_go_on(
    receiver: Receiver, inbox: Inbox
) -> None:
    request = (
        b"POST /small HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
    )
    reader, writer = await asyncio.open_connection(receiver.host, receiver.port)
    writer.write(request)
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), WAIT)
    assert head.startswith(b"HTTP/1.1 100 ")
    writer.write(b"hello")
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), WAIT)
    assert head.startswith(b"HTTP/1.1 200 ")
    writer.close()
    assert (await only(inbox)).body == b"hello"


@pytest.mark.asyncio
async def test_other_methods_get_405_and_are_recorded(
    receiver: Receiver, inbox: Inbox, http: httpx.AsyncClient
) -> None:
    response = await http.get(receiver.url + "health")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    delivery = await only(inbox)
    assert (delivery.method, delivery.path, delivery.answered) == ("GET", "/health", 405)
    assert delivery.verdict is Verdict.REJECTED
    assert "not GET" in delivery.reason


@pytest.mark.asyncio
async def test_bytes_that_are_not_http_get_400_and_the_receiver_carries_on(
    receiver: Receiver, inbox: Inbox, http: httpx.AsyncClient
) -> None:
    head, reader = await raw_exchange(receiver, b"HELLO THERE\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    await asyncio.wait_for(reader.read(), WAIT)  # then the connection closes
    assert await inbox.count() == 0
    assert (await http.post(receiver.url, content=envelope())).status_code == 200


@pytest.mark.asyncio
async def test_a_broken_chunked_body_gets_400_and_is_recorded(
    receiver: Receiver, inbox: Inbox
) -> None:
    request = (
        b"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZ\r\n"
    )
    head, _ = await raw_exchange(receiver, request)
    assert head.startswith(b"HTTP/1.1 400 ")
    delivery = await only(inbox)
    assert delivery.verdict is Verdict.REJECTED
    assert delivery.body == b"hello"
    assert "could not be read" in delivery.reason


# -- answers -----------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_the_answer_status_can_change_while_running(
    receiver: Receiver, inbox: Inbox, http: httpx.AsyncClient
) -> None:
    receiver.answer_status = 500
    response = await http.post(receiver.url, content=envelope())
    assert response.status_code == 500
    delivery = await only(inbox)  # answered 500, and still kept
    assert delivery.answered == 500
    receiver.answer_status = 410
    assert (await http.post(receiver.url, content=envelope())).status_code == 410
    receiver.answer_status = 204
    response = await http.post(receiver.url, content=envelope())
    assert (response.status_code, response.content) == (204, b"")
    assert [d.answered for d in await inbox.query()] == [204, 410, 500]
    with pytest.raises(ValueError, match="between 200 and 599"):
        receiver.answer_status = 99


@pytest.mark.asyncio
async def test_a_delivery_that_cannot_be_stored_is_not_accepted(
    receiver: Receiver, inbox: Inbox, http: httpx.AsyncClient
) -> None:
    await inbox.close()
    response = await http.post(receiver.url, content=envelope())
    assert response.status_code == 503  # so the sender retries it
    assert "not recorded" in response.text


@pytest.mark.asyncio
async def test_listeners_get_each_stored_delivery_before_the_answer(
    receiver: Receiver, inbox: Inbox, http: httpx.AsyncClient
) -> None:
    seen: list[Delivery] = []
    unsubscribe = receiver.subscribe(seen.append)

    def failing(delivery: Delivery) -> None:
        raise RuntimeError("a broken listener must not cost the delivery")

    receiver.subscribe(failing)
    await http.post(receiver.url, content=envelope())
    assert seen == [await only(inbox)]
    unsubscribe()
    await http.post(receiver.url, content=envelope())
    assert len(seen) == 1


# -- lifecycle ---------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_a_taken_port_is_named_in_the_error(receiver: Receiver, inbox: Inbox) -> None:
    second = Receiver(inbox, lambda: [KEY], port=receiver.port)
    with pytest.raises(ReceiverError, match=f"^Port {receiver.port} is already in use") as caught:
        await second.start()
    assert caught.value.port_in_use
    assert not second.running


@pytest.mark.asyncio
async def test_stop_closes_the_listener_and_open_connections(inbox: Inbox) -> None:
    receiver = Receiver(inbox, lambda: [KEY])
    await receiver.start()
    url = receiver.url
    assert url == f"http://127.0.0.1:{receiver.port}/"
    reader, writer = await asyncio.open_connection(receiver.host, receiver.port)
    writer.write(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
    await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), WAIT)  # answered, kept alive
    await asyncio.wait_for(receiver.stop(), WAIT)
    assert not receiver.running
    # read() returns once the receiver closes the connection: the answer's body, then EOF.
    assert await asyncio.wait_for(reader.read(), WAIT) == b"Recorded as delivery 1.\n"
    assert reader.at_eof()
    writer.close()
    async with httpx.AsyncClient(timeout=WAIT, trust_env=False) as http:
        with pytest.raises(httpx.ConnectError):
            await http.post(url, content=b"{}")
    with pytest.raises(RuntimeError):
        _ = receiver.url


@pytest.mark.asyncio
async def test_a_start_cancelled_as_it_begins_listening_leaves_the_port_free(
    inbox: Inbox,
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    receiver = Receiver(inbox, lambda: [KEY], port=port)
    starting = asyncio.get_running_loop().create_task(receiver.start())
    for _ in range(1000):  # until the listener is there, but the start has not returned
        await asyncio.sleep(0)
        if taken(port):
            break
    assert taken(port) and not starting.done()
    starting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await starting
    await receiver.stop()  # what a caller does after a cancelled start
    assert not receiver.running
    assert not taken(port)  # nothing was left listening


def taken(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


# -- against the sandbox -----------------------------------------------------------------------
LIVE_KEY = "whsec-live-receiver-key"


async def cancel_and_receive(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str, receiver: Receiver
) -> tuple[WebhookSubscription, Record, Delivery]:
    """Subscribe the receiver, cancel an upcoming one-invitee event through the API, and wait
    (on the receiver's callback) for the ``invitee.canceled`` delivery."""
    arrived = asyncio.Event()
    got: list[Delivery] = []

    def on_delivery(delivery: Delivery) -> None:
        got.append(delivery)
        if delivery.event == "invitee.canceled":
            arrived.set()

    receiver.subscribe(on_delivery)
    hook = await client.webhooks.create(
        url=receiver.url,
        events=["invitee.created", "invitee.canceled"],
        organization=organization_uri,
        scope="organization",
        signing_key=LIVE_KEY,
    )
    event = upcoming_event(sandbox, single=True)
    (invitee,) = active_invitees(sandbox, event)
    await client.scheduled_events.cancel(event["id"], reason="Receiver test")
    await asyncio.wait_for(arrived.wait(), WAIT)
    (delivery,) = got
    return hook, invitee, delivery


@pytest.mark.asyncio
async def test_a_sandbox_cancellation_arrives_live_and_verifies(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str, inbox: Inbox
) -> None:
    async with Receiver(inbox, lambda: [LIVE_KEY]) as receiver:
        url = receiver.url
        hook, invitee, delivery = await cancel_and_receive(
            sandbox, client, organization_uri, receiver
        )

    assert hook.callback_url == url
    assert delivery.verdict is Verdict.VALID, delivery.reason
    assert (delivery.method, delivery.answered) == ("POST", 200)
    body = json.loads(delivery.body)
    assert body["event"] == "invitee.canceled"
    assert body["payload"]["email"] == invitee["email"]
    assert body["payload"]["cancellation"]["reason"] == "Receiver test"
    assert invitee["email"] in delivery.summary
    assert await inbox.query(event="invitee.canceled", status=Verdict.VALID) == [delivery]


@pytest.mark.asyncio
async def test_answering_410_makes_the_sandbox_delete_the_subscription(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str, inbox: Inbox
) -> None:
    async with Receiver(inbox, lambda: [LIVE_KEY], answer_status=410) as receiver:
        hook, _, delivery = await cancel_and_receive(sandbox, client, organization_uri, receiver)
        hook_id = hook.uri.rsplit("/", 1)[1]

        def gone() -> bool:
            return sandbox.state.store.find_one("webhooks", "id = ?", (hook_id,)) is None

        # The dispatcher settles in the sandbox's thread: wait there, leaving this loop free
        # to finish answering.
        await asyncio.to_thread(wait_until, gone, WAIT, "the subscription to be deleted")

    assert delivery.answered == 410
    assert delivery.verdict is Verdict.VALID
    with pytest.raises(NotFound):
        await client.webhooks.get(hook.uri)
