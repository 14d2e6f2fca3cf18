"""The pieces of a replacement: the recipe, each step and its result, and the writes
(create, confirm, delete, keys) that report themselves as steps instead of raising."""

from __future__ import annotations

import contextlib
import enum
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from desktop.action_log import PendingAction
from desktop.api.client import CalendlyClient
from desktop.api.errors import (
    APIStatusError,
    CalendlyError,
    Conflict,
    ConnectionFailed,
    NotFound,
)
from desktop.api.resources.webhooks import WebhookEvent, WebhookScope
from desktop.domain.webhooks import WebhookSubscription
from desktop.secrets import SecretStoreError
from desktop.webhooks.listing import explain
from desktop.webhooks.vault import SigningKeyVault


class Recorder(Protocol):
    """Logs one write, like ``functools.partial(action_log.recording, context)``."""

    def __call__(
        self,
        action: str,
        target_uri: str | None,
        target_label: str,
        details: dict[str, Any] | None = None,
    ) -> AbstractAsyncContextManager[PendingAction | None]: ...


@dataclass(frozen=True, slots=True)
class SubscriptionSpec:
    """What a subscription is made of: its recipe (and the signing key to create it with)."""

    url: str
    events: tuple[str, ...]
    scope: WebhookScope
    organization: str
    user: str | None = None
    group: str | None = None
    signing_key: str | None = field(default=None, repr=False)

    @classmethod
    def of(
        cls, subscription: WebhookSubscription, signing_key: str | None = None
    ) -> SubscriptionSpec:
        """The recipe of an existing subscription (its key, if known, given separately)."""
        return cls(
            url=subscription.callback_url,
            events=tuple(subscription.events),
            scope=cast(WebhookScope, subscription.scope),
            organization=subscription.organization,
            user=subscription.user if subscription.scope == "user" else None,
            group=subscription.group if subscription.scope == "group" else None,
            signing_key=signing_key,
        )

    def log_details(self) -> dict[str, Any]:
        """What the action log keeps of creating it: never the key, only whether there is one."""
        return {
            "callback_url": self.url,
            "events": list(self.events),
            "scope": self.scope,
            "owner": self.user or self.group or self.organization,
            "signed": self.signing_key is not None,
        }

    def same_place(self, subscription: WebhookSubscription) -> bool:
        """Whether Calendly would refuse this beside ``subscription`` (same URL and owner)."""
        return (self.url, self.scope, self.organization, self.user, self.group) == (
            subscription.callback_url,
            subscription.scope,
            subscription.organization,
            subscription.user if subscription.scope == "user" else None,
            subscription.group if subscription.scope == "group" else None,
        )


async def post_subscription(client: CalendlyClient, spec: SubscriptionSpec) -> WebhookSubscription:
    """Ask Calendly to create ``spec`` (its refusals raise as the client's errors)."""
    return await client.webhooks.create(
        url=spec.url,
        events=cast(Sequence[WebhookEvent], spec.events),
        organization=spec.organization,
        scope=spec.scope,
        user=spec.user,
        group=spec.group,
        signing_key=spec.signing_key,
    )


async def find_subscription(
    client: CalendlyClient, spec: SubscriptionSpec, *, other_than: str | None = None
) -> WebhookSubscription | None:
    """The owner's subscription to ``spec.url``, if Calendly lists one: a URL is unique per
    owner, so this tells whether a create whose answer was lost did happen."""
    async for subscription in client.webhooks.iterate(
        organization=spec.organization, scope=spec.scope, user=spec.user, group=spec.group
    ):
        if subscription.callback_url == spec.url and subscription.uri != other_than:
            return subscription
    return None


class Order(enum.Enum):
    CREATE_FIRST = "create first"
    DELETE_FIRST = "delete first"


class Outcome(enum.Enum):
    """Where the organization stands for this recipe after the replacement."""

    REPLACED = "replaced"  # the new subscription is in place; the old one is gone
    UNCHANGED = "unchanged"  # the old subscription is still in place; nothing new remains
    RESTORED = "restored"  # the old one was deleted and its recipe created again (new URI)
    BOTH = "both"  # two subscriptions: undoing the new one failed
    NONE = "none"  # no subscription: the old is gone and nothing could be created
    UNKNOWN = "unknown"  # an answer was lost and Calendly could not be asked


@dataclass(frozen=True, slots=True)
class Step:
    """One thing done (or tried) and how it went, in plain words."""

    name: str  # create | save key | confirm | delete old | undo create | recreate old | ...
    ok: bool
    text: str
    uri: str | None = None
    status: int | None = None


@dataclass(frozen=True, slots=True)
class ReplaceResult:
    order: Order
    outcome: Outcome
    steps: tuple[Step, ...]
    summary: str
    subscription: WebhookSubscription | None = None  # what is in place now, when known
    old_uri: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.REPLACED


@contextlib.asynccontextmanager
async def _unrecorded(*_: object) -> AsyncIterator[PendingAction | None]:
    yield None


class Replacement:
    def __init__(
        self,
        client: CalendlyClient,
        old: WebhookSubscription,
        vault: SigningKeyVault | None,
        record: Recorder | None,
        order: Order,
    ) -> None:
        self.client = client
        self.old = old
        self.order = order
        self.vault = vault
        self.record: Recorder = record or cast(Recorder, _unrecorded)
        self.steps: list[Step] = []

    def result(
        self, outcome: Outcome, summary: str, subscription: WebhookSubscription | None
    ) -> ReplaceResult:
        steps = tuple(self.steps)
        return ReplaceResult(self.order, outcome, steps, summary, subscription, self.old.uri)

    def step(
        self, name: str, ok: bool, text: str, uri: str | None = None, status: int | None = None
    ) -> None:
        self.steps.append(Step(name, ok, text, uri, status))

    def failed(self, name: str, text: str, error: CalendlyError, uri: str | None = None) -> None:
        status = error.status if isinstance(error, APIStatusError) else None
        self.step(name, False, f"{text} {explain(error)}", uri, status)

    # -- writes ---------------------------------------------------------------------------------
    async def create(
        self, spec: SubscriptionSpec, name: str, details: dict[str, Any]
    ) -> tuple[WebhookSubscription | None, bool]:
        """(the created subscription or None, whether that is certain)."""
        details = {**details, **spec.log_details()}
        try:
            async with self.record("webhook.create", None, spec.url, details) as pending:
                created = await post_subscription(self.client, spec)
                if pending is not None:
                    pending.target_uri = created.uri
        except ConnectionFailed as error:
            if not error.sent:
                self.failed(name, f"Could not create {spec.url}.", error)
                return None, True
            # The answer was lost: Calendly may have made it. A URL is unique per owner, so
            # the owner's list tells (never send the create again blindly).
            try:
                found = await find_subscription(self.client, spec, other_than=self.old.uri)
            except CalendlyError as check:
                self.failed(
                    name,
                    f"The answer to creating {spec.url} was lost and Calendly could not be "
                    "asked whether it was made.",
                    check,
                )
                return None, False
            if found is None:
                self.failed(name, f"Could not create {spec.url}.", error)
                return None, True
            self.step(name, True, f"Created {spec.url} (its answer was lost; found it).", found.uri)
            return found, True
        except CalendlyError as error:
            text = f"Could not create {spec.url}."
            if isinstance(error, Conflict):
                text += " Calendly already has a subscription for this URL and owner."
            self.failed(name, text, error)
            return None, True
        self.step(name, True, f"Created {spec.url}.", created.uri, 201)
        return created, True

    async def delete(self, uri: str, url: str, name: str, details: dict[str, Any]) -> bool | None:
        """True once ``uri`` is gone (also if it already was), False if refused, None unknown."""
        details = {**details, "callback_url": url}
        try:
            async with self.record("webhook.delete", uri, url, details):
                await self.client.webhooks.delete(uri)
        except NotFound:
            self.step(name, True, f"{url} was already gone.", uri, 404)
            return True
        except ConnectionFailed as error:
            try:
                await self.client.webhooks.get(uri)
            except NotFound:
                self.step(name, True, f"Deleted {url} (its answer was lost; it is gone).", uri)
                return True
            except CalendlyError:
                self.failed(name, f"Deleting {url} may or may not have worked.", error, uri)
                return None
            self.failed(name, f"Could not delete {url}.", error, uri)
            return False
        except CalendlyError as error:
            self.failed(name, f"Could not delete {url}.", error, uri)
            return False
        self.step(name, True, f"Deleted {url}.", uri, 204)
        return True

    async def confirm(self, created: WebhookSubscription) -> bool | None:
        """True: there and active; False: missing or not active; None: could not be asked."""
        try:
            seen = await self.client.webhooks.get(created.uri)
        except NotFound as error:
            self.failed("confirm", f"{created.callback_url} is not there after creating it.", error)
            return False
        except CalendlyError as error:
            self.failed("confirm", f"Could not confirm {created.callback_url}.", error, created.uri)
            return None
        if not seen.is_active or seen.callback_url != created.callback_url:
            self.step(
                "confirm",
                False,
                f"{created.callback_url} is {seen.state} right after creating it.",
                created.uri,
            )
            return False
        self.step("confirm", True, f"{created.callback_url} is there and active.", created.uri, 200)
        return True

    # -- keys -----------------------------------------------------------------------------------
    async def save_key(self, uri: str, key: str | None) -> bool:
        if self.vault is None or key is None:
            return True
        try:
            await self.vault.remember(uri, key)
        except SecretStoreError as error:  # its message never holds the key
            self.step("save key", False, f"The signing key could not be saved here: {error}", uri)
            return False
        self.step("save key", True, "Saved the signing key in the keyring.", uri)
        return True

    async def forget_key(self, uri: str) -> None:
        if self.vault is None:
            return
        try:
            await self.vault.forget(uri)
        except SecretStoreError as error:
            self.step(
                "forget key", False, f"The old signing key could not be removed: {error}", uri
            )
