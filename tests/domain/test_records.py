"""What the decoded records hold: aware timestamps, exact money, every location shape,
both kinds of group owner, every routing result, and the helpers the UI will use."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from desktop.domain import (
    ActivityLogPage,
    Collection,
    EventType,
    GroupRelationship,
    Invitee,
    Location,
    Resource,
    RoutingFormSubmission,
    ScheduledEvent,
    User,
    decode,
)
from tests.domain import samples as s
from tests.domain import samples_events as e


def _decode(body: Any, type_: Any) -> Any:
    return decode(json.dumps(body).encode(), type_)


def test_timestamps_are_aware_utc_with_microseconds() -> None:
    event = _decode(e.EVENT_JSON, ScheduledEvent)
    assert event.start_time == datetime(2019, 8, 24, 14, 15, 22, 123456, tzinfo=UTC)
    assert event.start_time.utcoffset() == timedelta(0)
    user = _decode(s.USER_JSON, User)
    assert user.created_at is not None and user.created_at.tzinfo is not None
    page = _decode(e.ACTIVITY_PAGE_JSON, ActivityLogPage)  # millisecond form
    assert page.collection[0].occurred_at == datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


def test_a_timestamp_with_an_offset_keeps_its_instant() -> None:
    body = {**e.EVENT_JSON, "start_time": "2019-08-24T16:15:22.123456+02:00"}
    assert (
        _decode(body, ScheduledEvent).start_time == _decode(e.EVENT_JSON, ScheduledEvent).start_time
    )


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1234.56", Decimal("1234.56")),
        (1234.56, Decimal("1234.56")),
        (20, Decimal(20)),
        ("0", Decimal(0)),
    ],
)
def test_payment_amount_is_exact_from_a_number_or_a_numeric_string(
    amount: object, expected: Decimal
) -> None:
    body = {**e.INVITEE_JSON, "payment": {**e.INVITEE_JSON["payment"], "amount": amount}}
    payment = _decode(body, Invitee).payment
    assert payment is not None and payment.amount == expected
    assert isinstance(payment.amount, Decimal)


def test_payment_amount_that_is_not_a_number_is_refused() -> None:
    body = {**e.INVITEE_JSON, "payment": {**e.INVITEE_JSON["payment"], "amount": "lots"}}
    with pytest.raises(msgspec.ValidationError, match=r"\$\.payment\.amount"):
        _decode(body, Invitee)


def test_every_documented_location_shape_decodes() -> None:
    locations = {name: _decode(body, Location) for name, body in e.LOCATIONS.items()}
    zoom = locations["zoom"]
    assert zoom.data is not None and zoom.data.id == 123456789 and zoom.data.password == "123456"
    assert zoom.data.settings is not None
    assert zoom.data.settings.global_dial_in_numbers[0].city == "Houston"
    teams = locations["microsoft_teams_conference"].data
    assert teams is not None and teams.audio_conferencing is not None
    assert teams.audio_conferencing.conference_id == "12345"
    webex = locations["webex_conference"].data
    assert webex is not None and webex.telephony is not None
    assert webex.telephony.call_in_numbers[0].call_in_number == "+1-415-655-0001"
    goto = locations["gotomeeting"].data
    assert goto is not None and goto.unique_meeting_id == 987654321
    assert locations["physical"].summary == "1 Main St"
    assert locations["google_conference"].summary == "https://meet.google.com/abc-defg-hij"
    assert locations["outbound_call"].summary == "outbound call"
    conferences = {name for name, loc in locations.items() if loc.is_conference}
    assert conferences == {
        "google_conference",
        "zoom",
        "gotomeeting",
        "microsoft_teams_conference",
        "webex_conference",
    }


def test_an_unknown_location_type_still_decodes() -> None:
    body = {
        **e.EVENT_JSON,
        "location": {
            "type": "holodeck_conference",
            "join_url": "https://holo.example/room/1",
            "data": {"id": "h-1", "room": {"deck": 3}},
            "beam_me_up": True,
        },
    }
    location = _decode(body, ScheduledEvent).location
    assert location is not None and location.type == "holodeck_conference"
    assert location.summary == "https://holo.example/room/1" and location.is_conference
    assert location.data is not None and location.data.id == "h-1"


def test_an_event_whose_location_details_expired_decodes() -> None:
    event = _decode({**e.EVENT_JSON, "location": None}, ScheduledEvent)
    assert event.location is None


def test_scheduled_event_helpers() -> None:
    event = _decode(e.EVENT_JSON, ScheduledEvent)
    assert event.duration == timedelta(minutes=15)
    assert event.uuid == "GBGBDCAADAEDCRZ2"
    assert not event.is_canceled and event.host_names == ("John Smith",)
    assert event.is_past(datetime(2020, 1, 1, tzinfo=UTC))
    assert event.invitees_counter is not None and event.invitees_counter.limit == 3
    canceled = _decode(e.CANCELED_EVENT_JSON, ScheduledEvent)
    assert canceled.is_canceled and canceled.cancellation is not None
    assert canceled.cancellation.canceler_type == "host"


def test_invitee_helpers() -> None:
    invitee = _decode(e.INVITEE_JSON, Invitee)
    assert invitee.display_name == "John Doe"
    assert invitee.uuid == "7c1dbe46-bd84-42e2-9b97-05e2fb379bfe"
    assert invitee.event_uuid == "GBGBDCAADAEDCRZ2"
    assert invitee.answer_to("Team size") == "11-50" and invitee.answer_to("Nope") is None
    assert not invitee.is_no_show and not invitee.is_canceled
    assert invitee.tracking is not None and invitee.tracking.utm_source == "newsletter"
    canceled = _decode(e.CANCELED_INVITEE_JSON, Invitee)
    assert canceled.is_canceled and canceled.is_no_show and canceled.rescheduled
    assert canceled.no_show is not None and canceled.no_show.uri.endswith("/NNNNNNNNNNNNNNNN")


@pytest.mark.parametrize(
    ("name", "first", "last", "shown"),
    [
        ("Ann Lee", None, None, "Ann Lee"),
        ("", "Ann", "Lee", "Ann Lee"),
        ("  ", None, "", "test@example.com"),
    ],
)
def test_invitee_display_name_falls_back(
    name: str, first: str | None, last: str | None, shown: str
) -> None:
    body = {**e.INVITEE_JSON, "name": name, "first_name": first, "last_name": last}
    assert _decode(body, Invitee).display_name == shown


def test_event_type_helpers() -> None:
    event_type = _decode(s.EVENT_TYPE_JSON, EventType)
    assert not event_type.is_team and not event_type.is_one_off
    assert event_type.length == timedelta(minutes=15)
    assert event_type.custom_questions[1].answer_choices == ("1-10", "11-50", "51+")
    assert event_type.locations is not None and event_type.locations[0].kind == "zoom_conference"
    team = {**s.EVENT_TYPE_JSON, "profile": {"type": "Team", "name": "Sales", "owner": s.ORG}}
    assert _decode(team, EventType).is_team
    pooled = {**s.EVENT_TYPE_JSON, "pooling_type": "round_robin"}
    assert _decode(pooled, EventType).is_team
    ad_hoc = {**s.EVENT_TYPE_JSON, "type": "AdhocEventType", "name": None, "slug": None}
    assert _decode(ad_hoc, EventType).is_one_off
    assert _decode(ad_hoc, EventType).display_name == "GBGBDCAADAEDCRZ2"


def test_group_relationship_owner_is_a_membership_or_an_invitation() -> None:
    page = _decode(
        {"collection": [s.RELATIONSHIP_MEMBERSHIP_JSON, s.RELATIONSHIP_INVITATION_JSON]},
        Collection[GroupRelationship],
    )
    member, invited = (relationship.owner for relationship in page.collection)
    assert member.is_membership and not member.is_invitation
    assert member.member is not None and member.display_name == "John Doe"
    assert member.display_email == "test@example.com" and member.role == "admin"
    assert invited.is_invitation and not invited.is_membership and invited.member is None
    assert invited.display_email == "new.hire@example.com" and invited.status == "pending"


def test_group_owner_of_an_unknown_type_or_without_type_still_decodes() -> None:
    unknown = {**s.RELATIONSHIP_MEMBERSHIP_JSON, "owner": {"uri": "x", "type": "Robot"}}
    owner = _decode(unknown, GroupRelationship).owner
    assert not owner.is_membership and not owner.is_invitation
    untyped = dict(s.RELATIONSHIP_INVITATION_JSON["owner"])
    del untyped["type"]
    accepted = {**untyped, "status": "accepted", "user": s.USER}
    owner = _decode({**s.RELATIONSHIP_INVITATION_JSON, "owner": accepted}, GroupRelationship).owner
    assert owner.is_invitation and owner.user == s.USER and owner.member is None


def test_routing_results_of_every_kind_and_an_unknown_one() -> None:
    def result_of(result: Any) -> Any:
        submission = _decode({**e.SUBMISSION_JSON, "result": result}, RoutingFormSubmission)
        return submission.result

    assert result_of(e.RESULTS["event_type"]).event_type == s.EVENT_TYPE
    assert result_of(e.RESULTS["external_url"]).external_url == "https://example.com/thanks"
    message = result_of(e.RESULTS["custom_message"]).custom_message
    assert message is not None and message.headline == "Thanks!"
    assert result_of(e.RESULTS["event_type"]).external_url is None
    later = result_of({"type": "ai_summary", "value": {"text": "hi"}})
    assert later.type == "ai_summary" and later.event_type is None
    assert result_of(None) is None


def test_submission_answers_by_question_uuid() -> None:
    submission = _decode(e.SUBMISSION_JSON, RoutingFormSubmission)
    first, second = (q["uuid"] for q in e.QUESTIONS_JSON)
    assert submission.answer_to(first) == "Ann" and submission.answer_to(second) is None
    assert submission.submitter_type == "Invitee"


def test_single_object_envelope() -> None:
    assert _decode({"resource": s.USER_JSON}, Resource[User]).resource.uuid == "BBBBBBBBBBBBBBBB"


def test_collection_pagination_helpers() -> None:
    body = {"collection": [], "pagination": {**e.ACTIVITY_PAGE_JSON["pagination"]}}
    page = _decode(body, Collection[User])
    assert page.next_page_token == "abc" and page.has_more
    bare = _decode({"collection": [s.USER_JSON]}, Collection[User])
    assert bare.pagination is None and bare.next_page_token is None and not bare.has_more
    assert _decode(e.ACTIVITY_PAGE_JSON, ActivityLogPage).total_count == 17
