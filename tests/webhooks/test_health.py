"""Health rules over subscription snapshots: pure cases, then the sandbox's seeded organization."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from desktop.api import CalendlyClient
from desktop.domain.organizations import MembershipUser, OrganizationMembership
from desktop.domain.webhooks import WebhookSubscription
from desktop.sandbox import SandboxServer
from desktop.webhooks.health import (
    AlertKind,
    FindingKind,
    Severity,
    assess,
    changes,
    disable_deadline,
)
from desktop.webhooks.listing import Listing, Owner, Row, all_subscriptions

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
ORG = "https://api.calendly.com/organizations/ORG"
ADA = "https://api.calendly.com/users/ADA"
BOB = "https://api.calendly.com/users/BOB"
GONE = "https://api.calendly.com/users/GONE"


def hook(
    ident: str,
    *,
    url: str | None = None,
    scope: str = "organization",
    user: str | None = None,
    state: str = "active",
    retrying_for: timedelta | None = None,
    events: tuple[str, ...] = ("invitee.created",),
    creator: str | None = ADA,
) -> WebhookSubscription:
    return WebhookSubscription(
        uri=f"https://api.calendly.com/webhook_subscriptions/{ident}",
        callback_url=url or f"https://hooks.example.com/{ident}",
        state=state,
        scope=scope,
        organization=ORG,
        events=events,
        user=user,
        creator=creator,
        retry_started_at=None if retrying_for is None else NOW - retrying_for,
    )


def member(user: str, name: str) -> OrganizationMembership:
    return OrganizationMembership(
        uri=f"https://api.calendly.com/organization_memberships/{name}",
        role="user",
        organization=ORG,
        user=MembershipUser(uri=user, name=name, email=f"{name.lower()}@example.com"),
    )


MEMBERS = [member(ADA, "Ada"), member(BOB, "Bob")]


def listing(*rows: Row, listed: set[tuple[str, str]] | None = None) -> Listing:
    keys = {row.owner.key for row in rows} if listed is None else listed
    return Listing(ORG, rows, members=tuple(MEMBERS), members_loaded=True, listed=frozenset(keys))


def org_row(subscription: WebhookSubscription) -> Row:
    return Row(subscription, Owner("organization", ORG, "Organization"))


def user_row(subscription: WebhookSubscription, name: str) -> Row:
    assert subscription.user is not None
    return Row(subscription, Owner("user", subscription.user, name, f"{name.lower()}@x.com"))


# -- assess ----------------------------------------------------------------------------------------
def test_a_retrying_subscription_tells_the_time_left_before_it_is_disabled() -> None:
    failing = hook("A", retrying_for=timedelta(hours=20))
    [finding] = assess([failing], MEMBERS, NOW)
    assert finding.kind is FindingKind.RETRYING and finding.severity is Severity.WARNING
    assert finding.deadline == NOW + timedelta(hours=4) == disable_deadline(failing)
    assert "in 4 h 00 min" in finding.text
    assert "2026-05-01 16:00 UTC" in finding.text
    assert failing.callback_url in finding.title and "failing" in finding.title

    [urgent] = assess([hook("B", retrying_for=timedelta(hours=23, minutes=15))], MEMBERS, NOW)
    assert urgent.severity is Severity.CRITICAL and "in 45 min" in urgent.text
    [overdue] = assess([hook("C", retrying_for=timedelta(hours=25))], MEMBERS, NOW)
    assert overdue.severity is Severity.CRITICAL and "next failed delivery" in overdue.text


def test_a_disabled_subscription_offers_a_revive() -> None:
    [finding] = assess([hook("D", state="disabled", retrying_for=timedelta(days=3))], MEMBERS, NOW)
    assert finding.kind is FindingKind.DISABLED and finding.action == "revive"
    assert "disabled" in finding.title and "cannot turn it back on" in finding.text
    assert finding.deadline is None


def test_orphans_of_members_who_left() -> None:
    left_owner = hook("U", scope="user", user=GONE, creator=GONE)
    left_creator = hook("O", creator=GONE)
    fine = hook("F", scope="user", user=BOB, creator=BOB)
    findings = assess([left_owner, left_creator, fine], MEMBERS, NOW)
    by_kind = {f.kind: f for f in findings}
    assert set(by_kind) == {FindingKind.ORPHAN_OWNER, FindingKind.ORPHAN_CREATOR}
    assert by_kind[FindingKind.ORPHAN_OWNER].uris == (left_owner.uri,)
    assert by_kind[FindingKind.ORPHAN_OWNER].action == "delete"
    assert by_kind[FindingKind.ORPHAN_CREATOR].uris == (left_creator.uri,)
    assert by_kind[FindingKind.ORPHAN_CREATOR].severity is Severity.INFO
    # Members given as user URIs work the same; unknown members claim no orphan.
    assert len(assess([left_owner, left_creator], [ADA, BOB], NOW)) == 2
    assert assess([left_owner, left_creator], None, NOW) == []
    partial = Listing(ORG, (org_row(left_creator),), members=(MEMBERS[0],), members_loaded=False)
    assert assess(partial, partial.members, NOW) == []


def test_one_url_subscribed_in_several_scopes_with_shared_events() -> None:
    url = "https://Hooks.Example.com/all"
    org = hook("O1", url=url, events=("invitee.created", "invitee.canceled"))
    ada = hook("U1", url="https://hooks.example.com/all", scope="user", user=ADA)
    other_path = hook("U2", url="https://hooks.example.com/ALL", scope="user", user=BOB)
    rows = [org_row(org), user_row(ada, "Ada"), user_row(other_path, "Bob")]
    [finding] = assess(rows, MEMBERS, NOW)
    assert finding.kind is FindingKind.DUPLICATE_URL
    assert finding.uris == (org.uri, ada.uri)  # the path differs in case: another URL
    assert "2 times" in finding.title
    assert "organization" in finding.text and "user Ada <ada@x.com>" in finding.text
    assert "a meeting was booked" in finding.text
    # No shared event, or a disabled twin: nothing arrives twice.
    canceled_only = hook("U3", url=url, scope="user", user=BOB, events=("invitee.canceled",))
    assert assess([ada, canceled_only], MEMBERS, NOW) == []
    twin = hook("U4", url=url, state="disabled", scope="user", user=BOB)
    assert [f.kind for f in assess([twin, org], None, NOW)] == [FindingKind.DISABLED]


# -- changes ---------------------------------------------------------------------------------------
def test_the_first_look_tells_only_what_is_retrying() -> None:
    current = [hook("R", retrying_for=timedelta(hours=1)), hook("D", state="disabled"), hook("F")]
    [alert] = changes(None, current, NOW)
    assert alert.kind is AlertKind.RETRYING and alert.uri.endswith("/R")
    assert alert.deadline == NOW + timedelta(hours=23)
    assert "in 23 h 00 min" in alert.text


def test_changes_between_two_snapshots() -> None:
    healthy, soon_failing, recovering, doomed = (hook(x) for x in "ABDE")
    before = [
        healthy,
        soon_failing,
        hook("C", retrying_for=timedelta(hours=23)),
        hook("D", retrying_for=timedelta(hours=2)),
        doomed,
    ]
    after = [
        healthy,
        hook("B", retrying_for=timedelta(minutes=5)),
        hook("C", state="disabled", retrying_for=timedelta(hours=24, minutes=1)),
        recovering,
    ]
    alerts = {alert.uri.rsplit("/", 1)[1]: alert for alert in changes(before, after, NOW)}
    assert {k: a.kind for k, a in alerts.items()} == {
        "B": AlertKind.RETRYING,
        "C": AlertKind.DISABLED,
        "D": AlertKind.RECOVERED,
        "E": AlertKind.DELETED,
    }
    assert "in 23 h 55 min" in alerts["B"].text
    assert alerts["C"].action == "revive" and alerts["C"].severity is Severity.CRITICAL
    assert "410 Gone" in alerts["E"].text
    assert alerts["E"].subscription == doomed
    assert all(a.title and a.text for a in alerts.values())
    # Unchanged snapshots say nothing; a retry cycle still running is not news twice.
    assert changes(after, after, NOW + timedelta(minutes=5)) == []
    # A subscription the app deleted itself is expected to be gone.
    assert [a.kind for a in changes(before, after, NOW, expected_gone={doomed.uri})] == [
        AlertKind.RETRYING,
        AlertKind.DISABLED,
        AlertKind.RECOVERED,
    ]


def test_a_restarted_retry_cycle_is_news_again() -> None:
    first = hook("A", retrying_for=timedelta(hours=10))
    second = hook("A", retrying_for=timedelta(minutes=1))  # recovered, then failed again
    [alert] = changes([first], [second], NOW)
    assert alert.kind is AlertKind.RETRYING


def test_a_missing_owner_is_no_news_and_a_member_who_left_takes_their_subscriptions() -> None:
    org_hook = hook("O")
    bobs = hook("B", scope="user", user=BOB)
    gones = hook("G", scope="user", user=GONE)
    before = listing(org_row(org_hook), user_row(bobs, "Bob"), user_row(gones, "Gone"))
    # Bob's list failed this time and GONE is no longer a member: only GONE's is news.
    after = listing(org_row(org_hook), listed={("organization", ORG)})
    [alert] = changes(before, after, NOW)
    assert alert.kind is AlertKind.DELETED and alert.uri == gones.uri
    assert "left the organization" in alert.text
    assert "user Gone <gone@x.com>" in alert.title
    # Once Bob's list is read again without it, it is news.
    read = listing(org_row(org_hook), listed={("organization", ORG), ("user", BOB)})
    assert {a.uri for a in changes(before, read, NOW)} == {bobs.uri, gones.uri}


# -- the sandbox's organization ----------------------------------------------------------------
@pytest.mark.asyncio
async def test_the_seeded_organization_shows_retrying_disabled_and_orphaned_subscriptions(
    sandbox: SandboxServer,
    client: CalendlyClient,
    client_for: Callable[..., CalendlyClient],
    organization_uri: str,
) -> None:
    admin = client_for("admin")
    made = await admin.webhooks.create(
        url="https://ops.example.com/admin-made",
        events=["invitee.created"],
        organization=organization_uri,
        scope="organization",
    )
    admin_me = await admin.users.me()
    [membership] = [
        m
        async for m in client.memberships.iterate(organization=organization_uri, user=admin_me.uri)
    ]
    await client.memberships.remove(membership.uri)  # the admin leaves; the subscription stays

    snapshot = await all_subscriptions(client, organization_uri)
    findings = assess(snapshot, snapshot.members, sandbox.state.clock.now())
    kinds = {(f.kind, u) for f in findings for u in f.uris}
    store = sandbox.state.store
    for record in store.find("webhooks", "1"):
        uri = f"{sandbox.base_url}/webhook_subscriptions/{record['id']}"
        if record["state"] == "disabled":
            assert (FindingKind.DISABLED, uri) in kinds
        elif record["retry_started_at"]:
            assert (FindingKind.RETRYING, uri) in kinds
    assert (FindingKind.ORPHAN_CREATOR, made.uri) in kinds
    retrying = [f for f in findings if f.kind is FindingKind.RETRYING]
    assert retrying and all(f.deadline is not None for f in retrying)
    assert all(f.deadline > sandbox.state.clock.now() for f in retrying if f.deadline)
    # Titles name the owner the way the table does.
    group_names = {g.name for g in snapshot.groups}
    assert any(any(name in f.title for name in group_names) for f in findings)
