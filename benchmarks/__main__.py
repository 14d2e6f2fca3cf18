"""``python -m benchmarks [name ...]``: run the scenarios; each prints a table and a JSON line."""

from __future__ import annotations

import argparse
import importlib
import sys

SCENARIOS = ["startup", "ui_lag", "sandbox_pages", "load_events"]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", help="default: all of " + ", ".join(SCENARIOS))
    args = parser.parse_args()
    unknown = sorted(set(args.names) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    for name in args.names or SCENARIOS:
        module = importlib.import_module(f"benchmarks.{name}")
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
