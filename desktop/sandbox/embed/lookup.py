"""What a booking page shows: the user, team or event type behind a URL, and its form's fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from desktop.sandbox.booking_fields import HOST_TEXT_KINDS, LOCATION_NEEDS_TEXT, location_configs
from desktop.sandbox.render.event_types import scheduling_url, slugify
from desktop.sandbox.routes.availability import host_ids, host_schedule
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record

CONFERENCES = {
    "zoom_conference": "Zoom",
    "google_conference": "Google Meet",
    "microsoft_teams_conference": "Microsoft Teams",
    "webex_conference": "Webex",
    "gotomeeting_conference": "GoTo Meeting",
}


@dataclass(frozen=True)
class Question:
    """An enabled custom question, numbered as the ``a1``..``a10`` URL parameters count them."""

    field: str  # "a1", "a2", ...
    name: str
    type: str  # string|text|phone_number|single_select|multi_select
    position: int
    required: bool
    choices: tuple[str, ...]
    include_other: bool


@dataclass(frozen=True)
class Place:
    """One location the invitee may choose (the event type's LocationConfiguration)."""

    index: int
    kind: str
    label: str
    needs_text: bool  # the invitee types it (their phone number, where to meet)
    host_text: str | None  # the host's own text (address, phone, custom location)


@dataclass(frozen=True)
class EventView:
    """An event type as its booking page presents it."""

    record: Record
    url: str  # its scheduling_url
    host: str  # whose page: the owner's or the team's name
    hosts: tuple[str, ...]  # the people who may host
    timezone: str  # the host's zone: the page's first guess before the browser's own
    time_notation: str  # 12h|24h
    split_names: bool  # asks first and last name separately
    questions: tuple[Question, ...]
    places: tuple[Place, ...]  # empty: nothing to choose (round robin, or none configured)

    @property
    def path(self) -> str:
        """The page's path on this host (the form and the picker stay on the page's origin)."""
        return urlsplit(self.url).path

    @property
    def bookable(self) -> bool:
        return bool(self.record.get("booking_method", "instant") != "poll")


# -- finding pages ------------------------------------------------------------------------------
def user_by_slug(state: SandboxState, slug: str) -> Record | None:
    return state.store.find_one("users", "slug = ?", (slug,))


def _listed(record: Record) -> bool:
    return bool(record.get("active")) and record.get("deleted_at") is None


def user_event_types(state: SandboxState, user: Record) -> list[Record]:
    """The active, non-secret event types on a user's landing page, in their order."""
    found = state.store.find("event_types", "owner = ?", (user["id"],), order="position, id")
    return [
        r for r in found if _listed(r) and not r.get("secret") and r.get("type") != "AdhocEventType"
    ]


def user_event_type(state: SandboxState, user: Record, slug: str) -> Record | None:
    found = state.store.find("event_types", "owner = ? AND slug = ?", (user["id"], slug))
    alive = [r for r in found if r.get("deleted_at") is None]
    return next((r for r in alive if r.get("active")), alive[0] if alive else None)


def _team_types(state: SandboxState, team_slug: str) -> list[Record]:
    found = state.store.find("event_types", "owner IS NULL", order="position, id")
    return [
        r
        for r in found
        if r.get("deleted_at") is None
        and slugify(str(r.get("profile_name") or "team")) == team_slug
    ]


def team_name(state: SandboxState, team_slug: str) -> str | None:
    team = state.store.find_one("teams", "json_extract(data, '$.slug') = ?", (team_slug,))
    if team is not None:
        return str(team["name"])
    found = _team_types(state, team_slug)
    return str(found[0].get("profile_name") or "") if found else None


def team_event_types(state: SandboxState, team_slug: str) -> list[Record]:
    return [r for r in _team_types(state, team_slug) if r.get("active") and not r.get("secret")]


def team_event_type(state: SandboxState, team_slug: str, slug: str) -> Record | None:
    found = [r for r in _team_types(state, team_slug) if r.get("slug") == slug]
    return next((r for r in found if r.get("active")), found[0] if found else None)


# -- the event type's view ----------------------------------------------------------------------
def _asks_split_names(state: SandboxState, record: Record) -> bool:
    """Whether the form asks first and last name: the event type's ``split_names`` when it has
    one, else what its latest invitee gave (Calendly stores first/last only for such forms)."""
    if "split_names" in record:
        return bool(record["split_names"])
    found = state.store.scalars(
        "SELECT json_extract(i.data, '$.first_name') IS NOT NULL FROM invitees i "
        "JOIN scheduled_events e ON e.id = i.event WHERE e.event_type = ? "
        "ORDER BY i.created_at DESC LIMIT 1",
        (record["id"],),
    )
    return bool(found and found[0])


def questions(record: Record) -> tuple[Question, ...]:
    enabled = [q for q in record.get("custom_questions") or [] if q.get("enabled")]
    enabled.sort(key=lambda q: (int(q.get("position", 0)), str(q.get("name"))))
    return tuple(
        Question(
            field=f"a{number}",
            name=str(q.get("name") or ""),
            type=str(q.get("type") or "string"),
            position=int(q.get("position", 0)),
            required=bool(q.get("required")),
            choices=tuple(str(c) for c in q.get("answer_choices") or []),
            include_other=bool(q.get("include_other")),
        )
        for number, q in enumerate(enabled, start=1)
    )


def place_label(config: dict[str, Any]) -> str:
    kind = str(config.get("kind"))
    text = str(config.get("location") or "")
    if kind == "physical":
        return f"In person: {text}" if text else "In person"
    if kind == "custom":
        return text or "Custom location"
    if kind == "inbound_call":
        number = config.get("phone_number") or ""
        return f"Phone call: you call {number}".strip()
    if kind == "outbound_call":
        return "Phone call: the host calls you"
    if kind == "ask_invitee":
        return "A place you choose"
    return CONFERENCES.get(kind, kind.replace("_", " ").capitalize())


def places(record: Record) -> tuple[Place, ...]:
    if record.get("pooling_type") == "round_robin":
        return ()
    found = []
    for index, config in enumerate(location_configs(record)):
        kind = str(config.get("kind"))
        host_text = str(config["location"]) if config.get("location") else None
        needs = bool(LOCATION_NEEDS_TEXT.get(kind)) and not (kind in HOST_TEXT_KINDS and host_text)
        found.append(Place(index, kind, place_label(config), needs, host_text))
    return tuple(found)


def event_view(state: SandboxState, record: Record) -> EventView:
    hosts = host_ids(state, record)
    people = [state.store.get("users", h) for h in hosts]
    names = tuple(str(p["name"]) for p in people if p is not None)
    owner = state.store.get("users", record["owner"]) if record.get("owner") else None
    first = owner or next((p for p in people if p is not None), None)
    schedule = host_schedule(state, record["id"], first["id"]) if first is not None else None
    zone = (schedule or {}).get("timezone") or (first or {}).get("timezone") or "UTC"
    return EventView(
        record=record,
        url=scheduling_url(state, record),
        host=str(record.get("profile_name") or (owner or {}).get("name") or ""),
        hosts=names,
        timezone=str(zone),
        time_notation=str((first or {}).get("time_notation") or "12h"),
        split_names=_asks_split_names(state, record),
        questions=questions(record),
        places=places(record),
    )
