"""Webhook logic tests: the client fixtures of the API tests, bound to the per-test sandbox."""

from __future__ import annotations

from tests.api.conftest import client, client_for, organization_uri

__all__ = ["client", "client_for", "organization_uri"]
