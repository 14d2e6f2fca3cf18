"""PKCE verifiers and challenges (RFC 7636) and the state parameter."""

from __future__ import annotations

import pytest

from desktop.oauth import code_challenge, code_verifier, new_state
from desktop.oauth.pkce import UNRESERVED


def test_the_rfc_7636_appendix_b_vector() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@pytest.mark.parametrize("length", [43, 64, 128])
def test_verifiers_use_the_unreserved_alphabet_at_the_asked_length(length: int) -> None:
    verifier = code_verifier(length)
    assert len(verifier) == length
    assert set(verifier) <= set(UNRESERVED)
    assert len(code_challenge(verifier)) == 43


def test_verifiers_and_states_are_fresh_each_time() -> None:
    assert len({code_verifier() for _ in range(50)}) == 50
    states = {new_state() for _ in range(50)}
    assert len(states) == 50
    assert all(len(s) >= 43 for s in states)


@pytest.mark.parametrize("length", [42, 129])
def test_out_of_range_lengths_are_refused(length: int) -> None:
    with pytest.raises(ValueError):
        code_verifier(length)


@pytest.mark.parametrize("verifier", ["short", "a" * 42 + "+", "x" * 129, "é" * 43])
def test_challenges_refuse_what_is_not_a_verifier(verifier: str) -> None:
    with pytest.raises(ValueError):
        code_challenge(verifier)
