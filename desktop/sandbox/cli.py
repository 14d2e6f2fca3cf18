"""``calendly-console sandbox``: serve the sandbox standalone for integrators."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from desktop.sandbox.oauth.clients import NATIVE_CLIENT_ID
from desktop.sandbox.oauth.scopes import parse_cli as parse_scopes
from desktop.sandbox.server import SandboxServer
from desktop.sandbox.state import SandboxConfig

__all__ = ["CommandConfig", "SandboxConfig", "add_arguments", "config_from", "main", "serve"]


@dataclass
class CommandConfig(SandboxConfig):
    """The server's configuration plus the tokens the command prints."""

    token_scopes: list[str] | None = None  # None: a legacy token with full access
    token_for: str | None = None  # e-mail of another seeded user to print a token for
    announce_json: bool = False  # one JSON line (base_url, token) for the app that started us
    exit_with_stdin: bool = False  # stop when stdin closes: the app that started us is gone


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
    parser.add_argument(
        "--scopes",
        metavar='"A B ..."',
        help="scopes of the printed tokens, space separated (default: full access)",
    )
    parser.add_argument(
        "--token-for", metavar="EMAIL", help="also print a token for this seeded user"
    )
    # For the app, which runs its built-in sandbox in a child process (desktop/sandbox/process.py).
    parser.add_argument("--announce-json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--exit-with-stdin", action="store_true", help=argparse.SUPPRESS)


def config_from(args: argparse.Namespace) -> CommandConfig:
    for name in ("port", "members", "events", "latency", "rate_limit"):
        if getattr(args, name) < 0:
            raise SystemExit(f"--{name.replace('_', '-')} must not be negative")
    scopes: list[str] | None = None
    if getattr(args, "scopes", None) is not None:
        try:
            scopes = parse_scopes(args.scopes)
        except ValueError as error:
            raise SystemExit(f"--scopes: {error}") from None
    return CommandConfig(
        port=args.port,
        db=args.db,
        seed=args.seed,
        members=args.members,
        events=args.events,
        latency_ms=args.latency,
        rate_limit=args.rate_limit,
        token_scopes=scopes,
        token_for=getattr(args, "token_for", None),
        announce_json=bool(getattr(args, "announce_json", False)),
        exit_with_stdin=bool(getattr(args, "exit_with_stdin", False)),
    )


def announce(
    server: SandboxServer,
    out: TextIO,
    scopes: list[str] | None = None,
    token_for: str | None = None,
) -> None:
    """Print where the sandbox is, a token for the seeded owner (and for ``token_for``)."""
    token = server.token_for("owner", scopes)
    other = server.token_for(token_for, scopes) if token_for else None  # LookupError if unknown
    summary = server.summary
    print(f"Calendly sandbox serving at {server.base_url}", file=out)
    if summary is not None:
        print(f"  organization: {server.state.uris.organization(summary.organization)}", file=out)
    print(f"  owner access token: {token}", file=out)
    if other is not None:
        print(f"  access token for {token_for}: {other}", file=out)
    print(f"  token scopes: {' '.join(scopes) if scopes is not None else 'all'}", file=out)
    print(f"  try: curl -H 'Authorization: Bearer {token}' {server.base_url}/users/me", file=out)
    print(
        f"  OAuth: client_id {NATIVE_CLIENT_ID} (PKCE, any loopback redirect), metadata at "
        f"{server.base_url}/.well-known/oauth-authorization-server",
        file=out,
    )
    print("  control surface: GET/POST " + server.base_url + "/_sandbox", file=out)
    print("Press Ctrl+C to stop.", file=out, flush=True)


def announce_json(server: SandboxServer, out: TextIO) -> None:
    """One line for the app that started this process: where to connect, and as whom."""
    line = {"base_url": server.base_url, "token": server.token_for("owner")}
    print(json.dumps(line), file=out, flush=True)


def _stop_when_stdin_closes(stop: threading.Event) -> None:
    def watch() -> None:
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        stop.set()

    threading.Thread(target=watch, name="sandbox-parent-watch", daemon=True).start()


def serve(config: SandboxConfig, out: TextIO = sys.stdout) -> int:
    """Serve until interrupted (Ctrl+C or SIGTERM), or until stdin closes if asked to."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    command = config if isinstance(config, CommandConfig) else CommandConfig()
    try:
        with SandboxServer(config) as server:
            if command.exit_with_stdin:
                _stop_when_stdin_closes(stop)
            scopes = command.token_scopes
            token_for = command.token_for
            try:
                if command.announce_json:
                    announce_json(server, out)
                else:
                    announce(server, out, scopes, token_for)
            except LookupError:
                message = f"--token-for: no seeded user has the e-mail {token_for}"
                raise SystemExit(message) from None
            try:
                while not stop.wait(0.5):
                    pass
            except KeyboardInterrupt:
                pass
            if not command.announce_json:
                print("Sandbox stopped.", file=out)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="calendly-console sandbox", description=__doc__)
    add_arguments(parser)
    return serve(config_from(parser.parse_args(argv)))
