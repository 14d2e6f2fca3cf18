"""CSV exports of the sandbox organization read through the client: every column set
round-trips through Python's csv reader with awkward values (commas, quotes, line breaks,
non-ASCII, formulas) planted in the organization."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from desktop.api.client import CalendlyClient
from desktop.exports import (
    EVENT_TYPE_COLUMNS,
    INVITATION_COLUMNS,
    groups_by_membership,
    guard_cell,
    invitee_columns,
    member_columns,
    question_texts,
    scheduled_event_columns,
    user_labels,
    write_csv,
)
from desktop.sandbox import SandboxServer
from tests.exports.data import (
    COMMA_QUOTE,
    FORMULA,
    FORMULAS,
    MULTILINE,
    NON_ASCII,
    events_of,
    expected_rows,
    invitees_of,
    plant,
    read_csv,
)

pytestmark = pytest.mark.asyncio

AWKWARD = (COMMA_QUOTE, MULTILINE, NON_ASCII, FORMULA, *FORMULAS)


# -- the column sets over the sandbox's organization -----------------------------------------


async def test_members_round_trip_with_groups_and_awkward_names(
    client: CalendlyClient, organization: str, sandbox: SandboxServer, tmp_path: Path
) -> None:
    before = [m async for m in client.memberships.iterate(organization=organization)]
    for membership, name in zip(before, AWKWARD, strict=False):
        plant(sandbox, "users", membership.user.uri, name=name)
    members = [m async for m in client.memberships.iterate(organization=organization)]
    groups = [g async for g in client.groups.iterate(organization=organization)]
    relationships = [r async for r in client.group_relationships.iterate(organization=organization)]
    columns = member_columns(groups_by_membership(relationships, groups))
    path = tmp_path / "members.csv"

    written = write_csv(path, columns, members)

    rows = read_csv(path)
    assert written == len(members) == 25
    assert rows == expected_rows(columns, members)
    assert rows[0][:5] == ["Name", "Email", "Role", "Time zone", "Groups"]
    names = [row[0] for row in rows[1:]]
    for name in AWKWARD:
        assert guard_cell(name) in names
    assert "'" + FORMULA in names and "'-2+3" in names and COMMA_QUOTE in names
    by_email = {row[1]: row for row in rows[1:]}
    group_names = {g.uri: g.name for g in groups}
    in_groups = [r for r in relationships if r.owner.is_membership and r.owner.member]
    assert in_groups, "the seed has no group members"
    for relationship in in_groups:
        member = relationship.owner.member
        assert member is not None
        assert group_names[relationship.group] in by_email[member.email][4].split("; ")
    raw = path.read_bytes()
    assert raw.endswith(b"\r\n") and raw.count(b"\r\n") >= len(members) + 1
    assert NON_ASCII.encode("utf-8") in raw


async def test_invitations_round_trip(
    client: CalendlyClient, organization: str, tmp_path: Path
) -> None:
    created = await client.invitations.create(
        organization=organization, email="new.person+exports@example.com"
    )
    invitations = [i async for i in client.invitations.iterate(organization=organization)]
    path = tmp_path / "invitations.csv"

    assert write_csv(path, INVITATION_COLUMNS, invitations) == len(invitations)

    rows = read_csv(path)
    assert rows == expected_rows(INVITATION_COLUMNS, invitations)
    assert rows[0] == ["Email", "Status", "Last sent (UTC)", "Created (UTC)"]
    mine = next(row for row in rows if row[0] == created.email)
    assert mine[1] == "pending"
    assert created.created_at is not None
    assert datetime.fromisoformat(mine[3]) == created.created_at.replace(microsecond=0)
    assert {row[1] for row in rows[1:]} >= {"pending", "accepted"}


async def test_event_types_round_trip_with_locations(
    client: CalendlyClient, organization: str, sandbox: SandboxServer, tmp_path: Path
) -> None:
    first = await client.event_types.list(organization=organization, count=2)
    plant(sandbox, "event_types", first.items[0].uri, name=COMMA_QUOTE + "\n" + NON_ASCII)
    plant(sandbox, "event_types", first.items[1].uri, name=FORMULA)
    event_types = [t async for t in client.event_types.iterate(organization=organization)]
    path = tmp_path / "event-types.csv"

    assert write_csv(path, EVENT_TYPE_COLUMNS, event_types) == len(event_types)

    rows = read_csv(path)
    assert rows == expected_rows(EVENT_TYPE_COLUMNS, event_types)
    names = [row[0] for row in rows[1:]]
    assert COMMA_QUOTE + "\n" + NON_ASCII in names and "'" + FORMULA in names
    header = rows[0]
    for record, row in zip(event_types, rows[1:], strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["Duration (min)"] == str(record.duration)
        assert cells["Active"] == ("yes" if record.active else "no")
        assert cells["Scheduling URL"] == record.scheduling_url
        physical = [c for c in record.locations or () if c.kind == "physical" and c.location]
        for config in physical:
            assert f"In person: {config.location}" in cells["Locations"]
    assert any(row[header.index("Pooling")] for row in rows[1:])


async def test_scheduled_events_round_trip_in_utc_and_a_zone(
    client: CalendlyClient, organization: str, sandbox: SandboxServer, tmp_path: Path
) -> None:
    first = await client.scheduled_events.list(organization=organization, count=2)
    plant(sandbox, "scheduled_events", first.items[0].uri, name=FORMULA)
    plant(sandbox, "scheduled_events", first.items[1].uri, name=MULTILINE)
    events = await events_of(client, organization)
    berlin = ZoneInfo("Europe/Berlin")
    columns = scheduled_event_columns(berlin)
    path = tmp_path / "events.csv"

    assert write_csv(path, columns, events) == len(events) == 400

    rows = read_csv(path)
    assert rows == expected_rows(columns, events)
    header = rows[0]
    assert "Start (Europe/Berlin)" in header and "Start (UTC)" in header
    assert rows[1][0] == "'" + FORMULA and rows[2][0] == MULTILINE
    for event, row in zip(events, rows[1:], strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["Start (UTC)"].endswith("Z")
        assert datetime.fromisoformat(cells["Start (UTC)"]) == event.start_time
        assert datetime.fromisoformat(cells["End (UTC)"]) == event.end_time
        local = datetime.fromisoformat(cells["Start (Europe/Berlin)"])
        assert local == event.start_time
        assert local.utcoffset() == event.start_time.astimezone(berlin).utcoffset()
        assert cells["Status"] == event.status
        assert cells["Event URI"] == event.uri
        if event.is_canceled:
            assert event.cancellation is not None
            assert cells["Canceled by"] == event.cancellation.canceled_by
        if event.location is not None and event.location.join_url:
            assert cells["Join URL"] == event.location.join_url
    assert any(row[header.index("Cancellation reason")] for row in rows[1:])


async def test_invitees_round_trip_with_questions_and_utm(
    client: CalendlyClient, organization: str, sandbox: SandboxServer, tmp_path: Path
) -> None:
    events = (await events_of(client, organization))[:40]
    planted_event = events[3]
    planted = (await client.scheduled_events.list_invitees(planted_event.uri)).items[0]
    answers = [
        {"question": "Anything else?", "answer": MULTILINE, "position": 0},
        {"question": "=1+1 (a question)", "answer": FORMULA, "position": 1},
    ]
    tracking = {
        "utm_source": "news, letter",
        "utm_medium": '"email"',
        "utm_campaign": NON_ASCII,
        "utm_content": "-10% off",
        "utm_term": "@handle",
        "salesforce_uuid": None,
    }
    plant(
        sandbox,
        "invitees",
        planted.uri,
        name=COMMA_QUOTE,
        questions_and_answers=answers,
        tracking=tracking,
    )
    by_event = await invitees_of(client, events)
    invitees = [i for event in events for i in by_event[event.uri]]
    memberships = [m async for m in client.memberships.iterate(organization=organization)]
    questions = question_texts(invitees)
    columns = invitee_columns(
        questions,
        events={e.uri: e for e in events},
        users=user_labels(memberships),
        zone=ZoneInfo("America/New_York"),
    )
    path = tmp_path / "invitees.csv"

    assert write_csv(path, columns, invitees) == len(invitees)

    rows = read_csv(path)
    assert rows == expected_rows(columns, invitees)
    header = rows[0]
    assert len(questions) > 5 and len(set(questions)) == len(questions)
    assert header[-len(questions) :] == [guard_cell(q) for q in questions]
    assert "Anything else?" in header and "'=1+1 (a question)" in header
    for utm in ("source", "medium", "campaign", "content", "term"):
        assert f"UTM {utm}" in header
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    mine = next(r for r in records if r["Email"] == planted.email and r["Invitee"] == COMMA_QUOTE)
    assert mine["Event"] == planted_event.name
    assert mine["Anything else?"] == MULTILINE
    assert mine["'=1+1 (a question)"] == "'" + FORMULA
    assert (mine["UTM source"], mine["UTM medium"], mine["UTM campaign"]) == (
        "news, letter",
        '"email"',
        NON_ASCII,
    )
    assert (mine["UTM content"], mine["UTM term"]) == ("'-10% off", "'@handle")
    for invitee, record in zip(invitees, records, strict=True):
        for question in questions:
            assert record[guard_cell(question)] == guard_cell(invitee.answer_to(question) or "")
        assert record["No-show"] == ("yes" if invitee.is_no_show else "no")
    labels = user_labels(memberships)
    booked_by = [
        (invitee, record)
        for invitee, record in zip(invitees, records, strict=True)
        if invitee.invitee_scheduled_by
    ]
    assert booked_by, "the seed has no invitee booked by a member"
    for invitee, record in booked_by:
        assert record["Booked by"] == labels[str(invitee.invitee_scheduled_by)]
