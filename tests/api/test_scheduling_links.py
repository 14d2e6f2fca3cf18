"""``client.scheduling_links.create``: single-use booking links."""

from __future__ import annotations

import pytest

from desktop.api import BadRequest, CalendlyClient, InsufficientScope, NotFound, PermissionDenied
from desktop.domain import SchedulingLink
from desktop.sandbox import SandboxServer
from tests.api.conftest import ClientFactory

pytestmark = pytest.mark.asyncio


async def test_create_returns_a_link_to_the_event_type(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    event_type = (await client.event_types.list(organization=organization_uri, count=1)).items[0]
    link = await client.scheduling_links.create(event_type=event_type.uri)
    assert isinstance(link, SchedulingLink)
    assert (link.owner, link.owner_type) == (event_type.uri, "EventType")
    assert link.booking_url.startswith(sandbox.base_url + "/d/")
    assert link.booking_url.endswith("/" + (event_type.slug or event_type.uuid))
    stored = sandbox.state.store.find("scheduling_links", "event_type = ?", (event_type.uuid,))
    assert [row["slug"] for row in stored] == [link.booking_url.split("/")[-2]]
    another = await client.scheduling_links.create(event_type=event_type.uri)
    assert another.booking_url != link.booking_url  # each link books once


async def test_create_errors(
    client: CalendlyClient, client_for: ClientFactory, sandbox: SandboxServer
) -> None:
    with pytest.raises(BadRequest) as bad:
        await client.scheduling_links.create(event_type="not-a-uri")
    assert bad.value.detail_for("owner")
    with pytest.raises(NotFound):
        await client.scheduling_links.create(
            event_type=sandbox.state.uris.of("event_types", "NOSUCHEVENTTYPE0")
        )
    plain = client_for("user")
    me = (await plain.users.me()).uuid
    not_theirs = sandbox.state.store.find(
        "event_types",
        "id NOT IN (SELECT event_type FROM event_type_hosts WHERE user = ?) AND owner != ?",
        (me, me),
    )[0]
    not_theirs_uri = sandbox.state.uris.of("event_types", not_theirs["id"])
    with pytest.raises(PermissionDenied):  # a plain user who is not a host
        await plain.scheduling_links.create(event_type=not_theirs_uri)
    with pytest.raises(InsufficientScope) as scope:
        await client_for("owner", scopes=["event_types:read"]).scheduling_links.create(
            event_type=not_theirs_uri
        )
    assert scope.value.required_scopes == ("scheduling_links:write",)
    assert sandbox.state.store.count("scheduling_links") == 0


async def test_a_plain_host_may_create_links_to_their_own_event_type(
    client_for: ClientFactory, sandbox: SandboxServer
) -> None:
    plain = client_for("user")
    me = await plain.users.me()
    theirs = await plain.event_types.list(user=me.uri, count=1)
    link = await plain.scheduling_links.create(event_type=theirs.items[0].uri)
    assert link.owner == theirs.items[0].uri
