"""A scheduled event's Location in Calendly's output form (key ``type``, conference details)."""

from __future__ import annotations

from typing import Any

from desktop.sandbox.seed.context import Seeder

_ASK_INVITEE_ANSWERS = (
    "Our office, 3rd floor meeting room",
    "The café across from the train station",
    "Call me on my mobile",
    "Our Zoom room, link in the invite",
)


def event_location(
    seeder: Seeder, config: dict[str, Any], invitee_phone: str, canceled: bool, future: bool
) -> dict[str, Any]:
    """The Location of one booking made with ``config`` (a LocationConfiguration)."""
    kind = config["kind"]
    if kind == "physical":
        location: dict[str, Any] = {"type": "physical", "location": config["location"]}
        if "additional_info" in config:
            location["additional_info"] = config["additional_info"]
        return location
    if kind == "outbound_call":
        return {"type": "outbound_call", "location": invitee_phone}
    if kind == "inbound_call":
        return {
            "type": "inbound_call",
            "location": config["phone_number"],
            "additional_info": config.get("additional_info", ""),
        }
    if kind == "custom":
        return {"type": "custom", "location": config.get("location")}
    if kind == "ask_invitee":
        return {"type": "ask_invitee", "location": seeder.rng.choice(_ASK_INVITEE_ANSWERS)}
    return _conference(seeder, kind, canceled, future)


def _conference(seeder: Seeder, kind: str, canceled: bool, future: bool) -> dict[str, Any]:
    """Only ``pushed`` conferences carry ``join_url`` and ``data`` (Calendly's rule)."""
    rng = seeder.rng
    output_type = {"zoom_conference": "zoom", "gotomeeting_conference": "gotomeeting"}.get(
        kind, kind
    )
    status = "pushed"
    if canceled:
        status = "failed"
    elif future and seeder.chance(0.03):
        status = "processing"
    if status != "pushed":
        if output_type == "google_conference":
            return {"type": output_type, "status": status, "join_url": None}
        return {"type": output_type, "status": status, "join_url": None, "data": None}
    if output_type == "google_conference":
        letters = "abcdefghijklmnopqrstuvwxyz"
        code = "-".join("".join(rng.choice(letters) for _ in range(n)) for n in (3, 4, 3))
        return {
            "type": output_type,
            "status": status,
            "join_url": f"https://meet.google.com/{code}",
        }
    if output_type == "zoom":
        meeting = str(rng.randint(81_000_000_000, 89_999_999_999))
        password = str(rng.randint(100000, 999999))
        return {
            "type": "zoom",
            "status": status,
            "join_url": f"https://us02web.zoom.us/j/{meeting}?pwd={seeder.token(22)}",
            "data": {
                "id": meeting,
                "settings": {
                    "global_dial_in_numbers": [
                        {
                            "number": "+1 646 558 8656",
                            "country": "US",
                            "type": "toll",
                            "city": "New York",
                            "country_name": "US",
                        },
                        {
                            "number": "+44 203 481 5237",
                            "country": "GB",
                            "type": "toll",
                            "city": "London",
                            "country_name": "United Kingdom",
                        },
                    ]
                },
                "extra": {"intl_numbers_url": "https://us02web.zoom.us/u/kb2Xq7ZHz"},
                "password": password,
            },
        }
    if output_type == "gotomeeting":
        meeting_id = rng.randint(100_000_000, 999_999_999)
        access = f"{str(meeting_id)[:3]}-{str(meeting_id)[3:6]}-{str(meeting_id)[6:]}"
        return {
            "type": "gotomeeting",
            "status": status,
            "join_url": f"https://global.gotomeeting.com/join/{meeting_id}",
            "data": {
                "uniqueMeetingId": meeting_id,
                "conferenceCallInfo": f"United States: +1 (872) 240-3212 Access Code: {access}",
            },
        }
    if output_type == "microsoft_teams_conference":
        thread = seeder.token(32)
        conference = str(rng.randint(100_000_000, 999_999_999))
        return {
            "type": output_type,
            "status": status,
            "join_url": f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{thread}"
            "%40thread.v2/0",
            "data": {
                "id": thread,
                "audioConferencing": {
                    "conferenceId": conference,
                    "dialinUrl": f"https://dialin.teams.microsoft.com/{seeder.uuid()}?id={conference}",
                    "tollNumber": "+1 323-849-4874",
                },
            },
        }
    meeting = str(rng.randint(2_000_000_000, 2_999_999_999))
    return {
        "type": "webex_conference",
        "status": status,
        "join_url": f"https://meetings.webex.com/j.php?MTID=m{rng.getrandbits(128):032x}",
        "data": {
            "id": meeting,
            "telephony": {
                "callInNumbers": [
                    {
                        "label": "United States Toll",
                        "callInNumber": "+1-415-655-0001",
                        "tollType": "toll",
                    },
                    {
                        "label": "United Kingdom Toll",
                        "callInNumber": "+44-20-7660-8410",
                        "tollType": "toll",
                    },
                ]
            },
            "password": seeder.token(10),
        },
    }
