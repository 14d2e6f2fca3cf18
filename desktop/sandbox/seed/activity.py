"""The organization's activity log history (Enterprise): who joined, logged in, invited, changed.

Made from the rows the rest of the seed wrote (members, invitations, groups, event types,
webhooks), plus sign-ins and a few settings changes; everything before the anchor day.
Runs last, so its random draws change nothing else.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from desktop.sandbox.activity import entry
from desktop.sandbox.seed.context import Seeder
from desktop.sandbox.seed.people import Member, People

_METHODS = ("password", "password", "google", "microsoft", "sso")
_AGENTS = (
    "Chrome 124 on macOS",
    "Safari 17 on iOS",
    "Firefox 125 on Windows",
    "Edge 124 on Windows",
    "Chrome 124 on Android",
)
_SETTINGS = (
    ("branding", "Logo updated"),
    ("security", "Single sign-on enforced for all members"),
    ("notifications", "Reminder e-mails turned on"),
    ("data_retention", "Event data kept for 24 months"),
)


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


class _Log:
    def __init__(self, seeder: Seeder, people: People) -> None:
        self.seeder = seeder
        self.people = people
        self.limit = seeder.stamp(seeder.day)
        self.found: list[tuple[str, str, str, Member, dict[str, Any]]] = []

    def add(
        self, moment: datetime | str, actor: Member, name: str, details: dict[str, Any]
    ) -> None:
        stamp = moment if isinstance(moment, str) else self.seeder.stamp(moment)
        if stamp < self.limit:
            namespace, action = name.split(".")
            self.found.append((stamp, namespace, action, actor, details))

    def admin_before(self, moment: datetime) -> Member:
        """An owner or admin who was already a member at ``moment``."""
        admins = [m for m in [self.people.owner, *self.people.admins] if m.joined <= moment]
        return self.seeder.rng.choice(admins or [self.people.owner])

    def save(self) -> None:
        for stamp, namespace, action, actor, details in sorted(self.found, key=lambda f: f[0]):
            self.seeder.add(
                "activity_log",
                entry(
                    self.seeder.ident(),
                    self.people.organization,
                    stamp,
                    namespace,
                    action,
                    actor.user,
                    actor.role,
                    details,
                ),
            )


def make_activity(seeder: Seeder, people: People) -> None:
    log = _Log(seeder, people)
    _members(log)
    _invitations(log)
    _configuration(log)
    _sign_ins(log)
    log.save()


def _members(log: _Log) -> None:
    seeder, people = log.seeder, log.people
    for member in people.members[1:]:
        adder = log.admin_before(member.joined)
        log.add(member.joined, adder, "User.Add", {"email": member.user["email"], "role": "user"})
        if member.role == "admin":
            moment = member.joined + timedelta(days=seeder.rng.randint(1, 30))
            log.add(
                moment,
                log.admin_before(moment),
                "User.RoleChange",
                {"email": member.user["email"], "previous_role": "user", "role": "admin"},
            )
    for group in people.groups:
        created = _when(group["created_at"])
        log.add(created, log.admin_before(created), "Group.Create", {"group": group["name"]})


def _invitations(log: _Log) -> None:
    people = log.people
    by_id = {m.id: m for m in people.members}
    for invitation in log.seeder.rows["invitations"]:
        sent = _when(invitation["created_at"])
        details = {"email": invitation["email"]}
        log.add(sent, log.admin_before(sent), "Invitation.Send", details)
        if invitation["last_sent_at"] != invitation["created_at"]:
            again = _when(invitation["last_sent_at"])
            log.add(again, log.admin_before(again), "Invitation.Resend", details)
        joined = by_id.get(invitation["user"] or "")
        if invitation["status"] == "accepted" and joined is not None:
            log.add(invitation["updated_at"], joined, "Invitation.Accept", details)


def _configuration(log: _Log) -> None:
    seeder, people = log.seeder, log.people
    by_id = {m.id: m for m in people.members}
    for record in seeder.rows["event_types"]:
        created = _when(record["created_at"])
        owner = by_id.get(record["owner"] or "")
        actor = owner if owner is not None else log.admin_before(created)
        details = {"event_type": record["name"], "kind": record["kind"]}
        log.add(created, actor, "EventType.Create", details)
        if record.get("deleted_at"):
            log.add(record["deleted_at"], actor, "EventType.Delete", details)
    for hook in seeder.rows["webhooks"]:
        creator = by_id.get(hook["creator"] or "", people.owner)
        details = {"callback_url": hook["callback_url"], "scope": hook["scope"]}
        made = {**details, "events": hook["events"]}
        log.add(hook["created_at"], creator, "Webhook.Create", made)
        if hook["state"] == "disabled":
            log.add(hook["updated_at"], creator, "Webhook.Disable", details)
    for setting, summary in _SETTINGS:
        moment = seeder.moment_between(seeder.day - timedelta(days=150), seeder.day)
        actor = log.admin_before(moment)
        log.add(moment, actor, "Organization.Update", {"setting": setting, "summary": summary})


def _sign_ins(log: _Log) -> None:
    """A few sign-ins per member over the last 60 days, and the odd failed one."""
    seeder = log.seeder
    rng = seeder.rng
    end = seeder.day - timedelta(minutes=1)
    for number, member in enumerate(log.people.members):
        start = max(member.joined, seeder.day - timedelta(days=60))
        method = rng.choice(_METHODS)
        agent = rng.choice(_AGENTS)
        address = f"203.0.113.{10 + number % 240}"
        for _ in range(rng.randint(2, 8)):
            moment = seeder.moment_between(start, end)
            details = {"ip_address": address, "method": method, "user_agent": agent}
            log.add(moment, member, "User.Login", details)
        if seeder.chance(0.2):
            moment = seeder.moment_between(start, end)
            details = {"ip_address": address, "reason": "invalid_password"}
            log.add(moment, member, "User.LoginFailed", details)
