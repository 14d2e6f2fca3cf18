"""The demo organization's calendar: schedules, events, invitees and time, all consistent."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from desktop.sandbox.seed import SeedSummary
from desktop.sandbox.store import Store
from desktop.sandbox.wire import iso
from tests.sandbox.helpers import ANCHOR, LOCATION_KINDS, TRACKING_KEYS, rows, when

OUTPUT_TYPES = {
    "zoom_conference": "zoom",
    "gotomeeting_conference": "gotomeeting",
}


def test_schedules_are_in_each_members_zone(seeded_org: tuple[Store, SeedSummary]) -> None:
    store, _ = seeded_org
    users = {u["id"]: u for u in rows(store, "users")}
    schedules = rows(store, "availability_schedules")
    defaults = [s for s in schedules if s["is_default"]]
    assert sorted(s["user"] for s in defaults) == sorted(users)
    for schedule in defaults:
        assert schedule["timezone"] == users[schedule["user"]]["timezone"]
    assert any(r["type"] == "date" for s in defaults for r in s["rules"])
    assert any(not s["is_default"] for s in schedules)
    assert rows(store, "busy_blocks")


def default_schedules(store: Store) -> dict[str, dict[str, Any]]:
    return {s["user"]: s for s in rows(store, "availability_schedules") if s["is_default"]}


def inside(schedule: dict[str, Any], start: datetime, end: datetime) -> bool:
    zone = ZoneInfo(schedule["timezone"])
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if local_start.date() != local_end.date():
        return False
    day = local_start.date()
    by_date = {r["date"]: r for r in schedule["rules"] if r["type"] == "date"}
    weekday = day.strftime("%A").lower()
    rule = by_date.get(day.isoformat()) or next(
        r for r in schedule["rules"] if r["type"] == "wday" and r["wday"] == weekday
    )
    begin, finish = local_start.strftime("%H:%M"), local_end.strftime("%H:%M")
    return any(i["from"] <= begin and finish <= i["to"] for i in rule["intervals"])


def test_events_sit_inside_host_availability_without_double_booking(
    seeded_org: tuple[Store, SeedSummary],
) -> None:
    store, _ = seeded_org
    schedules = default_schedules(store)
    events = rows(store, "scheduled_events")
    busy: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for block in rows(store, "busy_blocks"):
        busy[block["user"]].append((block["start_time"], block["end_time"]))
    for event in events:
        for host in event["hosts"]:
            assert inside(schedules[host], when(event["start_time"]), when(event["end_time"])), (
                event["id"],
                host,
            )
    per_host: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for event in events:
        if event["status"] == "active":
            for host in event["hosts"]:
                per_host[host].append((event["start_time"], event["end_time"]))
    assert len(per_host) == len(schedules)
    for host, spans in per_host.items():
        ordered = sorted(spans + busy[host])
        for (_, end), (start, _) in itertools.pairwise(ordered):
            assert end <= start, host


def test_events_spread_over_past_and_future(seeded_org: tuple[Store, SeedSummary]) -> None:
    store, _ = seeded_org
    events = rows(store, "scheduled_events")
    assert len(events) == 2000
    day = ANCHOR.replace(hour=0, minute=0, second=0, microsecond=0)
    starts = [when(e["start_time"]) for e in events]
    assert min(starts) >= day - timedelta(days=121) and max(starts) <= day + timedelta(days=61)
    past = sum(s < day for s in starts)
    assert 0.5 < past / len(starts) < 0.8
    months = {(s.year, s.month) for s in starts}
    assert len(months) >= 6
    for event in events:
        assert when(event["created_at"]) < min(when(event["start_time"]), day)
    statuses = Counter(e["status"] for e in events)
    assert 0.03 < statuses["canceled"] / len(events) < 0.2
    assert any(e["guests"] for e in events)
    types = {e["location"]["type"] for e in events}
    assert types == {OUTPUT_TYPES.get(kind, kind) for kind in LOCATION_KINDS}
    for event in events:
        location = event["location"]
        if location["type"] in (
            "zoom",
            "gotomeeting",
            "microsoft_teams_conference",
            "webex_conference",
            "google_conference",
        ):
            assert location["status"] in ("pushed", "processing", "failed")
            assert (location["join_url"] is not None) == (location["status"] == "pushed")
            if event["status"] == "canceled":
                assert location["status"] == "failed"
        else:
            assert "kind" not in location and "location" in location


def test_nothing_happens_before_it_could(seeded_org: tuple[Store, SeedSummary]) -> None:
    """Bookings follow their event type's creation and their hosts' joining, in order."""
    store, _ = seeded_org
    day = ANCHOR.replace(hour=0, minute=0, second=0, microsecond=0)
    org_created = rows(store, "organizations")[0]["created_at"]
    joined = {m["user"]: m["created_at"] for m in rows(store, "memberships")}
    event_types = {e["id"]: e for e in rows(store, "event_types")}
    events = {e["id"]: e for e in rows(store, "scheduled_events")}
    assert all(org_created <= j for j in joined.values())
    for event_type in event_types.values():
        assert event_type["created_at"] <= event_type["updated_at"] < iso(day)
        for host in event_type["hosts"]:
            assert joined[host] <= event_type["created_at"]
    for event in events.values():
        assert event_types[event["event_type"]]["created_at"] < event["created_at"]
        assert event["created_at"] <= event["updated_at"]
        for host in event["hosts"]:
            assert joined[host] < event["start_time"]
    for invitee in rows(store, "invitees"):
        event = events[invitee["event"]]
        assert event["created_at"] <= invitee["created_at"] <= invitee["updated_at"]
        if invitee["cancellation"] is not None:
            assert invitee["created_at"] < invitee["cancellation"]["created_at"]
            assert invitee["cancellation"]["created_at"] <= event["start_time"]
            assert when(invitee["cancellation"]["created_at"]) < day
    for hook in rows(store, "webhooks"):
        assert joined[hook["creator"]] < hook["created_at"] <= hook["updated_at"]
        if hook["state"] == "disabled":
            assert hook["retry_started_at"] is not None


def test_invitees_events_and_hosts_reference_each_other(
    seeded_org: tuple[Store, SeedSummary],
) -> None:
    store, _ = seeded_org
    events = {e["id"]: e for e in rows(store, "scheduled_events")}
    event_types = {e["id"]: e for e in rows(store, "event_types")}
    invitees = {i["id"]: i for i in rows(store, "invitees")}
    users = {u["id"] for u in rows(store, "users")}
    hosts: dict[str, list[str]] = defaultdict(list)
    for row in rows(store, "event_hosts"):
        assert row["id"] == f"{row['event']}:{row['user']}"
        assert row["start_time"] == events[row["event"]]["start_time"]
        hosts[row["event"]].append(row["user"])
    by_event: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for invitee in invitees.values():
        by_event[invitee["event"]].append(invitee)
    for event in events.values():
        event_type = event_types[event["event_type"]]
        assert sorted(hosts[event["id"]]) == sorted(event["hosts"])
        assert set(event["hosts"]) <= set(event_type["hosts"])
        if event_type["pooling_type"] == "collective":
            assert sorted(event["hosts"]) == sorted(event_type["hosts"])
        mine = by_event[event["id"]]
        assert 1 <= len(mine) <= event["invitee_limit"] == event_type["invitee_limit"]
        if event["status"] == "canceled":
            assert event["cancellation"]["canceler_type"] in ("host", "invitee")
            assert all(i["status"] == "canceled" and i["cancellation"] for i in mine)
        else:
            assert event["cancellation"] is None
            assert any(i["status"] == "active" for i in mine)
    assert any(len(v) > 1 for v in by_event.values())
    for invitee in invitees.values():
        assert invitee["email"] == invitee["email"].lower()
        assert (invitee["status"] == "canceled") == (invitee["cancellation"] is not None)
        assert set(invitee["tracking"]) == TRACKING_KEYS
        if invitee["scheduling_method"] == "api":
            assert invitee["invitee_scheduled_by"] in users
        else:
            assert invitee["invitee_scheduled_by"] is None
        asked = {
            q["name"]: q
            for q in event_types[events[invitee["event"]]["event_type"]]["custom_questions"]
        }
        for answer in invitee["questions_and_answers"]:
            assert asked[answer["question"]]["enabled"] and answer["answer"]
        required = {n for n, q in asked.items() if q["required"]}
        assert required <= {a["question"] for a in invitee["questions_and_answers"]}
    methods = Counter(i["scheduling_method"] for i in invitees.values())
    assert methods["instant_book"] > methods["api"] > 0
    assert any(i["tracking"]["utm_source"] for i in invitees.values())
    assert any(i["text_reminder_number"] for i in invitees.values())


def test_reschedules_and_no_shows_are_consistent(seeded_org: tuple[Store, SeedSummary]) -> None:
    store, _ = seeded_org
    events = {e["id"]: e for e in rows(store, "scheduled_events")}
    invitees = {i["id"]: i for i in rows(store, "invitees")}
    moved = [i for i in invitees.values() if i["rescheduled"]]
    assert len(moved) >= 10
    for old in moved:
        new = invitees[old["new_invitee"]]
        assert old["status"] == "canceled" and old["cancellation"]["canceler_type"] == "invitee"
        assert new["old_invitee"] == old["id"] and new["email"] == old["email"]
        assert new["created_at"] == old["cancellation"]["created_at"]
        assert events[old["event"]]["status"] == "canceled"  # its only invitee moved
        assert new["event"] != old["event"]
    for invitee in invitees.values():
        if invitee["old_invitee"] is not None:
            assert invitees[invitee["old_invitee"]]["new_invitee"] == invitee["id"]
    day = ANCHOR.replace(hour=0, minute=0, second=0, microsecond=0)
    no_shows = rows(store, "no_shows")
    assert no_shows
    for no_show in no_shows:
        invitee = invitees[no_show["invitee"]]
        event = events[invitee["event"]]
        assert invitee["no_show"] == no_show["id"] and invitee["status"] == "active"
        assert when(event["end_time"]) <= when(no_show["created_at"]) < day
    marked = [i for i in invitees.values() if i["no_show"] is not None]
    assert len(marked) == len(no_shows)
