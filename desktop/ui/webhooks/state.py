"""What the Webhooks page's parts share while a profile is connected: the signing-key vault,
the latest listing of subscriptions and what is wrong with them."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from desktop.api.client import CalendlyClient
from desktop.ui.page_context import PageContext
from desktop.webhooks.callback_url import is_local_host
from desktop.webhooks.health import Finding, assess
from desktop.webhooks.listing import Listing, Row, all_subscriptions
from desktop.webhooks.vault import SigningKeyVault

T = TypeVar("T")


class WebhookState(QObject):
    """One per connection: made when the page binds, dropped when it unbinds.

    ``listing_changed(Listing)`` after every listing (a refresh or the watch's poll);
    ``findings_changed(list[Finding])`` with it; ``keys_changed()`` when the vault gained or
    lost a key (the table's "key" column and the inspector's verification follow).

    Work the parts start on this connection goes through ``spawn``; ``close`` (the page lets go
    of the connection) cancels what is still running, so that nothing acts on it afterwards.
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
        self._tasks: set[asyncio.Task[Any]] = set()
        api_host = urlsplit(str(connection.client.base_url)).hostname or ""
        # Calendly cannot reach this computer; a sandbox on it can.
        self.real_organization = connection.environment != "sandbox" and not is_local_host(api_host)

    def spawn(self, work: Coroutine[Any, Any, T], what: str) -> asyncio.Task[T]:
        """Run ``work`` as one of the connection's tasks (a failure becomes a message naming
        ``what``) until it ends or this state is closed."""
        task = self.context.tasks.spawn(work, what)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def close(self) -> None:
        """The connection is being let go: cancel the work started on it."""
        for task in list(self._tasks):
            task.cancel()

    @property
    def client(self) -> CalendlyClient:
        return self.context.connection.client

    @property
    def organization(self) -> str:
        return self.context.connection.identity.organization_uri

    async def fetch(self, on_progress: Callable[[int, int], None] | None = None) -> Listing:
        """List every subscription of every scope (and note which keys we hold).

        The listing is one of the connection's tasks: the app cancels those before it closes
        the connection (at quit), and ``close`` cancels it at sign-out, so it never goes on
        asking a closed client; whoever awaits it is cancelled then too.
        """
        client, organization = self.client, self.organization
        listing = self.spawn(
            _settled(lambda: all_subscriptions(client, organization, on_progress=on_progress)),
            self.tr("Listing the webhook subscriptions"),
        )
        outcome = await listing
        if isinstance(outcome, Exception):
            raise outcome  # the caller's to tell (the table, the watch), not the task owner's
        return await self.set_listing(outcome)

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

    def keyed_rows(self) -> list[Row]:
        """The listed subscriptions whose signing key the vault holds."""
        rows = self.listing.rows if self.listing is not None else ()
        return [row for row in rows if row.uri in self.known_keys]

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


async def _settled(work: Callable[[], Coroutine[Any, Any, T]]) -> T | Exception:
    """What ``work()`` returns, or the exception that stopped it, as a value. ``work`` is
    called here: cancelled before it starts, nothing is left behind "never awaited"."""
    try:
        return await work()
    except Exception as error:
        return error
