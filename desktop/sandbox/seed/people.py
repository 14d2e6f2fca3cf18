"""The organization, its members, invitations, groups and group relationships."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from desktop.sandbox.seed import names
from desktop.sandbox.seed.context import Record, Seeder, slugify


@dataclass
class Member:
    """One member as the rest of the seed needs it."""

    user: Record
    membership: Record
    role: str
    first: str
    last: str
    city: str
    joined: datetime

    @property
    def id(self) -> str:
        return str(self.user["id"])

    @property
    def name(self) -> str:
        return str(self.user["name"])

    @property
    def timezone(self) -> str:
        return str(self.user["timezone"])


@dataclass
class People:
    organization: str
    members: list[Member]
    invitations: list[Record] = field(default_factory=list)
    groups: list[Record] = field(default_factory=list)
    group_members: dict[str, list[Member]] = field(default_factory=dict)

    @property
    def owner(self) -> Member:
        return self.members[0]

    @property
    def admins(self) -> list[Member]:
        return [m for m in self.members if m.role == "admin"]

    def by_id(self, user_id: str) -> Member:
        for member in self.members:
            if member.id == user_id:
                return member
        raise KeyError(user_id)


# Weighted towards the Americas and Europe, as a US-headquartered company would be.
_ZONE_WEIGHTS = (9, 5, 3, 7, 3, 2, 2, 6, 2, 3, 3, 2, 1, 1, 3, 2, 1, 2, 1)


def _zone(seeder: Seeder, index: int) -> tuple[str, str, str, str]:
    if index == 0:
        return names.ZONES[0]
    return seeder.rng.choices(names.ZONES, weights=_ZONE_WEIGHTS)[0]


def make_people(seeder: Seeder, count: int) -> People:
    rng = seeder.rng
    org_id = seeder.ident()
    created = seeder.stamp(seeder.org_created)
    seeder.add(
        "organizations",
        {
            "id": org_id,
            "name": seeder.org_name,
            "plan": "enterprise",
            "stage": "paid",
            "kind": "multiple",
            "created_at": created,
            "updated_at": seeder.stamp(seeder.before(seeder.day, 60 * 24 * 20, 60 * 24 * 200)),
        },
    )
    total = max(count, 3)
    admins = max(1, round(total * 0.12))
    combos = rng.sample(range(len(names.FIRST_NAMES) * len(names.LAST_NAMES)), total + 12)
    people = People(org_id, [])
    used_slugs: set[str] = set()
    used_emails: set[str] = set()
    latest_join = seeder.day - timedelta(days=45)
    for index in range(total):
        first = names.FIRST_NAMES[combos[index] % len(names.FIRST_NAMES)]
        last = names.LAST_NAMES[combos[index] // len(names.FIRST_NAMES)]
        zone, locale, notation, city = _zone(seeder, index)
        role = "owner" if index == 0 else ("admin" if index <= admins else "user")
        joined = (
            seeder.org_created
            if index == 0
            else seeder.moment_between(seeder.org_created + timedelta(days=2), latest_join)
        )
        slug = _unique(slugify(f"{first} {last}"), used_slugs, "-")
        email = _unique(f"{slugify(first)}.{slugify(last)}", used_emails, "") + f"@{seeder.domain}"
        avatar = f"https://avatars.{seeder.domain}/{slug}.png" if seeder.chance(0.6) else None
        stamp = seeder.stamp(joined)
        user = seeder.add(
            "users",
            {
                "id": seeder.ident(),
                "organization": org_id,
                "name": f"{first} {last}",
                "slug": slug,
                "email": email,
                "timezone": zone,
                "avatar_url": avatar,
                "locale": locale,
                "time_notation": notation,
                "created_at": stamp,
                "updated_at": seeder.stamp(seeder.moment_between(joined, latest_join))
                if index and seeder.chance(0.5)
                else stamp,
            },
        )
        membership = seeder.add(
            "memberships",
            {
                "id": seeder.ident(),
                "organization": org_id,
                "user": user["id"],
                "role": role,
                "email": email,
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
        people.members.append(Member(user, membership, role, first, last, city, joined))
    _invitations(seeder, people, combos[total:], used_emails)
    _groups(seeder, people)
    return people


def _unique(base: str, used: set[str], joiner: str) -> str:
    candidate, number = base, 2
    while candidate in used:
        candidate = f"{base}{joiner}{number}"
        number += 1
    used.add(candidate)
    return candidate


def _invitations(seeder: Seeder, people: People, combos: list[int], used: set[str]) -> None:
    """Pending invitations to newcomers, accepted ones for recent joiners, a few declined."""
    total = len(people.members)
    pending = max(2, total // 5)
    declined = max(1, total // 12)
    newcomers = combos[: pending + declined]
    for number, combo in enumerate(newcomers):
        first = names.FIRST_NAMES[combo % len(names.FIRST_NAMES)]
        last = names.LAST_NAMES[combo // len(names.FIRST_NAMES)]
        local = _unique(f"{slugify(first)}.{slugify(last)}", used, "")
        status = "pending" if number < pending else "declined"
        sent = seeder.before(seeder.day, 60, 60 * 24 * 40)
        last_sent = sent
        if status == "pending" and seeder.chance(0.3):
            last_sent = seeder.moment_between(sent, seeder.day - timedelta(minutes=5))
        updated = (
            last_sent
            if status == "pending"
            else seeder.moment_between(sent, seeder.day - timedelta(minutes=5))
        )
        people.invitations.append(
            seeder.add(
                "invitations",
                {
                    "id": seeder.ident(),
                    "organization": people.organization,
                    "email": f"{local}@{seeder.domain}",
                    "status": status,
                    "user": None,
                    "last_sent_at": seeder.stamp(last_sent),
                    "created_at": seeder.stamp(sent),
                    "updated_at": seeder.stamp(updated),
                },
            )
        )
    # The most recent joiners came in through an invitation they accepted.
    recent = sorted(people.members[1:], key=lambda m: m.joined)[-max(1, total // 8) :]
    for member in recent:
        sent = member.joined - timedelta(hours=seeder.rng.randint(2, 72))
        people.invitations.append(
            seeder.add(
                "invitations",
                {
                    "id": seeder.ident(),
                    "organization": people.organization,
                    "email": member.user["email"],
                    "status": "accepted",
                    "user": member.id,
                    "last_sent_at": seeder.stamp(sent),
                    "created_at": seeder.stamp(sent),
                    "updated_at": seeder.stamp(member.joined),
                },
            )
        )


def _groups(seeder: Seeder, people: People) -> None:
    """Two groups: members (a couple of them group admins) and one invited newcomer."""
    rng = seeder.rng
    members = people.members
    pool = list(members[1:])
    rng.shuffle(pool)
    size = max(2, len(members) * 2 // 5)
    splits = [pool[:size], pool[size : size + max(2, len(members) // 3)]]
    if not splits[1]:
        splits[1] = pool[:2]
    pending = [i for i in people.invitations if i["status"] == "pending"]
    for number, group_name in enumerate(names.GROUP_NAMES[:2]):
        created = seeder.moment_between(
            seeder.org_created + timedelta(days=10), seeder.day - timedelta(days=60)
        )
        group = seeder.add(
            "groups",
            {
                "id": seeder.ident(),
                "organization": people.organization,
                "name": group_name,
                "created_at": seeder.stamp(created),
                "updated_at": seeder.stamp(seeder.moment_between(created, seeder.day)),
            },
        )
        people.groups.append(group)
        chosen = splits[number]
        if number == 0:
            chosen = [people.owner, *chosen]
        people.group_members[group["id"]] = chosen
        admin_count = 1 if len(chosen) < 6 else 2
        for position, member in enumerate(chosen):
            joined = max(created, member.joined) + timedelta(hours=rng.randint(1, 200))
            stamp = seeder.stamp(min(joined, seeder.day - timedelta(hours=1)))
            seeder.add(
                "group_relationships",
                {
                    "id": seeder.ident(),
                    "organization": people.organization,
                    "group_id": group["id"],
                    "owner_type": "membership",
                    "owner": member.membership["id"],
                    "role": "admin" if position < admin_count else "member",
                    "created_at": stamp,
                    "updated_at": stamp,
                },
            )
        if number < len(pending):
            invitation = pending[number]
            stamp = invitation["created_at"]
            seeder.add(
                "group_relationships",
                {
                    "id": seeder.ident(),
                    "organization": people.organization,
                    "group_id": group["id"],
                    "owner_type": "invitation",
                    "owner": invitation["id"],
                    "role": "member",
                    "created_at": stamp,
                    "updated_at": stamp,
                },
            )
