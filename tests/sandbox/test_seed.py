"""The demo organization: deterministic, complete, consistent and believable."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import Any, get_type_hints
from zoneinfo import ZoneInfo

import httpx
import pytest

from desktop.sandbox import SandboxServer, records
from desktop.sandbox.seed import SeedSummary
from desktop.sandbox.store import TABLES, Store
from tests.sandbox.helpers import ANCHOR, LOCATION_KINDS, rows, seeded, when

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
    "teams": records.Team,
    "activity_log": records.ActivityLogEntry,
}
SEEDED_TABLES = list(SHAPES)
# Tables only written at run time (tokens, webhook delivery, OAuth), never by the seed.
RUNTIME_TABLES = {
    "tokens",
    "meta",
    "webhook_deliveries",
    "webhook_attempts",
    "oauth_clients",
    "oauth_codes",
    "refresh_tokens",
    "event_type_schedules",  # a host's own availability for an event type (PATCH)
}


def test_every_table_is_either_seeded_or_run_time_only() -> None:
    assert set(TABLES) == set(SHAPES) | RUNTIME_TABLES


WIRE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
TIME_KEYS = {
    "created_at",
    "updated_at",
    "start_time",
    "end_time",
    "last_sent_at",
    "deleted_at",
    "retry_started_at",
    "occurred_at",
}


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


def test_every_record_has_exactly_the_fields_of_its_shape(
    seeded_org: tuple[Store, SeedSummary],
) -> None:
    store, _ = seeded_org
    for table in SEEDED_TABLES:
        fields = set(get_type_hints(SHAPES[table]))
        found = rows(store, table)
        if table != "scheduling_links":
            assert found, f"{table} is empty"
        for record in found:
            assert set(record) == fields, (table, set(record) ^ fields)
            for key in TIME_KEYS & set(record):
                assert record[key] is None or WIRE_TIME.match(record[key]), (table, key)


def test_members_roles_zones_and_invitations(seeded_org: tuple[Store, SeedSummary]) -> None:
    store, summary = seeded_org
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


def test_groups_have_members_admins_and_an_invitation(
    seeded_org: tuple[Store, SeedSummary],
) -> None:
    store, _ = seeded_org
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
    seeded_org: tuple[Store, SeedSummary],
) -> None:
    store, _ = seeded_org
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


def test_routing_forms_and_submissions(seeded_org: tuple[Store, SeedSummary]) -> None:
    store, _ = seeded_org
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


def test_webhooks_of_every_scope(seeded_org: tuple[Store, SeedSummary]) -> None:
    store, summary = seeded_org
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
