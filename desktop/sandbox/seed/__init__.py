"""Seed data: a deterministic, believable demo organization."""

from __future__ import annotations

from desktop.sandbox.seed.generator import SeedSummary, generate

__all__ = ["SeedSummary", "generate"]
