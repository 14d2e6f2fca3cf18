"""Sandbox page cost against organization size: keyset pages must not slow down with depth.

Serves two sandboxes side by side (2,000 and 10,000 scheduled events), walks the
organization's scheduled events 100 at a time in each, interleaving the two, and compares
the median time of a first page, a deep page and the whole walk per event.
"""

from __future__ import annotations

import json
import statistics
import time

import httpx

from desktop.sandbox import SandboxConfig, SandboxServer

SIZES = (2_000, 10_000)


def _walk(client: httpx.Client, org: str) -> list[float]:
    """Seconds per page for one walk over every scheduled event of ``org``."""
    times: list[float] = []
    params: dict[str, str] = {"organization": org, "count": "100"}
    while True:
        started = time.perf_counter()
        response = client.get("/scheduled_events", params=params)
        times.append(time.perf_counter() - started)
        response.raise_for_status()
        token = response.json()["pagination"]["next_page_token"]
        if not token:
            return times
        params["page_token"] = token


def main() -> None:
    seeded: dict[int, float] = {}
    servers: dict[int, tuple[SandboxServer, httpx.Client, str]] = {}
    for size in SIZES:
        started = time.perf_counter()
        server = SandboxServer(SandboxConfig(events=size, rate_limit=1_000_000)).start()
        seeded[size] = time.perf_counter() - started
        client = httpx.Client(
            base_url=server.base_url,
            headers={"Authorization": f"Bearer {server.token_for('owner')}"},
            timeout=60,
        )
        assert server.summary is not None
        org = server.state.uris.organization(server.summary.organization)
        servers[size] = (server, client, org)
    walks: dict[int, list[list[float]]] = {size: [] for size in SIZES}
    try:
        for _ in range(3):  # interleaved rounds: the machine's noise hits both alike
            for size in SIZES:
                _, client, org = servers[size]
                walks[size].append(_walk(client, org))
    finally:
        for server, client, _ in servers.values():
            client.close()
            server.stop()

    figures: dict[str, float] = {}
    header = ("events", "seed s", "pages", "first ms", "deep ms", "µs/event")
    print("{:>8} {:>8} {:>6} {:>9} {:>8} {:>9}".format(*header))
    for size in SIZES:
        rounds = walks[size]
        first = statistics.median(r[0] for r in rounds) * 1000
        last = statistics.median(r[-2] if len(r) > 1 else r[-1] for r in rounds) * 1000
        per_event = statistics.median(sum(r) for r in rounds) / size * 1e6
        figures[f"first_page_ms_{size}"] = round(first, 2)
        figures[f"deep_page_ms_{size}"] = round(last, 2)
        figures[f"us_per_event_{size}"] = round(per_event, 1)
        figures[f"seed_seconds_{size}"] = round(seeded[size], 2)
        print(
            f"{size:>8} {seeded[size]:>8.2f} {len(rounds[0]):>6} {first:>9.2f} {last:>8.2f}"
            f" {per_event:>9.1f}"
        )
    small, large = SIZES
    figures["deep_page_ratio"] = round(
        figures[f"deep_page_ms_{large}"] / figures[f"deep_page_ms_{small}"], 2
    )
    figures["per_event_ratio"] = round(
        figures[f"us_per_event_{large}"] / figures[f"us_per_event_{small}"], 2
    )
    print(
        f"deep page at {large} vs {small} events: x{figures['deep_page_ratio']}"
        f" (1.0 = page cost independent of size); per event: x{figures['per_event_ratio']}"
    )
    print(json.dumps({"scenario": "sandbox_pages", **figures}))


if __name__ == "__main__":
    main()
