"""``client.activity_log`` and ``client.data_compliance`` (Enterprise-only endpoints).

Against the sandbox, whose seeded organization is on the Enterprise plan. What the client
puts on the wire is read from the real requests (an httpx request hook), so that array
parameters are seen to go out as repeated keys and times as UTC.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest
import pytest_asyncio

from desktop.api import BadRequest, CalendlyClient, PermissionDenied, RetryPolicy
from desktop.domain import ActivityLogEntry, ActivityLogPage
from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from tests.api.conftest import ClientFactory

pytestmark = pytest.mark.asyncio

PATH = "/activity_log_entries"


class Recorded:
    """An owner's client on the sandbox, and every request it sent."""

    def __init__(self, sandbox: SandboxServer) -> None:
        self.requests: list[httpx.Request] = []

        async def keep(request: httpx.Request) -> None:
            if request.content:
                request.read()
            self.requests.append(request)

        http = httpx.AsyncClient(
            base_url=sandbox.base_url,
            headers={"Authorization": f"Bearer {sandbox.token_for('owner')}"},
            event_hooks={"request": [keep]},
        )
        self.client = CalendlyClient(
            sandbox.base_url, None, http=http, retry=RetryPolicy(backoff_base=0.01)
        )


@pytest_asyncio.fixture
async def recorded(sandbox: SandboxServer) -> AsyncIterator[Recorded]:
    made = Recorded(sandbox)
    async with made.client:
        yield made


def stored(
    sandbox: SandboxServer, where: str = "1", params: tuple[object, ...] = ()
) -> list[Record]:
    return sandbox.state.store.find("activity_log", where, params, order="occurred_at DESC, id")


def user(sandbox: SandboxServer, ident: str) -> str:
    return sandbox.state.uris.user(ident)


# -- the activity log --------------------------------------------------------------------------


async def test_activity_log_sends_filters_and_decodes_the_page(
    recorded: Recorded, sandbox: SandboxServer, organization_uri: str
) -> None:
    logins = stored(sandbox, "action = 'Login'")
    actors = sorted({r["actor"] for r in logins})[:2]
    mine = [r for r in logins if r["actor"] in actors]
    middle = mine[len(mine) // 2]["occurred_at"]  # the filter must leave some out
    since = datetime.fromisoformat(middle.replace("Z", "+00:00"))
    local = since.astimezone(timezone(timedelta(hours=2)))
    page = await recorded.client.activity_log.list(
        organization=organization_uri,
        search_term="login",
        actor=[user(sandbox, a) for a in actors],
        namespace=["User"],
        action="Login",  # a lone string is one item
        min_occurred_at=local,
        sort=["occurred_at:asc", "action:desc"],
        count=2,
    )
    query = recorded.requests[-1].url.params
    assert recorded.requests[-1].url.path == PATH
    assert query.get_list("actor") == [user(sandbox, a) for a in actors]
    assert query.get_list("action") == ["Login"]
    assert query.get_list("sort") == ["occurred_at:asc", "action:desc"]
    assert query["min_occurred_at"] == since.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert "max_occurred_at" not in query and query["count"] == "2"

    expected = [r for r in reversed(mine) if r["occurred_at"] >= middle]
    assert len(expected) < len(mine)
    assert isinstance(page, ActivityLogPage)
    assert (page.total_count, page.exceeds_max_total_count) == (len(expected), False)
    assert len(expected) > 2 and page.next_page_token is not None
    assert [_id(e.uri) for e in page.collection] == [r["id"] for r in expected[:2]]
    assert page.last_event_time == page.collection[1].occurred_at
    first = page.collection[0]
    assert isinstance(first, ActivityLogEntry)
    assert (first.namespace, first.action, first.fully_qualified_name) == (
        "User",
        "Login",
        "User.Login",
    )
    assert first.actor is not None and first.actor.display_name == expected[0]["actor_name"]
    assert first.actor.uri == user(sandbox, expected[0]["actor"])
    assert first.details_dict() == expected[0]["details"]
    assert first.occurred_at.tzinfo is not None


async def test_activity_log_iterate_follows_the_tokens(
    recorded: Recorded, sandbox: SandboxServer, organization_uri: str
) -> None:
    entries = [e async for e in recorded.client.activity_log.iterate(organization=organization_uri)]
    expected = stored(sandbox)
    assert len(expected) > 200  # three pages of 100
    assert [_id(e.uri) for e in entries] == [r["id"] for r in expected]
    sent = [r.url.params for r in recorded.requests]
    assert [q["count"] for q in sent] == ["100"] * len(sent)
    assert "page_token" not in sent[0] and all("page_token" in q for q in sent[1:])
    assert len(sent) == -(-len(expected) // 100)


async def test_activity_log_errors(
    client: CalendlyClient, client_for: ClientFactory, organization_uri: str
) -> None:
    with pytest.raises(PermissionDenied) as caught:
        await client_for("user").activity_log.list(organization=organization_uri)
    assert caught.value.path == PATH
    assert caught.value.message == "You do not have permission to access this resource."
    with pytest.raises(BadRequest) as bad:
        await client.activity_log.list(organization=organization_uri, sort=["color:asc"], count=0)
    assert bad.value.detail_for("sort") and bad.value.detail_for("count")


# -- data compliance ----------------------------------------------------------------------------


async def test_data_compliance_bodies_and_their_202(
    recorded: Recorded, sandbox: SandboxServer
) -> None:
    store = sandbox.state.store
    emails = store.scalars("SELECT DISTINCT email FROM invitees ORDER BY email LIMIT 3")
    compliance = recorded.client.data_compliance
    await compliance.delete_invitee_data(emails=[emails[0].upper(), emails[1]])
    await compliance.delete_invitee_data(emails=emails[2])  # a lone string is one address
    marks = ", ".join("?" for _ in emails)
    assert store.count("invitees", f"email IN ({marks})", emails) == 0

    now = sandbox.state.clock.now()
    start = (now - timedelta(days=30)).replace(microsecond=0)
    end = (now - timedelta(days=2)).replace(microsecond=123456)
    window = ("start_time >= ? AND start_time <= ?", (_wire(start), _wire(end)))
    assert store.count("scheduled_events", *window) > 0
    await compliance.delete_event_data(start_time=start, end_time=end)
    assert store.count("scheduled_events", *window) == 0

    sent = len(recorded.requests)
    with pytest.raises(ValueError, match="end_time"):
        await compliance.delete_event_data(start_time=start, end_time=datetime(2025, 2, 1))
    assert len(recorded.requests) == sent  # refused before anything was sent
    assert [(r.url.path, json.loads(r.content)) for r in recorded.requests] == [
        ("/data_compliance/deletion/invitees", {"emails": [emails[0].upper(), emails[1]]}),
        ("/data_compliance/deletion/invitees", {"emails": [emails[2]]}),
        (
            "/data_compliance/deletion/events",
            {"start_time": _wire(start), "end_time": _wire(end)},
        ),
    ]


async def test_data_compliance_refusals(client_for: ClientFactory, sandbox: SandboxServer) -> None:
    with pytest.raises(PermissionDenied):
        await client_for("user").data_compliance.delete_invitee_data(emails=["a@example.com"])
    now = sandbox.state.clock.now()
    with pytest.raises(BadRequest) as future:
        await client_for("owner").data_compliance.delete_event_data(
            start_time=now - timedelta(days=1), end_time=now + timedelta(days=1)
        )
    assert future.value.detail_for("end_time")


def _id(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def _wire(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
