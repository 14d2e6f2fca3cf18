"""``client.webhooks``: webhook subscriptions and sample payloads."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Literal, TypeAlias

from desktop.api.pagination import Page
from desktop.api.resource import APIResource, decode_as, path_of
from desktop.domain.webhooks import WebhookPayload, WebhookSubscription

WebhookScope: TypeAlias = Literal["organization", "user", "group"]
# What a subscription may ask for (the create body's enum in Calendly's 2026 spec).
WebhookEvent: TypeAlias = Literal[
    "invitee.created",
    "invitee.canceled",
    "invitee_no_show.created",
    "invitee_no_show.deleted",
    "routing_form_submission.created",
    "meeting_recap.created",
    "meeting_recap.updated",
    "meeting_recap.deleted",
    "contact.created",
    "contact.updated",
    "contact.deleted",
]
# What ``sample`` can show: the subscribable events plus event type changes.
SampleEvent: TypeAlias = (
    WebhookEvent | Literal["event_type.created", "event_type.updated", "event_type.deleted"]
)
WebhookSort: TypeAlias = Literal["created_at:asc", "created_at:desc"]


class Webhooks(APIResource):
    async def list(
        self,
        *,
        organization: str,
        scope: WebhookScope,
        user: str | None = None,
        group: str | None = None,
        sort: WebhookSort | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page[WebhookSubscription]:
        """One page of subscriptions of ``scope``; ``user``/``group`` with that scope."""
        params = _owner(organization, scope, user, group)
        params.update(sort=sort, count=count, page_token=page_token)
        return await self._page("/webhook_subscriptions", WebhookSubscription, params)

    def iterate(
        self,
        *,
        organization: str,
        scope: WebhookScope,
        user: str | None = None,
        group: str | None = None,
        sort: WebhookSort | None = None,
    ) -> AsyncIterator[WebhookSubscription]:
        """Every subscription of ``scope`` (and owner)."""
        params = _owner(organization, scope, user, group)
        params["sort"] = sort
        return self._all("/webhook_subscriptions", WebhookSubscription, params)

    async def get(self, webhook: str) -> WebhookSubscription:
        """A subscription by URI or id."""
        return await self._fetch(path_of("webhook_subscriptions", webhook), WebhookSubscription)

    async def create(
        self,
        *,
        url: str,
        events: Sequence[WebhookEvent],
        organization: str,
        scope: WebhookScope,
        user: str | None = None,
        group: str | None = None,
        signing_key: str | None = None,
    ) -> WebhookSubscription:
        """Subscribe ``url`` to ``events``; ``Conflict`` if the URL is already subscribed.

        ``signing_key`` (write-only) makes Calendly sign each delivery with it.
        """
        body = {
            **_owner(organization, scope, user, group),
            "url": url,
            "events": list(events),
            "signing_key": signing_key,
        }
        return await self._create("/webhook_subscriptions", WebhookSubscription, body)

    async def delete(self, webhook: str) -> None:
        """Delete a subscription (by URI or id); deliveries stop."""
        await self._delete(path_of("webhook_subscriptions", webhook))

    async def sample(
        self,
        *,
        event: SampleEvent,
        organization: str,
        scope: WebhookScope,
        user: str | None = None,
        group: str | None = None,
    ) -> WebhookPayload:
        """A delivery of ``event`` as Calendly would send it, built from the account's data."""
        params = {**_owner(organization, scope, user, group), "event": event}
        raw = await self._transport.request("GET", "/sample_webhook_data", params=params)
        payload: WebhookPayload = decode_as(raw, WebhookPayload, "GET /sample_webhook_data")
        return payload


def _owner(
    organization: str, scope: WebhookScope, user: str | None, group: str | None
) -> dict[str, object]:
    return {"organization": organization, "scope": scope, "user": user, "group": group}
