"""Webhook subscriptions of every scope: some disabled, some retrying, some signed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from desktop.sandbox.seed.context import Seeder
from desktop.sandbox.seed.people import Member, People

_INVITEE = ["invitee.created", "invitee.canceled"]
_NO_SHOW = ["invitee_no_show.created", "invitee_no_show.deleted"]


@dataclass(frozen=True)
class _Hook:
    scope: str
    url: str
    events: list[str]
    state: str  # active|disabled
    retrying: bool  # an active hook in a retry cycle (disabled ones always went through one)
    signed: bool
    creator: Member
    user: str | None = None
    group: str | None = None


def make_webhooks(seeder: Seeder, people: People) -> None:
    rng = seeder.rng
    domain = seeder.domain
    admins = [people.owner, *people.admins]
    hooks = [
        _Hook("organization", f"https://hooks.{domain}/calendly/bookings",
              [*_INVITEE, *_NO_SHOW], "active", False, True, rng.choice(admins)),
        _Hook("organization", f"https://crm-sync.{domain}/webhooks/calendly",
              [*_INVITEE, "routing_form_submission.created"], "active", True, True,
              rng.choice(admins)),
        _Hook("organization", f"https://automation.{domain}/catch/8841/calendly",
              ["invitee.created"], "disabled", False, False, rng.choice(admins)),
    ]  # fmt: skip
    for number, member in enumerate(rng.sample(people.members, min(3, len(people.members)))):
        hooks.append(_Hook(
            "user", f"https://{member.user['slug']}-dev.tunnel.example/calendly",
            [*_INVITEE, *_NO_SHOW] if number == 0 else list(_INVITEE),
            "disabled" if number == 2 else "active", number == 1, number != 2, member,
            user=member.id,
        ))  # fmt: skip
    for number, group in enumerate(people.groups):
        members = people.group_members.get(group["id"]) or [people.owner]
        slug = str(group["name"]).lower().replace(" ", "-")
        hooks.append(_Hook(
            "group", f"https://{slug}-ops.{domain}/calendly", [*_INVITEE, *_NO_SHOW],
            "active" if number == 0 else "disabled", False, number == 0, members[0],
            group=group["id"],
        ))  # fmt: skip
    for hook in hooks:
        _add(seeder, people, hook)


def _add(seeder: Seeder, people: People, hook: _Hook) -> None:
    earliest = max(seeder.day - timedelta(days=200), hook.creator.joined + timedelta(days=1))
    created = seeder.moment_between(earliest, seeder.day - timedelta(days=3))
    updated = created
    retry_started = None
    if hook.state == "disabled":
        # Disabled after a full day of failed retries (facts §6.4).
        retry_started = seeder.moment_between(
            created + timedelta(hours=1), seeder.day - timedelta(hours=25)
        )
        updated = retry_started + timedelta(hours=24)
    elif hook.retrying:
        retry_started = seeder.moment_between(
            max(created, seeder.day - timedelta(hours=20)), seeder.day - timedelta(minutes=10)
        )
        updated = retry_started
    seeder.add("webhooks", {
        "id": seeder.ident(), "organization": people.organization, "scope": hook.scope,
        "user": hook.user, "group_id": hook.group, "callback_url": hook.url,
        "events": hook.events, "state": hook.state,
        "retry_started_at": None if retry_started is None else seeder.stamp(retry_started),
        "creator": hook.creator.id, "signing_key": seeder.token(43) if hook.signed else None,
        "created_at": seeder.stamp(created), "updated_at": seeder.stamp(updated),
    })  # fmt: skip
