"""Event types (solo, group and team), their hosts, custom questions and location settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from desktop.sandbox.seed import names
from desktop.sandbox.seed.context import Record, Seeder, slugify
from desktop.sandbox.seed.people import Member, People

LOCATION_KINDS: tuple[str, ...] = (
    "zoom_conference",
    "google_conference",
    "physical",
    "outbound_call",
    "inbound_call",
    "microsoft_teams_conference",
    "custom",
    "ask_invitee",
    "webex_conference",
    "gotomeeting_conference",
)
_KIND_WEIGHTS = (10, 9, 3, 3, 2, 5, 1, 2, 1, 1)
QUESTION_TYPES: tuple[str, ...] = (
    "string",
    "text",
    "phone_number",
    "single_select",
    "multi_select",
)

# (name, slug, duration, duration options, paid, description)
_SOLO: tuple[tuple[str, str, int, list[int] | None, bool, str | None], ...] = (
    ("15 Minute Meeting", "15min", 15, None, False, "A quick check-in."),
    ("30 Minute Meeting", "30min", 30, [15, 30, 45], False, None),
    ("60 Minute Meeting", "60min", 60, None, False, None),
    ("Intro Call", "intro-call", 30, None, False, "Let's get to know each other."),
    (
        "Discovery Call",
        "discovery-call",
        45,
        None,
        False,
        "We'll learn about your team and how you schedule today.",
    ),
    (
        "Product Demo",
        "product-demo",
        45,
        [30, 45, 60],
        False,
        "A live walkthrough tailored to your use case.",
    ),
    ("Quarterly Business Review", "qbr", 60, None, False, "Review results and plan next quarter."),
    ("Coffee Chat", "coffee-chat", 30, None, False, "Informal chat, no agenda needed."),
    (
        "Technical Deep Dive",
        "technical-deep-dive",
        90,
        None,
        False,
        "Architecture, integrations and security questions.",
    ),
    ("Onboarding Session", "onboarding", 60, None, False, "Set up your account together."),
    ("Candidate Interview", "interview", 45, None, False, None),
    ("Support Escalation", "support-escalation", 30, None, False, None),
    ("Mentorship 1:1", "mentorship", 30, None, False, "Career conversations and feedback."),
    ("Pricing Q&A", "pricing-qa", 15, None, False, None),
    (
        "Paid Strategy Session",
        "strategy-session",
        60,
        None,
        True,
        "A one-hour consulting session; payment is collected when you book.",
    ),
)
# (name, slug, duration, invitee limit, description)
_GROUP: tuple[tuple[str, str, int, int, str], ...] = (
    ("Weekly Office Hours", "office-hours", 60, 10, "Drop in with any question."),
    ("Product Webinar", "product-webinar", 60, 25, "A live tour of what's new."),
    ("Group Onboarding", "group-onboarding", 90, 8, "Onboarding for new customers, in a group."),
)
# (name, slug, duration, pooling, profile name, hosts)
_TEAM: tuple[tuple[str, str, int, str, str, int], ...] = (
    ("Sales Discovery Call", "sales-discovery-call", 30, "round_robin", "Sales Team", 4),
    (
        "Customer Onboarding Kickoff",
        "onboarding-kickoff",
        45,
        "round_robin",
        "Customer Success Team",
        3,
    ),
    ("Executive Briefing", "executive-briefing", 60, "collective", "Leadership Team", 2),
    ("Panel Interview", "panel-interview", 60, "collective", "Recruiting Team", 3),
)
# (name, type, answer choices, include other)
_QUESTIONS: dict[str, tuple[tuple[str, list[str], bool], ...]] = {
    "string": (
        ("Company name", [], False),
        ("What's your role?", [], False),
        ("LinkedIn profile", [], False),
    ),
    "text": (
        ("Please share anything that will help prepare for our meeting.", [], False),
        ("What would you like to discuss?", [], False),
    ),
    "phone_number": (
        ("Best number to reach you", [], False),
        ("Phone number for SMS reminders", [], False),
    ),
    "single_select": (
        (
            "How did you hear about us?",
            ["Search engine", "Friend or colleague", "Social media", "Event or conference"],
            True,
        ),
        ("Team size", ["1-10", "11-50", "51-200", "201-1000", "1000+"], False),
    ),
    "multi_select": (
        (
            "Which products are you interested in?",
            ["Scheduling", "Routing", "Workflows", "Analytics"],
            True,
        ),
        ("Topics to cover", ["Pricing", "Security", "Integrations", "Roadmap"], False),
    ),
}


@dataclass
class Offering:
    """An event type plus what booking it needs."""

    record: Record
    hosts: list[Member]
    durations: list[int]
    weight: float
    split_names: bool  # the booking form asks first and last name separately
    created: datetime  # nothing is booked before the event type existed

    @property
    def id(self) -> str:
        return str(self.record["id"])


class _Coverage:
    """Makes sure the first event types between them use every question type and location."""

    def __init__(self) -> None:
        self.count = 0


def make_event_types(seeder: Seeder, people: People) -> list[Offering]:
    rng = seeder.rng
    coverage = _Coverage()
    offerings: list[Offering] = []
    group_owner = people.members[1] if len(people.members) > 1 else people.owner
    for member in people.members:
        count = rng.randint(3, 6)
        templates = rng.sample(_SOLO, min(count, len(_SOLO)))
        plans: list[tuple[str, str, int, list[int] | None, bool, str | None, int]] = [
            (*t, 1) for t in templates
        ]
        if member is group_owner or seeder.chance(0.12):
            g_name, g_slug, g_duration, g_limit, g_text = rng.choice(_GROUP)
            plans[-1] = (g_name, g_slug, g_duration, None, False, g_text, g_limit)
        for position, (name, slug, duration, options, paid, description, limit) in enumerate(plans):
            record = _event_type(
                seeder, coverage, member, member.joined, position, name, slug, duration
            )
            record.update(
                duration_options=options,
                is_paid=paid,
                invitee_limit=limit,
                kind="group" if limit > 1 else "solo",
                description_plain=description,
                description_html=None if description is None else f"<p>{description}</p>",
            )
            if paid:
                record["secret"] = False
            offerings.append(_offering(seeder, record, [member], duration, options))
    for position, (name, slug, duration, pooling, profile, size) in enumerate(_TEAM):
        hosts = _team_hosts(seeder, people, pooling, size)
        if len(hosts) < 2:
            continue
        since = max(h.joined for h in hosts)
        record = _event_type(seeder, coverage, None, since, position, name, slug, duration)
        record.update(
            owner=None,
            profile_type="Team",
            profile_name=profile,
            pooling_type=pooling,
            hosts=[h.id for h in hosts],
            admin_managed=seeder.chance(0.5),
            secret=False,
            active=True,
        )
        offerings.append(_offering(seeder, record, hosts, duration, None))
    return offerings


def _offering(
    seeder: Seeder, record: Record, hosts: list[Member], duration: int, options: list[int] | None
) -> Offering:
    created = record["created_at"]
    for host in hosts:
        seeder.add(
            "event_type_hosts",
            {
                "id": seeder.ident(),
                "event_type": record["id"],
                "user": host.id,
                "created_at": created,
                "updated_at": created,
            },
        )
    weight = seeder.rng.uniform(0.5, 2.0) * (1.0 if record["active"] else 0.2)
    if record["pooling_type"] is not None:
        weight *= len(hosts)
    if record["kind"] == "group":
        weight *= 4  # recurring sessions (office hours, webinars) run often
    if record["booking_method"] == "poll":
        weight = 0.0
    moment = datetime.fromisoformat(str(created).replace("Z", "+00:00"))
    return Offering(record, hosts, options or [duration], weight, seeder.chance(0.25), moment)


def _event_type(
    seeder: Seeder,
    coverage: _Coverage,
    member: Member | None,
    since: datetime,
    position: int,
    name: str,
    slug: str,
    duration: int,
) -> Record:
    rng = seeder.rng
    number = coverage.count
    coverage.count += 1
    latest = max(since + timedelta(hours=3), seeder.day - timedelta(days=30))
    created = seeder.moment_between(since + timedelta(hours=2), latest)
    updated = seeder.moment_between(created, seeder.day - timedelta(hours=1))
    locale = str(member.user["locale"]) if member is not None else "en"
    return seeder.add(
        "event_types",
        {
            "id": seeder.ident(),
            "organization": str(seeder.rows["organizations"][0]["id"]),
            "owner": member.id if member is not None else None,
            "profile_type": "User",
            "profile_name": member.name if member is not None else "",
            "name": name,
            "slug": slug,
            "active": number < 12 or seeder.chance(0.9),
            "booking_method": "poll" if number >= 12 and seeder.chance(0.03) else "instant",
            "duration": duration,
            "duration_options": None,
            "kind": "solo",
            "pooling_type": None,
            "type": "StandardEventType",
            "color": rng.choice(names.COLORS),
            "description_plain": None,
            "description_html": None,
            "internal_note": rng.choice(
                ("Use the sales deck v3.", "Check the CRM before the call.", "Record with consent.")
            )
            if seeder.chance(0.2)
            else None,
            "secret": number >= 12 and seeder.chance(0.12),
            "custom_questions": _questions(seeder, number),
            "admin_managed": seeder.chance(0.15),
            "is_paid": False,
            "locale": locale,
            "locations": _locations(seeder, number, member),
            "position": position,
            "invitee_limit": 1,
            "hosts": [member.id] if member is not None else [],
            "deleted_at": None,
            "created_at": seeder.stamp(created),
            "updated_at": seeder.stamp(updated),
        },
    )


def _questions(seeder: Seeder, number: int) -> list[Record]:
    rng = seeder.rng
    if number == 0:
        types = list(QUESTION_TYPES)
    else:
        count = rng.choice((0, 1, 1, 2, 2, 3, 4))
        types = rng.sample(QUESTION_TYPES, count)
    questions: list[Record] = []
    for position, kind in enumerate(types):
        name, choices, other = rng.choice(_QUESTIONS[kind])
        if number == 0 and kind == "multi_select":
            name, choices, other = _QUESTIONS[kind][0]
        enabled = not (number == 0 and position == 1) and (number == 0 or seeder.chance(0.9))
        required = (number == 0 and position == 0) or seeder.chance(0.35)
        questions.append(
            {
                "name": name,
                "type": kind,
                "position": position,
                "enabled": enabled,
                "required": required and enabled,
                "answer_choices": list(choices),
                "include_other": other,
            }
        )
    return questions


def _locations(seeder: Seeder, number: int, member: Member | None) -> list[dict[str, Any]]:
    rng = seeder.rng
    if number < len(LOCATION_KINDS):
        kinds = [LOCATION_KINDS[number]]
    else:
        kinds = [rng.choices(LOCATION_KINDS, weights=_KIND_WEIGHTS)[0]]
    if seeder.chance(0.2):
        extra = rng.choices(LOCATION_KINDS, weights=_KIND_WEIGHTS)[0]
        if extra not in kinds:
            kinds.append(extra)
    city = member.city if member is not None else "New York"
    return [location_config(seeder, kind, city) for kind in kinds]


def location_config(seeder: Seeder, kind: str, city: str) -> dict[str, Any]:
    """A LocationConfiguration as Calendly returns it on an event type (key ``kind``)."""
    rng = seeder.rng
    if kind == "physical":
        return {
            "kind": kind,
            "location": f"{rng.choice(names.STREETS)}, {city}",
            "additional_info": rng.choice(("Check in at the front desk.", "Ring the bell.")),
        }
    if kind == "inbound_call":
        return {
            "kind": kind,
            "phone_number": seeder.phone(),
            "additional_info": "Please call at the scheduled time.",
        }
    if kind == "custom":
        return {"kind": kind, "location": "I'll email you a meeting link the day before."}
    return {"kind": kind}


def _team_hosts(seeder: Seeder, people: People, pooling: str, size: int) -> list[Member]:
    """Round robin: anyone; collective: people whose zones overlap (same zone as a seed host)."""
    rng = seeder.rng
    candidates = list(people.members)
    if pooling == "round_robin":
        return rng.sample(candidates, min(size, len(candidates)))
    by_zone: dict[str, list[Member]] = {}
    for member in candidates:
        by_zone.setdefault(member.timezone, []).append(member)
    zones = [z for z, group in by_zone.items() if len(group) >= 2]
    if not zones:
        return candidates[:2]
    group = by_zone[rng.choice(zones)]
    return rng.sample(group, min(size, len(group)))


def slug_of(name: str) -> str:
    return slugify(name)
