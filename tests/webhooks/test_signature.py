"""Verifying ``Calendly-Webhook-Signature``: each verdict, against signatures computed here.

The expected signatures are computed in this file with hashlib and hmac from Calendly's
documented scheme (facts §6.3: HMAC-SHA256 of ``"<t>.<raw body>"``, lowercase hex), never
with the module under test.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest

from desktop.webhooks import signature
from desktop.webhooks.signature import Status, verify

KEY = "g0Jz5m2QvS8yWc1rTn4bXa7dKe9fHp3uLq6iMo0sVt"
OTHER_KEY = "a-different-key-that-someone-else-holds-0000"
BODY = b'{"event":"invitee.created","created_at":"2026-11-26T10:00:00.000000Z","payload":{}}'
NOW = 1_790_000_000


def hexsig(key: str, timestamp: int, body: bytes) -> str:
    return hmac.new(key.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def header(timestamp: int = NOW, key: str = KEY, body: bytes = BODY) -> str:
    return f"t={timestamp},v1={hexsig(key, timestamp, body)}"


def test_sign_writes_calendlys_header() -> None:
    assert signature.sign(KEY, NOW, BODY) == header()
    assert signature.HEADER == "Calendly-Webhook-Signature"


def test_a_genuine_delivery_is_valid() -> None:
    result = verify(header(), BODY, [KEY], now=NOW + 5)
    assert result.status is Status.VALID and result.ok
    assert result.timestamp == NOW
    assert result.key_index == 0


def test_any_of_several_v1_signatures_may_match() -> None:
    wrong = hexsig(OTHER_KEY, NOW, BODY)
    right = hexsig(KEY, NOW, BODY)
    assert verify(f"t={NOW},v1={wrong},v1={right}", BODY, [KEY], now=NOW).ok
    assert verify(f"t={NOW},v1={right},v1={wrong}", BODY, [KEY], now=NOW).ok


def test_spacing_and_upper_case_hex_are_accepted() -> None:
    right = hexsig(KEY, NOW, BODY)
    assert verify(f" t={NOW}, v1={right.upper()} ", BODY, [KEY], now=NOW).ok


def test_the_matching_key_among_several_is_named() -> None:
    result = verify(header(), BODY, [OTHER_KEY, KEY], now=NOW)
    assert result.ok and result.key_index == 1


def test_a_different_key_is_invalid() -> None:
    result = verify(header(key=OTHER_KEY), BODY, [KEY], now=NOW)
    assert result.status is Status.INVALID and not result.ok
    assert "signing key" in result.reason
    assert result.timestamp == NOW


def test_a_tampered_body_is_invalid() -> None:
    tampered = BODY.replace(b"invitee.created", b"invitee.canceled")
    assert verify(header(), tampered, [KEY], now=NOW).status is Status.INVALID
    # One byte of whitespace is tampering too: the signature covers the raw bytes.
    assert verify(header(), BODY + b"\n", [KEY], now=NOW).status is Status.INVALID


def test_a_signature_made_with_another_timestamp_is_invalid() -> None:
    forged = f"t={NOW + 1},v1={hexsig(KEY, NOW, BODY)}"
    assert verify(forged, BODY, [KEY], now=NOW).status is Status.INVALID


@pytest.mark.parametrize("offset", [181, 3600])
def test_an_old_signature_is_expired(offset: int) -> None:
    result = verify(header(NOW - offset), BODY, [KEY], now=NOW)
    assert result.status is Status.EXPIRED and not result.ok
    assert f"{offset} s old" in result.reason
    assert result.timestamp == NOW - offset


def test_a_signature_from_the_future_is_expired() -> None:
    result = verify(header(NOW + 181), BODY, [KEY], now=NOW)
    assert result.status is Status.EXPIRED
    assert "in the future" in result.reason


def test_the_tolerance_is_three_minutes_inclusive() -> None:
    assert verify(header(NOW - 180), BODY, [KEY], now=NOW).ok
    assert verify(header(NOW + 180), BODY, [KEY], now=NOW).ok
    assert verify(header(NOW - 10), BODY, [KEY], now=NOW, tolerance=5).status is Status.EXPIRED


def test_an_expired_forgery_is_invalid_not_expired() -> None:
    """ "Expired" means genuine but stale: a wrong signature never reports its age."""
    result = verify(header(NOW - 3600, key=OTHER_KEY), BODY, [KEY], now=NOW)
    assert result.status is Status.INVALID


@pytest.mark.parametrize(
    ("value", "missing"),
    [
        (f"v1={hexsig(KEY, NOW, BODY)}", "t="),
        (f"t=soon,v1={hexsig(KEY, NOW, BODY)}", "t="),
        (f"t={NOW}", "v1="),
        (f"t={NOW},v1=", "v1="),
        ("garbage", "t="),
    ],
)
def test_a_header_without_its_parts_is_malformed(value: str, missing: str) -> None:
    result = verify(value, BODY, [KEY], now=NOW)
    assert result.status is Status.MALFORMED
    assert missing in result.reason


@pytest.mark.parametrize("value", [None, "", "   "])
def test_no_header_is_unsigned(value: str | None) -> None:
    result = verify(value, BODY, [KEY], now=NOW)
    assert result.status is Status.UNSIGNED
    assert "Calendly-Webhook-Signature" in result.reason


@pytest.mark.parametrize("keys", [[], [""]])
def test_a_signed_delivery_with_no_key_to_check_it(keys: list[str]) -> None:
    result = verify(header(), BODY, keys, now=NOW)
    assert result.status is Status.NO_KEY
    assert result.timestamp == NOW


def test_parse_reads_every_v1() -> None:
    parsed = signature.parse("t=12,v1=AB,v0=zz,v1=cd")
    assert parsed.timestamp == 12
    assert parsed.signatures == ("ab", "cd")
