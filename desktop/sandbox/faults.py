"""Fault injection: latency, errors, 429 bursts, dropped connections, broken bodies.

Every failure path of the client and the app can be provoked on purpose. A fault applies to
API paths only (never ``/_sandbox/``), optionally only to chosen methods and path patterns,
with a probability (an error *rate*) drawn from a seeded generator, and optionally only a
number of times.
"""

from __future__ import annotations

import fnmatch
import itertools
import random
import threading
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FaultKind = Literal["latency", "error", "rate_limit", "drop", "truncate", "malformed"]
KINDS: tuple[str, ...] = ("latency", "error", "rate_limit", "drop", "truncate", "malformed")


@dataclass
class Fault:
    """One injected fault.

    - ``latency``: wait ``latency_ms`` before answering.
    - ``error``: answer ``status`` with Calendly's error body instead of the real response.
    - ``rate_limit``: a 429 burst, spending the caller's rate-limit window.
    - ``drop``: close the connection without any response.
    - ``truncate``: send the head and part of the body, then close the connection.
    - ``malformed``: a 200 answer whose body is not JSON.
    """

    kind: FaultKind
    paths: list[str] = field(default_factory=list)  # fnmatch patterns; empty: all API paths
    methods: list[str] = field(default_factory=list)  # empty: every method
    probability: float = 1.0
    times: int | None = None  # fire at most this many times; None: until removed
    status: int = 500
    latency_ms: int = 0
    id: int = 0
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.methods and method.upper() not in {m.upper() for m in self.methods}:
            return False
        return not self.paths or any(fnmatch.fnmatchcase(path, p) for p in self.paths)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Faults:
    """The active fault list; thread-safe, consulted once per request."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._random = random.Random(seed)

    def add(self, fault: Fault) -> Fault:
        if fault.kind not in KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; one of {', '.join(KINDS)}")
        if not 0.0 <= fault.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        if fault.kind == "error" and not 400 <= fault.status <= 599:
            raise ValueError("an error fault's status must be 4xx or 5xx")
        with self._lock:
            fault.id = next(self._ids)
            self._faults.append(fault)
        return fault

    def remove(self, fault_id: int) -> bool:
        with self._lock:
            before = len(self._faults)
            self._faults = [f for f in self._faults if f.id != fault_id]
            return len(self._faults) != before

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def reseed(self, seed: int) -> None:
        with self._lock:
            self._random = random.Random(seed)

    def active(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def draw(self, method: str, path: str, kinds: tuple[str, ...] = KINDS) -> list[Fault]:
        """The faults that fire for this request (each counted once), in the order added."""
        if path.startswith("/_sandbox"):
            return []
        fired: list[Fault] = []
        with self._lock:
            for fault in self._faults:
                if fault.kind not in kinds or not fault.matches(method, path):
                    continue
                if fault.times is not None and fault.fired >= fault.times:
                    continue
                if fault.probability < 1.0 and self._random.random() >= fault.probability:
                    continue
                fault.fired += 1
                fired.append(fault)
        return fired
