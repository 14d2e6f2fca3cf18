"""The Overview's numbers equal what the sandbox holds for the same range and filter."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desktop.overview.figures import Filter, Outcome
from desktop.overview.window import week_span
from tests.overview.checks import assert_matches, week_table
from tests.overview.conftest import BERLIN, MakeLoader
from tests.overview.truth import Truth


@pytest.mark.asyncio
async def test_the_default_range_shows_what_the_sandbox_holds(
    make_loader: MakeLoader, truth: Truth, now: datetime
) -> None:
    loader = make_loader()
    data = await loader.load()
    assert data.problems == ()
    assert data.fetched_at == now
    chosen = loader.default_filter()
    overview = loader.overview(chosen)
    assert overview is not None
    assert overview.refreshed_at == now

    # Twelve whole weeks back, this week, four ahead: Monday to Monday in Berlin.
    today = now.astimezone(BERLIN).date()
    monday = today - timedelta(days=today.weekday())
    assert chosen == Filter(monday - timedelta(weeks=12), monday + timedelta(weeks=5))
    assert [week.start for week in overview.weeks] == [
        monday + timedelta(weeks=n) for n in range(-12, 5)
    ]

    expected = await truth.expected(chosen.start, chosen.end, BERLIN, now)
    assert_matches(overview, expected)
    # The seed has every outcome in the range: the comparison is not vacuous.
    totals = Counter({kind.value: 0 for kind in Outcome})
    for counts in week_table(overview).values():
        totals.update(counts)
    assert all(totals[kind.value] > 0 for kind in Outcome), totals
    assert all(week.counts[Outcome.UPCOMING] == 0 for week in overview.weeks[:12])
    assert all(week.counts[Outcome.HELD] == 0 for week in overview.weeks[13:])


@pytest.mark.asyncio
async def test_the_cards_count_the_organization(
    make_loader: MakeLoader, truth: Truth, now: datetime
) -> None:
    loader = make_loader()
    await loader.load()
    overview = loader.overview()
    assert overview is not None
    cards = overview.cards
    expected = await truth.cards()
    assert {name: getattr(cards, name) for name in expected} == expected
    assert expected["invitations_pending"] > 0 and expected["webhooks_disabled"] > 0
    this_week = await truth.active_between(*week_span(BERLIN, now, 0))
    next_week = await truth.active_between(*week_span(BERLIN, now, 1))
    assert (cards.meetings_this_week, cards.meetings_next_week) == (this_week, next_week)
    assert next_week > 0


@pytest.mark.asyncio
async def test_a_member_filter_counts_that_members_meetings(
    make_loader: MakeLoader, truth: Truth, now: datetime
) -> None:
    loader = make_loader()
    await loader.load()
    everyone = loader.overview()
    assert everyone is not None
    busiest = everyone.busiest_members[0]
    chosen = loader.default_filter(member=busiest.uri)
    overview = loader.overview(chosen)
    assert overview is not None

    expected = await truth.expected(chosen.start, chosen.end, BERLIN, now, member=busiest.uri)
    assert_matches(overview, expected)
    assert [(r.uri, r.count) for r in overview.busiest_members] == [(busiest.uri, busiest.count)]
    assert sum(map(sum, overview.heatmap)) == busiest.count
    member_week = await truth.active_between(*week_span(BERLIN, now, 1), user=busiest.uri)
    assert overview.cards.meetings_next_week == member_week
    assert overview.cards.members_active == everyone.cards.members_active  # organization-wide


@pytest.mark.asyncio
async def test_a_group_filter_counts_meetings_its_members_host(
    make_loader: MakeLoader, truth: Truth, now: datetime
) -> None:
    loader = make_loader()
    data = await loader.load()
    assert len(data.groups) >= 2
    for group in data.groups:
        chosen = loader.default_filter(group=group.uri)
        overview = loader.overview(chosen)
        assert overview is not None
        expected = await truth.expected(chosen.start, chosen.end, BERLIN, now, group=group.uri)
        assert expected.total > 0
        assert_matches(overview, expected)
        assert {r.uri for r in overview.busiest_members} <= await truth.group_members(group.uri)
        group_week = await truth.active_between(*week_span(BERLIN, now, 1), group=group.uri)
        assert overview.cards.meetings_next_week == group_week


@pytest.mark.asyncio
async def test_a_chosen_range_in_another_zone_counts_local_days(
    make_loader: MakeLoader, truth: Truth, now: datetime
) -> None:
    """A range from a Wednesday to a Thursday in New York: partial first and last weeks."""
    new_york = ZoneInfo("America/New_York")
    loader = make_loader(tz=new_york)
    await loader.load()
    today = now.astimezone(new_york).date()
    wednesday = today - timedelta(days=today.weekday()) - timedelta(weeks=5) + timedelta(days=2)
    chosen = Filter(wednesday, wednesday + timedelta(weeks=6, days=1))
    overview = loader.overview(chosen)
    assert overview is not None
    assert overview.weeks[0].start == wednesday - timedelta(days=2)
    assert len(overview.weeks) == 7
    expected = await truth.expected(chosen.start, chosen.end, new_york, now)
    assert_matches(overview, expected)
    assert sum(map(sum, overview.heatmap)) == expected.not_canceled > 0


@pytest.mark.asyncio
async def test_the_heatmap_sums_to_the_meetings_in_range(
    make_loader: MakeLoader, truth: Truth, now: datetime
) -> None:
    loader = make_loader()
    await loader.load()
    chosen = loader.default_filter()
    overview = loader.overview(chosen)
    assert overview is not None
    start = datetime(chosen.start.year, chosen.start.month, chosen.start.day, tzinfo=BERLIN)
    end = datetime(chosen.end.year, chosen.end.month, chosen.end.day, tzinfo=BERLIN)
    meetings = await truth.active_between(start, end)
    assert sum(map(sum, overview.heatmap)) == meetings > 0
    assert len(overview.heatmap) == 7 and all(len(day) == 24 for day in overview.heatmap)
