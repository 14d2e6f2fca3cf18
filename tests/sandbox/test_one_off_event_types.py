"""``POST /one_off_event_types``: one-off meetings, their hosts and their bookable dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from desktop.sandbox import SandboxServer
from desktop.sandbox.wire import iso
from tests.sandbox.helpers import (
    OTHER_USER,
    Api,
    add_other_organization,
    bad_parameters,
    denied_with,
    me,
    user_uri,
)

URL = "/one_off_event_types"


def plain_member(sandbox: SandboxServer, but: str = "") -> dict[str, Any]:
    found = sandbox.state.store.find_one("memberships", "role = 'user' AND user != ?", (but,))
    assert found is not None
    return found


def body(host: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": "Contract review",
        "host": host,
        "duration": 45,
        "date_setting": {"type": "days_in_future", "days": 10, "only_weekdays": False},
        **extra,
    }


def open_times(api: Api, sandbox: SandboxServer, event_type: str, days: int = 20) -> list[str]:
    start = sandbox.state.clock.now() + timedelta(minutes=30)
    window = {"start_time": iso(start), "end_time": iso(start + timedelta(days=days))}
    response = api("owner").get(
        "/event_type_available_times", params={"event_type": event_type, **window}
    )
    assert response.status_code == 200, response.text
    return [slot["start_time"] for slot in response.json()["collection"]]


def moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_a_one_off_with_a_co_host(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    owner = me(client)
    co_host = user_uri(sandbox, plain_member(sandbox)["user"])
    made = client.post(
        URL,
        json=body(
            owner["uri"], co_hosts=[co_host], location={"kind": "zoom_conference"}, duration=45.0
        ),
    )
    assert made.status_code == 201, made.text
    resource = made.json()["resource"]
    assert (resource["type"], resource["kind"], resource["pooling_type"]) == (
        "AdhocEventType",
        "solo",
        "collective",
    )
    assert (resource["active"], resource["secret"], resource["duration"]) == (True, True, 45)
    assert resource["name"] == "Contract review"
    assert resource["profile"] == {"type": "User", "name": owner["name"], "owner": owner["uri"]}
    assert resource["locations"] == [{"kind": "zoom_conference"}]
    assert client.get(resource["uri"]).json()["resource"] == resource
    hosts = client.get("/event_type_memberships", params={"event_type": resource["uri"]})
    assert [h["member"]["uri"] for h in hosts.json()["collection"]] == [owner["uri"], co_host]
    listed = client.get("/event_types", params={"user": co_host, "count": 100}).json()
    assert resource["uri"] in [e["uri"] for e in listed["collection"]]


def test_days_in_future_on_weekdays_only(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    owner = me(client)
    setting = {"type": "days_in_future", "days": 6, "only_weekdays": True}
    made = client.post(URL, json=body(owner["uri"], date_setting=setting, timezone="Asia/Tokyo"))
    assert made.status_code == 201, made.text
    times = open_times(api, sandbox, made.json()["resource"]["uri"])
    assert times
    zone = ZoneInfo("Asia/Tokyo")
    first = sandbox.state.clock.now().astimezone(zone).date()
    for stamp in times:
        day = moment(stamp).astimezone(zone).date()
        assert first <= day <= first + timedelta(days=6) and day.weekday() < 5, stamp


def test_date_range_and_spots_limit_the_times(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    owner = me(client)["uri"]
    today = sandbox.state.clock.now().date()
    ranged = {
        "type": "date_range",
        "start_date": (today + timedelta(days=8)).isoformat(),
        "end_date": (today + timedelta(days=12)).isoformat(),
    }
    made = client.post(URL, json=body(owner, date_setting=ranged, timezone="UTC"))
    times = open_times(api, sandbox, made.json()["resource"]["uri"])
    assert times
    assert {date.fromisoformat(t[:10]) for t in times} <= {
        today + timedelta(days=n) for n in range(8, 13)
    }
    start = (sandbox.state.clock.now() + timedelta(days=3)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    spots = [{"start_time": iso(start), "end_time": iso(start + timedelta(days=1))}]
    spotted = client.post(
        URL, json=body(owner, date_setting={"type": "spots", "spots": spots}, duration=30)
    )
    assert spotted.status_code == 201, spotted.text
    found = open_times(api, sandbox, spotted.json()["resource"]["uri"])
    assert all(
        start <= moment(t) and moment(t) + timedelta(minutes=30) <= start + timedelta(days=1)
        for t in found
    )


def test_the_body_is_validated(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    owner = me(client)["uri"]
    assert bad_parameters(client.post(URL, json={})) == {
        "name",
        "host",
        "duration",
        "date_setting",
    }
    wrong = client.post(
        URL,
        json={
            "name": "x" * 56,
            "host": "nobody",
            "co_hosts": ["also nobody"],
            "duration": 30.5,
            "timezone": "Moon/Base",
            "date_setting": {"type": "days_in_future", "days": 400, "only_weekdays": "no"},
            "location": {"kind": "inbound_call", "location": "Room 1"},
        },
    )
    assert bad_parameters(wrong) == {
        "name",
        "host",
        "co_hosts[0]",
        "duration",
        "timezone",
        "date_setting.days",
        "date_setting.only_weekdays",
        "location.phone_number",
        "location.location",
    }
    backwards = {"type": "date_range", "start_date": "2031-05-02", "end_date": "2031-05-01"}
    assert bad_parameters(client.post(URL, json=body(owner, date_setting=backwards))) == {
        "date_setting.end_date"
    }
    past = iso(sandbox.state.clock.now() - timedelta(hours=2))
    spots = {"type": "spots", "spots": [{"start_time": past, "end_time": past}]}
    assert bad_parameters(client.post(URL, json=body(owner, date_setting=spots))) == {
        "date_setting.spots[0].end_time"
    }
    odd = client.post(URL, json=body(owner, date_setting={"type": "someday"}, duration=721))
    assert bad_parameters(odd) == {"date_setting.type", "duration"}


def test_who_may_create_for_whom(sandbox: SandboxServer, api: Api) -> None:
    member = plain_member(sandbox)
    client = api(member["email"])
    mine = user_uri(sandbox, member["user"])
    assert client.post(URL, json=body(mine)).status_code == 201
    someone = user_uri(sandbox, plain_member(sandbox, but=member["user"])["user"])
    denied_with(client.post(URL, json=body(someone)), "You do not have permission")
    assert api("admin").post(URL, json=body(someone)).status_code == 201
    add_other_organization(sandbox)
    stranger = user_uri(sandbox, OTHER_USER)
    denied_with(
        client.post(URL, json=body(mine, co_hosts=[stranger])),
        "This user is not in your organization",
    )
    missing = client.post(URL, json=body(user_uri(sandbox, "NOSUCHUSER000000")))
    assert missing.status_code == 404
    scoped = api(member["email"], scopes=["event_types:read"]).post(URL, json=body(mine))
    assert scoped.status_code == 403
    assert scoped.json()["required_scopes"] == ["event_types:write"]
    assert (
        sandbox.state.store.count(
            "event_types", "json_extract(data, '$.type') = ?", ("AdhocEventType",)
        )
        == 2
    )
