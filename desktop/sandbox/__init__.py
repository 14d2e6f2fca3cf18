"""The sandbox: a faithful local Calendly served over real HTTP on 127.0.0.1 (no Qt)."""

from __future__ import annotations

from desktop.sandbox.server import SandboxServer
from desktop.sandbox.state import SandboxConfig

__all__ = ["SandboxConfig", "SandboxServer"]
