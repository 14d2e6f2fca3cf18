"""What the Webhooks page's parts share while a profile is connected: the signing-key vault,
the latest listing of subscriptions and what is wrong with them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from desktop.api.client import CalendlyClient
from desktop.ui.page_context import PageContext
from desktop.webhooks.callback_url import is_local_host
from desktop.webhooks.health import Finding, assess
from desktop.webhooks.listing import Listing, all_subscriptions
from desktop.webhooks.vault import SigningKeyVault


class WebhookState(QObject):
    """One per connection: made when the page binds, dropped when it unbinds.

    ``listing_changed(Listing)`` after every listing (a refresh or the watch's poll);
    ``findings_changed(list[Finding])`` with it; ``keys_changed()`` when the vault gained or
    lost a key (the table's "key" column and the inspector's verification follow).
    """

    listing_changed = Signal(object)
    findings_changed = Signal(object)
    keys_changed = Signal()

    def __init__(
        self,
        context: PageContext,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.clock = clock
        connection = context.connection
        secrets = context.secrets
        self.vault = SigningKeyVault(secrets, connection.profile.id) if secrets else None
        self.listing: Listing | None = None
        self.findings: list[Finding] = []
        self.known_keys: set[str] = set()  # subscription URIs whose key the vault holds
        api_host = urlsplit(str(connection.client.base_url)).hostname or ""
        # Calendly cannot reach this computer; a sandbox on it can.
        self.real_organization = connection.environment != "sandbox" and not is_local_host(api_host)

    @property
    def client(self) -> CalendlyClient:
        return self.context.connection.client

    @property
    def organization(self) -> str:
        return self.context.connection.identity.organization_uri

    async def fetch(self, on_progress: Callable[[int, int], None] | None = None) -> Listing:
        """List every subscription of every scope (and note which keys we hold)."""
        listing = await all_subscriptions(self.client, self.organization, on_progress=on_progress)
        return await self.set_listing(listing)

    async def set_listing(self, listing: Listing) -> Listing:
        """Take ``listing`` as the latest, and return it. One that could read nothing (a 429,
        the network gone) keeps the last rows on show with its problems (``self.listing``),
        while the caller (the watch) still learns that the check failed."""
        if not listing.listed and self.listing is not None:
            self.listing = dataclasses.replace(self.listing, problems=listing.problems)
            self.listing_changed.emit(listing)  # the parts see the failure, not an empty org
            return listing
        if self.vault is not None:
            self.known_keys = await self.vault.known(row.uri for row in listing.rows)
        self.listing = listing
        members = listing.members if listing.members_loaded else None
        self.findings = assess(listing, members, self.clock())
        self.listing_changed.emit(listing)
        self.findings_changed.emit(self.findings)
        return listing

    async def remember_key(self, subscription_uri: str, key: str) -> None:
        if self.vault is not None:
            await self.vault.remember(subscription_uri, key)
            self.known_keys.add(subscription_uri)
            self.keys_changed.emit()

    async def forget_key(self, subscription_uri: str) -> None:
        if self.vault is not None:
            await self.vault.forget(subscription_uri)
            self.known_keys.discard(subscription_uri)
            self.keys_changed.emit()

    async def keys_for_url(self, url: str) -> list[str]:
        """The vault's keys of every listed subscription posting to ``url`` (what the local
        receiver verifies with)."""
        if self.vault is None or self.listing is None:
            return []
        wanted = url.rstrip("/")
        keys: list[str] = []
        for row in self.listing.rows:
            if row.subscription.callback_url.rstrip("/") == wanted:
                key = await self.vault.key_for(row.uri)
                if key:
                    keys.append(key)
        return keys
