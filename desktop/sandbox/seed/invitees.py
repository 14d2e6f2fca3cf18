"""The people who book (a pool of repeat contacts) and the Invitee records of their bookings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop.sandbox.seed import names
from desktop.sandbox.seed.context import Record, Seeder, slugify
from desktop.sandbox.seed.event_types import Offering

_ROLES = ("Head of Operations", "Sales Manager", "CTO", "Recruiter", "Founder", "Office Manager")
_NOTES = (
    "We're evaluating tools for a team of about 40 people.",
    "Would love to see how routing works with Salesforce.",
    "Mostly interested in pricing and onboarding timelines.",
    "Our current process is a shared spreadsheet, so anything helps!",
    "Please include our IT lead in the follow-up.",
    "Looking to migrate before the end of the quarter.",
)
_OTHER_ANSWERS = ("Podcast", "A customer told us", "Webinar", "Reports")


@dataclass(frozen=True)
class Contact:
    first: str
    last: str
    email: str
    timezone: str
    company: str
    phone: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def make_contacts(seeder: Seeder, count: int) -> list[Contact]:
    """Distinct people (by e-mail) who book meetings, many of them more than once."""
    rng = seeder.rng
    contacts: list[Contact] = []
    used: set[str] = set()
    while len(contacts) < count:
        first = rng.choice(names.FIRST_NAMES)
        last = rng.choice(names.LAST_NAMES)
        if seeder.chance(0.8):
            company, domain = rng.choice(names.COMPANIES)
        else:
            company, domain = "", rng.choice(names.PERSONAL_DOMAINS)
        local = f"{slugify(first)}.{slugify(last)}"
        email = f"{local}@{domain}"
        number = 2
        while email in used:
            email = f"{local}{number}@{domain}"
            number += 1
        used.add(email)
        contacts.append(
            Contact(first, last, email, rng.choice(names.INVITEE_ZONES), company, seeder.phone())
        )
    return contacts


def answers(seeder: Seeder, offering: Offering, contact: Contact) -> list[Record]:
    """Answers to the event type's enabled custom questions (all required ones)."""
    rng = seeder.rng
    found: list[Record] = []
    for question in offering.record["custom_questions"]:
        if not question["enabled"] or not (question["required"] or seeder.chance(0.6)):
            continue
        kind = question["type"]
        name = question["name"]
        choices: list[str] = question["answer_choices"]
        answer: str
        if kind == "string":
            if name == "Company name":
                answer = contact.company or "Freelance"
            elif name == "LinkedIn profile":
                answer = f"https://www.linkedin.com/in/{slugify(contact.name)}"
            else:
                answer = rng.choice(_ROLES)
        elif kind == "text":
            answer = rng.choice(_NOTES)
        elif kind == "phone_number":
            answer = contact.phone
        elif kind == "single_select":
            answer = rng.choice(choices)
            if question["include_other"] and seeder.chance(0.12):
                answer = rng.choice(_OTHER_ANSWERS)
        else:
            picked = rng.sample(choices, rng.randint(1, min(3, len(choices))))
            picked.sort(key=choices.index)
            if question["include_other"] and seeder.chance(0.12):
                picked.append(rng.choice(_OTHER_ANSWERS))
            answer = "\n".join(picked)
        found.append({"question": name, "answer": answer, "position": question["position"]})
    return found


def tracking(seeder: Seeder) -> dict[str, Any]:
    """The six tracking keys; UTM values on some bookings, a Salesforce id on a few."""
    rng = seeder.rng
    values: dict[str, Any] = {
        "utm_campaign": None,
        "utm_source": None,
        "utm_medium": None,
        "utm_content": None,
        "utm_term": None,
        "salesforce_uuid": None,
    }
    if seeder.chance(0.2):
        values["utm_campaign"] = rng.choice(names.UTM_CAMPAIGNS)
        values["utm_source"] = rng.choice(names.UTM_SOURCES)
        values["utm_medium"] = rng.choice(names.UTM_MEDIUMS)
        if seeder.chance(0.5):
            values["utm_content"] = rng.choice(names.UTM_CONTENTS)
        if seeder.chance(0.4):
            values["utm_term"] = rng.choice(names.UTM_TERMS)
    if seeder.chance(0.05):
        values["salesforce_uuid"] = f"0035e00000{seeder.token(8)}"
    return values


def make_invitee(
    seeder: Seeder,
    event_id: str,
    offering: Offering,
    contact: Contact,
    booked: datetime,
    scheduled_by: str | None,
) -> Record:
    """An active invitee booked at ``booked``; callers cancel, reschedule or mark no-shows."""
    rng = seeder.rng
    stamp = seeder.stamp(booked)
    method: str | None = "instant_book"
    if scheduled_by is not None:
        method = "api"
    elif seeder.chance(0.03):
        method = None
    payment = None
    if offering.record["is_paid"]:
        payment = {
            "external_id": f"ch_{seeder.token(24)}",
            "provider": rng.choice(("stripe", "stripe", "paypal")),
            "amount": "150.00",
            "currency": rng.choice(("USD", "USD", "EUR", "GBP", "CAD", "AUD")),
            "terms": "Payment is collected at booking; refundable up to 24 hours before.",
            "successful": True,
        }
    split = offering.split_names
    return {
        "id": seeder.uuid(),
        "event": event_id,
        "email": contact.email,
        "name": contact.name,
        "first_name": contact.first if split else None,
        "last_name": contact.last if split else None,
        "status": "active",
        "questions_and_answers": answers(seeder, offering, contact),
        "timezone": contact.timezone,
        "tracking": tracking(seeder),
        "text_reminder_number": contact.phone if seeder.chance(0.15) else None,
        "rescheduled": False,
        "old_invitee": None,
        "new_invitee": None,
        "routing_form_submission": None,
        "payment": payment,
        "no_show": None,
        "reconfirmation": None,
        "scheduling_method": method,
        "invitee_scheduled_by": scheduled_by,
        "cancellation": None,
        "created_at": stamp,
        "updated_at": stamp,
    }
