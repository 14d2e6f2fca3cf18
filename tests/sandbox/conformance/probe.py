"""The probe conformance cases drive: validated requests on one seeded sandbox, and a registry.

``CASES`` maps an operation label (``"GET /users/{uuid}"``, as in the spec) to a function that
drives it through a ``Probe``; every response is validated against the spec and its status
asserted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from desktop.sandbox import SandboxServer
from tests.sandbox import spec
from tests.sandbox.helpers import plain_client

UNKNOWN = "NOSUCHTHING00000"  # a well-formed id nothing has
FOREIGN_ORG = "FOREIGNORG000000"  # an organization that is not the caller's


class Probe:
    """Requests on one sandbox for one operation, each validated and its status asserted."""

    def __init__(self, sandbox: SandboxServer, operation: spec.Operation) -> None:
        assert sandbox.summary is not None
        self.sandbox = sandbox
        self.operation = operation
        self.store = sandbox.state.store
        self.base = sandbox.base_url
        self.summary = sandbox.summary
        self.org_id = sandbox.summary.organization
        self.org = f"{self.base}/organizations/{self.org_id}"
        self.foreign_org = f"{self.base}/organizations/{FOREIGN_ORG}"
        self.owner = f"{self.base}/users/{sandbox.summary.owner}"
        self.statuses: set[int] = set()
        self._clients: dict[str, httpx.Client] = {}

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def client(self, who: str | None) -> httpx.Client:
        key = who or ""
        if key not in self._clients:
            token = self.sandbox.token_for(who) if who else None
            self._clients[key] = plain_client(self.base, token)
        return self._clients[key]

    def call(
        self, expect: int, method: str, url: str, who: str | None = "owner", **options: Any
    ) -> httpx.Response:
        """One request of the operation under test: status asserted, body validated."""
        response = self.client(who).request(method, url, **options)
        found = spec.find_operation(method, response.request.url.path)
        assert found == self.operation, (
            f"{method} {url} is {found.label if found else 'no operation'}, "
            f"not {self.operation.label}: the case must drive its own operation"
        )
        assert response.status_code == expect, (
            f"{method} {response.request.url} as {who}: expected {expect}, "
            f"got {response.status_code}: {response.text[:500]}"
        )
        spec.validate(response)
        self.statuses.add(expect)
        return response

    def refused(
        self, expect: int, parameter: str | None, method: str, url: str, **options: Any
    ) -> dict[str, Any]:
        """An error answer; a 400 must name ``parameter`` among its details."""
        body: dict[str, Any] = self.call(expect, method, url, **options).json()
        if parameter is not None:
            named = [d.get("parameter") for d in body.get("details", [])]
            assert parameter in named, f"{url}: the 400 names {named}, not {parameter!r}"
        return body

    def read(self, collection: str, ident: str) -> httpx.Response:
        """GET ``{collection}/{ident}`` (200), then an unknown id there (404); the 200 answer."""
        found = self.call(200, "GET", f"{collection}/{ident}")
        self.call(404, "GET", f"{collection}/{UNKNOWN}")
        return found

    def delete_twice(self, path: str) -> None:
        """DELETE ``path`` (204), then again (404: it is gone)."""
        self.call(204, "DELETE", path)
        self.call(404, "DELETE", path)

    def organization_list(self, path: str) -> None:
        """An organization's list: 200 with rows, 400 without it, 403 for a foreign one."""
        assert self.call(200, "GET", path, params={"organization": self.org}).json()["collection"]
        self.refused(400, "organization", "GET", path)
        self.call(403, "GET", path, params={"organization": self.foreign_org})

    # -- seeded data (records.py is the contract) -------------------------------------------
    def row(self, table: str, where: str = "1", params: tuple[Any, ...] = ()) -> dict[str, Any]:
        found = self.store.find_one(table, where, params)
        if found is None:
            pytest.fail(f"the seed has no {table} row matching {where} {params}")
        return found

    def org_row(self, table: str) -> dict[str, Any]:
        """A row of ``table`` in the caller's organization."""
        return self.row(table, "organization = ?", (self.org_id,))

    def uri(self, collection: str, ident: str) -> str:
        return f"{self.base}/{collection}/{ident}"

    def user_member(self) -> dict[str, Any]:
        return self.row("memberships", "organization = ? AND role = 'user'", (self.org_id,))

    def email_of(self, membership: dict[str, Any]) -> str:
        return str(membership["email"])


Case = Callable[[Probe], None]
CASES: dict[str, Case] = {}


def case(label: str) -> Callable[[Case], Case]:
    def register(function: Case) -> Case:
        assert label not in CASES, f"two cases for {label}"
        CASES[label] = function
        return function

    return register


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now(p: Probe) -> datetime:
    return p.sandbox.state.clock.now()
