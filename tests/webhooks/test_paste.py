"""The paste verifier: header, body and key as a person pastes them, and what it tells them."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest

from desktop.webhooks.paste import KEY_HINT, RAW_BODY_HINT, header_value, verify_pasted
from desktop.webhooks.signature import Status

KEY = "paste-test-key-0123456789-abcdefghijklmnopq"
BODY = (
    '{"event":"invitee.created","created_at":"2026-11-26T10:00:00.000000Z",'
    '"created_by":"https://api.calendly.com/users/AAAA","payload":{"name":"Zoë Ødegaard"}}'
)
SENT = 1_790_000_000


def signed(body: str = BODY, key: str = KEY, at: int = SENT) -> str:
    """The header value, computed here from Calendly's documented scheme."""
    digest = hmac.new(key.encode(), f"{at}.".encode() + body.encode(), hashlib.sha256)
    return f"t={at},v1={digest.hexdigest()}"


@pytest.mark.parametrize(
    "pasted",
    [
        signed(),
        f"Calendly-Webhook-Signature: {signed()}",
        f"calendly-webhook-signature:{signed()}\n",
        f"  CALENDLY-WEBHOOK-SIGNATURE :  {signed()}  ",
        f"Content-Type: application/json\nCalendly-Webhook-Signature: {signed()}\nHost: x",
    ],
    ids=["value", "header-line", "lower-case", "spaced-upper-case", "header-block"],
)
def test_a_genuine_delivery_is_valid_however_the_header_is_pasted(pasted: str) -> None:
    verdict = verify_pasted(pasted, BODY, KEY, now=SENT + 30)
    assert verdict.status is Status.VALID and verdict.ok
    assert verdict.title == "Valid"
    assert verdict.signed_at == datetime.fromtimestamp(SENT, UTC)
    assert verdict.hints == () and verdict.errors == ()


def test_now_may_be_a_datetime_and_the_key_may_carry_a_line_break() -> None:
    now = datetime.fromtimestamp(SENT + 5, UTC)
    assert verify_pasted(signed(), BODY, KEY + "\n", now=now).ok


def test_a_wrong_key_is_invalid_with_hints() -> None:
    verdict = verify_pasted(signed(), BODY, "some-other-key-0123456789-abcdefghijklm", now=SENT)
    assert verdict.status is Status.INVALID and verdict.title == "Invalid"
    assert "signing key" in verdict.reason
    assert verdict.hints == (RAW_BODY_HINT, KEY_HINT)
    assert "byte for byte" in RAW_BODY_HINT
    assert verdict.near_miss is None
    assert verdict.signed_at == datetime.fromtimestamp(SENT, UTC)


def test_a_non_json_body_that_fails_gets_only_the_key_hint() -> None:
    body = "name=Zo%C3%AB&event=created"
    verdict = verify_pasted(signed(body), body + "&x=1", KEY, now=SENT)
    assert verdict.status is Status.INVALID
    assert verdict.hints == (KEY_HINT,)


def test_re_indented_json_does_not_verify_but_is_explained() -> None:
    pretty = json.dumps(json.loads(BODY), indent=2, ensure_ascii=False)
    verdict = verify_pasted(signed(), pretty, KEY, now=SENT)
    assert verdict.status is Status.INVALID  # only the exact bytes verify
    assert verdict.near_miss == "the JSON was re-formatted"
    assert "does match once a copying accident is undone" in verdict.hints[0]


def test_escaped_unicode_json_is_explained_too() -> None:
    body = json.dumps(json.loads(BODY), separators=(",", ":"))  # "Zo\u00eb..."
    verdict = verify_pasted(signed(body), BODY, KEY, now=SENT)
    assert verdict.status is Status.INVALID
    assert verdict.near_miss == "the JSON was re-formatted"


@pytest.mark.parametrize(
    ("pasted", "accident"),
    [
        (BODY + "\n", "a line break was added at the end of the body"),
        (BODY + "\r\n", "a line break was added at the end of the body"),
    ],
)
def test_a_trailing_line_break_is_explained(pasted: str, accident: str) -> None:
    verdict = verify_pasted(signed(), pasted, KEY, now=SENT)
    assert verdict.status is Status.INVALID
    assert verdict.near_miss == accident


def test_windows_line_endings_are_explained() -> None:
    body = '{\n  "event": "invitee.created"\n}'
    verdict = verify_pasted(signed(body), body.replace("\n", "\r\n"), KEY, now=SENT)
    assert verdict.status is Status.INVALID
    assert verdict.near_miss == "the body's line endings became Windows ones (CR LF)"


def test_a_body_that_verifies_with_its_own_line_break_needs_no_hint() -> None:
    body = BODY + "\n"
    assert verify_pasted(signed(body), body, KEY, now=SENT).ok


@pytest.mark.parametrize(("offset", "words"), [(600, "600 s old"), (-600, "in the future")])
def test_a_stale_or_future_signature_is_expired(offset: int, words: str) -> None:
    verdict = verify_pasted(signed(), BODY, KEY, now=SENT + offset)
    assert verdict.status is Status.EXPIRED and verdict.title == "Expired"
    assert words in verdict.reason
    assert verdict.signed_at == datetime.fromtimestamp(SENT, UTC)


def test_a_longer_tolerance_accepts_an_older_delivery() -> None:
    assert verify_pasted(signed(), BODY, KEY, now=SENT + 600, tolerance=3600).ok


@pytest.mark.parametrize(
    ("pasted", "words"),
    [("v1=abcdef", "t="), (f"t={SENT}", "v1="), ("Calendly-Webhook-Signature: nonsense", "t=")],
)
def test_an_unreadable_header_is_malformed(pasted: str, words: str) -> None:
    verdict = verify_pasted(pasted, BODY, KEY, now=SENT)
    assert verdict.status is Status.MALFORMED and verdict.title == "Malformed"
    assert words in verdict.reason


def test_empty_inputs_are_field_errors() -> None:
    verdict = verify_pasted("  ", "\n", "", now=SENT)
    assert verdict.status is None and verdict.title == "Incomplete" and not verdict.ok
    fields = [error.field for error in verdict.errors]
    assert fields == ["Header", "Body", "Signing key"]
    for error in verdict.errors:
        assert error.message.startswith(f"{error.field} is empty")


def test_one_missing_input_is_named_alone() -> None:
    verdict = verify_pasted(signed(), BODY, "   ", now=SENT)
    assert [error.field for error in verdict.errors] == ["Signing key"]


def test_another_header_pasted_by_mistake_is_a_header_error() -> None:
    verdict = verify_pasted("Content-Type: application/json", BODY, KEY, now=SENT)
    assert verdict.status is None
    (error,) = verdict.errors
    assert error.field == "Header"
    assert "Content-Type" in error.message and "Calendly-Webhook-Signature" in error.message


def test_a_header_block_without_the_signature_is_a_header_error() -> None:
    value, problem = header_value("Content-Type: application/json\nHost: example.com")
    assert value is None
    assert problem is not None and "Calendly-Webhook-Signature" in problem
