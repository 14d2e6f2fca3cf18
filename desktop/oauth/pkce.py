"""PKCE (RFC 7636) code verifiers and S256 challenges, and the ``state`` parameter."""

from __future__ import annotations

import base64
import hashlib
import secrets
import string

# RFC 7636 §4.1: ALPHA / DIGIT / "-" / "." / "_" / "~"
UNRESERVED = string.ascii_letters + string.digits + "-._~"
MIN_LENGTH = 43
MAX_LENGTH = 128


def code_verifier(length: int = 64) -> str:
    """A fresh high-entropy verifier of ``length`` unreserved characters (43..128)."""
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ValueError(f"A code verifier has {MIN_LENGTH} to {MAX_LENGTH} characters.")
    return "".join(secrets.choice(UNRESERVED) for _ in range(length))


def code_challenge(verifier: str) -> str:
    """The S256 challenge: BASE64URL(SHA256(ASCII(verifier))) without padding."""
    if not MIN_LENGTH <= len(verifier) <= MAX_LENGTH or any(c not in UNRESERVED for c in verifier):
        raise ValueError("Not a code verifier (43-128 unreserved characters).")
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_state() -> str:
    """An unguessable ``state`` value binding the redirect to this sign-in (CSRF defence)."""
    return secrets.token_urlsafe(32)
