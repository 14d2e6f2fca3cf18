"""The signing-key vault: keys per subscription in a real keyring backend, never shown."""

from __future__ import annotations

import io
import logging
import subprocess

import keyring.errors
import pytest
from dotenv import dotenv_values

from desktop.secrets import SecretStore, SecretStoreError, signing_key
from desktop.webhooks.keys import generate_signing_key
from desktop.webhooks.vault import SigningKeyVault, SigningKeyVaultError
from tests.keyrings import LockedKeyring, MemoryKeyring

HOOK = "https://api.calendly.com/webhook_subscriptions/AAAA1111"
OTHER = "https://api.calendly.com/webhook_subscriptions/BBBB2222"
KEY = "whsec-Zq8v3N1x_kL0pTt7yRr2mWc9bJd5hGfA"


class UnreadableKeyring(MemoryKeyring):
    """A keyring whose reads fail, as a locked collection's do."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the collection is locked")


class StuckKeyring(MemoryKeyring):
    """A keyring that keeps what it has: deleting fails."""

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringError(f"cannot delete {username}")


@pytest.mark.asyncio
async def test_keys_are_kept_per_subscription_and_forgotten() -> None:
    backend = MemoryKeyring()
    vault = SigningKeyVault(SecretStore(backend), "p1")
    await vault.remember(HOOK, KEY)
    await vault.remember(OTHER, "another-key-0123456789-0123456789-xyz")
    assert await vault.key_for(HOOK) == KEY
    assert await vault.known([HOOK, OTHER, "https://x/webhook_subscriptions/C"]) == {HOOK, OTHER}
    # It is the OS keyring's entry under the profile, and nowhere else.
    assert ("calendly-console", f"p1/{signing_key(HOOK)}") in backend.entries
    # Another profile sees none of them.
    assert await SigningKeyVault(SecretStore(backend), "p2").known([HOOK, OTHER]) == set()

    await vault.forget(HOOK)
    assert await vault.key_for(HOOK) is None
    assert await vault.known([HOOK, OTHER]) == {OTHER}
    await vault.forget(HOOK)  # forgetting twice is fine
    await vault.remember(OTHER, KEY)  # a new key replaces the old
    assert await vault.key_for(OTHER) == KEY
    assert await vault.known([]) == set()


@pytest.mark.asyncio
async def test_the_key_is_never_in_a_repr_or_a_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    vault = SigningKeyVault(SecretStore(MemoryKeyring()), "p1")
    await vault.remember(HOOK, KEY)
    assert KEY not in repr(vault)
    assert "p1" in repr(vault)
    assert KEY not in caplog.text


@pytest.mark.asyncio
async def test_a_refusing_keyring_raises_a_clear_error_without_the_key() -> None:
    vault = SigningKeyVault(SecretStore(LockedKeyring()), "p1")
    with pytest.raises(SigningKeyVaultError) as raised:
        await vault.remember(HOOK, KEY)  # LockedKeyring's own message holds the password
    error = raised.value
    assert isinstance(error, SecretStoreError)
    assert KEY not in str(error) and KEY not in repr(error)
    # Nothing chained to it either: the keyring's own error (which quotes the key) is gone.
    assert error.__cause__ is None and error.__context__ is None
    assert "could not save the signing key" in str(error) and HOOK in str(error)

    unreadable = SigningKeyVault(SecretStore(UnreadableKeyring()), "p1")
    with pytest.raises(SigningKeyVaultError, match="could not read"):
        await unreadable.key_for(HOOK)
    with pytest.raises(SigningKeyVaultError, match="could not list"):
        await unreadable.known([HOOK])

    backend = StuckKeyring()
    stuck = SigningKeyVault(SecretStore(backend), "p1")
    await stuck.remember(HOOK, KEY)
    with pytest.raises(SigningKeyVaultError, match="could not delete") as gone:
        await stuck.forget(HOOK)
    assert KEY not in str(gone.value)


@pytest.mark.asyncio
async def test_an_empty_key_is_refused() -> None:
    vault = SigningKeyVault(SecretStore(MemoryKeyring()), "p1")
    with pytest.raises(ValueError, match="empty"):
        await vault.remember(HOOK, "")


def test_the_env_line_reads_back_as_the_key_in_dotenv_and_a_shell() -> None:
    key = generate_signing_key() + '$HOME`x`!#="&'
    text = SigningKeyVault.env_line(HOOK, key)
    assert text.splitlines()[0] == f"# Signing key of webhook subscription {HOOK}"
    assert text.splitlines()[1].startswith("CALENDLY_WEBHOOK_SIGNING_KEY='")
    assert dotenv_values(stream=io.StringIO(text + "\n")) == {"CALENDLY_WEBHOOK_SIGNING_KEY": key}
    shell = subprocess.run(
        ["bash", "-c", 'eval "$ENV_TEXT"; printf %s "$CALENDLY_WEBHOOK_SIGNING_KEY"'],
        env={"ENV_TEXT": text},
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    )
    assert shell.stdout == key
    named = SigningKeyVault.env_line(HOOK, KEY, name="HOOK_KEY_2")
    assert dotenv_values(stream=io.StringIO(named)) == {"HOOK_KEY_2": KEY}


@pytest.mark.parametrize("key", ["it's", "back\\slash", "two\nlines", "tab\there"])
def test_keys_no_env_reader_agrees_on_are_refused_without_echoing_them(key: str) -> None:
    with pytest.raises(ValueError) as raised:
        SigningKeyVault.env_line(HOOK, key)
    assert key not in str(raised.value)


@pytest.mark.parametrize("name", ["", "1KEY", "MY-KEY", "A B", "X=Y"])
def test_a_bad_variable_name_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="variable name"):
        SigningKeyVault.env_line(HOOK, KEY, name=name)
