"""Tokens and signing keys in the OS keyring, off the event loop; session-only without one."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE: Final = "calendly-console"
ACCESS_TOKEN: Final = "access_token"  # noqa: S105 - names of secrets, not secrets
REFRESH_TOKEN: Final = "refresh_token"  # noqa: S105
PERSONAL_TOKEN: Final = "personal_token"  # noqa: S105
# An OAuth pair (access + refresh + expiry) as one JSON entry: a rotation is saved whole.
OAUTH_TOKENS: Final = "oauth_tokens"
SIGNING_KEY_PREFIX: Final = "signing_key:"
FIXED_KINDS: Final = (ACCESS_TOKEN, REFRESH_TOKEN, PERSONAL_TOKEN, OAUTH_TOKENS)
# One extra entry per profile lists the kinds it holds, so removing a profile finds every
# secret (webhook signing keys are keyed by URI and cannot be guessed).
_INDEX: Final = ".kinds"


class SecretStoreError(Exception):
    """The keyring refused an operation; the message never contains a secret."""


def signing_key(webhook_uri: str) -> str:
    """The kind under which a webhook subscription's signing key is kept."""
    if not webhook_uri:
        raise ValueError("a signing key needs its webhook subscription URI")
    return SIGNING_KEY_PREFIX + webhook_uri


def backend_problem(backend: KeyringBackend) -> str | None:
    """Why this backend cannot keep secrets across restarts, or None if it can."""
    from keyring.backends import chainer, fail, null

    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, fail.Keyring | null.Keyring):
        return f"no system keyring was found ({name})"
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return "no system keyring was found (empty chain)"
    if "plaintext" in name.lower():
        return f"the configured keyring ({name}) stores secrets as plain text"
    try:
        priority = float(backend.priority)
    except Exception as exc:
        return f"the keyring ({name}) is unusable: {type(exc).__name__}"
    if priority <= 0:
        return f"the keyring ({name}) is not usable here"
    return None


class SecretStore:
    """Secrets per (profile id, kind). Every keyring call runs in a worker thread.

    With no usable keyring, ``persistent`` is False, ``notice`` says so in plain words and
    secrets live in this object's memory for the session only: never in a file.

    Finding the system's keyring takes a while (keyring scans its plug-ins), so it happens on
    first use, in a worker thread when reached through ``await ready()`` or any async method.
    """

    def __init__(self, backend: KeyringBackend | None = None, *, service: str = SERVICE) -> None:
        self._service = service
        self._memory: dict[str, str] = {}
        self._lock = asyncio.Lock()
        self._given = backend
        self._resolving = threading.Lock()
        self._resolved = False
        self._backend: KeyringBackend | None = None
        self._backend_name = "none"
        self._notice: str | None = None
        self._problem: str | None = None

    def _resolve(self) -> None:
        with self._resolving:
            if self._resolved:
                return
            import keyring
            import keyring.errors

            chosen: KeyringBackend | None
            try:
                chosen = keyring.get_keyring() if self._given is None else self._given
            except keyring.errors.KeyringError:
                chosen = None
            problem = "no system keyring was found" if chosen is None else backend_problem(chosen)
            self._backend = None if problem else chosen
            kind = type(chosen)
            self._backend_name = f"{kind.__module__}.{kind.__name__}" if chosen else "none"
            self._problem = problem
            if problem:
                self._notice = (
                    f"Sign-ins cannot be saved: {problem}. They are kept for this session "
                    "only, and you will be asked to sign in again next time."
                )
                log.warning("secrets kept for this session only: %s", problem)
            self._resolved = True

    async def ready(self) -> None:
        """Find the keyring (once, off the event loop); then ``notice`` is final."""
        if not self._resolved:
            await asyncio.to_thread(self._resolve)

    @property
    def persistent(self) -> bool:
        self._resolve()
        return self._backend is not None

    @property
    def notice(self) -> str | None:
        self._resolve()
        return self._notice

    @property
    def problem(self) -> str | None:
        """Why secrets are session-only (technical words: the UI wraps them in a sentence)."""
        self._resolve()
        return self._problem

    @property
    def backend_name(self) -> str:
        self._resolve()
        return self._backend_name

    def __repr__(self) -> str:
        if not self._resolved:
            return "<SecretStore backend=(not looked up yet)>"
        return f"<SecretStore backend={self._backend_name} persistent={self.persistent}>"

    async def get(self, profile_id: str, kind: str) -> str | None:
        return await self._read(_username(profile_id, kind))

    async def set(self, profile_id: str, kind: str, value: str) -> None:
        name = _username(profile_id, kind)
        if not value:
            raise ValueError(f"refusing to store an empty {kind}")
        async with self._lock:
            kinds = await self.kinds(profile_id)
            if kind not in kinds:
                # Index first: a secret the index misses could never be cleaned up.
                await self._write_index(profile_id, (*kinds, kind))
            await self._write(name, value)

    async def delete(self, profile_id: str, kind: str) -> None:
        """Forget one secret; forgetting an absent one is fine."""
        name = _username(profile_id, kind)
        async with self._lock:
            await self._erase(name)
            kinds = await self.kinds(profile_id)
            if kind in kinds:
                await self._write_index(profile_id, tuple(k for k in kinds if k != kind))

    async def kinds(self, profile_id: str) -> tuple[str, ...]:
        """The kinds of secret this store holds for a profile."""
        raw = await self._read(_username(profile_id, _INDEX, check_kind=False))
        if not raw:
            return ()
        try:
            decoded: Any = json.loads(raw)
        except ValueError:
            return ()
        if not isinstance(decoded, list):
            return ()
        return tuple(k for k in decoded if isinstance(k, str))

    async def delete_profile(self, profile_id: str) -> None:
        """Forget every secret of a profile (and the fixed kinds even if the index lost them)."""
        async with self._lock:
            kinds = await self.kinds(profile_id)
            for kind in dict.fromkeys((*FIXED_KINDS, *kinds)):
                await self._erase(_username(profile_id, kind))
            await self._erase(_username(profile_id, _INDEX, check_kind=False))

    async def _write_index(self, profile_id: str, kinds: tuple[str, ...]) -> None:
        name = _username(profile_id, _INDEX, check_kind=False)
        if kinds:
            await self._write(name, json.dumps(list(kinds)))
        else:
            await self._erase(name)

    async def _read(self, name: str) -> str | None:
        await self.ready()
        import keyring.errors

        backend = self._backend
        if backend is None:
            return self._memory.get(name)
        try:
            value: str | None = await asyncio.to_thread(backend.get_password, self._service, name)
        except keyring.errors.KeyringError as exc:
            raise _failure("read", name, exc) from None
        return value

    async def _write(self, name: str, value: str) -> None:
        await self.ready()
        import keyring.errors

        backend = self._backend
        if backend is None:
            self._memory[name] = value
            return
        try:
            await asyncio.to_thread(backend.set_password, self._service, name, value)
        except keyring.errors.KeyringError as exc:
            raise _failure("save", name, exc) from None

    async def _erase(self, name: str) -> None:
        await self.ready()
        import keyring.errors

        backend = self._backend
        if backend is None:
            self._memory.pop(name, None)
            return
        try:
            await asyncio.to_thread(backend.delete_password, self._service, name)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored under that name: already forgotten
        except keyring.errors.KeyringError as exc:
            raise _failure("delete", name, exc) from None


def _username(profile_id: str, kind: str, *, check_kind: bool = True) -> str:
    """The keyring's "username" for a secret: ``<profile id>/<kind>``."""
    if not profile_id or "/" in profile_id:
        raise ValueError(f"invalid profile id {profile_id!r}")
    if check_kind and not _valid_kind(kind):
        raise ValueError(f"unknown secret kind {kind!r}")
    return f"{profile_id}/{kind}"


def _valid_kind(kind: str) -> bool:
    return kind in FIXED_KINDS or (
        kind.startswith(SIGNING_KEY_PREFIX) and len(kind) > len(SIGNING_KEY_PREFIX)
    )


def _failure(action: str, name: str, exc: Exception) -> SecretStoreError:
    # Only the entry's name and the error's type: keyring messages are not ours to trust.
    return SecretStoreError(f"The keyring could not {action} {name} ({type(exc).__name__}).")
