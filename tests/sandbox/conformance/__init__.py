"""Conformance cases per spec operation; importing this package registers all of them."""

from __future__ import annotations

from tests.sandbox.conformance import (
    enterprise,
    events,
    integrations,
    org,
    scheduling,
    teams,
)
from tests.sandbox.conformance.probe import CASES, UNKNOWN, Probe

__all__ = [
    "CASES",
    "UNKNOWN",
    "Probe",
    "enterprise",
    "events",
    "integrations",
    "org",
    "scheduling",
    "teams",
]
