"""Calendly's webhook signature: ``t=<unix seconds>,v1=<hex HMAC-SHA256(key, "t.raw_body")>``.

Verification says why a delivery fails, not only that it does, so a person can mend their
receiver: no header, a header that cannot be read, a stale timestamp, or no key that matches.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

HEADER = "Calendly-Webhook-Signature"
# Calendly's own verification example rejects signatures older than three minutes (facts §6.3).
TOLERANCE_SECONDS = 180


class Status(enum.Enum):
    VALID = "valid"
    INVALID = "invalid"  # well formed, but no key gives this signature
    EXPIRED = "expired"  # a key matches, but the timestamp is outside the tolerance
    UNSIGNED = "unsigned"  # no header at all (the subscription has no signing key)
    MALFORMED = "malformed"  # a header without a readable ``t`` or any ``v1``
    NO_KEY = "no key"  # signed, but we hold no key to check it with


@dataclass(frozen=True, slots=True)
class Verification:
    status: Status
    reason: str
    timestamp: int | None = None
    key_index: int | None = None  # which of the offered keys matched

    @property
    def ok(self) -> bool:
        return self.status is Status.VALID


@dataclass(frozen=True, slots=True)
class ParsedHeader:
    timestamp: int | None
    signatures: tuple[str, ...]


def digest(key: str, timestamp: int, body: bytes) -> str:
    """The lowercase hex HMAC-SHA256 of ``"<timestamp>.<raw body>"`` under ``key``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(key: str, timestamp: int, body: bytes) -> str:
    """The header value for ``body`` sent at ``timestamp`` (unix seconds)."""
    return f"t={timestamp},v1={digest(key, timestamp, body)}"


def parse(header: str) -> ParsedHeader:
    """The header's timestamp and every ``v1`` signature in it (lenient about spacing)."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        name, value = name.strip(), value.strip()
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value.lower())
    return ParsedHeader(timestamp, tuple(signatures))


def verify(
    header: str | None,
    body: bytes,
    keys: Sequence[str],
    *,
    now: int,
    tolerance: int = TOLERANCE_SECONDS,
) -> Verification:
    """Whether ``header`` signs the raw ``body`` under one of ``keys`` within ``tolerance``.

    Every ``v1`` is compared against every key in constant time; the timestamp is checked only
    after a signature matches, so "expired" always means "genuine but stale".
    """
    if header is None or not header.strip():
        return Verification(Status.UNSIGNED, f"The request has no {HEADER} header.")
    parsed = parse(header)
    if parsed.timestamp is None:
        return Verification(Status.MALFORMED, "The signature header has no t=<unix seconds>.")
    if not parsed.signatures:
        return Verification(
            Status.MALFORMED, "The signature header has no v1=<signature>.", parsed.timestamp
        )
    usable = [key for key in keys if key]
    if not usable:
        return Verification(
            Status.NO_KEY, "No signing key is known for this delivery.", parsed.timestamp
        )
    for index, key in enumerate(usable):
        expected = digest(key, parsed.timestamp, body)
        if any(hmac.compare_digest(expected, candidate) for candidate in parsed.signatures):
            age = now - parsed.timestamp
            if abs(age) > tolerance:
                when = "old" if age > 0 else "in the future"
                return Verification(
                    Status.EXPIRED,
                    f"The signature matches but was made {abs(age)} s {when}; "
                    f"at most {tolerance} s is accepted.",
                    parsed.timestamp,
                    index,
                )
            return Verification(Status.VALID, "The signature matches.", parsed.timestamp, index)
    noun = "the signing key" if len(usable) == 1 else f"any of {len(usable)} signing keys"
    return Verification(
        Status.INVALID,
        f"No v1 signature matches {noun} over t.raw_body.",
        parsed.timestamp,
    )
