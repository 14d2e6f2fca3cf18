"""Hand-written Calendly JSON for scheduled events, invitees, forms, webhooks and the rest."""

from __future__ import annotations

from typing import Any

from tests.domain.samples import (
    API,
    EVENT,
    EVENT_TYPE,
    FORM,
    INVITEE,
    LATER,
    ORG,
    STAMP,
    USER,
)

Json = dict[str, Any]

ZOOM_JSON: Json = {
    "type": "zoom",
    "status": "pushed",
    "join_url": "https://calendly.zoom.us/j/123456789",
    "data": {
        "id": 123456789,
        "settings": {
            "global_dial_in_numbers": [
                {
                    "number": "+1 346 248 7799",
                    "country": "US",
                    "type": "toll",
                    "city": "Houston",
                    "country_name": "US",
                }
            ]
        },
        "extra": {"intl_numbers_url": "https://zoom.us/u/abc"},
        "password": "123456",
    },
}

LOCATIONS: dict[str, Json] = {
    "physical": {"type": "physical", "location": "1 Main St", "additional_info": "Ring twice"},
    "outbound_call": {"type": "outbound_call", "location": None},
    "inbound_call": {"type": "inbound_call", "location": "+14155551234", "additional_info": "x"},
    "google_conference": {
        "type": "google_conference",
        "status": "pushed",
        "join_url": "https://meet.google.com/abc-defg-hij",
    },
    "zoom": ZOOM_JSON,
    "gotomeeting": {
        "type": "gotomeeting",
        "status": "initiated",
        "join_url": None,
        "data": {"uniqueMeetingId": 987654321, "conferenceCallInfo": "US: +1 555 0100"},
    },
    "microsoft_teams_conference": {
        "type": "microsoft_teams_conference",
        "status": "processing",
        "join_url": "https://teams.microsoft.com/l/meetup-join/abc",
        "data": {
            "id": "MSo1N2Y5ZGFjYy03MWJmLTQ3NDMtYjQxMy01M2EdFGkdRWHJlQ",
            "audioConferencing": {
                "conferenceId": "12345",
                "dialinUrl": "https://dialin.teams.microsoft.com/abc",
                "tollNumber": "+12345678",
            },
        },
    },
    "webex_conference": {
        "type": "webex_conference",
        "status": "failed",
        "join_url": None,
        "data": {
            "id": "m1234",
            "telephony": {
                "callInNumbers": [
                    {"label": "US Toll", "callInNumber": "+1-415-655-0001", "tollType": "toll"}
                ]
            },
            "password": "pass",
        },
    },
    "custom": {"type": "custom", "location": None},
    "ask_invitee": {"type": "ask_invitee", "location": "The café by the station"},
}

CANCELLATION_JSON: Json = {
    "canceled_by": "Jane Host",
    "reason": "Schedule conflict",
    "canceler_type": "host",
    "created_at": LATER,
}

EVENT_JSON: Json = {
    "uri": EVENT,
    "name": "15 Minute Meeting",
    "meeting_notes_plain": "Internal meeting notes",
    "meeting_notes_html": "<p>Internal meeting notes</p>",
    "status": "active",
    "start_time": "2019-08-24T14:15:22.123456Z",
    "end_time": "2019-08-24T14:30:22.123456Z",
    "event_type": EVENT_TYPE,
    "location": ZOOM_JSON,
    "invitees_counter": {"total": 2, "active": 1, "limit": 3},
    "created_at": "2019-01-02T03:04:05.092125Z",
    "updated_at": "2019-01-02T03:04:05.092125Z",
    "event_memberships": [
        {
            "user": USER,
            "user_email": "user@example.com",
            "user_name": "John Smith",
            "buffered_start_time": "2019-08-24T14:00:22.123456Z",
            "buffered_end_time": "2019-08-24T14:45:22.123456Z",
        }
    ],
    "event_guests": [
        {"email": "guest@example.com", "created_at": STAMP, "updated_at": STAMP},
    ],
    "calendar_event": {"kind": "google", "external_id": "8suu9k3hj00mni03ss12ba0ce0"},
}

CANCELED_EVENT_JSON: Json = {**EVENT_JSON, "status": "canceled", "cancellation": CANCELLATION_JSON}

TRACKING_JSON: Json = {
    "utm_campaign": "spring",
    "utm_source": "newsletter",
    "utm_medium": "email",
    "utm_content": None,
    "utm_term": None,
    "salesforce_uuid": None,
}

INVITEE_JSON: Json = {
    "uri": INVITEE,
    "email": "test@example.com",
    "first_name": "John",
    "last_name": "Doe",
    "name": "John Doe",
    "status": "active",
    "questions_and_answers": [
        {"question": "Company Name", "answer": "Acme", "position": 0},
        {"question": "Team size", "answer": "11-50", "position": 1},
    ],
    "timezone": "America/New_York",
    "event": EVENT,
    "created_at": STAMP,
    "updated_at": STAMP,
    "tracking": TRACKING_JSON,
    "text_reminder_number": "+1 404-555-1234",
    "rescheduled": False,
    "old_invitee": None,
    "new_invitee": None,
    "cancel_url": "https://calendly.com/cancellations/7c1dbe46-bd84-42e2-9b97-05e2fb379bfe",
    "reschedule_url": "https://calendly.com/reschedulings/7c1dbe46-bd84-42e2-9b97-05e2fb379bfe",
    "routing_form_submission": None,
    "payment": {
        "external_id": "ch_AAAAAAAAAAAAAAAAAAAAAAAA",
        "provider": "stripe",
        "amount": "1234.56",
        "currency": "USD",
        "terms": "sample terms of payment (up to 1,024 characters)",
        "successful": True,
    },
    "no_show": None,
    "reconfirmation": {"created_at": STAMP, "confirmed_at": None},
    "scheduling_method": "instant_book",
    "invitee_scheduled_by": None,
}

CANCELED_INVITEE_JSON: Json = {
    **INVITEE_JSON,
    "status": "canceled",
    "first_name": None,
    "last_name": None,
    "payment": None,
    "reconfirmation": None,
    "cancellation": {**CANCELLATION_JSON, "canceler_type": "invitee", "reason": None},
    "no_show": {"uri": f"{API}/invitee_no_shows/NNNNNNNNNNNNNNNN", "created_at": LATER},
    "rescheduled": True,
    "new_invitee": f"{EVENT}/invitees/8c1dbe46-bd84-42e2-9b97-05e2fb379bff",
    "scheduling_method": "api",
    "invitee_scheduled_by": USER,
}

NO_SHOW_JSON: Json = {
    "uri": f"{API}/invitee_no_shows/NNNNNNNNNNNNNNNN",
    "invitee": INVITEE,
    "created_at": LATER,
}

QUESTIONS_JSON: list[Json] = [
    {"uuid": "a1b2c3d4-0000-4000-8000-000000000001", "name": "Your name", "type": "name",
     "required": True, "answer_choices": None},
    {"uuid": "a1b2c3d4-0000-4000-8000-000000000002", "name": "Product area", "type": "select",
     "required": False, "answer_choices": ["Billing", "Scheduling"]},
]  # fmt: skip

FORM_JSON: Json = {
    "uri": FORM,
    "organization": ORG,
    "name": "Support Triage",
    "status": "published",
    "questions": QUESTIONS_JSON,
    "created_at": STAMP,
    "updated_at": LATER,
}

RESULTS: dict[str, Json] = {
    "event_type": {"type": "event_type", "value": EVENT_TYPE},
    "external_url": {"type": "external_url", "value": "https://example.com/thanks"},
    "custom_message": {
        "type": "custom_message",
        "value": {"headline": "Thanks!", "body": "We will be in touch."},
    },
}

SUBMISSION_JSON: Json = {
    "uri": f"{API}/routing_form_submissions/FFFFFFFFFFFFFFFF",
    "routing_form": FORM,
    "questions_and_answers": [
        {"question_uuid": QUESTIONS_JSON[0]["uuid"], "question": "Your name", "answer": "Ann"},
        {"question_uuid": QUESTIONS_JSON[1]["uuid"], "question": "Product area", "answer": None},
    ],
    "tracking": TRACKING_JSON,
    "result": RESULTS["event_type"],
    "submitter": INVITEE,
    "submitter_type": "Invitee",
    "created_at": STAMP,
    "updated_at": STAMP,
}

WEBHOOK_JSON: Json = {
    "uri": f"{API}/webhook_subscriptions/WWWWWWWWWWWWWWWW",
    "callback_url": "https://blah.foo/bar",
    "created_at": "2019-08-24T14:15:22.123456Z",
    "updated_at": "2019-08-24T14:15:22.123456Z",
    "retry_started_at": "2019-08-24T14:15:22.123456Z",
    "state": "active",
    "events": ["invitee.created", "invitee.canceled"],
    "scope": "user",
    "organization": ORG,
    "user": USER,
    "group": None,
    "creator": USER,
}

INVITEE_PAYLOAD_JSON: Json = {
    **INVITEE_JSON,
    "scheduled_event": {
        k: v for k, v in EVENT_JSON.items() if k not in {"calendar_event", "event_memberships"}
    }
    | {"event_memberships": [{"user": USER, "user_email": "u@example.com", "user_name": "U"}]},
}

DELIVERY_JSON: Json = {
    "event": "invitee.created",
    "created_at": "2020-11-23T17:51:19.000000Z",
    "created_by": USER,
    "payload": INVITEE_PAYLOAD_JSON,
}

CONTACT_DELIVERY_JSON: Json = {
    "event": "contact.deleted",
    "created_at": "2020-11-23T17:51:19.000000Z",
    "created_by": USER,
    "payload": {"user_uuid": "BBBBBBBBBBBBBBBB", "contact": {"uri": "x", "deleted_at": STAMP}},
}

SCHEDULING_LINK_JSON: Json = {
    "booking_url": "https://calendly.com/d/abcd-brv8/15-minute-meeting",
    "owner": EVENT_TYPE,
    "owner_type": "EventType",
}

ACTIVITY_ENTRY_JSON: Json = {
    "occurred_at": "2020-01-02T03:04:05.678Z",
    "actor": {
        "uri": USER,
        "type": "User",
        "organization": {"uri": ORG, "role": "Owner"},
        "group": {"uri": f"{API}/groups/GGGGGGGGGGGGGGGG", "name": "Sales", "role": "Admin"},
        "display_name": "John Doe",
        "alternative_identifier": "john@example.com",
    },
    "details": {"old": {"name": "A"}, "new": {"name": "B"}},
    "fully_qualified_name": "User.Added",
    "uri": f"{API}/activity_log_entries/ALALALALALALALAL",
    "namespace": "User",
    "action": "Added",
    "organization": ORG,
}

ACTIVITY_PAGE_JSON: Json = {
    "collection": [ACTIVITY_ENTRY_JSON],
    "pagination": {
        "count": 1,
        "next_page": f"{API}/activity_log_entries?count=1&page_token=abc",
        "previous_page": None,
        "next_page_token": "abc",
        "previous_page_token": None,
    },
    "last_event_time": "2020-01-02T03:04:05.678Z",
    "total_count": 17,
    "exceeds_max_total_count": False,
}

TOKEN_JSON: Json = {
    "token_type": "Bearer",
    "expires_in": 7200,
    "created_at": 1548689183,
    "refresh_token": "b77a76ffce83d3bc5e2ff1f7b4d8b2d5e9f6e8d1c4f3a2b1c0d9e8f7a6b5c4d3",
    "access_token": "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL2F1dGguY2FsZW5kbHkuY29tIn0.sig",
    "scope": "default scheduled_events:read users:read",
    "owner": USER,
    "organization": ORG,
}
