"""Calendly Console: a desktop admin console for Calendly organizations."""

from __future__ import annotations

__version__ = "0.1.0"
