"""Helpers the sandbox tests share: URIs, page walks, error checks, extra store rows, the seed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from desktop.sandbox import SandboxServer
from desktop.sandbox.seed import SeedSummary, generate
from desktop.sandbox.store import Record, Store
from desktop.sandbox.wire import iso

Api = Callable[..., httpx.Client]  # the ``api`` fixture: api("owner"|"admin"|"user"|email)

INVALID_MESSAGE = "The supplied parameters are invalid."
MEMBERSHIP_KEYS = {"uri", "role", "user", "organization", "created_at", "updated_at"}
INVITATION_KEYS = {
    "uri",
    "organization",
    "email",
    "status",
    "created_at",
    "updated_at",
    "last_sent_at",
}
TRACKING_KEYS = {
    "utm_campaign",
    "utm_source",
    "utm_medium",
    "utm_content",
    "utm_term",
    "salesforce_uuid",
}
OTHER_ORG = "OTHERORG00000001"
OTHER_USER = "OTHERUSER0000001"
# The other owner's membership sorts after every seeded id: api("owner") stays the seeded owner.
OTHER_MEMBER = "zzOTHERMEMBER001"
OTHER_EMAIL = "olga@other.example"


# -- URIs ------------------------------------------------------------------------------------
def org_id(sandbox: SandboxServer) -> str:
    """The seeded organization's id."""
    assert sandbox.summary is not None
    return sandbox.summary.organization


def uri(sandbox: SandboxServer, collection: str, ident: str) -> str:
    """``{base}/{collection}/{ident}`` on the sandbox's host."""
    return f"{sandbox.base_url}/{collection}/{ident}"


def org_uri(sandbox: SandboxServer) -> str:
    """The seeded organization's URI."""
    return uri(sandbox, "organizations", org_id(sandbox))


def user_uri(sandbox: SandboxServer, user_id: str) -> str:
    """A user's URI."""
    return uri(sandbox, "users", user_id)


def group_uri(sandbox: SandboxServer, group_id: str) -> str:
    """A group's URI."""
    return uri(sandbox, "groups", group_id)


def membership_uri(sandbox: SandboxServer, ident: str) -> str:
    """An organization membership's URI."""
    return uri(sandbox, "organization_memberships", ident)


def invitee_uri(sandbox: SandboxServer, record: Record) -> str:
    """A stored invitee's URI, under its event."""
    return uri(sandbox, f"scheduled_events/{record['event']}/invitees", record["id"])


# -- HTTP ------------------------------------------------------------------------------------
def plain_client(base_url: str, token: str | None = None) -> httpx.Client:
    """An httpx client on the sandbox without spec validation, with a bearer token if given."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=base_url, headers=headers, timeout=30)


def me(client: httpx.Client) -> dict[str, Any]:
    """The token's user (``/users/me``)."""
    user: dict[str, Any] = client.get("/users/me").json()["resource"]
    return user


def all_pages(
    client: httpx.Client,
    url: str,
    params: Mapping[str, Any],
    *,
    check_count: bool = False,
    check_last_token: bool = False,
) -> list[dict[str, Any]]:
    """Every item of a list, following next_page; every page answers 200 (more checks if asked)."""
    items: list[dict[str, Any]] = []
    response = client.get(url, params=dict(params))
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        if check_count:
            assert body["pagination"]["count"] == len(body["collection"])
        items.extend(body["collection"])
        if body["pagination"]["next_page"] is None:
            if check_last_token:
                assert body["pagination"]["next_page_token"] is None
            return items
        response = client.get(body["pagination"]["next_page"])


def counted_pages(
    client: httpx.Client, url: str, params: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """``all_pages``, checking that each page's pagination count is its number of items."""
    return all_pages(client, url, params, check_count=True)


def bad_parameters(response: httpx.Response, *, check_message: bool = False) -> set[str]:
    """The parameters a 400 "Invalid Argument" names (its message checked too, if asked)."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["title"] == "Invalid Argument"
    if check_message:
        assert body["message"] == INVALID_MESSAGE
    return {item["parameter"] for item in body["details"]}


def parameter_list(response: httpx.Response) -> list[str]:
    """The parameters a 400 names in its details, in order."""
    assert response.status_code == 400, response.text
    return [item["parameter"] for item in response.json()["details"]]


def denied_with(response: httpx.Response, message: str) -> None:
    """Assert a 403 "Permission Denied" with exactly that message."""
    assert response.status_code == 403, response.text
    assert response.json() == {"title": "Permission Denied", "message": message}


def assert_denied(response: httpx.Response) -> None:
    """Assert a 403 "Permission Denied" (any message)."""
    assert response.status_code == 403, response.text
    assert response.json()["title"] == "Permission Denied"


def assert_not_found(response: httpx.Response) -> None:
    """Assert a 404 "Resource Not Found"."""
    assert response.status_code == 404, response.text
    assert response.json()["title"] == "Resource Not Found"


def stored_ids(
    sandbox: SandboxServer, table: str, where: str = "1", params: tuple[Any, ...] = ()
) -> list[str]:
    """Ids of the seeded organization's ``table`` rows matching ``where``, in Calendly's order."""
    found = sandbox.state.store.find(
        table,
        f"organization = ? AND {where}",
        (org_id(sandbox), *params),
        order="created_at ASC, id ASC",
    )
    return [row["id"] for row in found]


def without(mapping: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A copy of ``mapping`` lacking ``key``."""
    return {k: v for k, v in mapping.items() if k != key}


# -- rows put straight into the store ---------------------------------------------------------
def group_record(ident: str, organization: str, name: str, moment: str) -> Record:
    """A groups row created (and last updated) at ``moment``."""
    return {
        "id": ident,
        "organization": organization,
        "name": name,
        "created_at": moment,
        "updated_at": moment,
    }


def relationship_record(
    ident: str,
    organization: str,
    group_id: str,
    owner_type: str,
    owner: str,
    role: str,
    moment: str,
) -> Record:
    """A group_relationships row tying ``owner`` (a membership or invitation id) to a group."""
    return {
        "id": ident,
        "organization": organization,
        "group_id": group_id,
        "owner_type": owner_type,
        "owner": owner,
        "role": role,
        "created_at": moment,
        "updated_at": moment,
    }


def add_other_organization(sandbox: SandboxServer) -> dict[str, Record]:
    """A second organization with one owner (Olga) in the store: its org, user and membership."""
    now = iso(sandbox.state.clock.now())
    org: Record = {
        "id": OTHER_ORG,
        "name": "Other Co",
        "plan": "teams",
        "stage": "paid",
        "kind": "multiple",
        "created_at": now,
        "updated_at": now,
    }
    user: Record = {
        "id": OTHER_USER,
        "organization": OTHER_ORG,
        "name": "Olga Other",
        "slug": "olga-other",
        "email": OTHER_EMAIL,
        "timezone": "Europe/Berlin",
        "avatar_url": None,
        "locale": "de",
        "time_notation": "24h",
        "created_at": now,
        "updated_at": now,
    }
    membership: Record = {
        "id": OTHER_MEMBER,
        "organization": OTHER_ORG,
        "user": OTHER_USER,
        "role": "owner",
        "email": OTHER_EMAIL,
        "created_at": now,
        "updated_at": now,
    }
    store = sandbox.state.store
    store.insert("organizations", org)
    store.insert("users", user)
    store.insert("memberships", membership)
    return {"org": org, "user": user, "membership": membership}


def first_host_has_role(sandbox: SandboxServer, event: Record, role: str | None) -> bool:
    """Whether the event's first host is a member with ``role`` (any host when ``role`` is None)."""
    if role is None:
        return True
    host = sandbox.state.store.find_one("memberships", "user = ?", (event["hosts"][0],))
    return host is not None and host["role"] == role


# -- the seed generator -----------------------------------------------------------------------
ANCHOR = datetime(2026, 3, 10, 13, 45, 12, tzinfo=UTC)  # the window spans both DST changes
# Every location kind an event type may offer; the seed uses them all.
LOCATION_KINDS = {
    "ask_invitee",
    "custom",
    "google_conference",
    "gotomeeting_conference",
    "inbound_call",
    "microsoft_teams_conference",
    "outbound_call",
    "physical",
    "webex_conference",
    "zoom_conference",
}


def seeded(
    seed: int = 7, members: int = 25, events: int = 2000, anchor: datetime = ANCHOR
) -> tuple[Store, SeedSummary]:
    """A freshly generated organization in an in-memory store."""
    store = Store(":memory:")
    with store.transaction():
        summary = generate(store, seed=seed, members=members, events=events, anchor=anchor)
    return store, summary


def rows(store: Store, table: str) -> list[dict[str, Any]]:
    """Every row of ``table``."""
    return store.find(table)


def utc(text: str) -> datetime:
    """A naive ISO date-time (``2026-01-12T09:00``) taken as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def when(stamp: str) -> datetime:
    """A wire timestamp (``...Z``) as an aware datetime."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
