"""``calendly-console sandbox``: serve the sandbox standalone for integrators."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from typing import TextIO

from desktop.sandbox.server import SandboxServer
from desktop.sandbox.state import SandboxConfig

__all__ = ["SandboxConfig", "add_arguments", "config_from", "main", "serve"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free)")
    parser.add_argument("--db", default=":memory:", help="SQLite file to keep the data in")
    parser.add_argument("--seed", type=int, default=1, help="seed of the demo organization")
    parser.add_argument("--members", type=int, default=25, help="members in the organization")
    parser.add_argument("--events", type=int, default=2000, help="scheduled events to generate")
    parser.add_argument("--latency", type=int, default=0, metavar="MS", help="added per request")
    parser.add_argument(
        "--rate-limit", type=int, default=500, metavar="N", help="requests per user per minute"
    )


def config_from(args: argparse.Namespace) -> SandboxConfig:
    for name in ("port", "members", "events", "latency", "rate_limit"):
        if getattr(args, name) < 0:
            raise SystemExit(f"--{name.replace('_', '-')} must not be negative")
    return SandboxConfig(
        port=args.port,
        db=args.db,
        seed=args.seed,
        members=args.members,
        events=args.events,
        latency_ms=args.latency,
        rate_limit=args.rate_limit,
    )


def announce(server: SandboxServer, out: TextIO) -> None:
    """Print where the sandbox is and a token for the seeded owner."""
    token = server.token_for("owner")
    summary = server.summary
    print(f"Calendly sandbox serving at {server.base_url}", file=out)
    if summary is not None:
        print(f"  organization: {server.state.uris.organization(summary.organization)}", file=out)
    print(f"  owner access token: {token}", file=out)
    print(f"  try: curl -H 'Authorization: Bearer {token}' {server.base_url}/users/me", file=out)
    print("  control surface: GET/POST " + server.base_url + "/_sandbox", file=out)
    print("Press Ctrl+C to stop.", file=out, flush=True)


def serve(config: SandboxConfig, out: TextIO = sys.stdout) -> int:
    """Serve until interrupted (Ctrl+C or SIGTERM)."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with SandboxServer(config) as server:
            announce(server, out)
            try:
                while not stop.wait(0.5):
                    pass
            except KeyboardInterrupt:
                pass
            print("Sandbox stopped.", file=out)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="calendly-console sandbox", description=__doc__)
    add_arguments(parser)
    return serve(config_from(parser.parse_args(argv)))
