"""The connector: clients per profile, tokens kept in the keyring, sign-out that always forgets."""

from __future__ import annotations

import pytest

from desktop import secrets
from desktop.connection.connector import Connector, decode_tokens, encode_tokens
from desktop.oauth import OAuthSettings, sign_in
from desktop.profiles import Profile
from desktop.sandbox import SandboxServer
from desktop.secrets import SERVICE, SecretStore
from tests.keyrings import MemoryKeyring
from tests.oauth.browser import FakeBrowser

pytestmark = pytest.mark.asyncio


class RefusingKeyring(MemoryKeyring):
    """Accepts writes until ``refuse`` is set, then fails like a locked collection."""

    refuse = False

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.refuse:
            import keyring.errors

            raise keyring.errors.KeyringLocked("locked")
        super().set_password(service, username, password)


def _oauth_profile(sandbox: SandboxServer, **changes: str) -> Profile:
    base = sandbox.base_url
    fields = {
        "oauth_client_id": "calendly-console-sandbox",
        "oauth_authorize_url": f"{base}/oauth/authorize",
        "oauth_token_url": f"{base}/oauth/token",
        **changes,
    }
    return Profile(
        id="p-oauth", name="Acme", colour="#006bff", kind="oauth", base_url=base, **fields
    )


async def _signed_in(sandbox: SandboxServer, connector: Connector, profile: Profile) -> None:
    tokens = await sign_in(OAuthSettings.for_sandbox(sandbox.base_url), FakeBrowser().open, 30)
    await connector.save_oauth(profile.id, tokens)


async def test_a_rotation_the_keyring_refuses_still_works_for_this_session(
    sandbox: SandboxServer,
) -> None:
    keyring = RefusingKeyring()
    connector = Connector(SecretStore(keyring), None)
    unsaved: list[bool] = []
    connector.on_unsaved_tokens = lambda: unsaved.append(True)
    profile = _oauth_profile(sandbox)
    await _signed_in(sandbox, connector, profile)
    saved_before = keyring.entries[(SERVICE, f"{profile.id}/{secrets.OAUTH_TOKENS}")]

    connection = await connector.connect(profile)
    try:
        keyring.refuse = True
        sandbox.advance_clock(3 * 3600)  # the access token expires; the next call refreshes
        me = await connection.client.users.me()
        again = await connection.client.users.me()  # the unsaved pair is in use
    finally:
        await connection.aclose()
    assert me.uri == again.uri == connection.identity.user_uri
    assert unsaved == [True]  # said once, and the session went on
    assert keyring.entries[(SERVICE, f"{profile.id}/{secrets.OAUTH_TOKENS}")] == saved_before


async def test_signing_out_forgets_the_tokens_even_when_the_oauth_settings_are_broken(
    sandbox: SandboxServer,
) -> None:
    keyring = MemoryKeyring()
    connector = Connector(SecretStore(keyring), None)
    good = _oauth_profile(sandbox)
    await _signed_in(sandbox, connector, good)
    broken = _oauth_profile(sandbox, oauth_token_url="not a url")

    notice = await connector.sign_out(broken)

    assert notice == "incomplete OAuth settings"
    assert not any(name.endswith(secrets.OAUTH_TOKENS) for _, name in keyring.entries)


async def test_tokens_round_trip_and_bad_entries_read_as_none() -> None:
    from desktop.api.auth import TokenPair

    pair = TokenPair("access-1", "refresh-1", 1234.5)
    assert decode_tokens(encode_tokens(pair)) == pair
    for raw in ("", "{", "[]", '{"access_token": ""}', '{"refresh_token": "x"}'):
        assert decode_tokens(raw) is None
