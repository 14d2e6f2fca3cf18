"""Composition root and command line: ``calendly-console [--sandbox] | sandbox ...``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from desktop import __version__, paths
from desktop.sandbox import cli as sandbox_cli


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="calendly-console",
        description="A desktop admin console for Calendly organizations.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--sandbox", action="store_true", help="use the built-in sandbox (the default for now)"
    )
    commands = parser.add_subparsers(dest="command")
    sandbox = commands.add_parser(
        "sandbox", help="serve the local Calendly sandbox for integrators and print a token"
    )
    sandbox_cli.add_arguments(sandbox)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "sandbox":
        return sandbox_cli.serve(sandbox_cli.config_from(args))
    # The window arrives with the app-shell issue; until then the app serves its demo
    # organization (kept across restarts) and says where.
    config = sandbox_cli.SandboxConfig(db=str(paths.demo_database()))
    print("Calendly Console: the window is not built yet; serving the demo sandbox.", flush=True)
    return sandbox_cli.serve(config)


if __name__ == "__main__":
    sys.exit(main())
