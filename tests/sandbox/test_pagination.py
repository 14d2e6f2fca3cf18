"""Calendly's pagination on real lists: count bounds, page tokens both ways, next_page URLs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from desktop.sandbox import SandboxServer
from desktop.sandbox.routes import ROUTES
from tests.sandbox import spec
from tests.sandbox.helpers import org_uri, parameter_list


@dataclass(frozen=True)
class Listing:
    """A paginated collection and how to ask for all of the organization's rows."""

    path: str
    table: str  # the store table holding its rows (records.py), to count them
    sort: str | None  # an explicit sort both ways, when the operation has one
    order_key: str  # the field the default (or explicit ascending) order follows
    short_page: int  # a count that makes a few pages of the seeded rows

    def query(self, sandbox: SandboxServer) -> dict[str, str]:
        return {"organization": org_uri(sandbox)}


LISTINGS = [
    Listing("/organization_memberships", "memberships", None, "created_at", 9),
    Listing("/scheduled_events", "scheduled_events", "start_time:asc", "start_time", 70),
]


def _served(path: str) -> bool:
    return any(getattr(route, "path", None) == path for route in ROUTES)


PARAMS = [
    pytest.param(
        listing,
        id=listing.path.strip("/"),
        marks=[] if _served(listing.path) else [pytest.mark.skip(reason="route not served yet")],
    )
    for listing in LISTINGS
]


@pytest.fixture
def owner(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """The owner sees the whole organization; every response is checked against the spec."""
    with spec.client(sandbox.base_url, sandbox.token_for("owner")) as client:
        yield client


def total(sandbox: SandboxServer, listing: Listing) -> int:
    assert sandbox.summary is not None
    return sandbox.state.store.count(
        listing.table, "organization = ?", (sandbox.summary.organization,)
    )


def page(client: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params={k: v for k, v in params.items() if v is not None})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["pagination"]["count"] == len(body["collection"])
    return body


def walk(
    client: httpx.Client, listing: Listing, query: dict[str, str], count: int
) -> list[dict[str, Any]]:
    """Every page from the first, following next_page_token."""
    pages = [page(client, listing.path, **query, sort=listing.sort, count=count)]
    while pages[-1]["pagination"]["next_page_token"]:
        token = pages[-1]["pagination"]["next_page_token"]
        pages.append(
            page(client, listing.path, **query, sort=listing.sort, count=count, page_token=token)
        )
        assert len(pages) < 100, "the walk does not end"
    return pages


def uris(pages: list[dict[str, Any]]) -> list[str]:
    return [row["uri"] for body in pages for row in body["collection"]]


@pytest.mark.parametrize("listing", PARAMS)
@pytest.mark.parametrize("count", ["0", "101", "x", "-3", "2.5"])
def test_count_outside_1_to_100_is_refused_naming_count(
    sandbox: SandboxServer, owner: httpx.Client, listing: Listing, count: str
) -> None:
    response = owner.get(listing.path, params={**listing.query(sandbox), "count": count})
    assert parameter_list(response) == ["count"]
    assert response.json()["title"] == "Invalid Argument"


@pytest.mark.parametrize("listing", PARAMS)
def test_count_bounds_and_default(
    sandbox: SandboxServer, owner: httpx.Client, listing: Listing
) -> None:
    rows = total(sandbox, listing)
    assert rows > 20, "the seed should give more rows than one default page"
    query = listing.query(sandbox)
    assert len(page(owner, listing.path, **query)["collection"]) == 20
    assert len(page(owner, listing.path, **query, count=1)["collection"]) == 1
    assert len(page(owner, listing.path, **query, count=100)["collection"]) == min(100, rows)


@pytest.mark.parametrize("listing", PARAMS)
def test_walking_next_tokens_gives_every_row_once_in_order(
    sandbox: SandboxServer, owner: httpx.Client, listing: Listing
) -> None:
    pages = walk(owner, listing, listing.query(sandbox), count=30)
    seen = uris(pages)
    assert len(seen) == len(set(seen)) == total(sandbox, listing)
    keys = [row[listing.order_key] for body in pages for row in body["collection"]]
    assert keys == sorted(keys)
    first, last = pages[0]["pagination"], pages[-1]["pagination"]
    assert first["previous_page"] is None and first["previous_page_token"] is None
    assert last["next_page"] is None and last["next_page_token"] is None
    assert all(len(body["collection"]) == 30 for body in pages[:-1])


@pytest.mark.parametrize("listing", PARAMS)
def test_previous_tokens_walk_back_over_the_same_pages(
    sandbox: SandboxServer, owner: httpx.Client, listing: Listing
) -> None:
    query = listing.query(sandbox)
    forward = walk(owner, listing, query, count=listing.short_page)
    assert len(forward) >= 3
    backward = [forward[-1]]
    while backward[-1]["pagination"]["previous_page_token"]:
        token = backward[-1]["pagination"]["previous_page_token"]
        backward.append(
            page(
                owner,
                listing.path,
                **query,
                sort=listing.sort,
                count=listing.short_page,
                page_token=token,
            )
        )
        assert len(backward) <= len(forward)
    assert [uris([b]) for b in reversed(backward)] == [uris([f]) for f in forward]


@pytest.mark.parametrize("listing", PARAMS)
def test_next_page_is_a_full_url_repeating_the_query_that_works(
    sandbox: SandboxServer, owner: httpx.Client, listing: Listing
) -> None:
    query = listing.query(sandbox)
    first = page(owner, listing.path, **query, sort=listing.sort, count=5)
    link = first["pagination"]["next_page"]
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{sandbox.base_url}{listing.path}"
    repeated = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert repeated["page_token"] == first["pagination"]["next_page_token"]
    assert repeated["count"] == "5"
    for name, value in query.items():
        assert repeated[name] == value
    if listing.sort:
        assert repeated["sort"] == listing.sort
    followed = owner.get(link)
    assert followed.status_code == 200
    by_token = page(
        owner,
        listing.path,
        **query,
        sort=listing.sort,
        count=5,
        page_token=first["pagination"]["next_page_token"],
    )
    assert uris([followed.json()]) == uris([by_token])
    back = followed.json()["pagination"]["previous_page"]
    assert uris([owner.get(back).json()]) == uris([first])


@pytest.mark.parametrize("listing", PARAMS)
@pytest.mark.parametrize(
    "spoil",
    [
        lambda token: "garbage!!",
        lambda token: token[: len(token) // 2],
        lambda token: token[::-1],
    ],
    ids=["garbage", "truncated", "reversed"],
)
def test_a_spoiled_page_token_is_refused_naming_it(
    sandbox: SandboxServer,
    owner: httpx.Client,
    listing: Listing,
    spoil: Callable[[str], str],
) -> None:
    query = listing.query(sandbox)
    token = page(owner, listing.path, **query, count=3)["pagination"]["next_page_token"]
    response = owner.get(listing.path, params={**query, "count": 3, "page_token": spoil(token)})
    assert parameter_list(response) == ["page_token"]


def test_a_token_reused_with_another_sort_is_refused(
    sandbox: SandboxServer, owner: httpx.Client
) -> None:
    if not _served("/scheduled_events"):
        pytest.skip("route not served yet")
    query = LISTINGS[1].query(sandbox)
    first = page(owner, "/scheduled_events", **query, sort="start_time:asc", count=10)
    token = first["pagination"]["next_page_token"]
    response = owner.get(
        "/scheduled_events", params={**query, "sort": "start_time:desc", "page_token": token}
    )
    assert parameter_list(response) == ["page_token"]


def test_descending_walk_is_the_ascending_one_reversed(
    sandbox: SandboxServer, owner: httpx.Client
) -> None:
    if not _served("/scheduled_events"):
        pytest.skip("route not served yet")
    listing = LISTINGS[1]
    query = listing.query(sandbox)
    ascending = uris(walk(owner, listing, query, count=100))
    descending = Listing(listing.path, listing.table, "start_time:desc", listing.order_key, 100)
    backwards = walk(owner, descending, query, count=100)
    keys = [row["start_time"] for body in backwards for row in body["collection"]]
    assert keys == sorted(keys, reverse=True)
    assert sorted(uris(backwards)) == sorted(ascending)
