"""``compute`` on hand-made data: outcomes, local weeks across a clock change, filters, ranks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from desktop.overview.compute import compute, outcome
from desktop.overview.data import (
    EventRow,
    EventTypeRow,
    GroupRow,
    OverviewData,
    Person,
    WebhookCounts,
)
from desktop.overview.figures import Filter, Outcome
from desktop.overview.window import default_filter, local_zone

BERLIN = ZoneInfo("Europe/Berlin")
# Europe/Berlin leaves summer time on Sunday 25 October 2026 (03:00 CEST → 02:00 CET).
NOW = datetime(2026, 10, 28, 12, 0, tzinfo=UTC)  # a Wednesday
ADA, BEN, CY = "u/ada", "u/ben", "u/cy"


def row(
    uri: str,
    start: datetime,
    *,
    minutes: int = 30,
    status: str = "active",
    hosts: tuple[str, ...] = (ADA,),
    kind: str = "t/intro",
    no_shows: int | None = None,
) -> EventRow:
    return EventRow(
        uri=uri,
        status=status,
        start=start,
        end=start + timedelta(minutes=minutes),
        event_type=kind,
        name="Intro (as booked)",
        hosts=hosts,
        no_shows=no_shows,
    )


def data(*events: EventRow, is_admin: bool = True, user: str = ADA) -> OverviewData:
    return OverviewData(
        organization="o",
        user=user,
        is_admin=is_admin,
        window_start=datetime(2026, 1, 1, tzinfo=UTC),
        window_end=datetime(2027, 1, 1, tzinfo=UTC),
        fetched_at=NOW - timedelta(minutes=5),
        events=events,
        members=(Person(uri=ADA, name="Ada", email="ada@x", role="owner"),),
        invitations_pending=2,
        event_types=(
            EventTypeRow(uri="t/intro", name="Intro", active=True),
            EventTypeRow(uri="t/old", name="Old", active=False),
        ),
        groups=(GroupRow(uri="g/sales", name="Sales", members=(BEN, CY)),),
        webhooks=WebhookCounts(active=3, retrying=1, disabled=2),
        host_names={BEN: "Ben (left)", CY: "Cy"},
    )


def test_outcomes_by_status_time_and_no_shows() -> None:
    past = NOW - timedelta(days=1)
    assert outcome(row("a", past, status="canceled"), NOW) is Outcome.CANCELED
    assert outcome(row("b", past, no_shows=1), NOW) is Outcome.NO_SHOW
    assert outcome(row("c", past, no_shows=0), NOW) is Outcome.HELD
    assert outcome(row("d", past), NOW) is Outcome.HELD  # invitees not read: held
    assert outcome(row("e", NOW + timedelta(hours=1)), NOW) is Outcome.UPCOMING
    # Started, not over: still upcoming (nobody can tell a no-show before the end).
    assert outcome(row("f", NOW - timedelta(minutes=10)), NOW) is Outcome.UPCOMING
    assert outcome(row("g", NOW - timedelta(minutes=30)), NOW) is Outcome.HELD  # ends now


def test_local_weeks_and_hours_across_the_clock_change() -> None:
    events = (
        # Monday 19 Oct 00:30 in Berlin (CEST) is still Sunday 18 Oct in UTC.
        row("a", datetime(2026, 10, 18, 22, 30, tzinfo=UTC), no_shows=0),
        # Sunday 25 Oct 23:30 CET: the last minutes of that week (which has 169 hours).
        row("b", datetime(2026, 10, 25, 22, 30, tzinfo=UTC), no_shows=1),
        # Monday 26 Oct 00:00 CET: the next week.
        row("c", datetime(2026, 10, 25, 23, 0, tzinfo=UTC), status="canceled"),
        # Upcoming, on Friday 6 Nov 09:00 CET; the range ends before Saturday 7 Nov.
        row("d", datetime(2026, 11, 6, 8, 0, tzinfo=UTC)),
        row("e", datetime(2026, 11, 7, 8, 0, tzinfo=UTC)),  # outside: the end is exclusive
        row("f", datetime(2026, 10, 18, 21, 59, tzinfo=UTC)),  # Sunday 23:59: before the range
    )
    chosen = Filter(date(2026, 10, 19), date(2026, 11, 7))
    overview = compute(data(*events), chosen, BERLIN, NOW)
    assert [week.start for week in overview.weeks] == [
        date(2026, 10, 19),
        date(2026, 10, 26),
        date(2026, 11, 2),
    ]
    counts = [{k.value: v for k, v in week.counts.items() if v} for week in overview.weeks]
    assert counts == [{"held": 1, "no-show": 1}, {"canceled": 1}, {"upcoming": 1}]
    assert overview.weeks[0].no_show_rate == 0.5 and overview.weeks[1].cancel_rate == 1.0
    hot = {
        (day, hour): n
        for day, hours in enumerate(overview.heatmap)
        for hour, n in enumerate(hours)
        if n
    }
    assert hot == {(0, 0): 1, (6, 23): 1, (4, 9): 1}  # canceled meetings are not drawn
    assert overview.refreshed_at == NOW - timedelta(minutes=5)


def test_busiest_members_and_event_types() -> None:
    start = NOW - timedelta(days=2)
    events = (
        row("a", start, hosts=(BEN, CY)),  # collective: one meeting for each host
        row("b", start + timedelta(hours=1), hosts=(BEN,), kind="t/old"),
        row("c", start + timedelta(hours=2), hosts=(ADA,), status="canceled"),
        row("d", start + timedelta(hours=3), hosts=(ADA,), kind="t/gone"),
    )
    chosen = Filter(date(2026, 10, 1), date(2026, 11, 1))
    overview = compute(data(*events), chosen, BERLIN, NOW)
    ranked = [(r.uri, r.name, r.count) for r in overview.busiest_members]
    # Ties by name; a host who left keeps the name the events gave; canceled not counted.
    assert ranked == [(BEN, "Ben (left)", 2), (ADA, "Ada", 1), (CY, "Cy", 1)]
    kinds = [(r.name, r.count) for r in overview.busiest_event_types]
    assert kinds == [("Intro", 1), ("Intro (as booked)", 1), ("Old", 1)]

    many = tuple(row(f"m{n}", start, hosts=(f"u/{n:02}",)) for n in range(14))
    assert len(compute(data(*many), chosen, BERLIN, NOW).busiest_members) == 10


def test_member_and_group_filters() -> None:
    start = NOW - timedelta(days=2)
    events = (
        row("a", start, hosts=(ADA,)),
        row("b", start, hosts=(ADA, BEN)),
        row("c", start, hosts=(CY,)),
        row("d", NOW + timedelta(days=6), hosts=(BEN,)),  # next Tuesday: next week
    )
    chosen = Filter(date(2026, 10, 1), date(2026, 11, 30))
    whole = data(*events)
    ada = compute(whole, Filter(chosen.start, chosen.end, member=ADA), BERLIN, NOW)
    assert sum(w.total for w in ada.weeks) == 2
    assert [(r.uri, r.count) for r in ada.busiest_members] == [(ADA, 2)]
    sales = compute(whole, Filter(chosen.start, chosen.end, group="g/sales"), BERLIN, NOW)
    assert sum(w.total for w in sales.weeks) == 3  # b (Ben co-hosts), c and d
    assert [(r.uri, r.count) for r in sales.busiest_members] == [(BEN, 2), (CY, 1)]
    assert (sales.cards.meetings_this_week, sales.cards.meetings_next_week) == (2, 1)
    unknown = compute(whole, Filter(chosen.start, chosen.end, group="g/none"), BERLIN, NOW)
    assert sum(w.total for w in unknown.weeks) == 0

    # Without admin rights only the user's own meetings are held, and only the user ranks.
    own = data(*events[:2], is_admin=False)
    mine = compute(own, chosen, BERLIN, NOW)
    assert [(r.uri, r.count) for r in mine.busiest_members] == [(ADA, 2)]


def test_cards() -> None:
    events = (
        row("a", NOW - timedelta(days=2)),  # Monday of this week
        row("b", NOW + timedelta(days=1)),
        row("c", NOW + timedelta(days=2), status="canceled"),  # not counted
        row("d", NOW + timedelta(days=5)),  # Monday of next week
        row("e", NOW - timedelta(days=3)),  # last Sunday
    )
    cards = compute(data(*events), default_filter(BERLIN, NOW), BERLIN, NOW).cards
    assert (cards.meetings_this_week, cards.meetings_next_week) == (2, 1)
    assert (cards.members_active, cards.invitations_pending, cards.event_types_active) == (1, 2, 1)
    assert (cards.webhooks_active, cards.webhooks_retrying, cards.webhooks_disabled) == (3, 1, 2)


def test_the_default_range_and_the_local_zone() -> None:
    chosen = default_filter(BERLIN, NOW)
    assert chosen == Filter(date(2026, 8, 3), date(2026, 11, 30))
    assert (chosen.end - chosen.start).days == 17 * 7
    assert local_zone().utcoffset(NOW) is not None
