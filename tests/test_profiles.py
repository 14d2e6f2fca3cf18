"""Profiles: the pure rules that add, rename, recolour, remove and switch them."""

from __future__ import annotations

import re

import pytest

from desktop import profiles
from desktop.profiles import ProfileError
from desktop.settings import Settings


def _two() -> tuple[Settings, str, str]:
    s = profiles.ensure_sandbox(Settings())
    acme = profiles.make_profile(s, name="Acme", kind="token")
    s = profiles.add(s, acme, activate=False)
    return s, s.profiles[0].id, acme.id


def test_a_newcomer_gets_an_active_sandbox_profile() -> None:
    s = profiles.ensure_sandbox(Settings())
    assert len(s.profiles) == 1
    sandbox = profiles.active(s)
    assert sandbox is not None and sandbox.kind == "sandbox" and sandbox.name == "Sandbox"
    assert sandbox.base_url is None  # the embedded server's port is chosen at start-up
    assert re.fullmatch(r"[0-9a-f]{32}", sandbox.id)
    assert profiles.ensure_sandbox(s) is s  # idempotent


def test_ensure_sandbox_does_not_steal_focus_or_names() -> None:
    s = profiles.add(Settings(), profiles.make_profile(Settings(), name="sandbox", kind="token"))
    s2 = profiles.ensure_sandbox(s)
    assert [p.name for p in s2.profiles] == ["sandbox", "Sandbox 2"]
    assert s2.active_profile == s.profiles[0].id


def test_add_switch_and_active() -> None:
    s, sandbox_id, acme_id = _two()
    assert s.active_profile == sandbox_id
    switched = profiles.switch(s, acme_id)
    assert profiles.active(switched).name == "Acme"  # type: ignore[union-attr]
    assert s.active_profile == sandbox_id  # the original is untouched (immutable)
    with pytest.raises(ProfileError) as err:
        profiles.switch(s, "nope")
    assert err.value.field == "profile"


def test_names_are_unique_ignoring_case_and_spacing() -> None:
    s, _, acme_id = _two()
    with pytest.raises(ProfileError) as err:
        profiles.make_profile(s, name="  acme ", kind="token")
    assert err.value.field == "name" and "Acme" in str(err.value)
    with pytest.raises(ProfileError) as err:
        profiles.add(s, profiles.sandbox_profile("ACME"))
    assert err.value.field == "name"
    # Renaming a profile to its own name (another case) is fine.
    assert profiles.find(profiles.rename(s, acme_id, "ACME"), acme_id).name == "ACME"


@pytest.mark.parametrize("bad", ["", "   ", "x" * 61])
def test_a_name_must_be_present_and_short(bad: str) -> None:
    with pytest.raises(ProfileError) as err:
        profiles.make_profile(Settings(), name=bad, kind="token")
    assert err.value.field == "name"


def test_rename_tidies_whitespace_and_refuses_a_taken_name() -> None:
    s, sandbox_id, acme_id = _two()
    renamed = profiles.rename(s, acme_id, "  Acme   Corp ")
    assert profiles.find(renamed, acme_id).name == "Acme Corp"
    with pytest.raises(ProfileError) as err:
        profiles.rename(s, sandbox_id, "acme")
    assert err.value.field == "name"


def test_colours_are_checked_and_default_to_an_unused_one() -> None:
    s, _, acme_id = _two()
    assert len({p.colour for p in s.profiles}) == 2
    assert profiles.find(profiles.recolour(s, acme_id, "#A1b2C3"), acme_id).colour == "#A1b2C3"
    for bad in ("red", "#12345", "#1234567", "123456"):
        with pytest.raises(ProfileError) as err:
            profiles.recolour(s, acme_id, bad)
        assert err.value.field == "colour"


def test_oauth_profiles_need_a_client_and_endpoints() -> None:
    with pytest.raises(ProfileError) as err:
        profiles.make_profile(Settings(), name="A", kind="oauth")
    assert err.value.field == "oauth_client_id"
    with pytest.raises(ProfileError) as err:
        profiles.make_profile(
            Settings(), name="A", kind="oauth", oauth_client_id="c", oauth_token_url="ftp://x"
        )
    assert err.value.field == "oauth_token_url"
    with pytest.raises(ProfileError) as err:
        profiles.make_profile(Settings(), name="A", kind="token", base_url="not a url")
    assert err.value.field == "base_url"
    p = profiles.make_profile(Settings(), name="A", kind="oauth", oauth_client_id=" c1 ")
    assert p.oauth_client_id == "c1"
    assert p.oauth_authorize_url == profiles.CALENDLY_AUTHORIZE_URL
    assert p.base_url == profiles.CALENDLY_API


def test_remove_moves_the_active_profile_on() -> None:
    s, sandbox_id, acme_id = _two()
    after = profiles.remove(s, sandbox_id)
    assert [p.id for p in after.profiles] == [acme_id]
    assert after.active_profile == acme_id
    kept = profiles.remove(profiles.switch(s, acme_id), sandbox_id)
    assert kept.active_profile == acme_id
    empty = profiles.remove(after, acme_id)
    assert empty.profiles == () and empty.active_profile is None and profiles.active(empty) is None
    with pytest.raises(ProfileError):
        profiles.remove(empty, acme_id)


def test_identity_is_remembered_per_profile() -> None:
    s, sandbox_id, acme_id = _two()
    s = profiles.update_identity(
        s,
        acme_id,
        organization_uri="https://api.calendly.com/organizations/O1",
        organization_name="Acme Inc",
        user_uri="https://api.calendly.com/users/U1",
        user_name="Ada",
    )
    assert profiles.find(s, acme_id).organization_name == "Acme Inc"
    assert profiles.find(s, sandbox_id).organization_name is None


def test_adding_the_same_profile_twice_is_refused() -> None:
    s, _, acme_id = _two()
    with pytest.raises(ProfileError) as err:
        profiles.add(s, profiles.find(s, acme_id))
    assert err.value.field == "id"
