"""Pure rules over subscription snapshots: what needs attention now, and what changed since.

Calendly retries a failing subscription for 24 hours from ``retry_started_at`` and then
disables it for good (facts §6.4); a receiver answering 410 Gone deletes it at once. These
rules turn two snapshots (and the clock) into plain-English findings and alerts.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeAlias
from urllib.parse import urlsplit

from desktop.domain.organizations import OrganizationMembership
from desktop.domain.webhooks import WebhookSubscription
from desktop.webhooks.listing import Listing, Owner, Row
from desktop.webhooks.scopes import label

RETRY_WINDOW = timedelta(hours=24)
URGENT = timedelta(hours=2)  # a retrying subscription this close to being disabled is critical

Snapshot: TypeAlias = Listing | Iterable[Row | WebhookSubscription]
Members: TypeAlias = Iterable[OrganizationMembership | str]


class Severity(enum.Enum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class FindingKind(enum.Enum):
    RETRYING = "retrying"
    DISABLED = "disabled"
    ORPHAN_OWNER = "orphan owner"  # a user subscription whose user left
    ORPHAN_CREATOR = "orphan creator"  # created by someone who left
    DUPLICATE_URL = "duplicate url"


class AlertKind(enum.Enum):
    RETRYING = "retrying"
    DISABLED = "disabled"
    RECOVERED = "recovered"
    DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class Finding:
    """Something about the current subscriptions worth a person's attention."""

    kind: FindingKind
    severity: Severity
    title: str
    text: str
    uris: tuple[str, ...]
    deadline: datetime | None = None  # when Calendly disables it (retrying)
    action: str | None = None  # "revive" | "delete": what the page can offer


@dataclass(frozen=True, slots=True)
class Alert:
    """A change between two snapshots (what the watcher tells)."""

    kind: AlertKind
    severity: Severity
    title: str
    text: str
    uri: str
    subscription: WebhookSubscription
    deadline: datetime | None = None
    action: str | None = None


@dataclass(frozen=True, slots=True)
class _View:
    subscriptions: dict[str, WebhookSubscription]
    owners: dict[str, Owner]
    listing: Listing | None


def _view(snapshot: Snapshot) -> _View:
    listing = snapshot if isinstance(snapshot, Listing) else None
    items = snapshot.rows if isinstance(snapshot, Listing) else snapshot
    subscriptions: dict[str, WebhookSubscription] = {}
    owners: dict[str, Owner] = {}
    for item in items:
        if isinstance(item, Row):
            subscriptions[item.uri] = item.subscription
            owners[item.uri] = item.owner
        else:
            subscriptions[item.uri] = item
    return _View(subscriptions, owners, listing)


def _whose(subscription: WebhookSubscription, owner: Owner | None) -> str:
    """ "organization", "group Sales", "user Ada <ada@x>" (the scope alone if unknown)."""
    if owner is None or owner.scope == "organization":
        return subscription.scope
    return owner.label if owner.scope == "group" else f"user {owner.label}"


def _name(subscription: WebhookSubscription, owner: Owner | None) -> str:
    """ "https://x/y (organization)", "https://x/y (group Sales)"."""
    return f"{subscription.callback_url} ({_whose(subscription, owner)})"


def disable_deadline(subscription: WebhookSubscription) -> datetime | None:
    """When Calendly disables a retrying subscription unless a delivery succeeds first."""
    if not subscription.is_active or subscription.retry_started_at is None:
        return None
    return subscription.retry_started_at + RETRY_WINDOW


def duration_text(span: timedelta) -> str:
    """ "3 h 05 min", "12 min", "less than a minute"."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        return f"{minutes} min"
    return f"{hours} h {minutes:02d} min"


def moment_text(moment: datetime) -> str:
    """ "2026-05-01 14:03 UTC" (the UI may show its own local form from the datetime)."""
    if moment.utcoffset() == timedelta(0):
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M %z")


def _retrying_text(subscription: WebhookSubscription, now: datetime) -> tuple[str, Severity]:
    deadline = disable_deadline(subscription)
    assert deadline is not None and subscription.retry_started_at is not None
    since = moment_text(subscription.retry_started_at)
    left = deadline - now
    if left <= timedelta(0):
        return (
            f"Deliveries have failed since {since}, more than 24 hours ago: Calendly disables "
            "it at its next failed delivery. Fix the receiver now.",
            Severity.CRITICAL,
        )
    return (
        f"Deliveries have failed since {since}. Calendly keeps retrying for 24 hours and "
        f"disables it at about {moment_text(deadline)} (in {duration_text(left)}) unless a "
        "delivery succeeds first. Check that the receiver answers with a 2xx status.",
        Severity.CRITICAL if left <= URGENT else Severity.WARNING,
    )


def _member_uris(members: Members | None) -> set[str] | None:
    if members is None:
        return None
    return {m.user.uri if isinstance(m, OrganizationMembership) else m for m in members}


def _url_key(url: str) -> str:
    """Scheme and host compared without case (as HTTP does); path and query exactly."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()


def assess(subscriptions: Snapshot, members: Members | None, now: datetime) -> list[Finding]:
    """What needs attention: retrying (with the time left), disabled (offer to revive),
    orphaned by a member who left, and one callback URL subscribed more than once.

    ``members`` are the organization's memberships or user URIs, or None when unknown (no
    orphan is then claimed; likewise for a ``Listing`` whose members did not load).
    """
    view = _view(subscriptions)
    if view.listing is not None and not view.listing.members_loaded:
        members = None
    present = _member_uris(members)
    findings: list[Finding] = []
    for uri, sub in view.subscriptions.items():
        name = _name(sub, view.owners.get(uri))
        if sub.is_failing:
            text, severity = _retrying_text(sub, now)
            findings.append(
                Finding(
                    FindingKind.RETRYING,
                    severity,
                    f"Deliveries to {name} are failing",
                    text,
                    (uri,),
                    disable_deadline(sub),
                )
            )
        elif not sub.is_active:
            findings.append(
                Finding(
                    FindingKind.DISABLED,
                    Severity.WARNING,
                    f"{name} is disabled",
                    "Calendly disabled this subscription after a day of failed deliveries; "
                    "it sends it nothing now and cannot turn it back on. Revive it to create "
                    "it again with the same URL and events.",
                    (uri,),
                    action="revive",
                )
            )
        if present is None:
            continue
        if sub.scope == "user" and sub.user and sub.user not in present:
            findings.append(
                Finding(
                    FindingKind.ORPHAN_OWNER,
                    Severity.WARNING,
                    f"{name} belongs to a former member",
                    "Its user is no longer a member of the organization, and Calendly stops a "
                    "user's subscriptions when they leave. Delete it, or create an "
                    "organization subscription if the events are still needed.",
                    (uri,),
                    action="delete",
                )
            )
        elif sub.creator and sub.creator not in present:
            findings.append(
                Finding(
                    FindingKind.ORPHAN_CREATOR,
                    Severity.INFO,
                    f"{name} was created by a former member",
                    "Whoever created it is no longer a member of the organization. It keeps "
                    "working, but deliveries still name them as created_by and no current "
                    "member may know what it feeds.",
                    (uri,),
                )
            )
    findings.extend(_duplicates(view))
    return findings


def _duplicates(view: _View) -> list[Finding]:
    by_url: dict[str, list[str]] = {}
    for uri, sub in view.subscriptions.items():
        if sub.is_active:
            by_url.setdefault(_url_key(sub.callback_url), []).append(uri)
    findings: list[Finding] = []
    for uris in by_url.values():
        if len(uris) < 2:
            continue
        subs = [view.subscriptions[u] for u in uris]
        pairs = [(a, b) for i, a in enumerate(subs) for b in subs[i + 1 :]]
        shared = sorted({e for a, b in pairs for e in a.events if e in b.events})
        if not shared:
            continue
        owners = "; ".join(_whose(view.subscriptions[u], view.owners.get(u)) for u in uris)
        events = ", ".join(label(e).lower() for e in shared)
        findings.append(
            Finding(
                FindingKind.DUPLICATE_URL,
                Severity.WARNING,
                f"{subs[0].callback_url} is subscribed {len(uris)} times",
                f"The same callback URL is subscribed for {owners}. Events in more than one "
                f"of them ({events}) can reach the receiver more than once; keep one "
                "subscription, or make the receiver ignore repeats.",
                tuple(uris),
            )
        )
    return findings


def changes(
    previous: Snapshot | None,
    current: Snapshot,
    now: datetime,
    *,
    expected_gone: Collection[str] = (),
) -> list[Alert]:
    """What changed from ``previous`` to ``current``: entered retrying (with the time left),
    disabled, recovered, deleted. With no ``previous`` (the first look), only the
    subscriptions retrying now are told: they are the ones with a deadline.

    A subscription missing from ``current`` counts as deleted only when ``current`` read its
    owner (a partial listing proves nothing) or its user has left the organization;
    ``expected_gone`` are URIs the app itself deleted (not news).
    """
    after = _view(current)
    before = _view(previous) if previous is not None else None
    alerts: list[Alert] = []
    for uri, sub in after.subscriptions.items():
        old = before.subscriptions.get(uri) if before is not None else None
        name = _name(sub, after.owners.get(uri))
        started = old is None or not old.is_failing or old.retry_started_at != sub.retry_started_at
        if sub.is_failing and started:
            text, severity = _retrying_text(sub, now)
            alerts.append(
                Alert(
                    AlertKind.RETRYING,
                    severity,
                    f"Deliveries to {name} are failing",
                    text,
                    uri,
                    sub,
                    disable_deadline(sub),
                )
            )
        elif old is None:
            continue
        elif not sub.is_active and old.is_active:
            alerts.append(
                Alert(
                    AlertKind.DISABLED,
                    Severity.CRITICAL,
                    f"{name} was disabled",
                    "Calendly gave up after 24 hours of failed deliveries and disabled this "
                    "subscription; nothing is sent to it any more. Fix the receiver, then "
                    "revive the subscription.",
                    uri,
                    sub,
                    action="revive",
                )
            )
        elif sub.is_active and sub.retry_started_at is None and old.is_failing:
            alerts.append(
                Alert(
                    AlertKind.RECOVERED,
                    Severity.INFO,
                    f"Deliveries to {name} work again",
                    "A delivery succeeded, so Calendly stopped counting down to disabling it.",
                    uri,
                    sub,
                )
            )
    if before is None:
        return alerts
    present = _gone_members(after)
    for uri, old in before.subscriptions.items():
        if uri in after.subscriptions or uri in expected_gone:
            continue
        name = _name(old, before.owners.get(uri))
        left = old.scope == "user" and present is not None and old.user not in present
        if left:
            text = (
                "Its user left the organization, and Calendly deleted their subscriptions "
                "with them."
            )
        elif after.listing is None or after.listing.was_listed(old):
            text = (
                "It is no longer in Calendly. A receiver answering 410 Gone makes Calendly "
                "delete the subscription at once; someone may also have deleted it."
            )
        else:
            continue  # its owner could not be read this time: no news either way
        alerts.append(
            Alert(AlertKind.DELETED, Severity.WARNING, f"{name} was deleted", text, uri, old)
        )
    return alerts


def _gone_members(view: _View) -> set[str] | None:
    listing = view.listing
    if listing is None or not listing.members_loaded:
        return None
    return {m.user.uri for m in listing.members}
