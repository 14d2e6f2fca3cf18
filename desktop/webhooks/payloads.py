"""Calendly-shaped test deliveries: Calendly's own sample, or built from the organization's records.

A delivery is ``{event, created_at, created_by, payload}`` (facts §6.2) as the exact bytes that
will be signed and sent. Built payloads copy the records' raw JSON from the API, so every key
Calendly sends is kept; only when the organization has no fitting record (no canceled invitee,
no rescheduled pair, no no-show) is one adapted from a real invitee, and ``source`` says so.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from desktop.api.client import CalendlyClient
from desktop.api.errors import APIStatusError, MalformedResponse, RateLimited, Unauthenticated
from desktop.api.resources.webhooks import SampleEvent, WebhookScope
from desktop.api.times import wire_time
from desktop.domain.decoding import decode
from desktop.domain.webhooks import WebhookPayload, WebhookSubscription

RESCHEDULE = "reschedule"  # not a Calendly event: the invitee.canceled + invitee.created pair
# What the app offers to send, in menu order, with plain labels for the UI.
LABELS: dict[str, str] = {
    "invitee.created": "Invitee created",
    "invitee.canceled": "Invitee canceled",
    RESCHEDULE: "Invitee rescheduled (canceled, then created)",
    "invitee_no_show.created": "Invitee marked as no-show",
    "invitee_no_show.deleted": "Invitee no-show removed",
    "routing_form_submission.created": "Routing form submitted",
    "event_type.created": "Event type created",
    "event_type.updated": "Event type updated",
    "event_type.deleted": "Event type deleted",
    "meeting_recap.created": "Meeting recap created",
    "meeting_recap.updated": "Meeting recap updated",
    "meeting_recap.deleted": "Meeting recap deleted",
    "contact.created": "Contact created",
    "contact.updated": "Contact updated",
    "contact.deleted": "Contact deleted",
}
OFFERED: tuple[str, ...] = tuple(LABELS)
_INVITEE_EVENTS = ("invitee.created", "invitee.canceled")
_NO_SHOW_EVENTS = ("invitee_no_show.created", "invitee_no_show.deleted")
_SUBMISSION = "routing_form_submission.created"
# The others (event types, meeting recaps, contacts) come only from Calendly's sample.
BUILDABLE = (*_INVITEE_EVENTS, *_NO_SHOW_EVENTS, _SUBMISSION)
# InviteePayload's ``scheduled_event`` has fewer keys than a ScheduledEvent (facts §6.2).
_EVENT_KEYS = (
    "uri", "name", "meeting_notes_plain", "meeting_notes_html", "status", "start_time",
    "end_time", "event_type", "location", "invitees_counter", "created_at", "updated_at",
    "event_memberships", "event_guests", "cancellation",
)  # fmt: skip
_MEMBERSHIP_KEYS = ("user", "user_email", "user_name")
SCAN = 20  # events looked through for a fitting invitee before one is adapted instead


class PayloadUnavailable(Exception):
    """No test delivery can be made for this event here; the message says why."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One delivery ready to send: ``body`` is exactly what is signed and POSTed."""

    event: str
    body: bytes
    source: str  # where it came from, one sentence for the UI
    subject: str | None = None  # the URI of the record it shows (invitee, submission...)

    def envelope(self) -> WebhookPayload:
        return decode(self.body, WebhookPayload)


@dataclass(frozen=True, slots=True)
class Target:
    """Whose records a delivery is made from: a subscription's organization and scope."""

    organization: str
    scope: WebhookScope = "organization"
    user: str | None = None
    group: str | None = None
    created_by: str | None = None  # the subscription's creator; None: the signed-in user

    @classmethod
    def of(cls, subscription: WebhookSubscription) -> Target:
        scope: WebhookScope = subscription.scope  # type: ignore[assignment]
        return cls(
            subscription.organization,
            scope,
            subscription.user,
            subscription.group,
            subscription.creator,
        )


def serialise(envelope: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON, as Calendly sends it."""
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def prepare(
    client: CalendlyClient,
    choice: str,
    target: Target,
    *,
    record: str | None = None,
    now: datetime | None = None,
) -> tuple[Delivery, ...]:
    """The deliveries for ``choice`` (two for ``RESCHEDULE``): Calendly's sample when it has
    one, else built from the organization's records; ``record`` (a URI) picks the record."""
    if choice == RESCHEDULE:
        return await reschedule_pair(client, target, record=record, now=now)
    if choice not in LABELS:
        raise PayloadUnavailable(f"{choice} is not an event the app can send.")
    if record is None:
        try:
            return (await from_sample(client, choice, target),)  # type: ignore[arg-type]
        except (Unauthenticated, RateLimited):
            raise
        except (APIStatusError, MalformedResponse) as error:
            if choice not in BUILDABLE:
                raise PayloadUnavailable(
                    f"Calendly has no sample of {choice} here ({error.message}), and the app "
                    "builds this event only from Calendly's sample."
                ) from None
    return (await from_records(client, choice, target, record=record, now=now),)


async def from_sample(client: CalendlyClient, event: SampleEvent, target: Target) -> Delivery:
    """Calendly's own sample (``GET /sample_webhook_data``); API errors propagate."""
    sample = await client.webhooks.sample(
        event=event,
        organization=target.organization,
        scope=target.scope,
        user=target.user,
        group=target.group,
    )
    payload = sample.payload_json()
    envelope = {
        "event": sample.event,
        "created_at": wire_time("created_at", sample.created_at),
        "created_by": target.created_by or sample.created_by,
        "payload": payload,
    }
    subject = payload.get("uri") if isinstance(payload, dict) else None
    source = f"Calendly's sample of {event} (GET /sample_webhook_data)."
    return Delivery(event, serialise(envelope), source, subject)


async def from_records(
    client: CalendlyClient,
    event: str,
    target: Target,
    *,
    record: str | None = None,
    now: datetime | None = None,
) -> Delivery:
    """``event`` built from a real record: ``record`` (a URI) or the newest fitting one."""
    builder = _Builder(client, target, now)
    if event in _INVITEE_EVENTS or event in _NO_SHOW_EVENTS:
        return await builder.invitee_delivery(event, record)
    if event == _SUBMISSION:
        return await builder.submission_delivery(record)
    raise PayloadUnavailable(f"The app cannot build {event} from records; only Calendly can.")


async def reschedule_pair(
    client: CalendlyClient,
    target: Target,
    *,
    record: str | None = None,
    now: datetime | None = None,
) -> tuple[Delivery, Delivery]:
    """A reschedule as Calendly reports it: ``invitee.canceled`` of the old invitee
    (``rescheduled: true``, ``new_invitee``), then ``invitee.created`` of the new one
    (``old_invitee``). A real pair when the organization has one, else adapted."""
    return await _Builder(client, target, now).reschedule(record)


Json = dict[str, Any]


class _Builder:
    def __init__(self, client: CalendlyClient, target: Target, now: datetime | None) -> None:
        self.client = client
        self.target = target
        self.now = now or datetime.now(UTC)
        self.stamp = wire_time("now", self.now)

    async def get(self, path: str, **params: Any) -> Any:
        return json.loads(await self.client.transport.request("GET", path, params=params))

    async def creator(self) -> str:
        if self.target.created_by is None:
            self.target = replace(self.target, created_by=(await self.client.users.me()).uri)
        assert self.target.created_by is not None
        return self.target.created_by

    async def delivery(self, event: str, payload: Json, source: str) -> Delivery:
        envelope = {
            "event": event,
            "created_at": self.stamp,
            "created_by": await self.creator(),
            "payload": payload,
        }
        return Delivery(event, serialise(envelope), source, payload.get("uri"))

    # -- invitees -----------------------------------------------------------------------
    async def events(self, **filters: Any) -> list[Json]:
        target = self.target
        scoped = {"user": target.user} if target.scope == "user" else {}
        if target.scope == "group":
            scoped = {"group": target.group}
        page = await self.get(
            "/scheduled_events",
            organization=target.organization,
            sort="start_time:desc",
            count=SCAN,
            **scoped,
            **filters,
        )
        return list(page["collection"])

    async def find(self, fits: Any, **filters: Any) -> tuple[Json, Json] | None:
        """(invitee, event) of the first invitee ``fits`` among recent events."""
        for event in await self.events(**filters):
            invitees = await self.get(f"{event['uri']}/invitees", count=100)
            for invitee in invitees["collection"]:
                if fits(invitee):
                    return invitee, event
        return None

    def own(self, uri: str) -> str:
        """``uri`` if it names a record of this connection's API (a token never goes
        elsewhere); else ``PayloadUnavailable`` saying what a record's URI looks like."""
        base = str(self.client.base_url).rstrip("/")
        if not uri.startswith(base + "/"):
            raise PayloadUnavailable(
                f"{uri} is not a record of this organization: paste the URI of a record, "
                f"which starts with {base}/."
            )
        return uri

    async def picked(self, uri: str) -> tuple[Json, Json]:
        self.own(uri)
        if "/invitees/" not in uri:
            raise PayloadUnavailable(f"{uri} is not an invitee: pick an invitee of an event.")
        invitee = (await self.get(uri))["resource"]
        return invitee, (await self.get(invitee["event"]))["resource"]

    async def invitee_delivery(self, event: str, record: str | None) -> Delivery:
        canceled = event == "invitee.canceled"
        no_show = event in _NO_SHOW_EVENTS
        if record is not None:
            found: tuple[Json, Json] | None = await self.picked(record)
        elif canceled:
            found = await self.find(lambda i: i["status"] == "canceled", status="canceled")
        elif no_show:
            past = {"status": "active", "max_start_time": self.now}
            found = await self.find(lambda i: i.get("no_show"), **past)
            found = found or await self.find(lambda i: i["status"] == "active", **past)
        else:
            found = await self.find(lambda i: i["status"] == "active", status="active")
        if found is None and canceled:
            found = await self.find(lambda i: i["status"] == "active", status="active")
        if found is None:
            raise PayloadUnavailable(f"The organization has no invitees to build {event} from.")
        invitee, scheduled = found
        source = f"Built from invitee {invitee['name']} of {scheduled.get('name') or 'an event'}"
        if canceled and invitee["status"] != "canceled":
            invitee, scheduled = self.canceled(invitee, scheduled)
            source += ", marked canceled for this test"
        if no_show and not invitee.get("no_show"):
            mark = {"uri": f"{self.client.base_url}/invitee_no_shows/{uuid.uuid4()}"}
            invitee = {**invitee, "no_show": {**mark, "created_at": self.stamp}}
            source += ", marked as a no-show for this test"
        return await self.delivery(event, invitee_payload(invitee, scheduled), source + ".")

    def canceled(
        self, invitee: Json, event: Json, reason: str = "Canceled for a webhook test"
    ) -> tuple[Json, Json]:
        """The invitee canceled by themselves now; the event too if no one else attends."""
        cancellation = {
            "canceled_by": invitee["name"],
            "reason": reason,
            "canceler_type": "invitee",
            "created_at": self.stamp,
        }
        invitee = {**invitee, "status": "canceled", "updated_at": self.stamp}
        invitee["cancellation"] = cancellation
        counter = dict(event.get("invitees_counter") or {"total": 1, "active": 1, "limit": 1})
        event = {**event, "invitees_counter": counter}
        if counter.get("active", 1) <= 1:
            event.update(status="canceled", updated_at=self.stamp, cancellation=cancellation)
        counter["active"] = max(0, int(counter.get("active", 1)) - 1)
        return invitee, event

    async def reschedule(self, record: str | None) -> tuple[Delivery, Delivery]:
        if record is not None:
            old, old_event = await self.picked(record)
            if old.get("old_invitee") and not _moved(old):
                old, old_event = await self.picked(old["old_invitee"])
            found: tuple[Json, Json] | None = (old, old_event)
        else:
            found = await self.find(_moved, status="canceled")
            found = found or await self.find(lambda i: i["status"] == "active", status="active")
        if found is None:
            raise PayloadUnavailable("The organization has no invitees to build a reschedule from.")
        old, old_event = found
        name = f"invitee {old['name']} of {old_event.get('name') or 'an event'}"
        if _moved(old):
            new, new_event = await self.picked(old["new_invitee"])
            source = f"Built from the rescheduled {name}"
        else:
            new, new_event = self.moved_copy(old, old_event)
            old, old_event = self.canceled(old, old_event, "Rescheduled for a webhook test")
            old.update(rescheduled=True, new_invitee=new["uri"])
            source = f"Built from {name}, moved a day later for this test (the new ids are made up)"
        first = await self.delivery(
            "invitee.canceled", invitee_payload(old, old_event), f"{source}: the old booking."
        )
        second = await self.delivery(
            "invitee.created", invitee_payload(new, new_event), f"{source}: the new booking."
        )
        return first, second

    def moved_copy(self, old: Json, event: Json) -> tuple[Json, Json]:
        """A new booking of the same person on a new event one day later."""
        base = str(event["uri"]).rsplit("/", 1)[0]
        new_event = {**event, "uri": f"{base}/{uuid.uuid4()}", "status": "active"}
        for key in ("start_time", "end_time"):
            moved = datetime.fromisoformat(str(event[key])) + timedelta(days=1)
            new_event[key] = wire_time(key, moved)
        new_event.update(created_at=self.stamp, updated_at=self.stamp)
        new_event.pop("cancellation", None)
        ident = uuid.uuid4()
        new = {**old, "uri": f"{new_event['uri']}/invitees/{ident}", "event": new_event["uri"]}
        new.update(status="active", created_at=self.stamp, updated_at=self.stamp)
        new.update(rescheduled=False, old_invitee=old["uri"], new_invitee=None, no_show=None)
        for key in ("cancel_url", "reschedule_url"):
            if isinstance(new.get(key), str):
                new[key] = f"{new[key].rsplit('/', 1)[0]}/{ident}"
        new.pop("cancellation", None)
        return new, new_event

    # -- routing forms --------------------------------------------------
    async def submission_delivery(self, record: str | None) -> Delivery:
        if self.target.scope != "organization":
            raise PayloadUnavailable(f"{_SUBMISSION} exists only for organization scope.")
        if record is not None:
            if "/routing_form_submissions/" not in self.own(record):
                raise PayloadUnavailable(f"{record} is not a routing form submission.")
            submission = (await self.get(record))["resource"]
        else:
            submission = await self.latest_submission()
        return await self.delivery(
            _SUBMISSION, submission, "Built from the organization's routing form submission."
        )

    async def latest_submission(self) -> Json:
        org = self.target.organization
        forms = await self.get("/routing_forms", organization=org, count=100)
        newest: Json | None = None
        for form in forms["collection"]:
            page = await self.get(
                "/routing_form_submissions", form=form["uri"], sort="created_at:desc", count=1
            )
            for submission in page["collection"]:
                if newest is None or submission["created_at"] > newest["created_at"]:
                    newest = submission
        if newest is None:
            raise PayloadUnavailable("The organization has no routing form submissions.")
        return newest


def invitee_payload(invitee: Json, event: Json) -> Json:
    """InviteePayload: the invitee's own JSON plus its event's ``scheduled_event`` keys."""
    embedded = {key: event[key] for key in _EVENT_KEYS if key in event}
    embedded["event_memberships"] = [
        {key: host[key] for key in _MEMBERSHIP_KEYS if key in host}
        for host in event.get("event_memberships") or []
    ]
    return {**invitee, "scheduled_event": embedded}


def _moved(invitee: Json) -> bool:
    """Whether ``invitee`` is the old half of a reschedule."""
    return bool(invitee.get("rescheduled") and invitee.get("new_invitee"))
