"""Calendly's webhook signature: ``t=<unix seconds>,v1=<hex HMAC-SHA256(key, "t.body")>``."""

from __future__ import annotations

import hashlib
import hmac

HEADER = "Calendly-Webhook-Signature"
# Calendly's own verification example rejects signatures older than three minutes (facts §6.3).
TOLERANCE_SECONDS = 180


def digest(key: str, timestamp: int, body: bytes) -> str:
    """The lowercase hex HMAC-SHA256 of ``"<timestamp>.<raw body>"`` under ``key``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(key: str, timestamp: int, body: bytes) -> str:
    """The header value for ``body`` sent at ``timestamp`` (unix seconds)."""
    return f"t={timestamp},v1={digest(key, timestamp, body)}"


def parse(header: str) -> tuple[int | None, list[str]]:
    """The header's timestamp and every ``v1`` signature in it (lenient about spacing)."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value.lower())
    return timestamp, signatures


def verify(
    key: str,
    header: str | None,
    body: bytes,
    now: int | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Whether ``header`` signs ``body`` under ``key`` (and is recent, when ``now`` is given)."""
    if not header:
        return False
    timestamp, signatures = parse(header)
    if timestamp is None or not signatures:
        return False
    if now is not None and abs(now - timestamp) > tolerance:
        return False
    expected = digest(key, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)
