"""In-process news of what happened in the sandbox (bookings, cancellations, no-shows...).

Writers publish after their transaction commits; listeners (the webhook dispatcher) are called
synchronously, so they can snapshot what they need before anything else changes, and must
hand slow work (HTTP delivery) to the background.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from desktop.sandbox.store import Record

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Happened:
    """One webhook-worthy fact: ``event`` is a Calendly webhook event name."""

    event: str  # invitee.created, invitee.canceled, invitee_no_show.created|deleted, ...
    organization: str  # organization id
    subject: Record  # the invitee, no-show or routing submission record, as it was


Listener = Callable[[Happened], None]


class Bus:
    """Publish/subscribe; a failing listener is logged and never fails the publisher."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with self._lock:
            self._listeners = [each for each in self._listeners if each is not listener]

    def publish(self, event: str, organization: str, subject: Record) -> None:
        happened = Happened(event, organization, dict(subject))
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(happened)
            except Exception:
                log.exception("sandbox: a listener failed on %s", event)
