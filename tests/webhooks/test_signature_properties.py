"""Properties of sign/verify for any body and any key (hypothesis draws them).

A signature made with a key verifies with it within the tolerance; any one-byte change of the
body or of the signature breaks it; a key that signs the same way (HMAC pads short keys with
NUL bytes, so "k" and "k\\0" are one key to it) aside, no other key verifies it; outside the
tolerance a genuine signature is "expired", never "valid".
"""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from desktop.webhooks.signature import TOLERANCE_SECONDS, Status, parse, sign, verify

bodies = st.binary(max_size=4096)
keys = st.text(min_size=1, max_size=200)
stamps = st.integers(min_value=0, max_value=2**40)
within = st.integers(min_value=-TOLERANCE_SECONDS, max_value=TOLERANCE_SECONDS)
beyond = st.integers(min_value=TOLERANCE_SECONDS + 1, max_value=10**9)
HEX = "0123456789abcdef"
EXAMPLES = settings(max_examples=300, deadline=None)


def hmac_key(key: str) -> bytes:
    """The key as HMAC-SHA256 uses it: hashed when longer than a block, padded with NULs."""
    raw = key.encode("utf-8")
    if len(raw) > 64:
        raw = hashlib.sha256(raw).digest()
    return raw.rstrip(b"\0")


@EXAMPLES
@given(body=bodies, key=keys, stamp=stamps, skew=within)
def test_a_signature_verifies_with_its_key_within_the_tolerance(
    body: bytes, key: str, stamp: int, skew: int
) -> None:
    header = sign(key, stamp, body)
    result = verify(header, body, [key], now=stamp + skew)
    assert result.status is Status.VALID, result.reason
    assert (result.timestamp, result.key_index) == (stamp, 0)
    # Calendly's scheme, computed here on its own: HMAC-SHA256 of "t.body", lowercase hex.
    expected = hmac.new(key.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert header == f"t={stamp},v1={expected}"


@EXAMPLES
@given(body=bodies.filter(bool), key=keys, stamp=stamps, data=st.data())
def test_any_one_byte_change_of_the_body_is_invalid(
    body: bytes, key: str, stamp: int, data: st.DataObject
) -> None:
    header = sign(key, stamp, body)
    index = data.draw(st.integers(min_value=0, max_value=len(body) - 1), label="index")
    byte = data.draw(st.integers(min_value=0, max_value=255).filter(lambda b: b != body[index]))
    changed = body[:index] + bytes([byte]) + body[index + 1 :]
    assert verify(header, changed, [key], now=stamp).status is Status.INVALID
    # A byte more or a byte fewer is a change too.
    assert verify(header, body + bytes([byte]), [key], now=stamp).status is Status.INVALID
    assert verify(header, body[:-1], [key], now=stamp).status is Status.INVALID


@EXAMPLES
@given(body=bodies, key=keys, stamp=stamps, data=st.data())
def test_any_one_byte_change_of_the_signature_is_rejected(
    body: bytes, key: str, stamp: int, data: st.DataObject
) -> None:
    header = sign(key, stamp, body)
    prefix, _, signature = header.partition(",v1=")
    index = data.draw(st.integers(min_value=0, max_value=len(signature) - 1), label="index")
    # Another hex digit: a well-formed signature that does not match.
    digit = data.draw(st.sampled_from(HEX).filter(lambda c: c != signature[index]))
    forged = signature[:index] + digit + signature[index + 1 :]
    assert verify(f"{prefix},v1={forged}", body, [key], now=stamp).status is Status.INVALID
    # Any other printable character (but the same digit in upper case, which is the same
    # signature): never valid.
    char = data.draw(
        st.characters(min_codepoint=33, max_codepoint=126).filter(
            lambda c: c.lower() != signature[index]
        )
    )
    mangled = signature[:index] + char + signature[index + 1 :]
    result = verify(f"{prefix},v1={mangled}", body, [key], now=stamp)
    assert result.status in (Status.INVALID, Status.MALFORMED)


@EXAMPLES
@given(body=bodies, key=keys, other=keys, stamp=stamps)
def test_no_other_key_verifies_a_signature(body: bytes, key: str, other: str, stamp: int) -> None:
    assume(hmac_key(other) != hmac_key(key))
    header = sign(key, stamp, body)
    assert verify(header, body, [other], now=stamp).status is Status.INVALID
    # Among several keys, the one that signed is found.
    result = verify(header, body, [other, key], now=stamp)
    assert result.status is Status.VALID and result.key_index == 1


@EXAMPLES
@given(body=bodies, key=keys, stamp=stamps, late=beyond, early=st.booleans())
def test_outside_the_tolerance_a_genuine_signature_is_expired(
    body: bytes, key: str, stamp: int, late: int, early: bool
) -> None:
    header = sign(key, stamp, body)
    now = stamp - late if early else stamp + late
    result = verify(header, body, [key], now=now)
    assert result.status is Status.EXPIRED and not result.ok
    assert result.timestamp == stamp
    # A forged one stays invalid whatever its age: "expired" means genuine but stale.
    forged = header[:-1] + ("0" if header[-1] != "0" else "1")
    assert verify(forged, body, [key], now=now).status is Status.INVALID


@EXAMPLES
@given(body=bodies, key=keys, stamp=stamps)
def test_the_header_reads_back_as_written(body: bytes, key: str, stamp: int) -> None:
    parsed = parse(sign(key, stamp, body))
    assert parsed.timestamp == stamp
    assert len(parsed.signatures) == 1 and len(parsed.signatures[0]) == 64
    assert set(parsed.signatures[0]) <= set(HEX)
