"""A member without admin rights sees their own meetings; progress is told as work is found."""

from __future__ import annotations

from datetime import datetime

import pytest

from desktop.overview.window import span_of
from desktop.sandbox import SandboxServer
from tests.overview.checks import assert_matches
from tests.overview.conftest import BERLIN, MakeLoader, requests
from tests.overview.truth import Truth


@pytest.mark.asyncio
async def test_a_member_sees_their_own_meetings_and_subscriptions(
    sandbox: SandboxServer, make_loader: MakeLoader, truth: Truth, now: datetime
) -> None:
    loader = make_loader("user")
    me = loader.scope.user
    counted = dict(sandbox.state.requests)
    data = await loader.load()
    asked = {key for key, n in sandbox.state.requests.items() if n > counted.get(key, 0)}
    assert not any("/invitations" in key for key in asked)  # admins only: not even asked
    assert data.problems == ()  # a member's own subscriptions are all a member expects
    assert data.events and all(me in row.hosts for row in data.events)

    overview = loader.overview()
    assert overview is not None
    chosen = overview.filter
    assert_matches(overview, await truth.expected(chosen.start, chosen.end, BERLIN, now, member=me))
    assert [r.uri for r in overview.busiest_members] == [me]
    assert overview.cards.invitations_pending == 0
    own_hooks = await truth.every(
        "/webhook_subscriptions",
        {"organization": truth.organization, "scope": "user", "user": me},
    )
    cards = overview.cards
    assert cards.webhooks_active + cards.webhooks_retrying + cards.webhooks_disabled == len(
        own_hooks
    )


@pytest.mark.asyncio
async def test_progress_counts_up_to_everything_done(
    sandbox: SandboxServer, make_loader: MakeLoader, now: datetime
) -> None:
    loader = make_loader()
    told: list[tuple[int, int]] = []
    counted = requests(sandbox)
    data = await loader.load(on_progress=lambda done, total: told.append((done, total)))
    assert told and all(done <= total for done, total in told)
    assert [done for done, _ in told] == sorted(done for done, _ in told)
    done, total = told[-1]
    assert done == total
    over = sum(1 for row in data.events if row.is_active and row.end <= now)
    # A step per invitee list, per webhook owner, per span of events, per other list.
    assert over < total <= requests(sandbox) - counted


def test_the_window_is_the_default_range(make_loader: MakeLoader, now: datetime) -> None:
    loader = make_loader()
    chosen = loader.default_filter()
    assert loader.window() == span_of(chosen.start, chosen.end, BERLIN)
    start, end = loader.window()
    assert start <= now < end
