"""The Scheduling API refuses bad bookings with Calendly's errors, naming each bad field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso
from tests.sandbox.booking_support import (
    INVITEE,
    answers_for,
    event_type,
    first_open,
    kinds,
    one_on_one,
    request_body,
)
from tests.sandbox.helpers import (
    Api,
    add_other_organization,
    assert_not_found,
    bad_parameters,
    denied_with,
    uri,
    when,
)

PAID_ONLY = (
    "The Scheduling API is only available on paid Calendly plans. "
    "Upgrade your plan to access this feature."
)
TRACKING = dict.fromkeys(
    ("utm_campaign", "utm_source", "utm_medium", "utm_content", "utm_term", "salesforce_uuid")
)
Change = Callable[[SandboxServer, Record, dict[str, Any]], None]


def plain(record: Record) -> bool:
    """A one-on-one type with no required questions and a conference location."""
    return (
        one_on_one(record)
        and not any(q["required"] for q in record["custom_questions"])
        and kinds(record)[0].endswith("_conference")
    )


def with_invitee(**fields: Any) -> Change:
    def change(sandbox: SandboxServer, record: Record, body: dict[str, Any]) -> None:
        body["invitee"] = {k: v for k, v in {**INVITEE, **fields}.items() if v is not ...}

    return change


def setting(key: str, value: Any) -> Change:
    def change(sandbox: SandboxServer, record: Record, body: dict[str, Any]) -> None:
        if value is ...:
            body.pop(key, None)
        else:
            body[key] = value

    return change


def minutes_later(minutes: int) -> Change:
    def change(sandbox: SandboxServer, record: Record, body: dict[str, Any]) -> None:
        body["start_time"] = iso(when(body["start_time"]) + timedelta(minutes=minutes))

    return change


def in_the_past(sandbox: SandboxServer, record: Record, body: dict[str, Any]) -> None:
    body["start_time"] = iso(sandbox.state.clock.now() - timedelta(days=1))


def at_night(sandbox: SandboxServer, record: Record, body: dict[str, Any]) -> None:
    """A week later at 03:00 in the host's schedule's time zone: outside any working hours."""
    schedule = sandbox.state.store.find_one(
        "availability_schedules", "user = ? AND is_default = 1", (record["owner"],)
    )
    assert schedule is not None
    zone = ZoneInfo(schedule["timezone"])
    local = when(body["start_time"]).astimezone(zone) + timedelta(days=7)
    body["start_time"] = iso(local.replace(hour=3, minute=0))


def foreign_kind(sandbox: SandboxServer, record: Record, body: dict[str, Any]) -> None:
    other = "physical" if "physical" not in kinds(record) else "zoom_conference"
    body["location"] = {"kind": other, "location": "Somewhere"}


CASES: dict[str, tuple[Change, set[str]]] = {
    "no event_type": (setting("event_type", ...), {"event_type"}),
    "event_type not a URI": (setting("event_type", "30min"), {"event_type"}),
    "no start_time": (setting("start_time", ...), {"start_time"}),
    "start_time not a time": (setting("start_time", "tomorrow at 3"), {"start_time"}),
    "start_time in the past": (in_the_past, {"start_time"}),
    "start_time off the grid": (minutes_later(7), {"start_time"}),
    "start_time outside working hours": (at_night, {"start_time"}),
    "no invitee": (setting("invitee", ...), {"invitee"}),
    "invitee not an object": (setting("invitee", "pat@example.com"), {"invitee"}),
    "no email": (with_invitee(email=...), {"invitee.email"}),
    "bad email": (with_invitee(email="pat-at-example.com"), {"invitee.email"}),
    "no timezone": (with_invitee(timezone=...), {"invitee.timezone"}),
    "unknown timezone": (with_invitee(timezone="Mars/Olympus_Mons"), {"invitee.timezone"}),
    "no name at all": (
        with_invitee(name=..., last_name="Booker"),
        {"invitee.name", "invitee.first_name"},
    ),
    "name not a string": (with_invitee(name=42), {"invitee.name"}),
    "bad text_reminder_number": (
        with_invitee(text_reminder_number="call me"),
        {"invitee.text_reminder_number"},
    ),
    "location without kind": (setting("location", {"location": "x"}), {"location.kind"}),
    "unknown location kind": (setting("location", {"kind": "carrier_pigeon"}), {"location.kind"}),
    "location kind the type lacks": (foreign_kind, {"location.kind"}),
    "location not an object": (setting("location", "zoom"), {"location"}),
    "questions not a list": (
        setting("questions_and_answers", {"a": "b"}),
        {"questions_and_answers"},
    ),
    "answer without position": (
        setting("questions_and_answers", [{"question": "Q", "answer": "A"}]),
        {"questions_and_answers[0].position"},
    ),
    "unknown question": (
        setting("questions_and_answers", [{"question": "Q?", "answer": "A", "position": 0}]),
        {"questions_and_answers[0].question"},
    ),
    "tracking missing keys": (
        setting("tracking", {"utm_source": "x"}),
        {f"tracking.{k}" for k in TRACKING if k != "utm_source"},
    ),
    "tracking value not a string": (
        setting("tracking", {**TRACKING, "utm_term": 7}),
        {"tracking.utm_term"},
    ),
    "tracking value too long": (
        setting("tracking", {**TRACKING, "utm_campaign": "x" * 256}),
        {"tracking.utm_campaign"},
    ),
    "eleven guests": (
        setting("event_guests", [f"g{n}@example.com" for n in range(11)]),
        {"event_guests"},
    ),
    "a bad guest": (setting("event_guests", ["ok@example.com", "nope"]), {"event_guests[1]"}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_field_is_named(sandbox: SandboxServer, api: Api, name: str) -> None:
    change, expected = CASES[name]
    client = api("owner")
    record = event_type(sandbox, plain)
    body = request_body(sandbox, record, first_open(client, sandbox, record))
    change(sandbox, record, body)
    response = client.post("/invitees", json=body)
    assert bad_parameters(response, check_message=True) == expected
    assert not sandbox.state.store.count("invitees", "email = ?", ("pat.booker@example.com",))


def test_every_bad_field_is_named_at_once(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    body = {
        "event_type": "not a uri",
        "start_time": "2020-01-06T09:00:00Z",  # long past
        "invitee": {"email": "x", "timezone": "Nowhere/Land"},
        "tracking": "utm",
        "event_guests": "all of them",
    }
    assert bad_parameters(client.post("/invitees", json=body)) == {
        "event_type",
        "start_time",
        "invitee.email",
        "invitee.timezone",
        "invitee.name",
        "invitee.first_name",
        "tracking",
        "event_guests",
    }


def _question_type(kind: str, other: bool = False) -> Callable[[Record], bool]:
    """One-on-one types asking an enabled ``kind`` question (with an "Other" choice if asked)."""

    def match(record: Record) -> bool:
        return one_on_one(record) and any(
            q["type"] == kind and q["enabled"] and q["include_other"] == other
            for q in record["custom_questions"]
        )

    return match


def _answer(
    sandbox: SandboxServer,
    api: Api,
    kind: str,
    answer: str,
    name: str | None = None,
    other: bool = False,
) -> tuple[Any, int]:
    """Book a type asking a ``kind`` question, answering it with ``answer`` (as ``name``)."""
    client = api("owner")
    record = event_type(sandbox, _question_type(kind, other))
    question = next(
        q
        for q in record["custom_questions"]
        if q["type"] == kind and q["enabled"] and q["include_other"] == other
    )
    answers = [a for a in answers_for(record) if a["question"] != question["name"]]
    asked = name if name is not None else question["name"]
    answers.append({"question": asked, "answer": answer, "position": question["position"]})
    body = request_body(
        sandbox, record, first_open(client, sandbox, record), questions_and_answers=answers
    )
    return client.post("/invitees", json=body), len(answers) - 1


def test_a_question_must_match_exactly(sandbox: SandboxServer, api: Api) -> None:
    record = event_type(sandbox, _question_type("single_select"))
    question = next(q for q in record["custom_questions"] if q["type"] == "single_select")
    response, index = _answer(
        sandbox, api, "single_select", question["answer_choices"][0], question["name"].upper()
    )
    assert f"questions_and_answers[{index}].question" in bad_parameters(response)


def test_a_required_question_must_be_answered(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(
        sandbox, lambda r: one_on_one(r) and any(q["required"] for q in r["custom_questions"])
    )
    body = request_body(
        sandbox, record, first_open(client, sandbox, record), questions_and_answers=[]
    )
    response = client.post("/invitees", json=body)
    assert bad_parameters(response) == {"questions_and_answers"}
    required = [q["name"] for q in record["custom_questions"] if q["required"]]
    messages = " ".join(d["message"] for d in response.json()["details"])
    assert all(name in messages for name in required)


@pytest.mark.parametrize(
    ("kind", "answer"),
    [
        ("single_select", "Carrier pigeon"),
        ("multi_select", "Scheduling\nTime travel"),
        ("phone_number", "call me maybe"),
    ],
)
def test_an_answer_must_suit_its_question(
    sandbox: SandboxServer, api: Api, kind: str, answer: str
) -> None:
    response, index = _answer(sandbox, api, kind, answer)
    assert bad_parameters(response) == {f"questions_and_answers[{index}].answer"}


@pytest.mark.parametrize("kind", ["single_select", "multi_select"])
def test_an_other_choice_takes_any_answer(sandbox: SandboxServer, api: Api, kind: str) -> None:
    response, _ = _answer(sandbox, api, kind, "Carrier pigeon", other=True)
    assert response.status_code == 201, response.text
    answers = response.json()["resource"]["questions_and_answers"]
    assert "Carrier pigeon" in [qa["answer"] for qa in answers]


def test_multi_select_answers_go_one_per_line(sandbox: SandboxServer, api: Api) -> None:
    record = event_type(sandbox, _question_type("multi_select"))
    question = next(q for q in record["custom_questions"] if q["type"] == "multi_select")
    picked = "\n".join(question["answer_choices"][:2])
    response, _ = _answer(sandbox, api, "multi_select", picked)
    assert response.status_code == 201, response.text
    stored = {
        qa["question"]: qa["answer"] for qa in response.json()["resource"]["questions_and_answers"]
    }
    assert stored[question["name"]] == picked


def test_physical_location_must_be_the_configured_place(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, lambda r: one_on_one(r) and kinds(r) == ["physical"])
    start = first_open(client, sandbox, record)
    elsewhere = {"kind": "physical", "location": "Somewhere else entirely"}
    wrong = client.post("/invitees", json=request_body(sandbox, record, start, location=elsewhere))
    assert bad_parameters(wrong) == {"location.location"}
    missing = client.post(
        "/invitees", json=request_body(sandbox, record, start, location={"kind": "physical"})
    )
    assert bad_parameters(missing) == {"location.location"}


def test_an_inactive_or_poll_event_type_cannot_be_booked(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, plain)
    start = first_open(client, sandbox, record)
    store = sandbox.state.store
    store.update("event_types", {**record, "active": False})
    assert bad_parameters(client.post("/invitees", json=request_body(sandbox, record, start))) == {
        "event_type"
    }
    store.update("event_types", {**record, "booking_method": "poll"})
    assert bad_parameters(client.post("/invitees", json=request_body(sandbox, record, start))) == {
        "event_type"
    }


def test_an_unknown_or_deleted_event_type_is_not_found(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, plain)
    body = request_body(sandbox, record, first_open(client, sandbox, record))
    unknown = {**body, "event_type": uri(sandbox, "event_types", "NOSUCHTYPE000000")}
    assert_not_found(client.post("/invitees", json=unknown))
    sandbox.state.store.update(
        "event_types", {**record, "deleted_at": iso(sandbox.state.clock.now())}
    )
    assert_not_found(client.post("/invitees", json=body))


def test_another_organizations_event_type_is_denied(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, plain)
    body = request_body(sandbox, record, first_open(client, sandbox, record))
    other = add_other_organization(sandbox)
    foreign = {**record, "id": "FOREIGNTYPE00001", "organization": other["org"]["id"]}
    sandbox.state.store.insert("event_types", foreign)
    response = client.post(
        "/invitees", json={**body, "event_type": uri(sandbox, "event_types", foreign["id"])}
    )
    assert response.status_code == 403, response.text
    assert response.json()["title"] == "Permission Denied"


@pytest.mark.parametrize(("field", "value"), [("stage", "free"), ("plan", "basic")])
def test_the_scheduling_api_needs_a_paid_plan(
    sandbox: SandboxServer, api: Api, field: str, value: str
) -> None:
    client = api("owner")
    record = event_type(sandbox, plain)
    body = request_body(sandbox, record, first_open(client, sandbox, record))
    store = sandbox.state.store
    org = store.get("organizations", record["organization"])
    assert org is not None
    store.update("organizations", {**org, field: value})
    denied_with(client.post("/invitees", json=body), PAID_ONLY)
    store.update("organizations", {**org, "stage": "trial"})
    assert client.post("/invitees", json=body).status_code == 201


def test_a_type_asking_where_to_meet_needs_a_location(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, lambda r: one_on_one(r) and kinds(r) == ["ask_invitee"])
    body = request_body(sandbox, record, first_open(client, sandbox, record))
    body.pop("location")
    assert bad_parameters(client.post("/invitees", json=body)) == {"location"}
