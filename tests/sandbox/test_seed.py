"""The demo organization: deterministic, complete, consistent and believable."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, get_type_hints
from zoneinfo import ZoneInfo

import httpx
import pytest

from desktop.sandbox import SandboxServer, records
from desktop.sandbox.seed import SeedSummary, generate
from desktop.sandbox.store import TABLES, Store
from desktop.sandbox.wire import iso

ANCHOR = datetime(2026, 3, 10, 13, 45, 12, tzinfo=UTC)  # the window spans both DST changes
SEEDED_TABLES = [t for t in TABLES if t not in ("tokens", "meta")]
SHAPES: dict[str, Any] = {
    "organizations": records.Organization,
    "users": records.User,
    "memberships": records.Membership,
    "invitations": records.Invitation,
    "groups": records.Group,
    "group_relationships": records.GroupRelationship,
    "event_types": records.EventType,
    "event_type_hosts": records.EventTypeHost,
    "availability_schedules": records.AvailabilitySchedule,
    "busy_blocks": records.BusyBlock,
    "scheduled_events": records.ScheduledEvent,
    "event_hosts": records.EventHost,
    "invitees": records.Invitee,
    "no_shows": records.NoShow,
    "routing_forms": records.RoutingForm,
    "routing_submissions": records.RoutingSubmission,
    "webhooks": records.Webhook,
    "scheduling_links": records.SchedulingLink,
}
WIRE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
TIME_KEYS = {
    "created_at",
    "updated_at",
    "start_time",
    "end_time",
    "last_sent_at",
    "deleted_at",
    "retry_started_at",
}
LOCATION_KINDS = {
    "ask_invitee",
    "custom",
    "google_conference",
    "gotomeeting_conference",
    "inbound_call",
    "microsoft_teams_conference",
    "outbound_call",
    "physical",
    "webex_conference",
    "zoom_conference",
}
OUTPUT_TYPES = {
    "zoom_conference": "zoom",
    "gotomeeting_conference": "gotomeeting",
}


def seeded(
    seed: int = 7, members: int = 25, events: int = 2000, anchor: datetime = ANCHOR
) -> tuple[Store, SeedSummary]:
    store = Store(":memory:")
    with store.transaction():
        summary = generate(store, seed=seed, members=members, events=events, anchor=anchor)
    return store, summary


@pytest.fixture(scope="module")
def org() -> Iterator[tuple[Store, SeedSummary]]:
    store, summary = seeded()
    yield store, summary
    store.close()


def rows(store: Store, table: str) -> list[dict[str, Any]]:
    return store.find(table)


def when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_same_inputs_give_identical_tables_and_other_seeds_differ() -> None:
    first, _ = seeded(events=400)
    # Same UTC day, other hour: nothing may change.
    second, _ = seeded(events=400, anchor=ANCHOR.replace(hour=2, minute=3))
    other, _ = seeded(seed=8, events=400)
    for table in SEEDED_TABLES:
        assert rows(first, table) == rows(second, table), table
    assert first.scalars("SELECT data FROM meta") == second.scalars("SELECT data FROM meta")
    for table in ("users", "event_types", "scheduled_events", "invitees"):
        assert rows(first, table) != rows(other, table), table
    names = {u["name"] for u in rows(first, "users")}
    assert names != {u["name"] for u in rows(other, "users")}


_DIGEST = """
import hashlib, sys
from datetime import datetime
from desktop.sandbox.seed import generate
from desktop.sandbox.store import TABLES, Store
from desktop.sandbox.wire import iso
store = Store(":memory:")
generate(store, seed=5, members=12, events=300, anchor=datetime.fromisoformat(sys.argv[1]))
digest = hashlib.sha256()
for table in TABLES:
    for data in store.scalars(f"SELECT data FROM {table} ORDER BY id"):
        digest.update(data.encode())
print(digest.hexdigest())
"""


def test_tables_repeat_byte_for_byte_across_processes() -> None:
    """No set or hash order leaks into the data: other hash seeds give the same bytes."""
    digests = set()
    for hash_seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", _DIGEST, ANCHOR.isoformat()],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        digests.add(done.stdout.strip())
    assert len(digests) == 1 and len(digests.pop()) == 64


def test_every_record_has_exactly_the_fields_of_its_shape(org: tuple[Store, SeedSummary]) -> None:
    store, _ = org
    for table in SEEDED_TABLES:
        fields = set(get_type_hints(SHAPES[table]))
        found = rows(store, table)
        if table != "scheduling_links":
            assert found, f"{table} is empty"
        for record in found:
            assert set(record) == fields, (table, set(record) ^ fields)
            for key in TIME_KEYS & set(record):
                assert record[key] is None or WIRE_TIME.match(record[key]), (table, key)


def test_members_roles_zones_and_invitations(org: tuple[Store, SeedSummary]) -> None:
    store, summary = org
    users = rows(store, "users")
    roles = Counter(m["role"] for m in rows(store, "memberships"))
    assert len(users) == 25
    assert (
        roles["owner"] == 1
        and 2 <= roles["admin"] <= 5
        and roles["user"] == 25 - 1 - roles["admin"]
    )
    assert (
        summary.owner
        and len(summary.admins) == roles["admin"]
        and len(summary.users) == roles["user"]
    )
    assert len({u["timezone"] for u in users}) >= 5
    for zone in {u["timezone"] for u in users}:
        ZoneInfo(zone)
    emails = [u["email"] for u in users]
    assert all(e == e.lower() and e.endswith(".example") for e in emails)
    assert len(set(emails)) == len(emails)
    assert len({u["slug"] for u in users}) == len(users)
    assert all(" " in u["name"] for u in users)
    statuses = Counter(i["status"] for i in rows(store, "invitations"))
    assert statuses["pending"] >= 2 and statuses["accepted"] >= 1 and statuses["declined"] >= 1
    by_id = {u["id"]: u for u in users}
    for invitation in rows(store, "invitations"):
        if invitation["status"] == "accepted":
            assert by_id[invitation["user"]]["email"] == invitation["email"]
        else:
            assert invitation["user"] is None and invitation["email"] not in emails


def test_groups_have_members_admins_and_an_invitation(org: tuple[Store, SeedSummary]) -> None:
    store, _ = org
    groups = rows(store, "groups")
    assert len(groups) == 2
    memberships = {m["id"] for m in rows(store, "memberships")}
    invitations = {i["id"] for i in rows(store, "invitations") if i["status"] == "pending"}
    relations = rows(store, "group_relationships")
    for group in groups:
        mine = [r for r in relations if r["group_id"] == group["id"]]
        assert any(r["role"] == "admin" for r in mine)
        assert sum(r["owner_type"] == "membership" for r in mine) >= 2
    assert any(r["owner_type"] == "invitation" for r in relations)
    for relation in relations:
        pool = memberships if relation["owner_type"] == "membership" else invitations
        assert relation["owner"] in pool


def test_event_types_cover_questions_locations_and_team_kinds(
    org: tuple[Store, SeedSummary],
) -> None:
    store, _ = org
    event_types = rows(store, "event_types")
    users = {u["id"] for u in rows(store, "users")}
    owned = Counter(e["owner"] for e in event_types if e["owner"] is not None)
    assert set(owned) == users and all(3 <= n <= 6 for n in owned.values())
    questions = [q for e in event_types for q in e["custom_questions"]]
    assert {q["type"] for q in questions} == {
        "string",
        "text",
        "phone_number",
        "single_select",
        "multi_select",
    }
    assert any(q["type"] == "multi_select" and q["include_other"] for q in questions)
    assert any(q["required"] for q in questions) and any(not q["enabled"] for q in questions)
    configs = [c for e in event_types for c in e["locations"] or []]
    assert {c["kind"] for c in configs} == LOCATION_KINDS
    assert any("location" in c for c in configs) and any("phone_number" in c for c in configs)
    assert any(not e["active"] for e in event_types)
    assert any(e["secret"] for e in event_types) and any(e["admin_managed"] for e in event_types)
    teams = [e for e in event_types if e["profile_type"] == "Team"]
    assert {e["pooling_type"] for e in teams} >= {"round_robin", "collective"}
    assert all(e["owner"] is None and len(e["hosts"]) >= 2 for e in teams)
    assert any(e["kind"] == "group" and e["invitee_limit"] > 1 for e in event_types)
    hosts = defaultdict(list)
    for row in rows(store, "event_type_hosts"):
        hosts[row["event_type"]].append(row["user"])
    for event_type in event_types:
        assert sorted(hosts[event_type["id"]]) == sorted(event_type["hosts"])
    slugs = Counter((e["owner"] or e["profile_name"], e["slug"]) for e in event_types)
    assert max(slugs.values()) == 1


def test_schedules_are_in_each_members_zone(org: tuple[Store, SeedSummary]) -> None:
    store, _ = org
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
    org: tuple[Store, SeedSummary],
) -> None:
    store, _ = org
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


def test_events_spread_over_past_and_future(org: tuple[Store, SeedSummary]) -> None:
    store, _ = org
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


def test_nothing_happens_before_it_could(org: tuple[Store, SeedSummary]) -> None:
    """Bookings follow their event type's creation and their hosts' joining, in order."""
    store, _ = org
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


def test_invitees_events_and_hosts_reference_each_other(org: tuple[Store, SeedSummary]) -> None:
    store, _ = org
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
        assert set(invitee["tracking"]) == {
            "utm_campaign",
            "utm_source",
            "utm_medium",
            "utm_content",
            "utm_term",
            "salesforce_uuid",
        }
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


def test_reschedules_and_no_shows_are_consistent(org: tuple[Store, SeedSummary]) -> None:
    store, _ = org
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


def test_routing_forms_and_submissions(org: tuple[Store, SeedSummary]) -> None:
    store, _ = org
    forms = {f["id"]: f for f in rows(store, "routing_forms")}
    assert len(forms) == 2 and all(f["status"] == "published" for f in forms.values())
    kinds = {q["type"] for f in forms.values() for q in f["questions"]}
    assert {"name", "email", "select", "radios", "textarea"} <= kinds
    event_types = {e["id"] for e in rows(store, "event_types")}
    invitees = {i["id"]: i for i in rows(store, "invitees")}
    submissions = rows(store, "routing_submissions")
    assert {s["result"]["type"] for s in submissions} == {
        "event_type",
        "external_url",
        "custom_message",
    }
    linked = 0
    for submission in submissions:
        form = forms[submission["routing_form"]]
        uuids = [q["uuid"] for q in form["questions"]]
        assert [a["question_uuid"] for a in submission["questions_and_answers"]] == uuids
        if submission["result"]["type"] == "event_type":
            assert submission["result"]["value"] in event_types
        if submission["submitter"] is not None:
            linked += 1
            invitee = invitees[submission["submitter"]]
            assert submission["submitter_type"] == "Invitee"
            assert invitee["routing_form_submission"] == submission["id"]
            assert submission["created_at"] < invitee["created_at"]
        else:
            assert submission["submitter_type"] is None
    assert linked >= 5
    pointed = [i for i in invitees.values() if i["routing_form_submission"]]
    assert len(pointed) == linked


def test_webhooks_of_every_scope(org: tuple[Store, SeedSummary]) -> None:
    store, summary = org
    hooks = rows(store, "webhooks")
    users = {u["id"] for u in rows(store, "users")}
    assert {h["scope"] for h in hooks} == {"organization", "user", "group"}
    assert any(h["state"] == "disabled" for h in hooks)
    assert any(h["retry_started_at"] for h in hooks)
    assert any(h["signing_key"] for h in hooks) and any(not h["signing_key"] for h in hooks)
    for hook in hooks:
        assert hook["creator"] in users
        assert (hook["user"] is not None) == (hook["scope"] == "user")
        assert (hook["group_id"] in summary.groups) == (hook["scope"] == "group")
        if "routing_form_submission.created" in hook["events"]:
            assert hook["scope"] == "organization"
    assert len({(h["scope"], h["user"], h["group_id"], h["callback_url"]) for h in hooks}) == len(
        hooks
    )


@pytest.mark.parametrize("seed", [1, 7, 42])
def test_the_small_test_organization_still_shows_every_feature(seed: int) -> None:
    """What the 400-event fixture organization must always contain for the API tests."""
    store, _ = seeded(seed=seed, events=400)
    day = ANCHOR.replace(hour=0, minute=0, second=0, microsecond=0)
    events = {e["id"]: e for e in rows(store, "scheduled_events")}
    invitees = rows(store, "invitees")
    dropped = [
        i
        for i in invitees
        if i["status"] == "canceled"
        and events[i["event"]]["status"] == "active"
        and when(events[i["event"]]["start_time"]) >= day + timedelta(days=1)
    ]
    assert dropped, "an upcoming group event with one invitee canceled"
    assert any(i["rescheduled"] for i in invitees)
    assert any(i["no_show"] for i in invitees)
    assert any(i["scheduling_method"] == "api" for i in invitees)
    assert any(i["routing_form_submission"] for i in invitees)
    assert any(e["status"] == "canceled" for e in events.values())
    assert any(when(e["start_time"]) > day + timedelta(days=7) for e in events.values())
    store.close()


def test_ten_thousand_events_generate_quickly() -> None:
    started = time.perf_counter()
    store, summary = seeded(seed=3, events=10_000)
    elapsed = time.perf_counter() - started
    assert store.count("scheduled_events") == 10_000 == summary.counts["scheduled_events"]
    assert store.count("invitees") >= 10_000
    assert elapsed < 30  # about a second on a developer machine
    store.close()


def test_small_and_large_organizations() -> None:
    store, summary = seeded(seed=11, members=3, events=50)
    roles = Counter(m["role"] for m in rows(store, "memberships"))
    assert roles == {"owner": 1, "admin": 1, "user": 1}
    assert store.count("scheduled_events") == 50
    assert SeedSummary.load(store) == summary
    store.close()
    store, _ = seeded(seed=12, members=80, events=3000)
    assert store.count("users") == 80 and store.count("scheduled_events") == 3000
    store.close()


def test_the_served_organization_is_the_seeded_one(
    sandbox: SandboxServer, api: Callable[..., httpx.Client]
) -> None:
    summary = sandbox.summary
    assert summary is not None
    store = sandbox.state.store
    for table, count in summary.counts.items():
        assert store.count(table) == count, table
    admin = store.get("users", summary.admins[0])
    assert admin is not None
    response = api("user").get(f"/users/{admin['id']}")
    assert response.status_code == 200
    resource = response.json()["resource"]
    assert (resource["name"], resource["email"], resource["timezone"]) == (
        admin["name"],
        admin["email"],
        admin["timezone"],
    )
