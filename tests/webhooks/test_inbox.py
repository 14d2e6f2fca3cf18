"""The receiver's inbox: what it keeps, how it is searched and paged, and its file."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from desktop.webhooks.bodies import pretty_body, raw_text
from desktop.webhooks.inbox import (
    MEMORY,
    SCHEMA_VERSION,
    Delivery,
    Inbox,
    InboxError,
    Verdict,
)

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def calendly(event: str, payload: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "event": event,
            "created_at": "2026-03-01T09:00:00.000000Z",
            "created_by": "https://api.calendly.com/users/AAAA",
            "payload": payload,
        }
    ).encode()


def invitee(email: str, name: str = "Ada Lovelace", meeting: str = "Intro call") -> dict[str, Any]:
    return {"email": email, "name": name, "scheduled_event": {"name": meeting}}


async def put(
    inbox: Inbox,
    body: bytes = b"{}",
    *,
    verdict: Verdict = Verdict.VALID,
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),),
    minutes: int = 0,
    method: str = "POST",
) -> Delivery:
    return await inbox.add(
        received_at=START + timedelta(minutes=minutes),
        method=method,
        path="/hooks",
        headers=headers,
        body=body,
        remote="127.0.0.1:50000",
        verdict=verdict,
        reason="The signature matches." if verdict is Verdict.VALID else "Something else.",
        signed_at=int(START.timestamp()),
        answered=200,
    )


@pytest_asyncio.fixture
async def inbox(tmp_path: Path) -> AsyncIterator[Inbox]:
    made = Inbox(tmp_path / "data" / "inbox.sqlite3")
    yield made
    await made.close()


@pytest.mark.asyncio
async def test_a_delivery_comes_back_exactly_as_added() -> None:
    inbox = Inbox(MEMORY)
    try:
        body = calendly("invitee.canceled", invitee("ada@example.com")) + b"\xff\x00"
        headers = (("X-B", "2"), ("x-a", "1"), ("X-B", "3"))
        added = await inbox.add(
            received_at=datetime(2026, 3, 1, 10, 30, tzinfo=timezone(timedelta(hours=1))),
            method="POST",
            path="/hooks?x=1",
            headers=headers,
            body=body,
            remote="127.0.0.1:50123",
            verdict=Verdict.EXPIRED,
            reason="Too old.",
            signed_at=1_772_000_000,
            answered=500,
        )
        assert await inbox.get(added.id) == added
        assert added.received_at == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
        assert added.received_at.utcoffset() == timedelta(0)
        assert added.headers == headers  # order, case and repeats kept
        assert added.header("x-b") == "2"
        assert added.body == body
        assert (added.verdict, added.reason, added.answered) == (Verdict.EXPIRED, "Too old.", 500)
        assert added.signed_at == datetime.fromtimestamp(1_772_000_000, UTC)
        assert added.event is None  # trailing bytes: not JSON any more
        assert await inbox.get(added.id + 1) is None
    finally:
        await inbox.close()


@pytest.mark.asyncio
async def test_the_event_and_a_summary_are_read_from_the_body(inbox: Inbox) -> None:
    booked = await put(inbox, calendly("invitee.created", invitee("ada@example.com")))
    assert booked.event == "invitee.created"
    assert booked.summary == "Ada Lovelace <ada@example.com> · Intro call"
    contact = await put(
        inbox,
        calendly(
            "contact.updated",
            {"user_uuid": "U", "contact": {"name": "Grace", "emails": ["grace@example.com"]}},
        ),
    )
    assert contact.summary == "Grace <grace@example.com>"
    routed = await put(
        inbox,
        calendly(
            "routing_form_submission.created",
            {"questions_and_answers": [{"question": "Email", "answer": "lin@example.com"}]},
        ),
    )
    assert routed.summary == "lin@example.com"
    plain = await put(inbox, b"hello")
    assert (plain.event, plain.summary) == (None, "")
    listed = await put(inbox, b'[{"event": "x"}]')
    assert (listed.event, listed.summary) == (None, "")


@pytest.mark.asyncio
async def test_newest_first_with_paging(inbox: Inbox) -> None:
    made = [await put(inbox, minutes=number) for number in range(5)]
    ids = [delivery.id for delivery in made]
    assert [d.id for d in await inbox.query()] == ids[::-1]
    first = await inbox.query(limit=2)
    assert [d.id for d in first] == [ids[4], ids[3]]
    assert [d.id for d in await inbox.query(limit=2, before_id=first[-1].id)] == [ids[2], ids[1]]
    assert [d.id for d in await inbox.query(limit=2, offset=2)] == [ids[2], ids[1]]
    assert [d.id for d in await inbox.query(after_id=ids[2])] == [ids[4], ids[3]]
    assert [d.id for d in await inbox.query(limit=None)] == ids[::-1]
    with pytest.raises(ValueError):
        await inbox.query(limit=-1)


@pytest.mark.asyncio
async def test_search_looks_through_headers_body_and_event_ignoring_case(inbox: Inbox) -> None:
    ada = await put(inbox, calendly("invitee.created", invitee("ada@example.com")))
    jose = await put(
        inbox,
        calendly("invitee.canceled", invitee("jose@example.com", name="José Núñez")),
    )
    tagged = await put(inbox, b"plain text body", headers=(("X-Trace-Id", "ABC-123"),))
    assert b"\\u00e9" in jose.body  # json.dumps escaped it: search still finds the letter

    async def found(text: str) -> list[int]:
        return [d.id for d in await inbox.query(text)]

    assert await found("ADA@EXAMPLE") == [ada.id]
    assert await found("josé") == [jose.id]
    assert await found("INVITEE.CANCELED") == [jose.id]
    assert await found("invitee.") == [jose.id, ada.id]
    assert await found("x-trace-id: abc") == [tagged.id]
    assert await found("PLAIN TEXT") == [tagged.id]
    assert await found("nobody@") == []
    assert await found("   ") == [tagged.id, jose.id, ada.id]
    assert await inbox.count("invitee.") == 2
    assert await inbox.count() == 3


@pytest.mark.asyncio
async def test_filters_by_verdict_and_event_combine_with_search(inbox: Inbox) -> None:
    valid = await put(inbox, calendly("invitee.created", invitee("a@example.com")))
    invalid = await put(
        inbox, calendly("invitee.created", invitee("b@example.com")), verdict=Verdict.INVALID
    )
    rejected = await put(inbox, b"", verdict=Verdict.REJECTED, method="GET")
    canceled = await put(inbox, calendly("invitee.canceled", invitee("a@example.com")))

    async def ids(**filters: Any) -> list[int]:
        return [d.id for d in await inbox.query(**filters)]

    assert await ids(status=Verdict.VALID) == [canceled.id, valid.id]
    assert await ids(status=[Verdict.INVALID, Verdict.REJECTED]) == [rejected.id, invalid.id]
    assert await ids(status=[]) == []
    assert await ids(event="invitee.created") == [invalid.id, valid.id]
    assert await ids(event="invitee.created", status=Verdict.VALID) == [valid.id]
    assert await ids(text="a@example", event="invitee.canceled") == [canceled.id]
    assert await inbox.count(status=Verdict.VALID, event="invitee.canceled") == 1
    assert await inbox.events() == ["invitee.canceled", "invitee.created"]


@pytest.mark.asyncio
async def test_delete_and_clear(inbox: Inbox) -> None:
    first = await put(inbox)
    second = await put(inbox)
    assert await inbox.delete(first.id) is True
    assert await inbox.delete(first.id) is False
    assert await inbox.get(first.id) is None
    assert [d.id for d in await inbox.query()] == [second.id]
    await put(inbox)
    assert await inbox.clear() == 2
    assert await inbox.count() == 0


@pytest.mark.asyncio
async def test_the_pretty_body_is_indented_json_or_the_text_or_escaped_bytes(
    inbox: Inbox,
) -> None:
    as_json = await put(inbox, b'{"event":"invitee.created","payload":{"name":"Jos\\u00e9"}}')
    assert pretty_body(as_json.body) == (
        '{\n  "event": "invitee.created",\n  "payload": {\n    "name": "José"\n  }\n}'
    )
    assert raw_text(as_json.body) == '{"event":"invitee.created","payload":{"name":"Jos\\u00e9"}}'
    text = await put(inbox, "not json, but text: ü".encode())
    assert pretty_body(text.body) == "not json, but text: ü"
    binary = await put(inbox, b"\x00ok\xff\tline\r\n\x1b")
    assert pretty_body(binary.body) == "\\x00ok\\xff\tline\r\n\\x1b"
    assert raw_text(binary.body) == pretty_body(binary.body)
    assert pretty_body((await put(inbox, b"")).body) == ""


@pytest.mark.asyncio
async def test_the_file_keeps_deliveries_and_its_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "inbox.sqlite3"
    first = Inbox(path)
    kept = await put(first, calendly("invitee.created", invitee("ada@example.com")))
    await first.close()
    again = Inbox(path)
    try:
        assert await again.query() == [kept]
    finally:
        await again.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


@pytest.mark.asyncio
async def test_a_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "inbox.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    inbox = Inbox(path)
    with pytest.raises(InboxError, match="written by a newer version"):
        await inbox.open()
    await inbox.close()


@pytest.mark.asyncio
async def test_bad_input_and_a_closed_inbox_are_refused(inbox: Inbox) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        await inbox.add(
            received_at=datetime(2026, 3, 1),  # naive on purpose
            method="POST",
            path="/",
            headers=(),
            body=b"",
            remote="",
            verdict=Verdict.UNSIGNED,
            reason="",
        )
    await inbox.close()
    with pytest.raises(InboxError, match="closed"):
        await inbox.count()
