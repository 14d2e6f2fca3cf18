"""The sandbox: a faithful local Calendly served over real HTTP on 127.0.0.1 (no Qt).

The server and its configuration load on first use, so that ``desktop.sandbox.process`` (what
the app imports to start it in a child process) costs the app nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.sandbox.server import SandboxServer
    from desktop.sandbox.state import SandboxConfig

__all__ = ["SandboxConfig", "SandboxServer"]


def __getattr__(name: str) -> Any:
    if name == "SandboxServer":
        from desktop.sandbox.server import SandboxServer

        return SandboxServer
    if name == "SandboxConfig":
        from desktop.sandbox.state import SandboxConfig

        return SandboxConfig
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
