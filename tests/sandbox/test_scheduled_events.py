"""Listing and reading scheduled events: filters, permissions by role, sorting and paging."""

from __future__ import annotations

from typing import Any

import httpx

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from tests.sandbox.helpers import (
    Api,
    all_pages,
    assert_not_found,
    bad_parameters,
    denied_with,
    group_uri,
    org_uri,
    relationship_record,
    user_uri,
)


# -- helpers ------------------------------------------------------------------------------------
def event_ids(sandbox: SandboxServer, where: str = "1", params: tuple[Any, ...] = ()) -> set[str]:
    return {r["id"] for r in sandbox.state.store.find("scheduled_events", where, params)}


def ids_of(items: list[dict[str, Any]]) -> list[str]:
    return [item["uri"].rsplit("/", 1)[1] for item in items]


def all_events(client: httpx.Client, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every scheduled event the list gives for ``params``, in pages of 100."""
    return all_pages(client, "/scheduled_events", {"count": 100, **params})


def asks_for_the_organization(response: httpx.Response, kind: str) -> None:
    """The 403 asking for ``organization`` beside a ``kind`` ("user" or "group") filter."""
    denied_with(
        response,
        f"Please also specify organization when requesting events for a {kind} within your "
        "organization.",
    )


def hosts_by_role(sandbox: SandboxServer, role: str) -> list[Record]:
    """Members with ``role`` who host at least one event, busiest first."""
    store = sandbox.state.store
    members = store.find("memberships", "role = ?", (role,))
    counted = [(store.count("event_hosts", "user = ?", (m["user"],)), m) for m in members]
    return [m for n, m in sorted(counted, key=lambda pair: -pair[0]) if n]


def plain_host(sandbox: SandboxServer) -> Record:
    found = hosts_by_role(sandbox, "user")
    assert found, "the seed has no plain member hosting events"
    return found[0]


def hosted_by(sandbox: SandboxServer, user_id: str) -> set[str]:
    return {r["event"] for r in sandbox.state.store.find("event_hosts", "user = ?", (user_id,))}


def group_with_events(sandbox: SandboxServer) -> tuple[Record, set[str], set[str]]:
    """A seeded group, its member user ids and the ids of events they host."""
    store = sandbox.state.store
    for group in store.find("groups"):
        relations = store.find(
            "group_relationships",
            "group_id = ? AND owner_type = 'membership'",
            (group["id"],),
        )
        users = set()
        for relation in relations:
            membership = store.get("memberships", relation["owner"])
            if membership is not None:
                users.add(membership["user"])
        events: set[str] = set()
        for user in users:
            events |= hosted_by(sandbox, user)
        if events:
            return group, users, events
    raise AssertionError("the seed has no group whose members host events")


def group_admin_who_is_plain_user(sandbox: SandboxServer, group_id: str) -> Record | None:
    store = sandbox.state.store
    for relation in store.find(
        "group_relationships",
        "group_id = ? AND owner_type = 'membership' AND role = 'admin'",
        (group_id,),
    ):
        membership = store.get("memberships", relation["owner"])
        if membership is not None and membership["role"] == "user":
            return membership
    return None


# -- filters ------------------------------------------------------------------------------------
def test_organization_lists_every_event_of_the_organization(
    sandbox: SandboxServer, api: Api
) -> None:
    items = all_events(api("admin"), {"organization": org_uri(sandbox)})
    assert sandbox.summary is not None
    expected = event_ids(sandbox, "organization = ?", (sandbox.summary.organization,))
    assert len(expected) >= 300
    assert sorted(ids_of(items)) == sorted(expected)
    first = items[0]
    assert first["uri"].startswith(f"{sandbox.base_url}/scheduled_events/")
    assert first["event_type"].startswith(f"{sandbox.base_url}/event_types/")


def test_organization_and_user_list_that_members_events(sandbox: SandboxServer, api: Api) -> None:
    host = plain_host(sandbox)
    items = all_events(
        api("owner"), {"organization": org_uri(sandbox), "user": user_uri(sandbox, host["user"])}
    )
    assert set(ids_of(items)) == hosted_by(sandbox, host["user"])
    member = user_uri(sandbox, host["user"])
    for item in items:
        assert member in [m["user"] for m in item["event_memberships"]]


def test_user_alone_lists_your_own_events(sandbox: SandboxServer, api: Api) -> None:
    host = plain_host(sandbox)
    items = all_events(api(host["email"]), {"user": user_uri(sandbox, host["user"])})
    assert set(ids_of(items)) == hosted_by(sandbox, host["user"])


def test_user_alone_for_someone_else_asks_for_the_organization(
    sandbox: SandboxServer, api: Api
) -> None:
    host = plain_host(sandbox)
    response = api("owner").get(
        "/scheduled_events", params={"user": user_uri(sandbox, host["user"])}
    )
    asks_for_the_organization(response, "user")


def test_group_lists_events_hosted_by_its_members(sandbox: SandboxServer, api: Api) -> None:
    group, _, expected = group_with_events(sandbox)
    items = all_events(
        api("admin"),
        {"organization": org_uri(sandbox), "group": group_uri(sandbox, group["id"])},
    )
    assert set(ids_of(items)) == expected
    assert sandbox.summary is not None
    assert len(expected) < len(event_ids(sandbox))  # a real filter, not everything


def test_group_without_organization_is_refused(sandbox: SandboxServer, api: Api) -> None:
    group, _, _ = group_with_events(sandbox)
    response = api("owner").get(
        "/scheduled_events", params={"group": group_uri(sandbox, group["id"])}
    )
    asks_for_the_organization(response, "group")


def test_group_admin_without_org_role_may_list_the_group(sandbox: SandboxServer, api: Api) -> None:
    group, _, _ = group_with_events(sandbox)
    admin = group_admin_who_is_plain_user(sandbox, group["id"])
    if admin is None:  # make a plain member the group's admin
        admin = sandbox.state.store.find_one("memberships", "role = 'user'")
        assert admin is not None
        relationship = relationship_record(
            "GROUPADMIN000001",
            admin["organization"],
            group["id"],
            "membership",
            admin["id"],
            "admin",
            admin["created_at"],
        )
        sandbox.state.store.insert("group_relationships", relationship)
    _, _, expected = group_with_events(sandbox)
    params = {"organization": org_uri(sandbox), "group": group_uri(sandbox, group["id"])}
    assert set(ids_of(all_events(api(admin["email"]), params))) == expected


def test_plain_member_of_no_group_admin_cannot_list_a_group(
    sandbox: SandboxServer, api: Api
) -> None:
    group, _, _ = group_with_events(sandbox)
    store = sandbox.state.store
    admins = {
        r["owner"]
        for r in store.find(
            "group_relationships", "group_id = ? AND role = 'admin'", (group["id"],)
        )
    }
    outsider = next(m for m in store.find("memberships", "role = 'user'") if m["id"] not in admins)
    response = api(outsider["email"]).get(
        "/scheduled_events",
        params={"organization": org_uri(sandbox), "group": group_uri(sandbox, group["id"])},
    )
    denied_with(response, "You do not have permission")


def test_invitee_email_finds_the_events_that_invitee_booked(
    sandbox: SandboxServer, api: Api
) -> None:
    store = sandbox.state.store
    emails = store.scalars(
        "SELECT email FROM invitees GROUP BY email HAVING COUNT(DISTINCT event) > 1 LIMIT 1"
    )
    assert emails, "the seed has no invitee booking twice"
    email = emails[0]
    expected = {r["event"] for r in store.find("invitees", "email = ?", (email,))}
    items = all_events(
        api("owner"), {"organization": org_uri(sandbox), "invitee_email": email.upper()}
    )
    assert set(ids_of(items)) == expected


def test_status_filter(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    for status in ("active", "canceled"):
        items = all_events(client, {"organization": org_uri(sandbox), "status": status})
        assert set(ids_of(items)) == event_ids(sandbox, "status = ?", (status,))
        assert {item["status"] for item in items} == {status}
    canceled = all_events(client, {"organization": org_uri(sandbox), "status": "canceled"})
    assert canceled and all(item["cancellation"]["canceler_type"] for item in canceled)


def test_time_window_includes_min_and_excludes_max(sandbox: SandboxServer, api: Api) -> None:
    starts = sorted(r["start_time"] for r in sandbox.state.store.find("scheduled_events"))
    low, high = starts[100], starts[200]
    items = all_events(
        api("owner"),
        {"organization": org_uri(sandbox), "min_start_time": low, "max_start_time": high},
    )
    expected = event_ids(sandbox, "start_time >= ? AND start_time < ?", (low, high))
    assert set(ids_of(items)) == expected
    got = [item["start_time"] for item in items]
    assert low in got and high not in got


def test_filters_combine(sandbox: SandboxServer, api: Api) -> None:
    host = plain_host(sandbox)
    starts = sorted(r["start_time"] for r in sandbox.state.store.find("scheduled_events"))
    middle = starts[len(starts) // 2]
    items = all_events(
        api("admin"),
        {
            "organization": org_uri(sandbox),
            "user": user_uri(sandbox, host["user"]),
            "status": "active",
            "min_start_time": middle,
        },
    )
    expected = {
        ident
        for ident in hosted_by(sandbox, host["user"])
        if (event := sandbox.state.store.get("scheduled_events", ident))
        and event["status"] == "active"
        and event["start_time"] >= middle
    }
    assert set(ids_of(items)) == expected


# -- sorting and paging -------------------------------------------------------------------------
def test_sorted_by_start_time_ascending_by_default_and_descending_on_request(
    sandbox: SandboxServer, api: Api
) -> None:
    client = api("owner")
    default = all_events(client, {"organization": org_uri(sandbox)})
    starts = [item["start_time"] for item in default]
    assert starts == sorted(starts)
    backwards = all_events(client, {"organization": org_uri(sandbox), "sort": "start_time:desc"})
    assert [item["start_time"] for item in backwards] == sorted(starts, reverse=True)


def test_small_pages_walk_forward_and_back_without_duplicates(
    sandbox: SandboxServer, api: Api
) -> None:
    client = api("owner")
    response = client.get(
        "/scheduled_events",
        params={"organization": org_uri(sandbox), "count": 7, "sort": "start_time:desc"},
    )
    pages: list[list[str]] = []
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["pagination"]["count"] == len(body["collection"]) <= 7
        pages.append(ids_of(body["collection"]))
        if body["pagination"]["next_page"] is None:
            assert body["pagination"]["next_page_token"] is None
            break
        assert body["pagination"]["next_page"].startswith(f"{sandbox.base_url}/scheduled_events?")
        response = client.get(body["pagination"]["next_page"])
    seen = [ident for page in pages for ident in page]
    assert len(seen) == len(set(seen)) == len(event_ids(sandbox))
    assert len(pages) >= 40
    # previous_page_token leads back through the very same pages.
    index = len(pages) - 1
    while body["pagination"]["previous_page_token"] is not None:
        response = client.get(
            "/scheduled_events",
            params={
                "organization": org_uri(sandbox),
                "count": 7,
                "sort": "start_time:desc",
                "page_token": body["pagination"]["previous_page_token"],
            },
        )
        body = response.json()
        index -= 1
        assert ids_of(body["collection"]) == pages[index]
    assert index == 0


def test_invalid_parameters_are_named(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    org = org_uri(sandbox)

    def named(params: dict[str, str]) -> set[str]:
        response = client.get("/scheduled_events", params=params)
        return bad_parameters(response, check_message=True)

    assert named({}) == {"organization"}
    assert named(
        {
            "organization": org,
            "status": "done",
            "min_start_time": "yesterday",
            "invitee_email": "not-an-email",
            "user": "member-3",
        }
    ) == {"status", "min_start_time", "invitee_email", "user"}
    for params in ({"sort": "name:asc"}, {"sort": "start_time:up"}):
        assert named({"organization": org, **params}) == {"sort"}
    for count in ("0", "101", "many"):
        assert named({"organization": org, "count": count}) == {"count"}


# -- permissions --------------------------------------------------------------------------------
def test_plain_member_cannot_list_the_whole_organization(sandbox: SandboxServer, api: Api) -> None:
    response = api("user").get("/scheduled_events", params={"organization": org_uri(sandbox)})
    denied_with(response, "You do not have permission")


def test_plain_member_may_use_organization_and_user_for_themselves_only(
    sandbox: SandboxServer, api: Api
) -> None:
    host = plain_host(sandbox)
    client = api(host["email"])
    own = all_events(
        client, {"organization": org_uri(sandbox), "user": user_uri(sandbox, host["user"])}
    )
    assert set(ids_of(own)) == hosted_by(sandbox, host["user"])
    assert sandbox.summary is not None
    response = client.get(
        "/scheduled_events",
        params={
            "organization": org_uri(sandbox),
            "user": user_uri(sandbox, sandbox.summary.owner),
        },
    )
    denied_with(response, "You do not have permission")


def test_another_organization_is_refused(sandbox: SandboxServer, api: Api) -> None:
    response = api("owner").get(
        "/scheduled_events",
        params={"organization": f"{sandbox.base_url}/organizations/SOMEONEELSE00001"},
    )
    denied_with(response, "You do not have permission to access this resource.")


def test_unknown_user_filter_is_not_found(sandbox: SandboxServer, api: Api) -> None:
    response = api("owner").get(
        "/scheduled_events",
        params={"organization": org_uri(sandbox), "user": user_uri(sandbox, "NOSUCHUSER000001")},
    )
    assert_not_found(response)


def test_listing_needs_the_scheduled_events_read_scope(sandbox: SandboxServer, api: Api) -> None:
    params = {"organization": org_uri(sandbox)}
    response = api("owner", scopes=["event_types:read"]).get("/scheduled_events", params=params)
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["scheduled_events:read"]
    writer = api("owner", scopes=["scheduled_events:write"])
    assert writer.get("/scheduled_events", params=params).status_code == 200
