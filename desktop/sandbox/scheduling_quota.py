"""The Scheduling API's own per-user limits (``POST /invitees``, facts §5.3), on the sandbox clock.

Besides the general budget every request spends (500 per user per minute, ``ratelimit.py``),
Calendly limits bookings made through the Scheduling API per user: 10 a minute, 50 an hour
and 100 a day on paid plans (``SandboxConfig.scheduling_per_*``; the sandbox applies them to
Enterprise too, so the demo organization shows them), 5 a day on a trial.

Choices the documentation leaves open:

* Every request that reaches the booking counts, whether it then books or is refused as
  invalid (Calendly counts requests, not bookings); a request refused with 429 does not.
* Windows roll: a request counts against a window for that long after it was made.
* A 429 carries ``X-RateLimit-Limit/Remaining/Reset`` of the window that blocks longest,
  ``Reset`` being the seconds until the request would be allowed again.

The requests are kept in the store's ``meta`` table (one row per user), so a reset of the
sandbox forgets them and a file-backed sandbox remembers them across restarts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from desktop.sandbox.errors import ApiError
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record

TRIAL_PER_DAY = 5
DAY = 86_400
TITLE = "Too Many Requests"
MESSAGE = "The Scheduling API rate limit was exceeded; retry after the window resets."


@dataclass(frozen=True)
class Window:
    name: str
    seconds: int
    limit: int


def windows(state: SandboxState, organization: Record) -> list[Window]:
    """The limits that apply to a member of ``organization``."""
    if organization.get("stage") == "trial":
        return [Window("day", DAY, TRIAL_PER_DAY)]
    config = state.config
    return [
        Window("minute", 60, config.scheduling_per_minute),
        Window("hour", 3600, config.scheduling_per_hour),
        Window("day", DAY, config.scheduling_per_day),
    ]


def _key(user_id: str) -> str:
    return f"scheduling_quota:{user_id}"


def recent(state: SandboxState, user_id: str) -> list[float]:
    """The user's counted requests (POSIX seconds) within the last day, oldest first."""
    row = state.store.get("meta", _key(user_id))
    now = state.clock.now().timestamp()
    stamps = [float(t) for t in (row or {}).get("stamps", [])]
    # Stamps ahead of the clock come from a clock advanced before a restart: forget them.
    return sorted(t for t in stamps if now - DAY < t <= now)


def charge(state: SandboxState, user_id: str, organization: Record) -> None:
    """Count one Scheduling API request of ``user_id``; 429 when a window is full."""
    store = state.store
    with store.transaction():
        now = state.clock.now().timestamp()
        stamps = recent(state, user_id)
        blocked: list[tuple[int, int, Window]] = []
        for window in windows(state, organization):
            inside = [t for t in stamps if t > now - window.seconds]
            if len(inside) >= window.limit:
                # Allowed again once enough of these requests have left the window.
                freed = inside[len(inside) - window.limit] if window.limit > 0 else now
                reset = max(1, math.ceil(freed + window.seconds - now))
                blocked.append((reset, window.seconds, window))
        if blocked:
            reset, _, window = max(blocked)
            raise ApiError(
                429,
                TITLE,
                MESSAGE,
                headers={
                    "X-RateLimit-Limit": str(window.limit),
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": str(reset),
                },
            )
        record: Record = {"id": _key(user_id), "user": user_id, "stamps": [*stamps, now]}
        if store.get("meta", _key(user_id)) is None:
            store.insert("meta", record)
        else:
            store.update("meta", record)
