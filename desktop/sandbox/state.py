"""The sandbox's configuration and the shared state every request handler sees."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from desktop.sandbox.auth import Tokens
from desktop.sandbox.bus import Bus
from desktop.sandbox.clock import Clock
from desktop.sandbox.faults import Faults
from desktop.sandbox.ratelimit import RateLimiter
from desktop.sandbox.store import Store
from desktop.sandbox.wire import Uris


@dataclass
class SandboxConfig:
    """Everything that can be chosen when a sandbox starts."""

    host: str = "127.0.0.1"
    port: int = 0  # 0: a random free port
    db: str = ":memory:"  # a file path keeps the organization across restarts
    seed: int = 1
    members: int = 25
    events: int = 2000
    latency_ms: int = 0
    rate_limit: int = 500  # requests per user per minute (Calendly's paid plans)
    rate_window_seconds: int = 60
    available_times_max_days: int = 31  # S2/2026; the 2023 spec said 7
    busy_times_max_days: int = 7
    webhook_retry_window: timedelta = field(default_factory=lambda: timedelta(hours=24))
    webhook_connect_timeout: float = 10.0  # seconds (Calendly's documented limits)
    webhook_read_timeout: float = 15.0
    # Scheduling API (POST /invitees) per user, besides the general budget (since 2026-04-15)
    scheduling_per_minute: int = 10
    scheduling_per_hour: int = 50
    scheduling_per_day: int = 100
    # OAuth
    oauth_token_requests_per_minute: int = 8
    oauth_code_lifetime: timedelta = field(default_factory=lambda: timedelta(minutes=10))
    access_token_lifetime: timedelta = field(default_factory=lambda: timedelta(hours=2))


class SandboxState:
    """Store, clock, tokens, limits and faults of one running sandbox."""

    def __init__(self, config: SandboxConfig, base_url: str) -> None:
        self.config = config
        self.store = Store(config.db)
        self.clock = Clock()
        self.uris = Uris(base_url)
        self.tokens = Tokens(self.store)
        self.limiter = RateLimiter(config.rate_limit, config.rate_window_seconds)
        self.faults = Faults(config.seed)
        self.bus = Bus()
        # API requests received, by "METHOD /path" (tests count what a client asked for).
        self.requests: Counter[str] = Counter()
        # Ids made at run time (not by the seed): seeded too, so runs repeat.
        self.random = random.Random(config.seed ^ 0x5EED)

    @property
    def base_url(self) -> str:
        return self.uris.base

    def new_id(self) -> str:
        """A 16-character id like Calendly's (``GBGBDCAADAEDCRZ2``)."""
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return "".join(self.random.choice(alphabet) for _ in range(16))

    def new_uuid(self) -> str:
        """A hyphenated UUIDv4, as Calendly uses for invitees."""
        value = self.random.getrandbits(128)
        value = (value & ~(0xF << 76)) | (4 << 76)
        value = (value & ~(0x3 << 62)) | (0x2 << 62)
        text = f"{value:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
