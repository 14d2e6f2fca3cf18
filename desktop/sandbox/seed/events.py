"""Scheduled events, their hosts and invitees: cancellations, reschedules, groups, no-shows."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from desktop.sandbox.seed import names
from desktop.sandbox.seed.context import Record, Seeder, slugify
from desktop.sandbox.seed.event_types import Offering
from desktop.sandbox.seed.invitees import Contact, make_contacts, make_invitee
from desktop.sandbox.seed.locations import event_location
from desktop.sandbox.seed.people import Member, People
from desktop.sandbox.seed.schedules import Availability

_TRIES = 8  # random starting points tried per booking before drawing another event type
_SCAN = 24  # candidate slots walked from each starting point
_GIVE_UP = 400  # consecutive failed bookings: the hosts' calendars are full


@dataclass
class Placement:
    start: int  # slot
    length: int  # slots
    hosts: list[Member]


class EventMaker:
    """Books ``count`` events into the hosts' free time, never overlapping one another."""

    def __init__(
        self, seeder: Seeder, people: People, offerings: list[Offering], free: Availability
    ) -> None:
        self.seeder = seeder
        self.rng = seeder.rng
        self.people = people
        self.offerings = [o for o in offerings if o.weight > 0]
        self.free = free
        self.grid = free.grid
        self.org = people.organization
        # Admins who book on colleagues' behalf through the Scheduling API (members all along).
        veterans = free.grid.origin - timedelta(days=30)
        self.schedulers = [
            m.id for m in people.members if m.role != "user" and m.joined < veterans
        ] or [people.owner.id]
        total = 0.0
        self.cumulative: list[float] = []
        for offering in self.offerings:
            total += offering.weight
            self.cumulative.append(total)
        self.contacts: list[Contact] = []
        self.dropped_out = False  # an upcoming group event has one canceled invitee

    # -- placement -------------------------------------------------------------------------
    def place(self, offering: Offering) -> Placement | None:
        rng = self.rng
        record = offering.record
        past_only = not record["active"]
        length = rng.choice(offering.durations) // 15
        for _ in range(_TRIES):
            if record["pooling_type"] == "collective":
                hosts = list(offering.hosts)
                lead = rng.choice(hosts)
            else:
                lead = rng.choice(offering.hosts)
                hosts = [lead]
            slots = self.free.slots[lead.id]
            limit = self.free.first_future(lead.id) if past_only else len(slots)
            opens = bisect_left(slots, self.grid.slot(offering.created + timedelta(days=1)))
            if limit <= opens:
                return None
            first = rng.randrange(opens, limit)
            lead_free = self.free.free[lead.id]
            step = 2 if length >= 2 else 1  # half-hour starts for meetings of 30+ minutes
            # Walk forward from a random slot to the first start that fits everyone.
            for index in range(first, min(first + _SCAN, limit)):
                start = slots[index]
                if start % step or start not in lead_free:
                    continue
                if start + length > self.grid.size:
                    break
                if all(self.free.is_free(h.id, start, length) for h in hosts):
                    for host in hosts:
                        self.free.book(host.id, start, length)
                    return Placement(start, length, hosts)
        return None

    def pick(self) -> Offering:
        return self.rng.choices(self.offerings, cum_weights=self.cumulative)[0]

    # -- events ----------------------------------------------------------------------------
    def make(self, count: int) -> None:
        self.contacts = make_contacts(self.seeder, max(60, count // 3))
        made, failures = 0, 0
        while made < count and failures < _GIVE_UP:
            offering = self.pick()
            placement = self.place(offering)
            if placement is None:
                failures += 1
                continue
            failures = 0
            solo = offering.record["kind"] == "solo"
            if solo and count - made >= 2 and self.seeder.chance(0.05):
                old = self.place(offering)
                if old is not None:
                    self.reschedule_pair(offering, old, placement)
                    made += 2
                    continue
            self.booking(offering, placement)
            made += 1

    def event(self, offering: Offering, placement: Placement, booked: datetime) -> Record:
        seeder = self.seeder
        record = offering.record
        start = self.grid.time(placement.start)
        end = self.grid.time(placement.start + placement.length)
        notes = seeder.rng.choice(names.MEETING_NOTES) if seeder.chance(0.1) else None
        calendar = None
        if seeder.chance(0.85):
            calendar = {
                "kind": seeder.rng.choice(("google", "google", "outlook", "exchange", "icloud")),
                "external_id": seeder.token(26).lower(),
            }
        event = seeder.add(
            "scheduled_events",
            {
                "id": seeder.ident(),
                "organization": self.org,
                "event_type": record["id"],
                "name": record["name"],
                "status": "active",
                "start_time": seeder.stamp(start),
                "end_time": seeder.stamp(end),
                "location": {},
                "hosts": [h.id for h in placement.hosts],
                "guests": [],
                "invitee_limit": record["invitee_limit"],
                "meeting_notes_plain": notes,
                "meeting_notes_html": None if notes is None else f"<p>{notes}</p>",
                "cancellation": None,
                "calendar_event": calendar,
                "created_at": seeder.stamp(booked),
                "updated_at": seeder.stamp(booked),
            },
        )
        for host in placement.hosts:
            seeder.add(
                "event_hosts",
                {
                    "id": f"{event['id']}:{host.id}",
                    "event": event["id"],
                    "user": host.id,
                    "start_time": event["start_time"],
                },
            )
        return event

    def locate(self, event: Record, offering: Offering, contact: Contact, start: datetime) -> None:
        configs: list[dict[str, Any]] = offering.record["locations"]
        config = self.rng.choice(configs)
        event["location"] = event_location(
            self.seeder,
            config,
            contact.phone,
            event["status"] == "canceled",
            start >= self.seeder.day,
        )

    def booking(self, offering: Offering, placement: Placement) -> None:
        seeder, rng = self.seeder, self.rng
        start = self.grid.time(placement.start)
        end = self.grid.time(placement.start + placement.length)
        horizon = min(start, seeder.day)
        limit = offering.record["invitee_limit"]
        party = 1 if limit == 1 else rng.randint(1, min(limit, 6))
        people = rng.sample(self.contacts, party)
        booked = sorted(self.booked(offering, horizon, 60 * 24 * 21) for _ in people)
        event = self.event(offering, placement, booked[0])
        invitees = [
            self.seeder.add(
                "invitees",
                make_invitee(seeder, event["id"], offering, contact, moment, self.scheduled_by()),
            )
            for contact, moment in zip(people, booked, strict=True)
        ]
        if limit == 1 and seeder.chance(0.12):
            event["guests"] = self.guests(people[0], booked[0])
        canceled = seeder.chance(0.08 if limit == 1 else 0.04)
        if canceled:
            moment = seeder.moment_between(booked[-1] + timedelta(minutes=1), horizon)
            by_host = seeder.chance(0.4) or limit > 1
            cancellation = self.cancellation(
                placement.hosts[0].name if by_host else people[0].name, by_host, moment
            )
            event.update(
                status="canceled", cancellation=cancellation, updated_at=cancellation["created_at"]
            )
            for invitee in invitees:
                invitee.update(
                    status="canceled",
                    cancellation=dict(cancellation),
                    updated_at=cancellation["created_at"],
                )
        else:
            # At least one upcoming group session shows an invitee who dropped out.
            upcoming = start >= seeder.day + timedelta(days=1)
            showcase = upcoming and not self.dropped_out
            for number, invitee in enumerate(invitees[1:], start=2):
                if seeder.chance(0.12) or (showcase and number == len(invitees)):
                    self.dropped_out = self.dropped_out or upcoming
                    moment = seeder.moment_between(
                        _parse(invitee["created_at"]) + timedelta(minutes=1), horizon
                    )
                    invitee.update(
                        status="canceled",
                        updated_at=seeder.stamp(moment),
                        cancellation=self.cancellation(invitee["name"], False, moment),
                    )
            if end < seeder.day:
                for invitee in invitees:
                    if invitee["status"] == "active" and seeder.chance(0.06):
                        self.no_show(invitee, end)
            elif seeder.chance(0.05):
                self.reconfirm(invitees[0], booked[0])
        self.locate(event, offering, people[0], start)

    def reschedule_pair(self, offering: Offering, old: Placement, new: Placement) -> None:
        """The invitee moved ``old`` to ``new``: old invitee canceled with ``rescheduled``."""
        seeder = self.seeder
        old_start = self.grid.time(old.start)
        new_start = self.grid.time(new.start)
        moment = self.booked(offering, min(old_start, new_start, seeder.day), 60 * 24 * 7)
        moment = max(moment, offering.created + timedelta(hours=2))
        booked = self.booked(offering, moment, 60 * 24 * 14)
        contact = self.rng.choice(self.contacts)
        first = self.event(offering, old, booked)
        before = seeder.add(
            "invitees",
            make_invitee(seeder, first["id"], offering, contact, booked, self.scheduled_by()),
        )
        cancellation = self.cancellation(
            contact.name, False, moment, self.rng.choice(names.RESCHEDULE_REASONS)
        )
        first.update(
            status="canceled", cancellation=cancellation, updated_at=cancellation["created_at"]
        )
        second = self.event(offering, new, moment)
        after = seeder.add("invitees", dict(before))
        after.update(
            id=seeder.uuid(),
            event=second["id"],
            old_invitee=before["id"],
            created_at=cancellation["created_at"],
            updated_at=cancellation["created_at"],
        )
        before.update(
            status="canceled",
            rescheduled=True,
            new_invitee=after["id"],
            cancellation=dict(cancellation),
            updated_at=cancellation["created_at"],
        )
        end = self.grid.time(new.start + new.length)
        if end < seeder.day and seeder.chance(0.06):
            self.no_show(after, end)
        self.locate(first, offering, contact, old_start)
        self.locate(second, offering, contact, new_start)

    # -- details ---------------------------------------------------------------------------
    def booked(self, offering: Offering, limit: datetime, max_minutes: int) -> datetime:
        """A booking moment before ``limit``, after the event type was created."""
        moment = self.seeder.before(limit, 30, max_minutes)
        return max(moment, offering.created + timedelta(minutes=10))

    def scheduled_by(self) -> str | None:
        return self.rng.choice(self.schedulers) if self.seeder.chance(0.12) else None

    def cancellation(
        self, who: str, by_host: bool, moment: datetime, reason: str | None = None
    ) -> dict[str, Any]:
        if reason is None:
            pool = names.HOST_CANCEL_REASONS if by_host else names.INVITEE_CANCEL_REASONS
            reason = self.rng.choice(pool)
        return {
            "canceled_by": who,
            "reason": reason,
            "canceler_type": "host" if by_host else "invitee",
            "created_at": self.seeder.stamp(moment),
        }

    def guests(self, contact: Contact, booked: datetime) -> list[dict[str, Any]]:
        stamp = self.seeder.stamp(booked)
        domain = contact.email.split("@", 1)[1]
        picked = self.rng.sample(self.contacts, self.rng.randint(1, 2))
        # Colleagues of the invitee, at the same company domain.
        emails = [f"{slugify(p.first)}.{slugify(p.last)}@{domain}" for p in picked]
        emails = [e for e in dict.fromkeys(emails) if e != contact.email]
        return [{"email": e, "created_at": stamp, "updated_at": stamp} for e in emails]

    def no_show(self, invitee: Record, end: datetime) -> None:
        seeder = self.seeder
        latest = min(end + timedelta(days=2), seeder.day - timedelta(minutes=1))
        moment = seeder.moment_between(end + timedelta(minutes=5), latest)
        record = seeder.add(
            "no_shows",
            {
                "id": seeder.ident(),
                "invitee": invitee["id"],
                "created_at": seeder.stamp(moment),
            },
        )
        invitee.update(no_show=record["id"], updated_at=record["created_at"])

    def reconfirm(self, invitee: Record, booked: datetime) -> None:
        seeder = self.seeder
        asked = seeder.moment_between(booked, seeder.day - timedelta(minutes=1))
        confirmed = None
        if seeder.chance(0.6):
            moment = seeder.moment_between(asked, seeder.day - timedelta(minutes=1))
            confirmed = seeder.stamp(moment)
        invitee["reconfirmation"] = {"created_at": seeder.stamp(asked), "confirmed_at": confirmed}


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
