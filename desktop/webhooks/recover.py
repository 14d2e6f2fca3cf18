"""Recover webhook deliveries lost in an outage: what Calendly would have sent in a time window,
against what the local receiver logged, and signed re-sends of the difference.

Calendly keeps no list of its deliveries for us to read (and a delivery has no id, facts §6.2),
so what it would have sent is rebuilt from the API. The rule, and its limits:

- Calendly lists meetings (scheduled events) by start time only. A booking made in the window
  is for a meeting that starts after it was made (nobody books the past) and, by default, at
  most ``HORIZON`` (90 days) after the window; a cancellation made in the window is of a
  meeting that had not ended, so it started at most ``LOOKBACK`` (1 day) before the window.
  Meetings starting in ``[window start - lookback, window end + horizon)`` are listed.
- A meeting created after the window is skipped (every booking and cancellation of it came
  later), and so is a one-invitee meeting last updated before the window (its only booking
  created it; canceling it updates it). The invitees of the others are read, a few meetings
  at a time: an invitee booked in the window is an ``invitee.created``, one canceled in it
  (its cancellation's ``created_at``) an ``invitee.canceled``. Both ends are included.
- Not found: bookings for meetings more than ``horizon`` after the window (event types that
  take bookings further ahead: widen it), cancellations of meetings that started more than
  ``lookback`` before it, and records deleted since (data deletion requests).
- Only what the subscription gets: its events (of ``invitee.created``/``invitee.canceled``),
  its scope (organization: every meeting; user: meetings its user hosts; group: meetings a
  group member hosts) and nothing from before it was created.

A logged delivery matches an expected one by event name and the payload's invitee ``uri``
(each invitee is booked once and canceled at most once); it counts as received only if the
receiver answered it 2xx — one it refused (a 500, say) is missed too, and Calendly may still
be retrying it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from desktop.api.client import CalendlyClient
from desktop.domain.uris import uuid_of
from desktop.domain.webhooks import WebhookSubscription
from desktop.webhooks.inbox import Delivery, Inbox
from desktop.webhooks.recover_records import (
    RECOVERABLE,
    Expected,
    Json,
    bounded,
    deliveries_of,
    logged_key,
    moment,
    raw_items,
)
from desktop.webhooks.sender import BadURL, SendResult, check_url, send_test

HORIZON = timedelta(days=90)
LOOKBACK = timedelta(days=1)
CONCURRENCY = 4  # meetings whose invitees are read at once (the client paces the rest)
INBOX_PAGE = 500
Progress = Callable[[int, int], None]  # (meetings read, meetings to read)


def check_window(start: datetime, end: datetime) -> str | None:
    """Why ``[start, end]`` is not a usable window (a sentence naming the field), or None."""
    if start.tzinfo is None or end.tzinfo is None:
        return "From and To must carry a time zone."
    if end <= start:
        return "To must be later than From."
    return None


@dataclass(frozen=True, slots=True)
class Expectation:
    """What Calendly would have delivered to a subscription in a window, and how it was found."""

    deliveries: tuple[Expected, ...]
    window: tuple[datetime, datetime]  # as searched (from the subscription's creation on)
    events: tuple[str, ...]  # the events looked for
    starts: tuple[datetime, datetime]  # the meeting start times listed
    meetings: int  # meetings listed
    read: int  # meetings whose invitees were read
    notes: tuple[str, ...] = ()  # what was left out and why, in sentences

    def __iter__(self) -> Iterator[Expected]:
        return iter(self.deliveries)

    def __len__(self) -> int:
        return len(self.deliveries)


@dataclass(frozen=True, slots=True)
class Missed:
    """An expected delivery the receiver did not accept; ``refused``: the statuses it answered
    when it logged it but refused it (empty: never logged)."""

    expected: Expected
    refused: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Resent:
    missed: Missed
    result: SendResult

    @property
    def delivered(self) -> bool:
        return self.result.delivered


async def expected_deliveries(
    client: CalendlyClient,
    organization: str,
    window_start: datetime,
    window_end: datetime,
    events: Sequence[str] = RECOVERABLE,
    subscription: WebhookSubscription | None = None,
    *,
    horizon: timedelta = HORIZON,
    lookback: timedelta = LOOKBACK,
    concurrency: int = CONCURRENCY,
    on_progress: Progress | None = None,
) -> Expectation:
    """Every delivery Calendly would have made in ``[window_start, window_end]`` (the rule is
    the module's), for ``subscription`` (None: an organization subscription to ``events``).

    API errors propagate (``CalendlyError``); a bad window is a ``ValueError`` saying why.
    """
    problem = check_window(window_start, window_end)
    if problem is not None:
        raise ValueError(problem)
    notes: list[str] = []
    wanted = tuple(e for e in events if e in RECOVERABLE)
    if subscription is not None:
        wanted = tuple(e for e in wanted if e in subscription.events)
        if not wanted:
            notes.append(
                "The subscription gets neither invitee.created nor invitee.canceled; only "
                "those can be recovered."
            )
        created = subscription.created_at
        if created is not None and created > window_start:
            window_start = min(created, window_end)
            notes.append(
                f"Nothing from before the subscription was created is expected ({_stamp(created)})."
            )
    window = (window_start.astimezone(UTC), window_end.astimezone(UTC))
    starts = (window[0] - lookback, window[1] + horizon)
    if not wanted:
        return Expectation((), window, (), starts, 0, 0, tuple(notes))
    created_by = (subscription.creator if subscription else None) or (await client.users.me()).uri
    listed: list[Json] = []
    params: dict[str, Any] = {**_scope_of(organization, subscription), "sort": "start_time:asc"}
    params.update(min_start_time=starts[0], max_start_time=starts[1])
    async for meeting in raw_items(client, "/scheduled_events", params):
        listed.append(meeting)
    to_read = [m for m in listed if isinstance(m.get("uri"), str) and _may_have_changed(m, window)]
    done = 0
    if on_progress is not None:
        on_progress(0, len(to_read))

    async def read(meeting: Json) -> list[Expected]:
        nonlocal done
        path = f"/scheduled_events/{uuid_of(str(meeting['uri']))}/invitees"
        invitees = [item async for item in raw_items(client, path, {"sort": "created_at:asc"})]
        done += 1
        if on_progress is not None:
            on_progress(done, len(to_read))
        return deliveries_of(meeting, invitees, window, wanted, created_by)

    found = [d for each in await bounded(to_read, read, concurrency) for d in each]
    found.sort(key=lambda d: (d.happened_at, d.event != "invitee.canceled", d.invitee_uri))
    return Expectation(
        tuple(found), window, wanted, starts, len(listed), len(to_read), tuple(notes)
    )


def missed(
    expected: Iterable[Expected], inbox_deliveries: Iterable[Delivery], *, path: str | None = None
) -> list[Missed]:
    """The expected deliveries the receiver did not accept (answer 2xx), in order.

    ``path``: count only deliveries the receiver got on that path (when several subscriptions
    post to one receiver, each on its own path). Bodies are parsed here: for many deliveries,
    call it off the event loop (``find_missed`` does).
    """
    accepted: set[tuple[str, str]] = set()
    refused: dict[tuple[str, str], list[int]] = {}
    for delivery in inbox_deliveries:
        if delivery.method != "POST" or (path is not None and _path(delivery.path) != path):
            continue
        key = logged_key(delivery.body)
        if key is None:
            continue
        status = delivery.answered
        if status is not None and 200 <= status < 300:
            accepted.add(key)
        elif status is not None:
            refused.setdefault(key, []).append(status)
    return [
        Missed(each, tuple(refused.get(each.key, ())))
        for each in expected
        if each.key not in accepted
    ]


async def logged(inbox: Inbox, events: Sequence[str] = RECOVERABLE) -> list[Delivery]:
    """Every delivery of ``events`` the inbox holds (read page by page, off the loop)."""
    found: list[Delivery] = []
    for event in events:
        before: int | None = None
        while True:
            page = await inbox.query(event=event, limit=INBOX_PAGE, before_id=before)
            found += page
            if len(page) < INBOX_PAGE:
                break
            before = page[-1].id
    return found


async def find_missed(
    expected: Iterable[Expected], inbox: Inbox, *, path: str | None = None
) -> list[Missed]:
    """``missed`` against everything ``inbox`` logged (its bodies parsed off the loop)."""
    wanted = list(expected)
    deliveries = await logged(inbox, sorted({each.event for each in wanted}))
    return await asyncio.to_thread(lambda: missed(wanted, deliveries, path=path))


async def resend(
    gaps: Sequence[Missed],
    url: str,
    key: str | None,
    on_progress: Callable[[int, int, Resent], None] | None = None,
    *,
    stop: asyncio.Event | None = None,
    http: httpx.AsyncClient | None = None,
) -> list[Resent]:
    """POST each gap's delivery to ``url``, one at a time, signed with ``key`` when given (at
    the moment it is sent, as Calendly signs), reporting each result as it comes.

    Stops before the next one once ``stop`` is set (or when cancelled). Network faults and
    refusals are failed results, never exceptions; an unusable ``url`` is ``BadURL`` before
    anything is sent. No rate limit: the receiver is the user's own.
    """
    problem = check_url(url)
    if problem is not None:
        raise BadURL(problem)
    client = http or httpx.AsyncClient(trust_env=False)
    results: list[Resent] = []
    try:
        for gap in gaps:
            if stop is not None and stop.is_set():
                break
            result = await send_test(url, gap.expected.body, signing_key=key, http=client)
            results.append(Resent(gap, result))
            if on_progress is not None:
                on_progress(len(results), len(gaps), results[-1])
    finally:
        if http is None:
            await client.aclose()
    return results


# -- the walk -----------------------------------------------------------------------------------
def _scope_of(organization: str, subscription: WebhookSubscription | None) -> dict[str, str]:
    """The meetings list's filters for what the subscription covers."""
    if subscription is None:
        return {"organization": organization}
    scoped = {"organization": subscription.organization or organization}
    if subscription.scope == "user" and subscription.user:
        scoped["user"] = subscription.user
    elif subscription.scope == "group" and subscription.group:
        scoped["group"] = subscription.group
    return scoped


def _may_have_changed(meeting: Json, window: tuple[datetime, datetime]) -> bool:
    """Whether an invitee of ``meeting`` may have been booked or canceled within ``window``."""
    created = moment(meeting.get("created_at"))
    if created is not None and created > window[1]:
        return False  # booked after the window: everything of it happened later
    counter = meeting.get("invitees_counter")
    limit = counter.get("limit") if isinstance(counter, dict) else None
    updated = moment(meeting.get("updated_at"))
    # One invitee: its booking made the meeting and canceling it updates the meeting. With room
    # for more, another booking or one invitee's cancel may leave the meeting untouched.
    return not (limit == 1 and updated is not None and updated < window[0])


def _path(target: str) -> str:
    return target.split("?", 1)[0] or "/"


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
