"""Load every scheduled event of a 10,000-event organization three ways, over a slow API.

The sandbox adds 300 ms to every request and enforces 500 requests per user per minute, as
Calendly's paid plans do. The three ways, one after another in one run:

(a) a plain sequential page loop with ``httpx`` + ``json`` + dicts (what today's Calendly
    client libraries do);
(b) our ``client.scheduled_events.iterate`` (sequential pages, typed records);
(c) our ``client.scheduled_events.parallel_iterate`` (time windows fetched concurrently).

It prints each time, the ratios, the requests made and the 429s seen, then the decode cost
per 1,000 events of our records (msgspec, typed) against ``json.loads`` to dicts, measured on
the same bytes. The goal: (c) at least 5x faster than (a), with zero 429s. The last line is
one JSON object of the figures.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx

from desktop.api import CalendlyClient
from desktop.domain import Collection, ScheduledEvent, decoder
from desktop.sandbox import SandboxConfig, SandboxServer

EVENTS = 10_000
LATENCY_MS = 300
RATE_LIMIT = 500  # requests per user per minute
GOAL = 5.0
DECODE_ROUNDS = 7


def plain_loop(base_url: str, token: str, organization: str) -> dict[str, Any]:
    """(a): ``requests``-style paging with dicts; a 429 is waited out as such loops do."""
    pages: list[bytes] = []
    events: list[dict[str, Any]] = []
    requests = limited = 0
    params: dict[str, str] = {"organization": organization, "count": "100"}
    started = time.perf_counter()
    with httpx.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as http:
        while True:
            response = http.get("/scheduled_events", params=params)
            requests += 1
            if response.status_code == 429:
                limited += 1
                time.sleep(float(response.headers.get("X-RateLimit-Reset", "1")))
                continue
            response.raise_for_status()
            pages.append(response.content)
            body = json.loads(response.content)
            events.extend(body["collection"])
            token_ = body["pagination"]["next_page_token"]
            if not token_:
                break
            params["page_token"] = token_
    return {
        "seconds": time.perf_counter() - started,
        "events": len(events),
        "requests": requests,
        "rate_limited": limited,
        "pages": pages,
        "uris": [e["uri"] for e in events],
    }


async def ours(base_url: str, token: str, organization: str, parallel: bool) -> dict[str, Any]:
    """(b) or (c): our client, a fresh one each time (its own budget and connections)."""
    async with CalendlyClient(base_url, token) as client:
        started = time.perf_counter()
        if parallel:
            walk = client.scheduled_events.parallel_iterate(organization=organization)
        else:
            walk = client.scheduled_events.iterate(organization=organization)
        events = [event async for event in walk]
        seconds = time.perf_counter() - started
        return {
            "seconds": seconds,
            "events": len(events),
            "requests": client.transport.requests_sent,
            "rate_limited": client.transport.rate_limited,
            "uris": [e.uri for e in events],
        }


def decode_costs(pages: list[bytes], events: int) -> dict[str, float]:
    """Microseconds per 1,000 events to decode the same page bytes each way (best of 7)."""
    typed = decoder(Collection[ScheduledEvent])

    def best(decode: Any) -> float:
        times = []
        for _ in range(DECODE_ROUNDS):
            started = time.perf_counter()
            for raw in pages:
                decode(raw)
            times.append(time.perf_counter() - started)
        return min(times) / events * 1000 * 1e6

    return {
        "json_loads_dicts_us": best(json.loads),
        "msgspec_records_us": best(typed.decode),
    }


def main() -> None:
    print(
        f"load_events: {EVENTS:,} events, {LATENCY_MS} ms latency per request, "
        f"{RATE_LIMIT} requests/user/minute"
    )
    started = time.perf_counter()
    config = SandboxConfig(events=EVENTS, latency_ms=LATENCY_MS, rate_limit=RATE_LIMIT)
    with SandboxServer(config) as server:
        print(f"seeded and serving in {time.perf_counter() - started:.1f} s")
        assert server.summary is not None
        organization = server.state.uris.organization(server.summary.organization)
        token = server.token_for("owner")
        plain = plain_loop(server.base_url, token, organization)
        iterate = asyncio.run(ours(server.base_url, token, organization, parallel=False))
        parallel = asyncio.run(ours(server.base_url, token, organization, parallel=True))
    if not plain["uris"] == iterate["uris"] == parallel["uris"]:
        raise SystemExit("the three ways did not load the same events in the same order")
    costs = decode_costs(plain["pages"], plain["events"])

    ways = (("(a) plain httpx+json", plain), ("(b) iterate", iterate), ("(c) parallel", parallel))
    print(f"{'way':<22} {'seconds':>8} {'events':>7} {'requests':>8} {'429s':>5}")
    for name, run in ways:
        print(
            f"{name:<22} {run['seconds']:>8.2f} {run['events']:>7} {run['requests']:>8}"
            f" {run['rate_limited']:>5}"
        )
    a_over_b = plain["seconds"] / iterate["seconds"]
    a_over_c = plain["seconds"] / parallel["seconds"]
    b_over_c = iterate["seconds"] / parallel["seconds"]
    print(f"ratios: (a)/(b) x{a_over_b:.2f}   (a)/(c) x{a_over_c:.2f}   (b)/(c) x{b_over_c:.2f}")
    print(
        f"decode per 1,000 events: msgspec records {costs['msgspec_records_us']:.0f} µs"
        f"   json.loads dicts {costs['json_loads_dicts_us']:.0f} µs"
        f"   (x{costs['json_loads_dicts_us'] / costs['msgspec_records_us']:.2f})"
    )
    met = a_over_c >= GOAL and parallel["rate_limited"] == 0
    print(f"goal (c) >= {GOAL:.0f}x faster than (a) with zero 429s: {'met' if met else 'NOT met'}")
    figures = {
        "scenario": "load_events",
        "events": EVENTS,
        "latency_ms": LATENCY_MS,
        "rate_limit_per_minute": RATE_LIMIT,
        "plain_seconds": round(plain["seconds"], 2),
        "iterate_seconds": round(iterate["seconds"], 2),
        "parallel_seconds": round(parallel["seconds"], 2),
        "plain_over_iterate": round(a_over_b, 2),
        "plain_over_parallel": round(a_over_c, 2),
        "iterate_over_parallel": round(b_over_c, 2),
        "plain_requests": plain["requests"],
        "iterate_requests": iterate["requests"],
        "parallel_requests": parallel["requests"],
        "plain_429s": plain["rate_limited"],
        "iterate_429s": iterate["rate_limited"],
        "parallel_429s": parallel["rate_limited"],
        "decode_us_per_1000_msgspec_records": round(costs["msgspec_records_us"], 1),
        "decode_us_per_1000_json_dicts": round(costs["json_loads_dicts_us"], 1),
        "goal_met": met,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
