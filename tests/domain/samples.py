"""Hand-written Calendly JSON for every record, shaped after the 2026 spec's schemas."""

from __future__ import annotations

from typing import Any

API = "https://api.calendly.com"
ORG = f"{API}/organizations/AAAAAAAAAAAAAAAA"
USER = f"{API}/users/BBBBBBBBBBBBBBBB"
EVENT_TYPE = f"{API}/event_types/GBGBDCAADAEDCRZ2"
EVENT = f"{API}/scheduled_events/GBGBDCAADAEDCRZ2"
INVITEE = f"{EVENT}/invitees/7c1dbe46-bd84-42e2-9b97-05e2fb379bfe"
FORM = f"{API}/routing_forms/RRRRRRRRRRRRRRRR"
STAMP = "2020-01-02T03:04:05.678123Z"
LATER = "2020-01-03T10:00:00.000000Z"

Json = dict[str, Any]

USER_JSON: Json = {
    "uri": USER,
    "name": "John Doe",
    "slug": "acmesales",
    "email": "test@example.com",
    "scheduling_url": "https://calendly.com/acmesales",
    "timezone": "America/New_York",
    "time_notation": "24h",
    "avatar_url": None,
    "created_at": STAMP,
    "updated_at": LATER,
    "current_organization": ORG,
    "resource_type": "User",
    "locale": "en",
}

ORGANIZATION_JSON: Json = {
    "uri": ORG,
    "kind": "multiple",
    "name": "Acme Sales",
    "plan": "enterprise",
    "stage": "paid",
    "created_at": STAMP,
    "updated_at": LATER,
}

MEMBERSHIP_USER_JSON: Json = {k: v for k, v in USER_JSON.items() if k not in {
    "current_organization", "resource_type", "time_notation"}}  # fmt: skip

MEMBERSHIP_JSON: Json = {
    "uri": f"{API}/organization_memberships/MMMMMMMMMMMMMMMM",
    "role": "admin",
    "user": MEMBERSHIP_USER_JSON,
    "organization": ORG,
    "updated_at": LATER,
    "created_at": STAMP,
}

INVITATION_JSON: Json = {
    "uri": f"{ORG}/invitations/IIIIIIIIIIIIIIII",
    "organization": ORG,
    "email": "new.hire@example.com",
    "status": "pending",
    "created_at": STAMP,
    "updated_at": STAMP,
    "last_sent_at": LATER,
}

TEAM_JSON: Json = {
    "uri": f"{API}/teams/TTTTTTTTTTTTTTTT",
    "name": "Sales",
    "organization": ORG,
    "scheduling_url": "https://calendly.com/team/sales",
}

GROUP_JSON: Json = {
    "uri": f"{API}/groups/GGGGGGGGGGGGGGGG",
    "name": "Customer Success",
    "organization": ORG,
    "created_at": STAMP,
    "updated_at": LATER,
    "member_count": 4,
}

RELATIONSHIP_MEMBERSHIP_JSON: Json = {
    "uri": f"{API}/group_relationships/RELMRELMRELMRELM",
    "role": "admin",
    "owner": {**MEMBERSHIP_JSON, "type": "OrganizationMembership"},
    "organization": ORG,
    "group": GROUP_JSON["uri"],
    "created_at": STAMP,
    "updated_at": LATER,
}

RELATIONSHIP_INVITATION_JSON: Json = {
    **RELATIONSHIP_MEMBERSHIP_JSON,
    "uri": f"{API}/group_relationships/RELIRELIRELIRELI",
    "role": "member",
    "owner": {**INVITATION_JSON, "type": "OrganizationInvitation"},
}

EVENT_TYPE_JSON: Json = {
    "uri": EVENT_TYPE,
    "name": "15 Minute Meeting",
    "active": True,
    "booking_method": "instant",
    "slug": "15min",
    "scheduling_url": "https://calendly.com/acmesales/15min",
    "duration": 15,
    "duration_options": [15, 30],
    "kind": "solo",
    "pooling_type": None,
    "type": "StandardEventType",
    "color": "#fff200",
    "created_at": STAMP,
    "updated_at": LATER,
    "deleted_at": None,
    "internal_note": "Internal note",
    "description_plain": "15 Minute Meeting",
    "description_html": "<p>15 Minute Meeting</p>",
    "profile": {"type": "User", "name": "Tamara Jones", "owner": USER},
    "secret": False,
    "custom_questions": [
        {
            "name": "Company Name",
            "type": "string",
            "position": 0,
            "enabled": True,
            "required": True,
            "answer_choices": [],
            "include_other": False,
        },
        {
            "name": "Team size",
            "type": "single_select",
            "position": 1,
            "enabled": True,
            "required": False,
            "answer_choices": ["1-10", "11-50", "51+"],
            "include_other": True,
        },
    ],
    "admin_managed": False,
    "is_paid": False,
    "locale": "en",
    "locations": [
        {"kind": "zoom_conference"},
        {"kind": "physical", "location": "1 Main St", "additional_info": "Ring twice"},
        {"kind": "inbound_call", "phone_number": "+14155551234"},
    ],
    "position": 0,
}

HOST_JSON: Json = {
    "uri": f"{API}/event_type_memberships/HHHHHHHHHHHHHHHH",
    "event_type": EVENT_TYPE_JSON,
    "member": USER_JSON,
    "created_at": STAMP,
    "updated_at": LATER,
}

AVAILABLE_TIME_JSON: Json = {
    "status": "available",
    "invitees_remaining": 2,
    "start_time": "2020-01-02T20:00:00.000000Z",
    "scheduling_url": "https://calendly.com/acmesales/discovery-call/2020-01-02T20:00:00Z?month=2020-01&date=2020-01-02",
}

RULES_JSON: list[Json] = [
    {"type": "wday", "wday": "sunday", "intervals": []},
    {"type": "wday", "wday": "monday", "intervals": [{"from": "09:00", "to": "17:00"}]},
    {"type": "date", "date": "2020-1-5", "intervals": [{"from": "10:00", "to": "12:30"}]},
]

SCHEDULE_JSON: Json = {
    "uri": f"{API}/user_availability_schedules/SSSSSSSSSSSSSSSS",
    "default": True,
    "name": "Working Hours",
    "user": USER,
    "timezone": "America/New_York",
    "rules": RULES_JSON,
}

EVENT_TYPE_SCHEDULE_JSON: Json = {
    "event_type": EVENT_TYPE,
    "availability_setting": "host",
    "availability_rule": {
        "timezone": "Europe/Paris",
        "uri": SCHEDULE_JSON["uri"],
        "name": None,
        "user": USER,
        "rules": RULES_JSON,
    },
}

BUSY_CALENDLY_JSON: Json = {
    "type": "calendly",
    "start_time": "2020-01-02T20:00:00.000000Z",
    "end_time": "2020-01-02T20:30:00.000000Z",
    "buffered_start_time": "2020-01-02T19:45:00.000000Z",
    "buffered_end_time": "2020-01-02T20:45:00.000000Z",
    "event": {"uri": EVENT},
}

BUSY_EXTERNAL_JSON: Json = {
    "type": "external",
    "start_time": "2020-01-03T20:00:00.000000Z",
    "end_time": "2020-01-03T21:00:00.000000Z",
}

MEETING_LOCATION_JSON: Json = {"kind": "zoom_conference", "connected": True}
