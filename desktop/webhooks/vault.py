"""Signing keys per webhook subscription, kept only in the OS keyring (through ``SecretStore``).

Calendly never returns a subscription's signing key, so the key the app sent when it created
a subscription is the only copy it will ever have: without it, deliveries cannot be verified.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from desktop.secrets import SecretStore, SecretStoreError, signing_key

DEFAULT_ENV_NAME = "CALENDLY_WEBHOOK_SIGNING_KEY"
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SigningKeyVaultError(SecretStoreError):
    """The keyring refused to keep, read or forget a signing key; never contains the key."""


class SigningKeyVault:
    """The signing keys of one profile's webhook subscriptions, by subscription URI."""

    def __init__(self, secret_store: SecretStore, profile_id: str) -> None:
        self._store = secret_store
        self.profile_id = profile_id

    def __repr__(self) -> str:
        return f"<SigningKeyVault profile={self.profile_id!r}>"

    async def remember(self, subscription_uri: str, key: str) -> None:
        """Keep ``key`` as the signing key of ``subscription_uri`` (replacing any before it)."""
        if not key:
            raise ValueError("a signing key must not be empty")
        try:
            await self._store.set(self.profile_id, signing_key(subscription_uri), key)
            return
        except SecretStoreError as error:
            failure = _failed("save", subscription_uri, error)
        # Raised outside the handler: no chained exception (the keyring's own error may quote
        # the key) stays reachable from the one the caller gets.
        raise failure

    async def key_for(self, subscription_uri: str) -> str | None:
        """The signing key kept for ``subscription_uri``, or None if none is kept here."""
        try:
            return await self._store.get(self.profile_id, signing_key(subscription_uri))
        except SecretStoreError as error:
            failure = _failed("read", subscription_uri, error)
        raise failure

    async def forget(self, subscription_uri: str) -> None:
        """Drop the key of ``subscription_uri``; forgetting a key never kept is fine."""
        try:
            await self._store.delete(self.profile_id, signing_key(subscription_uri))
            return
        except SecretStoreError as error:
            failure = _failed("delete", subscription_uri, error)
        raise failure

    async def known(self, subscription_uris: Iterable[str]) -> set[str]:
        """Which of ``subscription_uris`` have a key here (the rest are "unverifiable").

        One keyring read: the store's index of a profile's secrets names every key it holds.
        """
        wanted = {uri for uri in subscription_uris if uri}
        if not wanted:
            return set()
        try:
            kinds = set(await self._store.kinds(self.profile_id))
            return {uri for uri in wanted if signing_key(uri) in kinds}
        except SecretStoreError as error:
            failure = SigningKeyVaultError(
                f"The keyring could not list the saved signing keys: {error}"
            )
        raise failure

    @staticmethod
    def env_line(subscription_uri: str, key: str, name: str = DEFAULT_ENV_NAME) -> str:
        """A ``.env`` entry for a receiver: a comment naming the subscription, then
        ``NAME='key'`` (single quotes: taken literally by dotenv, Docker Compose and shells).

        Raises ``ValueError`` (without the key) when the key holds a character that some
        ``.env`` reader would change: a quote, a backslash or a control character.
        """
        if not _ENV_NAME.match(name):
            raise ValueError(
                f"{name!r} cannot be a variable name: use letters, digits and _ "
                "(not starting with a digit)."
            )
        if not key:
            raise ValueError("There is no signing key to write.")
        if any(ch in "'\\" or ord(ch) < 32 or ord(ch) == 127 for ch in key):
            raise ValueError(
                "This signing key holds a quote, backslash or control character that .env "
                "readers treat differently; copy the key itself instead."
            )
        comment = " ".join(subscription_uri.split())  # a URI never spans lines
        return f"# Signing key of webhook subscription {comment}\n{name}='{key}'"


def _failed(action: str, subscription_uri: str, error: SecretStoreError) -> SigningKeyVaultError:
    # The store's message names the entry and the error's type, never the secret.
    return SigningKeyVaultError(
        f"The keyring could not {action} the signing key of {subscription_uri}: {error}"
    )
