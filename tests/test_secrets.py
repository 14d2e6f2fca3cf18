"""Secrets: kept in the keyring per profile, session-only without one, never shown anywhere."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from desktop import secrets
from desktop.secrets import SecretStore, SecretStoreError
from tests.keyrings import LockedKeyring, MemoryKeyring

pytestmark = pytest.mark.asyncio

TOKEN = "eyJ-very-secret-access-token-1234"


def _fail_backend() -> KeyringBackend:
    """keyring's own "no keyring here" backend, the default on a headless Linux."""
    return fail.Keyring()  # type: ignore[no-untyped-call]


@contextlib.contextmanager
def _installed(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    with _installed(backend):
        yield backend


@pytest.fixture
def no_keyring() -> Iterator[KeyringBackend]:
    with _installed(_fail_backend()) as backend:
        yield backend


async def test_secrets_round_trip_through_the_keyring(memory: MemoryKeyring) -> None:
    store = SecretStore()
    assert store.persistent and store.notice is None
    await store.set("p1", secrets.ACCESS_TOKEN, TOKEN)
    await store.set("p1", secrets.REFRESH_TOKEN, "r1")
    await store.set("p2", secrets.ACCESS_TOKEN, "other")
    assert await store.get("p1", secrets.ACCESS_TOKEN) == TOKEN
    assert await store.get("p2", secrets.ACCESS_TOKEN) == "other"
    assert await store.get("p1", secrets.PERSONAL_TOKEN) is None
    assert memory.entries[("calendly-console", "p1/access_token")] == TOKEN
    # A second store (the next run of the app) reads what the first one saved.
    assert await SecretStore().get("p1", secrets.REFRESH_TOKEN) == "r1"


async def test_overwrite_and_delete(memory: MemoryKeyring) -> None:
    store = SecretStore()
    await store.set("p1", secrets.ACCESS_TOKEN, "old")
    await store.set("p1", secrets.ACCESS_TOKEN, "new")
    assert await store.get("p1", secrets.ACCESS_TOKEN) == "new"
    assert await store.kinds("p1") == (secrets.ACCESS_TOKEN,)
    await store.delete("p1", secrets.ACCESS_TOKEN)
    await store.delete("p1", secrets.ACCESS_TOKEN)  # deleting twice is fine
    assert await store.get("p1", secrets.ACCESS_TOKEN) is None
    assert await store.kinds("p1") == ()
    assert memory.entries == {}


async def test_deleting_a_profile_removes_every_entry_including_signing_keys(
    memory: MemoryKeyring,
) -> None:
    store = SecretStore()
    hook = secrets.signing_key("https://api.calendly.com/webhook_subscriptions/W1")
    await store.set("p1", secrets.ACCESS_TOKEN, TOKEN)
    await store.set("p1", secrets.REFRESH_TOKEN, "r1")
    await store.set("p1", hook, "sign-me")
    await store.set("p2", secrets.PERSONAL_TOKEN, "pat")
    assert set(await store.kinds("p1")) == {secrets.ACCESS_TOKEN, secrets.REFRESH_TOKEN, hook}
    assert await store.get("p1", hook) == "sign-me"
    await store.delete_profile("p1")
    assert {u for (_, u) in memory.entries} == {"p2/personal_token", "p2/.kinds"}
    assert await store.get("p1", hook) is None
    assert await store.get("p2", secrets.PERSONAL_TOKEN) == "pat"


async def test_fixed_kinds_are_deleted_even_without_an_index(memory: MemoryKeyring) -> None:
    memory.set_password("calendly-console", "p1/access_token", TOKEN)  # e.g. an older version
    await SecretStore().delete_profile("p1")
    assert memory.entries == {}


async def test_unknown_kinds_and_bad_values_are_refused(memory: MemoryKeyring) -> None:
    store = SecretStore()
    with pytest.raises(ValueError, match="unknown secret kind"):
        await store.set("p1", "password", "x")
    with pytest.raises(ValueError, match="unknown secret kind"):
        await store.get("p1", secrets.SIGNING_KEY_PREFIX)
    with pytest.raises(ValueError, match="invalid profile id"):
        await store.get("a/b", secrets.ACCESS_TOKEN)
    with pytest.raises(ValueError, match="empty"):
        await store.set("p1", secrets.ACCESS_TOKEN, "")
    assert memory.entries == {}


async def test_without_a_keyring_secrets_are_session_only_with_a_notice(
    no_keyring: KeyringBackend,
) -> None:
    store = SecretStore()
    assert not store.persistent
    assert store.notice is not None
    assert "this session only" in store.notice and "no system keyring" in store.notice
    await store.set("p1", secrets.ACCESS_TOKEN, TOKEN)
    assert await store.get("p1", secrets.ACCESS_TOKEN) == TOKEN
    # Nothing survives the session: the next store (next run) knows nothing.
    assert await SecretStore().get("p1", secrets.ACCESS_TOKEN) is None
    await store.delete_profile("p1")
    assert await store.get("p1", secrets.ACCESS_TOKEN) is None


async def test_fail_null_and_plaintext_backends_are_not_keyrings() -> None:
    from keyring.backends import null

    class PlaintextKeyring(MemoryKeyring):
        """Named like keyrings.alt's base64 'plaintext' file backend."""

    assert "no system keyring" in (secrets.backend_problem(_fail_backend()) or "")
    nothing = null.Keyring()  # type: ignore[no-untyped-call]
    assert "no system keyring" in (secrets.backend_problem(nothing) or "")
    assert "plain text" in (secrets.backend_problem(PlaintextKeyring()) or "")
    assert secrets.backend_problem(MemoryKeyring()) is None
    assert not SecretStore(PlaintextKeyring()).persistent


async def test_secrets_never_appear_in_reprs_logs_or_errors(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with _installed(MemoryKeyring()):
        store = SecretStore()
        await store.set("p1", secrets.ACCESS_TOKEN, TOKEN)
        assert TOKEN not in repr(store) and TOKEN not in str(store)
    with _installed(LockedKeyring()):
        locked = SecretStore()
        with pytest.raises(SecretStoreError) as err:
            await locked.set("p1", secrets.ACCESS_TOKEN, TOKEN)
        assert "KeyringLocked" in str(err.value) and "p1/" in str(err.value)
        assert TOKEN not in str(err.value)
        assert err.value.__cause__ is None and err.value.__suppress_context__
    with _installed(_fail_backend()):
        session = SecretStore()
        await session.set("p1", secrets.ACCESS_TOKEN, TOKEN)
        assert TOKEN not in repr(session)
    assert caplog.records, "the session-only fallback is logged"
    assert TOKEN not in caplog.text


def _secret_service() -> KeyringBackend:
    try:
        from keyring.backends import SecretService
    except ImportError as exc:  # pragma: no cover - part of keyring on Linux
        pytest.skip(f"keyring has no Secret Service backend here: {exc}")
    try:
        priority = SecretService.Keyring.priority
    except Exception as exc:
        pytest.skip(
            "no Secret Service on this session bus "
            f"({type(exc).__name__}: {exc}); run under dbus-run-session with an unlocked "
            "gnome-keyring, as .ci/run does"
        )
    assert priority > 0
    return SecretService.Keyring()  # type: ignore[no-untyped-call]


async def test_a_secret_round_trips_through_the_real_secret_service() -> None:
    backend = _secret_service()
    store = SecretStore(backend, service="calendly-console-test")
    profile = uuid.uuid4().hex
    assert store.persistent, store.notice
    try:
        await store.set(profile, secrets.ACCESS_TOKEN, TOKEN)
        assert await store.get(profile, secrets.ACCESS_TOKEN) == TOKEN
        # Another store (the next run) reads it back from the OS service.
        again = SecretStore(backend, service="calendly-console-test")
        assert await again.get(profile, secrets.ACCESS_TOKEN) == TOKEN
    finally:
        await store.delete_profile(profile)
    assert await store.get(profile, secrets.ACCESS_TOKEN) is None
    assert await store.kinds(profile) == ()
