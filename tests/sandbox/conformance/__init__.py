"""Conformance cases per spec operation; importing this package registers all of them."""

from __future__ import annotations

from tests.sandbox.conformance import events, integrations, org, scheduling
from tests.sandbox.conformance.probe import CASES, UNKNOWN, Probe

__all__ = ["CASES", "UNKNOWN", "Probe", "events", "integrations", "org", "scheduling"]
