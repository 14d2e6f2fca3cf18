"""Two published routing forms and their submissions, some of which led to a booking."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from desktop.sandbox.seed.context import Record, Seeder
from desktop.sandbox.seed.event_types import Offering
from desktop.sandbox.seed.invitees import Contact, make_contacts, tracking

# (question name, type, required, answer choices)
_Question = tuple[str, str, bool, list[str] | None]

_SALES: tuple[_Question, ...] = (
    ("Full name", "name", True, None),
    ("Work email", "email", True, None),
    ("Company size", "select", True, ["1-10", "11-50", "51-200", "201-1000", "1000+"]),
    (
        "What are you looking for?",
        "radios",
        True,
        ["A product demo", "Pricing", "Technical questions", "Something else"],
    ),
    ("Phone number", "phone", False, None),
    ("Anything else we should know?", "textarea", False, None),
)
_SUPPORT: tuple[_Question, ...] = (
    ("Your name", "name", True, None),
    ("Email", "email", True, None),
    ("Product area", "select", True, ["Scheduling", "Routing", "Integrations", "Billing"]),
    ("How urgent is it?", "radios", True, ["Low", "Normal", "High - we're blocked"]),
    ("Account ID", "text", False, None),
    ("Describe the problem", "textarea", False, None),
)
_TEXTAREA = (
    "We're rolling this out to three regional teams next month.",
    "Our invitees keep landing in the wrong time zone.",
    "Need help connecting our CRM.",
    "Happy to share our current setup on the call.",
)


def make_forms(seeder: Seeder, organization: str, offerings: list[Offering], events: int) -> None:
    """Forms route to an event type, an external URL or a custom message."""
    by_name = {o.record["name"]: o for o in offerings if o.weight > 0}
    fallback = [o for o in offerings if o.weight > 0]
    invitees = _invitees_by_event_type(seeder)
    per_form = max(12, min(150, events // 25))
    contacts = make_contacts(seeder, 40)
    specs: tuple[tuple[str, tuple[_Question, ...], list[str]], ...] = (
        ("Contact Sales", _SALES, ["Sales Discovery Call", "Product Demo", "Discovery Call"]),
        ("Support Triage", _SUPPORT, ["Support Escalation", "Customer Onboarding Kickoff"]),
    )
    for name, questions, targets in specs:
        created = seeder.moment_between(
            seeder.org_created + timedelta(days=30), seeder.day - timedelta(days=150)
        )
        form = seeder.add(
            "routing_forms",
            {
                "id": seeder.ident(),
                "organization": organization,
                "name": name,
                "status": "published",
                "questions": [
                    {
                        "uuid": seeder.uuid(),
                        "name": q,
                        "type": t,
                        "required": r,
                        "answer_choices": c,
                    }
                    for q, t, r, c in questions
                ],
                "created_at": seeder.stamp(created),
                "updated_at": seeder.stamp(seeder.moment_between(created, seeder.day)),
            },
        )
        routed = [by_name[t] for t in targets if t in by_name] or fallback[:1]
        for _ in range(per_form):
            _submission(seeder, form, routed, invitees, contacts)


def _invitees_by_event_type(seeder: Seeder) -> dict[str, list[Record]]:
    event_types = {e["id"]: e["event_type"] for e in seeder.rows["scheduled_events"]}
    found: dict[str, list[Record]] = {}
    for invitee in seeder.rows["invitees"]:
        if invitee["old_invitee"] is None and invitee["routing_form_submission"] is None:
            found.setdefault(event_types[invitee["event"]], []).append(invitee)
    return found


def _submission(
    seeder: Seeder,
    form: Record,
    routed: list[Offering],
    invitees: dict[str, list[Record]],
    contacts: list[Contact],
) -> None:
    rng = seeder.rng
    roll = rng.random()
    submitter: Record | None = None
    result: dict[str, Any]
    if roll < 0.6 and routed:
        target = rng.choice(routed)
        result = {"type": "event_type", "value": target.id}
        candidates = invitees.get(target.id, [])
        if candidates and seeder.chance(0.7):
            submitter = candidates.pop(rng.randrange(len(candidates)))
    elif roll < 0.8:
        page = "pricing" if form["name"] == "Contact Sales" else "help"
        result = {"type": "external_url", "value": f"https://www.{seeder.domain}/{page}"}
    else:
        result = {
            "type": "custom_message",
            "value": {
                "headline": "Thanks for reaching out!",
                "body": "Our team will get back to you by email within one business day.",
            },
        }
    if submitter is not None:
        booked = datetime.fromisoformat(submitter["created_at"].replace("Z", "+00:00"))
        moment = booked - timedelta(minutes=rng.randint(1, 12), seconds=rng.randint(0, 59))
        who = (submitter["name"], submitter["email"])
        track = dict(submitter["tracking"])
    else:
        moment = seeder.before(seeder.day, 30, 60 * 24 * 120)
        contact = rng.choice(contacts)
        who = (contact.name, contact.email)
        track = tracking(seeder)
    answers = [_answer(seeder, question, who) for question in form["questions"]]
    record = seeder.add(
        "routing_submissions",
        {
            "id": seeder.ident(),
            "routing_form": form["id"],
            "questions_and_answers": answers,
            "tracking": track,
            "submitter": None if submitter is None else submitter["id"],
            "submitter_type": None if submitter is None else "Invitee",
            "result": result,
            "created_at": seeder.stamp(moment),
            "updated_at": seeder.stamp(moment),
        },
    )
    if submitter is not None:
        submitter["routing_form_submission"] = record["id"]


def _answer(seeder: Seeder, question: Record, who: tuple[str, str]) -> Record:
    rng = seeder.rng
    kind = question["type"]
    answer: str | None
    if not question["required"] and seeder.chance(0.4):
        answer = None
    elif kind == "name":
        answer = who[0]
    elif kind == "email":
        answer = who[1]
    elif kind in ("select", "radios"):
        answer = rng.choice(question["answer_choices"])
    elif kind == "phone":
        answer = seeder.phone()
    elif kind == "textarea":
        answer = rng.choice(_TEXTAREA)
    else:
        answer = f"ACC-{rng.randint(10000, 99999)}"
    return {"question_uuid": question["uuid"], "question": question["name"], "answer": answer}
