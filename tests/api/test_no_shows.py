"""``client.no_shows`` against the sandbox: mark, read, undo, refusals, a lost answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop.api import BadRequest, CalendlyClient, NotFound, PermissionDenied
from desktop.domain import Invitee
from desktop.sandbox import SandboxServer
from tests.api.conftest import ClientFactory

pytestmark = pytest.mark.asyncio


async def _unmarked(
    client: CalendlyClient, organization: str, *, past: bool = True, not_hosted_by: str = ""
) -> Invitee:
    """An active invitee without a no-show mark, of a past (or upcoming) active event."""
    now = datetime.now(UTC)
    async for event in client.scheduled_events.iterate(
        organization=organization,
        status="active",
        min_start_time=None if past else now,
        max_start_time=now if past else None,
    ):
        if not_hosted_by in {m.user for m in event.event_memberships}:
            continue
        async for person in client.scheduled_events.iterate_invitees(event.uri, status="active"):
            if person.no_show is None:
                return person
    pytest.fail("the seed has no such invitee")


def _marks(sandbox: SandboxServer, invitee: Invitee) -> int:
    return sandbox.state.store.count("no_shows", "invitee = ?", (invitee.uuid,))


async def test_mark_read_and_undo(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    person = await _unmarked(client, organization_uri)
    mark = await client.no_shows.create(person.uri)
    assert mark.invitee == person.uri
    assert mark.created_at is not None
    assert await client.no_shows.get(mark.uri) == mark
    assert await client.no_shows.get(mark.uuid) == mark
    marked = await client.scheduled_events.get_invitee(person.uri)
    assert marked.is_no_show and marked.no_show is not None
    assert marked.no_show.uri == mark.uri

    await client.no_shows.delete(mark.uri)
    with pytest.raises(NotFound):
        await client.no_shows.get(mark.uri)
    assert not (await client.scheduled_events.get_invitee(person.uri)).is_no_show
    assert _marks(sandbox, person) == 0


async def test_refusals_are_typed(client_for: ClientFactory, organization_uri: str) -> None:
    owner = client_for("owner")
    person = await _unmarked(owner, organization_uri)
    await owner.no_shows.create(person.uri)
    with pytest.raises(BadRequest) as twice:
        await owner.no_shows.create(person.uri)
    assert twice.value.detail_for("invitee")

    upcoming = await _unmarked(owner, organization_uri, past=False)
    with pytest.raises(BadRequest) as early:
        await owner.no_shows.create(upcoming.uri)
    assert early.value.detail_for("invitee")

    member = client_for("user")
    other = await _unmarked(owner, organization_uri, not_hosted_by=(await member.users.me()).uri)
    with pytest.raises(PermissionDenied):
        # A plain member who does not host that meeting.
        await member.no_shows.create(other.uri)


async def test_a_lost_answer_returns_the_one_mark(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    person = await _unmarked(client, organization_uri)
    posts = sandbox.add_fault(kind="latency", paths=["/invitee_no_shows"], methods=["POST"])
    sandbox.add_fault(kind="truncate", paths=["/invitee_no_shows"], methods=["POST"], times=1)
    mark = await client.no_shows.create(person.uri)
    assert mark.invitee == person.uri
    assert posts.fired == 1  # read back from the invitee, not sent again
    assert _marks(sandbox, person) == 1
    assert await client.no_shows.get(mark.uri) == mark


async def test_a_mark_not_made_is_sent_once_more(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    person = await _unmarked(client, organization_uri)
    posts = sandbox.add_fault(kind="latency", paths=["/invitee_no_shows"], methods=["POST"])
    sandbox.add_fault(
        kind="error", status=502, paths=["/invitee_no_shows"], methods=["POST"], times=1
    )
    mark = await client.no_shows.create(person.uri)
    assert posts.fired == 2
    assert _marks(sandbox, person) == 1
    assert mark.invitee == person.uri
