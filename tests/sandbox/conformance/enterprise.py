"""Conformance cases: the activity log and data compliance deletions (Enterprise)."""

from __future__ import annotations

from datetime import timedelta

from tests.sandbox.conformance.probe import Probe, case, now, stamp


@case("GET /activity_log_entries")
def activity_log_list(p: Probe) -> None:
    page = p.call(200, "GET", "/activity_log_entries", params={"organization": p.org}).json()
    assert page["collection"] and page["total_count"] >= len(page["collection"])
    p.call(
        200,
        "GET",
        "/activity_log_entries",
        params={
            "organization": p.org,
            "sort": ["action:asc", "occurred_at:desc"],
            "namespace": ["User"],
            "search_term": "Login | Add",
            "count": 5,
        },
    )
    p.call(
        200,
        "GET",
        "/activity_log_entries",
        params={"organization": p.org, "search_term": "nothing-matches-this"},
    )
    p.refused(400, "organization", "GET", "/activity_log_entries")
    p.refused(
        400, "sort", "GET", "/activity_log_entries", params={"organization": p.org, "sort": "x:up"}
    )
    p.refused(
        400,
        "actor",
        "GET",
        "/activity_log_entries",
        params={"organization": p.org, "actor": "not a uri"},
    )
    p.call(403, "GET", "/activity_log_entries", who="user", params={"organization": p.org})
    p.call(403, "GET", "/activity_log_entries", params={"organization": p.foreign_org})


@case("POST /data_compliance/deletion/invitees")
def delete_invitee_data(p: Probe) -> None:
    invitee = p.row("invitees")
    url = "/data_compliance/deletion/invitees"
    accepted = p.call(202, "POST", url, json={"emails": [invitee["email"]]})
    assert accepted.json() == {}
    assert p.store.get("invitees", invitee["id"]) is None
    p.refused(400, "emails", "POST", url, json={})
    p.refused(400, "emails[0]", "POST", url, json={"emails": ["not-an-email"]})
    p.call(403, "POST", url, who="user", json={"emails": ["someone@elsewhere.example"]})


@case("POST /data_compliance/deletion/events")
def delete_event_data(p: Probe) -> None:
    url = "/data_compliance/deletion/events"
    end = now(p) - timedelta(days=30)
    window = {"start_time": stamp(end - timedelta(days=7)), "end_time": stamp(end)}
    p.call(202, "POST", url, json=window)
    p.refused(400, "start_time", "POST", url, json={"end_time": window["end_time"]})
    future = {**window, "end_time": stamp(now(p) + timedelta(days=1))}
    p.refused(400, "end_time", "POST", url, json=future)
    too_long = {**window, "start_time": stamp(end - timedelta(days=800))}
    p.refused(400, "end_time", "POST", url, json=too_long)
    p.call(403, "POST", url, who="user", json=window)
