"""Webhook signing keys: a strong new one, and whether a typed-in one is usable."""

from __future__ import annotations

import secrets

FIELD = "Signing key"
# 32 random bytes (256 bits, the size of HMAC-SHA256's own output) as URL-safe base64 text.
_NEW_KEY_BYTES = 32
# RFC 2104 advises HMAC keys no shorter than the hash's output (32 bytes for SHA-256). 32
# characters is the shortest key we accept: a random one of that length from the URL-safe
# alphabet carries 192 bits, far beyond guessing, and it still catches "secret" or "test".
MIN_LENGTH = 32
# Calendly documents no limit; 256 characters is far beyond any generated key and stops a
# whole pasted document from becoming a key by accident.
MAX_LENGTH = 256


def generate_signing_key() -> str:
    """A new random key: 256 bits from ``secrets``, as 43 URL-safe characters."""
    return secrets.token_urlsafe(_NEW_KEY_BYTES)


def check_signing_key(text: str) -> str | None:
    """Why ``text`` cannot be a signing key (a sentence naming the field), or None if it can.

    Only printable ASCII without spaces is accepted: every receiver, in any language, then
    turns the key into the same bytes for the HMAC.
    """
    if not text:
        return f"{FIELD} is empty: enter a key or generate one."
    if not text.strip():
        return f"{FIELD} is only spaces: enter a key or generate one."
    if text != text.strip():
        return (
            f"{FIELD} begins or ends with a space or line break; remove it "
            "(it would become part of the key)."
        )
    if len(text) < MIN_LENGTH:
        return (
            f"{FIELD} is {len(text)} characters long; use at least {MIN_LENGTH} "
            "(a shorter key is easier to guess), or generate one."
        )
    if len(text) > MAX_LENGTH:
        return f"{FIELD} is {len(text)} characters long; at most {MAX_LENGTH} are accepted."
    for char in text:
        if not ("!" <= char <= "~"):
            shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
            return (
                f"{FIELD} contains {shown}; use only letters, digits and punctuation "
                "(printable ASCII, no spaces)."
            )
    return None
