"""Reading one scheduled event and its invitees: shapes, filters, paging and who may see them."""

from __future__ import annotations

from typing import Any

import httpx

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from tests.sandbox.helpers import (
    TRACKING_KEYS,
    Api,
    all_pages,
    assert_not_found,
    denied_with,
    invitee_uri,
    relationship_record,
    user_uri,
)

INVITEE_KEYS = {
    "uri",
    "email",
    "first_name",
    "last_name",
    "name",
    "status",
    "questions_and_answers",
    "timezone",
    "event",
    "created_at",
    "updated_at",
    "tracking",
    "text_reminder_number",
    "rescheduled",
    "old_invitee",
    "new_invitee",
    "cancel_url",
    "reschedule_url",
    "routing_form_submission",
    "payment",
    "no_show",
    "reconfirmation",
    "scheduling_method",
    "invitee_scheduled_by",
}


def busiest_event(sandbox: SandboxServer) -> Record:
    """The event with the most invitees (a group event when the seed has one)."""
    ident = sandbox.state.store.scalars(
        "SELECT event FROM invitees GROUP BY event ORDER BY COUNT(*) DESC, event LIMIT 1"
    )
    assert ident, "the seed made no invitees"
    record = sandbox.state.store.get("scheduled_events", ident[0])
    assert record is not None
    return record


def invitees_of(sandbox: SandboxServer, event_id: str) -> list[Record]:
    return sandbox.state.store.find("invitees", "event = ?", (event_id,), order="created_at, id")


def listed(client: httpx.Client, event_id: str, **params: Any) -> list[dict[str, Any]]:
    return all_pages(client, f"/scheduled_events/{event_id}/invitees", params)


def first_invitee_where(sandbox: SandboxServer, where: str) -> Record | None:
    return sandbox.state.store.find_one("invitees", where)


def first_invitee_with(sandbox: SandboxServer, field: str, what: str) -> Record:
    """The first invitee whose ``field`` is set; the seed must have made one (``what``)."""
    found = first_invitee_where(sandbox, f"json_extract(data, '$.{field}') IS NOT NULL")
    assert found is not None, f"the seed made no {what}"
    return found


def test_lists_every_invitee_oldest_first(sandbox: SandboxServer, api: Api) -> None:
    event = busiest_event(sandbox)
    stored = invitees_of(sandbox, event["id"])
    items = listed(api("owner"), event["id"])
    assert [i["uri"] for i in items] == [invitee_uri(sandbox, r) for r in stored]
    for item, record in zip(items, stored, strict=True):
        assert set(item) - {"cancellation"} == INVITEE_KEYS
        assert item["email"] == record["email"]
        assert item["event"] == f"{sandbox.base_url}/scheduled_events/{event['id']}"
        assert item["cancel_url"] == f"{sandbox.base_url}/cancellations/{record['id']}"
        assert item["reschedule_url"] == f"{sandbox.base_url}/reschedulings/{record['id']}"
        assert set(item["tracking"]) == TRACKING_KEYS


def test_descending_sort_and_small_pages(sandbox: SandboxServer, api: Api) -> None:
    event = busiest_event(sandbox)
    stored = invitees_of(sandbox, event["id"])
    client = api("owner")
    items = listed(client, event["id"], sort="created_at:desc", count=1)
    assert [i["uri"] for i in items] == [invitee_uri(sandbox, r) for r in reversed(stored)]
    response = client.get(f"/scheduled_events/{event['id']}/invitees", params={"count": 1})
    pagination = response.json()["pagination"]
    assert pagination["count"] == 1
    assert (pagination["next_page"] is None) == (len(stored) == 1)


def test_status_and_email_filters(sandbox: SandboxServer, api: Api) -> None:
    canceled = first_invitee_where(sandbox, "status = 'canceled'")
    assert canceled is not None, "the seed made no canceled invitee"
    client = api("owner")
    event_id = canceled["event"]
    stored = invitees_of(sandbox, event_id)
    for status in ("active", "canceled"):
        items = listed(client, event_id, status=status)
        assert [i["uri"] for i in items] == [
            invitee_uri(sandbox, r) for r in stored if r["status"] == status
        ]
    by_email = listed(client, event_id, email=canceled["email"].upper())
    assert [i["uri"] for i in by_email] == [
        invitee_uri(sandbox, r) for r in stored if r["email"] == canceled["email"]
    ]
    assert listed(client, event_id, email="nobody@nowhere.example") == []


def test_bad_filters_are_named(sandbox: SandboxServer, api: Api) -> None:
    event = busiest_event(sandbox)
    response = api("owner").get(
        f"/scheduled_events/{event['id']}/invitees",
        params={"status": "gone", "email": "nope", "count": "500"},
    )
    assert response.status_code == 400
    assert response.json()["title"] == "Invalid Argument"
    assert {d["parameter"] for d in response.json()["details"]} >= {"status", "email"}
    response = api("owner").get(
        f"/scheduled_events/{event['id']}/invitees", params={"sort": "email:asc"}
    )
    assert [d["parameter"] for d in response.json()["details"]] == ["sort"]


def test_get_one_invitee(sandbox: SandboxServer, api: Api) -> None:
    event = busiest_event(sandbox)
    record = invitees_of(sandbox, event["id"])[0]
    response = api("owner").get(invitee_uri(sandbox, record))
    assert response.status_code == 200
    invitee = response.json()["resource"]
    assert invitee["uri"] == invitee_uri(sandbox, record)
    assert invitee["name"] == record["name"]
    assert invitee["status"] == record["status"]
    assert invitee["questions_and_answers"] == record["questions_and_answers"]


def test_invitee_under_the_wrong_event_is_not_found(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    record = store.find_one("invitees", "1")
    other = store.find_one("scheduled_events", "id != ?", (record["id"] if record else "",))
    assert record is not None and other is not None
    other_id = other["id"] if other["id"] != record["event"] else "NOSUCHEVENT00001"
    response = api("owner").get(f"/scheduled_events/{other_id}/invitees/{record['id']}")
    assert_not_found(response)
    unknown = api("owner").get(f"/scheduled_events/{record['event']}/invitees/no-such-invitee")
    assert unknown.status_code == 404


def test_links_between_rescheduled_invitees(sandbox: SandboxServer, api: Api) -> None:
    old = first_invitee_with(sandbox, "new_invitee", "rescheduled invitee")
    new = sandbox.state.store.get("invitees", old["new_invitee"])
    assert new is not None
    client = api("owner")
    shown_old = client.get(invitee_uri(sandbox, old)).json()["resource"]
    assert shown_old["rescheduled"] is True
    assert shown_old["status"] == "canceled"
    assert shown_old["new_invitee"] == invitee_uri(sandbox, new)
    shown_new = client.get(shown_old["new_invitee"]).json()["resource"]
    assert shown_new["old_invitee"] == invitee_uri(sandbox, old)


def test_references_are_full_uris(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    routed = first_invitee_with(sandbox, "routing_form_submission", "invitee routed by a form")
    shown = client.get(invitee_uri(sandbox, routed)).json()["resource"]
    assert shown["routing_form_submission"] == (
        f"{sandbox.base_url}/routing_form_submissions/{routed['routing_form_submission']}"
    )
    booked = first_invitee_with(sandbox, "invitee_scheduled_by", "invitee booked by a member")
    shown = client.get(invitee_uri(sandbox, booked)).json()["resource"]
    assert shown["invitee_scheduled_by"] == (user_uri(sandbox, booked["invitee_scheduled_by"]))
    marked = first_invitee_with(sandbox, "no_show", "no-show")
    shown = client.get(invitee_uri(sandbox, marked)).json()["resource"]
    no_show = sandbox.state.store.get("no_shows", marked["no_show"])
    assert no_show is not None
    assert shown["no_show"] == {
        "uri": f"{sandbox.base_url}/invitee_no_shows/{marked['no_show']}",
        "created_at": no_show["created_at"],
    }


def viewers(sandbox: SandboxServer, event: Record) -> set[str]:
    """Users who may see ``event``: its hosts and admins of a group a host belongs to."""
    store = sandbox.state.store
    allowed = set(event["hosts"])
    for group in store.find("groups"):
        relations = [
            (r["role"], m["user"])
            for r in store.find(
                "group_relationships",
                "group_id = ? AND owner_type = 'membership'",
                (group["id"],),
            )
            if (m := store.get("memberships", r["owner"])) is not None
        ]
        if {user for _, user in relations} & set(event["hosts"]):
            allowed |= {user for role, user in relations if role == "admin"}
    return allowed


def outsider_of(sandbox: SandboxServer, event: Record) -> Record:
    allowed = viewers(sandbox, event)
    return next(
        m
        for m in sandbox.state.store.find("memberships", "role = 'user'")
        if m["user"] not in allowed
    )


def denied_view(response: httpx.Response) -> None:
    denied_with(response, "You are not allowed to view this event")


def test_get_event_shows_hosts_and_invitee_counts(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    record = busiest_event(sandbox)
    response = api("owner").get(f"/scheduled_events/{record['id']}")
    assert response.status_code == 200
    event = response.json()["resource"]
    invitees = invitees_of(sandbox, record["id"])
    assert event["invitees_counter"] == {
        "total": len(invitees),
        "active": sum(1 for i in invitees if i["status"] == "active"),
        "limit": record["invitee_limit"],
    }
    assert event["uri"] == f"{sandbox.base_url}/scheduled_events/{record['id']}"
    assert event["event_type"] == f"{sandbox.base_url}/event_types/{record['event_type']}"
    assert (event["start_time"], event["end_time"]) == (record["start_time"], record["end_time"])
    assert event["status"] == record["status"]
    assert event["location"] == record["location"]
    assert event["event_guests"] == record["guests"]
    hosts = [store.get("users", ident) for ident in record["hosts"]]
    assert [(m["user"], m["user_email"], m["user_name"]) for m in event["event_memberships"]] == [
        (user_uri(sandbox, h["id"]), h["email"], h["name"]) for h in hosts if h
    ]
    assert ("cancellation" in event) == (record["status"] == "canceled")


def test_canceled_event_shows_its_cancellation(sandbox: SandboxServer, api: Api) -> None:
    record = sandbox.state.store.find_one("scheduled_events", "status = 'canceled'")
    assert record is not None
    event = api("owner").get(f"/scheduled_events/{record['id']}").json()["resource"]
    assert event["status"] == "canceled"
    assert event["cancellation"] == {
        key: record["cancellation"][key]
        for key in ("canceled_by", "reason", "canceler_type", "created_at")
    }


def test_hosts_and_admins_may_view_an_event_and_other_members_may_not(
    sandbox: SandboxServer, api: Api
) -> None:
    store = sandbox.state.store
    event = busiest_event(sandbox)
    record = invitees_of(sandbox, event["id"])[0]
    host = store.find_one("memberships", "user = ?", (event["hosts"][0],))
    assert host is not None
    paths = (
        f"/scheduled_events/{event['id']}",
        f"/scheduled_events/{event['id']}/invitees",
        invitee_uri(sandbox, record),
    )
    for who in (host["email"], "admin"):
        for path in paths:
            assert api(who).get(path).status_code == 200, (who, path)
    client = api(outsider_of(sandbox, event)["email"])
    for path in paths:
        denied_view(client.get(path))


def test_a_group_admin_may_view_events_of_the_groups_members(
    sandbox: SandboxServer, api: Api
) -> None:
    """A plain member made admin of a group sees events its members host, and no others."""
    store = sandbox.state.store
    group = store.find_one("groups", "1")
    assert group is not None
    member_ids = {
        r["owner"]
        for r in store.find(
            "group_relationships",
            "group_id = ? AND owner_type = 'membership'",
            (group["id"],),
        )
    }
    members = {m["user"] for m in store.find("memberships") if m["id"] in member_ids}
    hosted = store.find_one(
        "scheduled_events",
        f"id IN (SELECT event FROM event_hosts WHERE user IN ({', '.join('?' * len(members))}))",
        tuple(members),
    )
    assert hosted is not None
    admin = outsider_of(sandbox, hosted)
    client = api(admin["email"])
    denied_view(client.get(f"/scheduled_events/{hosted['id']}"))
    relationship = relationship_record(
        "GROUPADMIN000001",
        group["organization"],
        group["id"],
        "membership",
        admin["id"],
        "admin",
        group["created_at"],
    )
    store.insert("group_relationships", relationship)
    assert client.get(f"/scheduled_events/{hosted['id']}").status_code == 200
    unrelated = next(
        e for e in store.find("scheduled_events") if admin["user"] not in viewers(sandbox, e)
    )
    denied_view(client.get(f"/scheduled_events/{unrelated['id']}"))


def test_unknown_event_is_not_found(api: Api) -> None:
    for path in (
        "/scheduled_events/NOSUCHEVENT00001",
        "/scheduled_events/NOSUCHEVENT00001/invitees",
    ):
        response = api("owner").get(path)
        assert response.status_code == 404
        assert response.json() == {
            "title": "Resource Not Found",
            "message": "The server could not find the requested resource.",
        }
