"""Event-loop lag and memory while the Scheduled events page loads a large organization.

A sandbox (in its own process, as the app runs it) with 10,000 scheduled events answers every
request 100 ms late; the real page (in an offscreen window) loads every page of them while a
5 ms timer measures how late the event loop wakes it: the longest stall and the 99th
percentile are what a user feels as jank.
Memory: resident size per loaded row, against the same records fetched into a plain list.
Goals: longest stall under 50 ms, p99 under 17 ms (one frame at 60 Hz).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import statistics
import sys
import time

from desktop.sandbox.process import SandboxProcess

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

EVENTS = int(os.environ.get("UI_LAG_EVENTS", "10000"))
LATENCY_MS = 100
TICK_MS = 5
GOAL_STALL_MS = 50.0
GOAL_P99_MS = 17.0


def _rss() -> int:
    """Resident set size in bytes (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _measure(sandbox: SandboxProcess) -> dict[str, float]:
    from keyring.backends import fail
    from PySide6.QtCore import QTimer

    from desktop import profiles, settings
    from desktop.connection.connector import Connector
    from desktop.secrets import SecretStore
    from desktop.ui.org.scheduled_events import build_scheduled_events_page
    from desktop.ui.page_context import Changes, PageContext
    from desktop.ui.pages import page_specs
    from desktop.ui.tasks import TaskOwner

    # No keyring needed: the token lives in memory for this run.
    connector = Connector(SecretStore(fail.Keyring()), None, timeout=60)
    access = await sandbox.start()
    profile = profiles.make_profile(
        settings.Settings(), name="Bench", kind="token", base_url=access.base_url
    )
    await connector.save_personal_token(profile.id, access.token)
    connection = await connector.connect(profile)
    # The same records in a plain list, for the model's overhead.
    client = connection.client
    organization = connection.identity.organization_uri
    gc.collect()
    base = _rss()
    plain = [e async for e in client.scheduled_events.iterate(organization=organization)]
    gc.collect()
    list_bytes = max(0, _rss() - base)
    plain_rows = len(plain)  # kept alive below: the page's rows must take fresh memory
    spec = next(s for s in page_specs() if s.key == "scheduled_events")
    page = build_scheduled_events_page(spec)
    page.resize(1200, 800)
    page.show()
    table = page.tables[0]

    gaps: list[float] = []
    last = time.perf_counter()

    def tick() -> None:
        nonlocal last
        now = time.perf_counter()
        gaps.append((now - last) * 1000 - TICK_MS)
        last = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    gc.collect()
    before = _rss()
    done = asyncio.get_running_loop().create_future()
    table.model.finished.connect(lambda: done.done() or done.set_result(None))
    started = time.perf_counter()
    timer.start()
    page.bind(PageContext(connection=connection, tasks=TaskOwner(), changes=Changes(), window=page))
    # The page starts on "Any time": every event of the organization is listed.
    table.model.load_all()
    await done
    timer.stop()
    elapsed = time.perf_counter() - started
    gc.collect()
    rows = table.model.rowCount()
    model_bytes = max(0, _rss() - before)
    page.unbind()
    del plain

    await connection.aclose()
    gaps = [max(0.0, g) for g in gaps[1:]] or [0.0]
    return {
        "rows": rows,
        "load_s": elapsed,
        "stall_ms": max(gaps),
        "p99_ms": _percentile(gaps, 0.99),
        "median_ms": statistics.median(gaps),
        "bytes_per_row": model_bytes / max(1, rows),
        "list_bytes_per_row": list_bytes / max(1, plain_rows),
    }


def main() -> None:
    import qasync
    from PySide6.QtWidgets import QApplication

    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    # In its own process, as the app runs it: its work never competes with the UI for the GIL.
    sandbox = SandboxProcess(
        "--db", ":memory:", "--events", str(EVENTS), "--latency", str(LATENCY_MS)
    )
    sandbox.launch()
    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)  # the page window closing must not end the loop
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            figures = loop.run_until_complete(_measure(sandbox))
    finally:
        sandbox.stop()
    overhead = figures["bytes_per_row"] / max(1.0, figures["list_bytes_per_row"])
    print(
        f"Scheduled events page, {figures['rows']:,.0f} rows at {LATENCY_MS} ms latency "
        f"(loaded in {figures['load_s']:.1f} s)"
    )
    print(f"  longest event-loop stall  {figures['stall_ms']:6.1f} ms   goal < {GOAL_STALL_MS:.0f}")
    print(f"  99th percentile           {figures['p99_ms']:6.1f} ms   goal < {GOAL_P99_MS:.0f}")
    print(f"  median lateness           {figures['median_ms']:6.1f} ms")
    print(
        f"  memory per row            {figures['bytes_per_row']:8,.0f} B  (plain list "
        f"{figures['list_bytes_per_row']:,.0f} B: {overhead:.2f}x)"
    )
    print(json.dumps({"benchmark": "ui_lag", **{k: round(v, 2) for k, v in figures.items()},
                      "memory_ratio": round(overhead, 2)}))  # fmt: skip


if __name__ == "__main__":
    main()
