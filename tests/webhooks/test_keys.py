"""Signing keys: generated ones are strong, typed-in ones are checked with a reason."""

from __future__ import annotations

import base64
import string

import pytest

from desktop.webhooks.keys import MAX_LENGTH, MIN_LENGTH, check_signing_key, generate_signing_key

URL_SAFE = set(string.ascii_letters + string.digits + "-_")


def test_a_generated_key_has_256_random_bits_in_url_safe_text() -> None:
    key = generate_signing_key()
    assert set(key) <= URL_SAFE
    assert len(base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))) == 32
    assert check_signing_key(key) is None


def test_generated_keys_differ() -> None:
    keys = {generate_signing_key() for _ in range(50)}
    assert len(keys) == 50


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", ["empty"]),
        ("   ", ["spaces"]),
        ("\n\t", ["spaces"]),
        ("secret", ["6 characters", str(MIN_LENGTH)]),
        ("x" * (MIN_LENGTH - 1), [str(MIN_LENGTH)]),
        ("x" * (MAX_LENGTH + 1), [str(MAX_LENGTH)]),
        (" " + "k" * 40, ["begins or ends"]),
        ("k" * 40 + "\n", ["begins or ends"]),
        ("k" * 20 + " " + "k" * 20, ["' '", "no spaces"]),
        ("é" * 40, ["'é'", "printable ASCII"]),
        ("k" * 20 + "\x00" + "k" * 20, ["U+0000"]),
    ],
)
def test_an_unusable_key_gets_a_reason_naming_the_field(text: str, words: list[str]) -> None:
    reason = check_signing_key(text)
    assert reason is not None
    assert reason.startswith("Signing key ")
    for word in words:
        assert word in reason


@pytest.mark.parametrize(
    "text",
    ["k" * MIN_LENGTH, "k" * MAX_LENGTH, "whsec_Ab-9.~!@#$%^&*()+=[]{}|;:,<>?/`'\"x12345678"],
)
def test_usable_keys_pass(text: str) -> None:
    assert check_signing_key(text) is None
