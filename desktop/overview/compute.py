"""``compute``: the Overview's figures for one filter, from the loaded data (pure and fast).

The rules, in the words of the page:

* A meeting is in the range when it starts on a local day of ``[filter.start, filter.end)``.
* Its outcome: **canceled** if canceled; **upcoming** if active and not over yet (a meeting in
  progress is still upcoming: whether its invitees came is not known before it ends);
  **no-show** if active, over, and at least one invitee is marked no-show; else **held**.
* A member filter keeps the meetings that member hosts; a group filter the meetings hosted by
  at least one member of the group (as Calendly's ``group`` filter of scheduled events).
  Without admin rights the data holds the user's own meetings: the user alone is ranked.
* Weeks: every local Monday-to-Sunday week the range touches, counting only the meetings in
  the range. Busiest members and event types, and the weekday × hour heat map, count the
  meetings in the range that were not canceled; a meeting with several hosts counts once for
  each host (with a member or group filter, only that member or the group's members rank).
* Cards: members, pending invitations, active event types and webhook subscriptions are the
  whole organization's (what the token may see); meetings this and next week are the active
  meetings starting in those local weeks, with the member or group filter applied.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, tzinfo

from desktop.overview.data import EventRow, OverviewData
from desktop.overview.figures import Cards, Filter, Outcome, Overview, Ranked, Week
from desktop.overview.window import WEEK, monday_of, span_of, week_span

TOP = 10  # members and event types ranked


def outcome(row: EventRow, now: datetime) -> Outcome:
    """What became of a meeting by ``now`` (see the module's rules)."""
    if not row.is_active:
        return Outcome.CANCELED
    if row.end > now:
        return Outcome.UPCOMING
    return Outcome.NO_SHOW if row.no_shows else Outcome.HELD


def hosts_wanted(data: OverviewData, filter: Filter) -> frozenset[str] | None:
    """The hosts a filter keeps (None: everyone). Without admin rights the data holds the
    user's own meetings only, so only the user ranks, whatever the filter."""
    chosen: frozenset[str] | None = None
    if filter.member is not None:
        chosen = frozenset((filter.member,))
    elif filter.group is not None:
        members = [group.members for group in data.groups if group.uri == filter.group]
        chosen = frozenset(members[0]) if members else frozenset()
    if data.is_admin:
        return chosen
    own = frozenset((data.user,))
    return own if chosen is None else own & chosen


def _ranked(counts: Counter[str], names: dict[str, str]) -> tuple[Ranked, ...]:
    order = sorted(counts.items(), key=lambda item: (-item[1], names.get(item[0], item[0]).lower()))
    return tuple(Ranked(uri, names.get(uri, uri), count) for uri, count in order[:TOP])


def _week_count(start: date, end: date) -> int:
    """How many Monday-to-Sunday weeks the local days ``[start, end)`` touch."""
    return -(-(end - monday_of(start)).days // 7) if end > start else 0


def compute(data: OverviewData, filter: Filter, tz: tzinfo, now: datetime) -> Overview:
    """The figures the page draws for ``filter``; ``now`` (aware) decides past and upcoming.

    One pass over the events (each converted to local time once): the page calls this on
    every change of the filter."""
    hosts = hosts_wanted(data, filter)
    start, end = span_of(filter.start, filter.end, tz)
    first = monday_of(filter.start)
    tallies: list[Counter[Outcome]] = [
        Counter() for _ in range(_week_count(filter.start, filter.end))
    ]
    grid = [[0] * 24 for _ in range(7)]
    members: Counter[str] = Counter()
    types: Counter[str] = Counter()
    this_lo, this_hi = week_span(tz, now, 0)
    next_lo, next_hi = week_span(tz, now, 1)
    this_week = next_week = 0

    for row in data.events:
        if hosts is not None and hosts.isdisjoint(row.hosts):
            continue
        active = row.is_active
        if active:
            if this_lo <= row.start < this_hi:
                this_week += 1
            elif next_lo <= row.start < next_hi:
                next_week += 1
        if not start <= row.start < end:
            continue
        local = row.start.astimezone(tz)
        week = (local.date() - first).days // 7
        if 0 <= week < len(tallies):  # always, unless a zone skips a local midnight
            tallies[week][outcome(row, now)] += 1
        if not active:
            continue
        grid[local.weekday()][local.hour] += 1
        types[row.event_type] += 1
        for host in dict.fromkeys(row.hosts):
            if hosts is None or host in hosts:
                members[host] += 1

    people = dict(data.host_names)
    people.update({person.uri: person.name or person.email for person in data.members})
    kinds = {row.event_type: row.name for row in data.events if row.name}
    kinds.update({kind.uri: kind.name for kind in data.event_types if kind.name})
    cards = Cards(
        members_active=len(data.members),
        invitations_pending=data.invitations_pending,
        event_types_active=sum(1 for kind in data.event_types if kind.active),
        meetings_this_week=this_week,
        meetings_next_week=next_week,
        webhooks_active=data.webhooks.active,
        webhooks_retrying=data.webhooks.retrying,
        webhooks_disabled=data.webhooks.disabled,
    )
    weeks = tuple(
        Week(first + index * WEEK, {kind: tally.get(kind, 0) for kind in Outcome})
        for index, tally in enumerate(tallies)
    )
    return Overview(
        filter=filter,
        cards=cards,
        weeks=weeks,
        busiest_members=_ranked(members, people),
        busiest_event_types=_ranked(types, kinds),
        heatmap=tuple(tuple(day) for day in grid),
        refreshed_at=data.fetched_at,
    )
