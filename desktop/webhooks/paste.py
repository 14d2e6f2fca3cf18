"""The paste verifier: is a delivery someone received genuine? Paste its header, body and key."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from desktop.webhooks.signature import HEADER, TOLERANCE_SECONDS, Status, verify

TITLES = {
    Status.VALID: "Valid",
    Status.INVALID: "Invalid",
    Status.EXPIRED: "Expired",
    Status.MALFORMED: "Malformed",
    Status.UNSIGNED: "Unsigned",
    Status.NO_KEY: "No key",
}
RAW_BODY_HINT = (
    "The body is JSON, but a signature covers the exact bytes received: re-indented or "
    "re-serialised JSON (pretty-printed, spaces or line breaks added, keys reordered, "
    "characters escaped) does not verify. Paste the raw request body, byte for byte."
)
KEY_HINT = (
    "Check the signing key too: it must be the one the subscription was created with "
    "(Calendly never shows it again)."
)


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str  # "Header", "Body" or "Signing key": the input the message belongs next to
    message: str


@dataclass(frozen=True, slots=True)
class PasteVerdict:
    """``status`` is None when an input is missing (see ``errors``)."""

    status: Status | None
    reason: str
    signed_at: datetime | None = None
    hints: tuple[str, ...] = ()
    errors: tuple[FieldError, ...] = ()
    near_miss: str | None = None  # the copying accident that, undone, makes it match

    @property
    def ok(self) -> bool:
        return self.status is Status.VALID

    @property
    def title(self) -> str:
        return "Incomplete" if self.status is None else TITLES[self.status]


def header_value(text: str) -> tuple[str | None, str | None]:
    """(the signature value, None) from a pasted value, a ``Name: value`` line or a block of
    header lines (the name in any case); (None, why) when it cannot be found."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    for line in lines:
        name, colon, value = line.partition(":")
        if colon and name.strip().lower() == HEADER.lower():
            return value.strip(), None
    if len(lines) == 1:
        name, colon, _ = lines[0].partition(":")
        if colon and "=" not in name:
            return None, f"Header: this is the {name.strip()} header; paste {HEADER} instead."
        return lines[0], None
    return None, f"Header: no {HEADER} line was found in the pasted lines."


def verify_pasted(
    header_text: str,
    body_text: str,
    key_text: str,
    *,
    now: int | datetime,
    tolerance: int = TOLERANCE_SECONDS,
) -> PasteVerdict:
    """Check a pasted delivery: header (value or ``Name: value``), body and signing key.

    The body is verified as the UTF-8 bytes of the text, exactly: re-indented or re-serialised
    JSON will not verify. When it fails, common copying accidents are tried, only to explain
    the failure (the verdict stays "invalid"): a line break added at the end, Windows line
    endings, re-formatted JSON (its compact form). A body that is JSON but matches in no form
    gets a hint that it must be byte for byte what was received. The key is trimmed of
    surrounding spaces and line breaks, which no usable key has.
    """
    errors: list[FieldError] = []
    if not header_text.strip():
        errors.append(FieldError("Header", f"Header is empty: paste the {HEADER} value."))
    if not body_text.strip():
        errors.append(FieldError("Body", "Body is empty: paste the raw request body."))
    key = key_text.strip()
    if not key:
        errors.append(
            FieldError("Signing key", "Signing key is empty: paste the subscription's key.")
        )
    header, problem = header_value(header_text) if header_text.strip() else (None, None)
    if problem is not None:
        errors.append(FieldError("Header", problem))
    if errors or header is None:
        return PasteVerdict(None, "Fill in every field to verify.", errors=tuple(errors))

    moment = int(now.timestamp()) if isinstance(now, datetime) else int(now)
    body = body_text.encode("utf-8")

    def check(raw: bytes) -> Status:
        return verify(header, raw, [key], now=moment, tolerance=tolerance).status

    result = verify(header, body, [key], now=moment, tolerance=tolerance)
    status, reason, stamp = result.status, result.reason, result.timestamp
    hints: tuple[str, ...] = ()
    near_miss = None
    if status is Status.INVALID:
        near_miss, hints = _accidents(body, check)
    signed_at = None if stamp is None else datetime.fromtimestamp(stamp, UTC)
    return PasteVerdict(status, reason, signed_at, hints, near_miss=near_miss)


def _accidents(body: bytes, check: Callable[[bytes], Status]) -> tuple[str | None, tuple[str, ...]]:
    """(the copying accident that, undone, makes the signature match, or None; hints)."""
    trimmed = body.rstrip(b"\r\n")
    variants = [
        (trimmed, "a line break was added at the end of the body"),
        (body.replace(b"\r\n", b"\n"), "the body's line endings became Windows ones (CR LF)"),
        (trimmed.replace(b"\r\n", b"\n"), "Windows line endings and a final line break"),
    ]
    try:
        value, is_json = json.loads(body), True
    except (ValueError, RecursionError):
        value, is_json = None, False
    if is_json:
        for ascii_only in (False, True):
            compact = json.dumps(value, ensure_ascii=ascii_only, separators=(",", ":"))
            variants.append((compact.encode("utf-8"), "the JSON was re-formatted"))
    for raw, accident in variants:
        if raw != body and check(raw) is not Status.INVALID:
            hint = (
                f"The signature does match once a copying accident is undone: {accident}. "
                "The delivery looks genuine, but only the exact bytes received verify: "
                "check those in your receiver."
            )
            return accident, (hint,)
    return None, (RAW_BODY_HINT, KEY_HINT) if is_json else (KEY_HINT,)
